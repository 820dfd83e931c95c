// nn-to-fixed on the CNN ops: convolution, pooling, a batch normalisation that does not follow a
// conv or dense layer, the piecewise-linear activations (exact arithmetic, selects and clamps), the
// smooth ones (a table for the curved part, the linear part exact), elementwise arithmetic with
// broadcasting and constants, and the layout ops (only retyped). Precision ap_fixed<8,3> (F = 5
// fraction bits): hardware casts TRN WRAP, constants rounded RND SAT; tables of at most 8 entries
// with `auto` entries (18 bits). Input b of @layout is ap_ufixed<8,1> (a LayerName setting), so
// that the concat joins two types. A layer whose exact value is already <8,3> gets no cast.
// RUN: xdsl-opt %s -p 'nn-to-fixed{precision="ap_fixed<8,3>" table-size=8 config="{\"LayerName\": {\"b\": {\"Precision\": \"ap_ufixed<8,1>\"}}}"}' | filecheck %s

func.func @conv(%x: tensor<4x4x1xf32>) -> tensor<3x3x2xf32> {
  %w = nn.constant dense<[[[[0.5, -1.0]], [[0.25, 2.0]]], [[[-0.75, 0.125]], [[1.0, -0.5]]]]> : tensor<2x2x1x2xf32> {layer = "conv1"}
  %b = nn.constant dense<[0.25, -1.0]> : tensor<2xf32> {layer = "conv1"}
  %y = nn.conv %x, %w, %b {layer = "conv1", strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1 : i64} : (tensor<4x4x1xf32>, tensor<2x2x1x2xf32>, tensor<2xf32>) -> tensor<3x3x2xf32>
  func.return %y : tensor<3x3x2xf32>
}
// Weights [kh, kw, C, O] and bias are exact in <8,3> (code = value * 32: 0.5 -> 16, -1 -> -32, ...).
// The accumulator is dense's bit-growth bound: <8,3> x <8,3> products are <16,6>; 2 * 2 * 1 = 4
// taps add 2 bits (<18,8>); the bias one more: <19,9> (10 fraction bits). Then the layer's cast.
// CHECK-LABEL: func.func @conv(%x: tensor<4x4x1xf32>) -> tensor<3x3x2xf64> {
// CHECK-NEXT:   %0 = fixed.quantize %x TRN WRAP {layer = "x"} : tensor<4x4x1xf32> -> tensor<4x4x1x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT{LITERAL}:   %y = fixed.constant dense<[[[[16, -32]], [[8, 64]]], [[[-24, 4]], [[32, -16]]]]> : tensor<2x2x1x2xi8> as tensor<2x2x1x2x!fixed.fixed<8, 3, signed>> {layer = "conv1", layer_type = "Conv", error = 0.000000e+00 : f64}
// CHECK-NEXT:   %y_1 = fixed.constant dense<[8, -32]> : tensor<2xi8> as tensor<2x!fixed.fixed<8, 3, signed>> {layer = "conv1", layer_type = "Conv", error = 0.000000e+00 : f64}
// CHECK-NEXT:   %y_2 = fixed.conv %0, %y, %y_1 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1 : i64, layer = "conv1", layer_type = "Conv"} : (tensor<4x4x1x!fixed.fixed<8, 3, signed>>, tensor<2x2x1x2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<3x3x2x!fixed.fixed<19, 9, signed>>
// CHECK-NEXT:   %y_3 = fixed.cast %y_2 TRN WRAP {layer = "conv1", layer_type = "Conv"} : tensor<3x3x2x!fixed.fixed<19, 9, signed>> -> tensor<3x3x2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %1 = fixed.dequantize %y_3 : tensor<3x3x2x!fixed.fixed<8, 3, signed>> -> tensor<3x3x2xf64>
// CHECK-NEXT:   func.return %1 : tensor<3x3x2xf64>
// CHECK-NEXT:  }

