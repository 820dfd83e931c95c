// The top function's arrays share the C++ namespace with kernels: no name clashes.
// RUN: xdsl-opt %s -p fixed-to-dataflow -t hls-cpp | filecheck %s

func.func @net(%x: tensor<3xf32>) -> tensor<3xf64> {
  %q = fixed.quantize %x TRN WRAP : tensor<3xf32> -> tensor<3x!fixed.fixed<8, 3, signed>>
  %a = fixed.relu %q {layer = "fc"} : tensor<3x!fixed.fixed<8, 3, signed>>
  %b = fixed.relu %a {layer = "fc_out"} : tensor<3x!fixed.fixed<8, 3, signed>>
  %c = fixed.relu %b {layer = "last"} : tensor<3x!fixed.fixed<8, 3, signed>>
  %y = fixed.dequantize %c : tensor<3x!fixed.fixed<8, 3, signed>> -> tensor<3xf64>
  func.return %y : tensor<3xf64>
}
// CHECK-LABEL: // ----- firmware/net.cpp -----
// CHECK-NOT:   {{ }}fc_out[3];
// CHECK:       fc(x, {{[a-z_0-9]+}});
// CHECK-NOT:   {{ }}fc_out[3];
// CHECK:       fc_out({{[a-z_0-9]+}}, {{[a-z_0-9]+}});
