// Layer normalisation's facts that intervals lose (lowering/nn_to_fixed_norm.py, fixed.mul's
// `Normalization`): the segments of u resolve what x reaches, and the normalised value d t(u) keeps
// |d_i t(u)| <= sqrt((N - 1) / N) sqrt(u) t(u), whatever the corners of d's and t's intervals give.
// Precision ap_fixed<8,3> (5 fraction bits), tables of 8 entries, N = 4, epsilon = 0.25.
// RUN: xdsl-opt %s -p 'nn-to-fixed{precision="ap_fixed<8,3>" table-size=8}' | filecheck %s
// RUN: xdsl-opt %s -p 'nn-to-fixed{precision="ap_fixed<8,3>" table-size=8},infer-bitwidths' | filecheck %s --check-prefix=INFER

func.func @relu_layer_norm(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = nn.relu %x {layer = "relu"} : tensor<4xf32>
  %s = nn.constant dense<[1.0, 0.5, -2.0, 0.25]> : tensor<4xf32> {layer = "ln"}
  %y = nn.layer_norm %r, %s axes 1 epsilon 0.25 {layer = "ln"} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  func.return %y : tensor<4xf32>
}
// After the relu, x reaches codes [0, 127] only (its type holds [-128, 127]): u <= N^3 127^2 / 4 =
// 258064 codes (252.02), so three segments [0, 16), [16, 64), [64, 252.02] instead of the four a
// signed input needs (nn-to-fixed-layer-norm.mlir). The last table resolves up to 252.02 (its
// domain) but tabulates 1 / sqrt(u / N + N^2 eps) up to what x's type allows, 1016.02 (its params):
// steps chosen later may move x a little, and the float model stays the layer norm there.
// CHECK-LABEL: func.func @relu_layer_norm
// CHECK:       %y_6 = fixed.lookup "rsqrt" %y_5 offset 0
// CHECK-SAME:    domain = array<f64: 0.000000e+00, 1.600000e+01>, params = array<f64: 2.500000e-01, 4.000000e+00, 0.000000e+00, 1.600000e+01>
// CHECK:       %y_7 = fixed.lookup "rsqrt" %y_5 offset 16384
// CHECK-SAME:    domain = array<f64: 1.600000e+01, 6.400000e+01>, params = array<f64: 2.500000e-01, 4.000000e+00, 1.600000e+01, 6.400000e+01>
// CHECK:       %y_11 = fixed.lookup "rsqrt" %y_5 offset 65536
// CHECK-SAME:    domain = array<f64: 6.400000e+01, 252.0166015625>, params = array<f64: 2.500000e-01, 4.000000e+00, 6.400000e+01, 1016.0166015625>
// CHECK-NOT:   fixed.lookup
// CHECK:       %y_15 = fixed.mul %y_3, %y_14 {{.*}} -> tensor<4x!fixed.fixed<31, 6, signed>>

// infer-bitwidths: x >= 0 makes d = 4 x - sum(x) a <10, 5> and u a <21, 11>. The corners of d's
// interval [-15.875, 15.875] and t's [0.089, 0.486] give |d t| <= 7.71 (<_, 4>); the normalisation
// bounds it by the largest isqrt(3 u / 4) E over every run of u's codes that reads one entry E:
// 2.43 (sqrt(3) = 1.73, plus what 8-entry tables err by), so <_, 3>.
// INFER-LABEL: func.func @relu_layer_norm
// INFER:       %y_3 = fixed.sub %y_2, %y {{.*}} -> tensor<4x!fixed.fixed<10, 5, signed>>
// INFER:       %y_5 = fixed.reduce_sum %y_4 axis 0 {{.*}} -> tensor<1x!fixed.fixed<21, 11, signed>>
// INFER:       %y_14 = fixed.select %y_13, %y_10, %y_11 {{.*}} -> tensor<1x!fixed.fixed<19, -1, unsigned>>
// INFER-NEXT:  %y_15 = fixed.mul %y_3, %y_14 {{.*}} -> tensor<4x!fixed.fixed<28, 3, signed>>
// INFER-NEXT:  %y_16 = fixed.constant dense<[32, 16, -64, 8]>
// INFER-NEXT:  %y_17 = fixed.mul %y_15, %y_16 {{.*}} -> tensor<4x!fixed.fixed<34, 4, signed>>
