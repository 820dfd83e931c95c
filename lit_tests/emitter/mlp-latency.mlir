// The whole pipeline on a small MLP (dense + relu + softmax), latency strategy, reuse factor 1,
// precision with modes (so every cast and the host's input conversion spell AP_RND,AP_SAT).
// Checks every file the hls-cpp target prints, line by line.
// (Without infer-bitwidths, which the CLI runs too: the types here are nn-to-fixed's bit-growth ones.)
// RUN: xdsl-opt %s -p 'fold-dense-bias,nn-to-fixed{precision="ap_fixed<8,3,AP_RND,AP_SAT>" table-size=4},fixed-to-dataflow' -t hls-cpp | filecheck %s

func.func @mlp(%x: tensor<4xf32>) -> tensor<2xf32> {
  %w = nn.constant dense<[[0.5, -0.25], [1.0, 0.125], [-1.5, 2.0], [0.75, -0.5]]> : tensor<4x2xf32>
  %b = nn.constant dense<[0.25, -0.125]> : tensor<2xf32>
  %d = nn.dense %x, %w {layer = "fc1"} : (tensor<4xf32>, tensor<4x2xf32>) -> tensor<2xf32>
  %a = nn.add %d, %b {layer = "fc1_bias"} : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %r = nn.relu %a {layer = "relu1"} : tensor<2xf32>
  %s = nn.softmax %r axis 0 {layer = "sm"} : tensor<2xf32>
  func.return %s : tensor<2xf32>
}

// Every array type is a typedef: ports, kernel outputs, constants, accumulators, tables.
// CHECK-LABEL: // ----- firmware/defines.h -----
// CHECK-NEXT:  #pragma once
// CHECK-NEXT:  #include "ap_fixed.h"
// CHECK-NEXT:  #include "ap_int.h"
// CHECK-EMPTY:
// CHECK-NEXT:  typedef ap_fixed<8,3> input_t;
// CHECK-NEXT:  typedef ap_fixed<8,3> result_t;
// CHECK-NEXT:  typedef ap_fixed<8,3> fc1_t;
// CHECK-NEXT:  typedef ap_fixed<8,3> relu1_t;
// CHECK-NEXT:  typedef ap_fixed<8,3> sm_t;
// CHECK-NEXT:  typedef ap_fixed<8,3> fc1_weights_t;
// CHECK-NEXT:  typedef ap_fixed<8,3> fc1_biases_t;
// CHECK-NEXT:  typedef ap_fixed<19,9> fc1_acc_t;
// CHECK-NEXT:  typedef ap_fixed<8,3> sm_peak_t;
// CHECK-NEXT:  typedef ap_fixed<9,4> sm_diff_t;
// CHECK-NEXT:  typedef ap_ufixed<18,1> sm_exp_value_t;
// CHECK-NEXT:  typedef ap_ufixed<19,2> sm_total_t;
// CHECK-NEXT:  typedef ap_ufixed<18,0> sm_reciprocal_value_t;
// CHECK-NEXT:  typedef ap_ufixed<36,1> sm_prod_t;
// CHECK-NEXT:  typedef ap_ufixed<18,1> sm_exp_table_t;
// CHECK-NEXT:  typedef ap_ufixed<18,0> sm_reciprocal_table_t;
// CHECK-LABEL: // ----- firmware/kernels.h -----
// CHECK-NEXT:  #pragma once
// CHECK-NEXT:  #include "defines.h"
// CHECK-EMPTY:
// CHECK-NEXT:  void fc1(const input_t x[4], fc1_t y[2]);
// CHECK-NEXT:  void relu1(const fc1_t x[2], relu1_t y[2]);
// CHECK-NEXT:  void sm(const relu1_t x[2], sm_t y[2]);

