// nn-to-fixed on layer normalisation (lowering/nn_to_fixed_norm.py). Precision ap_fixed<8,3> (F = 5
// fraction bits, codes in [-128, 127]), tables of at most 8 entries with `auto` entries (18 bits).
// N = 4 normalised elements, epsilon = 0.25. Everything is exact but t = 1 / sqrt(u / N + N^2 eps),
// tabulated in segments of u.
// RUN: xdsl-opt %s -p 'nn-to-fixed{precision="ap_fixed<8,3>" table-size=8}' | filecheck %s

func.func @layer_norm(%x: tensor<4xf32>) -> tensor<4xf32> {
  %s = nn.constant dense<[1.0, 0.5, -2.0, 0.25]> : tensor<4xf32> {layer = "ln"}
  %b = nn.constant dense<[0.0, 0.125, 1.0, -0.5]> : tensor<4xf32> {layer = "ln"}
  %y = nn.layer_norm %x, %s, %b axes 1 epsilon 0.25 {layer = "ln"} : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  func.return %y : tensor<4xf32>
}
// S = sum(x): 4 terms grow <8,3> by 2 bits, <10,5>. N x: times the integer constant 4 (<3,3,unsigned>,
// no rounding, so no `error`): <11,6>. d = N x - S, broadcasting S's size-1 axis: <12,7>, still at
// step 2^-5. d * d: <24,14> (step 2^-10); u = sum(d * d): <26,16>. All exact.
// u <= N^3 (max - min)^2 / 4 = 64 * 255^2 / 4 = 1040400 codes (1016.02). T = N^3 eps = 16 = 2^14
// codes, so the segments are [0, 16), [16, 64), [64, 256), [256, 1016.02]: four lookups of `rsqrt`
// with params (a, b, lo, hi) = (1/N, N^2 eps, segment): 1 / sqrt(a clip(u, lo, hi) + b). Entry 0
// of the first: the midrange of t(0) = 0.5 and t(2) = 1/sqrt(4.5), 0.4857 = 254651 * 2^-19. The
// later segments are 3 times as wide as their start, so their 8 entries of a power-of-two span
// reach past the segment: the last two repeat t at the segment's end (the function is flat there).
// A select per boundary B (a power of two: the one-bit constants 16, 64, 256) keeps the lower
// segments while B - u > 0. Its gap: the two branches' table errors (jump) and t's slope at the
// lower segment's start (a / 2 b^-1.5 = 0.015625 at u = 0), per unit of u.
// y = d t (<12,7> x <20,-1>: <32,6>), times the scale (exact in <8,3>: 1 -> 32, ...), plus the bias
// (0.125 -> 4, ...), then the layer's cast.
// CHECK-LABEL: func.func @layer_norm(%x: tensor<4xf32>) -> tensor<4xf64> {
// CHECK-NEXT:   %0 = fixed.quantize %x TRN WRAP {layer = "x"} : tensor<4xf32> -> tensor<4x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %y = fixed.reduce_sum %0 axis 0 {layer = "ln", layer_type = "LayerNormalization"} : tensor<4x!fixed.fixed<8, 3, signed>> -> tensor<1x!fixed.fixed<10, 5, signed>>
// CHECK-NEXT:   %y_1 = fixed.constant dense<4> : tensor<i8> as tensor<!fixed.fixed<3, 3, unsigned>> {layer = "ln", layer_type = "LayerNormalization"}
// CHECK-NEXT:   %y_2 = fixed.mul %0, %y_1 {layer = "ln", layer_type = "LayerNormalization"} : (tensor<4x!fixed.fixed<8, 3, signed>>, tensor<!fixed.fixed<3, 3, unsigned>>) -> tensor<4x!fixed.fixed<11, 6, signed>>
// CHECK-NEXT:   %y_3 = fixed.sub %y_2, %y {layer = "ln", layer_type = "LayerNormalization"} : (tensor<4x!fixed.fixed<11, 6, signed>>, tensor<1x!fixed.fixed<10, 5, signed>>) -> tensor<4x!fixed.fixed<12, 7, signed>>
// CHECK-NEXT:   %y_4 = fixed.mul %y_3, %y_3 {layer = "ln", layer_type = "LayerNormalization"} : (tensor<4x!fixed.fixed<12, 7, signed>>, tensor<4x!fixed.fixed<12, 7, signed>>) -> tensor<4x!fixed.fixed<24, 14, signed>>
// CHECK-NEXT:   %y_5 = fixed.reduce_sum %y_4 axis 0 {layer = "ln", layer_type = "LayerNormalization"} : tensor<4x!fixed.fixed<24, 14, signed>> -> tensor<1x!fixed.fixed<26, 16, signed>>
// CHECK-NEXT:   %y_6 = fixed.lookup "rsqrt" %y_5 offset 0 : i64 index !fixed.fixed<3, 4, unsigned> table dense<[254651, 240813, 229015, 218801, 209843, 201904, 194804, 188403]> : tensor<8xi32> infer {layer = "ln", layer_type = "LayerNormalization", domain = array<f64: 0.000000e+00, 1.600000e+01>, params = array<f64: 2.500000e-01, 4.000000e+00, 0.000000e+00, 1.600000e+01>} : tensor<1x!fixed.fixed<26, 16, signed>> -> tensor<1x!fixed.fixed<18, -1, unsigned>>
// CHECK-NEXT:   %y_7 = fixed.lookup "rsqrt" %y_5 offset 16384 : i64 index !fixed.fixed<3, 6, unsigned> table dense<[175580, 158572, 145736, 135597, 127324, 120405, 117234, 117234]> : tensor<8xi32> infer {layer = "ln", layer_type = "LayerNormalization", domain = array<f64: 1.600000e+01, 6.400000e+01>, params = array<f64: 2.500000e-01, 4.000000e+00, 1.600000e+01, 6.400000e+01>} : tensor<1x!fixed.fixed<26, 16, signed>> -> tensor<1x!fixed.fixed<18, -1, unsigned>>
// CHECK-NEXT:   %y_8 = fixed.constant dense<1> : tensor<i8> as tensor<!fixed.fixed<1, 5, unsigned>> {layer = "ln", layer_type = "LayerNormalization"}
// CHECK-NEXT:   %y_9 = fixed.sub %y_8, %y_5 {layer = "ln", layer_type = "LayerNormalization"} : (tensor<!fixed.fixed<1, 5, unsigned>>, tensor<1x!fixed.fixed<26, 16, signed>>) -> tensor<1x!fixed.fixed<27, 17, signed>>
// CHECK-NEXT:   %y_10 = fixed.select %y_9, %y_6, %y_7 {gap = array<f64: 0.032952880949719043, 1.562500e-02>, layer = "ln", layer_type = "LayerNormalization"} : (tensor<1x!fixed.fixed<27, 17, signed>>, tensor<1x!fixed.fixed<18, -1, unsigned>>, tensor<1x!fixed.fixed<18, -1, unsigned>>) -> tensor<1x!fixed.fixed<18, -1, unsigned>>
// CHECK-NEXT:   %y_11 = fixed.lookup "rsqrt" %y_5 offset 65536 : i64 index !fixed.fixed<3, 8, unsigned> table dense<[216316, 186463, 166421, 151745, 140391, 131265, 127159, 127159]> : tensor<8xi32> infer {layer = "ln", layer_type = "LayerNormalization", domain = array<f64: 6.400000e+01, 2.560000e+02>, params = array<f64: 2.500000e-01, 4.000000e+00, 6.400000e+01, 2.560000e+02>} : tensor<1x!fixed.fixed<26, 16, signed>> -> tensor<1x!fixed.fixed<18, -2, unsigned>>
// CHECK-NEXT:   %y_12 = fixed.constant dense<1> : tensor<i8> as tensor<!fixed.fixed<1, 7, unsigned>> {layer = "ln", layer_type = "LayerNormalization"}
// CHECK-NEXT:   %y_13 = fixed.sub %y_12, %y_5 {layer = "ln", layer_type = "LayerNormalization"} : (tensor<!fixed.fixed<1, 7, unsigned>>, tensor<1x!fixed.fixed<26, 16, signed>>) -> tensor<1x!fixed.fixed<27, 17, signed>>
// CHECK-NEXT:   %y_14 = fixed.select %y_13, %y_10, %y_11 {gap = array<f64: 0.03597307066462116, 0.0055242717280199029>, layer = "ln", layer_type = "LayerNormalization"} : (tensor<1x!fixed.fixed<27, 17, signed>>, tensor<1x!fixed.fixed<18, -1, unsigned>>, tensor<1x!fixed.fixed<18, -2, unsigned>>) -> tensor<1x!fixed.fixed<19, -1, unsigned>>
// CHECK-NEXT:   %y_15 = fixed.lookup "rsqrt" %y_5 offset 262144 : i64 index !fixed.fixed<3, 10, unsigned> table dense<[232016, 196125, 173147, 156778, 144342, 134725, 130562, 130562]> : tensor<8xi32> infer {layer = "ln", layer_type = "LayerNormalization", domain = array<f64: 2.560000e+02, 1016.0166015625>, params = array<f64: 2.500000e-01, 4.000000e+00, 2.560000e+02, 1016.0166015625>} : tensor<1x!fixed.fixed<26, 16, signed>> -> tensor<1x!fixed.fixed<18, -3, unsigned>>
// CHECK-NEXT:   %y_16 = fixed.constant dense<1> : tensor<i8> as tensor<!fixed.fixed<1, 9, unsigned>> {layer = "ln", layer_type = "LayerNormalization"}
// CHECK-NEXT:   %y_17 = fixed.sub %y_16, %y_5 {layer = "ln", layer_type = "LayerNormalization"} : (tensor<!fixed.fixed<1, 9, unsigned>>, tensor<1x!fixed.fixed<26, 16, signed>>) -> tensor<1x!fixed.fixed<27, 17, signed>>
// CHECK-NEXT:   %y_18 = fixed.select %y_17, %y_14, %y_15 {gap = array<f64: 0.029295080064565215, 0.0013975424859373686>, layer = "ln", layer_type = "LayerNormalization"} : (tensor<1x!fixed.fixed<27, 17, signed>>, tensor<1x!fixed.fixed<19, -1, unsigned>>, tensor<1x!fixed.fixed<18, -3, unsigned>>) -> tensor<1x!fixed.fixed<20, -1, unsigned>>
// CHECK-NEXT:   %y_19 = fixed.mul %y_3, %y_18 {layer = "ln", layer_type = "LayerNormalization"} : (tensor<4x!fixed.fixed<12, 7, signed>>, tensor<1x!fixed.fixed<20, -1, unsigned>>) -> tensor<4x!fixed.fixed<32, 6, signed>>
// CHECK-NEXT:   %y_20 = fixed.constant dense<[32, 16, -64, 8]> : tensor<4xi8> as tensor<4x!fixed.fixed<8, 3, signed>> {layer = "ln", layer_type = "LayerNormalization", error = 0.000000e+00 : f64}
// CHECK-NEXT:   %y_21 = fixed.mul %y_19, %y_20 {layer = "ln", layer_type = "LayerNormalization"} : (tensor<4x!fixed.fixed<32, 6, signed>>, tensor<4x!fixed.fixed<8, 3, signed>>) -> tensor<4x!fixed.fixed<40, 9, signed>>
// CHECK-NEXT:   %y_22 = fixed.constant dense<[0, 4, 32, -16]> : tensor<4xi8> as tensor<4x!fixed.fixed<8, 3, signed>> {layer = "ln", layer_type = "LayerNormalization", error = 0.000000e+00 : f64}
// CHECK-NEXT:   %y_23 = fixed.add %y_21, %y_22 {layer = "ln", layer_type = "LayerNormalization"} : (tensor<4x!fixed.fixed<40, 9, signed>>, tensor<4x!fixed.fixed<8, 3, signed>>) -> tensor<4x!fixed.fixed<41, 10, signed>>
// CHECK-NEXT:   %y_24 = fixed.cast %y_23 TRN WRAP {layer = "ln", layer_type = "LayerNormalization"} : tensor<4x!fixed.fixed<41, 10, signed>> -> tensor<4x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %1 = fixed.dequantize %y_24 : tensor<4x!fixed.fixed<8, 3, signed>> -> tensor<4xf64>
// CHECK-NEXT:   func.return %1 : tensor<4xf64>
// CHECK-NEXT: }

