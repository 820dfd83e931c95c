// The emitter on a design with two inputs, four outputs and every elementwise construct:
// broadcasting add/sub/mul, reductions over either axis, relu, casts with and without modes, a
// lookup with offset 0, a 2-row dense with bias, a kernel with two results, an input returned as is.
// RUN: xdsl-opt %s -p fixed-to-dataflow -t hls-cpp | filecheck %s

func.func @ew(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> (tensor<2x3xf64>, tensor<3xf64>, tensor<2x2xf64>, tensor<3xf32>) {
  %qa = fixed.quantize %a RND_INF SAT_SYM {layer = "a"} : tensor<2x3xf32> -> tensor<2x3x!fixed.fixed<8, 3, signed>>
  %qb = fixed.quantize %b TRN WRAP {layer = "b"} : tensor<3xf32> -> tensor<3x!fixed.fixed<6, 2, unsigned>>
  %s = fixed.add %qa, %qb {layer = "mix"} : (tensor<2x3x!fixed.fixed<8, 3, signed>>, tensor<3x!fixed.fixed<6, 2, unsigned>>) -> tensor<2x3x!fixed.fixed<9, 4, signed>>
  %m = fixed.mul %qa, %qb {layer = "mix"} : (tensor<2x3x!fixed.fixed<8, 3, signed>>, tensor<3x!fixed.fixed<6, 2, unsigned>>) -> tensor<2x3x!fixed.fixed<14, 5, signed>>
  %cs = fixed.cast %s RND_MIN_INF WRAP {layer = "mix"} : tensor<2x3x!fixed.fixed<9, 4, signed>> -> tensor<2x3x!fixed.fixed<8, 3, signed>>
  %cm = fixed.cast %m TRN WRAP {layer = "mix"} : tensor<2x3x!fixed.fixed<14, 5, signed>> -> tensor<2x3x!fixed.fixed<8, 3, signed>>
  %mx = fixed.reduce_max %cm axis 1 {layer = "norm"} : tensor<2x3x!fixed.fixed<8, 3, signed>> -> tensor<2x1x!fixed.fixed<8, 3, signed>>
  %d = fixed.sub %cm, %mx {layer = "norm"} : (tensor<2x3x!fixed.fixed<8, 3, signed>>, tensor<2x1x!fixed.fixed<8, 3, signed>>) -> tensor<2x3x!fixed.fixed<9, 4, signed>>
  %t = fixed.reduce_sum %d axis 0 {layer = "norm"} : tensor<2x3x!fixed.fixed<9, 4, signed>> -> tensor<1x3x!fixed.fixed<10, 5, signed>>
  %p = fixed.mul %d, %t {layer = "norm"} : (tensor<2x3x!fixed.fixed<9, 4, signed>>, tensor<1x3x!fixed.fixed<10, 5, signed>>) -> tensor<2x3x!fixed.fixed<19, 9, signed>>
  %r = fixed.relu %p {layer = "norm"} : tensor<2x3x!fixed.fixed<19, 9, signed>>
  %c = fixed.cast %r TRN SAT {layer = "norm"} : tensor<2x3x!fixed.fixed<19, 9, signed>> -> tensor<2x3x!fixed.fixed<8, 3, signed>>
  %w = fixed.constant dense<[[16, -8], [32, 4], [-48, 64]]> : tensor<3x2xi8> as tensor<3x2x!fixed.fixed<8, 3, signed>> {layer = "fc"}
  %bias = fixed.constant dense<[1, -1]> : tensor<2xi8> as tensor<2x!fixed.fixed<4, 1, signed>> {layer = "fc"}
  %acc = fixed.dense %cs, %w, %bias {layer = "fc"} : (tensor<2x3x!fixed.fixed<8, 3, signed>>, tensor<3x2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<4, 1, signed>>) -> tensor<2x2x!fixed.fixed<20, 10, signed>>
  %l = fixed.lookup "sigmoid" %qb offset 0 index !fixed.fixed<2, 2, unsigned> table dense<[8, 11, 14, 15]> : tensor<4xi8> {layer = "act"} : tensor<3x!fixed.fixed<6, 2, unsigned>> -> tensor<3x!fixed.fixed<4, 0, unsigned>>
  %y0 = fixed.dequantize %c : tensor<2x3x!fixed.fixed<8, 3, signed>> -> tensor<2x3xf64>
  %y1 = fixed.dequantize %l : tensor<3x!fixed.fixed<4, 0, unsigned>> -> tensor<3xf64>
  %y2 = fixed.dequantize %acc : tensor<2x2x!fixed.fixed<20, 10, signed>> -> tensor<2x2xf64>
  %y3 = fixed.dequantize %qb : tensor<3x!fixed.fixed<6, 2, unsigned>> -> tensor<3xf32>
  func.return %y0, %y1, %y2, %y3 : tensor<2x3xf64>, tensor<3xf64>, tensor<2x2xf64>, tensor<3xf32>
}

// The C entry point: one pointer per port, advanced by the port's size per sample.

// CHECK-LABEL: // ----- ew_bridge.cpp -----
// CHECK-NEXT:  #include "ew_host.h"
// CHECK-EMPTY:
// CHECK-NEXT:  // C simulation entry point: runs n samples per call (inputs/outputs: one array per port).
// CHECK-NEXT:  extern "C" void ew_predict(const double* const* inputs, double* const* outputs, long n) {
// CHECK-NEXT:      for (long s = 0; s < n; s++) {
// CHECK-NEXT:          ew_host(inputs[0] + s * 6, inputs[1] + s * 3, outputs[0] + s * 6, outputs[1] + s * 3, outputs[2] + s * 4, outputs[3] + s * 3);
// CHECK-NEXT:      }
// CHECK-NEXT:  }

// The host: one conversion per input with its quantize's modes (none for TRN, WRAP), in the
// quantize's own type (ap_ufixed<6,2> for b); every output read back as doubles (the f32
// dequantize of y3 too: its 6-bit values are exact either way).

// CHECK-LABEL: // ----- ew_host.h -----
// CHECK-NEXT:  #pragma once
// CHECK-NEXT:  #include "firmware/ew.h"
// CHECK-EMPTY:
// CHECK-NEXT:  // The host side, as @ew_host in the IR: quantise, run the design, read back.
// CHECK-NEXT:  inline void ew_host(const double* in0, const double* in1, double* out0, double* out1, double* out2, double* out3) {
// CHECK-NEXT:      ap_fixed<8,3> quantized[6];
// CHECK-NEXT:      for (int i = 0; i < 6; i++) {
// CHECK-NEXT:          quantized[i] = ap_fixed<8,3,AP_RND_INF,AP_SAT_SYM>(in0[i]);
// CHECK-NEXT:      }
// CHECK-NEXT:      ap_ufixed<6,2> quantized_1[3];
// CHECK-NEXT:      for (int i = 0; i < 3; i++) {
// CHECK-NEXT:          quantized_1[i] = ap_ufixed<6,2>(in1[i]);
// CHECK-NEXT:      }
// CHECK-NEXT:      result0_t y0[6];
// CHECK-NEXT:      result1_t y1[3];
// CHECK-NEXT:      result2_t y2[4];
// CHECK-NEXT:      result3_t y3[3];
// CHECK-NEXT:      ew(quantized, quantized_1, y0, y1, y2, y3);
// CHECK-NEXT:      double values[6];
// CHECK-NEXT:      for (int i = 0; i < 6; i++) {
// CHECK-NEXT:          values[i] = y0[i].to_double();
// CHECK-NEXT:      }
// CHECK-NEXT:      double values_1[3];
// CHECK-NEXT:      for (int i = 0; i < 3; i++) {
// CHECK-NEXT:          values_1[i] = y1[i].to_double();
// CHECK-NEXT:      }
// CHECK-NEXT:      double values_2[4];
// CHECK-NEXT:      for (int i = 0; i < 4; i++) {
// CHECK-NEXT:          values_2[i] = y2[i].to_double();
// CHECK-NEXT:      }
// CHECK-NEXT:      double values_3[3];
// CHECK-NEXT:      for (int i = 0; i < 3; i++) {
// CHECK-NEXT:          values_3[i] = y3[i].to_double();
// CHECK-NEXT:      }
// CHECK-NEXT:      for (int i = 0; i < 6; i++) {
// CHECK-NEXT:          out0[i] = values[i];
// CHECK-NEXT:      }
// CHECK-NEXT:      for (int i = 0; i < 3; i++) {
// CHECK-NEXT:          out1[i] = values_1[i];
// CHECK-NEXT:      }
// CHECK-NEXT:      for (int i = 0; i < 4; i++) {
// CHECK-NEXT:          out2[i] = values_2[i];
// CHECK-NEXT:      }
// CHECK-NEXT:      for (int i = 0; i < 3; i++) {
// CHECK-NEXT:          out3[i] = values_3[i];
// CHECK-NEXT:      }
// CHECK-NEXT:  }

// The test bench: 6 + 3 inputs and 6 + 3 + 4 + 3 outputs per line, passed by offset.
// CHECK-LABEL: // ----- ew_test.cpp -----
// CHECK:         if (x.size() != 9 || want.size() != 16) {
// CHECK:         std::vector<double> y(16);
// CHECK-NEXT:    ew_host(&x[0], &x[6], &y[0], &y[6], &y[9], &y[13]);
// CHECK-NEXT:    for (int i = 0; i < 16; i++) {

// Several ports: input0_t.., result0_t..; a kernel with two results: mix_out0_t, mix_out1_t.

// CHECK-LABEL: // ----- firmware/defines.h -----
// CHECK-NEXT:  #pragma once
// CHECK-NEXT:  #include "ap_fixed.h"
// CHECK-NEXT:  #include "ap_int.h"
// CHECK-EMPTY:
// CHECK-NEXT:  typedef ap_fixed<8,3> input0_t;
// CHECK-NEXT:  typedef ap_ufixed<6,2> input1_t;
// CHECK-NEXT:  typedef ap_fixed<8,3> result0_t;
// CHECK-NEXT:  typedef ap_ufixed<4,0> result1_t;
// CHECK-NEXT:  typedef ap_fixed<20,10> result2_t;
// CHECK-NEXT:  typedef ap_ufixed<6,2> result3_t;
// CHECK-NEXT:  typedef ap_fixed<8,3> mix_out0_t;
// CHECK-NEXT:  typedef ap_fixed<8,3> mix_out1_t;
// CHECK-NEXT:  typedef ap_fixed<8,3> norm_t;
// CHECK-NEXT:  typedef ap_fixed<20,10> fc_t;
// CHECK-NEXT:  typedef ap_ufixed<4,0> act_t;
// CHECK-NEXT:  typedef ap_fixed<9,4> mix_sum_t;
// CHECK-NEXT:  typedef ap_fixed<14,5> mix_prod_t;
// CHECK-NEXT:  typedef ap_fixed<8,3> norm_peak_t;
// CHECK-NEXT:  typedef ap_fixed<9,4> norm_diff_t;
// CHECK-NEXT:  typedef ap_fixed<10,5> norm_total_t;
// CHECK-NEXT:  typedef ap_fixed<19,9> norm_prod_t;
// CHECK-NEXT:  typedef ap_fixed<19,9> norm_relu_t;
// CHECK-NEXT:  typedef ap_fixed<8,3> fc_weights_t;
// CHECK-NEXT:  typedef ap_fixed<4,1> fc_biases_t;
// CHECK-NEXT:  typedef ap_ufixed<4,0> act_sigmoid_table_t;

// Every port gets an interface pragma; kernel results that are not design outputs are local
// arrays; an input returned as is is copied to its output port at the end.

// CHECK-LABEL: // ----- firmware/ew.cpp -----
// CHECK-NEXT:  #include "ew.h"
// CHECK-NEXT:  #include "kernels.h"
// CHECK-EMPTY:
// CHECK-NEXT:  void ew(const input0_t x0[6], const input1_t x1[3], result0_t y0[6], result1_t y1[3], result2_t y2[4], result3_t y3[3]) {
// CHECK-NEXT:      #pragma HLS INTERFACE mode=ap_vld port=x0
// CHECK-NEXT:      #pragma HLS INTERFACE mode=ap_vld port=x1
// CHECK-NEXT:      #pragma HLS INTERFACE mode=ap_vld port=y0
// CHECK-NEXT:      #pragma HLS INTERFACE mode=ap_vld port=y1
// CHECK-NEXT:      #pragma HLS INTERFACE mode=ap_vld port=y2
// CHECK-NEXT:      #pragma HLS INTERFACE mode=ap_vld port=y3
// CHECK-NEXT:      #pragma HLS ARRAY_RESHAPE variable=x0 complete dim=0
// CHECK-NEXT:      #pragma HLS ARRAY_RESHAPE variable=x1 complete dim=0
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=y0 complete dim=0
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=y1 complete dim=0
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=y2 complete dim=0
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=y3 complete dim=0
// CHECK-NEXT:      #pragma HLS PIPELINE II=1
// CHECK-EMPTY:
// CHECK-NEXT:      mix_out0_t mix_out0[6];
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=mix_out0 complete dim=0
// CHECK-NEXT:      mix_out1_t mix_out1[6];
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=mix_out1 complete dim=0
// CHECK-NEXT:      mix(x0, x1, mix_out0, mix_out1);
// CHECK-NEXT:      norm(mix_out1, y0);
// CHECK-NEXT:      fc(mix_out0, y2);
// CHECK-NEXT:      act(x1, y1);
// CHECK-NEXT:      for (int i = 0; i < 3; i++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          y3[i] = x1[i];
// CHECK-NEXT:      }
// CHECK-NEXT:  }

// CHECK-LABEL: // ----- firmware/ew.h -----
// CHECK-NEXT:  #pragma once
// CHECK-NEXT:  #include "defines.h"
// CHECK-EMPTY:
// CHECK-NEXT:  void ew(const input0_t x0[6], const input1_t x1[3], result0_t y0[6], result1_t y1[3], result2_t y2[4], result3_t y3[3]);

// Kernel signatures: x/y for one input/output, x0, x1 / y0, y1 for several.

// CHECK-LABEL: // ----- firmware/kernels.h -----
// CHECK-NEXT:  #pragma once
// CHECK-NEXT:  #include "defines.h"
// CHECK-EMPTY:
// CHECK-NEXT:  void mix(const input0_t x0[6], const input1_t x1[3], mix_out0_t y0[6], mix_out1_t y1[6]);
// CHECK-NEXT:  void norm(const mix_out1_t x[6], norm_t y[6]);
// CHECK-NEXT:  void fc(const mix_out0_t x[6], fc_t y[4]);
// CHECK-NEXT:  void act(const input1_t x[3], act_t y[3]);

// A table lookup with offset 0: the index is the input itself (no subtraction).

// CHECK-LABEL: // ----- firmware/kernels/act.cpp -----
// CHECK-NEXT:  #include "../kernels.h"
// CHECK-NEXT:  #include "../weights/act.h"
// CHECK-EMPTY:
// CHECK-NEXT:  // layer act
// CHECK-NEXT:  void act(const input1_t x[3], act_t y[3]) {
// CHECK-NEXT:      #pragma HLS INLINE{{$}}
// CHECK-NEXT:      // fixed.lookup
// CHECK-NEXT:      Lookup_1: for (int i = 0; i < 3; i++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          ap_ufixed<2,2,AP_TRN,AP_SAT> position = x[i];  // TRN, SAT: clamps to the table
// CHECK-NEXT:          ap_uint<2> index = position.range(1, 0);
// CHECK-NEXT:          y[i] = act_sigmoid_table[index];
// CHECK-NEXT:      }
// CHECK-NEXT:  }

// Dense over 2 rows (input [2, 3]) with a bias; its result is the kernel output (no cast).

// CHECK-LABEL: // ----- firmware/kernels/fc.cpp -----
// CHECK-NEXT:  #include "../kernels.h"
// CHECK-NEXT:  #include "../weights/fc.h"
// CHECK-EMPTY:
// CHECK-NEXT:  // layer fc
// CHECK-NEXT:  void fc(const mix_out0_t x[6], fc_t y[4]) {
// CHECK-NEXT:      #pragma HLS INLINE{{$}}
// CHECK-NEXT:      // fixed.dense
// CHECK-NEXT:      DenseInit_1: for (int j = 0; j < 4; j++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          y[j] = fc_biases[j % 2];
// CHECK-NEXT:      }
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=fc_weights complete
// CHECK-NEXT:      DenseRows_2: for (int r = 0; r < 2; r++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          for (int i = 0; i < 3; i++) {
// CHECK-NEXT:              #pragma HLS UNROLL
// CHECK-NEXT:              for (int j = 0; j < 2; j++) {
// CHECK-NEXT:                  #pragma HLS UNROLL
// CHECK-NEXT:                  y[r * 2 + j] += x[r * 3 + i] * fc_weights[i * 2 + j];
// CHECK-NEXT:              }
// CHECK-NEXT:          }
// CHECK-NEXT:      }
// CHECK-NEXT:  }

// add and mul broadcasting a [3] operand over [2, 3]; a cast with modes and a plain one (TRN, WRAP).

// CHECK-LABEL: // ----- firmware/kernels/mix.cpp -----
// CHECK-NEXT:  #include "../kernels.h"
// CHECK-EMPTY:
// CHECK-NEXT:  // layer mix
// CHECK-NEXT:  void mix(const input0_t x0[6], const input1_t x1[3], mix_out0_t y0[6], mix_out1_t y1[6]) {
// CHECK-NEXT:      #pragma HLS INLINE{{$}}
// CHECK-NEXT:      mix_sum_t sum[6];
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=sum complete
// CHECK-NEXT:      mix_prod_t prod[6];
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=prod complete
// CHECK-NEXT:      // fixed.add
// CHECK-NEXT:      Add_1: for (int i = 0; i < 6; i++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          sum[i] = x0[i] + x1[(i % 3)];
// CHECK-NEXT:      }
// CHECK-NEXT:      // fixed.mul
// CHECK-NEXT:      Mul_2: for (int i = 0; i < 6; i++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          prod[i] = x0[i] * x1[(i % 3)];
// CHECK-NEXT:      }
// CHECK-NEXT:      // fixed.cast
// CHECK-NEXT:      Cast_3: for (int i = 0; i < 6; i++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          y0[i] = ap_fixed<8,3,AP_RND_MIN_INF,AP_WRAP>(sum[i]);
// CHECK-NEXT:      }
// CHECK-NEXT:      // fixed.cast
// CHECK-NEXT:      Cast_4: for (int i = 0; i < 6; i++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          y1[i] = prod[i];
// CHECK-NEXT:      }
// CHECK-NEXT:  }

// reduce_max over axis 1 ([2, 3] -> [2, 1]), sub broadcasting [2, 1], reduce_sum over axis 0
// ([2, 3] -> [1, 3]), mul broadcasting [1, 3], relu, cast TRN SAT.

// CHECK-LABEL: // ----- firmware/kernels/norm.cpp -----
// CHECK-NEXT:  #include "../kernels.h"
// CHECK-EMPTY:
// CHECK-NEXT:  // layer norm
// CHECK-NEXT:  void norm(const mix_out1_t x[6], norm_t y[6]) {
// CHECK-NEXT:      #pragma HLS INLINE{{$}}
// CHECK-NEXT:      norm_peak_t peak[2];
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=peak complete
// CHECK-NEXT:      norm_diff_t diff[6];
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=diff complete
// CHECK-NEXT:      norm_total_t total[3];
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=total complete
// CHECK-NEXT:      norm_prod_t prod[6];
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=prod complete
// CHECK-NEXT:      norm_relu_t relu[6];
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=relu complete
// CHECK-NEXT:      // fixed.reduce_max
// CHECK-NEXT:      ReduceOuter_1: for (int o = 0; o < 2; o++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          for (int j = 0; j < 1; j++) {
// CHECK-NEXT:              #pragma HLS UNROLL
// CHECK-NEXT:              norm_peak_t r = x[o * 3 + j];
// CHECK-NEXT:              for (int k = 1; k < 3; k++) {
// CHECK-NEXT:                  #pragma HLS UNROLL
// CHECK-NEXT:                  if (x[o * 3 + k * 1 + j] > r) r = x[o * 3 + k * 1 + j];
// CHECK-NEXT:              }
// CHECK-NEXT:              peak[o * 1 + j] = r;
// CHECK-NEXT:          }
// CHECK-NEXT:      }
// CHECK-NEXT:      // fixed.sub
// CHECK-NEXT:      Sub_2: for (int i = 0; i < 6; i++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          diff[i] = x[i] - peak[(i / 3 % 2)];
// CHECK-NEXT:      }
// CHECK-NEXT:      // fixed.reduce_sum
// CHECK-NEXT:      ReduceOuter_3: for (int o = 0; o < 1; o++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          for (int j = 0; j < 3; j++) {
// CHECK-NEXT:              #pragma HLS UNROLL
// CHECK-NEXT:              norm_total_t r = diff[o * 6 + j];
// CHECK-NEXT:              for (int k = 1; k < 2; k++) {
// CHECK-NEXT:                  #pragma HLS UNROLL
// CHECK-NEXT:                  r += diff[o * 6 + k * 3 + j];
// CHECK-NEXT:              }
// CHECK-NEXT:              total[o * 3 + j] = r;
// CHECK-NEXT:          }
// CHECK-NEXT:      }
// CHECK-NEXT:      // fixed.mul
// CHECK-NEXT:      Mul_4: for (int i = 0; i < 6; i++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          prod[i] = diff[i] * total[(i % 3)];
// CHECK-NEXT:      }
// CHECK-NEXT:      // fixed.relu
// CHECK-NEXT:      Relu_5: for (int i = 0; i < 6; i++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          relu[i] = prod[i] > 0 ? prod[i] : norm_relu_t(0);
// CHECK-NEXT:      }
// CHECK-NEXT:      // fixed.cast
// CHECK-NEXT:      Cast_6: for (int i = 0; i < 6; i++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          y[i] = ap_fixed<8,3,AP_TRN,AP_SAT>(relu[i]);
// CHECK-NEXT:      }
// CHECK-NEXT:  }

// CHECK-LABEL: // ----- firmware/weights/act.h -----
// CHECK-NEXT:  #pragma once
// CHECK-NEXT:  #include "../defines.h"
// CHECK-EMPTY:
// CHECK-NEXT:  static const act_sigmoid_table_t act_sigmoid_table[4] = {
// CHECK-NEXT:      0.5, 0.6875, 0.875, 0.9375
// CHECK-NEXT:  };

// CHECK-LABEL: // ----- firmware/weights/fc.h -----
// CHECK-NEXT:  #pragma once
// CHECK-NEXT:  #include "../defines.h"
// CHECK-EMPTY:
// CHECK-NEXT:  static const fc_weights_t fc_weights[6] = {
// CHECK-NEXT:      0.5, -0.25, 1.0, 0.125, -1.5, 2.0
// CHECK-NEXT:  };
// CHECK-NEXT:  static const fc_biases_t fc_biases[2] = {
// CHECK-NEXT:      0.125, -0.125
// CHECK-NEXT:  };
