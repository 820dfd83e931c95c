// drop-identity-casts: a fixed.cast to its own type is removed, except SAT_SYM on a signed type
// (which maps the most negative code to -max).
// RUN: xdsl-opt %s -p drop-identity-casts | filecheck %s

func.func @casts(%x: tensor<2x!fixed.fixed<8, 3, signed>>, %u: tensor<2x!fixed.fixed<8, 3, unsigned>>) -> (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<6, 3, signed>>, tensor<2x!fixed.fixed<8, 3, unsigned>>) {
  %a = fixed.cast %x RND SAT : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
  %b = fixed.cast %a TRN SAT_SYM : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
  %c = fixed.cast %a TRN WRAP : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2x!fixed.fixed<6, 3, signed>>
  %d = fixed.cast %u RND_CONV SAT_SYM : tensor<2x!fixed.fixed<8, 3, unsigned>> -> tensor<2x!fixed.fixed<8, 3, unsigned>>
  func.return %a, %b, %c, %d : tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<6, 3, signed>>, tensor<2x!fixed.fixed<8, 3, unsigned>>
}
// CHECK-LABEL: func.func @casts(
// CHECK-NEXT:    %b = fixed.cast %x TRN SAT_SYM : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:    %c = fixed.cast %x TRN WRAP : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2x!fixed.fixed<6, 3, signed>>
// CHECK-NEXT:    func.return %x, %b, %c, %u : tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<6, 3, signed>>, tensor<2x!fixed.fixed<8, 3, unsigned>>
