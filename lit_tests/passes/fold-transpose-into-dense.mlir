// fold-transpose-into-dense: nn.dense(layout.reshape(layout.transpose(x)), W), the reshape
// flattening to one axis and neither result read elsewhere, becomes nn.dense(layout.reshape(x), W')
// with W's rows permuted: element k of the flattened transpose is element order[k] of the flattened
// x, so row order[k] of W' is row k of W (each input element meets the weights it met before). This
// is the transpose a channels-first model (PyTorch) needs before Flatten when the data is
// channels-last. The bias, the dense's and the reshape's `layer` are kept.
// RUN: xdsl-opt %s -p fold-transpose-into-dense | filecheck %s

func.func @chw(%x: tensor<2x2x2xf32>) -> tensor<1xf32> {
  %t = layout.transpose %x {perm = array<i64: 2, 0, 1>, layer = "flatten"} : tensor<2x2x2xf32> -> tensor<2x2x2xf32>
  %f = layout.reshape %t {layer = "flatten"} : tensor<2x2x2xf32> -> tensor<8xf32>
  %w = nn.constant dense<[[1.0], [2.0], [3.0], [4.0], [5.0], [6.0], [7.0], [8.0]]> : tensor<8x1xf32> {layer = "fc"}
  %b = nn.constant dense<[0.5]> : tensor<1xf32> {layer = "fc"}
  %y = nn.dense %f, %w, %b {layer = "fc"} : (tensor<8xf32>, tensor<8x1xf32>, tensor<1xf32>) -> tensor<1xf32>
  func.return %y : tensor<1xf32>
}
// x[h, w, c] (channels-last, flat index 4h + 2w + c) read as [c, h, w] (flat index k = 4c + 2h + w):
// order = [0, 2, 4, 6, 1, 3, 5, 7], so W' = [W0, W4, W1, W5, W2, W6, W3, W7] = [1, 5, 2, 6, 3, 7, 4, 8].
// CHECK-LABEL:         func.func @chw(%x: tensor<2x2x2xf32>) -> tensor<1xf32> {
// CHECK-NEXT:            %b = nn.constant dense<5.000000e-01> : tensor<1xf32> {layer = "fc"}
// CHECK-NEXT{LITERAL}:   %y = nn.constant dense<[[1.000000e+00], [5.000000e+00], [2.000000e+00], [6.000000e+00], [3.000000e+00], [7.000000e+00], [4.000000e+00], [8.000000e+00]]> : tensor<8x1xf32> {layer = "fc"}
// CHECK-NEXT:            %y_1 = layout.reshape %x {layer = "flatten"} : tensor<2x2x2xf32> -> tensor<8xf32>
// CHECK-NEXT:            %y_2 = nn.dense %y_1, %y, %b {layer = "fc"} : (tensor<8xf32>, tensor<8x1xf32>, tensor<1xf32>) -> tensor<1xf32>
// CHECK-NEXT:            func.return %y_2 : tensor<1xf32>
// CHECK-NEXT:          }

