// plan-streams: how each kernel of an io_stream design handles its packets (one per position, all
// channels), recorded as `stream` on the kernel, with its region in the form the hardware computes.
// The input is nn-to-fixed's output of a small CNN (1x1 conv, relu, 3x3 conv with padding, 2x2 max
// pool, a softmax over the channels and a flatten into a dense layer, the pool read twice).
// RUN: xdsl-opt %s -p 'fixed-to-dataflow{io-type=io_stream},plan-streams' | filecheck %s
// io_parallel designs are left alone: no kernel gets a stream kind.
// RUN: xdsl-opt %s -p 'fixed-to-dataflow,plan-streams' | filecheck %s --check-prefix=PAR

func.func @net(%x: tensor<4x4x2xf32>) -> (tensor<3xf64>, tensor<2x2x3xf64>) {
  %0 = fixed.quantize %x TRN WRAP {layer = "x"} : tensor<4x4x2xf32> -> tensor<4x4x2x!fixed.fixed<8, 3, signed>>
  %p = fixed.constant dense<[[[[16, -8, 32], [24, 16, -32]]]]> : tensor<1x1x2x3xi8> as tensor<1x1x2x3x!fixed.fixed<8, 3, signed>> {layer = "point", layer_type = "Conv", error = 0.000000e+00 : f64}
  %p_1 = fixed.conv %0, %p {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1 : i64, layer = "point", layer_type = "Conv"} : (tensor<4x4x2x!fixed.fixed<8, 3, signed>>, tensor<1x1x2x3x!fixed.fixed<8, 3, signed>>) -> tensor<4x4x3x!fixed.fixed<17, 7, signed>>
  %p_2 = fixed.cast %p_1 TRN WRAP {layer = "point", layer_type = "Conv"} : tensor<4x4x3x!fixed.fixed<17, 7, signed>> -> tensor<4x4x3x!fixed.fixed<8, 3, signed>>
  %r = fixed.relu %p_2 {layer = "relu", layer_type = "ReLU"} : tensor<4x4x3x!fixed.fixed<8, 3, signed>>
  %c = fixed.constant dense<8> : tensor<3x3x3x3xi8> as tensor<3x3x3x3x!fixed.fixed<8, 3, signed>> {layer = "conv", layer_type = "Conv", error = 0.000000e+00 : f64}
  %c_1 = fixed.constant dense<[16, -16, 8]> : tensor<3xi8> as tensor<3x!fixed.fixed<8, 3, signed>> {layer = "conv", layer_type = "Conv", error = 0.000000e+00 : f64}
  %c_2 = fixed.conv %r, %c, %c_1 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, groups = 1 : i64, layer = "conv", layer_type = "Conv"} : (tensor<4x4x3x!fixed.fixed<8, 3, signed>>, tensor<3x3x3x3x!fixed.fixed<8, 3, signed>>, tensor<3x!fixed.fixed<8, 3, signed>>) -> tensor<4x4x3x!fixed.fixed<22, 12, signed>>
  %c_3 = fixed.cast %c_2 TRN WRAP {layer = "conv", layer_type = "Conv"} : tensor<4x4x3x!fixed.fixed<22, 12, signed>> -> tensor<4x4x3x!fixed.fixed<8, 3, signed>>
  %m = fixed.max_pool %c_3 {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, layer = "pool", layer_type = "Pooling"} : tensor<4x4x3x!fixed.fixed<8, 3, signed>> -> tensor<2x2x3x!fixed.fixed<8, 3, signed>>
  %s = fixed.reduce_max %m axis 2 {layer = "softmax", layer_type = "Softmax"} : tensor<2x2x3x!fixed.fixed<8, 3, signed>> -> tensor<2x2x1x!fixed.fixed<8, 3, signed>>
  %s_1 = fixed.sub %m, %s {layer = "softmax", layer_type = "Softmax"} : (tensor<2x2x3x!fixed.fixed<8, 3, signed>>, tensor<2x2x1x!fixed.fixed<8, 3, signed>>) -> tensor<2x2x3x!fixed.fixed<9, 4, signed>>
  %s_2 = fixed.lookup "exp" %s_1 offset -160 : i64 index !fixed.fixed<3, 3, unsigned> table dense<[1186, 4363, 11859, 32237, 87629, 131072, 131072, 131072]> : tensor<8xi32> infer {layer = "softmax", layer_type = "Softmax", domain = array<f64: -4.1588830833596715, 3.125000e-02>} : tensor<2x2x3x!fixed.fixed<9, 4, signed>> -> tensor<2x2x3x!fixed.fixed<18, 1, unsigned>>
  %s_3 = fixed.reduce_sum %s_2 axis 2 {layer = "softmax", layer_type = "Softmax"} : tensor<2x2x3x!fixed.fixed<18, 1, unsigned>> -> tensor<2x2x1x!fixed.fixed<20, 3, unsigned>>
  %s_4 = fixed.lookup "reciprocal" %s_3 offset 131072 : i64 index !fixed.fixed<3, 1, unsigned> table dense<[235930, 192239, 162280, 140435, 123790, 110683, 100091, 91353]> : tensor<8xi32> infer {layer = "softmax", layer_type = "Softmax", domain = array<f64: 1.000000e+00, 3.000000e+00>} : tensor<2x2x1x!fixed.fixed<20, 3, unsigned>> -> tensor<2x2x1x!fixed.fixed<18, 0, unsigned>>
  %s_5 = fixed.mul %s_2, %s_4 {layer = "softmax", layer_type = "Softmax"} : (tensor<2x2x3x!fixed.fixed<18, 1, unsigned>>, tensor<2x2x1x!fixed.fixed<18, 0, unsigned>>) -> tensor<2x2x3x!fixed.fixed<36, 1, unsigned>>
  %s_6 = fixed.cast %s_5 TRN WRAP {layer = "softmax", layer_type = "Softmax"} : tensor<2x2x3x!fixed.fixed<36, 1, unsigned>> -> tensor<2x2x3x!fixed.fixed<8, 3, signed>>
  %f = layout.reshape %m {layer = "flatten"} : tensor<2x2x3x!fixed.fixed<8, 3, signed>> -> tensor<12x!fixed.fixed<8, 3, signed>>
  %d = fixed.constant dense<4> : tensor<12x3xi8> as tensor<12x3x!fixed.fixed<8, 3, signed>> {layer = "fc", layer_type = "Dense", error = 0.000000e+00 : f64}
  %d_1 = fixed.dense %f, %d {layer = "fc", layer_type = "Dense"} : (tensor<12x!fixed.fixed<8, 3, signed>>, tensor<12x3x!fixed.fixed<8, 3, signed>>) -> tensor<3x!fixed.fixed<20, 10, signed>>
  %d_2 = fixed.cast %d_1 TRN WRAP {layer = "fc", layer_type = "Dense"} : tensor<3x!fixed.fixed<20, 10, signed>> -> tensor<3x!fixed.fixed<8, 3, signed>>
  %1 = fixed.dequantize %d_2 : tensor<3x!fixed.fixed<8, 3, signed>> -> tensor<3xf64>
  %2 = fixed.dequantize %s_6 : tensor<2x2x3x!fixed.fixed<8, 3, signed>> -> tensor<2x2x3xf64>
  func.return %1, %2 : tensor<3xf64>, tensor<2x2x3xf64>
}

