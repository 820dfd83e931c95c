// Dense layers with a reuse factor R > 1: a ReuseLoop of R rounds, each doing ceil(work / R)
// multiplications (k = round + R * lane); a guard skips the k >= work of a partial last round when
// R does not divide the work (6 here). Latency: weights partitioned, multipliers limited by
// ALLOCATION, the top function pipelined with II = the largest R. Resource: weights in BRAM,
// reshaped into one block per lane, the ReuseLoop pipelined at II=1, the top function a DATAFLOW.
// RUN: xdsl-opt %s -p 'fixed-to-dataflow{reuse-factor=2}' -t hls-cpp | filecheck %s --check-prefixes=CHECK,LAT,LAT2
// RUN: xdsl-opt %s -p 'fixed-to-dataflow{reuse-factor=4}' -t hls-cpp | filecheck %s --check-prefixes=CHECK,LAT,LAT4
// RUN: xdsl-opt %s -p 'fixed-to-dataflow{reuse-factor=2 strategy=resource}' -t hls-cpp | filecheck %s --check-prefixes=CHECK,RES,RES2
// RUN: xdsl-opt %s -p 'fixed-to-dataflow{reuse-factor=4 strategy=resource}' -t hls-cpp | filecheck %s --check-prefixes=CHECK,RES,RES4
// RUN: xdsl-opt %s -p 'fixed-to-dataflow{reuse-factor=8 strategy=resource}' -t hls-cpp | filecheck %s --check-prefixes=CHECK,RES,RES8

