// Layout conversions at a design's edges run on the host: a channels-first input [C, H, W] is
// quantized, then transposed to the channels-last [H, W, C] the design takes (perm (1, 2, 0)), and
// the design's channels-last output is transposed back to the model's [C, H, W] before it is read
// back (perm (2, 0, 1)). fixed-to-dataflow moves these transposes into @chw_host (the device takes
// and returns [3, 4, 2]); the host header runs @chw_host op by op.
// RUN: xdsl-opt %s -p 'nn-to-fixed{precision="ap_fixed<8,3>"},fixed-to-dataflow' | filecheck %s --check-prefix=LOWERED
// RUN: xdsl-opt %s -p 'nn-to-fixed{precision="ap_fixed<8,3>"},fixed-to-dataflow' -t hls-cpp | filecheck %s
// In io_stream the host also packs the moved array into packets of C = 2 channels (12 positions):
// RUN: xdsl-opt %s -p 'nn-to-fixed{precision="ap_fixed<8,3>"},fixed-to-dataflow{io-type=io_stream},plan-streams,size-fifos' -t hls-cpp | filecheck %s --check-prefix=STREAM

func.func @chw(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %t = layout.transpose %x {layer = "conv", perm = array<i64: 1, 2, 0>} : tensor<2x3x4xf32> -> tensor<3x4x2xf32>
  %r = nn.relu %t {layer = "relu"} : tensor<3x4x2xf32>
  %b = layout.transpose %r {layer = "y", perm = array<i64: 2, 0, 1>} : tensor<3x4x2xf32> -> tensor<2x3x4xf32>
  func.return %b : tensor<2x3x4xf32>
}
// LOWERED-LABEL: func.func @chw(%0: tensor<3x4x2x!fixed.fixed<8, 3, signed>>) -> tensor<3x4x2x!fixed.fixed<8, 3, signed>>
// LOWERED-LABEL: func.func @chw_host(%0: tensor<2x3x4xf32>) -> tensor<2x3x4xf64> {
// LOWERED-NEXT:    %1 = fixed.quantize %0 TRN WRAP {layer = "x"} : tensor<2x3x4xf32> -> tensor<2x3x4x!fixed.fixed<8, 3, signed>>
// LOWERED-NEXT:    %t = layout.transpose %1 {perm = array<i64: 1, 2, 0>, layer = "conv"} : tensor<2x3x4x!fixed.fixed<8, 3, signed>> -> tensor<3x4x2x!fixed.fixed<8, 3, signed>>
// LOWERED-NEXT:    %2 = func.call @chw(%t) : (tensor<3x4x2x!fixed.fixed<8, 3, signed>>) -> tensor<3x4x2x!fixed.fixed<8, 3, signed>>
// LOWERED-NEXT:    %b = layout.transpose %2 {perm = array<i64: 2, 0, 1>, layer = "y"} : tensor<3x4x2x!fixed.fixed<8, 3, signed>> -> tensor<2x3x4x!fixed.fixed<8, 3, signed>>
// LOWERED-NEXT:    %3 = fixed.dequantize %b : tensor<2x3x4x!fixed.fixed<8, 3, signed>> -> tensor<2x3x4xf64>
// LOWERED-NEXT:    func.return %3 : tensor<2x3x4xf64>

// The transposes as loops over the result, flat row-major: moved[h, w, c] (index 8 h + 2 w + c) =
// quantized[c, h, w] (index 12 c + 4 h + w); moved_1[c, h, w] (12 c + 4 h + w) = y[h, w, c]
// (8 h + 2 w + c).
// CHECK-LABEL: {{^//}} ----- chw_host.h -----
// CHECK-NEXT:  #pragma once
// CHECK-NEXT:  #include "firmware/chw.h"
// CHECK-EMPTY:
// CHECK-NEXT:  // The host side, as @chw_host in the IR: quantise, run the design, read back.
// CHECK-NEXT:  inline void chw_host(const double* in0, double* out0) {
// CHECK-NEXT:      ap_fixed<8,3> quantized[24];
// CHECK-NEXT:      for (int i = 0; i < 24; i++) {
// CHECK-NEXT:          quantized[i] = ap_fixed<8,3>(in0[i]);
// CHECK-NEXT:      }
// CHECK-NEXT:      ap_fixed<8,3> moved[24];
// CHECK-NEXT:      for (int i0 = 0; i0 < 3; i0++) {
// CHECK-NEXT:          for (int i1 = 0; i1 < 4; i1++) {
// CHECK-NEXT:              for (int i2 = 0; i2 < 2; i2++) {
// CHECK-NEXT:                  moved[i0 * 8 + i1 * 2 + i2 * 1] = quantized[i2 * 12 + i0 * 4 + i1 * 1];
// CHECK-NEXT:              }
// CHECK-NEXT:          }
// CHECK-NEXT:      }
// CHECK-NEXT:      result_t y[24];
// CHECK-NEXT:      chw(moved, y);
// CHECK-NEXT:      ap_fixed<8,3> moved_1[24];
// CHECK-NEXT:      for (int i0 = 0; i0 < 2; i0++) {
// CHECK-NEXT:          for (int i1 = 0; i1 < 3; i1++) {
// CHECK-NEXT:              for (int i2 = 0; i2 < 4; i2++) {
// CHECK-NEXT:                  moved_1[i0 * 12 + i1 * 4 + i2 * 1] = y[i1 * 8 + i2 * 2 + i0 * 1];
// CHECK-NEXT:              }
// CHECK-NEXT:          }
// CHECK-NEXT:      }
// CHECK-NEXT:      double values[24];
// CHECK-NEXT:      for (int i = 0; i < 24; i++) {
// CHECK-NEXT:          values[i] = moved_1[i].to_double();
// CHECK-NEXT:      }
// CHECK-NEXT:      for (int i = 0; i < 24; i++) {
// CHECK-NEXT:          out0[i] = values[i];
// CHECK-NEXT:      }
// CHECK-NEXT:  }
// The device is the relu alone, on channels-last arrays.
// CHECK-LABEL: {{^//}} ----- firmware/chw.cpp -----
// CHECK-NEXT:  #include "chw.h"
// CHECK-NEXT:  #include "kernels.h"
// CHECK-EMPTY:
// CHECK-NEXT:  void chw(const input_t x[24], result_t y[24]) {
// CHECK-NEXT:      #pragma HLS INTERFACE mode=ap_vld port=x
// CHECK-NEXT:      #pragma HLS INTERFACE mode=ap_vld port=y
// CHECK-NEXT:      #pragma HLS ARRAY_RESHAPE variable=x complete dim=0
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=y complete dim=0
// CHECK-NEXT:      #pragma HLS PIPELINE II=1
// CHECK-EMPTY:
// CHECK-NEXT:      relu(x, y);
// CHECK-NEXT:  }

