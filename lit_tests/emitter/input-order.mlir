// With several inputs, the ports, the host function and the bridge keep the model's input order.
// RUN: xdsl-opt %s -p 'nn-to-fixed{precision="ap_fixed<8,3>"},fixed-to-dataflow' -t hls-cpp | filecheck %s

func.func @two(%x: tensor<4xf32>, %y: tensor<2xf32>) -> (tensor<4xf32>, tensor<2xf32>) {
  %rx = nn.relu %x {layer = "rx"} : tensor<4xf32>
  %ry = nn.relu %y {layer = "ry"} : tensor<2xf32>
  func.return %rx, %ry : tensor<4xf32>, tensor<2xf32>
}
// in0 (x, 4 values) is quantized first and passed first; out0 is rx's 4 values, out1 ry's 2.
// CHECK-LABEL: // ----- two_host.h -----
// CHECK:       inline void two_host(const double* in0, const double* in1, double* out0, double* out1) {
// CHECK-NEXT:      ap_fixed<8,3> quantized[4];
// CHECK-NEXT:      for (int i = 0; i < 4; i++) {
// CHECK-NEXT:          quantized[i] = ap_fixed<8,3>(in0[i]);
// CHECK-NEXT:      }
// CHECK-NEXT:      ap_fixed<8,3> quantized_1[2];
// CHECK-NEXT:      for (int i = 0; i < 2; i++) {
// CHECK-NEXT:          quantized_1[i] = ap_fixed<8,3>(in1[i]);
// CHECK-NEXT:      }
// CHECK-NEXT:      result0_t y0[4];
// CHECK-NEXT:      result1_t y1[2];
// CHECK-NEXT:      two(quantized, quantized_1, y0, y1);
// CHECK-NEXT:      double values[4];
// CHECK-NEXT:      for (int i = 0; i < 4; i++) {
// CHECK-NEXT:          values[i] = y0[i].to_double();
// CHECK-NEXT:      }
// CHECK-NEXT:      double values_1[2];
// CHECK-NEXT:      for (int i = 0; i < 2; i++) {
// CHECK-NEXT:          values_1[i] = y1[i].to_double();
// CHECK-NEXT:      }
// CHECK-NEXT:      for (int i = 0; i < 4; i++) {
// CHECK-NEXT:          out0[i] = values[i];
// CHECK-NEXT:      }
// CHECK-NEXT:      for (int i = 0; i < 2; i++) {
// CHECK-NEXT:          out1[i] = values_1[i];
// CHECK-NEXT:      }
// CHECK-NEXT:  }
