// fold-dense-bias: nn.add(nn.dense(x, w), constant) -> nn.dense(x, w, bias).
// RUN: xdsl-opt %s -p fold-dense-bias | filecheck %s

// The MatMul + Add pair of a Keras export: the constant becomes the bias and takes the dense's layer.
func.func @fold(%x: tensor<3xf32>) -> tensor<2xf32> {
  %w = nn.constant dense<[[0.5, -0.25], [1.0, 0.125], [-1.5, 2.0]]> : tensor<3x2xf32> {layer = "mm"}
  %d = nn.dense %x, %w {layer = "mm"} : (tensor<3xf32>, tensor<3x2xf32>) -> tensor<2xf32>
  %c = nn.constant dense<[0.5, -0.5]> : tensor<2xf32> {layer = "add"}
  %a = nn.add %d, %c {layer = "add"} : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  func.return %a : tensor<2xf32>
}
// CHECK-LABEL:         func.func @fold(%x: tensor<3xf32>) -> tensor<2xf32> {
// CHECK-NEXT{LITERAL}:   %w = nn.constant dense<[[5.000000e-01, -2.500000e-01], [1.000000e+00, 1.250000e-01], [-1.500000e+00, 2.000000e+00]]> : tensor<3x2xf32> {layer = "mm"}
// CHECK-NEXT:            %a = nn.constant dense<[5.000000e-01, -5.000000e-01]> : tensor<2xf32> {layer = "mm"}
// CHECK-NEXT:            %a_1 = nn.dense %x, %w, %a {layer = "mm"} : (tensor<3xf32>, tensor<3x2xf32>, tensor<2xf32>) -> tensor<2xf32>
// CHECK-NEXT:            func.return %a_1 : tensor<2xf32>
// CHECK-NEXT:          }

// The constant on the left, over a batch of rows, without layer names.
func.func @fold_lhs_rows(%x: tensor<4x3xf32>, %w: tensor<3x2xf32>) -> tensor<4x2xf32> {
  %c = nn.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %d = nn.dense %x, %w : (tensor<4x3xf32>, tensor<3x2xf32>) -> tensor<4x2xf32>
  %a = nn.add %c, %d : (tensor<2xf32>, tensor<4x2xf32>) -> tensor<4x2xf32>
  func.return %a : tensor<4x2xf32>
}
// CHECK-LABEL: func.func @fold_lhs_rows(
// CHECK-NEXT:    %a = nn.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-NEXT:    %a_1 = nn.dense %x, %w, %a : (tensor<4x3xf32>, tensor<3x2xf32>, tensor<2xf32>) -> tensor<4x2xf32>
// CHECK-NEXT:    func.return %a_1 : tensor<4x2xf32>

// A single-element constant is broadcast to a full bias.
func.func @fold_scalar(%x: tensor<3xf32>, %w: tensor<3x4xf32>) -> tensor<4xf32> {
  %d = nn.dense %x, %w {layer = "fc"} : (tensor<3xf32>, tensor<3x4xf32>) -> tensor<4xf32>
  %c = nn.constant dense<0.25> : tensor<1xf32>
  %a = nn.add %d, %c : (tensor<4xf32>, tensor<1xf32>) -> tensor<4xf32>
  func.return %a : tensor<4xf32>
}
// CHECK-LABEL: func.func @fold_scalar(
// CHECK-NEXT:    %a = nn.constant dense<2.500000e-01> : tensor<4xf32> {layer = "fc"}
// CHECK-NEXT:    %a_1 = nn.dense %x, %w, %a {layer = "fc"} : (tensor<3xf32>, tensor<3x4xf32>, tensor<4xf32>) -> tensor<4xf32>
// CHECK-NEXT:    func.return %a_1 : tensor<4xf32>

// Not folded: the dense has a bias already.
func.func @has_bias(%x: tensor<3xf32>, %w: tensor<3x2xf32>, %b: tensor<2xf32>) -> tensor<2xf32> {
  %d = nn.dense %x, %w, %b : (tensor<3xf32>, tensor<3x2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %c = nn.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %a = nn.add %d, %c : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  func.return %a : tensor<2xf32>
}
// CHECK-LABEL: func.func @has_bias(
// CHECK-NEXT:    %d = nn.dense %x, %w, %b : (tensor<3xf32>, tensor<3x2xf32>, tensor<2xf32>) -> tensor<2xf32>
// CHECK-NEXT:    %c = nn.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-NEXT:    %a = nn.add %d, %c : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>

// Not folded: the dense result has another user.
func.func @two_uses(%x: tensor<3xf32>, %w: tensor<3x2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %d = nn.dense %x, %w : (tensor<3xf32>, tensor<3x2xf32>) -> tensor<2xf32>
  %c = nn.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %a = nn.add %d, %c : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  func.return %a, %d : tensor<2xf32>, tensor<2xf32>
}
// CHECK-LABEL: func.func @two_uses(
// CHECK-NEXT:    %d = nn.dense %x, %w : (tensor<3xf32>, tensor<3x2xf32>) -> tensor<2xf32>
// CHECK-NEXT:    %c = nn.constant
// CHECK-NEXT:    %a = nn.add %d, %c : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>

// Not folded: the addend is not a constant.
func.func @not_constant(%x: tensor<3xf32>, %w: tensor<3x2xf32>, %y: tensor<2xf32>) -> tensor<2xf32> {
  %d = nn.dense %x, %w : (tensor<3xf32>, tensor<3x2xf32>) -> tensor<2xf32>
  %a = nn.add %d, %y : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  func.return %a : tensor<2xf32>
}
// CHECK-LABEL: func.func @not_constant(
// CHECK-NEXT:    %d = nn.dense %x, %w : (tensor<3xf32>, tensor<3x2xf32>) -> tensor<2xf32>
// CHECK-NEXT:    %a = nn.add %d, %y : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>

// Not folded: the constant widens the result (it broadcasts over a new leading axis).
func.func @widens(%x: tensor<3xf32>, %w: tensor<3x2xf32>) -> tensor<2x2xf32> {
  %d = nn.dense %x, %w : (tensor<3xf32>, tensor<3x2xf32>) -> tensor<2xf32>
  %c = nn.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %a = nn.add %d, %c : (tensor<2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  func.return %a : tensor<2x2xf32>
}
// CHECK-LABEL: func.func @widens(
// CHECK-NEXT:    %d = nn.dense %x, %w : (tensor<3xf32>, tensor<3x2xf32>) -> tensor<2xf32>
// CHECK-NEXT:    %c = nn.constant
// CHECK-NEXT:    %a = nn.add %d, %c : (tensor<2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>

// Not folded: a constant whose size is neither 1 nor the output width.
func.func @other_size(%x: tensor<2x3xf32>, %w: tensor<3x2xf32>) -> tensor<2x2xf32> {
  %d = nn.dense %x, %w : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  %c = nn.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %a = nn.add %d, %c : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  func.return %a : tensor<2x2xf32>
}
// CHECK-LABEL: func.func @other_size(
// CHECK-NEXT:    %d = nn.dense %x, %w : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
// CHECK-NEXT:    %c = nn.constant
// CHECK-NEXT:    %a = nn.add %d, %c : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