func.func @two_axes(%x: tensor<3x2x2xf32>) -> tensor<3x2x2xf32> {
  %s = nn.constant dense<[[1.0, 0.5], [-2.0, 0.25]]> : tensor<2x2xf32> {layer = "ln2"}
  %y = nn.layer_norm %x, %s axes 2 epsilon 0.25 {layer = "ln2"} : (tensor<3x2x2xf32>, tensor<2x2xf32>) -> tensor<3x2x2xf32>
  func.return %y : tensor<3x2x2xf32>
}
// Two normalised axes: reshaped to [3, 4] (N = 4, the same segments as above), reduced along the
// last axis, the scale flattened to 4 codes; no bias; reshaped back before the layer's cast.
// CHECK-LABEL: func.func @two_axes(%x: tensor<3x2x2xf32>) -> tensor<3x2x2xf64> {
// CHECK-NEXT:    %0 = fixed.quantize %x TRN WRAP {layer = "x"} : tensor<3x2x2xf32> -> tensor<3x2x2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:    %y = layout.reshape %0 {layer = "ln2", layer_type = "LayerNormalization"} : tensor<3x2x2x!fixed.fixed<8, 3, signed>> -> tensor<3x4x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:    %y_1 = fixed.reduce_sum %y axis 1 {layer = "ln2", layer_type = "LayerNormalization"} : tensor<3x4x!fixed.fixed<8, 3, signed>> -> tensor<3x1x!fixed.fixed<10, 5, signed>>
// CHECK:         %y_20 = fixed.mul %y_4, %y_19 {layer = "ln2", layer_type = "LayerNormalization"} : (tensor<3x4x!fixed.fixed<12, 7, signed>>, tensor<3x1x!fixed.fixed<20, -1, unsigned>>) -> tensor<3x4x!fixed.fixed<32, 6, signed>>
// CHECK-NEXT:    %y_21 = fixed.constant dense<[32, 16, -64, 8]> : tensor<4xi8> as tensor<4x!fixed.fixed<8, 3, signed>> {layer = "ln2", layer_type = "LayerNormalization", error = 0.000000e+00 : f64}
// CHECK-NEXT:    %y_22 = fixed.mul %y_20, %y_21 {layer = "ln2", layer_type = "LayerNormalization"} : (tensor<3x4x!fixed.fixed<32, 6, signed>>, tensor<4x!fixed.fixed<8, 3, signed>>) -> tensor<3x4x!fixed.fixed<40, 9, signed>>
// CHECK-NEXT:    %y_23 = layout.reshape %y_22 {layer = "ln2", layer_type = "LayerNormalization"} : tensor<3x4x!fixed.fixed<40, 9, signed>> -> tensor<3x2x2x!fixed.fixed<40, 9, signed>>
// CHECK-NEXT:    %y_24 = fixed.cast %y_23 TRN WRAP {layer = "ln2", layer_type = "LayerNormalization"} : tensor<3x2x2x!fixed.fixed<40, 9, signed>> -> tensor<3x2x2x!fixed.fixed<8, 3, signed>>
