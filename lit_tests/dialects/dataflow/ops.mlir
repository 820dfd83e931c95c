// Round trip of the dataflow dialect's custom syntax (kernel, yield, strategy and io_type
// attributes), and of its generic form back to the custom one.
// Custom parse -> generic print -> generic parse -> custom print -> custom parse -> custom print:
// RUN: xdsl-opt %s --print-op-generic | xdsl-opt | xdsl-opt | filecheck %s
// The generic form itself:
// RUN: xdsl-opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC

func.func @design(%x: tensor<3x!fixed.fixed<8, 3, signed>>) -> (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) attributes {dataflow.io_type = #dataflow<io_type io_parallel>} {
  %h = dataflow.kernel "fc1"(%x) reuse 4 resource {layer = "fc1"} : (tensor<3x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<8, 3, signed>> {
  ^bb0(%a: tensor<3x!fixed.fixed<8, 3, signed>>):
    %w = fixed.constant dense<[[16, -8], [32, 4], [-48, 64]]> : tensor<3x2xi8> as tensor<3x2x!fixed.fixed<8, 3, signed>> {layer = "fc1"}
    %acc = fixed.dense %a, %w {layer = "fc1"} : (tensor<3x!fixed.fixed<8, 3, signed>>, tensor<3x2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<18, 8, signed>>
    %y = fixed.cast %acc RND SAT {layer = "fc1"} : tensor<2x!fixed.fixed<18, 8, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
    dataflow.yield %y : tensor<2x!fixed.fixed<8, 3, signed>>
  }
  %r:2 = dataflow.kernel "relu_1"(%h) reuse 1 latency : (tensor<2x!fixed.fixed<8, 3, signed>>) -> (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) {
  ^bb0(%b: tensor<2x!fixed.fixed<8, 3, signed>>):
    %y = fixed.relu %b : tensor<2x!fixed.fixed<8, 3, signed>>
    dataflow.yield %y, %b : tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>
  }
  func.return %r#0, %r#1 : tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>
}
// CHECK-LABEL: func.func @design(
// CHECK-SAME:    %x: tensor<3x!fixed.fixed<8, 3, signed>>) -> (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>)
// CHECK-SAME:    attributes {dataflow.io_type = #dataflow<io_type io_parallel>} {
// CHECK-NEXT:    %h = dataflow.kernel "fc1"(%x) reuse 4 resource {layer = "fc1"} : (tensor<3x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<8, 3, signed>> {
// CHECK-NEXT:    ^bb0(%a: tensor<3x!fixed.fixed<8, 3, signed>>):
// CHECK-NEXT{LITERAL}: %w = fixed.constant dense<[[16, -8], [32, 4], [-48, 64]]> : tensor<3x2xi8> as tensor<3x2x!fixed.fixed<8, 3, signed>> {layer = "fc1"}
// CHECK-NEXT:      %acc = fixed.dense %a, %w {layer = "fc1"} : (tensor<3x!fixed.fixed<8, 3, signed>>, tensor<3x2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<18, 8, signed>>
// CHECK-NEXT:      %y = fixed.cast %acc RND SAT {layer = "fc1"} : tensor<2x!fixed.fixed<18, 8, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:      dataflow.yield %y : tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:    }
// CHECK-NEXT:    %r, %r_1 = dataflow.kernel "relu_1"(%h) reuse 1 latency : (tensor<2x!fixed.fixed<8, 3, signed>>) -> (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) {
// CHECK-NEXT:    ^bb0(%b: tensor<2x!fixed.fixed<8, 3, signed>>):
// CHECK-NEXT:      %y = fixed.relu %b : tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:      dataflow.yield %y, %b : tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:    }
// CHECK-NEXT:    func.return %r, %r_1 : tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>

// GENERIC-LABEL: "func.func"() <{sym_name = "design"
// GENERIC-NEXT:  ^bb0(%x: tensor<3x!fixed.fixed<8, 3, signed>>):
// GENERIC-NEXT:    %h = "dataflow.kernel"(%x) <{sym_name = "fc1", reuse_factor = 4 : i64, strategy = #dataflow<strategy resource>, layer = "fc1"}> ({
// GENERIC:         "dataflow.yield"(%y) : (tensor<2x!fixed.fixed<8, 3, signed>>) -> ()
// GENERIC-NEXT:    }) : (tensor<3x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<8, 3, signed>>
// GENERIC-NEXT:    %r, %r_1 = "dataflow.kernel"(%h) <{sym_name = "relu_1", reuse_factor = 1 : i64, strategy = #dataflow<strategy latency>}> ({
// GENERIC:         "func.return"(%r, %r_1)
// GENERIC-NEXT:  }) {dataflow.io_type = #dataflow<io_type io_parallel>} : () -> ()

func.func @stream(%x: tensor<4x2x!fixed.fixed<8, 3, signed>>) -> (tensor<8x!fixed.fixed<8, 3, signed>>, tensor<4x2x!fixed.fixed<8, 3, signed>>) attributes {dataflow.io_type = #dataflow<io_type io_stream>, dataflow.latency = 12 : i64} {
  %f:2 = dataflow.kernel "fork"(%x) reuse 1 latency {fifo_depths = array<i64: 2, 5>} : (tensor<4x2x!fixed.fixed<8, 3, signed>>) -> (tensor<4x2x!fixed.fixed<8, 3, signed>>, tensor<4x2x!fixed.fixed<8, 3, signed>>) {
  ^bb0(%a: tensor<4x2x!fixed.fixed<8, 3, signed>>):
    dataflow.yield %a, %a : tensor<4x2x!fixed.fixed<8, 3, signed>>, tensor<4x2x!fixed.fixed<8, 3, signed>>
  }
  %r = dataflow.kernel "flatten"(%f#0) reuse 1 latency {fifo_depths = array<i64: 9>, layer = "flatten"} : (tensor<4x2x!fixed.fixed<8, 3, signed>>) -> tensor<8x!fixed.fixed<8, 3, signed>> {
  ^bb0(%b: tensor<4x2x!fixed.fixed<8, 3, signed>>):
    %t = layout.reshape %b {layer = "flatten"} : tensor<4x2x!fixed.fixed<8, 3, signed>> -> tensor<8x!fixed.fixed<8, 3, signed>>
    dataflow.yield %t : tensor<8x!fixed.fixed<8, 3, signed>>
  }
  func.return %r, %f#1 : tensor<8x!fixed.fixed<8, 3, signed>>, tensor<4x2x!fixed.fixed<8, 3, signed>>
}
// io_stream: the design's `dataflow.latency` and each kernel's `fifo_depths` (one per result) are
// what size-fifos writes; a kernel may hold layout ops.
// CHECK-LABEL: func.func @stream(
// CHECK-SAME:    attributes {dataflow.io_type = #dataflow<io_type io_stream>, dataflow.latency = 12 : i64} {
// CHECK-NEXT:    %f, %f_1 = dataflow.kernel "fork"(%x) reuse 1 latency {fifo_depths = array<i64: 2, 5>} : (tensor<4x2x!fixed.fixed<8, 3, signed>>) -> (tensor<4x2x!fixed.fixed<8, 3, signed>>, tensor<4x2x!fixed.fixed<8, 3, signed>>) {
// CHECK-NEXT:    ^bb0(%a: tensor<4x2x!fixed.fixed<8, 3, signed>>):
// CHECK-NEXT:      dataflow.yield %a, %a : tensor<4x2x!fixed.fixed<8, 3, signed>>, tensor<4x2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:    }
// CHECK-NEXT:    %r = dataflow.kernel "flatten"(%f) reuse 1 latency {fifo_depths = array<i64: 9>, layer = "flatten"} : (tensor<4x2x!fixed.fixed<8, 3, signed>>) -> tensor<8x!fixed.fixed<8, 3, signed>> {
// CHECK-NEXT:    ^bb0(%b: tensor<4x2x!fixed.fixed<8, 3, signed>>):
// CHECK-NEXT:      %t = layout.reshape %b {layer = "flatten"} : tensor<4x2x!fixed.fixed<8, 3, signed>> -> tensor<8x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:      dataflow.yield %t : tensor<8x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:    }
// CHECK-NEXT:    func.return %r, %f_1 : tensor<8x!fixed.fixed<8, 3, signed>>, tensor<4x2x!fixed.fixed<8, 3, signed>>

// GENERIC-LABEL: "func.func"() <{sym_name = "stream"
// GENERIC:         %f, %f_1 = "dataflow.kernel"(%x) <{sym_name = "fork", reuse_factor = 1 : i64, strategy = #dataflow<strategy latency>, fifo_depths = array<i64: 2, 5>}> ({
// GENERIC:       }) {dataflow.io_type = #dataflow<io_type io_stream>, dataflow.latency = 12 : i64} : () -> ()