// point: a 1x1 convolution and its cast act on each position alone: a pixel kernel whose region is
// ONE position, the convolution a dense layer over the channels (weights [1, 1, 2, 3] as [2, 3]).
// CHECK-LABEL: func.func @net(
// CHECK-SAME:    attributes {dataflow.io_type = #dataflow<io_type io_stream>, dataflow.top = "dataflow"} {
// CHECK-NEXT:    %1 = dataflow.kernel "point"(%0) reuse 1 latency {layer = "point", layer_type = "Conv", stream = "pixel"} : (tensor<4x4x2x!fixed.fixed<8, 3, signed>>) -> tensor<4x4x3x!fixed.fixed<8, 3, signed>> {
// CHECK-NEXT:    ^bb0(%2: tensor<2x!fixed.fixed<8, 3, signed>>):
// CHECK-NEXT{LITERAL}: %p = fixed.constant dense<[[16, -8, 32], [24, 16, -32]]> : tensor<2x3xi8> as tensor<2x3x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:      %3 = fixed.dense %2, %p {layer = "point", layer_type = "Conv"} : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x3x!fixed.fixed<8, 3, signed>>) -> tensor<3x!fixed.fixed<17, 7, signed>>
// CHECK-NEXT:      %p_1 = fixed.cast %3 TRN WRAP {layer = "point", layer_type = "Conv"} : tensor<3x!fixed.fixed<17, 7, signed>> -> tensor<3x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:      dataflow.yield %p_1 : tensor<3x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:    }
// CHECK-NEXT:    %2 = dataflow.kernel "relu"(%1) reuse 1 latency {layer = "relu", layer_type = "ReLU", stream = "pixel"}
// CHECK-NEXT:    ^bb0(%3: tensor<3x!fixed.fixed<8, 3, signed>>):
// CHECK-NEXT:      %r = fixed.relu %3 {layer = "relu", layer_type = "ReLU"} : tensor<3x!fixed.fixed<8, 3, signed>>

