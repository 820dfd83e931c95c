// The emitter on hand-written dataflow-level IR: a kernel yielding its block argument (copy loop),
// two results, mixed strategies, a kernel name that collides with a derived array name, a layer
// name that needs sanitising in a C comment.
// RUN: xdsl-opt %s -t hls-cpp | filecheck %s

func.func @top(%x: tensor<3x!fixed.fixed<8, 3, signed>>) -> (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) attributes {dataflow.io_type = #dataflow<io_type io_parallel>, dataflow.top = "dataflow"} {
  %h = dataflow.kernel "fc1"(%x) reuse 3 latency : (tensor<3x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<8, 3, signed>> {
  ^bb0(%a: tensor<3x!fixed.fixed<8, 3, signed>>):
    %w = fixed.constant dense<[[16, -8], [32, 4], [-48, 64]]> : tensor<3x2xi8> as tensor<3x2x!fixed.fixed<8, 3, signed>>
    %acc = fixed.dense %a, %w : (tensor<3x!fixed.fixed<8, 3, signed>>, tensor<3x2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<18, 8, signed>>
    %y = fixed.cast %acc RND SAT : tensor<2x!fixed.fixed<18, 8, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
    dataflow.yield %y : tensor<2x!fixed.fixed<8, 3, signed>>
  }
  %r:2 = dataflow.kernel "fc1_weights"(%h) reuse 1 resource {layer = "fc1/weights??="} : (tensor<2x!fixed.fixed<8, 3, signed>>) -> (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) {
  ^bb0(%b: tensor<2x!fixed.fixed<8, 3, signed>>):
    %y = fixed.relu %b : tensor<2x!fixed.fixed<8, 3, signed>>
    dataflow.yield %y, %b : tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>
  }
  func.return %r#0, %r#1 : tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>
}
func.func @top_host(%x: tensor<3xf32>) -> (tensor<2xf64>, tensor<2xf64>) {
  %q = fixed.quantize %x RND_ZERO SAT {layer = "x"} : tensor<3xf32> -> tensor<3x!fixed.fixed<8, 3, signed>>
  %y:2 = func.call @top(%q) : (tensor<3x!fixed.fixed<8, 3, signed>>) -> (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>)
  %d0 = fixed.dequantize %y#0 : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2xf64>
  %d1 = fixed.dequantize %y#1 : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2xf64>
  func.return %d0, %d1 : tensor<2xf64>, tensor<2xf64>
}

// Kernel names are reserved first: fc1's weights array cannot be called fc1_weights (a kernel
// has that name), so it becomes fc1_weights_1 (type fc1_weights_1_t).

// CHECK-LABEL: // ----- firmware/defines.h -----
// CHECK-NEXT:  #pragma once
// CHECK-NEXT:  #include "ap_fixed.h"
// CHECK-NEXT:  #include "ap_int.h"
// CHECK-EMPTY:
// CHECK-NEXT:  typedef ap_fixed<8,3> input_t;
// CHECK-NEXT:  typedef ap_fixed<8,3> result0_t;
// CHECK-NEXT:  typedef ap_fixed<8,3> result1_t;
// CHECK-NEXT:  typedef ap_fixed<8,3> fc1_t;
// CHECK-NEXT:  typedef ap_fixed<8,3> fc1_weights_out0_t;
// CHECK-NEXT:  typedef ap_fixed<8,3> fc1_weights_out1_t;
// CHECK-NEXT:  typedef ap_fixed<8,3> fc1_weights_1_t;
// CHECK-NEXT:  typedef ap_fixed<18,8> fc1_acc_t;

// CHECK-LABEL: // ----- firmware/kernels.h -----
// CHECK-NEXT:  #pragma once
// CHECK-NEXT:  #include "defines.h"
// CHECK-EMPTY:
// CHECK-NEXT:  void fc1(const input_t x[3], fc1_t y[2]);
// CHECK-NEXT:  void fc1_weights(const fc1_t x[2], fc1_weights_out0_t y0[2], fc1_weights_out1_t y1[2]);

// A latency kernel with reuse factor 3 (divides the 6 multiplications: no guard).

// CHECK-LABEL: // ----- firmware/kernels/fc1.cpp -----
// CHECK-NEXT:  #include "../kernels.h"
// CHECK-NEXT:  #include "../weights/fc1.h"
// CHECK-EMPTY:
// CHECK-NEXT:  // layer fc1
// CHECK-NEXT:  void fc1(const input_t x[3], fc1_t y[2]) {
// CHECK-NEXT:      #pragma HLS INLINE{{$}}
// CHECK-NEXT:      fc1_acc_t acc[2];
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=acc complete
// CHECK-NEXT:      // fixed.dense
// CHECK-NEXT:      DenseInit_1: for (int j = 0; j < 2; j++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          acc[j] = 0;
// CHECK-NEXT:      }
// CHECK-NEXT:      // reuse factor 3: 2 multipliers, one round per cycle
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=fc1_weights_1 complete
// CHECK-NEXT:      #pragma HLS ALLOCATION operation instances=mul limit=2
// CHECK-NEXT:      ReuseLoop_2: for (int round = 0; round < 3; round++) {
// CHECK-NEXT:          for (int lane = 0; lane < 2; lane++) {
// CHECK-NEXT:              #pragma HLS UNROLL
// CHECK-NEXT:              int k = round + 3 * lane;
// CHECK-NEXT:              int r = k / 6, i = k / 2 % 3, j = k % 2;
// CHECK-NEXT:              acc[r * 2 + j] += x[r * 3 + i] * fc1_weights_1[k % 6];
// CHECK-NEXT:          }
// CHECK-NEXT:      }
// CHECK-NEXT:      // fixed.cast
// CHECK-NEXT:      Cast_3: for (int i = 0; i < 2; i++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          y[i] = ap_fixed<8,3,AP_RND,AP_SAT>(acc[i]);
// CHECK-NEXT:      }
// CHECK-NEXT:  }

// A kernel yielding its own argument copies it to its output at the end; the layer name is
// written in a comment with '?' (trigraphs) replaced.

// CHECK-LABEL: // ----- firmware/kernels/fc1_weights.cpp -----
// CHECK-NEXT:  #include "../kernels.h"
// CHECK-EMPTY:
// CHECK-NEXT:  // layer fc1/weights__=
// CHECK-NEXT:  void fc1_weights(const fc1_t x[2], fc1_weights_out0_t y0[2], fc1_weights_out1_t y1[2]) {
// CHECK-NEXT:      #pragma HLS INLINE off
// CHECK-NEXT:      // fixed.relu
// CHECK-NEXT:      Relu_1: for (int i = 0; i < 2; i++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          y0[i] = x[i] > 0 ? x[i] : fc1_weights_out0_t(0);
// CHECK-NEXT:      }
// CHECK-NEXT:      Copy_2: for (int i = 0; i < 2; i++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          y1[i] = x[i];
// CHECK-NEXT:      }
// CHECK-NEXT:  }

// The top is a DATAFLOW region, as `dataflow.top` says (fixed-to-dataflow chooses it when a kernel has the
// resource strategy, as fc1_weights here).

// CHECK-LABEL: // ----- firmware/top.cpp -----
// CHECK-NEXT:  #include "top.h"
// CHECK-NEXT:  #include "kernels.h"
// CHECK-EMPTY:
// CHECK-NEXT:  void top(const input_t x[3], result0_t y0[2], result1_t y1[2]) {
// CHECK-NEXT:      #pragma HLS INTERFACE mode=ap_vld port=x
// CHECK-NEXT:      #pragma HLS INTERFACE mode=ap_vld port=y0
// CHECK-NEXT:      #pragma HLS INTERFACE mode=ap_vld port=y1
// CHECK-NEXT:      #pragma HLS ARRAY_RESHAPE variable=x complete dim=0
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=y0 complete dim=0
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=y1 complete dim=0
// CHECK-NEXT:      #pragma HLS DATAFLOW
// CHECK-EMPTY:
// CHECK-NEXT:      fc1_t fc1_out[2];
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=fc1_out complete dim=0
// CHECK-NEXT:      fc1(x, fc1_out);
// CHECK-NEXT:      fc1_weights(fc1_out, y0, y1);
// CHECK-NEXT:  }

// CHECK-LABEL: // ----- firmware/top.h -----
// CHECK-NEXT:  #pragma once
// CHECK-NEXT:  #include "defines.h"
// CHECK-EMPTY:
// CHECK-NEXT:  void top(const input_t x[3], result0_t y0[2], result1_t y1[2]);

// CHECK-LABEL: // ----- firmware/weights/fc1.h -----
// CHECK-NEXT:  #pragma once
// CHECK-NEXT:  #include "../defines.h"
// CHECK-EMPTY:
// CHECK-NEXT:  static const fc1_weights_1_t fc1_weights_1[6] = {
// CHECK-NEXT:      0.5, -0.25, 1.0, 0.125, -1.5, 2.0
// CHECK-NEXT:  };

// CHECK-LABEL: // ----- top_bridge.cpp -----
// CHECK-NEXT:  #include "top_host.h"
// CHECK-EMPTY:
// CHECK-NEXT:  // C simulation entry point: runs n samples per call (inputs/outputs: one array per port).
// CHECK-NEXT:  extern "C" void top_predict(const double* const* inputs, double* const* outputs, long n) {
// CHECK-NEXT:      for (long s = 0; s < n; s++) {
// CHECK-NEXT:          top_host(inputs[0] + s * 3, outputs[0] + s * 2, outputs[1] + s * 2);
// CHECK-NEXT:      }
// CHECK-NEXT:  }

// The host runs @top_host op by op: a quantized array per input (converted with the quantize's
// RND_ZERO, SAT), the design call, a double array per dequantize, then the copies to the outputs.
// CHECK-LABEL: // ----- top_host.h -----
// CHECK-NEXT:  #pragma once
// CHECK-NEXT:  #include "firmware/top.h"
// CHECK-EMPTY:
// CHECK-NEXT:  // The host side, as @top_host in the IR: quantise, run the design, read back.
// CHECK-NEXT:  inline void top_host(const double* in0, double* out0, double* out1) {
// CHECK-NEXT:      ap_fixed<8,3> quantized[3];
// CHECK-NEXT:      for (int i = 0; i < 3; i++) {
// CHECK-NEXT:          quantized[i] = ap_fixed<8,3,AP_RND_ZERO,AP_SAT>(in0[i]);
// CHECK-NEXT:      }
// CHECK-NEXT:      result0_t y0[2];
// CHECK-NEXT:      result1_t y1[2];
// CHECK-NEXT:      top(quantized, y0, y1);
// CHECK-NEXT:      double values[2];
// CHECK-NEXT:      for (int i = 0; i < 2; i++) {
// CHECK-NEXT:          values[i] = y0[i].to_double();
// CHECK-NEXT:      }
// CHECK-NEXT:      double values_1[2];
// CHECK-NEXT:      for (int i = 0; i < 2; i++) {
// CHECK-NEXT:          values_1[i] = y1[i].to_double();
// CHECK-NEXT:      }
// CHECK-NEXT:      for (int i = 0; i < 2; i++) {
// CHECK-NEXT:          out0[i] = values[i];
// CHECK-NEXT:      }
// CHECK-NEXT:      for (int i = 0; i < 2; i++) {
// CHECK-NEXT:          out1[i] = values_1[i];
// CHECK-NEXT:      }
// CHECK-NEXT:  }
