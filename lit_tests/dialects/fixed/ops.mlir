// Round trip of the fixed dialect's custom syntax (type, modes, every op), and of its generic form
// back to the custom one.
// Custom parse -> generic print -> generic parse -> custom print -> custom parse -> custom print:
// RUN: xdsl-opt %s --print-op-generic | xdsl-opt | xdsl-opt | filecheck %s
// The generic form itself:
// RUN: xdsl-opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC

func.func @types(%a: tensor<2x!fixed.fixed<16, 6, signed>>, %b: tensor<2x!fixed.fixed<8, 0, unsigned>>, %c: tensor<2x!fixed.fixed<4, -2, signed>>, %d: tensor<2x!fixed.fixed<4, 8, unsigned>>, %e: tensor<!fixed.fixed<1, 1, unsigned>>) -> tensor<2x!fixed.fixed<16, 6, signed>> {
  func.return %a : tensor<2x!fixed.fixed<16, 6, signed>>
}
// CHECK-LABEL: func.func @types(
// CHECK-SAME:    %a: tensor<2x!fixed.fixed<16, 6, signed>>, %b: tensor<2x!fixed.fixed<8, 0, unsigned>>,
// CHECK-SAME:    %c: tensor<2x!fixed.fixed<4, -2, signed>>, %d: tensor<2x!fixed.fixed<4, 8, unsigned>>,
// CHECK-SAME:    %e: tensor<!fixed.fixed<1, 1, unsigned>>) -> tensor<2x!fixed.fixed<16, 6, signed>> {

func.func @constants() -> (tensor<2x2x!fixed.fixed<8, 3, signed>>, tensor<3x!fixed.fixed<8, 0, unsigned>>) {
  %w = fixed.constant dense<[[16, -8], [127, -128]]> : tensor<2x2xi8> as tensor<2x2x!fixed.fixed<8, 3, signed>> {layer = "fc1"}
  %u = fixed.constant dense<[0, 128, 255]> : tensor<3xi16> as tensor<3x!fixed.fixed<8, 0, unsigned>>
  func.return %w, %u : tensor<2x2x!fixed.fixed<8, 3, signed>>, tensor<3x!fixed.fixed<8, 0, unsigned>>
}
// CHECK-LABEL:         func.func @constants()
// CHECK-NEXT{LITERAL}:   %w = fixed.constant dense<[[16, -8], [127, -128]]> : tensor<2x2xi8> as tensor<2x2x!fixed.fixed<8, 3, signed>> {layer = "fc1"}
// CHECK-NEXT:            %u = fixed.constant dense<[0, 128, 255]> : tensor<3xi16> as tensor<3x!fixed.fixed<8, 0, unsigned>>

// GENERIC-LABEL:       "func.func"() <{sym_name = "constants"
// GENERIC-NEXT{LITERAL}: %w = "fixed.constant"() <{codes = dense<[[16, -8], [127, -128]]> : tensor<2x2xi8>, layer = "fc1"}> : () -> tensor<2x2x!fixed.fixed<8, 3, signed>>

func.func @conversions(%x: tensor<4xf32>) -> tensor<4xf64> {
  %q = fixed.quantize %x RND SAT {layer = "x"} : tensor<4xf32> -> tensor<4x!fixed.fixed<8, 3, signed>>
  %c1 = fixed.cast %q TRN WRAP : tensor<4x!fixed.fixed<8, 3, signed>> -> tensor<4x!fixed.fixed<6, 2, signed>>
  %c2 = fixed.cast %c1 TRN_ZERO SAT_ZERO : tensor<4x!fixed.fixed<6, 2, signed>> -> tensor<4x!fixed.fixed<5, 1, signed>>
  %c3 = fixed.cast %c2 RND_ZERO SAT_SYM : tensor<4x!fixed.fixed<5, 1, signed>> -> tensor<4x!fixed.fixed<4, 1, signed>>
  %c4 = fixed.cast %c3 RND_INF WRAP : tensor<4x!fixed.fixed<4, 1, signed>> -> tensor<4x!fixed.fixed<3, 1, signed>>
  %c5 = fixed.cast %c4 RND_MIN_INF SAT : tensor<4x!fixed.fixed<3, 1, signed>> -> tensor<4x!fixed.fixed<3, 2, unsigned>>
  %c6 = fixed.cast %c5 RND_CONV SAT {layer = "out"} : tensor<4x!fixed.fixed<3, 2, unsigned>> -> tensor<4x!fixed.fixed<12, 4, signed>>
  %d32 = fixed.dequantize %c6 : tensor<4x!fixed.fixed<12, 4, signed>> -> tensor<4xf32>
  %d = fixed.dequantize %c6 {layer = "out"} : tensor<4x!fixed.fixed<12, 4, signed>> -> tensor<4xf64>
  func.return %d : tensor<4xf64>
}
// CHECK-LABEL: func.func @conversions(%x: tensor<4xf32>) -> tensor<4xf64> {
// CHECK-NEXT:    %q = fixed.quantize %x RND SAT {layer = "x"} : tensor<4xf32> -> tensor<4x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:    %c1 = fixed.cast %q TRN WRAP : tensor<4x!fixed.fixed<8, 3, signed>> -> tensor<4x!fixed.fixed<6, 2, signed>>
// CHECK-NEXT:    %c2 = fixed.cast %c1 TRN_ZERO SAT_ZERO : tensor<4x!fixed.fixed<6, 2, signed>> -> tensor<4x!fixed.fixed<5, 1, signed>>
// CHECK-NEXT:    %c3 = fixed.cast %c2 RND_ZERO SAT_SYM : tensor<4x!fixed.fixed<5, 1, signed>> -> tensor<4x!fixed.fixed<4, 1, signed>>
// CHECK-NEXT:    %c4 = fixed.cast %c3 RND_INF WRAP : tensor<4x!fixed.fixed<4, 1, signed>> -> tensor<4x!fixed.fixed<3, 1, signed>>
// CHECK-NEXT:    %c5 = fixed.cast %c4 RND_MIN_INF SAT : tensor<4x!fixed.fixed<3, 1, signed>> -> tensor<4x!fixed.fixed<3, 2, unsigned>>
// CHECK-NEXT:    %c6 = fixed.cast %c5 RND_CONV SAT {layer = "out"} : tensor<4x!fixed.fixed<3, 2, unsigned>> -> tensor<4x!fixed.fixed<12, 4, signed>>
// CHECK-NEXT:    %d32 = fixed.dequantize %c6 : tensor<4x!fixed.fixed<12, 4, signed>> -> tensor<4xf32>
// CHECK-NEXT:    %d = fixed.dequantize %c6 {layer = "out"} : tensor<4x!fixed.fixed<12, 4, signed>> -> tensor<4xf64>
// CHECK-NEXT:    func.return %d : tensor<4xf64>

