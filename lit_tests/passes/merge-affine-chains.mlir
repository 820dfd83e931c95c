// merge-affine-chains: a per-channel affine step (nn.mul / nn.add / nn.sub by a constant of one value
// or one per channel, or nn.batchnorm) reading the only use of another one: both become one
// nn.batchnorm(x, a, b), y = a * x + b, composed in float64: outer (a2, b2) after inner (a1, b1) is
// (a2 * a1, a2 * b1 + b2), broadcast to one value per channel. It takes the outer op's layer.
// RUN: xdsl-opt %s -p merge-affine-chains | filecheck %s

func.func @normalise(%x: tensor<2xf32>) -> tensor<2xf32> {
  %mean = nn.constant dense<1.0> : tensor<1xf32>
  %centred = nn.sub %x, %mean {layer = "sub"} : (tensor<2xf32>, tensor<1xf32>) -> tensor<2xf32>
  %gain = nn.constant dense<[2.0, 0.5]> : tensor<2xf32>
  %scaled = nn.mul %centred, %gain {layer = "mul"} : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %beta = nn.constant dense<0.25> : tensor<1xf32>
  %y = nn.add %scaled, %beta {layer = "add"} : (tensor<2xf32>, tensor<1xf32>) -> tensor<2xf32>
  func.return %y : tensor<2xf32>
}
// x - 1 is (1, -1); times [2, 0.5]: ([2, 0.5], [-2, -0.5]); plus 0.25: ([2, 0.5], [-1.75, -0.25]).
// CHECK-LABEL: func.func @normalise(%x: tensor<2xf32>) -> tensor<2xf32> {
// CHECK-NEXT:   %0 = nn.constant dense<[2.000000e+00, 5.000000e-01]> : tensor<2xf32> {layer = "add"}
// CHECK-NEXT:   %1 = nn.constant dense<[-1.750000e+00, -2.500000e-01]> : tensor<2xf32> {layer = "add"}
// CHECK-NEXT:   %y = nn.batchnorm %x, %0, %1 {layer = "add"} : (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
// CHECK-NEXT:   func.return %y : tensor<2xf32>
// CHECK-NEXT:  }

func.func @constant_first(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %c = nn.constant dense<3.0> : tensor<1xf32>
  %d = nn.sub %c, %x {layer = "flip"} : (tensor<1xf32>, tensor<3x2xf32>) -> tensor<3x2xf32>
  %s = nn.constant dense<[1.0, -2.0]> : tensor<2xf32>
  %t = nn.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %y = nn.batchnorm %d, %s, %t {layer = "bn"} : (tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  func.return %y : tensor<3x2xf32>
}
// 3 - x is (-1, 3); then ([1, -2], [0, 1]): ([-1, 2], [3, -5]).
// CHECK-LABEL: func.func @constant_first(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
// CHECK-NEXT:   %0 = nn.constant dense<[-1.000000e+00, 2.000000e+00]> : tensor<2xf32> {layer = "bn"}
// CHECK-NEXT:   %1 = nn.constant dense<[3.000000e+00, -5.000000e+00]> : tensor<2xf32> {layer = "bn"}
// CHECK-NEXT:   %y = nn.batchnorm %x, %0, %1 {layer = "bn"} : (tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
// CHECK-NEXT:   func.return %y : tensor<3x2xf32>
// CHECK-NEXT:  }

func.func @kept(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %c = nn.constant dense<2.0> : tensor<1xf32>
  %m = nn.mul %x, %c {layer = "twice"} : (tensor<2xf32>, tensor<1xf32>) -> tensor<2xf32>
  %y = nn.add %m, %c {layer = "plus"} : (tensor<2xf32>, tensor<1xf32>) -> tensor<2xf32>
  func.return %y, %m : tensor<2xf32>, tensor<2xf32>
}
// Not merged: the inner step's result is read twice; a single step stays as it is.
// CHECK-LABEL: func.func @kept(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
// CHECK-NEXT:   %c = nn.constant dense<2.000000e+00> : tensor<1xf32>
// CHECK-NEXT:   %m = nn.mul %x, %c {layer = "twice"} : (tensor<2xf32>, tensor<1xf32>) -> tensor<2xf32>
// CHECK-NEXT:   %y = nn.add %m, %c {layer = "plus"} : (tensor<2xf32>, tensor<1xf32>) -> tensor<2xf32>
// CHECK-NEXT:   func.return %y, %m : tensor<2xf32>, tensor<2xf32>
// CHECK-NEXT:  }
