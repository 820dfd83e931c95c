// nn-to-fixed on quantizers (nn.quant, lowering/nn_to_fixed_quant.py), precision ap_fixed<8,3> for
// everything else. A quantizer of one power-of-two scale 2^-F, no pre-step and a rounding ap_fixed
// has (ROUND/HALF_EVEN: RND_CONV, FLOOR: TRN, HALF_UP: RND_INF, ...) is a fixed-point type: a
// saturating cast into the narrowest type of step 2^-F holding its codes [lo - z, hi - z], then a
// clamp when they are not the whole type. Any other is a fixed.threshold over the input's codes.
// RUN: xdsl-opt %s -p 'nn-to-fixed{precision="ap_fixed<8,3>"}' | filecheck %s

func.func @casts(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %r = nn.relu %x {layer = "relu"} : tensor<4xf32>
  %a = nn.quant %r scale [0.25] zero_point [0.0] bits 4 signed round "ROUND" {layer = "q4"} : tensor<4xf32>
  %b = nn.quant %r scale [0.25] zero_point [0.0] bits 4 signed narrow round "ROUND" {layer = "narrow"} : tensor<4xf32>
  %c = nn.quant %r scale [0.5] zero_point [2.0] bits 3 round "FLOOR" {layer = "zero_point"} : tensor<4xf32>
  %d = nn.quant %r scale [0.125] zero_point [0.0] round "HALF_UP" {layer = "trunc"} : tensor<4xf32>
  func.return %a, %b, %c, %d : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}
// q4: scale 2^-2, 4 signed bits: codes [-8, 7], the whole <4, 2>: a cast, RND_CONV (ROUND is half to
//   even), SAT.
// narrow: codes [-7, 7]: the same cast, then a clamp to [-7, 7].
// zero_point: scale 2^-1, 3 unsigned bits [0, 7] minus the zero point 2: [-2, 5], the narrowest type
//   of step 2^-1 holding them is <4, 3> (codes [-8, 7]); FLOOR is TRN; then a clamp to [-2, 5].
// trunc (no bits, nothing clamped): step 2^-3, a type holding every <8,3> value rounded to it (one
//   carry bit): <7, 4>, WRAP (it cannot overflow); HALF_UP is RND_INF.
// CHECK-LABEL: func.func @casts(%x: tensor<4xf32>) -> (tensor<4xf64>, tensor<4xf64>, tensor<4xf64>, tensor<4xf64>) {
// CHECK-NEXT:   %0 = fixed.quantize %x TRN WRAP {layer = "x"} : tensor<4xf32> -> tensor<4x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %r = fixed.relu %0 {layer = "relu", layer_type = "ReLU"} : tensor<4x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %a = fixed.cast %r RND_CONV SAT quantizer {layer = "q4", layer_type = "Quant"} : tensor<4x!fixed.fixed<8, 3, signed>> -> tensor<4x!fixed.fixed<4, 2, signed>>
// CHECK-NEXT:   %b = fixed.cast %r RND_CONV SAT quantizer {layer = "narrow", layer_type = "Quant"} : tensor<4x!fixed.fixed<8, 3, signed>> -> tensor<4x!fixed.fixed<4, 2, signed>>
// CHECK-NEXT:   %b_1 = fixed.clamp %b low -7 : i64 high 7 : i64 quantizer {layer = "narrow", layer_type = "Quant"} : tensor<4x!fixed.fixed<4, 2, signed>> -> tensor<4x!fixed.fixed<4, 2, signed>>
// CHECK-NEXT:   %c = fixed.cast %r TRN SAT quantizer {layer = "zero_point", layer_type = "Quant"} : tensor<4x!fixed.fixed<8, 3, signed>> -> tensor<4x!fixed.fixed<4, 3, signed>>
// CHECK-NEXT:   %c_1 = fixed.clamp %c low -2 : i64 high 5 : i64 quantizer {layer = "zero_point", layer_type = "Quant"} : tensor<4x!fixed.fixed<4, 3, signed>> -> tensor<4x!fixed.fixed<4, 3, signed>>
// CHECK-NEXT:   %d = fixed.cast %r RND_INF WRAP quantizer {layer = "trunc", layer_type = "Quant"} : tensor<4x!fixed.fixed<8, 3, signed>> -> tensor<4x!fixed.fixed<7, 4, signed>>
// CHECK-NEXT:   %1 = fixed.dequantize %a : tensor<4x!fixed.fixed<4, 2, signed>> -> tensor<4xf64>
// CHECK-NEXT:   %2 = fixed.dequantize %b_1 : tensor<4x!fixed.fixed<4, 2, signed>> -> tensor<4xf64>
// CHECK-NEXT:   %3 = fixed.dequantize %c_1 : tensor<4x!fixed.fixed<4, 3, signed>> -> tensor<4xf64>
// CHECK-NEXT:   %4 = fixed.dequantize %d : tensor<4x!fixed.fixed<7, 4, signed>> -> tensor<4xf64>
// CHECK-NEXT:   func.return %1, %2, %3, %4 : tensor<4xf64>, tensor<4xf64>, tensor<4xf64>, tensor<4xf64>
// CHECK-NEXT:  }