// GENERIC-LABEL: "func.func"() <{sym_name = "conversions"
// GENERIC:       %q = "fixed.quantize"(%x) <{rounding = #fixed<rounding RND>, overflow = #fixed<overflow SAT>, layer = "x"}> : (tensor<4xf32>) -> tensor<4x!fixed.fixed<8, 3, signed>>
// GENERIC-NEXT:  %c1 = "fixed.cast"(%q) <{rounding = #fixed<rounding TRN>, overflow = #fixed<overflow WRAP>}> : (tensor<4x!fixed.fixed<8, 3, signed>>) -> tensor<4x!fixed.fixed<6, 2, signed>>
// GENERIC:       %d32 = "fixed.dequantize"(%c6) : (tensor<4x!fixed.fixed<12, 4, signed>>) -> tensor<4xf32>

func.func @cast_each(%x: tensor<2x3x!fixed.fixed<8, 4, signed>>) -> tensor<2x3x!fixed.fixed<4, 2, signed>> {
  %y = fixed.cast_each %x RND WRAP types dense<[[[1, 4, 2], [0, 3, 1], [1, 0, 0]]]> : tensor<1x3x3xi32> quantizer {layer = "q"} : tensor<2x3x!fixed.fixed<8, 4, signed>> -> tensor<2x3x!fixed.fixed<4, 2, signed>>
  func.return %y : tensor<2x3x!fixed.fixed<4, 2, signed>>
}
// A type per element, as (signed, W, I) broadcast along the size-1 axis: column 0 ap_fixed<4,2>,
// column 1 ap_ufixed<3,1>, column 2 width 0 (always 0); the result holds them all.
// CHECK-LABEL:         func.func @cast_each(
// CHECK-NEXT{LITERAL}:   %y = fixed.cast_each %x RND WRAP types dense<[[[1, 4, 2], [0, 3, 1], [1, 0, 0]]]> : tensor<1x3x3xi32> quantizer {layer = "q"} : tensor<2x3x!fixed.fixed<8, 4, signed>> -> tensor<2x3x!fixed.fixed<4, 2, signed>>
// GENERIC-LABEL:         "func.func"() <{sym_name = "cast_each"
// GENERIC{LITERAL}:      %y = "fixed.cast_each"(%x) <{rounding = #fixed<rounding RND>, overflow = #fixed<overflow WRAP>, types = dense<[[[1, 4, 2], [0, 3, 1], [1, 0, 0]]]> : tensor<1x3x3xi32>, quantizer, layer = "q"}> : (tensor<2x3x!fixed.fixed<8, 4, signed>>) -> tensor<2x3x!fixed.fixed<4, 2, signed>>