// Dense with reuse factor 1: bias init, fully unrolled loops, weights partitioned; the cast to
// the layer type uses the op's modes (AP_RND, AP_SAT). Latency kernels are inlined.
// CHECK-LABEL: // ----- firmware/kernels/fc1.cpp -----
// CHECK-NEXT:  #include "../kernels.h"
// CHECK-NEXT:  #include "../weights/fc1.h"
// CHECK-EMPTY:
// CHECK-NEXT:  // layer fc1
// CHECK-NEXT:  void fc1(const input_t x[4], fc1_t y[2]) {
// CHECK-NEXT:      #pragma HLS INLINE{{$}}
// CHECK-NEXT:      fc1_acc_t acc[2];
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=acc complete
// CHECK-NEXT:      // fixed.dense
// CHECK-NEXT:      DenseInit_1: for (int j = 0; j < 2; j++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          acc[j] = fc1_biases[j % 2];
// CHECK-NEXT:      }
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=fc1_weights complete
// CHECK-NEXT:      DenseRows_2: for (int r = 0; r < 1; r++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          for (int i = 0; i < 4; i++) {
// CHECK-NEXT:              #pragma HLS UNROLL
// CHECK-NEXT:              for (int j = 0; j < 2; j++) {
// CHECK-NEXT:                  #pragma HLS UNROLL
// CHECK-NEXT:                  acc[r * 2 + j] += x[r * 4 + i] * fc1_weights[i * 2 + j];
// CHECK-NEXT:              }
// CHECK-NEXT:          }
// CHECK-NEXT:      }
// CHECK-NEXT:      // fixed.cast
// CHECK-NEXT:      Cast_3: for (int i = 0; i < 2; i++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          y[i] = ap_fixed<8,3,AP_RND,AP_SAT>(acc[i]);
// CHECK-NEXT:      }
// CHECK-NEXT:  }
// CHECK-LABEL: // ----- firmware/kernels/relu1.cpp -----
// CHECK-NEXT:  #include "../kernels.h"
// CHECK-EMPTY:
// CHECK-NEXT:  // layer relu1
// CHECK-NEXT:  void relu1(const fc1_t x[2], relu1_t y[2]) {
// CHECK-NEXT:      #pragma HLS INLINE{{$}}
// CHECK-NEXT:      // fixed.relu
// CHECK-NEXT:      Relu_1: for (int i = 0; i < 2; i++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          y[i] = x[i] > 0 ? x[i] : relu1_t(0);
// CHECK-NEXT:      }
// CHECK-NEXT:  }

// Softmax: reduce max, sub with a broadcast [1] operand (index 0), exp lookup (index type with
// TRN, SAT; offset -6.0 as an exact ap_fixed literal; .range), reduce sum, reciprocal lookup from
// 1.0 (its 4 entries span [1, 2] in steps of 0.25: index type ap_ufixed<2,0>), mul with
// broadcasting, cast with modes.
// CHECK-LABEL: // ----- firmware/kernels/sm.cpp -----
// CHECK-NEXT:  #include "../kernels.h"
// CHECK-NEXT:  #include "../weights/sm.h"
// CHECK-EMPTY:
// CHECK-NEXT:  // layer sm
// CHECK-NEXT:  void sm(const relu1_t x[2], sm_t y[2]) {
// CHECK-NEXT:      #pragma HLS INLINE{{$}}
// CHECK-NEXT:      sm_peak_t peak[1];
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=peak complete
// CHECK-NEXT:      sm_diff_t diff[2];
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=diff complete
// CHECK-NEXT:      sm_exp_value_t exp_value[2];
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=exp_value complete
// CHECK-NEXT:      sm_total_t total[1];
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=total complete
// CHECK-NEXT:      sm_reciprocal_value_t reciprocal_value[1];
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=reciprocal_value complete
// CHECK-NEXT:      sm_prod_t prod[2];
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=prod complete
// CHECK-NEXT:      // fixed.reduce_max
// CHECK-NEXT:      ReduceOuter_1: for (int o = 0; o < 1; o++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          for (int j = 0; j < 1; j++) {
// CHECK-NEXT:              #pragma HLS UNROLL
// CHECK-NEXT:              sm_peak_t r = x[o * 2 + j];
// CHECK-NEXT:              for (int k = 1; k < 2; k++) {
// CHECK-NEXT:                  #pragma HLS UNROLL
// CHECK-NEXT:                  if (x[o * 2 + k * 1 + j] > r) r = x[o * 2 + k * 1 + j];
// CHECK-NEXT:              }
// CHECK-NEXT:              peak[o * 1 + j] = r;
// CHECK-NEXT:          }
// CHECK-NEXT:      }
// CHECK-NEXT:      // fixed.sub
// CHECK-NEXT:      Sub_2: for (int i = 0; i < 2; i++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          diff[i] = x[i] - peak[0];
// CHECK-NEXT:      }
// CHECK-NEXT:      // fixed.lookup
// CHECK-NEXT:      Lookup_3: for (int i = 0; i < 2; i++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          ap_ufixed<2,3,AP_TRN,AP_SAT> position = diff[i] - ap_fixed<9,4>(-6.0);  // TRN, SAT: clamps to the table
// CHECK-NEXT:          ap_uint<2> index = position.range(1, 0);
// CHECK-NEXT:          exp_value[i] = sm_exp_table[index];
// CHECK-NEXT:      }
// CHECK-NEXT:      // fixed.reduce_sum
// CHECK-NEXT:      ReduceOuter_4: for (int o = 0; o < 1; o++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          for (int j = 0; j < 1; j++) {
// CHECK-NEXT:              #pragma HLS UNROLL
// CHECK-NEXT:              sm_total_t r = exp_value[o * 2 + j];
// CHECK-NEXT:              for (int k = 1; k < 2; k++) {
// CHECK-NEXT:                  #pragma HLS UNROLL
// CHECK-NEXT:                  r += exp_value[o * 2 + k * 1 + j];
// CHECK-NEXT:              }
// CHECK-NEXT:              total[o * 1 + j] = r;
// CHECK-NEXT:          }
// CHECK-NEXT:      }
// CHECK-NEXT:      // fixed.lookup
// CHECK-NEXT:      Lookup_5: for (int i = 0; i < 1; i++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          ap_ufixed<2,0,AP_TRN,AP_SAT> position = total[i] - ap_ufixed<18,1>(1.0);  // TRN, SAT: clamps to the table
// CHECK-NEXT:          ap_uint<2> index = position.range(1, 0);
// CHECK-NEXT:          reciprocal_value[i] = sm_reciprocal_table[index];
// CHECK-NEXT:      }
// CHECK-NEXT:      // fixed.mul
// CHECK-NEXT:      Mul_6: for (int i = 0; i < 2; i++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          prod[i] = exp_value[i] * reciprocal_value[0];
// CHECK-NEXT:      }
// CHECK-NEXT:      // fixed.cast
// CHECK-NEXT:      Cast_7: for (int i = 0; i < 2; i++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          y[i] = ap_fixed<8,3,AP_RND,AP_SAT>(prod[i]);
// CHECK-NEXT:      }
// CHECK-NEXT:  }