func.func @net(%x: tensor<3xf32>) -> tensor<2xf64> {
  %q = fixed.quantize %x TRN WRAP {layer = "x"} : tensor<3xf32> -> tensor<3x!fixed.fixed<8, 3, signed>>
  %w = fixed.constant dense<[[16, -8], [32, 4], [-48, 64]]> : tensor<3x2xi8> as tensor<3x2x!fixed.fixed<8, 3, signed>> {layer = "fc"}
  %acc = fixed.dense %q, %w {layer = "fc"} : (tensor<3x!fixed.fixed<8, 3, signed>>, tensor<3x2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<18, 8, signed>>
  %h = fixed.cast %acc TRN_ZERO SAT_ZERO {layer = "fc"} : tensor<2x!fixed.fixed<18, 8, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
  %r = fixed.relu %h {layer = "act"} : tensor<2x!fixed.fixed<8, 3, signed>>
  %y = fixed.dequantize %r : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2xf64>
  func.return %y : tensor<2xf64>
}

// The relu kernel has no multiplications: no reuse loop; only the inlining follows the strategy.
// CHECK-LABEL: // ----- firmware/kernels/act.cpp -----
// CHECK:       void act(const fc_t x[2], act_t y[2]) {
// LAT-NEXT:        #pragma HLS INLINE{{$}}
// RES-NEXT:        #pragma HLS INLINE off
// CHECK-NEXT:      // fixed.relu
// CHECK-NEXT:      Relu_1: for (int i = 0; i < 2; i++) {

// CHECK-LABEL: // ----- firmware/kernels/fc.cpp -----
// CHECK:       void fc(const input_t x[3], fc_t y[2]) {
// LAT-NEXT:        #pragma HLS INLINE{{$}}
// RES-NEXT:        #pragma HLS INLINE off
// CHECK-NEXT:      fc_acc_t acc[2];
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=acc complete
// CHECK-NEXT:      // fixed.dense
// CHECK-NEXT:      DenseInit_1: for (int j = 0; j < 2; j++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          acc[j] = 0;
// CHECK-NEXT:      }

// LAT2-NEXT:       // reuse factor 2: 3 multipliers, one round per cycle
// LAT2-NEXT:       #pragma HLS ARRAY_PARTITION variable=fc_weights complete
// LAT2-NEXT:       #pragma HLS ALLOCATION operation instances=mul limit=3
// LAT2-NEXT:       ReuseLoop_2: for (int round = 0; round < 2; round++) {
// LAT2-NEXT:           for (int lane = 0; lane < 3; lane++) {
// LAT2-NEXT:               #pragma HLS UNROLL
// LAT2-NEXT:               int k = round + 2 * lane;
// LAT2-NEXT:               int r = k / 6, i = k / 2 % 3, j = k % 2;

// LAT4-NEXT:       // reuse factor 4: 2 multipliers, one round per cycle
// LAT4-NEXT:       #pragma HLS ARRAY_PARTITION variable=fc_weights complete
// LAT4-NEXT:       #pragma HLS ALLOCATION operation instances=mul limit=2
// LAT4-NEXT:       ReuseLoop_2: for (int round = 0; round < 4; round++) {
// LAT4-NEXT:           for (int lane = 0; lane < 2; lane++) {
// LAT4-NEXT:               #pragma HLS UNROLL
// LAT4-NEXT:               int k = round + 4 * lane;
// LAT4-NEXT:               if (k >= 6) continue;  // the last round is partial
// LAT4-NEXT:               int r = k / 6, i = k / 2 % 3, j = k % 2;

// RES2-NEXT:       // reuse factor 2: 3 multipliers, one round per cycle
// RES2-NEXT:       #pragma HLS ARRAY_RESHAPE variable=fc_weights block factor=3
// RES2-NEXT:       #pragma HLS BIND_STORAGE variable=fc_weights type=rom_1p impl=bram
// RES2-NEXT:       ReuseLoop_2: for (int round = 0; round < 2; round++) {
// RES2-NEXT:           #pragma HLS PIPELINE II=1 rewind
// RES2-NEXT:           for (int lane = 0; lane < 3; lane++) {
// RES2-NEXT:               #pragma HLS UNROLL
// RES2-NEXT:               int k = round + 2 * lane;
// RES2-NEXT:               int r = k / 6, i = k / 2 % 3, j = k % 2;

// RES4-NEXT:       // reuse factor 4: 2 multipliers, one round per cycle
// RES4-NEXT:       #pragma HLS ARRAY_RESHAPE variable=fc_weights block factor=2
// RES4-NEXT:       #pragma HLS BIND_STORAGE variable=fc_weights type=rom_1p impl=bram
// RES4-NEXT:       ReuseLoop_2: for (int round = 0; round < 4; round++) {
// RES4-NEXT:           #pragma HLS PIPELINE II=1 rewind
// RES4-NEXT:           for (int lane = 0; lane < 2; lane++) {
// RES4-NEXT:               #pragma HLS UNROLL
// RES4-NEXT:               int k = round + 4 * lane;
// RES4-NEXT:               if (k >= 6) continue;  // the last round is partial
// RES4-NEXT:               int r = k / 6, i = k / 2 % 3, j = k % 2;

// R above the work: a single multiplier, nothing to reshape, rounds 6 and 7 idle.
// RES8-NEXT:       // reuse factor 8: 1 multiplier, one round per cycle
// RES8-NEXT:       #pragma HLS BIND_STORAGE variable=fc_weights type=rom_1p impl=bram
// RES8-NEXT:       ReuseLoop_2: for (int round = 0; round < 8; round++) {
// RES8-NEXT:           #pragma HLS PIPELINE II=1 rewind
// RES8-NEXT:           for (int lane = 0; lane < 1; lane++) {
// RES8-NEXT:               #pragma HLS UNROLL
// RES8-NEXT:               int k = round + 8 * lane;
// RES8-NEXT:               if (k >= 6) continue;  // the last round is partial
// RES8-NEXT:               int r = k / 6, i = k / 2 % 3, j = k % 2;

// CHECK-NEXT:              acc[r * 2 + j] += x[r * 3 + i] * fc_weights[k % 6];
// CHECK-NEXT:          }
// CHECK-NEXT:      }
// CHECK-NEXT:      // fixed.cast
// CHECK-NEXT:      Cast_3: for (int i = 0; i < 2; i++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          y[i] = ap_fixed<8,3,AP_TRN_ZERO,AP_SAT_ZERO>(acc[i]);
// CHECK-NEXT:      }
// CHECK-NEXT:  }

// CHECK-LABEL: // ----- firmware/net.cpp -----
// CHECK:           #pragma HLS ARRAY_PARTITION variable=y complete dim=0
// LAT2-NEXT:       #pragma HLS PIPELINE II=2
// LAT4-NEXT:       #pragma HLS PIPELINE II=4
// RES-NEXT:        #pragma HLS DATAFLOW
// CHECK-EMPTY:
// CHECK-NEXT:      fc_t fc_out[2];
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=fc_out complete dim=0
// CHECK-NEXT:      fc(x, fc_out);
// CHECK-NEXT:      act(fc_out, y);
// CHECK-NEXT:  }

// Weights read by a reuse loop are padded with zeros to whole rounds (R * lanes entries).
// CHECK-LABEL: // ----- firmware/weights/fc.h -----
// LAT2:        static const fc_weights_t fc_weights[6] = {
// LAT2-NEXT:       0.5, -0.25, 1.0, 0.125, -1.5, 2.0
// LAT4:        static const fc_weights_t fc_weights[8] = {
// LAT4-NEXT:       0.5, -0.25, 1.0, 0.125, -1.5, 2.0, 0.0, 0.0
// RES2:        static const fc_weights_t fc_weights[6] = {
// RES2-NEXT:       0.5, -0.25, 1.0, 0.125, -1.5, 2.0
// RES4:        static const fc_weights_t fc_weights[8] = {
// RES4-NEXT:       0.5, -0.25, 1.0, 0.125, -1.5, 2.0, 0.0, 0.0
// RES8:        static const fc_weights_t fc_weights[6] = {
// RES8-NEXT:       0.5, -0.25, 1.0, 0.125, -1.5, 2.0
// CHECK-NEXT:  };
