// With several inputs, the ports, the host function and the bridge keep the model's input order.
// RUN: xdsl-opt %s -p 'nn-to-fixed{precision="ap_fixed<8,3>"},fixed-to-dataflow' -t hls-cpp | filecheck %s

func.func @two(%x: tensor<4xf32>, %y: tensor<2xf32>) -> (tensor<4xf32>, tensor<2xf32>) {
  %rx = nn.relu %x {layer = "rx"} : tensor<4xf32>
  %ry = nn.relu %y {layer = "ry"} : tensor<2xf32>
  func.return %rx, %ry : tensor<4xf32>, tensor<2xf32>
}
// CHECK-LABEL: // ----- two_host.h -----
// CHECK:       inline void two_host(const double* in0, const double* in1, double* out0, double* out1) {
// CHECK-NEXT:      input0_t x0[4];
// CHECK-NEXT:      for (int i = 0; i < 4; i++) {
// CHECK-NEXT:          x0[i] = ap_fixed<8,3>(in0[i]);
// CHECK-NEXT:      }
// CHECK-NEXT:      input1_t x1[2];
// CHECK-NEXT:      for (int i = 0; i < 2; i++) {
// CHECK-NEXT:          x1[i] = ap_fixed<8,3>(in1[i]);
// CHECK-NEXT:      }