// STREAM-LABEL: {{^//}} ----- chw_host.h -----
// STREAM-NEXT:  #pragma once
// STREAM-NEXT:  #include "firmware/chw.h"
// STREAM-EMPTY:
// STREAM-NEXT:  // The host side, as @chw_host in the IR: quantise, run the design, read back.
// STREAM-NEXT:  inline void chw_host(const double* in0, double* out0) {
// STREAM-NEXT:      ap_fixed<8,3> quantized[24];
// STREAM-NEXT:      for (int i = 0; i < 24; i++) {
// STREAM-NEXT:          quantized[i] = ap_fixed<8,3>(in0[i]);
// STREAM-NEXT:      }
// STREAM-NEXT:      ap_fixed<8,3> moved[24];
// STREAM-NEXT:      for (int i0 = 0; i0 < 3; i0++) {
// STREAM-NEXT:          for (int i1 = 0; i1 < 4; i1++) {
// STREAM-NEXT:              for (int i2 = 0; i2 < 2; i2++) {
// STREAM-NEXT:                  moved[i0 * 8 + i1 * 2 + i2 * 1] = quantized[i2 * 12 + i0 * 4 + i1 * 1];
// STREAM-NEXT:              }
// STREAM-NEXT:          }
// STREAM-NEXT:      }
// STREAM-NEXT:      result_t y[24];
// STREAM-NEXT:      hls::stream<stream_packet<input_t, 2>> moved_stream;
// STREAM-NEXT:      for (int p = 0; p < 12; p++) {
// STREAM-NEXT:          stream_packet<input_t, 2> packet;
// STREAM-NEXT:          for (int c = 0; c < 2; c++) packet.data[c] = moved[p * 2 + c];
// STREAM-NEXT:          moved_stream.write(packet);
// STREAM-NEXT:      }
// STREAM-NEXT:      hls::stream<stream_packet<relu_t, 2>> y_stream;
// STREAM-NEXT:      chw(moved_stream, y_stream);
// STREAM-NEXT:      for (int p = 0; p < 12; p++) {
// STREAM-NEXT:          stream_packet<relu_t, 2> packet = y_stream.read();
// STREAM-NEXT:          for (int c = 0; c < 2; c++) y[p * 2 + c] = packet.data[c];
// STREAM-NEXT:      }
// STREAM-NEXT:      ap_fixed<8,3> moved_1[24];
// STREAM-NEXT:      for (int i0 = 0; i0 < 2; i0++) {
// STREAM-NEXT:          for (int i1 = 0; i1 < 3; i1++) {
// STREAM-NEXT:              for (int i2 = 0; i2 < 4; i2++) {
// STREAM-NEXT:                  moved_1[i0 * 12 + i1 * 4 + i2 * 1] = y[i1 * 8 + i2 * 2 + i0 * 1];
// STREAM-NEXT:              }
// STREAM-NEXT:          }
// STREAM-NEXT:      }
// STREAM-NEXT:      double values[24];
// STREAM-NEXT:      for (int i = 0; i < 24; i++) {
// STREAM-NEXT:          values[i] = moved_1[i].to_double();
// STREAM-NEXT:      }
// STREAM-NEXT:      for (int i = 0; i < 24; i++) {
// STREAM-NEXT:          out0[i] = values[i];
// STREAM-NEXT:      }
// STREAM-NEXT:  }
