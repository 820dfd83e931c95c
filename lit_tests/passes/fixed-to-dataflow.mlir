// fixed-to-dataflow: one dataflow.kernel per layer (consecutive ops with the same `layer`), with
// private copies of the constants it uses; the device function takes and returns fixed-point
// tensors; @<name>_host quantizes, calls it and dequantizes (the host's ops are the function's own
// quantize and dequantize ops, copied: they keep their names).
// RUN: xdsl-opt %s -p fixed-to-dataflow | filecheck %s
// The strategy is case-insensitive:
// RUN: xdsl-opt %s -p 'fixed-to-dataflow{io-type=io_parallel reuse-factor=4 strategy=Resource}' | filecheck %s --check-prefix=RES
// A reuse factor above a layer's multiplications (6 here) is accepted (one multiplier, 6 of 100
// rounds busy); kernels without multiplications keep reuse factor 1.
// RUN: xdsl-opt %s -p 'fixed-to-dataflow{reuse-factor=100}' | filecheck %s --check-prefix=BIG

func.func @net(%x: tensor<3xf32>) -> tensor<2xf64> {
  %q = fixed.quantize %x RND SAT {layer = "x"} : tensor<3xf32> -> tensor<3x!fixed.fixed<8, 3, signed>>
  %w = fixed.constant dense<[[16, -8], [32, 4], [-48, 64]]> : tensor<3x2xi8> as tensor<3x2x!fixed.fixed<8, 3, signed>> {layer = "fc1"}
  %b = fixed.constant dense<[8, -4]> : tensor<2xi8> as tensor<2x!fixed.fixed<8, 3, signed>> {layer = "fc1"}
  %acc = fixed.dense %q, %w, %b {layer = "fc1"} : (tensor<3x!fixed.fixed<8, 3, signed>>, tensor<3x2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<19, 9, signed>>
  %h = fixed.cast %acc RND SAT {layer = "fc1"} : tensor<2x!fixed.fixed<19, 9, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
  %r = fixed.relu %h {layer = "relu/1"} : tensor<2x!fixed.fixed<8, 3, signed>>
  %r2 = fixed.relu %r : tensor<2x!fixed.fixed<8, 3, signed>>
  %r3 = fixed.relu %r2 : tensor<2x!fixed.fixed<8, 3, signed>>
  %s = fixed.add %r3, %b {layer = "net"} : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<9, 4, signed>>
  %y = fixed.dequantize %s : tensor<2x!fixed.fixed<9, 4, signed>> -> tensor<2xf64>
  func.return %y : tensor<2xf64>
}
// Kernel names are C identifiers, unique, and never the design's name: "relu/1" -> relu_1, ops
// without a layer are named after the op (relu, then relu_2 as relu_1 is taken), layer "net" ->
// net_1. The bias constant %b is used by two layers: each kernel gets its own copy.
// CHECK-LABEL:         func.func @net(%0: tensor<3x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<9, 4, signed>> attributes {dataflow.io_type = #dataflow<io_type io_parallel>, dataflow.top = "pipeline", dataflow.ii = 1 : i64} {
// CHECK-NEXT:            %1 = dataflow.kernel "fc1"(%0) reuse 1 latency {layer = "fc1"} : (tensor<3x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<8, 3, signed>> {
// CHECK-NEXT:            ^bb0(%2: tensor<3x!fixed.fixed<8, 3, signed>>):
// CHECK-NEXT{LITERAL}:     %w = fixed.constant dense<[[16, -8], [32, 4], [-48, 64]]> : tensor<3x2xi8> as tensor<3x2x!fixed.fixed<8, 3, signed>> {layer = "fc1"}
// CHECK-NEXT:              %b = fixed.constant dense<[8, -4]> : tensor<2xi8> as tensor<2x!fixed.fixed<8, 3, signed>> {layer = "fc1"}
// CHECK-NEXT:              %acc = fixed.dense %2, %w, %b {layer = "fc1"} : (tensor<3x!fixed.fixed<8, 3, signed>>, tensor<3x2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<19, 9, signed>>
// CHECK-NEXT:              %h = fixed.cast %acc RND SAT {layer = "fc1"} : tensor<2x!fixed.fixed<19, 9, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:              dataflow.yield %h : tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:            }
// CHECK-NEXT:            %2 = dataflow.kernel "relu_1"(%1) reuse 1 latency {layer = "relu/1"} : (tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<8, 3, signed>> {
// CHECK-NEXT:            ^bb0(%3: tensor<2x!fixed.fixed<8, 3, signed>>):
// CHECK-NEXT:              %r = fixed.relu %3 {layer = "relu/1"} : tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:              dataflow.yield %r : tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:            }
// CHECK-NEXT:            %3 = dataflow.kernel "relu"(%2) reuse 1 latency : (tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<8, 3, signed>> {
// CHECK-NEXT:            ^bb0(%4: tensor<2x!fixed.fixed<8, 3, signed>>):
// CHECK-NEXT:              %r2 = fixed.relu %4 : tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:              dataflow.yield %r2 : tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:            }
// CHECK-NEXT:            %4 = dataflow.kernel "relu_2"(%3) reuse 1 latency : (tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<8, 3, signed>> {
// CHECK-NEXT:            ^bb0(%5: tensor<2x!fixed.fixed<8, 3, signed>>):
// CHECK-NEXT:              %r3 = fixed.relu %5 : tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:              dataflow.yield %r3 : tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:            }
// CHECK-NEXT:            %5 = dataflow.kernel "net_1"(%4) reuse 1 latency {layer = "net"} : (tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<9, 4, signed>> {
// CHECK-NEXT:            ^bb0(%6: tensor<2x!fixed.fixed<8, 3, signed>>):
// CHECK-NEXT:              %b = fixed.constant dense<[8, -4]> : tensor<2xi8> as tensor<2x!fixed.fixed<8, 3, signed>> {layer = "fc1"}
// CHECK-NEXT:              %s = fixed.add %6, %b {layer = "net"} : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<9, 4, signed>>
// CHECK-NEXT:              dataflow.yield %s : tensor<2x!fixed.fixed<9, 4, signed>>
// CHECK-NEXT:            }
// CHECK-NEXT:            func.return %5 : tensor<2x!fixed.fixed<9, 4, signed>>
// CHECK-NEXT:          }
// CHECK-NEXT:          func.func @net_host(%0: tensor<3xf32>) -> tensor<2xf64> {
// CHECK-NEXT:            %q = fixed.quantize %0 RND SAT {layer = "x"} : tensor<3xf32> -> tensor<3x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:            %1 = func.call @net(%q) : (tensor<3x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<9, 4, signed>>
// CHECK-NEXT:            %y = fixed.dequantize %1 : tensor<2x!fixed.fixed<9, 4, signed>> -> tensor<2xf64>
// CHECK-NEXT:            func.return %y : tensor<2xf64>
// CHECK-NEXT:          }

// A kernel with the resource strategy makes the top a DATAFLOW region; else it pipelines at the
// largest reuse factor (100 in the third run).
// RES-LABEL: func.func @net(
// RES-SAME:    attributes {dataflow.io_type = #dataflow<io_type io_parallel>, dataflow.top = "dataflow"} {
// RES-NEXT:    dataflow.kernel "fc1"(%0) reuse 4 resource {layer = "fc1"}
// RES:         dataflow.kernel "relu_1"(%1) reuse 1 resource {layer = "relu/1"}
// RES:         dataflow.kernel "relu"(%2) reuse 1 resource :
// RES:         dataflow.kernel "relu_2"(%3) reuse 1 resource :
// RES:         dataflow.kernel "net_1"(%4) reuse 1 resource {layer = "net"}
// RES-LABEL: func.func @net_host(

// BIG-LABEL: func.func @net(
// BIG-SAME:    attributes {dataflow.io_type = #dataflow<io_type io_parallel>, dataflow.top = "pipeline", dataflow.ii = 100 : i64} {
// BIG-NEXT:    dataflow.kernel "fc1"(%0) reuse 100 latency {layer = "fc1"}
// BIG:         dataflow.kernel "relu_1"(%1) reuse 1 latency {layer = "relu/1"}

func.func @two(%a: tensor<2xf32>, %b: tensor<1x2xf32>) -> (tensor<2xf64>, tensor<1x2xf32>) {
  %qa = fixed.quantize %a TRN_ZERO SAT_ZERO {layer = "a"} : tensor<2xf32> -> tensor<2x!fixed.fixed<6, 2, signed>>
  %qb = fixed.quantize %b TRN WRAP {layer = "b"} : tensor<1x2xf32> -> tensor<1x2x!fixed.fixed<6, 2, unsigned>>
  %m = fixed.mul %qa, %qb {layer = "mix"} : (tensor<2x!fixed.fixed<6, 2, signed>>, tensor<1x2x!fixed.fixed<6, 2, unsigned>>) -> tensor<1x2x!fixed.fixed<12, 4, signed>>
  %c = fixed.cast %m RND SAT {layer = "mix"} : tensor<1x2x!fixed.fixed<12, 4, signed>> -> tensor<1x2x!fixed.fixed<6, 2, signed>>
  %p = fixed.reduce_max %c axis 1 {layer = "mix"} : tensor<1x2x!fixed.fixed<6, 2, signed>> -> tensor<1x1x!fixed.fixed<6, 2, signed>>
  %d = fixed.sub %c, %p {layer = "norm"} : (tensor<1x2x!fixed.fixed<6, 2, signed>>, tensor<1x1x!fixed.fixed<6, 2, signed>>) -> tensor<1x2x!fixed.fixed<7, 3, signed>>
  %y0 = fixed.dequantize %qa : tensor<2x!fixed.fixed<6, 2, signed>> -> tensor<2xf64>
  %y1 = fixed.dequantize %d : tensor<1x2x!fixed.fixed<7, 3, signed>> -> tensor<1x2xf32>
  func.return %y0, %y1 : tensor<2xf64>, tensor<1x2xf32>
}
// Two inputs, two outputs: the "mix" group yields the two values the next layer reads (one kernel
// with two results); an input returned as is becomes a device result directly. A fixed.mul is not
// a multiplication the reuse factor divides: "mix" keeps reuse factor 1 under RES.
// CHECK-LABEL: func.func @two(%0: tensor<2x!fixed.fixed<6, 2, signed>>, %1: tensor<1x2x!fixed.fixed<6, 2, unsigned>>) -> (tensor<2x!fixed.fixed<6, 2, signed>>, tensor<1x2x!fixed.fixed<7, 3, signed>>) attributes {dataflow.io_type = #dataflow<io_type io_parallel>, dataflow.top = "pipeline", dataflow.ii = 1 : i64} {
// CHECK-NEXT:    %2, %3 = dataflow.kernel "mix"(%0, %1) reuse 1 latency {layer = "mix"} : (tensor<2x!fixed.fixed<6, 2, signed>>, tensor<1x2x!fixed.fixed<6, 2, unsigned>>) -> (tensor<1x2x!fixed.fixed<6, 2, signed>>, tensor<1x1x!fixed.fixed<6, 2, signed>>) {
// CHECK-NEXT:    ^bb0(%4: tensor<2x!fixed.fixed<6, 2, signed>>, %5: tensor<1x2x!fixed.fixed<6, 2, unsigned>>):
// CHECK-NEXT:      %m = fixed.mul %4, %5 {layer = "mix"} : (tensor<2x!fixed.fixed<6, 2, signed>>, tensor<1x2x!fixed.fixed<6, 2, unsigned>>) -> tensor<1x2x!fixed.fixed<12, 4, signed>>
// CHECK-NEXT:      %c = fixed.cast %m RND SAT {layer = "mix"} : tensor<1x2x!fixed.fixed<12, 4, signed>> -> tensor<1x2x!fixed.fixed<6, 2, signed>>
// CHECK-NEXT:      %p = fixed.reduce_max %c axis 1 {layer = "mix"} : tensor<1x2x!fixed.fixed<6, 2, signed>> -> tensor<1x1x!fixed.fixed<6, 2, signed>>
// CHECK-NEXT:      dataflow.yield %c, %p : tensor<1x2x!fixed.fixed<6, 2, signed>>, tensor<1x1x!fixed.fixed<6, 2, signed>>
// CHECK-NEXT:    }
// CHECK-NEXT:    %4 = dataflow.kernel "norm"(%2, %3) reuse 1 latency {layer = "norm"} : (tensor<1x2x!fixed.fixed<6, 2, signed>>, tensor<1x1x!fixed.fixed<6, 2, signed>>) -> tensor<1x2x!fixed.fixed<7, 3, signed>> {
// CHECK-NEXT:    ^bb0(%5: tensor<1x2x!fixed.fixed<6, 2, signed>>, %6: tensor<1x1x!fixed.fixed<6, 2, signed>>):
// CHECK-NEXT:      %d = fixed.sub %5, %6 {layer = "norm"} : (tensor<1x2x!fixed.fixed<6, 2, signed>>, tensor<1x1x!fixed.fixed<6, 2, signed>>) -> tensor<1x2x!fixed.fixed<7, 3, signed>>
// CHECK-NEXT:      dataflow.yield %d : tensor<1x2x!fixed.fixed<7, 3, signed>>
// CHECK-NEXT:    }
// CHECK-NEXT:    func.return %0, %4 : tensor<2x!fixed.fixed<6, 2, signed>>, tensor<1x2x!fixed.fixed<7, 3, signed>>
// CHECK-NEXT:  }
// CHECK-NEXT:  func.func @two_host(%0: tensor<2xf32>, %1: tensor<1x2xf32>) -> (tensor<2xf64>, tensor<1x2xf32>) {
// CHECK-NEXT:    %qa = fixed.quantize %0 TRN_ZERO SAT_ZERO {layer = "a"} : tensor<2xf32> -> tensor<2x!fixed.fixed<6, 2, signed>>
// CHECK-NEXT:    %qb = fixed.quantize %1 TRN WRAP {layer = "b"} : tensor<1x2xf32> -> tensor<1x2x!fixed.fixed<6, 2, unsigned>>
// CHECK-NEXT:    %2, %3 = func.call @two(%qa, %qb) : (tensor<2x!fixed.fixed<6, 2, signed>>, tensor<1x2x!fixed.fixed<6, 2, unsigned>>) -> (tensor<2x!fixed.fixed<6, 2, signed>>, tensor<1x2x!fixed.fixed<7, 3, signed>>)
// CHECK-NEXT:    %y0 = fixed.dequantize %2 : tensor<2x!fixed.fixed<6, 2, signed>> -> tensor<2xf64>
// CHECK-NEXT:    %y1 = fixed.dequantize %3 : tensor<1x2x!fixed.fixed<7, 3, signed>> -> tensor<1x2xf32>
// CHECK-NEXT:    func.return %y0, %y1 : tensor<2xf64>, tensor<1x2xf32>
// CHECK-NEXT:  }

// RES-LABEL: func.func @two(
// RES-NEXT:    dataflow.kernel "mix"(%0, %1) reuse 1 resource {layer = "mix"}
