// Every verifier message of the dataflow dialect (dataflow.kernel's verify_), plus the yield's
// parent constraint. Each chunk's output must START with its message (the CHECK-NEXT after each
// separator), so a chunk that stops being rejected fails the test.
// RUN: xdsl-opt %s --verify-diagnostics --split-input-file | filecheck %s

%x = "test.op"() : () -> tensor<2x!fixed.fixed<8, 3, signed>>
%y = dataflow.kernel "1st-layer"(%x) reuse 1 latency : (tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<8, 3, signed>> {
^bb0(%a: tensor<2x!fixed.fixed<8, 3, signed>>):
  dataflow.yield %a : tensor<2x!fixed.fixed<8, 3, signed>>
}
// CHECK:      dataflow.kernel name '1st-layer' is not a C identifier
// CHECK-NEXT: "builtin.module"() ({
// CHECK-NEXT:   %x = "test.op"() : () -> tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %y = "dataflow.kernel"(%x) <{sym_name = "1st-layer", reuse_factor = 1 : i64, strategy = #dataflow<strategy latency>}> ({
// CHECK-NEXT:   {{^}}  ^^^^^^^^^^^^^^^^^^^^^^{{-+$}}
// CHECK-NEXT:   | Operation does not verify: dataflow.kernel name '1st-layer' is not a C identifier

// -----
%x = "test.op"() : () -> tensor<2x!fixed.fixed<8, 3, signed>>
%y = dataflow.kernel "k"(%x) reuse 1 latency : (tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<8, 3, signed>> {
^bb0(%a: tensor<2x!fixed.fixed<6, 3, signed>>):
  %c = fixed.cast %a TRN WRAP : tensor<2x!fixed.fixed<6, 3, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
  dataflow.yield %c : tensor<2x!fixed.fixed<8, 3, signed>>
}
// CHECK:      {{^//}} -----
// CHECK-NEXT: dataflow.kernel k: block arguments do not match the inputs

// -----
%x = "test.op"() : () -> tensor<2x!fixed.fixed<8, 3, signed>>
%y = dataflow.kernel "k"(%x) reuse 1 latency : (tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<8, 3, signed>> {
^bb0(%a: tensor<2x!fixed.fixed<8, 3, signed>>):
  %r = fixed.relu %a : tensor<2x!fixed.fixed<8, 3, signed>>
  "test.termop"(%r) : (tensor<2x!fixed.fixed<8, 3, signed>>) -> ()
}
// CHECK:      {{^//}} -----
// CHECK-NEXT: dataflow.kernel k must end with dataflow.yield

// -----
%x = "test.op"() : () -> tensor<2x!fixed.fixed<8, 3, signed>>
%y = dataflow.kernel "k"(%x) reuse 1 latency : (tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<6, 3, signed>> {
^bb0(%a: tensor<2x!fixed.fixed<8, 3, signed>>):
  dataflow.yield %a : tensor<2x!fixed.fixed<8, 3, signed>>
}
// CHECK:      {{^//}} -----
// CHECK-NEXT: dataflow.kernel k: yielded types do not match the results

// -----
%x = "test.op"() : () -> tensor<2x!fixed.fixed<8, 3, signed>>
%y = dataflow.kernel "k"(%x) reuse 1 latency : (tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<8, 3, signed>> {
^bb0(%a: tensor<2x!fixed.fixed<8, 3, signed>>):
  %t = "test.op"(%a) : (tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<8, 3, signed>>
  dataflow.yield %t : tensor<2x!fixed.fixed<8, 3, signed>>
}
// CHECK:      {{^//}} -----
// CHECK-NEXT: dataflow.kernel k may hold only fixed and layout ops, found test.op

// -----
%x = "test.op"() : () -> tensor<3x!fixed.fixed<8, 3, signed>>
%y = dataflow.kernel "fc"(%x) reuse 0 latency : (tensor<3x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<18, 8, signed>> {
^bb0(%a: tensor<3x!fixed.fixed<8, 3, signed>>):
  %w = fixed.constant dense<[[1, 2], [3, 4], [5, 6]]> : tensor<3x2xi8> as tensor<3x2x!fixed.fixed<8, 3, signed>>
  %d = fixed.dense %a, %w : (tensor<3x!fixed.fixed<8, 3, signed>>, tensor<3x2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<18, 8, signed>>
  dataflow.yield %d : tensor<2x!fixed.fixed<18, 8, signed>>
}
// CHECK:      {{^//}} -----
// CHECK-NEXT: dataflow.kernel fc: reuse factor must be at least 1, got 0

// -----
%x = "test.op"() : () -> tensor<2x!fixed.fixed<8, 3, signed>>
%y = dataflow.kernel "act"(%x) reuse 2 resource : (tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<8, 3, signed>> {
^bb0(%a: tensor<2x!fixed.fixed<8, 3, signed>>):
  %r = fixed.relu %a : tensor<2x!fixed.fixed<8, 3, signed>>
  dataflow.yield %r : tensor<2x!fixed.fixed<8, 3, signed>>
}
// CHECK:      {{^//}} -----
// CHECK-NEXT: dataflow.kernel act: reuse factor 2 on a kernel without multiplications (must be 1)

// -----
func.func @f(%x: tensor<2x!fixed.fixed<8, 3, signed>>) {
  dataflow.yield %x : tensor<2x!fixed.fixed<8, 3, signed>>
}
// CHECK:      {{^//}} -----
// CHECK-NEXT: 'dataflow.yield' expects parent op 'dataflow.kernel'

// -----
%x = "test.op"() : () -> tensor<2x!fixed.fixed<8, 3, signed>>
%y:2 = dataflow.kernel "fork"(%x) reuse 1 latency {fifo_depths = array<i64: 2>} : (tensor<2x!fixed.fixed<8, 3, signed>>) -> (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) {
^bb0(%a: tensor<2x!fixed.fixed<8, 3, signed>>):
  dataflow.yield %a, %a : tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>
}
// CHECK:      {{^//}} -----
// CHECK-NEXT: dataflow.kernel fork: fifo_depths must give one depth >= 1 per result, got [2]

// -----
%x = "test.op"() : () -> tensor<2x!fixed.fixed<8, 3, signed>>
%y = dataflow.kernel "act"(%x) reuse 1 latency {fifo_depths = array<i64: 0>} : (tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<8, 3, signed>> {
^bb0(%a: tensor<2x!fixed.fixed<8, 3, signed>>):
  %r = fixed.relu %a : tensor<2x!fixed.fixed<8, 3, signed>>
  dataflow.yield %r : tensor<2x!fixed.fixed<8, 3, signed>>
}
// CHECK:      {{^//}} -----
// CHECK-NEXT: dataflow.kernel act: fifo_depths must give one depth >= 1 per result, got [0]

// -----
%x = "test.op"() : () -> tensor<2x!fixed.fixed<8, 3, signed>>
%y = dataflow.kernel "act"(%x) reuse 1 latency {stream = "serial"} : (tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<8, 3, signed>> {
^bb0(%a: tensor<2x!fixed.fixed<8, 3, signed>>):
  dataflow.yield %a : tensor<2x!fixed.fixed<8, 3, signed>>
}
// CHECK:      {{^//}} -----
// CHECK-NEXT: dataflow.kernel act: unknown stream kind 'serial'; valid: fork, pixel, window, sequence, buffer

// -----
// A pixel kernel computes one position: its block takes one packet [C] of each [*positions, C] input.
%x = "test.op"() : () -> tensor<3x2x!fixed.fixed<8, 3, signed>>
%y = dataflow.kernel "act"(%x) reuse 1 latency {stream = "pixel"} : (tensor<3x2x!fixed.fixed<8, 3, signed>>) -> tensor<3x2x!fixed.fixed<8, 3, signed>> {
^bb0(%a: tensor<3x2x!fixed.fixed<8, 3, signed>>):
  dataflow.yield %a : tensor<3x2x!fixed.fixed<8, 3, signed>>
}
// CHECK:      {{^//}} -----
// CHECK-NEXT: dataflow.kernel act: a pixel kernel's block arguments are one packet of each input

// -----
%x = "test.op"() : () -> tensor<4x1x!fixed.fixed<8, 3, signed>>
%y = dataflow.kernel "pool"(%x) reuse 1 latency {stream = "window", steps = 4 : i64} : (tensor<4x1x!fixed.fixed<8, 3, signed>>) -> tensor<2x1x!fixed.fixed<8, 3, signed>> {
^bb0(%a: tensor<4x1x!fixed.fixed<8, 3, signed>>):
  %p = fixed.max_pool %a {kernel = array<i64: 2>, strides = array<i64: 2>, pads = array<i64: 0, 0>} : tensor<4x1x!fixed.fixed<8, 3, signed>> -> tensor<2x1x!fixed.fixed<8, 3, signed>>
  dataflow.yield %p : tensor<2x1x!fixed.fixed<8, 3, signed>>
}
// CHECK:      {{^//}} -----
// CHECK-NEXT: dataflow.kernel pool: a window kernel needs line_buffer_rows >= 1

// -----
%x = "test.op"() : () -> tensor<2x!fixed.fixed<8, 3, signed>>
%y = dataflow.kernel "act"(%x) reuse 1 latency {stream = "buffer", steps = 4 : i64} : (tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<8, 3, signed>> {
^bb0(%a: tensor<2x!fixed.fixed<8, 3, signed>>):
  dataflow.yield %a : tensor<2x!fixed.fixed<8, 3, signed>>
}
// CHECK:      {{^//}} -----
// CHECK-NEXT: dataflow.kernel act: steps is for window kernels only

// -----
%x = "test.op"() : () -> tensor<4x1x!fixed.fixed<8, 3, signed>>
%y = dataflow.kernel "act"(%x) reuse 1 latency {stream = "window", steps = 4 : i64, line_buffer_rows = 1 : i64} : (tensor<4x1x!fixed.fixed<8, 3, signed>>) -> tensor<4x1x!fixed.fixed<8, 3, signed>> {
^bb0(%a: tensor<4x1x!fixed.fixed<8, 3, signed>>):
  %r = fixed.relu %a : tensor<4x1x!fixed.fixed<8, 3, signed>>
  dataflow.yield %r : tensor<4x1x!fixed.fixed<8, 3, signed>>
}
// CHECK:      {{^//}} -----
// CHECK-NEXT: dataflow.kernel act: a window kernel needs a convolution or pool
