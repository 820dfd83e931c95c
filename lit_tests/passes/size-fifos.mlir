// size-fifos: the depth of every FIFO of an io_stream design, from the kernels' schedules
// (lowering/streaming.py): input packets (one per position) arrive one per cycle from cycle 0; a
// kernel reads at most one packet per cycle, as soon as it is there (a kernel with two inputs
// reads both packets of a position together); it writes
//   - pixel and fork kernels: each packet 1 cycle after reading its input packet;
//   - window kernels (a conv or pool first): each output 1 cycle after the last input its window
//     reads, at most one per cycle;
//   - buffer kernels: after the last input packet, one packet per cycle.
// A FIFO's depth is (the most packets written and not yet read, a read in the same cycle counting
// as done) + 1, at least 2; a design output's FIFO gets 2. `dataflow.latency` is the cycle the
// last output packet leaves, plus one. io_parallel designs are left alone.
// The input is what fixed-to-dataflow{io-type=io_stream} makes of three small designs; plan-streams
// gives each kernel its stream kind (the schedule follows it) first.
// RUN: xdsl-opt %s -p plan-streams,size-fifos | filecheck %s

func.func @chain(%0: tensor<4x4x1x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<28, 13, signed>> attributes {dataflow.io_type = #dataflow<io_type io_stream>} {
  %1 = dataflow.kernel "conv1"(%0) reuse 1 latency {layer = "conv1"} : (tensor<4x4x1x!fixed.fixed<8, 3, signed>>) -> tensor<3x3x1x!fixed.fixed<8, 3, signed>> {
  ^bb0(%2: tensor<4x4x1x!fixed.fixed<8, 3, signed>>):
    %w1 = fixed.constant dense<[[[[16]], [[8]]], [[[-8]], [[4]]]]> : tensor<2x2x1x1xi8> as tensor<2x2x1x1x!fixed.fixed<8, 3, signed>> {layer = "conv1"}
    %c1 = fixed.conv %2, %w1 {layer = "conv1", strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1 : i64} : (tensor<4x4x1x!fixed.fixed<8, 3, signed>>, tensor<2x2x1x1x!fixed.fixed<8, 3, signed>>) -> tensor<3x3x1x!fixed.fixed<18, 8, signed>>
    %h1 = fixed.cast %c1 RND SAT {layer = "conv1"} : tensor<3x3x1x!fixed.fixed<18, 8, signed>> -> tensor<3x3x1x!fixed.fixed<8, 3, signed>>
    dataflow.yield %h1 : tensor<3x3x1x!fixed.fixed<8, 3, signed>>
  }
  %2 = dataflow.kernel "conv2"(%1) reuse 1 latency {layer = "conv2"} : (tensor<3x3x1x!fixed.fixed<8, 3, signed>>) -> tensor<2x2x1x!fixed.fixed<18, 8, signed>> {
  ^bb0(%3: tensor<3x3x1x!fixed.fixed<8, 3, signed>>):
    %w2 = fixed.constant dense<[[[[8]], [[-16]]], [[[4]], [[8]]]]> : tensor<2x2x1x1xi8> as tensor<2x2x1x1x!fixed.fixed<8, 3, signed>> {layer = "conv2"}
    %c2 = fixed.conv %3, %w2 {layer = "conv2", strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1 : i64} : (tensor<3x3x1x!fixed.fixed<8, 3, signed>>, tensor<2x2x1x1x!fixed.fixed<8, 3, signed>>) -> tensor<2x2x1x!fixed.fixed<18, 8, signed>>
    dataflow.yield %c2 : tensor<2x2x1x!fixed.fixed<18, 8, signed>>
  }
  %3 = dataflow.kernel "fc"(%2) reuse 1 latency {layer = "fc"} : (tensor<2x2x1x!fixed.fixed<18, 8, signed>>) -> tensor<2x!fixed.fixed<28, 13, signed>> {
  ^bb0(%4: tensor<2x2x1x!fixed.fixed<18, 8, signed>>):
    %f = layout.reshape %4 {layer = "fc"} : tensor<2x2x1x!fixed.fixed<18, 8, signed>> -> tensor<4x!fixed.fixed<18, 8, signed>>
    %wd = fixed.constant dense<[[8, -8], [16, 0], [-4, 4], [2, 32]]> : tensor<4x2xi8> as tensor<4x2x!fixed.fixed<8, 3, signed>> {layer = "fc"}
    %d = fixed.dense %f, %wd {layer = "fc"} : (tensor<4x!fixed.fixed<18, 8, signed>>, tensor<4x2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<28, 13, signed>>
    dataflow.yield %d : tensor<2x!fixed.fixed<28, 13, signed>>
  }
  func.return %3 : tensor<2x!fixed.fixed<28, 13, signed>>
}
func.func @chain_host(%0: tensor<4x4x1xf32>) -> tensor<2xf64> {
  %x = fixed.quantize %0 TRN WRAP {layer = "x"} : tensor<4x4x1xf32> -> tensor<4x4x1x!fixed.fixed<8, 3, signed>>
  %1 = func.call @chain(%x) : (tensor<4x4x1x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<28, 13, signed>>
  %y = fixed.dequantize %1 : tensor<2x!fixed.fixed<28, 13, signed>> -> tensor<2xf64>
  func.return %y : tensor<2xf64>
}
func.func @skip(%0: tensor<4x4x1x!fixed.fixed<8, 3, signed>>) -> tensor<4x4x1x!fixed.fixed<9, 4, signed>> attributes {dataflow.io_type = #dataflow<io_type io_stream>} {
  %1, %2 = dataflow.kernel "fork"(%0) reuse 1 latency : (tensor<4x4x1x!fixed.fixed<8, 3, signed>>) -> (tensor<4x4x1x!fixed.fixed<8, 3, signed>>, tensor<4x4x1x!fixed.fixed<8, 3, signed>>) {
  ^bb0(%3: tensor<4x4x1x!fixed.fixed<8, 3, signed>>):
    dataflow.yield %3, %3 : tensor<4x4x1x!fixed.fixed<8, 3, signed>>, tensor<4x4x1x!fixed.fixed<8, 3, signed>>
  }
  %3 = dataflow.kernel "conv"(%2) reuse 1 latency {layer = "conv"} : (tensor<4x4x1x!fixed.fixed<8, 3, signed>>) -> tensor<4x4x1x!fixed.fixed<8, 3, signed>> {
  ^bb0(%4: tensor<4x4x1x!fixed.fixed<8, 3, signed>>):
    %w = fixed.constant dense<[[[[1]], [[2]], [[1]]], [[[2]], [[4]], [[2]]], [[[1]], [[2]], [[1]]]]> : tensor<3x3x1x1xi8> as tensor<3x3x1x1x!fixed.fixed<8, 3, signed>> {layer = "conv"}
    %c = fixed.conv %4, %w {layer = "conv", strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, groups = 1 : i64} : (tensor<4x4x1x!fixed.fixed<8, 3, signed>>, tensor<3x3x1x1x!fixed.fixed<8, 3, signed>>) -> tensor<4x4x1x!fixed.fixed<20, 10, signed>>
    %h = fixed.cast %c RND SAT {layer = "conv"} : tensor<4x4x1x!fixed.fixed<20, 10, signed>> -> tensor<4x4x1x!fixed.fixed<8, 3, signed>>
    dataflow.yield %h : tensor<4x4x1x!fixed.fixed<8, 3, signed>>
  }
  %4 = dataflow.kernel "relu"(%1) reuse 1 latency {layer = "relu"} : (tensor<4x4x1x!fixed.fixed<8, 3, signed>>) -> tensor<4x4x1x!fixed.fixed<8, 3, signed>> {
  ^bb0(%5: tensor<4x4x1x!fixed.fixed<8, 3, signed>>):
    %r = fixed.relu %5 {layer = "relu"} : tensor<4x4x1x!fixed.fixed<8, 3, signed>>
    dataflow.yield %r : tensor<4x4x1x!fixed.fixed<8, 3, signed>>
  }
  %5 = dataflow.kernel "add"(%4, %3) reuse 1 latency {layer = "add"} : (tensor<4x4x1x!fixed.fixed<8, 3, signed>>, tensor<4x4x1x!fixed.fixed<8, 3, signed>>) -> tensor<4x4x1x!fixed.fixed<9, 4, signed>> {
  ^bb0(%6: tensor<4x4x1x!fixed.fixed<8, 3, signed>>, %7: tensor<4x4x1x!fixed.fixed<8, 3, signed>>):
    %s = fixed.add %6, %7 {layer = "add"} : (tensor<4x4x1x!fixed.fixed<8, 3, signed>>, tensor<4x4x1x!fixed.fixed<8, 3, signed>>) -> tensor<4x4x1x!fixed.fixed<9, 4, signed>>
    dataflow.yield %s : tensor<4x4x1x!fixed.fixed<9, 4, signed>>
  }
  func.return %5 : tensor<4x4x1x!fixed.fixed<9, 4, signed>>
}
func.func @skip_host(%0: tensor<4x4x1xf32>) -> tensor<4x4x1xf64> {
  %x = fixed.quantize %0 TRN WRAP {layer = "x"} : tensor<4x4x1xf32> -> tensor<4x4x1x!fixed.fixed<8, 3, signed>>
  %1 = func.call @skip(%x) : (tensor<4x4x1x!fixed.fixed<8, 3, signed>>) -> tensor<4x4x1x!fixed.fixed<9, 4, signed>>
  %y = fixed.dequantize %1 : tensor<4x4x1x!fixed.fixed<9, 4, signed>> -> tensor<4x4x1xf64>
  func.return %y : tensor<4x4x1xf64>
}
func.func @parallel(%0: tensor<4x!fixed.fixed<8, 3, signed>>) -> tensor<4x!fixed.fixed<8, 3, signed>> attributes {dataflow.io_type = #dataflow<io_type io_parallel>} {
  %1 = dataflow.kernel "relu"(%0) reuse 1 latency {layer = "relu"} : (tensor<4x!fixed.fixed<8, 3, signed>>) -> tensor<4x!fixed.fixed<8, 3, signed>> {
  ^bb0(%2: tensor<4x!fixed.fixed<8, 3, signed>>):
    %r = fixed.relu %2 {layer = "relu"} : tensor<4x!fixed.fixed<8, 3, signed>>
    dataflow.yield %r : tensor<4x!fixed.fixed<8, 3, signed>>
  }
  func.return %1 : tensor<4x!fixed.fixed<8, 3, signed>>
}
func.func @parallel_host(%0: tensor<4xf32>) -> tensor<4xf64> {
  %x = fixed.quantize %0 TRN WRAP {layer = "x"} : tensor<4xf32> -> tensor<4x!fixed.fixed<8, 3, signed>>
  %1 = func.call @parallel(%x) : (tensor<4x!fixed.fixed<8, 3, signed>>) -> tensor<4x!fixed.fixed<8, 3, signed>>
  %y = fixed.dequantize %1 : tensor<4x!fixed.fixed<8, 3, signed>> -> tensor<4xf64>
  func.return %y : tensor<4xf64>
}

// @chain: 4x4 input (16 packets, arriving at cycles 0..15) -> conv1 2x2 valid (3x3) -> conv2 2x2
// valid (2x2) -> flatten + dense (a buffer kernel; one [2] packet).
//   conv1 reads packet p at cycle p. Output (i, j) needs input (i + 1, j + 1), row-major index
//     4(i + 1) + (j + 1): 5, 6, 7, 9, 10, 11, 13, 14, 15, so it leaves at 6, 7, 8, 10, 11, 12, 14, 15, 16.
//   conv2 reads them as they come (same cycles): conv1's FIFO never holds a packet a cycle: depth 2.
//     Output (i, j) needs 3(i + 1) + (j + 1) = 4, 5, 7, 8 of its input, read at 11, 12, 15, 16: it
//     leaves at 12, 13, 16, 17. fc reads them then (depth 2) and writes its packet after the last:
//     cycle 18. fc's result is the design's output: depth 2. Latency 18 + 1 = 19.
// CHECK-LABEL: func.func @chain(
// CHECK-SAME:    attributes {dataflow.io_type = #dataflow<io_type io_stream>, dataflow.latency = 19 : i64} {
// CHECK-NEXT:    %1 = dataflow.kernel "conv1"(%0) reuse 1 latency {layer = "conv1", stream = "window", steps = 16 : i64, line_buffer_rows = 2 : i64, fifo_depths = array<i64: 2>} :
// CHECK:         %2 = dataflow.kernel "conv2"(%1) reuse 1 latency {layer = "conv2", stream = "window", steps = 9 : i64, line_buffer_rows = 2 : i64, fifo_depths = array<i64: 2>} :
// CHECK:         %3 = dataflow.kernel "fc"(%2) reuse 1 latency {layer = "fc", stream = "buffer", fifo_depths = array<i64: 2>} :

// @skip: add(relu(x), conv3x3(x)), x forked to the two branches (fork output 0 feeds relu, output 1
// conv).
//   fork reads packet p at p and writes both copies at p + 1 (1..16).
//   conv (3x3, padding 1, 4x4 -> 4x4) reads them at 1..16 (depth 2). Output (i, j) needs input
//     (min(i + 1, 3), min(j + 1, 3)): the first, (0, 0), needs input 5 (read at 6), so it leaves at
//     7, and the others follow one per cycle (each needs an input read by then): 7..22.
//   relu reads at 1..16 (fork output 0: depth 2) and writes at 2..17.
//   add reads position p of both when both are there: max(2 + p, 7 + p) = 7 + p, and writes at
//     8 + p (8..23: depth 2 on its output, latency 23 + 1 = 24).
//   relu's FIFO: packet p is written at 2 + p; packets read by then are those read at 7 + q <= 2 + p,
//     q <= p - 5, so p + 1 - max(0, p - 4) packets wait: 1, 2, 3, 4, 5, then 5 on: depth 5 + 1 = 6.
// CHECK-LABEL: func.func @skip(
// CHECK-SAME:    attributes {dataflow.io_type = #dataflow<io_type io_stream>, dataflow.latency = 24 : i64} {
// CHECK-NEXT:    %1, %2 = dataflow.kernel "fork"(%0) reuse 1 latency {stream = "fork", fifo_depths = array<i64: 2, 2>} :
// CHECK:         %3 = dataflow.kernel "conv"(%2) reuse 1 latency {layer = "conv", stream = "window", steps = 21 : i64, line_buffer_rows = 4 : i64, fifo_depths = array<i64: 2>} :
// CHECK:         %4 = dataflow.kernel "relu"(%1) reuse 1 latency {layer = "relu", stream = "pixel", fifo_depths = array<i64: 6>} :
// CHECK:         %5 = dataflow.kernel "add"(%4, %3) reuse 1 latency {layer = "add", stream = "pixel", fifo_depths = array<i64: 2>} :

// @parallel (io_parallel): unchanged.
// CHECK-LABEL: func.func @parallel(
// CHECK-SAME:    attributes {dataflow.io_type = #dataflow<io_type io_parallel>} {{{$}}
// CHECK-NEXT:    %1 = dataflow.kernel "relu"(%0) reuse 1 latency {layer = "relu"} :
