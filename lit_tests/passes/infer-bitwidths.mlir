// infer-bitwidths: the narrowest types that provably cannot overflow, from the real weights.
// (%inputs/xdsl_opt.py: xdsl-opt with the passes compiler/universe.py does not register yet.)
// RUN: xdsl-opt %s -p infer-bitwidths | filecheck %s
// max-width bounds every `auto` (infer) cast and table: casts then round (their RND mode).
// RUN: xdsl-opt %s -p 'infer-bitwidths{max-width=8}' | filecheck %s --check-prefix=MAXW
// Calibrated casts: the observed range plus `margin` integer bits (default 1), `width` bits (default 16).
// RUN: xdsl-opt %s -p 'infer-bitwidths{margin=0}' | filecheck %s --check-prefix=MARGIN0
// RUN: xdsl-opt %s -p 'infer-bitwidths{width=6}' | filecheck %s --check-prefix=WIDTH6
//
// Notation: a value of !fixed.fixed<W, I, s> has F = W - I fraction bits and means code * 2^-F. The
// narrowest signed type for codes [lo, hi] at F fraction bits has the smallest W with
// -2^(W-1) <= lo and hi <= 2^(W-1) - 1; unsigned (lo >= 0): hi <= 2^W - 1. Then I = W - F.

// ---------------------------------------------------------------------------------------------------
// Exact ops and `infer` casts.
//
// %x: ap_fixed<8,3>, codes [-128, 127] (F = 5), values [-4, 3.96875].
// %d = dense(%x, %w, %b): exact step F = 5 + 5 = 10. The input IR has the bit-growth bound <19, 9>
// (products <16,6>, +2 bits for 4 terms, +1 for the bias). From the weights, per output element
// (in codes: weight codes times input codes, at F = 10; the bias code 8 at F = 5 is 256 at F = 10):
//   column 0, w = [4, 2, -1, 1] (0.125, 0.0625, -0.03125, 0.03125), b = 8 (0.25):
//     hi = 127*4 + 127*2 + (-128)*(-1) + 127*1 + 256 = 1017 + 256 = 1273  (1.2431640625)
//     lo = -128*4 - 128*2 + 127*(-1) - 128*1 + 256 = -1023 + 256 = -767  (-0.7490234375)
//   column 1 (mixed signs too), w = [-2, 1, 4, -1], b = -8 (-0.25):
//     hi = (-128)*(-2) + 127*1 + 127*4 + (-128)*(-1) - 256 = 1019 - 256 = 763
//     lo = 127*(-2) - 128*1 - 128*4 + 127*(-1) - 256 = -1021 - 256 = -1277  (-1.2470703125)
//   codes [-1277, 1273]: 2^11 = 2048 > 1277, so W = 12, I = 12 - 10 = 2: <12, 2, signed>, 7 bits
//   narrower than the bit-growth bound.
// %same: an infer cast on %d: its proven type is %d's own, <12, 2, signed>: an identity, removed
//   (%o1 reads %d).
// %user: a cast without `infer` keeps its target and modes; only its operand type changes.
// %r: relu follows its operand's new type, <12, 2, signed>; its range is [0, 1273] for column 0 and
//   [0, 763] for column 1.
// %u: an infer cast after the relu: codes [0, 1273] are non-negative, so unsigned:
//   2^11 - 1 = 2047 >= 1273 > 2^10 - 1, so W = 11, I = 1: <11, 1, unsigned>. It cannot overflow: WRAP
//   (it was WRAP already), and it keeps the input's 10 fraction bits, so its RND never rounds.
// %d2 = dense(%r, [[32], [16]] (1.0, 0.5), bias 8 (0.25)): F = 10 + 5 = 15; every weight and the
//   bias are >= 0 and %r >= 0: lo = 0 + 8*2^10 = 8192 (0.25), hi = 1273*32 + 763*16 + 8192 = 61136
//   (1.8657...). Non-negative: 2^16 - 1 >= 61136 > 2^15 - 1, so W = 16, I = 1: <16, 1, unsigned>
//   (signed operands, unsigned result). The bit-growth bound in the input is <29, 14, signed>.
// %a = add(%d [2], %k [2x2]) broadcasts %d along the rows, exactly at F = max(10, 5) = 10. %k codes
//   [-8, 8] (-0.25, 0.25) are 256 at F = 10, so per element:
//     column 0: [-767 - 256, 1273 - 256] = [-1023, 1017]; column 1: [-1277 + 256, 763 + 256] = [-1021, 1019]
//   codes [-1023, 1019]: W = 11 (-1024 <= lo, hi <= 1023), I = 1: <11, 1, signed> (the bit-growth
//   type of the input is <20, 10>; bounds taken over the whole tensors instead of per element would
//   give [-1277 - 256, 1273 + 256] and <12, 2>).
// With max-width=8:
//   %same: <12, 2, signed> is 12 bits: W = 8 keeping I = 2, so F = 6 and RND drops 4 bits:
//     -1277 / 16 = -79.8125 -> -80, 1273 / 16 = 79.5625 -> 80, inside [-128, 127]: WRAP,
//     <8, 2, signed>, and the cast stays.
//   %u: <11, 1, unsigned> -> <8, 1, unsigned>: 1273 / 8 = 159.125 -> 159 <= 255: WRAP.