func.func @auto(%x: tensor<4x!fixed.fixed<8, 3, signed>>) -> (tensor<4x!fixed.fixed<8, 3, signed>>, tensor<4x!fixed.fixed<6, 2, signed>>, tensor<4x!fixed.fixed<8, 3, signed>>) {
  %a = fixed.cast %x RND WRAP infer {layer = "fc1"} : tensor<4x!fixed.fixed<8, 3, signed>> -> tensor<4x!fixed.fixed<8, 3, signed>>
  %o = fixed.cast %x TRN SAT {observed = array<f64: -1.5, 2.25>} : tensor<4x!fixed.fixed<8, 3, signed>> -> tensor<4x!fixed.fixed<6, 2, signed>>
  %b = fixed.cast %x RND WRAP infer {observed = array<f64: -0.5, 0.75>} : tensor<4x!fixed.fixed<8, 3, signed>> -> tensor<4x!fixed.fixed<8, 3, signed>>
  %w = fixed.constant dense<[3, -5]> : tensor<2xi8> as tensor<2x!fixed.fixed<8, 3, signed>> {error = 1.5e-02 : f64, layer = "fc1"}
  %v = fixed.constant dense<[3, -5]> : tensor<2xi8> as tensor<2x!fixed.fixed<8, 3, signed>> {infer}
  %q = fixed.cast %x RND_CONV SAT quantizer {layer = "q"} : tensor<4x!fixed.fixed<8, 3, signed>> -> tensor<4x!fixed.fixed<4, 2, signed>>
  %n = fixed.cast %x RND WRAP in_range : tensor<4x!fixed.fixed<8, 3, signed>> -> tensor<4x!fixed.fixed<9, 3, signed>>
  %k = fixed.clamp %q low -7 : i64 high 7 : i64 quantizer {bound_error = 2.5e-01 : f64} : tensor<4x!fixed.fixed<4, 2, signed>> -> tensor<4x!fixed.fixed<4, 2, signed>>
  %s = fixed.select %x, %x, %x {gap = array<f64: 0.0, 0.875>} : (tensor<4x!fixed.fixed<8, 3, signed>>, tensor<4x!fixed.fixed<8, 3, signed>>, tensor<4x!fixed.fixed<8, 3, signed>>) -> tensor<4x!fixed.fixed<8, 3, signed>>
  func.return %a, %o, %b : tensor<4x!fixed.fixed<8, 3, signed>>, tensor<4x!fixed.fixed<6, 2, signed>>, tensor<4x!fixed.fixed<8, 3, signed>>
}
// `infer` on a cast (an `auto` target, chosen by infer-bitwidths) prints before the attribute
// dictionary; `observed` (calibration) and a constant's `error` (its rounding error) inside it.
// CHECK-LABEL: func.func @auto(
// CHECK-NEXT:    %a = fixed.cast %x RND WRAP infer {layer = "fc1"} : tensor<4x!fixed.fixed<8, 3, signed>> -> tensor<4x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:    %o = fixed.cast %x TRN SAT {observed = array<f64: -1.500000e+00, 2.250000e+00>} : tensor<4x!fixed.fixed<8, 3, signed>> -> tensor<4x!fixed.fixed<6, 2, signed>>
// CHECK-NEXT:    %b = fixed.cast %x RND WRAP infer {observed = array<f64: -5.000000e-01, 7.500000e-01>} : tensor<4x!fixed.fixed<8, 3, signed>> -> tensor<4x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:    %w = fixed.constant dense<[3, -5]> : tensor<2xi8> as tensor<2x!fixed.fixed<8, 3, signed>> {error = 1.500000e-02 : f64, layer = "fc1"}
// An `auto` constant whose step a budget may still choose (`infer`); a model's own quantizer (`quantizer`:
// the float model rounds there too) on a cast and a clamp; `in_range` (infer-bitwidths proved the
// input never leaves the target's range); a clamp's `bound_error` (how far moving its
// bounds onto a coarser step moved them); a select's `gap` (jump and slope where its condition flips).
// CHECK-NEXT:    %v = fixed.constant dense<[3, -5]> : tensor<2xi8> as tensor<2x!fixed.fixed<8, 3, signed>> {infer}
// CHECK-NEXT:    %q = fixed.cast %x RND_CONV SAT quantizer {layer = "q"} : tensor<4x!fixed.fixed<8, 3, signed>> -> tensor<4x!fixed.fixed<4, 2, signed>>
// CHECK-NEXT:    %n = fixed.cast %x RND WRAP in_range : tensor<4x!fixed.fixed<8, 3, signed>> -> tensor<4x!fixed.fixed<9, 3, signed>>
// CHECK-NEXT:    %k = fixed.clamp %q low -7 : i64 high 7 : i64 quantizer {bound_error = 2.500000e-01 : f64} : tensor<4x!fixed.fixed<4, 2, signed>> -> tensor<4x!fixed.fixed<4, 2, signed>>
// CHECK-NEXT:    %s = fixed.select %x, %x, %x {gap = array<f64: 0.000000e+00, 8.750000e-01>} : (tensor<4x!fixed.fixed<8, 3, signed>>, tensor<4x!fixed.fixed<8, 3, signed>>, tensor<4x!fixed.fixed<8, 3, signed>>) -> tensor<4x!fixed.fixed<8, 3, signed>>

// GENERIC-LABEL: "func.func"() <{sym_name = "auto"
// GENERIC:       %a = "fixed.cast"(%x) <{rounding = #fixed<rounding RND>, overflow = #fixed<overflow WRAP>, infer, layer = "fc1"}> : (tensor<4x!fixed.fixed<8, 3, signed>>) -> tensor<4x!fixed.fixed<8, 3, signed>>
// GENERIC-NEXT:  %o = "fixed.cast"(%x) <{rounding = #fixed<rounding TRN>, overflow = #fixed<overflow SAT>, observed = array<f64: -1.500000e+00, 2.250000e+00>}> : (tensor<4x!fixed.fixed<8, 3, signed>>) -> tensor<4x!fixed.fixed<6, 2, signed>>
// GENERIC-NEXT:  %b = "fixed.cast"(%x) <{rounding = #fixed<rounding RND>, overflow = #fixed<overflow WRAP>, infer, observed = array<f64: -5.000000e-01, 7.500000e-01>}> : (tensor<4x!fixed.fixed<8, 3, signed>>) -> tensor<4x!fixed.fixed<8, 3, signed>>
// GENERIC-NEXT:  %w = "fixed.constant"() <{codes = dense<[3, -5]> : tensor<2xi8>, error = 1.500000e-02 : f64, layer = "fc1"}> : () -> tensor<2x!fixed.fixed<8, 3, signed>>