// Top function: ap_vld ports, reshaped input, partitioned output; latency => PIPELINE II=1
// (the largest reuse factor); the last kernel writes the output port directly.
// CHECK-LABEL: // ----- firmware/mlp.cpp -----
// CHECK-NEXT:  #include "mlp.h"
// CHECK-NEXT:  #include "kernels.h"
// CHECK-EMPTY:
// CHECK-NEXT:  void mlp(const input_t x[4], result_t y[2]) {
// CHECK-NEXT:      #pragma HLS INTERFACE mode=ap_vld port=x
// CHECK-NEXT:      #pragma HLS INTERFACE mode=ap_vld port=y
// CHECK-NEXT:      #pragma HLS ARRAY_RESHAPE variable=x complete dim=0
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=y complete dim=0
// CHECK-NEXT:      #pragma HLS PIPELINE II=1
// CHECK-EMPTY:
// CHECK-NEXT:      fc1_t fc1_out[2];
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=fc1_out complete dim=0
// CHECK-NEXT:      fc1(x, fc1_out);
// CHECK-NEXT:      relu1_t relu1_out[2];
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=relu1_out complete dim=0
// CHECK-NEXT:      relu1(fc1_out, relu1_out);
// CHECK-NEXT:      sm(relu1_out, y);
// CHECK-NEXT:  }
// CHECK-LABEL: // ----- firmware/mlp.h -----
// CHECK-NEXT:  #pragma once
// CHECK-NEXT:  #include "defines.h"
// CHECK-EMPTY:
// CHECK-NEXT:  void mlp(const input_t x[4], result_t y[2]);

// Constants as exact decimal literals of their codes. Table entries are `auto` (the narrowest 18-bit
// type): exp in (0, 1] is ap_ufixed<18,1>; the reciprocal's midranges over [1, 1.25), [1.25, 1.5),
// [1.5, 1.75), [1.75, 2] (0.9, 0.7333, 0.6190, 0.5357) are in (0.5, 1): ap_ufixed<18,0>.
// CHECK-LABEL: // ----- firmware/weights/fc1.h -----
// CHECK-NEXT:  #pragma once
// CHECK-NEXT:  #include "../defines.h"
// CHECK-EMPTY:
// CHECK-NEXT:  static const fc1_weights_t fc1_weights[8] = {
// CHECK-NEXT:      0.5, -0.25, 1.0, 0.125, -1.5, 2.0, 0.75, -0.5
// CHECK-NEXT:  };
// CHECK-NEXT:  static const fc1_biases_t fc1_biases[2] = {
// CHECK-NEXT:      0.25, -0.125
// CHECK-NEXT:  };
// CHECK-LABEL: // ----- firmware/weights/sm.h -----
// CHECK-NEXT:  #pragma once
// CHECK-NEXT:  #include "../defines.h"
// CHECK-EMPTY:
// CHECK-NEXT:  static const sm_exp_table_t sm_exp_table[4] = {
// CHECK-NEXT:      0.0090484619140625, 0.07474517822265625, 0.5522842407226562, 1.0
// CHECK-NEXT:  };
// CHECK-NEXT:  static const sm_reciprocal_table_t sm_reciprocal_table[4] = {
// CHECK-NEXT:      0.9000015258789062, 0.7333335876464844, 0.619049072265625, 0.5357131958007812
// CHECK-NEXT:  };
// CHECK-LABEL: // ----- mlp_bridge.cpp -----
// CHECK-NEXT:  #include "mlp_host.h"
// CHECK-EMPTY:
// CHECK-NEXT:  // C simulation entry point: runs n samples per call (inputs/outputs: one array per port).
// CHECK-NEXT:  extern "C" void mlp_predict(const double* const* inputs, double* const* outputs, long n) {
// CHECK-NEXT:      for (long s = 0; s < n; s++) {
// CHECK-NEXT:          mlp_host(inputs[0] + s * 4, outputs[0] + s * 2);
// CHECK-NEXT:      }
// CHECK-NEXT:  }