func.func @layers(%arg: tensor<4xf32>) -> (tensor<2xf64>, tensor<2xf64>, tensor<2xf64>, tensor<1xf64>, tensor<2x2xf64>) {
  %x = fixed.quantize %arg TRN WRAP : tensor<4xf32> -> tensor<4x!fixed.fixed<8, 3, signed>>
  %w = fixed.constant dense<[[4, -2], [2, 1], [-1, 4], [1, -1]]> : tensor<4x2xi8> as tensor<4x2x!fixed.fixed<8, 3, signed>>
  %b = fixed.constant dense<[8, -8]> : tensor<2xi8> as tensor<2x!fixed.fixed<8, 3, signed>>
  %d = fixed.dense %x, %w, %b : (tensor<4x!fixed.fixed<8, 3, signed>>, tensor<4x2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<19, 9, signed>>
  %same = fixed.cast %d RND WRAP infer : tensor<2x!fixed.fixed<19, 9, signed>> -> tensor<2x!fixed.fixed<19, 9, signed>>
  %user = fixed.cast %d TRN WRAP : tensor<2x!fixed.fixed<19, 9, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
  %r = fixed.relu %d : tensor<2x!fixed.fixed<19, 9, signed>>
  %u = fixed.cast %r RND WRAP infer : tensor<2x!fixed.fixed<19, 9, signed>> -> tensor<2x!fixed.fixed<19, 9, signed>>
  %w2 = fixed.constant dense<[[32], [16]]> : tensor<2x1xi8> as tensor<2x1x!fixed.fixed<8, 3, signed>>
  %b2 = fixed.constant dense<[8]> : tensor<1xi8> as tensor<1x!fixed.fixed<8, 3, signed>>
  %d2 = fixed.dense %r, %w2, %b2 : (tensor<2x!fixed.fixed<19, 9, signed>>, tensor<2x1x!fixed.fixed<8, 3, signed>>, tensor<1x!fixed.fixed<8, 3, signed>>) -> tensor<1x!fixed.fixed<29, 14, signed>>
  %k = fixed.constant dense<[[-8, 8], [-8, 8]]> : tensor<2x2xi8> as tensor<2x2x!fixed.fixed<8, 3, signed>>
  %a = fixed.add %d, %k : (tensor<2x!fixed.fixed<19, 9, signed>>, tensor<2x2x!fixed.fixed<8, 3, signed>>) -> tensor<2x2x!fixed.fixed<20, 10, signed>>
  %o1 = fixed.dequantize %same : tensor<2x!fixed.fixed<19, 9, signed>> -> tensor<2xf64>
  %o2 = fixed.dequantize %user : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2xf64>
  %o3 = fixed.dequantize %u : tensor<2x!fixed.fixed<19, 9, signed>> -> tensor<2xf64>
  %o4 = fixed.dequantize %d2 : tensor<1x!fixed.fixed<29, 14, signed>> -> tensor<1xf64>
  %o5 = fixed.dequantize %a : tensor<2x2x!fixed.fixed<20, 10, signed>> -> tensor<2x2xf64>
  func.return %o1, %o2, %o3, %o4, %o5 : tensor<2xf64>, tensor<2xf64>, tensor<2xf64>, tensor<1xf64>, tensor<2x2xf64>
}
// An `auto` cast whose target holds everything its input can reach gets WRAP (no overflow logic) and
// `in_range`: what this per-element analysis proved, for coarser ones (a stream's per-packet ranges)
// to keep; a calibrated or width-capped one that may overflow saturates instead.
// CHECK-LABEL:         func.func @layers(
// CHECK-NEXT:            %x = fixed.quantize %arg TRN WRAP : tensor<4xf32> -> tensor<4x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT{LITERAL}:   %w = fixed.constant dense<[[4, -2], [2, 1], [-1, 4], [1, -1]]> : tensor<4x2xi8> as tensor<4x2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:            %b = fixed.constant dense<[8, -8]> : tensor<2xi8> as tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:            %d = fixed.dense %x, %w, %b : (tensor<4x!fixed.fixed<8, 3, signed>>, tensor<4x2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<12, 2, signed>>
// CHECK-NEXT:            %user = fixed.cast %d TRN WRAP : tensor<2x!fixed.fixed<12, 2, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:            %r = fixed.relu %d : tensor<2x!fixed.fixed<12, 2, signed>>
// CHECK-NEXT:            %u = fixed.cast %r RND WRAP in_range : tensor<2x!fixed.fixed<12, 2, signed>> -> tensor<2x!fixed.fixed<11, 1, unsigned>>
// CHECK-NEXT{LITERAL}:   %w2 = fixed.constant dense<[[32], [16]]> : tensor<2x1xi8> as tensor<2x1x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:            %b2 = fixed.constant dense<8> : tensor<1xi8> as tensor<1x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:            %d2 = fixed.dense %r, %w2, %b2 : (tensor<2x!fixed.fixed<12, 2, signed>>, tensor<2x1x!fixed.fixed<8, 3, signed>>, tensor<1x!fixed.fixed<8, 3, signed>>) -> tensor<1x!fixed.fixed<16, 1, unsigned>>
// CHECK-NEXT{LITERAL}:   %k = fixed.constant dense<[[-8, 8], [-8, 8]]> : tensor<2x2xi8> as tensor<2x2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:            %a = fixed.add %d, %k : (tensor<2x!fixed.fixed<12, 2, signed>>, tensor<2x2x!fixed.fixed<8, 3, signed>>) -> tensor<2x2x!fixed.fixed<11, 1, signed>>
// CHECK-NEXT:            %o1 = fixed.dequantize %d : tensor<2x!fixed.fixed<12, 2, signed>> -> tensor<2xf64>
// CHECK-NEXT:            %o2 = fixed.dequantize %user : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2xf64>
// CHECK-NEXT:            %o3 = fixed.dequantize %u : tensor<2x!fixed.fixed<11, 1, unsigned>> -> tensor<2xf64>
// CHECK-NEXT:            %o4 = fixed.dequantize %d2 : tensor<1x!fixed.fixed<16, 1, unsigned>> -> tensor<1xf64>
// CHECK-NEXT:            %o5 = fixed.dequantize %a : tensor<2x2x!fixed.fixed<11, 1, signed>> -> tensor<2x2xf64>
// CHECK-NEXT:            func.return %o1, %o2, %o3, %o4, %o5 : tensor<2xf64>, tensor<2xf64>, tensor<2xf64>, tensor<1xf64>, tensor<2x2xf64>
// CHECK-NEXT:          }

// MAXW-LABEL:  func.func @layers(
// MAXW:          %d = fixed.dense {{.*}} -> tensor<2x!fixed.fixed<12, 2, signed>>
// MAXW-NEXT:     %same = fixed.cast %d RND WRAP in_range : tensor<2x!fixed.fixed<12, 2, signed>> -> tensor<2x!fixed.fixed<8, 2, signed>>
// MAXW-NEXT:     %user = fixed.cast %d TRN WRAP : tensor<2x!fixed.fixed<12, 2, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
// MAXW-NEXT:     %r = fixed.relu %d : tensor<2x!fixed.fixed<12, 2, signed>>
// MAXW-NEXT:     %u = fixed.cast %r RND WRAP in_range : tensor<2x!fixed.fixed<12, 2, signed>> -> tensor<2x!fixed.fixed<8, 1, unsigned>>
// MAXW:          %o1 = fixed.dequantize %same : tensor<2x!fixed.fixed<8, 2, signed>> -> tensor<2xf64>

// ---------------------------------------------------------------------------------------------------
// Calibrated `infer` casts (the `observed` range the calibrate pass writes; it stays on the cast).
// %x: ap_fixed<8,3> (F = 5), proven codes [-128, 127], i.e. I = 3 without calibration.
// %a observed [-0.5, 0.75]: codes [-16, 24] fit <6, 1, signed> ([-32, 31]; <5, 0> is [-16, 15]):
//   I = 1 + margin 1 = 2 < 3, W = I + F = 7: <7, 2, signed>. The proven range does not fit: SAT.
// %b observed [0.25, 1.5]: codes [8, 48] are non-negative: <6, 1, unsigned> ([0, 63]); + 1:
//   <7, 2, unsigned>, SAT (the proven range has negative values, they clamp to 0).
// %c observed [-3.5, 3.0]: codes [-112, 96] need I = 3; + 1 = 4 is more than the proven 3, so I = 3:
//   <8, 3, signed>, the input's own type: an identity, removed (%o3 reads %x).
// margin=0: %a <6, 1, signed> SAT, %b <6, 1, unsigned> SAT, %c still I = 3 (removed).
// width=6 (margin 1): W = min(6, I + 5): %a <6, 2, signed> and %b <6, 2, unsigned> (F = 4: RND
//   drops one bit), SAT; %c <6, 3, signed> (F = 3): the proven 127 / 4 = 31.75 rounds to 32 > 31,
//   so even I = 3 can overflow after rounding: SAT.

func.func @calibrated(%arg: tensor<2xf32>) -> (tensor<2xf64>, tensor<2xf64>, tensor<2xf64>) {
  %x = fixed.quantize %arg TRN WRAP : tensor<2xf32> -> tensor<2x!fixed.fixed<8, 3, signed>>
  %a = fixed.cast %x RND WRAP infer {observed = array<f64: -0.5, 0.75>} : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
  %b = fixed.cast %x RND WRAP infer {observed = array<f64: 0.25, 1.5>} : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
  %c = fixed.cast %x RND WRAP infer {observed = array<f64: -3.5, 3.0>} : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
  %o1 = fixed.dequantize %a : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2xf64>
  %o2 = fixed.dequantize %b : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2xf64>
  %o3 = fixed.dequantize %c : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2xf64>
  func.return %o1, %o2, %o3 : tensor<2xf64>, tensor<2xf64>, tensor<2xf64>
}
// CHECK-LABEL: func.func @calibrated(
// CHECK-NEXT:    %x = fixed.quantize %arg TRN WRAP : tensor<2xf32> -> tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:    %a = fixed.cast %x RND SAT {observed = array<f64: -5.000000e-01, 7.500000e-01>} : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2x!fixed.fixed<7, 2, signed>>
// CHECK-NEXT:    %b = fixed.cast %x RND SAT {observed = array<f64: 2.500000e-01, 1.500000e+00>} : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2x!fixed.fixed<7, 2, unsigned>>
// CHECK-NEXT:    %o1 = fixed.dequantize %a : tensor<2x!fixed.fixed<7, 2, signed>> -> tensor<2xf64>
// CHECK-NEXT:    %o2 = fixed.dequantize %b : tensor<2x!fixed.fixed<7, 2, unsigned>> -> tensor<2xf64>
// CHECK-NEXT:    %o3 = fixed.dequantize %x : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2xf64>

// MARGIN0-LABEL: func.func @calibrated(
// MARGIN0-NEXT:    %x = fixed.quantize
// MARGIN0-NEXT:    %a = fixed.cast %x RND SAT {observed = array<f64: -5.000000e-01, 7.500000e-01>} : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2x!fixed.fixed<6, 1, signed>>
// MARGIN0-NEXT:    %b = fixed.cast %x RND SAT {observed = array<f64: 2.500000e-01, 1.500000e+00>} : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2x!fixed.fixed<6, 1, unsigned>>
// MARGIN0-NEXT:    %o1 = fixed.dequantize %a

// WIDTH6-LABEL: func.func @calibrated(
// WIDTH6-NEXT:    %x = fixed.quantize
// WIDTH6-NEXT:    %a = fixed.cast %x RND SAT {observed = array<f64: -5.000000e-01, 7.500000e-01>} : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2x!fixed.fixed<6, 2, signed>>
// WIDTH6-NEXT:    %b = fixed.cast %x RND SAT {observed = array<f64: 2.500000e-01, 1.500000e+00>} : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2x!fixed.fixed<6, 2, unsigned>>
// WIDTH6-NEXT:    %c = fixed.cast %x RND SAT {observed = array<f64: -3.500000e+00, 3.000000e+00>} : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2x!fixed.fixed<6, 3, signed>>

// ---------------------------------------------------------------------------------------------------
// Tables rebuilt for the reachable inputs.
// %x: ap_fixed<3,1>, codes [-4, 3] (F = 2, values -1 .. 0.75). Sized for all of them, with 8 entries
// of one code each (entry span 2^0 codes): offset -4, index <3, 3 - 2 = 1, unsigned>.
// %r = relu(%x) reaches codes [0, 3] only: 4 entries of one code (the table never grows beyond
// its size), offset 0, index <2, 2 - 2 = 0, unsigned>; entry i holds f(i / 4).
// %s (sigmoid into the given <8, 0, unsigned>, i.e. x 256 rounded to nearest):
//   sigmoid(0, 0.25, 0.5, 0.75) = 0.5, 0.5621765, 0.6224593, 0.6791787 -> 128, 143.92 -> 144,
//   159.35 -> 159, 173.87 -> 174.
// %t (tanh, `infer`): tanh(0, 0.25, 0.5, 0.75) = 0, 0.2449187, 0.4621172, 0.6351490: all >= 0, so
//   unsigned; the largest is below 1 and at least 1/2, so I = 0 and W = 18: <18, 0, unsigned>
//   (it was <18, 1, signed> for inputs down to -1); x 2^18: 0, 64203.96 -> 64204,
//   121141.24 -> 121141, 166500.49 -> 166500 (121141 is odd: no trailing zero bit to drop).
//   With max-width=8: <8, 0, unsigned>, x 256: 0, 62.70 -> 63, 118.30 -> 118, 162.60 -> 163.
// %n: a lookup without `domain` is not rebuilt.

func.func @tables(%arg: tensor<2xf32>) -> (tensor<2xf64>, tensor<2xf64>, tensor<2xf64>) {
  %x = fixed.quantize %arg TRN WRAP : tensor<2xf32> -> tensor<2x!fixed.fixed<3, 1, signed>>
  %r = fixed.relu %x : tensor<2x!fixed.fixed<3, 1, signed>>
  %s = fixed.lookup "sigmoid" %r offset -4 : i64 index !fixed.fixed<3, 1, unsigned> table dense<[69, 82, 97, 112, 128, 144, 159, 174]> : tensor<8xi16> {domain = array<f64: -8.0, 8.0>} : tensor<2x!fixed.fixed<3, 1, signed>> -> tensor<2x!fixed.fixed<8, 0, unsigned>>
  %t = fixed.lookup "tanh" %r offset -4 : i64 index !fixed.fixed<3, 1, unsigned> table dense<[-99824, -83250, -60571, -32102, 0, 32102, 60571, 83250]> : tensor<8xi32> infer {domain = array<f64: -4.0, 4.0>} : tensor<2x!fixed.fixed<3, 1, signed>> -> tensor<2x!fixed.fixed<18, 1, signed>>
  %n = fixed.lookup "sigmoid" %r offset -4 : i64 index !fixed.fixed<3, 1, unsigned> table dense<[69, 82, 97, 112, 128, 144, 159, 174]> : tensor<8xi16> : tensor<2x!fixed.fixed<3, 1, signed>> -> tensor<2x!fixed.fixed<8, 0, unsigned>>
  %o1 = fixed.dequantize %s : tensor<2x!fixed.fixed<8, 0, unsigned>> -> tensor<2xf64>
  %o2 = fixed.dequantize %t : tensor<2x!fixed.fixed<18, 1, signed>> -> tensor<2xf64>
  %o3 = fixed.dequantize %n : tensor<2x!fixed.fixed<8, 0, unsigned>> -> tensor<2xf64>
  func.return %o1, %o2, %o3 : tensor<2xf64>, tensor<2xf64>, tensor<2xf64>
}
// CHECK-LABEL: func.func @tables(
// CHECK-NEXT:    %x = fixed.quantize %arg TRN WRAP : tensor<2xf32> -> tensor<2x!fixed.fixed<3, 1, signed>>
// CHECK-NEXT:    %r = fixed.relu %x : tensor<2x!fixed.fixed<3, 1, signed>>
// CHECK-NEXT:    %s = fixed.lookup "sigmoid" %r offset 0 : i64 index !fixed.fixed<2, 0, unsigned> table dense<[128, 144, 159, 174]> : tensor<4xi16> {domain = array<f64: -8.000000e+00, 8.000000e+00>} : tensor<2x!fixed.fixed<3, 1, signed>> -> tensor<2x!fixed.fixed<8, 0, unsigned>>
// CHECK-NEXT:    %t = fixed.lookup "tanh" %r offset 0 : i64 index !fixed.fixed<2, 0, unsigned> table dense<[0, 64204, 121141, 166500]> : tensor<4xi32> {domain = array<f64: -4.000000e+00, 4.000000e+00>} : tensor<2x!fixed.fixed<3, 1, signed>> -> tensor<2x!fixed.fixed<18, 0, unsigned>>
// CHECK-NEXT:    %n = fixed.lookup "sigmoid" %r offset -4 : i64 index !fixed.fixed<3, 1, unsigned> table dense<[69, 82, 97, 112, 128, 144, 159, 174]> : tensor<8xi16> : tensor<2x!fixed.fixed<3, 1, signed>> -> tensor<2x!fixed.fixed<8, 0, unsigned>>
// CHECK-NEXT:    %o1 = fixed.dequantize %s : tensor<2x!fixed.fixed<8, 0, unsigned>> -> tensor<2xf64>
// CHECK-NEXT:    %o2 = fixed.dequantize %t : tensor<2x!fixed.fixed<18, 0, unsigned>> -> tensor<2xf64>

// MAXW-LABEL: func.func @tables(
// MAXW:         %t = fixed.lookup "tanh" %r offset 0 : i64 index !fixed.fixed<2, 0, unsigned> table dense<[0, 63, 118, 163]> : tensor<4xi16> {domain = array<f64: -4.000000e+00, 4.000000e+00>} : tensor<2x!fixed.fixed<3, 1, signed>> -> tensor<2x!fixed.fixed<8, 0, unsigned>>

// ---------------------------------------------------------------------------------------------------
// Softmax: the two facts intervals alone cannot see.
// %x: ap_fixed<3,1>, codes [-4, 3] (F = 2). %d = %x - reduce_max(%x): intervals give
// [-4 - 3, 3 - (-4)] = [-7, 7]; since %d subtracts %x's own maximum, %d <= 0: codes [-7, 0]
// (<4, 2, signed> either way).
// %e (exp, `infer`, 8 entries): the domain given here, [-4, 4), does not stop at 0, so only the
//   fact above does: 8 codes [-7, 0] fit 8 entries of one code: offset -7, index <3, 3 - 2 = 1,
//   unsigned>, entry i = exp((i - 7) / 4), the last one exp(0) = 1 (from inputs [-7, 7] it would be
//   offset -8, entries of 2 codes, up to exp(1.75) = 5.75). Entries in (0, 1]: I = 1, unsigned,
//   <18, 1, unsigned>, x 2^17: exp(-1.75) = 0.1737739 -> 22777, ... exp(-0.25) -> 102079, 1 -> 131072.
// %s = reduce_sum(%e), F = 17: intervals give [2 * 22777, 2 * 131072]; but the maximum's own term is
//   the entry at 0 (131072) and the other term is at least the smallest entry (22777), so
//   %s in [153849, 262144] (1.1737747 .. 2.0): unsigned, 2^19 - 1 >= 262144 > 2^18 - 1: <19, 2, unsigned>.
// %r (reciprocal, `infer`, 8 entries, domain [1, 2)): codes [153849, 262143] need entries of 2^14
//   codes ((262143 >> 14) - (153849 >> 14) + 1 = 15 - 9 + 1 = 7 <= 8; with 2^13: 31 - 18 + 1 = 14):
//   offset 9 * 2^14 = 147456 (1.125, not 1.0: the table starts at the exp table's entry at 0 plus
//   the smallest term), index <3, 3 - (17 - 14) = 0, unsigned>. Entry 0 serves [1.1737747, 1.25):
//   (1/1.1737747 + 1/1.2499924) / 2 = 0.8259786; the last serves 2.0 only: 0.5. In (0.5, 1): I = 0,
//   <18, 0, unsigned>, x 2^18: 216525 ... 131072.
// %p = %e * %r: F = 17 + 18 = 35, at most 1.0 * 0.8259786 < 1, unsigned: <35, 0, unsigned>.
// %y: a user cast, kept.

func.func @softmax(%arg: tensor<2xf32>) -> tensor<2xf64> {
  %x = fixed.quantize %arg TRN WRAP : tensor<2xf32> -> tensor<2x!fixed.fixed<3, 1, signed>>
  %m = fixed.reduce_max %x axis 0 : tensor<2x!fixed.fixed<3, 1, signed>> -> tensor<1x!fixed.fixed<3, 1, signed>>
  %d = fixed.sub %x, %m : (tensor<2x!fixed.fixed<3, 1, signed>>, tensor<1x!fixed.fixed<3, 1, signed>>) -> tensor<2x!fixed.fixed<4, 2, signed>>
  %e = fixed.lookup "exp" %d offset -8 : i64 index !fixed.fixed<3, 2, unsigned> table dense<[5064, 8350, 13767, 22697, 37421, 61698, 101722, 167711]> : tensor<8xi32> infer {domain = array<f64: -4.0, 4.0>} : tensor<2x!fixed.fixed<4, 2, signed>> -> tensor<2x!fixed.fixed<18, 3, unsigned>>
  %s = fixed.reduce_sum %e axis 0 : tensor<2x!fixed.fixed<18, 3, unsigned>> -> tensor<1x!fixed.fixed<19, 4, unsigned>>
  %r = fixed.lookup "reciprocal" %s offset 32768 : i64 index !fixed.fixed<3, 0, unsigned> table dense<[247584, 221369, 200185, 182708, 168043, 155559, 144804, 135441]> : tensor<8xi32> infer {domain = array<f64: 1.0, 2.0>} : tensor<1x!fixed.fixed<19, 4, unsigned>> -> tensor<1x!fixed.fixed<18, 0, unsigned>>
  %p = fixed.mul %e, %r : (tensor<2x!fixed.fixed<18, 3, unsigned>>, tensor<1x!fixed.fixed<18, 0, unsigned>>) -> tensor<2x!fixed.fixed<36, 3, unsigned>>
  %y = fixed.cast %p RND SAT : tensor<2x!fixed.fixed<36, 3, unsigned>> -> tensor<2x!fixed.fixed<8, 0, unsigned>>
  %o = fixed.dequantize %y : tensor<2x!fixed.fixed<8, 0, unsigned>> -> tensor<2xf64>
  func.return %o : tensor<2xf64>
}
// CHECK-LABEL: func.func @softmax(
// CHECK-NEXT:    %x = fixed.quantize %arg TRN WRAP : tensor<2xf32> -> tensor<2x!fixed.fixed<3, 1, signed>>
// CHECK-NEXT:    %m = fixed.reduce_max %x axis 0 : tensor<2x!fixed.fixed<3, 1, signed>> -> tensor<1x!fixed.fixed<3, 1, signed>>
// CHECK-NEXT:    %d = fixed.sub %x, %m : (tensor<2x!fixed.fixed<3, 1, signed>>, tensor<1x!fixed.fixed<3, 1, signed>>) -> tensor<2x!fixed.fixed<4, 2, signed>>
// CHECK-NEXT:    %e = fixed.lookup "exp" %d offset -7 : i64 index !fixed.fixed<3, 1, unsigned> table dense<[22777, 29246, 37553, 48219, 61914, 79499, 102079, 131072]> : tensor<8xi32> {domain = array<f64: -4.000000e+00, 4.000000e+00>} : tensor<2x!fixed.fixed<4, 2, signed>> -> tensor<2x!fixed.fixed<18, 1, unsigned>>
// CHECK-NEXT:    %s = fixed.reduce_sum %e axis 0 : tensor<2x!fixed.fixed<18, 1, unsigned>> -> tensor<1x!fixed.fixed<19, 2, unsigned>>
// CHECK-NEXT:    %r = fixed.lookup "reciprocal" %s offset 147456 : i64 index !fixed.fixed<3, 0, unsigned> table dense<[216525, 200183, 182707, 168041, 155558, 144804, 135441, 131072]> : tensor<8xi32> {domain = array<f64: 1.000000e+00, 2.000000e+00>} : tensor<1x!fixed.fixed<19, 2, unsigned>> -> tensor<1x!fixed.fixed<18, 0, unsigned>>
// CHECK-NEXT:    %p = fixed.mul %e, %r : (tensor<2x!fixed.fixed<18, 1, unsigned>>, tensor<1x!fixed.fixed<18, 0, unsigned>>) -> tensor<2x!fixed.fixed<35, 0, unsigned>>
// CHECK-NEXT:    %y = fixed.cast %p RND SAT : tensor<2x!fixed.fixed<35, 0, unsigned>> -> tensor<2x!fixed.fixed<8, 0, unsigned>>
// CHECK-NEXT:    %o = fixed.dequantize %y : tensor<2x!fixed.fixed<8, 0, unsigned>> -> tensor<2xf64>
// CHECK-NEXT:    func.return %o : tensor<2xf64>
