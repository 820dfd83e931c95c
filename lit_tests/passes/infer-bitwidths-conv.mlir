// infer-bitwidths on convolutions and pools: the exact accumulator type from the real weights.
// A conv's bound is taken per output channel o, over its taps t and the channels c of its group,
// with the input bounded per channel [lo_c, hi_c] over all positions (and by 0 where padding
// enters): hi_o = bias_o + sum of w * hi_c (w > 0) or w * lo_c (w < 0), lo_o likewise; the result
// type holds [min_o lo_o, max_o hi_o] at the exact step. Values are codes; a signed type for codes
// [lo, hi] has the smallest W with -2^(W-1) <= lo and hi <= 2^(W-1) - 1, an unsigned one (lo >= 0)
// the smallest W with hi <= 2^W - 1; then I = W - F.
// RUN: xdsl-opt %s -p infer-bitwidths | filecheck %s

func.func @conv2d(%arg: tensor<3x3x1xf32>) -> (tensor<2x2x2xf64>, tensor<2x2x2xf64>, tensor<1x1x2xf64>, tensor<2x2x2xf64>) {
  %x = fixed.quantize %arg TRN WRAP : tensor<3x3x1xf32> -> tensor<3x3x1x!fixed.fixed<8, 3, signed>>
  %w = fixed.constant dense<[[[[16, -32]], [[8, 64]]], [[[-24, 4]], [[32, -16]]]]> : tensor<2x2x1x2xi8> as tensor<2x2x1x2x!fixed.fixed<8, 3, signed>>
  %b = fixed.constant dense<[8, -32]> : tensor<2xi8> as tensor<2x!fixed.fixed<8, 3, signed>>
  %c = fixed.conv %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1 : i64} : (tensor<3x3x1x!fixed.fixed<8, 3, signed>>, tensor<2x2x1x2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x2x2x!fixed.fixed<19, 9, signed>>
  %r = fixed.relu %c : tensor<2x2x2x!fixed.fixed<19, 9, signed>>
  %u = fixed.cast %r RND WRAP infer : tensor<2x2x2x!fixed.fixed<19, 9, signed>> -> tensor<2x2x2x!fixed.fixed<19, 9, signed>>
  %s = fixed.sum_pool %r {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>} : tensor<2x2x2x!fixed.fixed<19, 9, signed>> -> tensor<1x1x2x!fixed.fixed<21, 11, signed>>
  %m = fixed.max_pool %c {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 1, 1>} : tensor<2x2x2x!fixed.fixed<19, 9, signed>> -> tensor<2x2x2x!fixed.fixed<19, 9, signed>>
  %o1 = fixed.dequantize %c : tensor<2x2x2x!fixed.fixed<19, 9, signed>> -> tensor<2x2x2xf64>
  %o2 = fixed.dequantize %u : tensor<2x2x2x!fixed.fixed<19, 9, signed>> -> tensor<2x2x2xf64>
  %o3 = fixed.dequantize %s : tensor<1x1x2x!fixed.fixed<21, 11, signed>> -> tensor<1x1x2xf64>
  %o4 = fixed.dequantize %m : tensor<2x2x2x!fixed.fixed<19, 9, signed>> -> tensor<2x2x2xf64>
  func.return %o1, %o2, %o3, %o4 : tensor<2x2x2xf64>, tensor<2x2x2xf64>, tensor<1x1x2xf64>, tensor<2x2x2xf64>
}
// %x: ap_fixed<8,3>, codes [-128, 127] (F = 5). %c: F = 5 + 5 = 10; the bias codes [8, -32] are
// [256, -1024] at F = 10. Weights per output channel (taps in [kh, kw] order):
//   o = 0: [16, 8, -24, 32]: hi = 127 * (16 + 8 + 32) + (-128) * (-24) + 256 = 7112 + 3072 + 256 = 10440
//                            lo = -128 * 56 + 127 * (-24) + 256 = -7168 - 3048 + 256 = -9960
//   o = 1: [-32, 64, 4, -16]: hi = 127 * (64 + 4) + (-128) * (-32 - 16) - 1024 = 8636 + 6144 - 1024 = 13756
//                             lo = -128 * 68 + 127 * (-48) - 1024 = -8704 - 6096 - 1024 = -15824
//   codes [-15824, 13756]: 2^14 = 16384 > 15824, so W = 15, I = 5: <15, 5, signed> (the bit-growth
//   bound in the input is <19, 9>).
// %r = relu(%c) follows %c's type; its range is [0, 10440] and [0, 13756] per channel.
// %u, an infer cast of %r: [0, 13756] is non-negative, 2^14 - 1 >= 13756 > 2^13 - 1: <14, 4, unsigned>,
//   WRAP (it cannot overflow) and the input's 10 fraction bits (nothing to round).
// %s = sum_pool(%r), 2x2 windows without padding: 4 terms each, [0, 4 * 13756 = 55024]:
//   2^16 - 1 >= 55024 > 2^15 - 1: <16, 6, unsigned>.
// %m = max_pool(%c) follows %c's type (padding never wins).
// CHECK-LABEL: func.func @conv2d(%arg: tensor<3x3x1xf32>) -> (tensor<2x2x2xf64>, tensor<2x2x2xf64>, tensor<1x1x2xf64>, tensor<2x2x2xf64>) {
// CHECK-NEXT:   %x = fixed.quantize %arg TRN WRAP : tensor<3x3x1xf32> -> tensor<3x3x1x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT{LITERAL}:   %w = fixed.constant dense<[[[[16, -32]], [[8, 64]]], [[[-24, 4]], [[32, -16]]]]> : tensor<2x2x1x2xi8> as tensor<2x2x1x2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %b = fixed.constant dense<[8, -32]> : tensor<2xi8> as tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %c = fixed.conv %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1 : i64} : (tensor<3x3x1x!fixed.fixed<8, 3, signed>>, tensor<2x2x1x2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x2x2x!fixed.fixed<15, 5, signed>>
// CHECK-NEXT:   %r = fixed.relu %c : tensor<2x2x2x!fixed.fixed<15, 5, signed>>
// CHECK-NEXT:   %u = fixed.cast %r RND WRAP in_range : tensor<2x2x2x!fixed.fixed<15, 5, signed>> -> tensor<2x2x2x!fixed.fixed<14, 4, unsigned>>
// CHECK-NEXT:   %s = fixed.sum_pool %r {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>} : tensor<2x2x2x!fixed.fixed<15, 5, signed>> -> tensor<1x1x2x!fixed.fixed<16, 6, unsigned>>
// CHECK-NEXT:   %m = fixed.max_pool %c {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 1, 1>} : tensor<2x2x2x!fixed.fixed<15, 5, signed>> -> tensor<2x2x2x!fixed.fixed<15, 5, signed>>
// CHECK-NEXT:   %o1 = fixed.dequantize %c : tensor<2x2x2x!fixed.fixed<15, 5, signed>> -> tensor<2x2x2xf64>
// CHECK-NEXT:   %o2 = fixed.dequantize %u : tensor<2x2x2x!fixed.fixed<14, 4, unsigned>> -> tensor<2x2x2xf64>
// CHECK-NEXT:   %o3 = fixed.dequantize %s : tensor<1x1x2x!fixed.fixed<16, 6, unsigned>> -> tensor<1x1x2xf64>
// CHECK-NEXT:   %o4 = fixed.dequantize %m : tensor<2x2x2x!fixed.fixed<15, 5, signed>> -> tensor<2x2x2xf64>
// CHECK-NEXT:   func.return %o1, %o2, %o3, %o4 : tensor<2x2x2xf64>, tensor<2x2x2xf64>, tensor<1x1x2xf64>, tensor<2x2x2xf64>
// CHECK-NEXT:  }

