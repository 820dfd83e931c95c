// The io_parallel C++ of convolutions, pools and the other ops of compiler/emitter/spatial.py:
// flat row-major arrays ([*spatial, C]), one loop nest per op with constant bounds, indices
// written out (x[i0 * 8 + i1 * 2 + c] for a [4, 4, 2] array), padding as a bounds test.
// Three designs, one per chunk:
// RUN: xdsl-opt %s --split-input-file -p fixed-to-dataflow -t hls-cpp | filecheck %s
// A reuse factor that does not divide the conv's multiplications, resource strategy:
// RUN: %python %inputs/chunk.py %s 1 | xdsl-opt -p 'fixed-to-dataflow{reuse-factor=3 strategy=resource}' -t hls-cpp | filecheck %s --check-prefix=REUSE

func.func @cnn(%arg: tensor<4x4x2xf32>) -> tensor<2x2x2xf64> {
  %x = fixed.quantize %arg RND SAT {layer = "x"} : tensor<4x4x2xf32> -> tensor<4x4x2x!fixed.fixed<8, 3, signed>>
  %w = fixed.constant dense<[[[[16, -32]], [[8, 64]]], [[[-24, 4]], [[32, -16]]]]> : tensor<2x2x1x2xi8> as tensor<2x2x1x2x!fixed.fixed<8, 3, signed>> {layer = "conv"}
  %b = fixed.constant dense<[8, -4]> : tensor<2xi8> as tensor<2x!fixed.fixed<8, 3, signed>> {layer = "conv"}
  %c = fixed.conv %x, %w, %b {layer = "conv", strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 1, 1>, groups = 2 : i64} : (tensor<4x4x2x!fixed.fixed<8, 3, signed>>, tensor<2x2x1x2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<4x4x2x!fixed.fixed<18, 8, signed>>
  %h = fixed.cast %c RND SAT {layer = "conv"} : tensor<4x4x2x!fixed.fixed<18, 8, signed>> -> tensor<4x4x2x!fixed.fixed<8, 3, signed>>
  %p = fixed.max_pool %h {layer = "pool", kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>} : tensor<4x4x2x!fixed.fixed<8, 3, signed>> -> tensor<2x2x2x!fixed.fixed<8, 3, signed>>
  %y = fixed.dequantize %p : tensor<2x2x2x!fixed.fixed<8, 3, signed>> -> tensor<2x2x2xf64>
  func.return %y : tensor<2x2x2xf64>
}
// A 2x2 conv with 2 groups of one channel, padding 1 at the end of each axis (4x4 -> 4x4), then a
// 2x2 max pool with stride 2. The top pipelines the two kernels (latency strategy, II=1).
// CHECK-LABEL: {{^//}} ----- firmware/cnn.cpp -----
// CHECK-NEXT:  #include "cnn.h"
// CHECK-NEXT:  #include "kernels.h"
// CHECK-EMPTY:
// CHECK-NEXT:  void cnn(const input_t x[32], result_t y[8]) {
// CHECK-NEXT:      #pragma HLS INTERFACE mode=ap_vld port=x
// CHECK-NEXT:      #pragma HLS INTERFACE mode=ap_vld port=y
// CHECK-NEXT:      #pragma HLS ARRAY_RESHAPE variable=x complete dim=0
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=y complete dim=0
// CHECK-NEXT:      #pragma HLS PIPELINE II=1
// CHECK-EMPTY:
// CHECK-NEXT:      conv_t conv_out[32];
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=conv_out complete dim=0
// CHECK-NEXT:      conv(x, conv_out);
// CHECK-NEXT:      pool(conv_out, y);
// CHECK-NEXT:  }
// The accumulator is the conv's exact type <18,8>; weights and biases keep theirs.
// CHECK-LABEL: {{^//}} ----- firmware/defines.h -----
// CHECK-NEXT:  #pragma once
// CHECK-NEXT:  #include "ap_fixed.h"
// CHECK-NEXT:  #include "ap_int.h"
// CHECK-EMPTY:
// CHECK-NEXT:  typedef ap_fixed<8,3> input_t;
// CHECK-NEXT:  typedef ap_fixed<8,3> result_t;
// CHECK-NEXT:  typedef ap_fixed<8,3> conv_t;
// CHECK-NEXT:  typedef ap_fixed<8,3> pool_t;
// CHECK-NEXT:  typedef ap_fixed<8,3> conv_weights_t;
// CHECK-NEXT:  typedef ap_fixed<8,3> conv_biases_t;
// CHECK-NEXT:  typedef ap_fixed<18,8> conv_acc_t;
// The conv: the bias first, then every product. Weight [kh, kw, C/groups, O] = [2, 2, 1, 2] has
// strides [4, 2, 2, 1]; output o of group o / (2 / 2) reads input channel o / 1 * 1 + c. Inputs
// past the end (i0 or i1 = 4) are the padding: the test skips them (they add 0).
// CHECK-LABEL: {{^//}} ----- firmware/kernels/conv.cpp -----
// CHECK-NEXT:  #include "../kernels.h"
// CHECK-NEXT:  #include "../weights/conv.h"
// CHECK-EMPTY:
// CHECK-NEXT:  // layer conv
// CHECK-NEXT:  void conv(const input_t x[32], conv_t y[32]) {
// CHECK-NEXT:      #pragma HLS INLINE
// CHECK-NEXT:      conv_acc_t acc[32];
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=acc complete
// CHECK-NEXT:      // fixed.conv
// CHECK-NEXT:      ConvInit_1: for (int p0 = 0; p0 < 4; p0++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          for (int p1 = 0; p1 < 4; p1++) {
// CHECK-NEXT:              #pragma HLS UNROLL
// CHECK-NEXT:              for (int o = 0; o < 2; o++) {
// CHECK-NEXT:                  #pragma HLS UNROLL
// CHECK-NEXT:                  acc[p0 * 8 + p1 * 2 + o] = conv_biases[o];
// CHECK-NEXT:              }
// CHECK-NEXT:          }
// CHECK-NEXT:      }
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=conv_weights complete
// CHECK-NEXT:      ConvMac_2: for (int p0 = 0; p0 < 4; p0++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          for (int p1 = 0; p1 < 4; p1++) {
// CHECK-NEXT:              #pragma HLS UNROLL
// CHECK-NEXT:              for (int o = 0; o < 2; o++) {
// CHECK-NEXT:                  #pragma HLS UNROLL
// CHECK-NEXT:                  for (int t0 = 0; t0 < 2; t0++) {
// CHECK-NEXT:                      #pragma HLS UNROLL
// CHECK-NEXT:                      for (int t1 = 0; t1 < 2; t1++) {
// CHECK-NEXT:                          #pragma HLS UNROLL
// CHECK-NEXT:                          for (int c = 0; c < 1; c++) {
// CHECK-NEXT:                              #pragma HLS UNROLL
// CHECK-NEXT:                              int i0 = p0 * 1 + t0 * 1 - 0;
// CHECK-NEXT:                              int i1 = p1 * 1 + t1 * 1 - 0;
// CHECK-NEXT:                              if (i0 >= 0 && i0 < 4 && i1 >= 0 && i1 < 4) acc[p0 * 8 + p1 * 2 + o] += x[i0 * 8 + i1 * 2 + (o / 1 * 1 + c)] * conv_weights[t0 * 4 + t1 * 2 + c * 2 + o];
// CHECK-NEXT:                          }
// CHECK-NEXT:                      }
// CHECK-NEXT:                  }
// CHECK-NEXT:              }
// CHECK-NEXT:          }
// CHECK-NEXT:      }
// CHECK-NEXT:      // fixed.cast
// CHECK-NEXT:      Cast_3: for (int i = 0; i < 32; i++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          y[i] = ap_fixed<8,3,AP_RND,AP_SAT>(acc[i]);
// CHECK-NEXT:      }
// CHECK-NEXT:  }
// The max pool starts from the lowest value of <8,3>, -4.0.
// CHECK-LABEL: {{^//}} ----- firmware/kernels/pool.cpp -----
// CHECK-NEXT:  #include "../kernels.h"
// CHECK-EMPTY:
// CHECK-NEXT:  // layer pool
// CHECK-NEXT:  void pool(const conv_t x[32], pool_t y[8]) {
// CHECK-NEXT:      #pragma HLS INLINE
// CHECK-NEXT:      // fixed.max_pool
// CHECK-NEXT:      Pool_1: for (int p0 = 0; p0 < 2; p0++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          for (int p1 = 0; p1 < 2; p1++) {
// CHECK-NEXT:              #pragma HLS UNROLL
// CHECK-NEXT:              for (int c = 0; c < 2; c++) {
// CHECK-NEXT:                  #pragma HLS UNROLL
// CHECK-NEXT:                  pool_t r = -4.0;
// CHECK-NEXT:                  for (int t0 = 0; t0 < 2; t0++) {
// CHECK-NEXT:                      #pragma HLS UNROLL
// CHECK-NEXT:                      for (int t1 = 0; t1 < 2; t1++) {
// CHECK-NEXT:                          #pragma HLS UNROLL
// CHECK-NEXT:                          int i0 = p0 * 2 + t0 - 0;
// CHECK-NEXT:                          int i1 = p1 * 2 + t1 - 0;
// CHECK-NEXT:                          if (i0 >= 0 && i0 < 4 && i1 >= 0 && i1 < 4 && x[i0 * 8 + i1 * 2 + c] > r) r = x[i0 * 8 + i1 * 2 + c];
// CHECK-NEXT:                      }
// CHECK-NEXT:                  }
// CHECK-NEXT:                  y[p0 * 4 + p1 * 2 + c] = r;
// CHECK-NEXT:              }
// CHECK-NEXT:          }
// CHECK-NEXT:      }
// CHECK-NEXT:  }
// Weight codes / 32 in row-major order of [2, 2, 1, 2]; bias [8, -4] / 32.
// CHECK-LABEL: {{^//}} ----- firmware/weights/conv.h -----
// CHECK-NEXT:  #pragma once
// CHECK-NEXT:  #include "../defines.h"
// CHECK-EMPTY:
// CHECK-NEXT:  static const conv_weights_t conv_weights[8] = {
// CHECK-NEXT:      0.5, -1.0, 0.25, 2.0, -0.75, 0.125, 1.0, -0.5
// CHECK-NEXT:  };
// CHECK-NEXT:  static const conv_biases_t conv_biases[2] = {
// CHECK-NEXT:      0.25, -0.125
// CHECK-NEXT:  };

// REUSE checks: 4 * 4 positions * 2 outputs * 4 taps = 128 multiplications, in 3 rounds of
// ceil(128 / 3) = 43 lanes (43 * 3 = 129: k = 128 is skipped). k runs over (p0, p1, o, t0, t1, c)
// of sizes [4, 4, 2, 2, 2, 1], strides [32, 8, 4, 2, 1, 1]. The resource strategy pipelines the
// rounds (rewind) and makes the top a DATAFLOW region.
// REUSE-LABEL: {{^//}} ----- firmware/cnn.cpp -----
// REUSE:         #pragma HLS ARRAY_PARTITION variable=y complete dim=0
// REUSE-NEXT:    #pragma HLS DATAFLOW
// REUSE-LABEL: {{^//}} ----- firmware/kernels/conv.cpp -----
// REUSE-NEXT:  #include "../kernels.h"
// REUSE-NEXT:  #include "../weights/conv.h"
// REUSE-EMPTY:
// REUSE-NEXT:  // layer conv
// REUSE-NEXT:  void conv(const input_t x[32], conv_t y[32]) {
// REUSE-NEXT:      #pragma HLS INLINE off
// REUSE-NEXT:      conv_acc_t acc[32];
// REUSE-NEXT:      #pragma HLS ARRAY_PARTITION variable=acc complete
// REUSE-NEXT:      // fixed.conv
// REUSE-NEXT:      ConvInit_1: for (int p0 = 0; p0 < 4; p0++) {
// REUSE-NEXT:          #pragma HLS UNROLL
// REUSE-NEXT:          for (int p1 = 0; p1 < 4; p1++) {
// REUSE-NEXT:              #pragma HLS UNROLL
// REUSE-NEXT:              for (int o = 0; o < 2; o++) {
// REUSE-NEXT:                  #pragma HLS UNROLL
// REUSE-NEXT:                  acc[p0 * 8 + p1 * 2 + o] = conv_biases[o];
// REUSE-NEXT:              }
// REUSE-NEXT:          }
// REUSE-NEXT:      }
// REUSE-NEXT:      // reuse factor 3: 43 multipliers, one round per cycle
// REUSE-NEXT:      #pragma HLS ALLOCATION operation instances=mul limit=43
// REUSE-NEXT:      ReuseLoop_2: for (int round = 0; round < 3; round++) {
// REUSE-NEXT:          #pragma HLS PIPELINE II=1 rewind
// REUSE-NEXT:          for (int lane = 0; lane < 43; lane++) {
// REUSE-NEXT:              #pragma HLS UNROLL
// REUSE-NEXT:              int k = round + 3 * lane;
// REUSE-NEXT:              if (k >= 128) continue;  // the last round is partial
// REUSE-NEXT:              int p0 = k / 32 % 4;
// REUSE-NEXT:              int p1 = k / 8 % 4;
// REUSE-NEXT:              int o = k / 4 % 2;
// REUSE-NEXT:              int t0 = k / 2 % 2;
// REUSE-NEXT:              int t1 = k / 1 % 2;
// REUSE-NEXT:              int c = k / 1 % 1;
// REUSE-NEXT:              int i0 = p0 * 1 + t0 * 1 - 0;
// REUSE-NEXT:              int i1 = p1 * 1 + t1 * 1 - 0;
// REUSE-NEXT:              if (i0 >= 0 && i0 < 4 && i1 >= 0 && i1 < 4) acc[p0 * 8 + p1 * 2 + o] += x[i0 * 8 + i1 * 2 + (o / 1 * 1 + c)] * conv_weights[t0 * 4 + t1 * 2 + c * 2 + o];
// REUSE-NEXT:          }
// REUSE-NEXT:      }
// REUSE-NEXT:      // fixed.cast
// REUSE-NEXT:      Cast_3: for (int i = 0; i < 32; i++) {
// REUSE-NEXT:          #pragma HLS UNROLL
// REUSE-NEXT:          y[i] = ap_fixed<8,3,AP_RND,AP_SAT>(acc[i]);
// REUSE-NEXT:      }
// REUSE-NEXT:  }

// -----
func.func @seq(%arg: tensor<7x2xf32>) -> tensor<3x2xf64> {
  %x = fixed.quantize %arg RND SAT {layer = "x"} : tensor<7x2xf32> -> tensor<7x2x!fixed.fixed<8, 3, signed>>
  %w = fixed.constant dense<[[[16, -8], [4, 32]], [[-16, 8], [2, 1]]]> : tensor<2x2x2xi8> as tensor<2x2x2x!fixed.fixed<8, 3, signed>> {layer = "conv"}
  %c = fixed.conv %x, %w {layer = "conv", strides = array<i64: 2>, dilations = array<i64: 2>, pads = array<i64: 0, 1>, groups = 1 : i64} : (tensor<7x2x!fixed.fixed<8, 3, signed>>, tensor<2x2x2x!fixed.fixed<8, 3, signed>>) -> tensor<3x2x!fixed.fixed<18, 8, signed>>
  %s = fixed.sum_pool %c {layer = "avg", kernel = array<i64: 2>, strides = array<i64: 1>, pads = array<i64: 1, 0>} : tensor<3x2x!fixed.fixed<18, 8, signed>> -> tensor<3x2x!fixed.fixed<19, 9, signed>>
  %k = fixed.constant dense<[[2], [1], [1]]> : tensor<3x1xi8> as tensor<3x1x!fixed.fixed<2, 1, unsigned>> {layer = "avg"}
  %m = fixed.mul %s, %k {layer = "avg"} : (tensor<3x2x!fixed.fixed<19, 9, signed>>, tensor<3x1x!fixed.fixed<2, 1, unsigned>>) -> tensor<3x2x!fixed.fixed<21, 10, signed>>
  %y = fixed.dequantize %m : tensor<3x2x!fixed.fixed<21, 10, signed>> -> tensor<3x2xf64>
  func.return %y : tensor<3x2xf64>
}
// A 1-D conv without bias, stride 2, dilation 2, padding 1 at the end: 7 + 1 positions, window span
// 3, so 3 outputs at inputs 2 p0 + 2 t0; then an average pool whose padding is left out of the
// count: a sum pool (window p0 - 1 + t0) times 1/count per position ([1, 0.5, 0.5], shaped [3, 1]:
// index i / 2 % 3 of the [3, 2] product).
// CHECK-LABEL: {{^//}} ----- firmware/kernels/avg.cpp -----
// CHECK-NEXT:  #include "../kernels.h"
// CHECK-NEXT:  #include "../weights/avg.h"
// CHECK-EMPTY:
// CHECK-NEXT:  // layer avg
// CHECK-NEXT:  void avg(const conv_t x[6], avg_t y[6]) {
// CHECK-NEXT:      #pragma HLS INLINE
// CHECK-NEXT:      avg_window_sum_t window_sum[6];
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=window_sum complete
// CHECK-NEXT:      // fixed.sum_pool
// CHECK-NEXT:      Pool_1: for (int p0 = 0; p0 < 3; p0++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          for (int c = 0; c < 2; c++) {
// CHECK-NEXT:              #pragma HLS UNROLL
// CHECK-NEXT:              avg_window_sum_t r = 0;
// CHECK-NEXT:              for (int t0 = 0; t0 < 2; t0++) {
// CHECK-NEXT:                  #pragma HLS UNROLL
// CHECK-NEXT:                  int i0 = p0 * 1 + t0 - 1;
// CHECK-NEXT:                  if (i0 >= 0 && i0 < 3) r += x[i0 * 2 + c];
// CHECK-NEXT:              }
// CHECK-NEXT:              window_sum[p0 * 2 + c] = r;
// CHECK-NEXT:          }
// CHECK-NEXT:      }
// CHECK-NEXT:      // fixed.mul
// CHECK-NEXT:      Mul_2: for (int i = 0; i < 6; i++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          y[i] = window_sum[i] * avg_constant[(i / 2 % 3)];
// CHECK-NEXT:      }
// CHECK-NEXT:  }
// Without a bias the accumulator starts at 0; here it is the kernel's output array itself.
// CHECK-LABEL: {{^//}} ----- firmware/kernels/conv.cpp -----
// CHECK-NEXT:  #include "../kernels.h"
// CHECK-NEXT:  #include "../weights/conv.h"
// CHECK-EMPTY:
// CHECK-NEXT:  // layer conv
// CHECK-NEXT:  void conv(const input_t x[14], conv_t y[6]) {
// CHECK-NEXT:      #pragma HLS INLINE
// CHECK-NEXT:      // fixed.conv
// CHECK-NEXT:      ConvInit_1: for (int p0 = 0; p0 < 3; p0++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          for (int o = 0; o < 2; o++) {
// CHECK-NEXT:              #pragma HLS UNROLL
// CHECK-NEXT:              y[p0 * 2 + o] = 0;
// CHECK-NEXT:          }
// CHECK-NEXT:      }
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=conv_weights complete
// CHECK-NEXT:      ConvMac_2: for (int p0 = 0; p0 < 3; p0++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          for (int o = 0; o < 2; o++) {
// CHECK-NEXT:              #pragma HLS UNROLL
// CHECK-NEXT:              for (int t0 = 0; t0 < 2; t0++) {
// CHECK-NEXT:                  #pragma HLS UNROLL
// CHECK-NEXT:                  for (int c = 0; c < 2; c++) {
// CHECK-NEXT:                      #pragma HLS UNROLL
// CHECK-NEXT:                      int i0 = p0 * 2 + t0 * 2 - 0;
// CHECK-NEXT:                      if (i0 >= 0 && i0 < 7) y[p0 * 2 + o] += x[i0 * 2 + (c)] * conv_weights[t0 * 4 + c * 2 + o];
// CHECK-NEXT:                  }
// CHECK-NEXT:              }
// CHECK-NEXT:          }
// CHECK-NEXT:      }
// CHECK-NEXT:  }
// CHECK-LABEL: {{^//}} ----- firmware/weights/avg.h -----
// CHECK-NEXT:  #pragma once
// CHECK-NEXT:  #include "../defines.h"
// CHECK-EMPTY:
// CHECK-NEXT:  static const avg_constant_t avg_constant[3] = {
// CHECK-NEXT:      1.0, 0.5, 0.5
// CHECK-NEXT:  };

// -----
func.func @moves(%arg: tensor<2x3xf32>) -> (tensor<4x3xf64>, tensor<2x4xf64>, tensor<8xf64>) {
  %x = fixed.quantize %arg RND SAT {layer = "x"} : tensor<2x3xf32> -> tensor<2x3x!fixed.fixed<8, 3, signed>>
  %k = fixed.clamp %x low -32 high 96 {layer = "clip"} : tensor<2x3x!fixed.fixed<8, 3, signed>> -> tensor<2x3x!fixed.fixed<8, 3, signed>>
  %z = fixed.constant dense<0> : tensor<1xi8> as tensor<1x!fixed.fixed<1, -4, unsigned>> {layer = "relu"}
  %r = fixed.select %k, %k, %z {layer = "relu"} : (tensor<2x3x!fixed.fixed<8, 3, signed>>, tensor<2x3x!fixed.fixed<8, 3, signed>>, tensor<1x!fixed.fixed<1, -4, unsigned>>) -> tensor<2x3x!fixed.fixed<8, 3, signed>>
  %p = layout.pad %r {layer = "move", pads = array<i64: 1, 0, 1, 0>, value = -0.5 : f64} : tensor<2x3x!fixed.fixed<8, 3, signed>> -> tensor<4x3x!fixed.fixed<8, 3, signed>>
  %s = layout.slice %r {layer = "move", offsets = array<i64: 0, 1>, sizes = array<i64: 2, 2>} : tensor<2x3x!fixed.fixed<8, 3, signed>> -> tensor<2x2x!fixed.fixed<8, 3, signed>>
  %t = layout.transpose %s {layer = "move", perm = array<i64: 1, 0>} : tensor<2x2x!fixed.fixed<8, 3, signed>> -> tensor<2x2x!fixed.fixed<8, 3, signed>>
  %u = layout.resize %t {layer = "move", scales = array<i64: 1, 2>} : tensor<2x2x!fixed.fixed<8, 3, signed>> -> tensor<2x4x!fixed.fixed<8, 3, signed>>
  %c = layout.concat %s, %t axis 0 {layer = "cat"} : (tensor<2x2x!fixed.fixed<8, 3, signed>>, tensor<2x2x!fixed.fixed<8, 3, signed>>) -> tensor<4x2x!fixed.fixed<8, 3, signed>>
  %f = layout.reshape %c {layer = "cat"} : tensor<4x2x!fixed.fixed<8, 3, signed>> -> tensor<8x!fixed.fixed<8, 3, signed>>
  %y0 = fixed.dequantize %p : tensor<4x3x!fixed.fixed<8, 3, signed>> -> tensor<4x3xf64>
  %y1 = fixed.dequantize %u : tensor<2x4x!fixed.fixed<8, 3, signed>> -> tensor<2x4xf64>
  %y2 = fixed.dequantize %f : tensor<8x!fixed.fixed<8, 3, signed>> -> tensor<8xf64>
  func.return %y0, %y1, %y2 : tensor<4x3xf64>, tensor<2x4xf64>, tensor<8xf64>
}
// Clamp bounds are codes of the input's step (-32 / 32, 96 / 32); a select compares with 0 and
// converts both branches to the result type; a pad reads the input where it is inside and the pad
// value elsewhere; a slice, transpose and resize read the input element each output position comes
// from; a concat writes each input at its offset along the axis; a reshape copies.
// CHECK-LABEL: {{^//}} ----- firmware/kernels/cat.cpp -----
// CHECK-NEXT:  #include "../kernels.h"
// CHECK-EMPTY:
// CHECK-NEXT:  // layer cat
// CHECK-NEXT:  void cat(const move_out1_t x0[4], const move_out2_t x1[4], cat_t y[8]) {
// CHECK-NEXT:      #pragma HLS INLINE
// CHECK-NEXT:      cat_joined_t joined[8];
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=joined complete
// CHECK-NEXT:      // layout.concat
// CHECK-NEXT:      Concat_1: for (int i0 = 0; i0 < 2; i0++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          for (int i1 = 0; i1 < 2; i1++) {
// CHECK-NEXT:              #pragma HLS UNROLL
// CHECK-NEXT:              joined[(i0 + 0) * 2 + i1] = x0[i0 * 2 + i1];
// CHECK-NEXT:          }
// CHECK-NEXT:      }
// CHECK-NEXT:      Concat_2: for (int i0 = 0; i0 < 2; i0++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          for (int i1 = 0; i1 < 2; i1++) {
// CHECK-NEXT:              #pragma HLS UNROLL
// CHECK-NEXT:              joined[(i0 + 2) * 2 + i1] = x1[i0 * 2 + i1];
// CHECK-NEXT:          }
// CHECK-NEXT:      }
// CHECK-NEXT:      // layout.reshape
// CHECK-NEXT:      Reshape_3: for (int i = 0; i < 8; i++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          y[i] = joined[i];
// CHECK-NEXT:      }
// CHECK-NEXT:  }
// CHECK-LABEL: {{^//}} ----- firmware/kernels/clip.cpp -----
// CHECK-NEXT:  #include "../kernels.h"
// CHECK-EMPTY:
// CHECK-NEXT:  // layer clip
// CHECK-NEXT:  void clip(const input_t x[6], clip_t y[6]) {
// CHECK-NEXT:      #pragma HLS INLINE
// CHECK-NEXT:      // fixed.clamp
// CHECK-NEXT:      Clamp_1: for (int i = 0; i < 6; i++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          y[i] = x[i] < clip_t(-1.0) ? clip_t(-1.0) : (x[i] > clip_t(3.0) ? clip_t(3.0) : clip_t(x[i]));
// CHECK-NEXT:      }
// CHECK-NEXT:  }
// CHECK-LABEL: {{^//}} ----- firmware/kernels/move.cpp -----
// CHECK-NEXT:  #include "../kernels.h"
// CHECK-EMPTY:
// CHECK-NEXT:  // layer move
// CHECK-NEXT:  void move(const relu_t x[6], move_out0_t y0[12], move_out1_t y1[4], move_out2_t y2[4], move_out3_t y3[8]) {
// CHECK-NEXT:      #pragma HLS INLINE
// CHECK-NEXT:      move_sliced_t sliced[4];
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=sliced complete
// CHECK-NEXT:      move_transposed_t transposed[4];
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=transposed complete
// CHECK-NEXT:      // layout.pad
// CHECK-NEXT:      Pad_1: for (int i0 = 0; i0 < 4; i0++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          for (int i1 = 0; i1 < 3; i1++) {
// CHECK-NEXT:              #pragma HLS UNROLL
// CHECK-NEXT:              y0[i0 * 3 + i1] = ((i0 - 1) >= 0 && (i0 - 1) < 2 && i1 >= 0 && i1 < 3) ? move_out0_t(x[(i0 - 1) * 3 + i1]) : move_out0_t(-0.5);
// CHECK-NEXT:          }
// CHECK-NEXT:      }
// CHECK-NEXT:      // layout.slice
// CHECK-NEXT:      Slice_2: for (int i0 = 0; i0 < 2; i0++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          for (int i1 = 0; i1 < 2; i1++) {
// CHECK-NEXT:              #pragma HLS UNROLL
// CHECK-NEXT:              sliced[i0 * 2 + i1] = x[i0 * 3 + (i1 + 1)];
// CHECK-NEXT:          }
// CHECK-NEXT:      }
// CHECK-NEXT:      // layout.transpose
// CHECK-NEXT:      Transpose_3: for (int i0 = 0; i0 < 2; i0++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          for (int i1 = 0; i1 < 2; i1++) {
// CHECK-NEXT:              #pragma HLS UNROLL
// CHECK-NEXT:              transposed[i0 * 2 + i1] = sliced[i1 * 2 + i0];
// CHECK-NEXT:          }
// CHECK-NEXT:      }
// CHECK-NEXT:      // layout.resize
// CHECK-NEXT:      Resize_4: for (int i0 = 0; i0 < 2; i0++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          for (int i1 = 0; i1 < 4; i1++) {
// CHECK-NEXT:              #pragma HLS UNROLL
// CHECK-NEXT:              y3[i0 * 4 + i1] = transposed[i0 * 2 + (i1 / 2)];
// CHECK-NEXT:          }
// CHECK-NEXT:      }
// CHECK-NEXT:      Copy_5: for (int i = 0; i < 4; i++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          y1[i] = sliced[i];
// CHECK-NEXT:      }
// CHECK-NEXT:      Copy_6: for (int i = 0; i < 4; i++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          y2[i] = transposed[i];
// CHECK-NEXT:      }
// CHECK-NEXT:  }
// CHECK-LABEL: {{^//}} ----- firmware/kernels/relu.cpp -----
// CHECK-NEXT:  #include "../kernels.h"
// CHECK-NEXT:  #include "../weights/relu.h"
// CHECK-EMPTY:
// CHECK-NEXT:  // layer relu
// CHECK-NEXT:  void relu(const clip_t x[6], relu_t y[6]) {
// CHECK-NEXT:      #pragma HLS INLINE
// CHECK-NEXT:      // fixed.select
// CHECK-NEXT:      Select_1: for (int i = 0; i < 6; i++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          y[i] = x[i] > 0 ? relu_t(x[i]) : relu_t(relu_constant[0]);
// CHECK-NEXT:      }
// CHECK-NEXT:  }
