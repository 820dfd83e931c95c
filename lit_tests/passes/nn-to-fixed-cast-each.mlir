// nn-to-fixed on nn.fixed_quant (a type per element, lowering/nn_to_fixed_quant.py): one
// fixed.cast_each with the element types, ap_fixed's rounding for the quantizer's (HALF_POSITIVE is
// RND, FLOOR is TRN) and its overflow, marked `quantizer`; its result type holds every element type.
// A float argument read only by such a quantizer is quantized on the host so that the cast then gives
// exactly what the quantizer gives on the float value: its common type with its modes when every
// element has one step, else one fraction bit finer and truncated (TRN then RND or TRN to a coarser
// step rounds as directly would), saturating (or wrapping, for a wrapping quantizer).
// RUN: xdsl-opt %s -p 'nn-to-fixed{precision="ap_fixed<8,3>"}' | filecheck %s

func.func @one_step(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %y = nn.fixed_quant %x types dense<[[[1, 4, 2], [0, 3, 1], [1, 0, 0]]]> : tensor<1x3x3xi32> round "HALF_POSITIVE" overflow "WRAP" {layer = "q"} : tensor<2x3xf32>
  func.return %y : tensor<2x3xf32>
}
// Columns ap_fixed<4,2>, ap_ufixed<3,1>, pruned: one step 2^-2, codes [-8, 7]: ap_fixed<4,2>, and the
// host rounds with the quantizer's RND and wraps.
// CHECK-LABEL:         func.func @one_step(%x: tensor<2x3xf32>) -> tensor<2x3xf64> {
// CHECK-NEXT:            %0 = fixed.quantize %x RND WRAP quantizer {layer = "x"} : tensor<2x3xf32> -> tensor<2x3x!fixed.fixed<4, 2, signed>>
// CHECK-NEXT{LITERAL}:   %y = fixed.cast_each %0 RND WRAP types dense<[[[1, 4, 2], [0, 3, 1], [1, 0, 0]]]> : tensor<1x3x3xi32> quantizer {layer = "q", layer_type = "Quant"} : tensor<2x3x!fixed.fixed<4, 2, signed>> -> tensor<2x3x!fixed.fixed<4, 2, signed>>

func.func @steps(%x: tensor<3xf32>) -> tensor<3xf32> {
  %y = nn.fixed_quant %x types dense<[[1, 4, 2], [1, 5, 1], [0, 2, 2]]> : tensor<3x3xi32> round "HALF_POSITIVE" overflow "SAT" {layer = "q"} : tensor<3xf32>
  func.return %y : tensor<3xf32>
}
// ap_fixed<4,2>, ap_fixed<5,1>, ap_ufixed<2,2>: steps 2^-2, 2^-4, 2^0. At the finest step 2^-4 their
// codes are [-32, 28], [-16, 15], [0, 48]: the common type ap_fixed<7,3>. The host truncates one
// bit finer, ap_fixed<8,3>, saturating.
// CHECK-LABEL:         func.func @steps(%x: tensor<3xf32>) -> tensor<3xf64> {
// CHECK-NEXT:            %0 = fixed.quantize %x TRN SAT quantizer {layer = "x"} : tensor<3xf32> -> tensor<3x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT{LITERAL}:   %y = fixed.cast_each %0 RND SAT types dense<[[1, 4, 2], [1, 5, 1], [0, 2, 2]]> : tensor<3x3xi32> quantizer {layer = "q", layer_type = "Quant"} : tensor<3x!fixed.fixed<8, 3, signed>> -> tensor<3x!fixed.fixed<7, 3, signed>>

func.func @inside(%x: tensor<3xf32>) -> tensor<3xf32> {
  %r = nn.relu %x {layer = "relu"} : tensor<3xf32>
  %y = nn.fixed_quant %r types dense<[[1, 4, 2], [1, 5, 1], [0, 2, 2]]> : tensor<3x3xi32> round "FLOOR" overflow "SAT_SYM" {layer = "q"} : tensor<3xf32>
  func.return %y : tensor<3xf32>
}
// Inside the design: a cast_each from the relu's type (the input has the default precision).
// CHECK-LABEL:         func.func @inside(%x: tensor<3xf32>) -> tensor<3xf64> {
// CHECK-NEXT:            %0 = fixed.quantize %x TRN WRAP {layer = "x"} : tensor<3xf32> -> tensor<3x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:            %r = fixed.relu %0 {layer = "relu", layer_type = "ReLU"} : tensor<3x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT{LITERAL}:   %y = fixed.cast_each %r TRN SAT_SYM types dense<[[1, 4, 2], [1, 5, 1], [0, 2, 2]]> : tensor<3x3xi32> quantizer {layer = "q", layer_type = "Quant"} : tensor<3x!fixed.fixed<8, 3, signed>> -> tensor<3x!fixed.fixed<7, 3, signed>>
