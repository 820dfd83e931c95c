// fold-batchnorm: nn.batchnorm(layer(x), scale, shift), where layer is an nn.conv or nn.dense with
// constant weights (and bias) and no other user, becomes the layer with weights scaled per output
// channel (the weight's last axis) and bias `bias * scale + shift`. The folded layer keeps the
// conv's strides, dilations, pads, groups and its `layer` name. Values are binary fractions, so the
// f32 products below are exact.
// RUN: xdsl-opt %s -p fold-batchnorm | filecheck %s

func.func @conv_bn(%x: tensor<3x3x2xf32>) -> tensor<2x3x2xf32> {
  %w = nn.constant dense<[[[[1.0, -2.0]], [[0.5, 0.25]]], [[[0.0, 1.0]], [[-1.0, 2.0]]]]> : tensor<2x2x1x2xf32> {layer = "conv1"}
  %b = nn.constant dense<[1.0, -0.5]> : tensor<2xf32> {layer = "conv1"}
  %y = nn.conv %x, %w, %b {layer = "conv1", strides = array<i64: 2, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 0, 0, 1>, groups = 2 : i64} : (tensor<3x3x2xf32>, tensor<2x2x1x2xf32>, tensor<2xf32>) -> tensor<2x3x2xf32>
  %s = nn.constant dense<[2.0, -0.25]> : tensor<2xf32> {layer = "bn1"}
  %t = nn.constant dense<[0.5, 3.0]> : tensor<2xf32> {layer = "bn1"}
  %n = nn.batchnorm %y, %s, %t {layer = "bn1"} : (tensor<2x3x2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2x3x2xf32>
  func.return %n : tensor<2x3x2xf32>
}
// A grouped conv (2 groups of 1 channel): weight [kh, kw, C/groups, O] = [2, 2, 1, 2], scale
// [2, -0.25] per output channel:
//   w[0,0,0,:] = [1, -2] * [2, -0.25] = [2, 0.5]     w[0,1,0,:] = [0.5, 0.25] -> [1, -0.0625]
//   w[1,0,0,:] = [0, 1]  -> [0, -0.25]               w[1,1,0,:] = [-1, 2]     -> [-2, -0.5]
//   bias = [1, -0.5] * [2, -0.25] + [0.5, 3] = [2.5, 3.125]
// The folded ops take the batchnorm's result name (%n); the old constants are dead and erased.
// CHECK-LABEL:         func.func @conv_bn(%x: tensor<3x3x2xf32>) -> tensor<2x3x2xf32> {
// CHECK-NEXT{LITERAL}:   %n = nn.constant dense<[[[[2.000000e+00, 5.000000e-01]], [[1.000000e+00, -6.250000e-02]]], [[[0.000000e+00, -2.500000e-01]], [[-2.000000e+00, -5.000000e-01]]]]> : tensor<2x2x1x2xf32> {layer = "conv1"}
// CHECK-NEXT:            %n_1 = nn.constant dense<[2.500000e+00, 3.125000e+00]> : tensor<2xf32> {layer = "conv1"}
// CHECK-NEXT:            %n_2 = nn.conv %x, %n, %n_1 {strides = array<i64: 2, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 0, 0, 1>, groups = 2 : i64, layer = "conv1"} : (tensor<3x3x2xf32>, tensor<2x2x1x2xf32>, tensor<2xf32>) -> tensor<2x3x2xf32>
// CHECK-NEXT:            func.return %n_2 : tensor<2x3x2xf32>
// CHECK-NEXT:          }

func.func @dense_bn(%x: tensor<2xf32>) -> tensor<3xf32> {
  %w = nn.constant dense<[[1.0, 2.0, -4.0], [0.5, -0.5, 8.0]]> : tensor<2x3xf32> {layer = "fc"}
  %y = nn.dense %x, %w {layer = "fc"} : (tensor<2xf32>, tensor<2x3xf32>) -> tensor<3xf32>
  %s = nn.constant dense<[0.5, 4.0, -1.0]> : tensor<3xf32>
  %t = nn.constant dense<[-1.0, 0.0, 0.125]> : tensor<3xf32>
  %n = nn.batchnorm %y, %s, %t {layer = "bn"} : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  func.return %n : tensor<3xf32>
}
// A dense layer without bias gets one: 0 * scale + shift = shift. Columns scaled by [0.5, 4, -1]:
//   [1, 2, -4] -> [0.5, 8, 4]       [0.5, -0.5, 8] -> [0.25, -2, -8]
// CHECK-LABEL:         func.func @dense_bn(%x: tensor<2xf32>) -> tensor<3xf32> {
// CHECK-NEXT{LITERAL}:   %n = nn.constant dense<[[5.000000e-01, 8.000000e+00, 4.000000e+00], [2.500000e-01, -2.000000e+00, -8.000000e+00]]> : tensor<2x3xf32> {layer = "fc"}
// CHECK-NEXT:            %n_1 = nn.constant dense<[-1.000000e+00, 0.000000e+00, 1.250000e-01]> : tensor<3xf32> {layer = "fc"}
// CHECK-NEXT:            %n_2 = nn.dense %x, %n, %n_1 {layer = "fc"} : (tensor<2xf32>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<3xf32>
// CHECK-NEXT:            func.return %n_2 : tensor<3xf32>
// CHECK-NEXT:          }

func.func @kept(%x: tensor<2x2xf32>, %scale: tensor<2xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) {
  %s = nn.constant dense<[2.0, 0.5]> : tensor<2xf32>
  %t = nn.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %r = nn.relu %x : tensor<2x2xf32>
  %n1 = nn.batchnorm %r, %s, %t {layer = "after_relu"} : (tensor<2x2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %w = nn.constant dense<[[1.0, 0.0], [0.0, 1.0]]> : tensor<2x2xf32>
  %d = nn.dense %x, %w {layer = "shared"} : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %n2 = nn.batchnorm %d, %s, %t {layer = "bn_shared"} : (tensor<2x2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %d2 = nn.dense %x, %w {layer = "runtime_scale"} : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %n3 = nn.batchnorm %d2, %scale, %t : (tensor<2x2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  func.return %n1, %n2, %d, %n3 : tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>
}
// Not folded: a batchnorm after a relu, after a dense whose result is also returned, and one whose
// scale is computed at run time (they lower to a multiply-add per channel in nn-to-fixed).
// CHECK-LABEL: func.func @kept(
// CHECK-NEXT:    %s = nn.constant dense<[2.000000e+00, 5.000000e-01]> : tensor<2xf32>
// CHECK-NEXT:    %t = nn.constant dense<[1.000000e+00, -1.000000e+00]> : tensor<2xf32>
// CHECK-NEXT:    %r = nn.relu %x : tensor<2x2xf32>
// CHECK-NEXT:    %n1 = nn.batchnorm %r, %s, %t {layer = "after_relu"} : (tensor<2x2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
// CHECK-NEXT{LITERAL}: %w = nn.constant dense<[[1.000000e+00, 0.000000e+00], [0.000000e+00, 1.000000e+00]]> : tensor<2x2xf32>
// CHECK-NEXT:    %d = nn.dense %x, %w {layer = "shared"} : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
// CHECK-NEXT:    %n2 = nn.batchnorm %d, %s, %t {layer = "bn_shared"} : (tensor<2x2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
// CHECK-NEXT:    %d2 = nn.dense %x, %w {layer = "runtime_scale"} : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
// CHECK-NEXT:    %n3 = nn.batchnorm %d2, %scale, %t : (tensor<2x2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
// CHECK-NEXT:    func.return %n1, %n2, %d, %n3