// conv: a 3x3 window with padding 1 over 4x4 positions: a window kernel. Output (i, j) needs input
// (min(i + 1, 3), min(j + 1, 3)): output 0 can be written after input 5 is read (step 5), so the
// outputs trail the reads by 5 steps and the 16th leaves at step 20: 21 steps. Its window reads rows
// i - 1 .. i + 1 while the newest row read is (i + 2) or later: 4 rows (the span 3, plus one for the
// outputs trailing the reads). The cast after the convolution is the nested per-position kernel.
// CHECK:         %3 = dataflow.kernel "conv"(%2) reuse 1 latency {layer = "conv", layer_type = "Conv", stream = "window", steps = 21 : i64, line_buffer_rows = 4 : i64}
// CHECK:           %c_2 = fixed.conv %4, %c, %c_1 {
// CHECK-NEXT:      %5 = dataflow.kernel "conv_position"(%c_2) reuse 1 latency {layer = "conv", layer_type = "Conv", stream = "pixel"} : (tensor<4x4x3x!fixed.fixed<22, 12, signed>>) -> tensor<4x4x3x!fixed.fixed<8, 3, signed>> {
// CHECK-NEXT:      ^bb0(%6: tensor<3x!fixed.fixed<22, 12, signed>>):
// CHECK-NEXT:        %c_3 = fixed.cast %6 TRN WRAP {layer = "conv", layer_type = "Conv"} : tensor<3x!fixed.fixed<22, 12, signed>> -> tensor<3x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:        dataflow.yield %c_3 : tensor<3x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:      }
// CHECK-NEXT:      dataflow.yield %5 : tensor<4x4x3x!fixed.fixed<8, 3, signed>>

// pool: 2x2 windows of stride 2: output (i, j) after input (2i + 1, 2j + 1): 16 steps (the inputs),
// 2 rows; nothing after the window, so no nested kernel.
// CHECK:         %4 = dataflow.kernel "pool"(%3) reuse 1 latency {layer = "pool", layer_type = "Pooling", stream = "window", steps = 16 : i64, line_buffer_rows = 2 : i64}
// CHECK-NEXT:    ^bb0(%5: tensor<4x4x3x!fixed.fixed<8, 3, signed>>):
// CHECK-NEXT:      %m = fixed.max_pool %5
// CHECK-NEXT:      dataflow.yield %m

// The pool's result has two readers: a fork, one stream each.
// CHECK:         %5, %6 = dataflow.kernel "fork"(%4) reuse 1 latency {stream = "fork"}

// softmax over the channels (axis 2 of [2, 2, 3]) is per position: its reductions take axis 0 of a
// packet.
// CHECK:         %7 = dataflow.kernel "softmax"(%5) reuse 1 latency {layer = "softmax", layer_type = "Softmax", stream = "pixel"}
// CHECK-NEXT:    ^bb0(%8: tensor<3x!fixed.fixed<8, 3, signed>>):
// CHECK-NEXT:      %s = fixed.reduce_max %8 axis 0 {layer = "softmax", layer_type = "Softmax"} : tensor<3x!fixed.fixed<8, 3, signed>> -> tensor<1x!fixed.fixed<8, 3, signed>>
// CHECK:           %s_3 = fixed.reduce_sum %s_2 axis 0

// A flatten reorders the whole tensor: a buffer kernel, unchanged. The dense layer after it reads a
// rank-1 stream (one packet): a pixel kernel of one position.
// CHECK:         %8 = dataflow.kernel "flatten"(%6) reuse 1 latency {layer = "flatten", stream = "buffer"}
// CHECK-NEXT:    ^bb0(%9: tensor<2x2x3x!fixed.fixed<8, 3, signed>>):
// CHECK-NEXT:      %f = layout.reshape %9
// CHECK:         %9 = dataflow.kernel "fc"(%8) reuse 1 latency {layer = "fc", layer_type = "Dense", stream = "pixel"}
// CHECK-NEXT:    ^bb0(%10: tensor<12x!fixed.fixed<8, 3, signed>>):

// PAR-LABEL: func.func @net(
// PAR-NOT:     stream =
// PAR-LABEL: func.func @net_host(