func.func @thresholds(%x: tensor<4xf32>, %z: tensor<3x2xf32>) -> (tensor<4xf32>, tensor<3x2xf32>) {
  %r = nn.relu %x {layer = "relu"} : tensor<4xf32>
  %t = nn.quant %r scale [0.375] zero_point [0.0] bits 2 round "ROUND" {layer = "odd_scale"} : tensor<4xf32>
  %u = nn.quant %z scale [0.5, 0.25] zero_point [0.0, 0.0] bits 2 signed round "FLOOR" {layer = "affine", pre_scale = array<f64: 2.0, -1.0>, pre_bias = array<f64: 0.5, 0.0>} : tensor<3x2xf32>
  func.return %t, %u : tensor<4xf32>, tensor<3x2xf32>
}
// odd_scale: scale 0.375 is not a power of two: levels 0..3 = round(clip(v / 0.375, 0, 3)), half to
//   even, for v = code / 32. Level >= 1 <=> v / 0.375 > 0.5 <=> code > 6; >= 2 <=> v / 0.375 >= 1.5
//   <=> code >= 18; >= 3 <=> v / 0.375 > 2.5 <=> code > 30: thresholds [7, 18, 31] (each the first
//   code reaching the level). Values 0.375 * [0, 1, 2, 3] in the narrowest `auto` type of 8 bits:
//   <4, 1, unsigned> (3 fraction bits), codes [0, 3, 6, 9], exact (error 0).
// affine (folded pre-step, per channel): channel 0: floor(clip((2 v + 0.5) / 0.5, -2, 1)) = floor(4 v + 1):
//   >= -1 <=> v >= -0.5 (code -16), >= 0 <=> v >= -0.25 (-8), >= 1 <=> v >= 0 (0); channel 1:
//   floor(clip(-v / 0.25, -2, 1)) falls as v rises, from level 1: <= 0 <=> -4 v < 1 <=> code > -8 (-7),
//   <= -1 <=> v > 0 (1), <= -2 <=> v > 0.25 (9). Values: levels times the scales, [-1, -0.5, 0, 0.5]
//   and [0.25, 0, -0.25, -0.5], all at step 2^-2: codes [-4, -2, 0, 2] and [1, 0, -1, -2], <3, 1>.
// CHECK-LABEL: func.func @thresholds(%x: tensor<4xf32>, %z: tensor<3x2xf32>) -> (tensor<4xf64>, tensor<3x2xf64>) {
// CHECK-NEXT:   %0 = fixed.quantize %x TRN WRAP {layer = "x"} : tensor<4xf32> -> tensor<4x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %1 = fixed.quantize %z TRN WRAP {layer = "z"} : tensor<3x2xf32> -> tensor<3x2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %r = fixed.relu %0 {layer = "relu", layer_type = "ReLU"} : tensor<4x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT{LITERAL}:   %t = fixed.threshold %r thresholds dense<[[7, 18, 31]]> : tensor<1x3xi16> values dense<[[0, 3, 6, 9]]> : tensor<1x4xi8> {layer = "odd_scale", layer_type = "Quant", error = 0.000000e+00 : f64} : tensor<4x!fixed.fixed<8, 3, signed>> -> tensor<4x!fixed.fixed<4, 1, unsigned>>
// CHECK-NEXT{LITERAL}:   %u = fixed.threshold %1 thresholds dense<[[-16, -8, 0], [-7, 1, 9]]> : tensor<2x3xi16> values dense<[[-4, -2, 0, 2], [1, 0, -1, -2]]> : tensor<2x4xi8> {layer = "affine", layer_type = "Quant"} : tensor<3x2x!fixed.fixed<8, 3, signed>> -> tensor<3x2x!fixed.fixed<3, 1, signed>>
// CHECK-NEXT:   %2 = fixed.dequantize %t : tensor<4x!fixed.fixed<4, 1, unsigned>> -> tensor<4xf64>
// CHECK-NEXT:   %3 = fixed.dequantize %u : tensor<3x2x!fixed.fixed<3, 1, signed>> -> tensor<3x2xf64>
// CHECK-NEXT:   func.return %2, %3 : tensor<4xf64>, tensor<3x2xf64>
// CHECK-NEXT:  }

func.func @direct(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = nn.quant %x scale [0.25] zero_point [0.0] bits 4 signed round "ROUND" {layer = "q"} : tensor<4xf32>
  %r = nn.relu %q {layer = "relu"} : tensor<4xf32>
  func.return %r : tensor<4xf32>
}
// A float argument read only by one exact quantizer is quantized straight into its type, with its
// rounding and SAT: the quantizer itself disappears.
// CHECK-LABEL: func.func @direct(%x: tensor<4xf32>) -> tensor<4xf64> {
// CHECK-NEXT:   %0 = fixed.quantize %x RND_CONV SAT quantizer {layer = "x"} : tensor<4xf32> -> tensor<4x!fixed.fixed<4, 2, signed>>
// CHECK-NEXT:   %r = fixed.relu %0 {layer = "relu", layer_type = "ReLU"} : tensor<4x!fixed.fixed<4, 2, signed>>
// CHECK-NEXT:   %r_1 = fixed.cast %r TRN WRAP {layer = "relu", layer_type = "ReLU"} : tensor<4x!fixed.fixed<4, 2, signed>> -> tensor<4x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %1 = fixed.dequantize %r_1 : tensor<4x!fixed.fixed<8, 3, signed>> -> tensor<4xf64>
// CHECK-NEXT:   func.return %1 : tensor<4xf64>
// CHECK-NEXT:  }

func.func @wraps(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = nn.relu %x {layer = "relu"} : tensor<4xf32>
  %w = nn.quant %r scale [0.25] zero_point [0.0] bits 4 signed wrap round "FLOOR" {layer = "wrap"} : tensor<4xf32>
  func.return %w : tensor<4xf32>
}
// A wrapping quantizer (HGQ's WRAP) is the same cast into <4,2> (codes [-8, 7] of step 2^-2), with
// WRAP instead of SAT.
// CHECK-LABEL: func.func @wraps(
// CHECK:         %w = fixed.cast %r TRN WRAP quantizer {layer = "wrap", layer_type = "Quant"} : tensor<4x!fixed.fixed<8, 3, signed>> -> tensor<4x!fixed.fixed<4, 2, signed>>
