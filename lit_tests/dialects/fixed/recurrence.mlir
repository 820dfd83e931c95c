// fixed.recurrence round-trips: the sequence, the initial states after `init`, the body of one
// step (its arguments: a step of the sequence, then the states) ending in fixed.yield (the step's
// output, then the next states).
// RUN: xdsl-opt %s | filecheck %s
// RUN: xdsl-opt %s | xdsl-opt | filecheck %s

%x = "test.op"() : () -> tensor<3x2x!fixed.fixed<8, 3, signed>>
%h0 = "test.op"() : () -> tensor<2x!fixed.fixed<8, 3, signed>>
%y, %h = fixed.recurrence(%x) init(%h0) {layer = "r", reverse, model_bounds = array<f64: 2.0, 2.0>} : (tensor<3x2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) -> (tensor<3x2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) {
^bb0(%xt: tensor<2x!fixed.fixed<8, 3, signed>>, %hp: tensor<2x!fixed.fixed<8, 3, signed>>):
  %s = fixed.add %xt, %hp : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<9, 4, signed>>
  %c = fixed.cast %s RND SAT : tensor<2x!fixed.fixed<9, 4, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
  fixed.yield %c, %c : tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>
}
// CHECK:      %y, %h = fixed.recurrence(%x) init(%h0) {layer = "r", reverse, model_bounds = array<f64: 2.000000e+00, 2.000000e+00>} : (tensor<3x2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) -> (tensor<3x2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) {
// CHECK-NEXT: ^bb0(%xt: tensor<2x!fixed.fixed<8, 3, signed>>, %hp: tensor<2x!fixed.fixed<8, 3, signed>>):
// CHECK-NEXT:   %s = fixed.add %xt, %hp : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<9, 4, signed>>
// CHECK-NEXT:   %c = fixed.cast %s RND SAT : tensor<2x!fixed.fixed<9, 4, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   fixed.yield %c, %c : tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT: }
