// io_stream C++ (compiler/emitter/stream.py) of conv -> max pool -> relu -> flatten + dense, FIFO
// depths from size-fifos: every tensor [*positions, C] is a stream of one stream_packet of C values
// per position; the top is a DATAFLOW region of the kernels joined by hls::streams, each declared
// with `#pragma HLS STREAM ... depth=` its size-fifos depth (here all 2: a chain, where every
// packet is read as soon as it is written, see passes/size-fifos.mlir).
// RUN: xdsl-opt %s -p 'fixed-to-dataflow{io-type=io_stream},plan-streams,size-fifos' -t hls-cpp | filecheck %s
// The depths in the IR, for the record:
// RUN: xdsl-opt %s -p 'fixed-to-dataflow{io-type=io_stream},plan-streams,size-fifos' | filecheck %s --check-prefix=DEPTHS

func.func @cnn(%arg: tensor<4x4x1xf32>) -> tensor<2xf64> {
  %x = fixed.quantize %arg RND SAT {layer = "x"} : tensor<4x4x1xf32> -> tensor<4x4x1x!fixed.fixed<8, 3, signed>>
  %w = fixed.constant dense<[[[[16, -8]], [[8, 4]], [[0, 8]]], [[[-8, 16]], [[32, 0]], [[8, -4]]], [[[4, 8]], [[-16, 2]], [[8, 1]]]]> : tensor<3x3x1x2xi8> as tensor<3x3x1x2x!fixed.fixed<8, 3, signed>> {layer = "conv"}
  %b = fixed.constant dense<[4, -8]> : tensor<2xi8> as tensor<2x!fixed.fixed<8, 3, signed>> {layer = "conv"}
  %c = fixed.conv %x, %w, %b {layer = "conv", strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, groups = 1 : i64} : (tensor<4x4x1x!fixed.fixed<8, 3, signed>>, tensor<3x3x1x2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<4x4x2x!fixed.fixed<20, 10, signed>>
  %h = fixed.cast %c RND SAT {layer = "conv"} : tensor<4x4x2x!fixed.fixed<20, 10, signed>> -> tensor<4x4x2x!fixed.fixed<8, 3, signed>>
  %p = fixed.max_pool %h {layer = "pool", kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>} : tensor<4x4x2x!fixed.fixed<8, 3, signed>> -> tensor<2x2x2x!fixed.fixed<8, 3, signed>>
  %r = fixed.relu %p {layer = "relu"} : tensor<2x2x2x!fixed.fixed<8, 3, signed>>
  %f = layout.reshape %r {layer = "fc"} : tensor<2x2x2x!fixed.fixed<8, 3, signed>> -> tensor<8x!fixed.fixed<8, 3, signed>>
  %wd = fixed.constant dense<[[8, -8], [16, 0], [-4, 4], [2, 32], [8, 8], [-16, 4], [0, 2], [4, -2]]> : tensor<8x2xi8> as tensor<8x2x!fixed.fixed<8, 3, signed>> {layer = "fc"}
  %d = fixed.dense %f, %wd {layer = "fc"} : (tensor<8x!fixed.fixed<8, 3, signed>>, tensor<8x2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<19, 9, signed>>
  %y = fixed.dequantize %d : tensor<2x!fixed.fixed<19, 9, signed>> -> tensor<2xf64>
  func.return %y : tensor<2xf64>
}
// DEPTHS-COUNT-4: fifo_depths = array<i64: 2>

// The host packs the quantized array into packets of 1 channel (16 positions), calls the design,
// and unpacks the one packet of 2 values of the result.
// CHECK-LABEL: {{^//}} ----- cnn_host.h -----
// CHECK-NEXT:  #pragma once
// CHECK-NEXT:  #include "firmware/cnn.h"
// CHECK-EMPTY:
// CHECK-NEXT:  // The host side, as @cnn_host in the IR: quantise, run the design, read back.
// CHECK-NEXT:  inline void cnn_host(const double* in0, double* out0) {
// CHECK-NEXT:      ap_fixed<8,3> quantized[16];
// CHECK-NEXT:      for (int i = 0; i < 16; i++) {
// CHECK-NEXT:          quantized[i] = ap_fixed<8,3,AP_RND,AP_SAT>(in0[i]);
// CHECK-NEXT:      }
// CHECK-NEXT:      result_t y[2];
// CHECK-NEXT:      hls::stream<stream_packet<input_t, 1>> quantized_stream;
// CHECK-NEXT:      for (int p = 0; p < 16; p++) {
// CHECK-NEXT:          stream_packet<input_t, 1> packet;
// CHECK-NEXT:          for (int c = 0; c < 1; c++) packet.data[c] = quantized[p * 1 + c];
// CHECK-NEXT:          quantized_stream.write(packet);
// CHECK-NEXT:      }
// CHECK-NEXT:      hls::stream<stream_packet<fc_t, 2>> y_stream;
// CHECK-NEXT:      cnn(quantized_stream, y_stream);
// CHECK-NEXT:      for (int p = 0; p < 1; p++) {
// CHECK-NEXT:          stream_packet<fc_t, 2> packet = y_stream.read();
// CHECK-NEXT:          for (int c = 0; c < 2; c++) y[p * 2 + c] = packet.data[c];
// CHECK-NEXT:      }
// CHECK-NEXT:      double values[2];
// CHECK-NEXT:      for (int i = 0; i < 2; i++) {
// CHECK-NEXT:          values[i] = y[i].to_double();
// CHECK-NEXT:      }
// CHECK-NEXT:      for (int i = 0; i < 2; i++) {
// CHECK-NEXT:          out0[i] = values[i];
// CHECK-NEXT:      }
// CHECK-NEXT:  }
// The top: axis ports, DATAFLOW, one named stream per kernel result with its depth.
// CHECK-LABEL: {{^//}} ----- firmware/cnn.cpp -----
// CHECK-NEXT:  #include "cnn.h"
// CHECK-NEXT:  #include "kernels.h"
// CHECK-EMPTY:
// CHECK-NEXT:  void cnn(hls::stream<stream_packet<input_t, 1>>& x, hls::stream<stream_packet<fc_t, 2>>& y) {
// CHECK-NEXT:      #pragma HLS INTERFACE mode=axis port=x
// CHECK-NEXT:      #pragma HLS INTERFACE mode=axis port=y
// CHECK-NEXT:      #pragma HLS DATAFLOW
// CHECK-EMPTY:
// CHECK-NEXT:      hls::stream<stream_packet<conv_t, 2>> conv_out("conv_out");
// CHECK-NEXT:      #pragma HLS STREAM variable=conv_out depth=2
// CHECK-NEXT:      conv(x, conv_out);
// CHECK-NEXT:      hls::stream<stream_packet<pool_t, 2>> pool_out("pool_out");
// CHECK-NEXT:      #pragma HLS STREAM variable=pool_out depth=2
// CHECK-NEXT:      pool(conv_out, pool_out);
// CHECK-NEXT:      hls::stream<stream_packet<relu_t, 2>> relu_out("relu_out");
// CHECK-NEXT:      #pragma HLS STREAM variable=relu_out depth=2
// CHECK-NEXT:      relu(pool_out, relu_out);
// CHECK-NEXT:      fc(relu_out, y);
// CHECK-NEXT:  }
// CHECK-NEXT:  // end of design
// CHECK-LABEL: {{^//}} ----- firmware/defines.h -----
// CHECK-NEXT:  #pragma once
// CHECK-NEXT:  #include "ap_fixed.h"
// CHECK-NEXT:  #include "ap_int.h"
// CHECK-NEXT:  #include "hls_stream.h"
// CHECK-EMPTY:
// CHECK-NEXT:  // io_stream: one packet carries the values of one position (all its channels)
// CHECK-NEXT:  template <class T, int N> struct stream_packet { T data[N]; };
// CHECK-EMPTY:
// CHECK-NEXT:  typedef ap_fixed<8,3> input_t;
// CHECK-NEXT:  typedef ap_fixed<19,9> result_t;
// CHECK-NEXT:  typedef ap_fixed<8,3> conv_t;
// CHECK-NEXT:  typedef ap_fixed<8,3> pool_t;
// CHECK-NEXT:  typedef ap_fixed<8,3> relu_t;
// CHECK-NEXT:  typedef ap_fixed<19,9> fc_t;
// CHECK-NEXT:  typedef ap_fixed<20,10> conv_window_t;
// CHECK-NEXT:  typedef ap_fixed<8,3> conv_weights_t;
// CHECK-NEXT:  typedef ap_fixed<8,3> conv_biases_t;
// CHECK-NEXT:  typedef ap_fixed<8,3> pool_window_t;
// CHECK-NEXT:  typedef ap_fixed<8,3> fc_all_weights_t;
// CHECK-NEXT:  typedef ap_fixed<8,3> fc_all_reshaped_t;
// CHECK-LABEL: {{^//}} ----- firmware/kernels.h -----
// CHECK-NEXT:  #pragma once
// CHECK-NEXT:  #include "defines.h"
// CHECK-EMPTY:
// CHECK-NEXT:  void conv(hls::stream<stream_packet<input_t, 1>>& x0, hls::stream<stream_packet<conv_t, 2>>& y0);
// CHECK-NEXT:  void pool(hls::stream<stream_packet<conv_t, 2>>& x0, hls::stream<stream_packet<pool_t, 2>>& y0);
// CHECK-NEXT:  void relu(hls::stream<stream_packet<pool_t, 2>>& x0, hls::stream<stream_packet<relu_t, 2>>& y0);
// CHECK-NEXT:  void fc(hls::stream<stream_packet<relu_t, 2>>& x0, hls::stream<stream_packet<fc_t, 2>>& y0);
// A window kernel: a line buffer of 4 rows, complete in its row dimension (the 3x3 window spans 3,
// but with padding the outputs trail the reads: output row 1 is still being written, from rows
// 0-2, when row 3 starts to arrive); input packet p goes to row p / 4 % 4, column p % 4. After each packet, every output
// whose window's last input (row min(o0 + 1, 3), column min(o1 + 1, 3): padding 1, span 3) has
// arrived is computed from the line buffer, then the per-position rest of the layer (the cast,
// conv_position) runs on it and the packet is written.
// The window kernels run a fixed number of steps, each reading one input (while any are left) and
// writing at most one output: conv output (r, c) needs input min(r+1, 3) * 4 + min(c+1, 3), so the
// outputs leave at steps 5 6 7 8, 9 10 11 12, 13 14 15 16, 17 18 19 20 (row 3 needs nothing new but
// waits its turn): 21 steps. The pool's outputs need inputs 5, 7, 13, 15: 16 steps (all inputs read).
// CHECK-LABEL: {{^//}} ----- firmware/kernels/conv.cpp -----
// CHECK-NEXT:  #include "../kernels.h"
// CHECK-NEXT:  #include "../weights/conv.h"
// CHECK-EMPTY:
// CHECK-NEXT:  // layer conv
// CHECK-NEXT:  void conv_position(const conv_window_t x[2], conv_t y[2]) {
// CHECK-NEXT:      #pragma HLS INLINE
// CHECK-NEXT:      // fixed.cast
// CHECK-NEXT:      Cast_1: for (int i = 0; i < 2; i++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          y[i] = ap_fixed<8,3,AP_RND,AP_SAT>(x[i]);
// CHECK-NEXT:      }
// CHECK-NEXT:  }
// CHECK-EMPTY:
// CHECK-NEXT:  void conv(hls::stream<stream_packet<input_t, 1>>& x0, hls::stream<stream_packet<conv_t, 2>>& y0) {
// CHECK-NEXT:      // io_stream: window kernel
// CHECK-NEXT:      #pragma HLS INLINE off
// CHECK-NEXT:      // line buffer: the last 4 rows of the input
// CHECK-NEXT:      input_t line[4][4][1];
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=line complete dim=1
// CHECK-NEXT:      int next = 0, p = 0;  // outputs written, inputs read
// CHECK-NEXT:      conv_steps: for (int step = 0; step < 21; step++) {
// CHECK-NEXT:          #pragma HLS PIPELINE II=1
// CHECK-NEXT:          if (p < 16) {
// CHECK-NEXT:              stream_packet<input_t, 1> packet = x0.read();
// CHECK-NEXT:              for (int c = 0; c < 1; c++) {
// CHECK-NEXT:                  #pragma HLS UNROLL
// CHECK-NEXT:                  line[p / 4 % 4][p % 4][c] = packet.data[c];
// CHECK-NEXT:              }
// CHECK-NEXT:              p++;
// CHECK-NEXT:          }
// CHECK-NEXT:          int o0 = next / 4, o1 = next % 4;
// CHECK-NEXT:          int last0 = o0 * 1 - 1 + 2;
// CHECK-NEXT:          int last1 = o1 * 1 - 1 + 2;
// CHECK-NEXT:          int need = (last0 < 0 || last1 < 0) ? -1 : (last0 < 3 ? last0 : 3) * 4 + (last1 < 3 ? last1 : 3);  // the last input its window reads
// CHECK-NEXT:          if (next < 16 && need < p) {
// CHECK-NEXT:              conv_window_t window[2];
// CHECK-NEXT:              #pragma HLS ARRAY_PARTITION variable=window complete
// CHECK-NEXT:              for (int o = 0; o < 2; o++) {
// CHECK-NEXT:                  #pragma HLS UNROLL
// CHECK-NEXT:                  window[o] = conv_biases[o];
// CHECK-NEXT:              }
// CHECK-NEXT:              for (int t0 = 0; t0 < 3; t0++) {
// CHECK-NEXT:                  #pragma HLS UNROLL
// CHECK-NEXT:                  for (int t1 = 0; t1 < 3; t1++) {
// CHECK-NEXT:                      #pragma HLS UNROLL
// CHECK-NEXT:                      int i0 = o0 * 1 + t0 * 1 - 1;
// CHECK-NEXT:                      int i1 = o1 * 1 + t1 * 1 - 1;
// CHECK-NEXT:                      if (i0 >= 0 && i0 < 4 && i1 >= 0 && i1 < 4) {
// CHECK-NEXT:                          for (int o = 0; o < 2; o++) {
// CHECK-NEXT:                              #pragma HLS UNROLL
// CHECK-NEXT:                              for (int c = 0; c < 1; c++) {
// CHECK-NEXT:                                  #pragma HLS UNROLL
// CHECK-NEXT:                                  window[o] += line[i0 % 4][i1][c] * conv_weights[t0 * 6 + t1 * 2 + c * 2 + o];
// CHECK-NEXT:                              }
// CHECK-NEXT:                          }
// CHECK-NEXT:                      }
// CHECK-NEXT:                  }
// CHECK-NEXT:              }
// CHECK-NEXT:              conv_t result0[2];
// CHECK-NEXT:              conv_position(window, result0);
// CHECK-NEXT:              stream_packet<conv_t, 2> out0;
// CHECK-NEXT:              for (int c = 0; c < 2; c++) {
// CHECK-NEXT:                  #pragma HLS UNROLL
// CHECK-NEXT:                  out0.data[c] = result0[c];
// CHECK-NEXT:              }
// CHECK-NEXT:              y0.write(out0);
// CHECK-NEXT:              next++;
// CHECK-NEXT:          }
// CHECK-NEXT:      }
// CHECK-NEXT:  }
// A buffer kernel (flatten + dense need every position): the 4 packets are stored, the io_parallel
// body runs (fc_all), the result is streamed out.
// CHECK-LABEL: {{^//}} ----- firmware/kernels/fc.cpp -----
// CHECK-NEXT:  #include "../kernels.h"
// CHECK-NEXT:  #include "../weights/fc.h"
// CHECK-EMPTY:
// CHECK-NEXT:  // layer fc
// CHECK-NEXT:  void fc_all(const relu_t x[8], fc_t y[2]) {
// CHECK-NEXT:      #pragma HLS INLINE
// CHECK-NEXT:      fc_all_reshaped_t reshaped[8];
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=reshaped complete
// CHECK-NEXT:      // layout.reshape
// CHECK-NEXT:      Reshape_1: for (int i = 0; i < 8; i++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          reshaped[i] = x[i];
// CHECK-NEXT:      }
// CHECK-NEXT:      // fixed.dense
// CHECK-NEXT:      DenseInit_2: for (int j = 0; j < 2; j++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          y[j] = 0;
// CHECK-NEXT:      }
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=fc_all_weights complete
// CHECK-NEXT:      DenseRows_3: for (int r = 0; r < 1; r++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          for (int i = 0; i < 8; i++) {
// CHECK-NEXT:              #pragma HLS UNROLL
// CHECK-NEXT:              for (int j = 0; j < 2; j++) {
// CHECK-NEXT:                  #pragma HLS UNROLL
// CHECK-NEXT:                  y[r * 2 + j] += reshaped[r * 8 + i] * fc_all_weights[i * 2 + j];
// CHECK-NEXT:              }
// CHECK-NEXT:          }
// CHECK-NEXT:      }
// CHECK-NEXT:  }
// CHECK-EMPTY:
// CHECK-NEXT:  void fc(hls::stream<stream_packet<relu_t, 2>>& x0, hls::stream<stream_packet<fc_t, 2>>& y0) {
// CHECK-NEXT:      // io_stream: buffer kernel
// CHECK-NEXT:      #pragma HLS INLINE off
// CHECK-NEXT:      relu_t x0_all[8];
// CHECK-NEXT:      for (int p = 0; p < 4; p++) {
// CHECK-NEXT:          #pragma HLS PIPELINE II=1
// CHECK-NEXT:          stream_packet<relu_t, 2> packet = x0.read();
// CHECK-NEXT:          for (int c = 0; c < 2; c++) {
// CHECK-NEXT:              x0_all[p * 2 + c] = packet.data[c];
// CHECK-NEXT:          }
// CHECK-NEXT:      }
// CHECK-NEXT:      fc_t y0_all[2];
// CHECK-NEXT:      fc_all(x0_all, y0_all);
// CHECK-NEXT:      for (int p = 0; p < 1; p++) {
// CHECK-NEXT:          #pragma HLS PIPELINE II=1
// CHECK-NEXT:          stream_packet<fc_t, 2> packet;
// CHECK-NEXT:          for (int c = 0; c < 2; c++) {
// CHECK-NEXT:              packet.data[c] = y0_all[p * 2 + c];
// CHECK-NEXT:          }
// CHECK-NEXT:          y0.write(packet);
// CHECK-NEXT:      }
// CHECK-NEXT:  }
// A pool window kernel: 2 rows; outputs need row min(2 o0 + 1, 3) and column min(2 o1 + 1, 3).
// CHECK-LABEL: {{^//}} ----- firmware/kernels/pool.cpp -----
// CHECK-NEXT:  #include "../kernels.h"
// CHECK-EMPTY:
// CHECK-NEXT:  // layer pool
// CHECK-NEXT:  void pool(hls::stream<stream_packet<conv_t, 2>>& x0, hls::stream<stream_packet<pool_t, 2>>& y0) {
// CHECK-NEXT:      // io_stream: window kernel
// CHECK-NEXT:      #pragma HLS INLINE off
// CHECK-NEXT:      // line buffer: the last 2 rows of the input
// CHECK-NEXT:      conv_t line[2][4][2];
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=line complete dim=1
// CHECK-NEXT:      int next = 0, p = 0;  // outputs written, inputs read
// CHECK-NEXT:      pool_steps: for (int step = 0; step < 16; step++) {
// CHECK-NEXT:          #pragma HLS PIPELINE II=1
// CHECK-NEXT:          if (p < 16) {
// CHECK-NEXT:              stream_packet<conv_t, 2> packet = x0.read();
// CHECK-NEXT:              for (int c = 0; c < 2; c++) {
// CHECK-NEXT:                  #pragma HLS UNROLL
// CHECK-NEXT:                  line[p / 4 % 2][p % 4][c] = packet.data[c];
// CHECK-NEXT:              }
// CHECK-NEXT:              p++;
// CHECK-NEXT:          }
// CHECK-NEXT:          int o0 = next / 2, o1 = next % 2;
// CHECK-NEXT:          int last0 = o0 * 2 - 0 + 1;
// CHECK-NEXT:          int last1 = o1 * 2 - 0 + 1;
// CHECK-NEXT:          int need = (last0 < 0 || last1 < 0) ? -1 : (last0 < 3 ? last0 : 3) * 4 + (last1 < 3 ? last1 : 3);  // the last input its window reads
// CHECK-NEXT:          if (next < 4 && need < p) {
// CHECK-NEXT:              pool_window_t window[2];
// CHECK-NEXT:              #pragma HLS ARRAY_PARTITION variable=window complete
// CHECK-NEXT:              for (int c = 0; c < 2; c++) {
// CHECK-NEXT:                  #pragma HLS UNROLL
// CHECK-NEXT:                  pool_window_t r = -4.0;
// CHECK-NEXT:                  for (int t0 = 0; t0 < 2; t0++) {
// CHECK-NEXT:                      #pragma HLS UNROLL
// CHECK-NEXT:                      for (int t1 = 0; t1 < 2; t1++) {
// CHECK-NEXT:                          #pragma HLS UNROLL
// CHECK-NEXT:                          int i0 = o0 * 2 + t0 * 1 - 0;
// CHECK-NEXT:                          int i1 = o1 * 2 + t1 * 1 - 0;
// CHECK-NEXT:                          if (i0 >= 0 && i0 < 4 && i1 >= 0 && i1 < 4 && line[i0 % 2][i1][c] > r) r = line[i0 % 2][i1][c];
// CHECK-NEXT:                      }
// CHECK-NEXT:                  }
// CHECK-NEXT:                  window[c] = r;
// CHECK-NEXT:              }
// CHECK-NEXT:              stream_packet<pool_t, 2> out0;
// CHECK-NEXT:              for (int c = 0; c < 2; c++) {
// CHECK-NEXT:                  #pragma HLS UNROLL
// CHECK-NEXT:                  out0.data[c] = window[c];
// CHECK-NEXT:              }
// CHECK-NEXT:              y0.write(out0);
// CHECK-NEXT:              next++;
// CHECK-NEXT:          }
// CHECK-NEXT:      }
// CHECK-NEXT:  }
// A pixel kernel: one function call per packet.
// CHECK-LABEL: {{^//}} ----- firmware/kernels/relu.cpp -----
// CHECK-NEXT:  #include "../kernels.h"
// CHECK-EMPTY:
// CHECK-NEXT:  // layer relu
// CHECK-NEXT:  void relu_position(const pool_t x[2], relu_t y[2]) {
// CHECK-NEXT:      #pragma HLS INLINE
// CHECK-NEXT:      // fixed.relu
// CHECK-NEXT:      Relu_1: for (int i = 0; i < 2; i++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          y[i] = x[i] > 0 ? x[i] : relu_t(0);
// CHECK-NEXT:      }
// CHECK-NEXT:  }
// CHECK-EMPTY:
// CHECK-NEXT:  void relu(hls::stream<stream_packet<pool_t, 2>>& x0, hls::stream<stream_packet<relu_t, 2>>& y0) {
// CHECK-NEXT:      // io_stream: pixel kernel
// CHECK-NEXT:      #pragma HLS INLINE off
// CHECK-NEXT:      for (int p = 0; p < 4; p++) {
// CHECK-NEXT:          #pragma HLS PIPELINE II=1
// CHECK-NEXT:          stream_packet<pool_t, 2> x0_packet = x0.read();
// CHECK-NEXT:          relu_t result0[2];
// CHECK-NEXT:          relu_position(x0_packet.data, result0);
// CHECK-NEXT:          stream_packet<relu_t, 2> out0;
// CHECK-NEXT:          for (int c = 0; c < 2; c++) {
// CHECK-NEXT:              #pragma HLS UNROLL
// CHECK-NEXT:              out0.data[c] = result0[c];
// CHECK-NEXT:          }
// CHECK-NEXT:          y0.write(out0);
// CHECK-NEXT:      }
// CHECK-NEXT:  }

// A reuse factor of 2: the conv's window kernel takes 2 cycles a step and shares 9 multipliers
// among its 18 multiplications a position (the pool and relu have none and keep 1); the schedule,
// hence the design's latency, follows (25 cycles without reuse).
// RUN: xdsl-opt %s -p 'fixed-to-dataflow{io-type=io_stream reuse-factor=2},plan-streams,size-fifos' -t hls-cpp | filecheck %s --check-prefix=REUSE
// RUN: xdsl-opt %s -p 'fixed-to-dataflow{io-type=io_stream reuse-factor=2},plan-streams,size-fifos' | filecheck %s --check-prefix=REUSE-IR
// REUSE-LABEL: conv_steps: for (int step = 0; step < 21; step++) {
// REUSE-NEXT:      #pragma HLS PIPELINE II=2
// REUSE-NEXT:      // reuse factor 2: 9 multipliers for 18 per step
// REUSE-NEXT:      #pragma HLS ALLOCATION operation instances=mul limit=9
// REUSE-LABEL: void pool(
// REUSE:           #pragma HLS PIPELINE II=1
// REUSE-IR:      dataflow.latency = 47
// REUSE-IR:      dataflow.kernel "conv"(%0) reuse 2
// REUSE-IR:      dataflow.kernel "pool"(%1) reuse 1
