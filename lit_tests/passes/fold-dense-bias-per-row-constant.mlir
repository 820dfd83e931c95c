// A constant that varies along the rows of a 2-D dense result is not a bias: no fold.
// RUN: xdsl-opt %s -p fold-dense-bias | filecheck %s

func.func @per_row(%x: tensor<3x2xf32>, %w: tensor<2x3xf32>) -> tensor<3x3xf32> {
  %d = nn.dense %x, %w : (tensor<3x2xf32>, tensor<2x3xf32>) -> tensor<3x3xf32>
  %c = nn.constant dense<[[1.0], [2.0], [3.0]]> : tensor<3x1xf32>
  %a = nn.add %d, %c : (tensor<3x3xf32>, tensor<3x1xf32>) -> tensor<3x3xf32>
  func.return %a : tensor<3x3xf32>
}
// CHECK-LABEL: func.func @per_row(
// CHECK-NEXT:    %d = nn.dense %x, %w : (tensor<3x2xf32>, tensor<2x3xf32>) -> tensor<3x3xf32>
// CHECK-NEXT{LITERAL}: %c = nn.constant dense<[[1.000000e+00], [2.000000e+00], [3.000000e+00]]> : tensor<3x1xf32>
// CHECK-NEXT:    %a = nn.add %d, %c : (tensor<3x3xf32>, tensor<3x1xf32>) -> tensor<3x3xf32>
