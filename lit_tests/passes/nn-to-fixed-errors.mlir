// nn-to-fixed rejects bad options and IR it cannot lower with one clear error. xdsl-opt prints the
// Python traceback: the checks match its final line (and the pattern note for errors raised while
// rewriting). Each case is one chunk of this file, fed alone to xdsl-opt by %inputs/chunk.py.
//
// Malformed precision strings (chunk 1 is valid IR); the message names the option (`precision`, the
// model default of the configuration):
// RUN: %python %inputs/pass_errors.py %s \
// RUN:   'KIND@1=nn-to-fixed{precision="ap_fixd<8,3>"}' \
// KIND: --- KIND
// KIND-NEXT: {{^}}dialects.errors.CompileError: nn-to-fixed: precision: malformed precision 'ap_fixd<8,3>': expected e.g. 'ap_fixed<16,6>', 'ap_ufixed<8,0,AP_RND,AP_SAT>' or 'ap_int<8>'
// RUN:   'MODE@1=nn-to-fixed{precision="ap_fixed<8,3,AP_ROUND>"}' \
// MODE: --- MODE
// MODE-NEXT: {{^}}dialects.errors.CompileError: nn-to-fixed: precision: malformed precision 'ap_fixed<8,3,AP_ROUND>': expected <width, int_bits[, AP_<rounding>[, AP_<overflow>]]> with rounding in ['TRN', 'TRN_ZERO', 'RND', 'RND_ZERO', 'RND_INF', 'RND_MIN_INF', 'RND_CONV'] and overflow in ['WRAP', 'SAT', 'SAT_ZERO', 'SAT_SYM']
//
// A table size that is not a power of two is rejected up front, even for a model without tables.
// RUN:   'TABLE@1=nn-to-fixed{table-size=6}' \
// TABLE: --- TABLE
// TABLE-NEXT: {{^}}dialects.errors.CompileError: nn-to-fixed: table-size must be a power of two >= 2, got 6
//
// Weights computed at run time:
// RUN:   'WEIGHT@2=nn-to-fixed' \
// WEIGHT: --- WEIGHT
// WEIGHT-NEXT:      {{^}}dialects.errors.CompileError: layer 'fc': the weight must be a constant
// WEIGHT:      | Error while applying pattern: layer 'fc': the weight must be a constant
//
// An nn op whose operand never becomes fixed-point (not produced by the function's arguments):
// RUN:   'UNLOWERED@3=nn-to-fixed' | filecheck %s --check-prefixes=KIND,MODE,TABLE,WEIGHT,UNLOWERED
// UNLOWERED: --- UNLOWERED
// UNLOWERED-NEXT: {{^}}dialects.errors.CompileError: nn-to-fixed: layer 'r' (nn.relu) could not be lowered

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
