// nn-to-fixed rejects bad options and IR it cannot lower with one clear error. xdsl-opt prints the
// Python traceback: the checks match its final line (and the pattern note for errors raised while
// rewriting). Each case is one chunk of this file, fed alone to xdsl-opt by %inputs/chunk.py.
//
// Malformed precision strings (chunk 1 is valid IR); the message names the option (`precision`, the
// model default of the configuration):
// RUN: %python %inputs/chunk.py %s 1 | not xdsl-opt -p 'nn-to-fixed{precision="ap_fixd<8,3>"}' 2>&1 | filecheck %s --check-prefix=KIND
// KIND: {{^}}dialects.errors.CompileError: nn-to-fixed: precision: malformed precision 'ap_fixd<8,3>': expected e.g. 'ap_fixed<16,6>', 'ap_ufixed<8,0,AP_RND,AP_SAT>' or 'ap_int<8>'
// RUN: %python %inputs/chunk.py %s 1 | not xdsl-opt -p 'nn-to-fixed{precision="ap_fixed<8,3,AP_ROUND>"}' 2>&1 | filecheck %s --check-prefix=MODE
// MODE: {{^}}dialects.errors.CompileError: nn-to-fixed: precision: malformed precision 'ap_fixed<8,3,AP_ROUND>': expected <width, int_bits[, AP_<rounding>[, AP_<overflow>]]> with rounding in ['TRN', 'TRN_ZERO', 'RND', 'RND_ZERO', 'RND_INF', 'RND_MIN_INF', 'RND_CONV'] and overflow in ['WRAP', 'SAT', 'SAT_ZERO', 'SAT_SYM']
//
// A table size that is not a power of two is rejected up front, even for a model without tables.
// RUN: %python %inputs/chunk.py %s 1 | not xdsl-opt -p 'nn-to-fixed{table-size=6}' 2>&1 | filecheck %s --check-prefix=TABLE
// TABLE: {{^}}dialects.errors.CompileError: nn-to-fixed: table-size must be a power of two >= 2, got 6
//
// Weights computed at run time:
// RUN: %python %inputs/chunk.py %s 2 | not xdsl-opt -p nn-to-fixed 2>&1 | filecheck %s --check-prefix=WEIGHT
// WEIGHT:      {{^}}dialects.errors.CompileError: layer 'fc': the weight must be a constant
// WEIGHT:      | Error while applying pattern: layer 'fc': the weight must be a constant
//
// An nn op whose operand never becomes fixed-point (not produced by the function's arguments):
// RUN: %python %inputs/chunk.py %s 3 | not xdsl-opt -p nn-to-fixed 2>&1 | filecheck %s --check-prefix=UNLOWERED
// UNLOWERED: {{^}}dialects.errors.CompileError: nn-to-fixed: layer 'r' (nn.relu) could not be lowered

func.func @sigmoid(%x: tensor<3xf32>) -> tensor<3xf32> {
  %s = nn.sigmoid %x {layer = "sig"} : tensor<3xf32>
  func.return %s : tensor<3xf32>
}

// -----
func.func @weight_argument(%x: tensor<3xf32>, %w: tensor<3x2xf32>) -> tensor<2xf32> {
  %d = nn.dense %x, %w {layer = "fc"} : (tensor<3xf32>, tensor<3x2xf32>) -> tensor<2xf32>
  func.return %d : tensor<2xf32>
}

// -----
func.func @not_from_arguments() -> tensor<2xf32> {
  %t = "test.op"() : () -> tensor<2xf32>
  %r = nn.relu %t {layer = "r"} : tensor<2xf32>
  func.return %r : tensor<2xf32>
}
