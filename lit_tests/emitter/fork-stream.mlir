// io_stream C++ of a residual block, y = x + conv3x3(x), returned along with relu(y): x and y are
// each read twice, so fixed-to-dataflow forks them (`fork`, `fork_1`: each packet written to every
// output stream), and the add is a pixel kernel reading one packet of each input per position.
// The FIFO depths come from size-fifos (see passes/size-fifos.mlir for the schedule model):
//   fork reads packet p at cycle p and writes both copies at p + 1; conv (3x3, padding 1) writes
//   its first output at 7 (it needs input 5, read at 6), then one per cycle; add reads position p
//   of both inputs at max(1 + p, 7 + p) = 7 + p. fork's copy for add (output 1: the outputs follow
//   their readers' order, conv first) is written at 1 + p while 7 + q <= 1 + p (q <= p - 6) are read: at most 6
//   packets wait (p = 5 on), depth 6 + 1 = 7. Every other stream is read the cycle its packet is
//   written: depth 2. add writes at 8 + p, fork_1 at 9 + p, relu at 10 + p: the last packet leaves
//   at 25, latency 26.
// RUN: xdsl-opt %s -p 'fixed-to-dataflow{io-type=io_stream},plan-streams,size-fifos' -t hls-cpp | filecheck %s
// RUN: xdsl-opt %s -p 'fixed-to-dataflow{io-type=io_stream},plan-streams,size-fifos' | filecheck %s --check-prefix=DEPTHS

func.func @res(%arg: tensor<4x4x1xf32>) -> (tensor<4x4x1xf64>, tensor<4x4x1xf64>) {
  %x = fixed.quantize %arg RND SAT {layer = "x"} : tensor<4x4x1xf32> -> tensor<4x4x1x!fixed.fixed<8, 3, signed>>
  %w = fixed.constant dense<[[[[1]], [[2]], [[1]]], [[[2]], [[4]], [[2]]], [[[1]], [[2]], [[1]]]]> : tensor<3x3x1x1xi8> as tensor<3x3x1x1x!fixed.fixed<8, 3, signed>> {layer = "conv"}
  %c = fixed.conv %x, %w {layer = "conv", strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, groups = 1 : i64} : (tensor<4x4x1x!fixed.fixed<8, 3, signed>>, tensor<3x3x1x1x!fixed.fixed<8, 3, signed>>) -> tensor<4x4x1x!fixed.fixed<20, 10, signed>>
  %h = fixed.cast %c RND SAT {layer = "conv"} : tensor<4x4x1x!fixed.fixed<20, 10, signed>> -> tensor<4x4x1x!fixed.fixed<8, 3, signed>>
  %s = fixed.add %x, %h {layer = "add"} : (tensor<4x4x1x!fixed.fixed<8, 3, signed>>, tensor<4x4x1x!fixed.fixed<8, 3, signed>>) -> tensor<4x4x1x!fixed.fixed<9, 4, signed>>
  %r = fixed.relu %s {layer = "relu"} : tensor<4x4x1x!fixed.fixed<9, 4, signed>>
  %y0 = fixed.dequantize %s : tensor<4x4x1x!fixed.fixed<9, 4, signed>> -> tensor<4x4x1xf64>
  %y1 = fixed.dequantize %r : tensor<4x4x1x!fixed.fixed<9, 4, signed>> -> tensor<4x4x1xf64>
  func.return %y0, %y1 : tensor<4x4x1xf64>, tensor<4x4x1xf64>
}
// DEPTHS-LABEL: func.func @res(
// DEPTHS-SAME:    dataflow.io_type = #dataflow<io_type io_stream>, dataflow.top = "dataflow", dataflow.latency = 26 : i64
// DEPTHS-NEXT:    %1, %2 = dataflow.kernel "fork"(%0) reuse 1 latency {stream = "fork", fifo_depths = array<i64: 2, 7>}
// DEPTHS:      %3 = dataflow.kernel "conv"(%1) reuse 1 latency {layer = "conv", stream = "window", steps = 21 : i64, line_buffer_rows = 4 : i64, fifo_depths = array<i64: 2>}
// DEPTHS:        %5 = dataflow.kernel "conv_position"(%c) reuse 1 latency {layer = "conv", stream = "pixel"}
// DEPTHS:      %4 = dataflow.kernel "add"(%2, %3) reuse 1 latency {layer = "add", stream = "pixel", fifo_depths = array<i64: 2>}
// DEPTHS:      %5, %6 = dataflow.kernel "fork_1"(%4) reuse 1 latency {stream = "fork", fifo_depths = array<i64: 2, 2>}
// DEPTHS:      %7 = dataflow.kernel "relu"(%5) reuse 1 latency {layer = "relu", stream = "pixel", fifo_depths = array<i64: 2>}
// DEPTHS:      func.return %6, %7

