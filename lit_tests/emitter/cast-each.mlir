// fixed.cast_each in C++ (compiler/emitter/kernels.py): one ap_fixed conversion per element type,
// with the op's modes; a type held by only some elements lists them in a constant index array (a
// ROM the unrolled loop folds away), a pruned element (width 0) is assigned 0. In io_stream the
// types are per channel, so the one-position form is the same code over a packet.
// RUN: xdsl-opt %s -p 'nn-to-fixed{precision="ap_fixed<8,3>"},fixed-to-dataflow' -t hls-cpp | filecheck %s
// RUN: xdsl-opt %s -p 'nn-to-fixed{precision="ap_fixed<8,3>"},fixed-to-dataflow{io-type=io_stream},plan-streams,size-fifos' -t hls-cpp | filecheck %s --check-prefix=STREAM

func.func @hgq(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %r = nn.relu %x {layer = "relu"} : tensor<2x3xf32>
  %y = nn.fixed_quant %r types dense<[[[1, 4, 2], [0, 3, 1], [1, 0, 0]]]> : tensor<1x3x3xi32> round "HALF_POSITIVE" overflow "WRAP" {layer = "q"} : tensor<2x3xf32>
  func.return %y : tensor<2x3xf32>
}
// Column 0 (elements 0 and 3) ap_fixed<4,2>, column 1 (1, 4) ap_ufixed<3,1>, column 2 (2, 5) pruned.
// The quantizer is the relu layer's output stage; the result type holds every element type.
// CHECK-LABEL: // ----- firmware/defines.h -----
// CHECK:       typedef ap_fixed<4,2> result_t;
// CHECK-LABEL: // ----- firmware/kernels/relu.cpp -----
// CHECK:         // fixed.cast_each
// CHECK-NEXT:    static const int elements[2] = {1, 4};
// CHECK-NEXT:    CastEach_2: for (int j = 0; j < 2; j++) {
// CHECK-NEXT:        #pragma HLS UNROLL
// CHECK-NEXT:        const int i = elements[j];
// CHECK-NEXT:        y[i] = ap_ufixed<3,1,AP_RND,AP_WRAP>(relu_1[i]);
// CHECK-NEXT:    }
// CHECK-NEXT:    static const int elements_1[2] = {2, 5};
// CHECK-NEXT:    CastEach_3: for (int j = 0; j < 2; j++) {
// CHECK-NEXT:        #pragma HLS UNROLL
// CHECK-NEXT:        const int i = elements_1[j];
// CHECK-NEXT:        y[i] = 0;
// CHECK-NEXT:    }
// CHECK-NEXT:    static const int elements_2[2] = {0, 3};
// CHECK-NEXT:    CastEach_4: for (int j = 0; j < 2; j++) {
// CHECK-NEXT:        #pragma HLS UNROLL
// CHECK-NEXT:        const int i = elements_2[j];
// CHECK-NEXT:        y[i] = ap_fixed<4,2,AP_RND,AP_WRAP>(relu_1[i]);
// CHECK-NEXT:    }
// CHECK-NEXT:  }

// STREAM-LABEL: // ----- firmware/kernels/relu.cpp -----
// STREAM:       void relu_position(const input_t x[3], relu_t y[3]) {
// STREAM:         // fixed.cast_each
// STREAM-NEXT:    static const int elements[1] = {1};
// STREAM:             y[i] = ap_ufixed<3,1,AP_RND,AP_WRAP>(relu_1[i]);
// STREAM:         static const int elements_1[1] = {2};
// STREAM:             y[i] = 0;
// STREAM:         static const int elements_2[1] = {0};
// STREAM:             y[i] = ap_fixed<4,2,AP_RND,AP_WRAP>(relu_1[i]);
// STREAM:       void relu(hls::stream<stream_packet<input_t, 3>>& x0, hls::stream<stream_packet<relu_t, 3>>& y0) {
// STREAM-NEXT:    // io_stream: pixel kernel