func.func @wc(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  %t = layout.transpose %x {perm = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
  %f = layout.reshape %t : tensor<3x2xf32> -> tensor<6xf32>
  %w = nn.constant dense<[[1.0, -1.0], [2.0, -2.0], [3.0, -3.0], [4.0, -4.0], [5.0, -5.0], [6.0, -6.0]]> : tensor<6x2xf32>
  %y = nn.dense %f, %w : (tensor<6xf32>, tensor<6x2xf32>) -> tensor<2xf32>
  func.return %y : tensor<2xf32>
}
// [2, 3] read as [3, 2]: order = [0, 3, 1, 4, 2, 5], W' = [W0, W2, W4, W1, W3, W5].
// CHECK-LABEL:         func.func @wc(%x: tensor<2x3xf32>) -> tensor<2xf32> {
// CHECK-NEXT{LITERAL}:   %y = nn.constant dense<[[1.000000e+00, -1.000000e+00], [3.000000e+00, -3.000000e+00], [5.000000e+00, -5.000000e+00], [2.000000e+00, -2.000000e+00], [4.000000e+00, -4.000000e+00], [6.000000e+00, -6.000000e+00]]> : tensor<6x2xf32>
// CHECK-NEXT:            %y_1 = layout.reshape %x : tensor<2x3xf32> -> tensor<6xf32>
// CHECK-NEXT:            %y_2 = nn.dense %y_1, %y : (tensor<6xf32>, tensor<6x2xf32>) -> tensor<2xf32>
// CHECK-NEXT:            func.return %y_2 : tensor<2xf32>
// CHECK-NEXT:          }

func.func @kept(%x: tensor<2x3xf32>, %wr: tensor<6x2xf32>) -> (tensor<2xf32>, tensor<3x2xf32>, tensor<2xf32>, tensor<3x2xf32>) {
  %w = nn.constant dense<[[1.0, -1.0], [2.0, -2.0], [3.0, -3.0], [4.0, -4.0], [5.0, -5.0], [6.0, -6.0]]> : tensor<6x2xf32>
  %t = layout.transpose %x {perm = array<i64: 1, 0>, layer = "used_twice"} : tensor<2x3xf32> -> tensor<3x2xf32>
  %f = layout.reshape %t : tensor<3x2xf32> -> tensor<6xf32>
  %y = nn.dense %f, %w : (tensor<6xf32>, tensor<6x2xf32>) -> tensor<2xf32>
  %t2 = layout.transpose %x {perm = array<i64: 1, 0>, layer = "runtime_weight"} : tensor<2x3xf32> -> tensor<3x2xf32>
  %f2 = layout.reshape %t2 : tensor<3x2xf32> -> tensor<6xf32>
  %y2 = nn.dense %f2, %wr : (tensor<6xf32>, tensor<6x2xf32>) -> tensor<2xf32>
  %t3 = layout.transpose %x {perm = array<i64: 1, 0>, layer = "not_flat"} : tensor<2x3xf32> -> tensor<3x2xf32>
  %w3 = nn.constant dense<[[1.0, 0.0], [0.0, 1.0]]> : tensor<2x2xf32>
  %y3 = nn.dense %t3, %w3 : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  func.return %y, %t, %y2, %y3 : tensor<2xf32>, tensor<3x2xf32>, tensor<2xf32>, tensor<3x2xf32>
}
// Not folded: a transpose also returned, a weight computed at run time, a dense reading the
// transpose without a flatten.
// CHECK-LABEL: func.func @kept(
// CHECK-NEXT{LITERAL}: %w = nn.constant dense<[[1.000000e+00, -1.000000e+00], [2.000000e+00, -2.000000e+00], [3.000000e+00, -3.000000e+00], [4.000000e+00, -4.000000e+00], [5.000000e+00, -5.000000e+00], [6.000000e+00, -6.000000e+00]]> : tensor<6x2xf32>
// CHECK-NEXT:    %t = layout.transpose %x {perm = array<i64: 1, 0>, layer = "used_twice"} : tensor<2x3xf32> -> tensor<3x2xf32>
// CHECK-NEXT:    %f = layout.reshape %t : tensor<3x2xf32> -> tensor<6xf32>
// CHECK-NEXT:    %y = nn.dense %f, %w : (tensor<6xf32>, tensor<6x2xf32>) -> tensor<2xf32>
// CHECK-NEXT:    %t2 = layout.transpose %x {perm = array<i64: 1, 0>, layer = "runtime_weight"} : tensor<2x3xf32> -> tensor<3x2xf32>
// CHECK-NEXT:    %f2 = layout.reshape %t2 : tensor<3x2xf32> -> tensor<6xf32>
// CHECK-NEXT:    %y2 = nn.dense %f2, %wr : (tensor<6xf32>, tensor<6x2xf32>) -> tensor<2xf32>
// CHECK-NEXT:    %t3 = layout.transpose %x {perm = array<i64: 1, 0>, layer = "not_flat"} : tensor<2x3xf32> -> tensor<3x2xf32>
// CHECK-NEXT{LITERAL}: %w3 = nn.constant dense<[[1.000000e+00, 0.000000e+00], [0.000000e+00, 1.000000e+00]]> : tensor<2x2xf32>
// CHECK-NEXT:    %y3 = nn.dense %t3, %w3 : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
// CHECK-NEXT:    func.return %y, %t, %y2, %y3
