// fold-affine-into-quant: an nn.batchnorm, or an nn.mul / nn.add / nn.sub by a constant of one value
// or one value per channel (the last axis), whose only user is an nn.quant, becomes the quantizer's
// pre-step: quant(a * x + b) with pre_scale a, pre_bias b, composed with the quantizer's own
// pre-step (a', b') as (a' * a, a' * b + b'). The quantizer keeps its `layer`.
// RUN: xdsl-opt %s -p fold-affine-into-quant | filecheck %s

func.func @batchnorm(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %s = nn.constant dense<[2.0, -1.0, 0.5]> : tensor<3xf32>
  %t = nn.constant dense<[0.5, 0.0, -0.25]> : tensor<3xf32>
  %n = nn.batchnorm %x, %s, %t {layer = "bn"} : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %q = nn.quant %n scale [0.5] zero_point [0.0] bits 4 signed round "ROUND" {layer = "act"} : tensor<2x3xf32>
  func.return %q : tensor<2x3xf32>
}
// pre_scale = the scale, pre_bias = the shift, per channel.
// CHECK-LABEL: func.func @batchnorm(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
// CHECK-NEXT:   %q = nn.quant %x scale [5.000000e-01] zero_point [0.000000e+00] bits 4 signed round "ROUND" {layer = "act", pre_scale = array<f64: 2.000000e+00, -1.000000e+00, 5.000000e-01>, pre_bias = array<f64: 5.000000e-01, 0.000000e+00, -2.500000e-01>} : tensor<2x3xf32>
// CHECK-NEXT:   func.return %q : tensor<2x3xf32>
// CHECK-NEXT:  }

func.func @chain(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %k = nn.constant dense<[[4.0, 2.0, 1.0]]> : tensor<1x3xf32>
  %m = nn.mul %k, %x {layer = "scale"} : (tensor<1x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %c = nn.constant dense<1.5> : tensor<1xf32>
  %a = nn.sub %c, %m {layer = "shift"} : (tensor<1xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %q = nn.quant %a scale [0.25] zero_point [0.0] bits 3 signed round "FLOOR" {layer = "act", pre_scale = array<f64: 2.0>, pre_bias = array<f64: 1.0>} : tensor<2x3xf32>
  func.return %q : tensor<2x3xf32>
}
// Folded twice: 1.5 - m is m * -1 + 1.5: with the quantizer's (2, 1): (2 * -1, 2 * 1.5 + 1) = (-2, 4);
// then m = [4, 2, 1] * x: (-2 * [4, 2, 1], -2 * 0 + 4) = ([-8, -4, -2], 4).
// CHECK-LABEL: func.func @chain(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
// CHECK-NEXT:   %q = nn.quant %x scale [2.500000e-01] zero_point [0.000000e+00] bits 3 signed round "FLOOR" {layer = "act", pre_scale = array<f64: -8.000000e+00, -4.000000e+00, -2.000000e+00>, pre_bias = array<f64: 4.000000e+00>} : tensor<2x3xf32>
// CHECK-NEXT:   func.return %q : tensor<2x3xf32>
// CHECK-NEXT:  }

func.func @kept(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %k = nn.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %m = nn.mul %x, %k {layer = "full"} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %q1 = nn.quant %m scale [0.5] zero_point [0.0] bits 4 signed round "ROUND" : tensor<2x3xf32>
  %c = nn.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %a = nn.add %x, %c {layer = "shared"} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %q2 = nn.quant %a scale [0.5] zero_point [0.0] bits 4 signed round "ROUND" : tensor<2x3xf32>
  func.return %q1, %q2, %a : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}
// Not folded: a constant that differs along another axis than the last, an affine result read twice.
// CHECK-LABEL: func.func @kept(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
// CHECK-NEXT{LITERAL}:   %k = nn.constant dense<[[1.000000e+00, 2.000000e+00, 3.000000e+00], [4.000000e+00, 5.000000e+00, 6.000000e+00]]> : tensor<2x3xf32>
// CHECK-NEXT:   %m = nn.mul %x, %k {layer = "full"} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:   %q1 = nn.quant %m scale [5.000000e-01] zero_point [0.000000e+00] bits 4 signed round "ROUND" : tensor<2x3xf32>
// CHECK-NEXT:   %c = nn.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<3xf32>
// CHECK-NEXT:   %a = nn.add %x, %c {layer = "shared"} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:   %q2 = nn.quant %a scale [5.000000e-01] zero_point [0.000000e+00] bits 4 signed round "ROUND" : tensor<2x3xf32>
// CHECK-NEXT:   func.return %q1, %q2, %a : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
// CHECK-NEXT:  }
