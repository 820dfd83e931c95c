// Round trip of the nn dialect's custom syntax, and of its generic form back to the custom one.
// Custom parse -> generic print -> generic parse -> custom print -> custom parse -> custom print:
// RUN: xdsl-opt %s --print-op-generic | xdsl-opt | xdsl-opt | filecheck %s
// The generic form itself:
// RUN: xdsl-opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC

func.func @constants() -> (tensor<2x3xf32>, tensor<3xf32>) {
  %w = nn.constant dense<[[0.5, -0.25, 1.0], [2.0, 0.125, -3.0]]> : tensor<2x3xf32> {layer = "fc1"}
  %b = nn.constant dense<[0.25, -0.125, 0.0]> : tensor<3xf32>
  func.return %w, %b : tensor<2x3xf32>, tensor<3xf32>
}
// CHECK-LABEL: func.func @constants() -> (tensor<2x3xf32>, tensor<3xf32>) {
// CHECK-NEXT{LITERAL}: %w = nn.constant dense<[[5.000000e-01, -2.500000e-01, 1.000000e+00], [2.000000e+00, 1.250000e-01, -3.000000e+00]]> : tensor<2x3xf32> {layer = "fc1"}
// CHECK-NEXT:   %b = nn.constant dense<[2.500000e-01, -1.250000e-01, 0.000000e+00]> : tensor<3xf32>
// CHECK-NEXT:   func.return %w, %b : tensor<2x3xf32>, tensor<3xf32>

// GENERIC-LABEL: "func.func"() <{sym_name = "constants"
// GENERIC{LITERAL}: %w = "nn.constant"() <{value = dense<[[5.000000e-01, -2.500000e-01, 1.000000e+00], [2.000000e+00, 1.250000e-01, -3.000000e+00]]> : tensor<2x3xf32>, layer = "fc1"}> : () -> tensor<2x3xf32>
// GENERIC-NEXT:  %b = "nn.constant"() <{value = dense<[2.500000e-01, -1.250000e-01, 0.000000e+00]> : tensor<3xf32>}> : () -> tensor<3xf32>

func.func @dense(%x: tensor<2xf32>, %xs: tensor<4x2xf32>, %w: tensor<2x3xf32>, %b: tensor<3xf32>) -> (tensor<3xf32>, tensor<4x3xf32>) {
  %y = nn.dense %x, %w, %b {layer = "fc1"} : (tensor<2xf32>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %ys = nn.dense %xs, %w : (tensor<4x2xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  func.return %y, %ys : tensor<3xf32>, tensor<4x3xf32>
}
// CHECK-LABEL: func.func @dense(
// CHECK-NEXT:    %y = nn.dense %x, %w, %b {layer = "fc1"} : (tensor<2xf32>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<3xf32>
// CHECK-NEXT:    %ys = nn.dense %xs, %w : (tensor<4x2xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
// CHECK-NEXT:    func.return %y, %ys : tensor<3xf32>, tensor<4x3xf32>

// GENERIC-LABEL: "func.func"() <{sym_name = "dense"
// GENERIC:       %y = "nn.dense"(%x, %w, %b) <{layer = "fc1"}> : (tensor<2xf32>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<3xf32>
// GENERIC-NEXT:  %ys = "nn.dense"(%xs, %w) : (tensor<4x2xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>

func.func @elementwise(%x: tensor<3xf32>, %h: tensor<2x2xf16>) -> (tensor<3xf32>, tensor<2x2xf16>) {
  %r = nn.relu %x {layer = "relu1"} : tensor<3xf32>
  %s = nn.sigmoid %r : tensor<3xf32>
  %t = nn.tanh %s {layer = "t"} : tensor<3xf32>
  %hr = nn.relu %h : tensor<2x2xf16>
  func.return %t, %hr : tensor<3xf32>, tensor<2x2xf16>
}
// CHECK-LABEL: func.func @elementwise(
// CHECK-NEXT:    %r = nn.relu %x {layer = "relu1"} : tensor<3xf32>
// CHECK-NEXT:    %s = nn.sigmoid %r : tensor<3xf32>
// CHECK-NEXT:    %t = nn.tanh %s {layer = "t"} : tensor<3xf32>
// CHECK-NEXT:    %hr = nn.relu %h : tensor<2x2xf16>

// GENERIC-LABEL: "func.func"() <{sym_name = "elementwise"
// GENERIC:       %r = "nn.relu"(%x) <{layer = "relu1"}> : (tensor<3xf32>) -> tensor<3xf32>
// GENERIC-NEXT:  %s = "nn.sigmoid"(%r) : (tensor<3xf32>) -> tensor<3xf32>
// GENERIC-NEXT:  %t = "nn.tanh"(%s) <{layer = "t"}> : (tensor<3xf32>) -> tensor<3xf32>

func.func @softmax_add(%x: tensor<2x3xf32>, %b: tensor<3xf32>, %c: tensor<2x1xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %s = nn.softmax %x axis 1 {layer = "sm"} : tensor<2x3xf32>
  %s0 = nn.softmax %x axis 0 : tensor<2x3xf32>
  %a = nn.add %s, %b {layer = "add"} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %a2 = nn.add %c, %s0 : (tensor<2x1xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %s, %a, %a2 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}
// CHECK-LABEL: func.func @softmax_add(
// CHECK-NEXT:    %s = nn.softmax %x axis 1 {layer = "sm"} : tensor<2x3xf32>
// CHECK-NEXT:    %s0 = nn.softmax %x axis 0 : tensor<2x3xf32>
// CHECK-NEXT:    %a = nn.add %s, %b {layer = "add"} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %a2 = nn.add %c, %s0 : (tensor<2x1xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>

// GENERIC-LABEL: "func.func"() <{sym_name = "softmax_add"
// GENERIC:       %s = "nn.softmax"(%x) <{axis = 1 : i64, layer = "sm"}> : (tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:  %s0 = "nn.softmax"(%x) <{axis = 0 : i64}> : (tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:  %a = "nn.add"(%s, %b) <{layer = "add"}> : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
