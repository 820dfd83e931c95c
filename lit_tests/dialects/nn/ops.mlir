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
  %a = nn.abs %t {layer = "abs"} : tensor<3xf32>
  func.return %a, %hr : tensor<3xf32>, tensor<2x2xf16>
}
// CHECK-LABEL: func.func @elementwise(
// CHECK-NEXT:    %r = nn.relu %x {layer = "relu1"} : tensor<3xf32>
// CHECK-NEXT:    %s = nn.sigmoid %r : tensor<3xf32>
// CHECK-NEXT:    %t = nn.tanh %s {layer = "t"} : tensor<3xf32>
// CHECK-NEXT:    %hr = nn.relu %h : tensor<2x2xf16>
// CHECK-NEXT:    %a = nn.abs %t {layer = "abs"} : tensor<3xf32>

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

func.func @sub_mul(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %c: tensor<2x1xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %s = nn.sub %a, %b {layer = "sub"} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %m = nn.mul %c, %s : (tensor<2x1xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %s, %m : tensor<2x3xf32>, tensor<2x3xf32>
}
// CHECK-LABEL: func.func @sub_mul(
// CHECK-NEXT:    %s = nn.sub %a, %b {layer = "sub"} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %m = nn.mul %c, %s : (tensor<2x1xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>

// GENERIC-LABEL: "func.func"() <{sym_name = "sub_mul"
// GENERIC:       %s = "nn.sub"(%a, %b) <{layer = "sub"}> : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:  %m = "nn.mul"(%c, %s) : (tensor<2x1xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>

func.func @extrema(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %hi = nn.max %a, %b {layer = "max"} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %lo = nn.min %b, %hi : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %hi, %lo : tensor<2x3xf32>, tensor<2x3xf32>
}
// CHECK-LABEL: func.func @extrema(
// CHECK-NEXT:    %hi = nn.max %a, %b {layer = "max"} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %lo = nn.min %b, %hi : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>

// GENERIC-LABEL: "func.func"() <{sym_name = "extrema"
// GENERIC:       %hi = "nn.max"(%a, %b) <{layer = "max"}> : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:  %lo = "nn.min"(%b, %hi) : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>

func.func @conv(%x: tensor<5x5x2xf32>, %w: tensor<3x3x2x4xf32>, %b: tensor<4xf32>, %x1: tensor<8x4xf32>, %w1: tensor<3x2x6xf32>) -> (tensor<3x3x4xf32>, tensor<4x6xf32>) {
  %y = nn.conv %x, %w, %b {layer = "conv1", strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1 : i64} : (tensor<5x5x2xf32>, tensor<3x3x2x4xf32>, tensor<4xf32>) -> tensor<3x3x4xf32>
  %y1 = nn.conv %x1, %w1 {strides = array<i64: 2>, dilations = array<i64: 2>, pads = array<i64: 1, 2>, groups = 2 : i64} : (tensor<8x4xf32>, tensor<3x2x6xf32>) -> tensor<4x6xf32>
  func.return %y, %y1 : tensor<3x3x4xf32>, tensor<4x6xf32>
}
// 2-D, 3x3 kernel over 5x5: 3x3 outputs. 1-D over 8 positions padded (1, 2) to 11, kernel 3 with
// dilation 2 spans 5, stride 2: (11 - 5) / 2 + 1 = 4 outputs; 2 groups of 2 input channels.
// CHECK-LABEL: func.func @conv(
// CHECK-NEXT:    %y = nn.conv %x, %w, %b {layer = "conv1", strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1 : i64} : (tensor<5x5x2xf32>, tensor<3x3x2x4xf32>, tensor<4xf32>) -> tensor<3x3x4xf32>
// CHECK-NEXT:    %y1 = nn.conv %x1, %w1 {strides = array<i64: 2>, dilations = array<i64: 2>, pads = array<i64: 1, 2>, groups = 2 : i64} : (tensor<8x4xf32>, tensor<3x2x6xf32>) -> tensor<4x6xf32>

// GENERIC-LABEL: "func.func"() <{sym_name = "conv"
// GENERIC:       %y = "nn.conv"(%x, %w, %b) <{layer = "conv1", strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1 : i64}> : (tensor<5x5x2xf32>, tensor<3x3x2x4xf32>, tensor<4xf32>) -> tensor<3x3x4xf32>
// GENERIC-NEXT:  %y1 = "nn.conv"(%x1, %w1) <{strides = array<i64: 2>, dilations = array<i64: 2>, pads = array<i64: 1, 2>, groups = 2 : i64}> : (tensor<8x4xf32>, tensor<3x2x6xf32>) -> tensor<4x6xf32>

func.func @pools(%x: tensor<4x4x3xf32>, %x1: tensor<7x2xf32>) -> (tensor<2x2x3xf32>, tensor<3x3x3xf32>, tensor<3x2xf32>) {
  %m = nn.max_pool %x {layer = "pool1", kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>} : tensor<4x4x3xf32> -> tensor<2x2x3xf32>
  %a = nn.avg_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<4x4x3xf32> -> tensor<3x3x3xf32>
  %p = nn.avg_pool %x1 {kernel = array<i64: 3>, strides = array<i64: 2>, pads = array<i64: 1, 0>, count_include_pad} : tensor<7x2xf32> -> tensor<3x2xf32>
  func.return %m, %a, %p : tensor<2x2x3xf32>, tensor<3x3x3xf32>, tensor<3x2xf32>
}
// CHECK-LABEL: func.func @pools(
// CHECK-NEXT:    %m = nn.max_pool %x {layer = "pool1", kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>} : tensor<4x4x3xf32> -> tensor<2x2x3xf32>
// CHECK-NEXT:    %a = nn.avg_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<4x4x3xf32> -> tensor<3x3x3xf32>
// CHECK-NEXT:    %p = nn.avg_pool %x1 {kernel = array<i64: 3>, strides = array<i64: 2>, pads = array<i64: 1, 0>, count_include_pad} : tensor<7x2xf32> -> tensor<3x2xf32>

// GENERIC-LABEL: "func.func"() <{sym_name = "pools"
// GENERIC:       %m = "nn.max_pool"(%x) <{layer = "pool1", kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>}> : (tensor<4x4x3xf32>) -> tensor<2x2x3xf32>
// GENERIC:       %p = "nn.avg_pool"(%x1) <{kernel = array<i64: 3>, strides = array<i64: 2>, pads = array<i64: 1, 0>, count_include_pad}> : (tensor<7x2xf32>) -> tensor<3x2xf32>

func.func @activations(%x: tensor<2x3xf32>, %s: tensor<3xf32>) -> tensor<2x3xf32> {
  %bn = nn.batchnorm %x, %s, %s {layer = "bn"} : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %l = nn.leaky_relu %bn {alpha = 0.125 : f64, layer = "leaky"} : tensor<2x3xf32>
  %t0 = nn.thresholded_relu %l {alpha = 1.0 : f64} : tensor<2x3xf32>
  %t = nn.thresholded_relu %t0 {alpha = 0.5 : f64, value = -2.0 : f64} : tensor<2x3xf32>
  %hs = nn.hard_sigmoid %t {alpha = 0.2 : f64, beta = 0.5 : f64} : tensor<2x3xf32>
  %c = nn.clip %hs {min = -1.0 : f64, max = 6.0 : f64} : tensor<2x3xf32>
  %c1 = nn.clip %c {min = 0.0 : f64} : tensor<2x3xf32>
  %c2 = nn.clip %c1 : tensor<2x3xf32>
  %p = nn.prelu %c2, %s {layer = "prelu"} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %e = nn.activation "elu" %p {params = array<f64: 1.0>} : tensor<2x3xf32>
  %se = nn.activation "selu" %e {params = array<f64: 1.67326, 1.0507>, layer = "selu"} : tensor<2x3xf32>
  %sp = nn.activation "softplus" %se {params = array<f64>} : tensor<2x3xf32>
  func.return %sp : tensor<2x3xf32>
}
// A clip may leave out either bound (or both); float parameters print in xDSL's own spelling.
// CHECK-LABEL: func.func @activations(
// CHECK-NEXT:    %bn = nn.batchnorm %x, %s, %s {layer = "bn"} : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %l = nn.leaky_relu %bn {alpha = 1.250000e-01 : f64, layer = "leaky"} : tensor<2x3xf32>
// CHECK-NEXT:    %t0 = nn.thresholded_relu %l {alpha = 1.000000e+00 : f64} : tensor<2x3xf32>
// CHECK-NEXT:    %t = nn.thresholded_relu %t0 {alpha = 5.000000e-01 : f64, value = -2.000000e+00 : f64} : tensor<2x3xf32>
// CHECK-NEXT:    %hs = nn.hard_sigmoid %t {alpha = 2.000000e-01 : f64, beta = 5.000000e-01 : f64} : tensor<2x3xf32>
// CHECK-NEXT:    %c = nn.clip %hs {min = -1.000000e+00 : f64, max = 6.000000e+00 : f64} : tensor<2x3xf32>
// CHECK-NEXT:    %c1 = nn.clip %c {min = 0.000000e+00 : f64} : tensor<2x3xf32>
// CHECK-NEXT:    %c2 = nn.clip %c1 : tensor<2x3xf32>
// CHECK-NEXT:    %p = nn.prelu %c2, %s {layer = "prelu"} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %e = nn.activation "elu" %p {params = array<f64: 1.000000e+00>} : tensor<2x3xf32>
// CHECK-NEXT:    %se = nn.activation "selu" %e {params = array<f64: 1.673260e+00, 1.050700e+00>, layer = "selu"} : tensor<2x3xf32>
// CHECK-NEXT:    %sp = nn.activation "softplus" %se {params = array<f64>} : tensor<2x3xf32>

// GENERIC-LABEL: "func.func"() <{sym_name = "activations"
// GENERIC:       %bn = "nn.batchnorm"(%x, %s, %s) <{layer = "bn"}> : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:  %l = "nn.leaky_relu"(%bn) <{alpha = 1.250000e-01 : f64, layer = "leaky"}> : (tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC:       %c2 = "nn.clip"(%c1) : (tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:  %p = "nn.prelu"(%c2, %s) <{layer = "prelu"}> : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// GENERIC-NEXT:  %e = "nn.activation"(%p) <{function = "elu", params = array<f64: 1.000000e+00>}> : (tensor<2x3xf32>) -> tensor<2x3xf32>

func.func @quant(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %a = nn.quant %x scale [0.125] zero_point [0.0] bits 8 signed round "ROUND" {layer = "q"} : tensor<2x3xf32>
  %b = nn.quant %a scale [0.5, 0.25, 0.1] zero_point [1.0, 0.0, -2.0] bits 4 narrow round "FLOOR" {pre_scale = array<f64: 2.0>, pre_bias = array<f64: 0.5, 0.0, -0.5>} : tensor<2x3xf32>
  %c = nn.quant %b scale [1.0] zero_point [0.0] bits 1 signed round "ROUND" : tensor<2x3xf32>
  %d = nn.quant %c scale [0.0625] zero_point [0.0] round "HALF_EVEN" : tensor<2x3xf32>
  %w = nn.quant %d scale [0.25] zero_point [0.0] bits 6 signed wrap round "FLOOR" : tensor<2x3xf32>
  func.return %w : tensor<2x3xf32>
}
// nn.quant: per tensor (one scale) or per channel (3 scales and zero points, with an affine pre-step);
// one signed bit is bipolar; without bits nothing is clamped; `wrap` instead of clamping. `bits` prints
// without its i64 type.
// CHECK-LABEL: func.func @quant(
// CHECK-NEXT:    %a = nn.quant %x scale [1.250000e-01] zero_point [0.000000e+00] bits 8 signed round "ROUND" {layer = "q"} : tensor<2x3xf32>
// CHECK-NEXT:    %b = nn.quant %a scale [5.000000e-01, 2.500000e-01, 1.000000e-01] zero_point [1.000000e+00, 0.000000e+00, -2.000000e+00] bits 4 narrow round "FLOOR" {pre_scale = array<f64: 2.000000e+00>, pre_bias = array<f64: 5.000000e-01, 0.000000e+00, -5.000000e-01>} : tensor<2x3xf32>
// CHECK-NEXT:    %c = nn.quant %b scale [1.000000e+00] zero_point [0.000000e+00] bits 1 signed round "ROUND" : tensor<2x3xf32>
// CHECK-NEXT:    %d = nn.quant %c scale [6.250000e-02] zero_point [0.000000e+00] round "HALF_EVEN" : tensor<2x3xf32>
// CHECK-NEXT:    %w = nn.quant %d scale [2.500000e-01] zero_point [0.000000e+00] bits 6 signed wrap round "FLOOR" : tensor<2x3xf32>

func.func @fixed_quant(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %y = nn.fixed_quant %x types dense<[[[1, 4, 2], [0, 3, 1], [1, 0, 0]]]> : tensor<1x3x3xi32> round "HALF_POSITIVE" overflow "WRAP" {layer = "q"} : tensor<2x3xf32>
  func.return %y : tensor<2x3xf32>
}
// nn.fixed_quant: a type per element (signed, W, I), broadcast along the size-1 axis.
// CHECK-LABEL:         func.func @fixed_quant(
// CHECK-NEXT{LITERAL}:   %y = nn.fixed_quant %x types dense<[[[1, 4, 2], [0, 3, 1], [1, 0, 0]]]> : tensor<1x3x3xi32> round "HALF_POSITIVE" overflow "WRAP" {layer = "q"} : tensor<2x3xf32>

// GENERIC-LABEL: "func.func"() <{sym_name = "quant"
// GENERIC:       %a = "nn.quant"(%x) <{scale = array<f64: 1.250000e-01>, zero_point = array<f64: 0.000000e+00>, bits = 8 : i64, signed, rounding = "ROUND", layer = "q"}> : (tensor<2x3xf32>) -> tensor<2x3xf32>
// GENERIC:       %d = "nn.quant"(%c) <{scale = array<f64: 6.250000e-02>, zero_point = array<f64: 0.000000e+00>, rounding = "HALF_EVEN"}> : (tensor<2x3xf32>) -> tensor<2x3xf32>

func.func @layer_norm(%x: tensor<2x4xf32>, %s: tensor<4xf32>, %b: tensor<4xf32>, %s2: tensor<2x4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>) {
  %y = nn.layer_norm %x, %s, %b axes 1 epsilon 1.0e-05 {layer = "ln"} : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %z = nn.layer_norm %y, %s2 axes 2 epsilon 0.0 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  func.return %y, %z : tensor<2x4xf32>, tensor<2x4xf32>
}
// CHECK-LABEL: func.func @layer_norm(
// CHECK-NEXT:    %y = nn.layer_norm %x, %s, %b axes 1 epsilon 1.000000e-05 {layer = "ln"} : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT:    %z = nn.layer_norm %y, %s2 axes 2 epsilon 0.000000e+00 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>

// GENERIC-LABEL: "func.func"() <{sym_name = "layer_norm"
// GENERIC:       %y = "nn.layer_norm"(%x, %s, %b) <{axes = 1 : i64, epsilon = 1.000000e-05 : f64, layer = "ln"}> : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
// GENERIC-NEXT:  %z = "nn.layer_norm"(%y, %s2) <{axes = 2 : i64, epsilon = 0.000000e+00 : f64}> : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