func.func @pools(%x: tensor<4x4x2xf32>, %v: tensor<3x2xf32>) -> (tensor<2x2x2xf32>, tensor<2x2x2xf32>, tensor<3x2xf32>, tensor<3x2xf32>) {
  %m = nn.max_pool %x {layer = "max", kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>} : tensor<4x4x2xf32> -> tensor<2x2x2xf32>
  %a = nn.avg_pool %x {layer = "avg", kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>} : tensor<4x4x2xf32> -> tensor<2x2x2xf32>
  %p = nn.avg_pool %v {layer = "avg_pad", kernel = array<i64: 2>, strides = array<i64: 1>, pads = array<i64: 1, 0>} : tensor<3x2xf32> -> tensor<3x2xf32>
  %q = nn.avg_pool %v {layer = "avg_count_pad", kernel = array<i64: 2>, strides = array<i64: 1>, pads = array<i64: 1, 0>, count_include_pad} : tensor<3x2xf32> -> tensor<3x2xf32>
  func.return %m, %a, %p, %q : tensor<2x2x2xf32>, tensor<2x2x2xf32>, tensor<3x2xf32>, tensor<3x2xf32>
}
// max pool: in the input's type, so no cast. avg pool = sum pool (4 terms: 2 more integer bits,
// <10,5>) times 1/count, an `auto` constant of the table width (18 bits, trailing zero bits
// dropped): 1/4 is <1,-1,unsigned> code 1; the product <10,5> x <1,-1,unsigned> is <11,4>.
// With the padding left out of the count each output position has its own: windows of 2 over
// [pad, v0, v1, v2] hold 1, 2, 2 inputs, so 1/count = [1, 0.5, 0.5] = codes [2, 1, 1] of
// <2,1,unsigned>, shaped [3, 1] to broadcast over the channels. A sum of 2 terms is <9,4>; the
// product <11,5>. With the padding counted, every count is 2: 0.5 is <1,0,unsigned> code 1, the
// product <10,4>.
// CHECK-LABEL: func.func @pools(%x: tensor<4x4x2xf32>, %v: tensor<3x2xf32>) -> (tensor<2x2x2xf64>, tensor<2x2x2xf64>, tensor<3x2xf64>, tensor<3x2xf64>) {
// CHECK-NEXT:   %0 = fixed.quantize %x TRN WRAP {layer = "x"} : tensor<4x4x2xf32> -> tensor<4x4x2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %1 = fixed.quantize %v TRN WRAP {layer = "v"} : tensor<3x2xf32> -> tensor<3x2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %m = fixed.max_pool %0 {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, layer = "max", layer_type = "Pooling"} : tensor<4x4x2x!fixed.fixed<8, 3, signed>> -> tensor<2x2x2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %a = fixed.sum_pool %0 {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, layer = "avg", layer_type = "Pooling"} : tensor<4x4x2x!fixed.fixed<8, 3, signed>> -> tensor<2x2x2x!fixed.fixed<10, 5, signed>>
// CHECK-NEXT:   %a_1 = fixed.constant dense<1> : tensor<1xi8> as tensor<1x!fixed.fixed<1, -1, unsigned>> {layer = "avg", layer_type = "Pooling", error = 0.000000e+00 : f64}
// CHECK-NEXT:   %a_2 = fixed.mul %a, %a_1 {layer = "avg", layer_type = "Pooling"} : (tensor<2x2x2x!fixed.fixed<10, 5, signed>>, tensor<1x!fixed.fixed<1, -1, unsigned>>) -> tensor<2x2x2x!fixed.fixed<11, 4, signed>>
// CHECK-NEXT:   %a_3 = fixed.cast %a_2 TRN WRAP {layer = "avg", layer_type = "Pooling"} : tensor<2x2x2x!fixed.fixed<11, 4, signed>> -> tensor<2x2x2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %p = fixed.sum_pool %1 {kernel = array<i64: 2>, strides = array<i64: 1>, pads = array<i64: 1, 0>, layer = "avg_pad", layer_type = "Pooling"} : tensor<3x2x!fixed.fixed<8, 3, signed>> -> tensor<3x2x!fixed.fixed<9, 4, signed>>
// CHECK-NEXT{LITERAL}:   %p_1 = fixed.constant dense<[[2], [1], [1]]> : tensor<3x1xi8> as tensor<3x1x!fixed.fixed<2, 1, unsigned>> {layer = "avg_pad", layer_type = "Pooling", error = 0.000000e+00 : f64}
// CHECK-NEXT:   %p_2 = fixed.mul %p, %p_1 {layer = "avg_pad", layer_type = "Pooling"} : (tensor<3x2x!fixed.fixed<9, 4, signed>>, tensor<3x1x!fixed.fixed<2, 1, unsigned>>) -> tensor<3x2x!fixed.fixed<11, 5, signed>>
// CHECK-NEXT:   %p_3 = fixed.cast %p_2 TRN WRAP {layer = "avg_pad", layer_type = "Pooling"} : tensor<3x2x!fixed.fixed<11, 5, signed>> -> tensor<3x2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %q = fixed.sum_pool %1 {kernel = array<i64: 2>, strides = array<i64: 1>, pads = array<i64: 1, 0>, layer = "avg_count_pad", layer_type = "Pooling"} : tensor<3x2x!fixed.fixed<8, 3, signed>> -> tensor<3x2x!fixed.fixed<9, 4, signed>>
// CHECK-NEXT:   %q_1 = fixed.constant dense<1> : tensor<1xi8> as tensor<1x!fixed.fixed<1, 0, unsigned>> {layer = "avg_count_pad", layer_type = "Pooling", error = 0.000000e+00 : f64}
// CHECK-NEXT:   %q_2 = fixed.mul %q, %q_1 {layer = "avg_count_pad", layer_type = "Pooling"} : (tensor<3x2x!fixed.fixed<9, 4, signed>>, tensor<1x!fixed.fixed<1, 0, unsigned>>) -> tensor<3x2x!fixed.fixed<10, 4, signed>>
// CHECK-NEXT:   %q_3 = fixed.cast %q_2 TRN WRAP {layer = "avg_count_pad", layer_type = "Pooling"} : tensor<3x2x!fixed.fixed<10, 4, signed>> -> tensor<3x2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %2 = fixed.dequantize %m : tensor<2x2x2x!fixed.fixed<8, 3, signed>> -> tensor<2x2x2xf64>
// CHECK-NEXT:   %3 = fixed.dequantize %a_3 : tensor<2x2x2x!fixed.fixed<8, 3, signed>> -> tensor<2x2x2xf64>
// CHECK-NEXT:   %4 = fixed.dequantize %p_3 : tensor<3x2x!fixed.fixed<8, 3, signed>> -> tensor<3x2xf64>
// CHECK-NEXT:   %5 = fixed.dequantize %q_3 : tensor<3x2x!fixed.fixed<8, 3, signed>> -> tensor<3x2xf64>
// CHECK-NEXT:   func.return %2, %3, %4, %5 : tensor<2x2x2xf64>, tensor<2x2x2xf64>, tensor<3x2xf64>, tensor<3x2xf64>
// CHECK-NEXT:  }