func.func @dense(%x: tensor<3x!fixed.fixed<8, 3, signed>>, %xs: tensor<2x3x!fixed.fixed<6, 6, unsigned>>, %w: tensor<3x2x!fixed.fixed<8, 3, signed>>, %b: tensor<2x!fixed.fixed<12, 0, signed>>) -> (tensor<2x!fixed.fixed<19, 9, signed>>, tensor<2x2x!fixed.fixed<16, 11, signed>>) {
  %y = fixed.dense %x, %w, %b {layer = "fc1"} : (tensor<3x!fixed.fixed<8, 3, signed>>, tensor<3x2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<12, 0, signed>>) -> tensor<2x!fixed.fixed<22, 10, signed>>
  %yb = fixed.dense %x, %w, %b : (tensor<3x!fixed.fixed<8, 3, signed>>, tensor<3x2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<12, 0, signed>>) -> tensor<2x!fixed.fixed<19, 7, signed>>
  %ys = fixed.dense %xs, %w : (tensor<2x3x!fixed.fixed<6, 6, unsigned>>, tensor<3x2x!fixed.fixed<8, 3, signed>>) -> tensor<2x2x!fixed.fixed<16, 11, signed>>
  %yu = fixed.dense %x, %w : (tensor<3x!fixed.fixed<8, 3, signed>>, tensor<3x2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<12, 2, unsigned>>
  %r = fixed.cast %y TRN WRAP : tensor<2x!fixed.fixed<22, 10, signed>> -> tensor<2x!fixed.fixed<19, 9, signed>>
  func.return %r, %ys : tensor<2x!fixed.fixed<19, 9, signed>>, tensor<2x2x!fixed.fixed<16, 11, signed>>
}
// CHECK-LABEL: func.func @dense(
// CHECK-NEXT:    %y = fixed.dense %x, %w, %b {layer = "fc1"} : (tensor<3x!fixed.fixed<8, 3, signed>>, tensor<3x2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<12, 0, signed>>) -> tensor<2x!fixed.fixed<22, 10, signed>>
// CHECK-NEXT:    %yb = fixed.dense %x, %w, %b : (tensor<3x!fixed.fixed<8, 3, signed>>, tensor<3x2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<12, 0, signed>>) -> tensor<2x!fixed.fixed<19, 7, signed>>
// CHECK-NEXT:    %ys = fixed.dense %xs, %w : (tensor<2x3x!fixed.fixed<6, 6, unsigned>>, tensor<3x2x!fixed.fixed<8, 3, signed>>) -> tensor<2x2x!fixed.fixed<16, 11, signed>>
// An unsigned result of signed operands verifies (the values may be non-negative: infer-bitwidths
// proves it from the weights); only the step is checked.
// CHECK-NEXT:    %yu = fixed.dense %x, %w : (tensor<3x!fixed.fixed<8, 3, signed>>, tensor<3x2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<12, 2, unsigned>>

// GENERIC-LABEL: "func.func"() <{sym_name = "dense"
// GENERIC:       %y = "fixed.dense"(%x, %w, %b) <{layer = "fc1"}> : (tensor<3x!fixed.fixed<8, 3, signed>>, tensor<3x2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<12, 0, signed>>) -> tensor<2x!fixed.fixed<22, 10, signed>>

func.func @arith(%a: tensor<2x3x!fixed.fixed<8, 3, signed>>, %b: tensor<3x!fixed.fixed<6, 2, signed>>, %c: tensor<2x1x!fixed.fixed<8, 3, signed>>, %u: tensor<2x!fixed.fixed<18, 1, unsigned>>, %v: tensor<1x!fixed.fixed<18, 1, unsigned>>) -> tensor<2x!fixed.fixed<36, 2, unsigned>> {
  %s = fixed.add %a, %b {layer = "add"} : (tensor<2x3x!fixed.fixed<8, 3, signed>>, tensor<3x!fixed.fixed<6, 2, signed>>) -> tensor<2x3x!fixed.fixed<9, 4, signed>>
  %d = fixed.sub %a, %c : (tensor<2x3x!fixed.fixed<8, 3, signed>>, tensor<2x1x!fixed.fixed<8, 3, signed>>) -> tensor<2x3x!fixed.fixed<9, 4, signed>>
  %m = fixed.mul %a, %b : (tensor<2x3x!fixed.fixed<8, 3, signed>>, tensor<3x!fixed.fixed<6, 2, signed>>) -> tensor<2x3x!fixed.fixed<14, 5, signed>>
  %p = fixed.mul %u, %v {layer = "sm"} : (tensor<2x!fixed.fixed<18, 1, unsigned>>, tensor<1x!fixed.fixed<18, 1, unsigned>>) -> tensor<2x!fixed.fixed<36, 2, unsigned>>
  func.return %p : tensor<2x!fixed.fixed<36, 2, unsigned>>
}
// CHECK-LABEL: func.func @arith(
// CHECK-NEXT:    %s = fixed.add %a, %b {layer = "add"} : (tensor<2x3x!fixed.fixed<8, 3, signed>>, tensor<3x!fixed.fixed<6, 2, signed>>) -> tensor<2x3x!fixed.fixed<9, 4, signed>>
// CHECK-NEXT:    %d = fixed.sub %a, %c : (tensor<2x3x!fixed.fixed<8, 3, signed>>, tensor<2x1x!fixed.fixed<8, 3, signed>>) -> tensor<2x3x!fixed.fixed<9, 4, signed>>
// CHECK-NEXT:    %m = fixed.mul %a, %b : (tensor<2x3x!fixed.fixed<8, 3, signed>>, tensor<3x!fixed.fixed<6, 2, signed>>) -> tensor<2x3x!fixed.fixed<14, 5, signed>>
// CHECK-NEXT:    %p = fixed.mul %u, %v {layer = "sm"} : (tensor<2x!fixed.fixed<18, 1, unsigned>>, tensor<1x!fixed.fixed<18, 1, unsigned>>) -> tensor<2x!fixed.fixed<36, 2, unsigned>>

// GENERIC-LABEL: "func.func"() <{sym_name = "arith"
// GENERIC:       %s = "fixed.add"(%a, %b) <{layer = "add"}> : (tensor<2x3x!fixed.fixed<8, 3, signed>>, tensor<3x!fixed.fixed<6, 2, signed>>) -> tensor<2x3x!fixed.fixed<9, 4, signed>>
// GENERIC-NEXT:  %d = "fixed.sub"(%a, %c) : (tensor<2x3x!fixed.fixed<8, 3, signed>>, tensor<2x1x!fixed.fixed<8, 3, signed>>) -> tensor<2x3x!fixed.fixed<9, 4, signed>>

func.func @abs(%x: tensor<2x3x!fixed.fixed<8, 3, signed>>) -> tensor<2x3x!fixed.fixed<8, 3, unsigned>> {
  %a = fixed.abs %x {layer = "abs", layer_type = "Abs"} : tensor<2x3x!fixed.fixed<8, 3, signed>> -> tensor<2x3x!fixed.fixed<8, 3, unsigned>>
  func.return %a : tensor<2x3x!fixed.fixed<8, 3, unsigned>>
}
// CHECK-LABEL: func.func @abs(
// CHECK-NEXT:    %a = fixed.abs %x {layer = "abs", layer_type = "Abs"} : tensor<2x3x!fixed.fixed<8, 3, signed>> -> tensor<2x3x!fixed.fixed<8, 3, unsigned>>

// GENERIC-LABEL: "func.func"() <{sym_name = "abs"
// GENERIC:       %a = "fixed.abs"(%x) <{layer = "abs", layer_type = "Abs"}> : (tensor<2x3x!fixed.fixed<8, 3, signed>>) -> tensor<2x3x!fixed.fixed<8, 3, unsigned>>

func.func @relu_reduce(%x: tensor<2x3x!fixed.fixed<8, 3, signed>>) -> (tensor<2x1x!fixed.fixed<8, 3, signed>>, tensor<1x3x!fixed.fixed<10, 5, signed>>) {
  %r = fixed.relu %x {layer = "relu1"} : tensor<2x3x!fixed.fixed<8, 3, signed>>
  %m = fixed.reduce_max %r axis 1 {layer = "sm"} : tensor<2x3x!fixed.fixed<8, 3, signed>> -> tensor<2x1x!fixed.fixed<8, 3, signed>>
  %s = fixed.reduce_sum %r axis 0 : tensor<2x3x!fixed.fixed<8, 3, signed>> -> tensor<1x3x!fixed.fixed<10, 5, signed>>
  func.return %m, %s : tensor<2x1x!fixed.fixed<8, 3, signed>>, tensor<1x3x!fixed.fixed<10, 5, signed>>
}
// CHECK-LABEL: func.func @relu_reduce(
// CHECK-NEXT:    %r = fixed.relu %x {layer = "relu1"} : tensor<2x3x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:    %m = fixed.reduce_max %r axis 1 {layer = "sm"} : tensor<2x3x!fixed.fixed<8, 3, signed>> -> tensor<2x1x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:    %s = fixed.reduce_sum %r axis 0 : tensor<2x3x!fixed.fixed<8, 3, signed>> -> tensor<1x3x!fixed.fixed<10, 5, signed>>

// GENERIC-LABEL: "func.func"() <{sym_name = "relu_reduce"
// GENERIC:       %r = "fixed.relu"(%x) <{layer = "relu1"}> : (tensor<2x3x!fixed.fixed<8, 3, signed>>) -> tensor<2x3x!fixed.fixed<8, 3, signed>>
// GENERIC-NEXT:  %m = "fixed.reduce_max"(%r) <{axis = 1 : i64, layer = "sm"}> : (tensor<2x3x!fixed.fixed<8, 3, signed>>) -> tensor<2x1x!fixed.fixed<8, 3, signed>>

func.func @lookup(%x: tensor<2x!fixed.fixed<6, 3, signed>>, %s: tensor<1x!fixed.fixed<19, 2, unsigned>>, %w: tensor<2x!fixed.fixed<80, 2, signed>>) -> (tensor<2x!fixed.fixed<6, 3, signed>>, tensor<1x!fixed.fixed<18, 1, unsigned>>, tensor<2x!fixed.fixed<18, 0, unsigned>>, tensor<2x!fixed.fixed<2, 1, signed>>) {
  %y = fixed.lookup "sigmoid" %x offset -32 index !fixed.fixed<3, 3, unsigned> table dense<[0, 1, 1, 3, 5, 6, 7, 8]> : tensor<8xi8> {layer = "act"} : tensor<2x!fixed.fixed<6, 3, signed>> -> tensor<2x!fixed.fixed<6, 3, signed>>
  %r = fixed.lookup "reciprocal" %s offset 131072 : i64 index !fixed.fixed<2, 1, unsigned> table dense<[104858, 74898, 65536, 65536]> : tensor<4xi32> : tensor<1x!fixed.fixed<19, 2, unsigned>> -> tensor<1x!fixed.fixed<18, 1, unsigned>>
  %a = fixed.lookup "sigmoid" %x offset -32 : i64 index !fixed.fixed<2, 2, unsigned> table dense<[7874, 47748, 158045, 239520]> : tensor<4xi32> infer {domain = array<f64: -8.0, 8.0>, layer = "act"} : tensor<2x!fixed.fixed<6, 3, signed>> -> tensor<2x!fixed.fixed<18, 0, unsigned>>
  %t = fixed.lookup "tanh" %w offset -604462909807314587353088 : i81 index !fixed.fixed<1, 2, unsigned> table dense<[-1, 1]> : tensor<2xi8> : tensor<2x!fixed.fixed<80, 2, signed>> -> tensor<2x!fixed.fixed<2, 1, signed>>
  func.return %y, %r, %a, %t : tensor<2x!fixed.fixed<6, 3, signed>>, tensor<1x!fixed.fixed<18, 1, unsigned>>, tensor<2x!fixed.fixed<18, 0, unsigned>>, tensor<2x!fixed.fixed<2, 1, signed>>
}
// The offset is an integer attribute printed with its type (an untyped offset, as in %y's input, is
// an i64): i64, or wider when the operand's codes need it (%t: a 2-entry table of an <80, 2> operand
// starts at its lowest code, -2^79: i81). `infer` (the entries' type is `auto`) prints before the
// attribute dictionary, `domain` inside it.
// CHECK-LABEL: func.func @lookup(
// CHECK-NEXT:    %y = fixed.lookup "sigmoid" %x offset -32 : i64 index !fixed.fixed<3, 3, unsigned> table dense<[0, 1, 1, 3, 5, 6, 7, 8]> : tensor<8xi8> {layer = "act"} : tensor<2x!fixed.fixed<6, 3, signed>> -> tensor<2x!fixed.fixed<6, 3, signed>>
// CHECK-NEXT:    %r = fixed.lookup "reciprocal" %s offset 131072 : i64 index !fixed.fixed<2, 1, unsigned> table dense<[104858, 74898, 65536, 65536]> : tensor<4xi32> : tensor<1x!fixed.fixed<19, 2, unsigned>> -> tensor<1x!fixed.fixed<18, 1, unsigned>>
// CHECK-NEXT:    %a = fixed.lookup "sigmoid" %x offset -32 : i64 index !fixed.fixed<2, 2, unsigned> table dense<[7874, 47748, 158045, 239520]> : tensor<4xi32> infer {domain = array<f64: -8.000000e+00, 8.000000e+00>, layer = "act"} : tensor<2x!fixed.fixed<6, 3, signed>> -> tensor<2x!fixed.fixed<18, 0, unsigned>>
// CHECK-NEXT:    %t = fixed.lookup "tanh" %w offset -604462909807314587353088 : i81 index !fixed.fixed<1, 2, unsigned> table dense<[-1, 1]> : tensor<2xi8> : tensor<2x!fixed.fixed<80, 2, signed>> -> tensor<2x!fixed.fixed<2, 1, signed>>

// GENERIC-LABEL: "func.func"() <{sym_name = "lookup"
// GENERIC:       %y = "fixed.lookup"(%x) <{function = "sigmoid", offset = -32 : i64, index_type = !fixed.fixed<3, 3, unsigned>, table = dense<[0, 1, 1, 3, 5, 6, 7, 8]> : tensor<8xi8>, layer = "act"}> : (tensor<2x!fixed.fixed<6, 3, signed>>) -> tensor<2x!fixed.fixed<6, 3, signed>>
// GENERIC:       %a = "fixed.lookup"(%x) <{function = "sigmoid", offset = -32 : i64, index_type = !fixed.fixed<2, 2, unsigned>, table = dense<[7874, 47748, 158045, 239520]> : tensor<4xi32>, infer, domain = array<f64: -8.000000e+00, 8.000000e+00>, layer = "act"}> : (tensor<2x!fixed.fixed<6, 3, signed>>) -> tensor<2x!fixed.fixed<18, 0, unsigned>>
// GENERIC-NEXT:  %t = "fixed.lookup"(%w) <{function = "tanh", offset = -604462909807314587353088 : i81, index_type = !fixed.fixed<1, 2, unsigned>, table = dense<[-1, 1]> : tensor<2xi8>}> : (tensor<2x!fixed.fixed<80, 2, signed>>) -> tensor<2x!fixed.fixed<2, 1, signed>>

func.func @windows(%x: tensor<5x5x2x!fixed.fixed<8, 3, signed>>, %w: tensor<3x3x2x4x!fixed.fixed<8, 3, signed>>, %b: tensor<4x!fixed.fixed<12, 0, signed>>, %x1: tensor<8x4x!fixed.fixed<6, 2, unsigned>>, %w1: tensor<3x2x6x!fixed.fixed<4, 1, signed>>) -> tensor<3x3x4x!fixed.fixed<26, 14, signed>> {
  %y = fixed.conv %x, %w, %b {layer = "conv1", strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1 : i64} : (tensor<5x5x2x!fixed.fixed<8, 3, signed>>, tensor<3x3x2x4x!fixed.fixed<8, 3, signed>>, tensor<4x!fixed.fixed<12, 0, signed>>) -> tensor<3x3x4x!fixed.fixed<26, 14, signed>>
  %y1 = fixed.conv %x1, %w1 {strides = array<i64: 2>, dilations = array<i64: 2>, pads = array<i64: 1, 2>, groups = 2 : i64} : (tensor<8x4x!fixed.fixed<6, 2, unsigned>>, tensor<3x2x6x!fixed.fixed<4, 1, signed>>) -> tensor<4x6x!fixed.fixed<13, 6, signed>>
  %m = fixed.max_pool %x {layer = "pool", kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 1, 1>} : tensor<5x5x2x!fixed.fixed<8, 3, signed>> -> tensor<3x3x2x!fixed.fixed<8, 3, signed>>
  %s = fixed.sum_pool %x1 {kernel = array<i64: 3>, strides = array<i64: 1>, pads = array<i64: 1, 1>} : tensor<8x4x!fixed.fixed<6, 2, unsigned>> -> tensor<8x4x!fixed.fixed<8, 4, unsigned>>
  func.return %y : tensor<3x3x4x!fixed.fixed<26, 14, signed>>
}
// Exact steps: conv products have 5 + 5 fraction bits, the bias 12, so the result has 12; the 1-D
// conv 4 + 3 = 7. A max pool keeps the input's type; a sum pool its step (4 fraction bits).
// CHECK-LABEL: func.func @windows(
// CHECK-NEXT:    %y = fixed.conv %x, %w, %b {layer = "conv1", strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1 : i64} : (tensor<5x5x2x!fixed.fixed<8, 3, signed>>, tensor<3x3x2x4x!fixed.fixed<8, 3, signed>>, tensor<4x!fixed.fixed<12, 0, signed>>) -> tensor<3x3x4x!fixed.fixed<26, 14, signed>>
// CHECK-NEXT:    %y1 = fixed.conv %x1, %w1 {strides = array<i64: 2>, dilations = array<i64: 2>, pads = array<i64: 1, 2>, groups = 2 : i64} : (tensor<8x4x!fixed.fixed<6, 2, unsigned>>, tensor<3x2x6x!fixed.fixed<4, 1, signed>>) -> tensor<4x6x!fixed.fixed<13, 6, signed>>
// CHECK-NEXT:    %m = fixed.max_pool %x {layer = "pool", kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 1, 1>} : tensor<5x5x2x!fixed.fixed<8, 3, signed>> -> tensor<3x3x2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:    %s = fixed.sum_pool %x1 {kernel = array<i64: 3>, strides = array<i64: 1>, pads = array<i64: 1, 1>} : tensor<8x4x!fixed.fixed<6, 2, unsigned>> -> tensor<8x4x!fixed.fixed<8, 4, unsigned>>

// GENERIC-LABEL: "func.func"() <{sym_name = "windows"
// GENERIC:       %y = "fixed.conv"(%x, %w, %b) <{layer = "conv1", strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1 : i64}> : (tensor<5x5x2x!fixed.fixed<8, 3, signed>>, tensor<3x3x2x4x!fixed.fixed<8, 3, signed>>, tensor<4x!fixed.fixed<12, 0, signed>>) -> tensor<3x3x4x!fixed.fixed<26, 14, signed>>
// GENERIC:       %m = "fixed.max_pool"(%x) <{layer = "pool", kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 1, 1>}> : (tensor<5x5x2x!fixed.fixed<8, 3, signed>>) -> tensor<3x3x2x!fixed.fixed<8, 3, signed>>
// GENERIC-NEXT:  %s = "fixed.sum_pool"(%x1) <{kernel = array<i64: 3>, strides = array<i64: 1>, pads = array<i64: 1, 1>}> : (tensor<8x4x!fixed.fixed<6, 2, unsigned>>) -> tensor<8x4x!fixed.fixed<8, 4, unsigned>>

func.func @select_clamp(%c: tensor<2x3x!fixed.fixed<9, 4, signed>>, %a: tensor<2x3x!fixed.fixed<8, 3, signed>>, %z: tensor<1x!fixed.fixed<1, -4, unsigned>>, %s: tensor<3x!fixed.fixed<16, 3, signed>>) -> tensor<2x3x!fixed.fixed<16, 3, signed>> {
  %y = fixed.select %c, %a, %z {layer = "relu"} : (tensor<2x3x!fixed.fixed<9, 4, signed>>, tensor<2x3x!fixed.fixed<8, 3, signed>>, tensor<1x!fixed.fixed<1, -4, unsigned>>) -> tensor<2x3x!fixed.fixed<8, 3, signed>>
  %y2 = fixed.select %a, %a, %s : (tensor<2x3x!fixed.fixed<8, 3, signed>>, tensor<2x3x!fixed.fixed<8, 3, signed>>, tensor<3x!fixed.fixed<16, 3, signed>>) -> tensor<2x3x!fixed.fixed<16, 3, signed>>
  %k = fixed.clamp %a low -32 high 96 {layer = "clip"} : tensor<2x3x!fixed.fixed<8, 3, signed>> -> tensor<2x3x!fixed.fixed<8, 3, signed>>
  %k2 = fixed.clamp %y2 low 0 : i64 high 8192 : i64 : tensor<2x3x!fixed.fixed<16, 3, signed>> -> tensor<2x3x!fixed.fixed<15, 2, unsigned>>
  func.return %y2 : tensor<2x3x!fixed.fixed<16, 3, signed>>
}
// A select's result has the finer step of its two values (%z, a zero of step 2^-5, and
// ap_fixed<8,3>: 5 fraction bits). The clamp bounds are codes, printed with their type: without
// an attribute dictionary after it, `high 8192 : tensor<...>` would read the tensor as the bound's
// type, so the type is needed there.
// CHECK-LABEL: func.func @select_clamp(
// CHECK-NEXT:    %y = fixed.select %c, %a, %z {layer = "relu"} : (tensor<2x3x!fixed.fixed<9, 4, signed>>, tensor<2x3x!fixed.fixed<8, 3, signed>>, tensor<1x!fixed.fixed<1, -4, unsigned>>) -> tensor<2x3x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:    %y2 = fixed.select %a, %a, %s : (tensor<2x3x!fixed.fixed<8, 3, signed>>, tensor<2x3x!fixed.fixed<8, 3, signed>>, tensor<3x!fixed.fixed<16, 3, signed>>) -> tensor<2x3x!fixed.fixed<16, 3, signed>>
// CHECK-NEXT:    %k = fixed.clamp %a low -32 : i64 high 96 : i64 {layer = "clip"} : tensor<2x3x!fixed.fixed<8, 3, signed>> -> tensor<2x3x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:    %k2 = fixed.clamp %y2 low 0 : i64 high 8192 : i64 : tensor<2x3x!fixed.fixed<16, 3, signed>> -> tensor<2x3x!fixed.fixed<15, 2, unsigned>>

// GENERIC-LABEL: "func.func"() <{sym_name = "select_clamp"
// GENERIC:       %y = "fixed.select"(%c, %a, %z) <{layer = "relu"}> : (tensor<2x3x!fixed.fixed<9, 4, signed>>, tensor<2x3x!fixed.fixed<8, 3, signed>>, tensor<1x!fixed.fixed<1, -4, unsigned>>) -> tensor<2x3x!fixed.fixed<8, 3, signed>>
// GENERIC:       %k = "fixed.clamp"(%a) <{low = -32 : i64, high = 96 : i64, layer = "clip"}> : (tensor<2x3x!fixed.fixed<8, 3, signed>>) -> tensor<2x3x!fixed.fixed<8, 3, signed>>

func.func @param_lookup(%x: tensor<2x!fixed.fixed<6, 3, signed>>) -> tensor<2x!fixed.fixed<6, 3, signed>> {
  %e = fixed.lookup "elu" %x offset -32 index !fixed.fixed<2, 2, unsigned> table dense<[-31, -29, -20, 0]> : tensor<4xi8> {domain = array<f64: -8.0, 0.125>, params = array<f64: 1.0>, layer = "elu"} : tensor<2x!fixed.fixed<6, 3, signed>> -> tensor<2x!fixed.fixed<6, 3, signed>>
  func.return %e : tensor<2x!fixed.fixed<6, 3, signed>>
}
// A function with parameters (elu's alpha) carries them in `params`, beside its `domain`.
// CHECK-LABEL: func.func @param_lookup(
// CHECK-NEXT:    %e = fixed.lookup "elu" %x offset -32 : i64 index !fixed.fixed<2, 2, unsigned> table dense<[-31, -29, -20, 0]> : tensor<4xi8> {domain = array<f64: -8.000000e+00, 1.250000e-01>, params = array<f64: 1.000000e+00>, layer = "elu"} : tensor<2x!fixed.fixed<6, 3, signed>> -> tensor<2x!fixed.fixed<6, 3, signed>>

// GENERIC-LABEL: "func.func"() <{sym_name = "param_lookup"
// GENERIC:       %e = "fixed.lookup"(%x) <{function = "elu", offset = -32 : i64, index_type = !fixed.fixed<2, 2, unsigned>, table = dense<[-31, -29, -20, 0]> : tensor<4xi8>, domain = array<f64: -8.000000e+00, 1.250000e-01>, params = array<f64: 1.000000e+00>, layer = "elu"}> : (tensor<2x!fixed.fixed<6, 3, signed>>) -> tensor<2x!fixed.fixed<6, 3, signed>>

func.func @threshold(%x: tensor<2x2x!fixed.fixed<8, 3, signed>>) -> (tensor<2x2x!fixed.fixed<4, 4, signed>>, tensor<2x2x!fixed.fixed<2, 1, unsigned>>) {
  %t = fixed.threshold %x thresholds dense<[[-16, 0, 16], [-8, 8, 24]]> : tensor<2x3xi16> values dense<[[-2, -1, 0, 1], [-1, 0, 1, 2]]> : tensor<2x4xi8> {layer = "q"} : tensor<2x2x!fixed.fixed<8, 3, signed>> -> tensor<2x2x!fixed.fixed<4, 4, signed>>
  %u = fixed.threshold %x thresholds dense<[[0]]> : tensor<1x1xi16> values dense<[[0, 3]]> : tensor<1x2xi8> {error = 0.1 : f64} : tensor<2x2x!fixed.fixed<8, 3, signed>> -> tensor<2x2x!fixed.fixed<2, 1, unsigned>>
  func.return %t, %u : tensor<2x2x!fixed.fixed<4, 4, signed>>, tensor<2x2x!fixed.fixed<2, 1, unsigned>>
}
// fixed.threshold: per channel thresholds [C, L] and values [C, L + 1] (codes), or one row for
// every channel; a one-element attribute prints as a splat.
// CHECK-LABEL: func.func @threshold(
// CHECK-NEXT{LITERAL}: %t = fixed.threshold %x thresholds dense<[[-16, 0, 16], [-8, 8, 24]]> : tensor<2x3xi16> values dense<[[-2, -1, 0, 1], [-1, 0, 1, 2]]> : tensor<2x4xi8> {layer = "q"} : tensor<2x2x!fixed.fixed<8, 3, signed>> -> tensor<2x2x!fixed.fixed<4, 4, signed>>
// CHECK-NEXT{LITERAL}: %u = fixed.threshold %x thresholds dense<0> : tensor<1x1xi16> values dense<[[0, 3]]> : tensor<1x2xi8> {error = 1.000000e-01 : f64} : tensor<2x2x!fixed.fixed<8, 3, signed>> -> tensor<2x2x!fixed.fixed<2, 1, unsigned>>

// GENERIC-LABEL:       "func.func"() <{sym_name = "threshold"
// GENERIC{LITERAL}:    %u = "fixed.threshold"(%x) <{thresholds = dense<0> : tensor<1x1xi16>, values = dense<[[0, 3]]> : tensor<1x2xi8>, error = 1.000000e-01 : f64}> : (tensor<2x2x!fixed.fixed<8, 3, signed>>) -> tensor<2x2x!fixed.fixed<2, 1, unsigned>>
