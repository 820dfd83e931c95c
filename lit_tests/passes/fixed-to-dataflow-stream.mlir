// fixed-to-dataflow{io-type=io_stream}: the same kernels as io_parallel (one per layer), joined by
// streams; a stream has one reader, so a value read more than once (by kernels, or by a kernel and
// the design's outputs) goes through a fork kernel that copies it into one stream per use
// (`fork`, `fork_1`, ...: names unique like kernel names). A fork of a design input comes first; a
// fork of a kernel's result right after that kernel. Fork outputs go to the readers in program order
// (the design's return last). At the edges, the transpose of a channels-first input (the only
// reader of its quantize) and the transpose before an output (its only reader) run on the host.
// RUN: xdsl-opt %s -p 'fixed-to-dataflow{io-type=io_stream}' | filecheck %s
// io_parallel: no forks, a value is an array any kernel may read.
// RUN: xdsl-opt %s -p fixed-to-dataflow | filecheck %s --check-prefix=PAR

func.func @net(%a: tensor<2x2x3xf32>, %b: tensor<2x3x2xf32>) -> (tensor<2x3x2xf64>, tensor<2x3x2xf64>, tensor<2x2x3xf64>) {
  %qa = fixed.quantize %a RND SAT {layer = "a"} : tensor<2x2x3xf32> -> tensor<2x2x3x!fixed.fixed<8, 3, signed>>
  %ta = layout.transpose %qa {perm = array<i64: 1, 2, 0>, layer = "a"} : tensor<2x2x3x!fixed.fixed<8, 3, signed>> -> tensor<2x3x2x!fixed.fixed<8, 3, signed>>
  %qb = fixed.quantize %b RND SAT {layer = "b"} : tensor<2x3x2xf32> -> tensor<2x3x2x!fixed.fixed<8, 3, signed>>
  %r = fixed.relu %ta {layer = "relu"} : tensor<2x3x2x!fixed.fixed<8, 3, signed>>
  %s = fixed.add %r, %qb {layer = "merge"} : (tensor<2x3x2x!fixed.fixed<8, 3, signed>>, tensor<2x3x2x!fixed.fixed<8, 3, signed>>) -> tensor<2x3x2x!fixed.fixed<9, 4, signed>>
  %sc = fixed.cast %s RND SAT {layer = "merge"} : tensor<2x3x2x!fixed.fixed<9, 4, signed>> -> tensor<2x3x2x!fixed.fixed<8, 3, signed>>
  %m = fixed.mul %r, %qb {layer = "scale"} : (tensor<2x3x2x!fixed.fixed<8, 3, signed>>, tensor<2x3x2x!fixed.fixed<8, 3, signed>>) -> tensor<2x3x2x!fixed.fixed<16, 6, signed>>
  %mc = fixed.cast %m RND SAT {layer = "scale"} : tensor<2x3x2x!fixed.fixed<16, 6, signed>> -> tensor<2x3x2x!fixed.fixed<8, 3, signed>>
  %t = layout.transpose %mc {perm = array<i64: 2, 0, 1>, layer = "out"} : tensor<2x3x2x!fixed.fixed<8, 3, signed>> -> tensor<2x2x3x!fixed.fixed<8, 3, signed>>
  %y0 = fixed.dequantize %sc : tensor<2x3x2x!fixed.fixed<8, 3, signed>> -> tensor<2x3x2xf64>
  %y1 = fixed.dequantize %r : tensor<2x3x2x!fixed.fixed<8, 3, signed>> -> tensor<2x3x2xf64>
  %y2 = fixed.dequantize %t : tensor<2x2x3x!fixed.fixed<8, 3, signed>> -> tensor<2x2x3xf64>
  func.return %y0, %y1, %y2 : tensor<2x3x2xf64>, tensor<2x3x2xf64>, tensor<2x2x3xf64>
}
// b (%1) is read by `merge` and `scale`: `fork` (2 copies, the first to merge, the second to scale)
// is the design's first kernel. relu's result is read by merge, scale and the second output:
// `fork_1` (3 copies: merge, scale, output) follows relu.
// CHECK-LABEL: func.func @net(%0: tensor<2x3x2x!fixed.fixed<8, 3, signed>>, %1: tensor<2x3x2x!fixed.fixed<8, 3, signed>>) -> (tensor<2x3x2x!fixed.fixed<8, 3, signed>>, tensor<2x3x2x!fixed.fixed<8, 3, signed>>, tensor<2x3x2x!fixed.fixed<8, 3, signed>>) attributes {dataflow.io_type = #dataflow<io_type io_stream>, dataflow.top = "dataflow"} {
// CHECK-NEXT:   %2, %3 = dataflow.kernel "fork"(%1) reuse 1 latency : (tensor<2x3x2x!fixed.fixed<8, 3, signed>>) -> (tensor<2x3x2x!fixed.fixed<8, 3, signed>>, tensor<2x3x2x!fixed.fixed<8, 3, signed>>) {
// CHECK-NEXT:   ^bb0(%4: tensor<2x3x2x!fixed.fixed<8, 3, signed>>):
// CHECK-NEXT:   dataflow.yield %4, %4 : tensor<2x3x2x!fixed.fixed<8, 3, signed>>, tensor<2x3x2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   }
// CHECK-NEXT:   %4 = dataflow.kernel "relu"(%0) reuse 1 latency {layer = "relu"} : (tensor<2x3x2x!fixed.fixed<8, 3, signed>>) -> tensor<2x3x2x!fixed.fixed<8, 3, signed>> {
// CHECK-NEXT:   ^bb0(%5: tensor<2x3x2x!fixed.fixed<8, 3, signed>>):
// CHECK-NEXT:   %r = fixed.relu %5 {layer = "relu"} : tensor<2x3x2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   dataflow.yield %r : tensor<2x3x2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   }
// CHECK-NEXT:   %5, %6, %7 = dataflow.kernel "fork_1"(%4) reuse 1 latency : (tensor<2x3x2x!fixed.fixed<8, 3, signed>>) -> (tensor<2x3x2x!fixed.fixed<8, 3, signed>>, tensor<2x3x2x!fixed.fixed<8, 3, signed>>, tensor<2x3x2x!fixed.fixed<8, 3, signed>>) {
// CHECK-NEXT:   ^bb0(%8: tensor<2x3x2x!fixed.fixed<8, 3, signed>>):
// CHECK-NEXT:   dataflow.yield %8, %8, %8 : tensor<2x3x2x!fixed.fixed<8, 3, signed>>, tensor<2x3x2x!fixed.fixed<8, 3, signed>>, tensor<2x3x2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   }
// CHECK-NEXT:   %8 = dataflow.kernel "merge"(%5, %2) reuse 1 latency {layer = "merge"} : (tensor<2x3x2x!fixed.fixed<8, 3, signed>>, tensor<2x3x2x!fixed.fixed<8, 3, signed>>) -> tensor<2x3x2x!fixed.fixed<8, 3, signed>> {
// CHECK-NEXT:   ^bb0(%9: tensor<2x3x2x!fixed.fixed<8, 3, signed>>, %10: tensor<2x3x2x!fixed.fixed<8, 3, signed>>):
// CHECK-NEXT:   %s = fixed.add %9, %10 {layer = "merge"} : (tensor<2x3x2x!fixed.fixed<8, 3, signed>>, tensor<2x3x2x!fixed.fixed<8, 3, signed>>) -> tensor<2x3x2x!fixed.fixed<9, 4, signed>>
// CHECK-NEXT:   %sc = fixed.cast %s RND SAT {layer = "merge"} : tensor<2x3x2x!fixed.fixed<9, 4, signed>> -> tensor<2x3x2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   dataflow.yield %sc : tensor<2x3x2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   }
// CHECK-NEXT:   %9 = dataflow.kernel "scale"(%6, %3) reuse 1 latency {layer = "scale"} : (tensor<2x3x2x!fixed.fixed<8, 3, signed>>, tensor<2x3x2x!fixed.fixed<8, 3, signed>>) -> tensor<2x3x2x!fixed.fixed<8, 3, signed>> {
// CHECK-NEXT:   ^bb0(%10: tensor<2x3x2x!fixed.fixed<8, 3, signed>>, %11: tensor<2x3x2x!fixed.fixed<8, 3, signed>>):
// CHECK-NEXT:   %m = fixed.mul %10, %11 {layer = "scale"} : (tensor<2x3x2x!fixed.fixed<8, 3, signed>>, tensor<2x3x2x!fixed.fixed<8, 3, signed>>) -> tensor<2x3x2x!fixed.fixed<16, 6, signed>>
// CHECK-NEXT:   %mc = fixed.cast %m RND SAT {layer = "scale"} : tensor<2x3x2x!fixed.fixed<16, 6, signed>> -> tensor<2x3x2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   dataflow.yield %mc : tensor<2x3x2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %8, %7, %9 : tensor<2x3x2x!fixed.fixed<8, 3, signed>>, tensor<2x3x2x!fixed.fixed<8, 3, signed>>, tensor<2x3x2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:  }
// The host quantizes both inputs, transposes a to channels-last, calls the design, and transposes
// the third output back before its dequantize.
// CHECK-LABEL: func.func @net_host(%0: tensor<2x2x3xf32>, %1: tensor<2x3x2xf32>) -> (tensor<2x3x2xf64>, tensor<2x3x2xf64>, tensor<2x2x3xf64>) {
// CHECK-NEXT:   %qa = fixed.quantize %0 RND SAT {layer = "a"} : tensor<2x2x3xf32> -> tensor<2x2x3x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %ta = layout.transpose %qa {perm = array<i64: 1, 2, 0>, layer = "a"} : tensor<2x2x3x!fixed.fixed<8, 3, signed>> -> tensor<2x3x2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %qb = fixed.quantize %1 RND SAT {layer = "b"} : tensor<2x3x2xf32> -> tensor<2x3x2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %2, %3, %4 = func.call @net(%ta, %qb) : (tensor<2x3x2x!fixed.fixed<8, 3, signed>>, tensor<2x3x2x!fixed.fixed<8, 3, signed>>) -> (tensor<2x3x2x!fixed.fixed<8, 3, signed>>, tensor<2x3x2x!fixed.fixed<8, 3, signed>>, tensor<2x3x2x!fixed.fixed<8, 3, signed>>)
// CHECK-NEXT:   %y0 = fixed.dequantize %2 : tensor<2x3x2x!fixed.fixed<8, 3, signed>> -> tensor<2x3x2xf64>
// CHECK-NEXT:   %y1 = fixed.dequantize %3 : tensor<2x3x2x!fixed.fixed<8, 3, signed>> -> tensor<2x3x2xf64>
// CHECK-NEXT:   %t = layout.transpose %4 {perm = array<i64: 2, 0, 1>, layer = "out"} : tensor<2x3x2x!fixed.fixed<8, 3, signed>> -> tensor<2x2x3x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %y2 = fixed.dequantize %t : tensor<2x2x3x!fixed.fixed<8, 3, signed>> -> tensor<2x2x3xf64>
// CHECK-NEXT:   func.return %y0, %y1, %y2 : tensor<2x3x2xf64>, tensor<2x3x2xf64>, tensor<2x2x3xf64>
// CHECK-NEXT:  }

// PAR checks: the same kernels, reading relu's result and b directly.
// PAR-LABEL: func.func @net(
// PAR-SAME:    attributes {dataflow.io_type = #dataflow<io_type io_parallel>, dataflow.top = "pipeline", dataflow.ii = 1 : i64} {
// PAR-NEXT:    %2 = dataflow.kernel "relu"(%0) reuse 1 latency {layer = "relu"} :
// PAR:         %3 = dataflow.kernel "merge"(%2, %1) reuse 1 latency {layer = "merge"} :
// PAR:         %4 = dataflow.kernel "scale"(%2, %1) reuse 1 latency {layer = "scale"} :
// PAR:         func.return %3, %2, %4 :
// PAR-LABEL: func.func @net_host(