func.func @batchnorm(%x: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %r = nn.relu %x {layer = "relu"} : tensor<2x2xf32>
  %s = nn.constant dense<[0.5, -1.5]> : tensor<2xf32> {layer = "bn"}
  %t = nn.constant dense<[0.25, 1.0]> : tensor<2xf32> {layer = "bn"}
  %n = nn.batchnorm %r, %s, %t {layer = "bn"} : (tensor<2x2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  func.return %n : tensor<2x2xf32>
}
// Not after a conv or dense layer, so not folded: x * scale + shift per channel (the last axis),
// the scale in the weight precision (0.5 -> 16, -1.5 -> -48), the shift in the bias precision
// (0.25 -> 8, 1 -> 32). The product is <16,6>; adding <8,3> takes one more integer bit: <17,7>.
// CHECK-LABEL: func.func @batchnorm(%x: tensor<2x2xf32>) -> tensor<2x2xf64> {
// CHECK-NEXT:   %0 = fixed.quantize %x TRN WRAP {layer = "x"} : tensor<2x2xf32> -> tensor<2x2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %r = fixed.relu %0 {layer = "relu", layer_type = "ReLU"} : tensor<2x2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %n = fixed.constant dense<[16, -48]> : tensor<2xi8> as tensor<2x!fixed.fixed<8, 3, signed>> {layer = "bn", layer_type = "BatchNormalization", error = 0.000000e+00 : f64}
// CHECK-NEXT:   %n_1 = fixed.constant dense<[8, 32]> : tensor<2xi8> as tensor<2x!fixed.fixed<8, 3, signed>> {layer = "bn", layer_type = "BatchNormalization", error = 0.000000e+00 : f64}
// CHECK-NEXT:   %n_2 = fixed.mul %r, %n {layer = "bn", layer_type = "BatchNormalization"} : (tensor<2x2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x2x!fixed.fixed<16, 6, signed>>
// CHECK-NEXT:   %n_3 = fixed.add %n_2, %n_1 {layer = "bn", layer_type = "BatchNormalization"} : (tensor<2x2x!fixed.fixed<16, 6, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x2x!fixed.fixed<17, 7, signed>>
// CHECK-NEXT:   %n_4 = fixed.cast %n_3 TRN WRAP {layer = "bn", layer_type = "BatchNormalization"} : tensor<2x2x!fixed.fixed<17, 7, signed>> -> tensor<2x2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %1 = fixed.dequantize %n_4 : tensor<2x2x!fixed.fixed<8, 3, signed>> -> tensor<2x2xf64>
// CHECK-NEXT:   func.return %1 : tensor<2x2xf64>
// CHECK-NEXT:  }

func.func @piecewise(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) {
  %l = nn.leaky_relu %x {layer = "leaky", alpha = 0.125 : f64} : tensor<2xf32>
  %slope = nn.constant dense<[0.25, -0.5]> : tensor<2xf32> {layer = "prelu"}
  %p = nn.prelu %x, %slope {layer = "prelu"} : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %t = nn.thresholded_relu %x {layer = "thresh", alpha = 1.0 : f64} : tensor<2xf32>
  %c = nn.clip %x {layer = "clip", min = -1.0 : f64, max = 6.0 : f64} : tensor<2xf32>
  %h = nn.hard_sigmoid %x {layer = "hsig", alpha = 0.2 : f64, beta = 0.5 : f64} : tensor<2xf32>
  func.return %l, %p, %t, %c, %h : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
}
// leaky relu: select(x, x, alpha * x) (x > 0 picks x); alpha = 0.125 is a scalar, code 4 of <8,3>;
// the product <16,6>; the select joins <8,3> and <16,6>: <16,6>. prelu: the same with a slope per
// channel ([0.25, -0.5] -> [8, -16]).
// thresholded relu (x > 1 ? x : 0): on x's grid x > 1 <=> code(x) > floor(1 * 32) = 32, so the
// condition is x - 32 (32 as <6,1,unsigned>, the narrowest type of x's step holding it; the
// difference <9,4>) and the zero a constant of x's step (<1,-4,unsigned>): the select is <8,3>.
// clip [-1, 6]: a clamp to the representable bounds inside the interval, codes ceil(-1 * 32) = -32
// and min(floor(6 * 32), 127) = 127 (6 is above <8,3>'s range): exact, in x's type.
// hard sigmoid clamp(0.2 x + 0.5, 0, 1): alpha rounds to 6/32 = 0.1875 (error 0.0125), beta 0.5
// is 16; the product <16,6> (10 fraction bits), the sum <17,7>, clamped to codes [0, 2^10].
// CHECK-LABEL: func.func @piecewise(%x: tensor<2xf32>) -> (tensor<2xf64>, tensor<2xf64>, tensor<2xf64>, tensor<2xf64>, tensor<2xf64>) {
// CHECK-NEXT:   %0 = fixed.quantize %x TRN WRAP {layer = "x"} : tensor<2xf32> -> tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %l = fixed.constant dense<4> : tensor<i8> as tensor<!fixed.fixed<8, 3, signed>> {layer = "leaky", layer_type = "LeakyReLU", error = 0.000000e+00 : f64}
// CHECK-NEXT:   %l_1 = fixed.mul %0, %l {layer = "leaky", layer_type = "LeakyReLU"} : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<16, 6, signed>>
// CHECK-NEXT:   %l_2 = fixed.select %0, %0, %l_1 {gap = array<f64: 0.000000e+00, 8.750000e-01>, layer = "leaky", layer_type = "LeakyReLU"} : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<16, 6, signed>>) -> tensor<2x!fixed.fixed<16, 6, signed>>
// CHECK-NEXT:   %l_3 = fixed.cast %l_2 TRN WRAP {layer = "leaky", layer_type = "LeakyReLU"} : tensor<2x!fixed.fixed<16, 6, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %p = fixed.constant dense<[8, -16]> : tensor<2xi8> as tensor<2x!fixed.fixed<8, 3, signed>> {layer = "prelu", layer_type = "PReLU", error = 0.000000e+00 : f64}
// CHECK-NEXT:   %p_1 = fixed.mul %0, %p {layer = "prelu", layer_type = "PReLU"} : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<16, 6, signed>>
// CHECK-NEXT:   %p_2 = fixed.select %0, %0, %p_1 {gap = array<f64: 0.000000e+00, 1.500000e+00>, layer = "prelu", layer_type = "PReLU"} : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<16, 6, signed>>) -> tensor<2x!fixed.fixed<16, 6, signed>>
// CHECK-NEXT:   %p_3 = fixed.cast %p_2 TRN WRAP {layer = "prelu", layer_type = "PReLU"} : tensor<2x!fixed.fixed<16, 6, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %t = fixed.constant dense<32> : tensor<i8> as tensor<!fixed.fixed<6, 1, unsigned>> {layer = "thresh", layer_type = "ThresholdedReLU", error = 0.000000e+00 : f64}
// CHECK-NEXT:   %t_1 = fixed.sub %0, %t {layer = "thresh", layer_type = "ThresholdedReLU"} : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<!fixed.fixed<6, 1, unsigned>>) -> tensor<2x!fixed.fixed<9, 4, signed>>
// CHECK-NEXT:   %t_2 = fixed.constant dense<0> : tensor<i8> as tensor<!fixed.fixed<1, -4, unsigned>> {layer = "thresh", layer_type = "ThresholdedReLU"}
// CHECK-NEXT:   %t_3 = fixed.select %t_1, %0, %t_2 {gap = array<f64: 1.000000e+00, 1.000000e+00>, layer = "thresh", layer_type = "ThresholdedReLU"} : (tensor<2x!fixed.fixed<9, 4, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>, tensor<!fixed.fixed<1, -4, unsigned>>) -> tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %c = fixed.clamp %0 low -32 : i64 high 127 : i64 {layer = "clip", layer_type = "Clip"} : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %h = fixed.constant dense<6> : tensor<i8> as tensor<!fixed.fixed<8, 3, signed>> {layer = "hsig", layer_type = "HardSigmoid", error = 0.012500000000000011 : f64}
// CHECK-NEXT:   %h_1 = fixed.constant dense<16> : tensor<i8> as tensor<!fixed.fixed<8, 3, signed>> {layer = "hsig", layer_type = "HardSigmoid", error = 0.000000e+00 : f64}
// CHECK-NEXT:   %h_2 = fixed.mul %0, %h {layer = "hsig", layer_type = "HardSigmoid"} : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<16, 6, signed>>
// CHECK-NEXT:   %h_3 = fixed.add %h_2, %h_1 {layer = "hsig", layer_type = "HardSigmoid"} : (tensor<2x!fixed.fixed<16, 6, signed>>, tensor<!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<17, 7, signed>>
// CHECK-NEXT:   %h_4 = fixed.clamp %h_3 low 0 : i64 high 1024 : i64 {layer = "hsig", layer_type = "HardSigmoid"} : tensor<2x!fixed.fixed<17, 7, signed>> -> tensor<2x!fixed.fixed<17, 7, signed>>
// CHECK-NEXT:   %h_5 = fixed.cast %h_4 TRN WRAP {layer = "hsig", layer_type = "HardSigmoid"} : tensor<2x!fixed.fixed<17, 7, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %1 = fixed.dequantize %l_3 : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2xf64>
// CHECK-NEXT:   %2 = fixed.dequantize %p_3 : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2xf64>
// CHECK-NEXT:   %3 = fixed.dequantize %t_3 : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2xf64>
// CHECK-NEXT:   %4 = fixed.dequantize %c : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2xf64>
// CHECK-NEXT:   %5 = fixed.dequantize %h_5 : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2xf64>
// CHECK-NEXT:   func.return %1, %2, %3, %4, %5 : tensor<2xf64>, tensor<2xf64>, tensor<2xf64>, tensor<2xf64>, tensor<2xf64>
// CHECK-NEXT:  }

func.func @smooth(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) {
  %e = nn.activation "elu" %x {layer = "elu", params = array<f64: 1.0>} : tensor<2xf32>
  %s = nn.activation "selu" %x {layer = "selu", params = array<f64: 1.6732632423543772, 1.0507009873554805>} : tensor<2xf32>
  %p = nn.activation "softplus" %x {layer = "softplus", params = array<f64>} : tensor<2xf32>
  func.return %e, %s, %p : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
}
// elu and selu: x > 0 ? (gamma *) x : table, the table serving x <= 0: its domain is
// [ln(2^-16), 2^-5) = [-11.090354888959125, 0.03125) (below it the function is flat to 2^-16).
// Inputs reach codes [-128, 127]; the domain starts below -128 and ends at code ceil(0.03125 * 32)
// - 1 = 0: 129 codes in at most 8 entries needs entries of 2^5 codes: the first is -128 >> 5 = -4,
// so the offset is -4 * 32 = -128, 5 entries are in the domain, k = 3 (8 entries), index
// <3, 3 - (5 - 5), unsigned>. Entry i serves codes [-128 + 32 i, -97 + 32 i] (the last also up to
// 127) and holds the function's midrange there:
//   elu entry 0: (expm1(-4) + expm1(-97/32)) / 2 = -0.966715, entry 3: (expm1(-1) + expm1(-1/32))
//   / 2 = -0.331444, entries 4..7: 0. Signed, |peak| < 1: <18,1>; -0.966715 * 2^17 = -126709.21 ->
//   -126709, -0.331444 * 2^17 = -43442.98 -> -43443. The select joins <8,3> and <18,1>: <20,3>.
//   selu: gamma = 1.0507 rounds to 34/32 in the weight precision (error 0.011799); gamma * x is
//   <16,6>. The table is gamma * alpha (1.758099) times elu's: entry 0 -1.699580, entry 3
//   -0.582711; |peak| >= 1: <18,2> (16 fraction bits): -111383.69 -> -111384, -38188.54 -> -38189.
//   The select joins <16,6> and <18,2>: <22,6>.
// softplus: x > 16 ? x : table (softplus(x) = x to within 2^-23 beyond 16). The domain
// [-11.09, 16) covers every input code (<8,3> stops below 4): the same 8 entries; entry 0
// (softplus(-4) + softplus(-97/32)) / 2 = 0.0326385, entry 7 (softplus(3) + softplus(127/32)) / 2
// = 3.518029; unsigned, peak < 4: <18,2,unsigned>: 2138.999 -> 2139, 230557.55 -> 230558. The
// condition x - 16 has 16 as code 512 of <10,5,unsigned> (the difference <12,7>); the select joins
// <8,3> and <18,2,unsigned>: <19,3>.
// CHECK-LABEL: func.func @smooth(%x: tensor<2xf32>) -> (tensor<2xf64>, tensor<2xf64>, tensor<2xf64>) {
// CHECK-NEXT:   %0 = fixed.quantize %x TRN WRAP {layer = "x"} : tensor<2xf32> -> tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %e = fixed.lookup "elu" %0 offset -128 : i64 index !fixed.fixed<3, 3, unsigned> table dense<[-126709, -119213, -98835, -43443, 0, 0, 0, 0]> : tensor<8xi32> infer {layer = "elu", layer_type = "ELU", domain = array<f64: -11.090354888959125, 3.125000e-02>, params = array<f64: 1.000000e+00>} : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2x!fixed.fixed<18, 1, signed>>
// CHECK-NEXT:   %e_1 = fixed.select %0, %0, %e {gap = array<f64: 0.000000e+00, 2.000000e+00>, layer = "elu", layer_type = "ELU"} : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<18, 1, signed>>) -> tensor<2x!fixed.fixed<20, 3, signed>>
// CHECK-NEXT:   %e_2 = fixed.cast %e_1 TRN WRAP {layer = "elu", layer_type = "ELU"} : tensor<2x!fixed.fixed<20, 3, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %s = fixed.constant dense<34> : tensor<i8> as tensor<!fixed.fixed<8, 3, signed>> {layer = "selu", layer_type = "SELU", error = 0.011799012644519546 : f64}
// CHECK-NEXT:   %s_1 = fixed.mul %0, %s {layer = "selu", layer_type = "SELU"} : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<16, 6, signed>>
// CHECK-NEXT:   %s_2 = fixed.lookup "selu" %0 offset -128 : i64 index !fixed.fixed<3, 3, unsigned> table dense<[-111384, -104794, -86881, -38189, 0, 0, 0, 0]> : tensor<8xi32> infer {layer = "selu", layer_type = "SELU", domain = array<f64: -11.090354888959125, 3.125000e-02>, params = array<f64: 1.6732632423543772, 1.0507009873554805>} : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2x!fixed.fixed<18, 2, signed>>
// CHECK-NEXT:   %s_3 = fixed.select %0, %s_1, %s_2 {gap = array<f64: 0.000000e+00, 2.8088003282028571>, layer = "selu", layer_type = "SELU"} : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<16, 6, signed>>, tensor<2x!fixed.fixed<18, 2, signed>>) -> tensor<2x!fixed.fixed<22, 6, signed>>
// CHECK-NEXT:   %s_4 = fixed.cast %s_3 TRN WRAP {layer = "selu", layer_type = "SELU"} : tensor<2x!fixed.fixed<22, 6, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %p = fixed.lookup "softplus" %0 offset -128 : i64 index !fixed.fixed<3, 3, unsigned> table dense<[2139, 5631, 14152, 32470, 65001, 111828, 168617, 230558]> : tensor<8xi32> infer {layer = "softplus", layer_type = "Softplus", domain = array<f64: -11.090354888959125, 1.600000e+01>} : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2x!fixed.fixed<18, 2, unsigned>>
// CHECK-NEXT:   %p_1 = fixed.constant dense<512> : tensor<i16> as tensor<!fixed.fixed<10, 5, unsigned>> {layer = "softplus", layer_type = "Softplus"}
// CHECK-NEXT:   %p_2 = fixed.sub %0, %p_1 {layer = "softplus", layer_type = "Softplus"} : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<!fixed.fixed<10, 5, unsigned>>) -> tensor<2x!fixed.fixed<12, 7, signed>>
// CHECK-NEXT:   %p_3 = fixed.select %p_2, %0, %p {gap = array<f64: 2.384185791015625e-07, 2.000000e+00>, layer = "softplus", layer_type = "Softplus"} : (tensor<2x!fixed.fixed<12, 7, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<18, 2, unsigned>>) -> tensor<2x!fixed.fixed<19, 3, signed>>
// CHECK-NEXT:   %p_4 = fixed.cast %p_3 TRN WRAP {layer = "softplus", layer_type = "Softplus"} : tensor<2x!fixed.fixed<19, 3, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %1 = fixed.dequantize %e_2 : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2xf64>
// CHECK-NEXT:   %2 = fixed.dequantize %s_4 : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2xf64>
// CHECK-NEXT:   %3 = fixed.dequantize %p_4 : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2xf64>
// CHECK-NEXT:   func.return %1, %2, %3 : tensor<2xf64>, tensor<2xf64>, tensor<2xf64>
// CHECK-NEXT:  }

func.func @arith(%x: tensor<2x3xf32>, %y: tensor<2x1xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %c = nn.constant dense<[0.5, -0.25, 1.0]> : tensor<3xf32> {layer = "add"}
  %a = nn.add %x, %c {layer = "add"} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %s = nn.sub %a, %y {layer = "sub"} : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
  %k = nn.constant dense<[[2.0, -0.5, 0.75]]> : tensor<1x3xf32> {layer = "mul"}
  %m = nn.mul %k, %s {layer = "mul"} : (tensor<1x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %a, %s, %m : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}
// add: the constant takes the bias precision ([0.5, -0.25, 1] -> [16, -8, 32]); [2, 3] + [3]
// broadcasts; <8,3> + <8,3> is <9,4>. sub [2, 3] - [2, 1]: <9,4>. mul by a [1, 3] constant in the
// weight precision ([2, -0.5, 0.75] -> [64, -16, 24]), the constant first: <16,6>. Each casts to
// <8,3> afterwards.
// CHECK-LABEL: func.func @arith(%x: tensor<2x3xf32>, %y: tensor<2x1xf32>) -> (tensor<2x3xf64>, tensor<2x3xf64>, tensor<2x3xf64>) {
// CHECK-NEXT:   %0 = fixed.quantize %x TRN WRAP {layer = "x"} : tensor<2x3xf32> -> tensor<2x3x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %1 = fixed.quantize %y TRN WRAP {layer = "y"} : tensor<2x1xf32> -> tensor<2x1x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %a = fixed.constant dense<[16, -8, 32]> : tensor<3xi8> as tensor<3x!fixed.fixed<8, 3, signed>> {layer = "add", layer_type = "Add", error = 0.000000e+00 : f64}
// CHECK-NEXT:   %a_1 = fixed.add %0, %a {layer = "add", layer_type = "Add"} : (tensor<2x3x!fixed.fixed<8, 3, signed>>, tensor<3x!fixed.fixed<8, 3, signed>>) -> tensor<2x3x!fixed.fixed<9, 4, signed>>
// CHECK-NEXT:   %a_2 = fixed.cast %a_1 TRN WRAP {layer = "add", layer_type = "Add"} : tensor<2x3x!fixed.fixed<9, 4, signed>> -> tensor<2x3x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %s = fixed.sub %a_2, %1 {layer = "sub", layer_type = "Sub"} : (tensor<2x3x!fixed.fixed<8, 3, signed>>, tensor<2x1x!fixed.fixed<8, 3, signed>>) -> tensor<2x3x!fixed.fixed<9, 4, signed>>
// CHECK-NEXT:   %s_1 = fixed.cast %s TRN WRAP {layer = "sub", layer_type = "Sub"} : tensor<2x3x!fixed.fixed<9, 4, signed>> -> tensor<2x3x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT{LITERAL}:   %m = fixed.constant dense<[[64, -16, 24]]> : tensor<1x3xi8> as tensor<1x3x!fixed.fixed<8, 3, signed>> {layer = "mul", layer_type = "Mul", error = 0.000000e+00 : f64}
// CHECK-NEXT:   %m_1 = fixed.mul %m, %s_1 {layer = "mul", layer_type = "Mul"} : (tensor<1x3x!fixed.fixed<8, 3, signed>>, tensor<2x3x!fixed.fixed<8, 3, signed>>) -> tensor<2x3x!fixed.fixed<16, 6, signed>>
// CHECK-NEXT:   %m_2 = fixed.cast %m_1 TRN WRAP {layer = "mul", layer_type = "Mul"} : tensor<2x3x!fixed.fixed<16, 6, signed>> -> tensor<2x3x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %2 = fixed.dequantize %a_2 : tensor<2x3x!fixed.fixed<8, 3, signed>> -> tensor<2x3xf64>
// CHECK-NEXT:   %3 = fixed.dequantize %s_1 : tensor<2x3x!fixed.fixed<8, 3, signed>> -> tensor<2x3xf64>
// CHECK-NEXT:   %4 = fixed.dequantize %m_2 : tensor<2x3x!fixed.fixed<8, 3, signed>> -> tensor<2x3xf64>
// CHECK-NEXT:   func.return %2, %3, %4 : tensor<2x3xf64>, tensor<2x3xf64>, tensor<2x3xf64>
// CHECK-NEXT:  }

func.func @layout(%a: tensor<2x3xf32>, %b: tensor<2x1xf32>) -> (tensor<3x2xf32>, tensor<6xf32>, tensor<1x2xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<2x4xf32>) {
  %t = layout.transpose %a {layer = "t", perm = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
  %r = layout.reshape %a {layer = "r"} : tensor<2x3xf32> -> tensor<6xf32>
  %s = layout.slice %a {layer = "s", offsets = array<i64: 1, 1>, sizes = array<i64: 1, 2>} : tensor<2x3xf32> -> tensor<1x2xf32>
  %p = layout.pad %a {layer = "p", pads = array<i64: 1, 0, 1, 0>, value = 0.3 : f64} : tensor<2x3xf32> -> tensor<4x3xf32>
  %z = layout.resize %a {layer = "z", scales = array<i64: 2, 1>} : tensor<2x3xf32> -> tensor<4x3xf32>
  %c = layout.concat %a, %b axis 1 {layer = "cat"} : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  func.return %t, %r, %s, %p, %z, %c : tensor<3x2xf32>, tensor<6xf32>, tensor<1x2xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<2x4xf32>
}
// The layout ops only change type; the pad value 0.3 is rounded to the grid of its element type:
// round(0.3 * 32) = 10, 0.3125. The concat joins <8,3> (5 fraction bits) and <8,1,unsigned> (7):
// 7 fraction bits, signed, integer bits max(3, 1 + 1) = 3: <10,3>.
// CHECK-LABEL: func.func @layout(%a: tensor<2x3xf32>, %b: tensor<2x1xf32>) -> (tensor<3x2xf64>, tensor<6xf64>, tensor<1x2xf64>, tensor<4x3xf64>, tensor<4x3xf64>, tensor<2x4xf64>) {
// CHECK-NEXT:   %0 = fixed.quantize %a TRN WRAP {layer = "a"} : tensor<2x3xf32> -> tensor<2x3x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %1 = fixed.quantize %b TRN WRAP {layer = "b"} : tensor<2x1xf32> -> tensor<2x1x!fixed.fixed<8, 1, unsigned>>
// CHECK-NEXT:   %t = layout.transpose %0 {perm = array<i64: 1, 0>, layer = "t"} : tensor<2x3x!fixed.fixed<8, 3, signed>> -> tensor<3x2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %r = layout.reshape %0 {layer = "r"} : tensor<2x3x!fixed.fixed<8, 3, signed>> -> tensor<6x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %s = layout.slice %0 {offsets = array<i64: 1, 1>, sizes = array<i64: 1, 2>, layer = "s"} : tensor<2x3x!fixed.fixed<8, 3, signed>> -> tensor<1x2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %p = layout.pad %0 {pads = array<i64: 1, 0, 1, 0>, value = 3.125000e-01 : f64, layer = "p"} : tensor<2x3x!fixed.fixed<8, 3, signed>> -> tensor<4x3x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %z = layout.resize %0 {scales = array<i64: 2, 1>, layer = "z"} : tensor<2x3x!fixed.fixed<8, 3, signed>> -> tensor<4x3x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %c = layout.concat %0, %1 axis 1 {layer = "cat"} : (tensor<2x3x!fixed.fixed<8, 3, signed>>, tensor<2x1x!fixed.fixed<8, 1, unsigned>>) -> tensor<2x4x!fixed.fixed<10, 3, signed>>
// CHECK-NEXT:   %2 = fixed.dequantize %t : tensor<3x2x!fixed.fixed<8, 3, signed>> -> tensor<3x2xf64>
// CHECK-NEXT:   %3 = fixed.dequantize %r : tensor<6x!fixed.fixed<8, 3, signed>> -> tensor<6xf64>
// CHECK-NEXT:   %4 = fixed.dequantize %s : tensor<1x2x!fixed.fixed<8, 3, signed>> -> tensor<1x2xf64>
// CHECK-NEXT:   %5 = fixed.dequantize %p : tensor<4x3x!fixed.fixed<8, 3, signed>> -> tensor<4x3xf64>
// CHECK-NEXT:   %6 = fixed.dequantize %z : tensor<4x3x!fixed.fixed<8, 3, signed>> -> tensor<4x3xf64>
// CHECK-NEXT:   %7 = fixed.dequantize %c : tensor<2x4x!fixed.fixed<10, 3, signed>> -> tensor<2x4xf64>
// CHECK-NEXT:   func.return %2, %3, %4, %5, %6, %7 : tensor<3x2xf64>, tensor<6xf64>, tensor<1x2xf64>, tensor<4x3xf64>, tensor<4x3xf64>, tensor<2x4xf64>
// CHECK-NEXT:  }

func.func @extrema(%x: tensor<2xf32>, %y: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) {
  %m = nn.max %x, %y {layer = "max"} : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %k = nn.constant dense<[0.5, -1.0]> : tensor<2xf32> {layer = "min"}
  %n = nn.min %x, %k {layer = "min"} : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %t = nn.thresholded_relu %x {layer = "thresh", alpha = 1.0 : f64, value = -2.0 : f64} : tensor<2xf32>
  func.return %m, %n, %t : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
}
// max(x, y) = x - y > 0 ? x : y and min(x, k) = x - k > 0 ? k : x: an exact difference (<9,4>)
// and a select of the operands' join (<8,3>, no cast); where x - y decides the two differ by
// exactly that, so the gap is (0, 1). min's constant takes the bias precision ([0.5, -1] -> [16,
// -32]). torch's Threshold(1, -2) (x > 1 ? x : -2): the condition as for thresholded relu, the
// value -2 a constant in the bias precision (-64), and the gap |1 - (-2)| + |x - 1| = (3, 1).
// CHECK-LABEL: func.func @extrema(%x: tensor<2xf32>, %y: tensor<2xf32>) -> (tensor<2xf64>, tensor<2xf64>, tensor<2xf64>) {
// CHECK-NEXT:    %0 = fixed.quantize %x TRN WRAP {layer = "x"} : tensor<2xf32> -> tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:    %1 = fixed.quantize %y TRN WRAP {layer = "y"} : tensor<2xf32> -> tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:    %m = fixed.sub %0, %1 {layer = "max", layer_type = "Maximum"} : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<9, 4, signed>>
// CHECK-NEXT:    %m_1 = fixed.select %m, %0, %1 {gap = array<f64: 0.000000e+00, 1.000000e+00>, layer = "max", layer_type = "Maximum"} : (tensor<2x!fixed.fixed<9, 4, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:    %n = fixed.constant dense<[16, -32]> : tensor<2xi8> as tensor<2x!fixed.fixed<8, 3, signed>> {layer = "min", layer_type = "Minimum", error = 0.000000e+00 : f64}
// CHECK-NEXT:    %n_1 = fixed.sub %0, %n {layer = "min", layer_type = "Minimum"} : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<9, 4, signed>>
// CHECK-NEXT:    %n_2 = fixed.select %n_1, %n, %0 {gap = array<f64: 0.000000e+00, 1.000000e+00>, layer = "min", layer_type = "Minimum"} : (tensor<2x!fixed.fixed<9, 4, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:    %t = fixed.constant dense<32> : tensor<i8> as tensor<!fixed.fixed<6, 1, unsigned>> {layer = "thresh", layer_type = "ThresholdedReLU", error = 0.000000e+00 : f64}
// CHECK-NEXT:    %t_1 = fixed.sub %0, %t {layer = "thresh", layer_type = "ThresholdedReLU"} : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<!fixed.fixed<6, 1, unsigned>>) -> tensor<2x!fixed.fixed<9, 4, signed>>
// CHECK-NEXT:    %t_2 = fixed.constant dense<-64> : tensor<i8> as tensor<!fixed.fixed<8, 3, signed>> {layer = "thresh", layer_type = "ThresholdedReLU", error = 0.000000e+00 : f64}
// CHECK-NEXT:    %t_3 = fixed.select %t_1, %0, %t_2 {gap = array<f64: 3.000000e+00, 1.000000e+00>, layer = "thresh", layer_type = "ThresholdedReLU"} : (tensor<2x!fixed.fixed<9, 4, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>, tensor<!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:    %2 = fixed.dequantize %m_1 : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2xf64>
// CHECK-NEXT:    %3 = fixed.dequantize %n_2 : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2xf64>
// CHECK-NEXT:    %4 = fixed.dequantize %t_3 : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2xf64>
// CHECK-NEXT:    func.return %2, %3, %4 : tensor<2xf64>, tensor<2xf64>, tensor<2xf64>
// CHECK-NEXT:  }