// The host converts doubles with the input quantize's modes and reads back with to_double().
// CHECK-LABEL: // ----- mlp_host.h -----
// CHECK-NEXT:  #pragma once
// CHECK-NEXT:  #include "firmware/mlp.h"
// CHECK-EMPTY:
// CHECK-NEXT:  // The host side, as @mlp_host in the IR: quantise, run the design, read back.
// CHECK-NEXT:  inline void mlp_host(const double* in0, double* out0) {
// CHECK-NEXT:      ap_fixed<8,3> quantized[4];
// CHECK-NEXT:      for (int i = 0; i < 4; i++) {
// CHECK-NEXT:          quantized[i] = ap_fixed<8,3,AP_RND,AP_SAT>(in0[i]);
// CHECK-NEXT:      }
// CHECK-NEXT:      result_t y[2];
// CHECK-NEXT:      mlp(quantized, y);
// CHECK-NEXT:      double values[2];
// CHECK-NEXT:      for (int i = 0; i < 2; i++) {
// CHECK-NEXT:          values[i] = y[i].to_double();
// CHECK-NEXT:      }
// CHECK-NEXT:      for (int i = 0; i < 2; i++) {
// CHECK-NEXT:          out0[i] = values[i];
// CHECK-NEXT:      }
// CHECK-NEXT:  }
// CHECK-LABEL: // ----- mlp_test.cpp -----
// CHECK-NEXT:  #include <cstdio>
// CHECK-NEXT:  #include <fstream>
// CHECK-NEXT:  #include <sstream>
// CHECK-NEXT:  #include <string>
// CHECK-NEXT:  #include <vector>
// CHECK-NEXT:  #include "mlp_host.h"
// CHECK-EMPTY:
// CHECK-NEXT:  // Runs tb_data/tb_input_features.dat through the design and requires outputs identical
// CHECK-NEXT:  // to tb_data/tb_output_predictions.dat (written by the compiler's bit-exact emulator).
// CHECK-NEXT:  int main() {
// CHECK-NEXT:      std::ifstream inputs("tb_data/tb_input_features.dat"), expected("tb_data/tb_output_predictions.dat");
// CHECK-NEXT:      if (!inputs || !expected) {
// CHECK-NEXT:          std::printf("missing tb_data files\n");
// CHECK-NEXT:          return 1;
// CHECK-NEXT:      }
// CHECK-NEXT:      std::string in_line, out_line;
// CHECK-NEXT:      int samples = 0, mismatches = 0;
// CHECK-NEXT:      while (std::getline(inputs, in_line) && std::getline(expected, out_line)) {
// CHECK-NEXT:          std::vector<double> x, want;
// CHECK-NEXT:          double v;
// CHECK-NEXT:          std::istringstream in_stream(in_line), out_stream(out_line);
// CHECK-NEXT:          while (in_stream >> v) x.push_back(v);
// CHECK-NEXT:          while (out_stream >> v) want.push_back(v);
// CHECK-NEXT:          if (x.size() != 4 || want.size() != 2) {
// CHECK-NEXT:              std::printf("malformed tb_data line %d\n", samples + 1);
// CHECK-NEXT:              return 1;
// CHECK-NEXT:          }
// CHECK-NEXT:          std::vector<double> y(2);
// CHECK-NEXT:          mlp_host(&x[0], &y[0]);
// CHECK-NEXT:          for (int i = 0; i < 2; i++) {
// CHECK-NEXT:              if (y[i] != want[i]) {
// CHECK-NEXT:                  if (mismatches < 10) std::printf("sample %d output %d: %.17g, emulator %.17g\n", samples, i, y[i], want[i]);
// CHECK-NEXT:                  mismatches++;
// CHECK-NEXT:              }
// CHECK-NEXT:          }
// CHECK-NEXT:          samples++;
// CHECK-NEXT:      }
// CHECK-NEXT:      std::printf("%d samples, %d outputs differ from the emulator\n", samples, mismatches);
// CHECK-NEXT:      return mismatches ? 1 : 0;
// CHECK-NEXT:  }