// The merge: one packet from each stream per position.
// CHECK-LABEL: {{^//}} ----- firmware/kernels/add.cpp -----
// CHECK-NEXT:  #include "../kernels.h"
// CHECK-EMPTY:
// CHECK-NEXT:  // layer add
// CHECK-NEXT:  void add_position(const fork_out1_t x0[1], const conv_t x1[1], add_t y[1]) {
// CHECK-NEXT:      #pragma HLS INLINE
// CHECK-NEXT:      // fixed.add
// CHECK-NEXT:      Add_1: for (int i = 0; i < 1; i++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          y[i] = x0[i] + x1[i];
// CHECK-NEXT:      }
// CHECK-NEXT:  }
// CHECK-EMPTY:
// CHECK-NEXT:  void add(hls::stream<stream_packet<fork_out1_t, 1>>& x0, hls::stream<stream_packet<conv_t, 1>>& x1, hls::stream<stream_packet<add_t, 1>>& y0) {
// CHECK-NEXT:      // io_stream: pixel kernel
// CHECK-NEXT:      #pragma HLS INLINE off
// CHECK-NEXT:      for (int p = 0; p < 16; p++) {
// CHECK-NEXT:          #pragma HLS PIPELINE II=1
// CHECK-NEXT:          stream_packet<fork_out1_t, 1> x0_packet = x0.read();
// CHECK-NEXT:          stream_packet<conv_t, 1> x1_packet = x1.read();
// CHECK-NEXT:          add_t result0[1];
// CHECK-NEXT:          add_position(x0_packet.data, x1_packet.data, result0);
// CHECK-NEXT:          stream_packet<add_t, 1> out0;
// CHECK-NEXT:          for (int c = 0; c < 1; c++) {
// CHECK-NEXT:              #pragma HLS UNROLL
// CHECK-NEXT:              out0.data[c] = result0[c];
// CHECK-NEXT:          }
// CHECK-NEXT:          y0.write(out0);
// CHECK-NEXT:      }
// CHECK-NEXT:  }
// The forks: read a packet, write it to every output.
// CHECK-LABEL: {{^//}} ----- firmware/kernels/fork.cpp -----
// CHECK-NEXT:  #include "../kernels.h"
// CHECK-EMPTY:
// CHECK-NEXT:  // layer fork
// CHECK-NEXT:  void fork(hls::stream<stream_packet<input_t, 1>>& x0, hls::stream<stream_packet<fork_out0_t, 1>>& y0, hls::stream<stream_packet<fork_out1_t, 1>>& y1) {
// CHECK-NEXT:      // io_stream: fork kernel
// CHECK-NEXT:      #pragma HLS INLINE off
// CHECK-NEXT:      for (int p = 0; p < 16; p++) {
// CHECK-NEXT:          #pragma HLS PIPELINE II=1
// CHECK-NEXT:          stream_packet<input_t, 1> packet = x0.read();
// CHECK-NEXT:          y0.write(packet);
// CHECK-NEXT:          y1.write(packet);
// CHECK-NEXT:      }
// CHECK-NEXT:  }
// CHECK-LABEL: {{^//}} ----- firmware/kernels/fork_1.cpp -----
// CHECK-NEXT:  #include "../kernels.h"
// CHECK-EMPTY:
// CHECK-NEXT:  // layer fork_1
// CHECK-NEXT:  void fork_1(hls::stream<stream_packet<add_t, 1>>& x0, hls::stream<stream_packet<fork_1_out0_t, 1>>& y0, hls::stream<stream_packet<fork_1_out1_t, 1>>& y1) {
// CHECK-NEXT:      // io_stream: fork kernel
// CHECK-NEXT:      #pragma HLS INLINE off
// CHECK-NEXT:      for (int p = 0; p < 16; p++) {
// CHECK-NEXT:          #pragma HLS PIPELINE II=1
// CHECK-NEXT:          stream_packet<add_t, 1> packet = x0.read();
// CHECK-NEXT:          y0.write(packet);
// CHECK-NEXT:          y1.write(packet);
// CHECK-NEXT:      }
// CHECK-NEXT:  }
// The top: fork's copy for add is the deep FIFO; fork_1's second copy is the design's output y0.
// CHECK-LABEL: {{^//}} ----- firmware/res.cpp -----
// CHECK-NEXT:  #include "res.h"
// CHECK-NEXT:  #include "kernels.h"
// CHECK-EMPTY:
// CHECK-NEXT:  void res(hls::stream<stream_packet<input_t, 1>>& x, hls::stream<stream_packet<fork_1_out1_t, 1>>& y0, hls::stream<stream_packet<relu_t, 1>>& y1) {
// CHECK-NEXT:      #pragma HLS INTERFACE mode=axis port=x
// CHECK-NEXT:      #pragma HLS INTERFACE mode=axis port=y0
// CHECK-NEXT:      #pragma HLS INTERFACE mode=axis port=y1
// CHECK-NEXT:      #pragma HLS DATAFLOW
// CHECK-EMPTY:
// CHECK-NEXT:      hls::stream<stream_packet<fork_out0_t, 1>> fork_out0("fork_out0");
// CHECK-NEXT:      #pragma HLS STREAM variable=fork_out0 depth=2
// CHECK-NEXT:      hls::stream<stream_packet<fork_out1_t, 1>> fork_out1("fork_out1");
// CHECK-NEXT:      #pragma HLS STREAM variable=fork_out1 depth=7
// CHECK-NEXT:      fork(x, fork_out0, fork_out1);
// CHECK-NEXT:      hls::stream<stream_packet<conv_t, 1>> conv_out("conv_out");
// CHECK-NEXT:      #pragma HLS STREAM variable=conv_out depth=2
// CHECK-NEXT:      conv(fork_out0, conv_out);
// CHECK-NEXT:      hls::stream<stream_packet<add_t, 1>> add_out("add_out");
// CHECK-NEXT:      #pragma HLS STREAM variable=add_out depth=2
// CHECK-NEXT:      add(fork_out1, conv_out, add_out);
// CHECK-NEXT:      hls::stream<stream_packet<fork_1_out0_t, 1>> fork_1_out0("fork_1_out0");
// CHECK-NEXT:      #pragma HLS STREAM variable=fork_1_out0 depth=2
// CHECK-NEXT:      fork_1(add_out, fork_1_out0, y0);
// CHECK-NEXT:      relu(fork_1_out0, y1);
// CHECK-NEXT:  }
// CHECK-NEXT:  // end of design
// The host reads both output streams back.
// CHECK-LABEL: {{^//}} ----- res_host.h -----
// CHECK-NEXT:  #pragma once
// CHECK-NEXT:  #include "firmware/res.h"
// CHECK-EMPTY:
// CHECK-NEXT:  // The host side, as @res_host in the IR: quantise, run the design, read back.
// CHECK-NEXT:  inline void res_host(const double* in0, double* out0, double* out1) {
// CHECK-NEXT:      ap_fixed<8,3> quantized[16];
// CHECK-NEXT:      for (int i = 0; i < 16; i++) {
// CHECK-NEXT:          quantized[i] = ap_fixed<8,3,AP_RND,AP_SAT>(in0[i]);
// CHECK-NEXT:      }
// CHECK-NEXT:      result0_t y0[16];
// CHECK-NEXT:      result1_t y1[16];
// CHECK-NEXT:      hls::stream<stream_packet<input_t, 1>> quantized_stream;
// CHECK-NEXT:      for (int p = 0; p < 16; p++) {
// CHECK-NEXT:          stream_packet<input_t, 1> packet;
// CHECK-NEXT:          for (int c = 0; c < 1; c++) packet.data[c] = quantized[p * 1 + c];
// CHECK-NEXT:          quantized_stream.write(packet);
// CHECK-NEXT:      }
// CHECK-NEXT:      hls::stream<stream_packet<fork_1_out1_t, 1>> y0_stream;
// CHECK-NEXT:      hls::stream<stream_packet<relu_t, 1>> y1_stream;
// CHECK-NEXT:      res(quantized_stream, y0_stream, y1_stream);
// CHECK-NEXT:      for (int p = 0; p < 16; p++) {
// CHECK-NEXT:          stream_packet<fork_1_out1_t, 1> packet = y0_stream.read();
// CHECK-NEXT:          for (int c = 0; c < 1; c++) y0[p * 1 + c] = packet.data[c];
// CHECK-NEXT:      }
// CHECK-NEXT:      for (int p = 0; p < 16; p++) {
// CHECK-NEXT:          stream_packet<relu_t, 1> packet = y1_stream.read();
// CHECK-NEXT:          for (int c = 0; c < 1; c++) y1[p * 1 + c] = packet.data[c];
// CHECK-NEXT:      }
// CHECK-NEXT:      double values[16];
// CHECK-NEXT:      for (int i = 0; i < 16; i++) {
// CHECK-NEXT:          values[i] = y0[i].to_double();
// CHECK-NEXT:      }
// CHECK-NEXT:      double values_1[16];
// CHECK-NEXT:      for (int i = 0; i < 16; i++) {
// CHECK-NEXT:          values_1[i] = y1[i].to_double();
// CHECK-NEXT:      }
// CHECK-NEXT:      for (int i = 0; i < 16; i++) {
// CHECK-NEXT:          out0[i] = values[i];
// CHECK-NEXT:      }
// CHECK-NEXT:      for (int i = 0; i < 16; i++) {
// CHECK-NEXT:          out1[i] = values_1[i];
// CHECK-NEXT:      }
// CHECK-NEXT:  }