func.func @grouped(%arg: tensor<3x2xf32>) -> (tensor<3x2xf64>, tensor<1x2xf64>) {
  %q = fixed.quantize %arg TRN SAT : tensor<3x2xf32> -> tensor<3x2x!fixed.fixed<4, 0, unsigned>>
  %k = fixed.constant dense<[16, 64]> : tensor<2xi8> as tensor<2x!fixed.fixed<8, 4, unsigned>>
  %x = fixed.add %q, %k : (tensor<3x2x!fixed.fixed<4, 0, unsigned>>, tensor<2x!fixed.fixed<8, 4, unsigned>>) -> tensor<3x2x!fixed.fixed<9, 5, unsigned>>
  %w = fixed.constant dense<[[[1, -2]], [[2, 3]], [[-1, 1]]]> : tensor<3x1x2xi8> as tensor<3x1x2x!fixed.fixed<6, 3, signed>>
  %padded = fixed.conv %x, %w {strides = array<i64: 1>, dilations = array<i64: 1>, pads = array<i64: 1, 1>, groups = 2 : i64} : (tensor<3x2x!fixed.fixed<9, 5, unsigned>>, tensor<3x1x2x!fixed.fixed<6, 3, signed>>) -> tensor<3x2x!fixed.fixed<16, 9, signed>>
  %valid = fixed.conv %x, %w {strides = array<i64: 1>, dilations = array<i64: 1>, pads = array<i64: 0, 0>, groups = 2 : i64} : (tensor<3x2x!fixed.fixed<9, 5, unsigned>>, tensor<3x1x2x!fixed.fixed<6, 3, signed>>) -> tensor<1x2x!fixed.fixed<16, 9, signed>>
  %o1 = fixed.dequantize %padded : tensor<3x2x!fixed.fixed<16, 9, signed>> -> tensor<3x2xf64>
  %o2 = fixed.dequantize %valid : tensor<1x2x!fixed.fixed<16, 9, signed>> -> tensor<1x2xf64>
  func.return %o1, %o2 : tensor<3x2xf64>, tensor<1x2xf64>
}
// %q: ap_ufixed<4,0>, codes [0, 15] (F = 4); %k = [16, 64] (1.0, 4.0) at F = 4, so %x = %q + %k is
// [16, 31] on channel 0 and [64, 79] on channel 1: unsigned, 79 <= 127: <7, 3, unsigned>.
// The convs have 2 groups of one channel: output o reads channel o only. Weights (F = 3) per output
// over the 3 taps: o = 0: [1, 2, -1], o = 1: [-2, 3, 1]; F = 4 + 3 = 7.
// %padded (pads 1, 1): padding enters every channel's bounds, [0, 31] and [0, 79]:
//   o = 0: hi = 31 * (1 + 2) + 0 * (-1) = 93,   lo = 0 * 3 + 31 * (-1) = -31
//   o = 1: hi = 79 * (3 + 1) + 0 * (-2) = 316,  lo = 0 * 4 + 79 * (-2) = -158
//   codes [-158, 316]: 2^9 = 512 > 316, W = 10, I = 10 - 7 = 3: <10, 3, signed>.
// %valid (no padding): channel bounds [16, 31] and [64, 79]:
//   o = 0: hi = 31 * 3 + 16 * (-1) = 77,   lo = 16 * 3 + 31 * (-1) = 17
//   o = 1: hi = 79 * 4 + 64 * (-2) = 188,  lo = 64 * 4 + 79 * (-2) = 98
//   codes [17, 188], non-negative: 2^8 - 1 >= 188 > 2^7 - 1, W = 8, I = 1: <8, 1, unsigned>.
// CHECK-LABEL: func.func @grouped(%arg: tensor<3x2xf32>) -> (tensor<3x2xf64>, tensor<1x2xf64>) {
// CHECK-NEXT:   %q = fixed.quantize %arg TRN SAT : tensor<3x2xf32> -> tensor<3x2x!fixed.fixed<4, 0, unsigned>>
// CHECK-NEXT:   %k = fixed.constant dense<[16, 64]> : tensor<2xi8> as tensor<2x!fixed.fixed<8, 4, unsigned>>
// CHECK-NEXT:   %x = fixed.add %q, %k : (tensor<3x2x!fixed.fixed<4, 0, unsigned>>, tensor<2x!fixed.fixed<8, 4, unsigned>>) -> tensor<3x2x!fixed.fixed<7, 3, unsigned>>
// CHECK-NEXT{LITERAL}:   %w = fixed.constant dense<[[[1, -2]], [[2, 3]], [[-1, 1]]]> : tensor<3x1x2xi8> as tensor<3x1x2x!fixed.fixed<6, 3, signed>>
// CHECK-NEXT:   %padded = fixed.conv %x, %w {strides = array<i64: 1>, dilations = array<i64: 1>, pads = array<i64: 1, 1>, groups = 2 : i64} : (tensor<3x2x!fixed.fixed<7, 3, unsigned>>, tensor<3x1x2x!fixed.fixed<6, 3, signed>>) -> tensor<3x2x!fixed.fixed<10, 3, signed>>
// CHECK-NEXT:   %valid = fixed.conv %x, %w {strides = array<i64: 1>, dilations = array<i64: 1>, pads = array<i64: 0, 0>, groups = 2 : i64} : (tensor<3x2x!fixed.fixed<7, 3, unsigned>>, tensor<3x1x2x!fixed.fixed<6, 3, signed>>) -> tensor<1x2x!fixed.fixed<8, 1, unsigned>>
// CHECK-NEXT:   %o1 = fixed.dequantize %padded : tensor<3x2x!fixed.fixed<10, 3, signed>> -> tensor<3x2xf64>
// CHECK-NEXT:   %o2 = fixed.dequantize %valid : tensor<1x2x!fixed.fixed<8, 1, unsigned>> -> tensor<1x2xf64>
// CHECK-NEXT:   func.return %o1, %o2 : tensor<3x2xf64>, tensor<1x2xf64>
// CHECK-NEXT:  }
