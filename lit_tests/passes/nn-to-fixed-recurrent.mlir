// nn-to-fixed of the recurrent layers: a `fixed.recurrence` whose body is ONE time step in exact
// arithmetic (two dense layers for all gates at once, their exact sum, a slice per gate, sigmoid and
// tanh tables, exact products), each state cast into its type at the end of the step (the only
// rounding), the initial states as constants in those types.
// RUN: xdsl-opt %s -p 'nn-to-fixed{precision="ap_fixed<8,3>" table-size=16}' | filecheck %s
// Under `auto` the state types are proven: h in [-1, 1] gets 2 integer bits, an LSTM's c grows by
// at most 1 a step (3 steps: |c| <= 3, 3 integer bits), both with the default's 10 fraction bits.
// RUN: xdsl-opt %s -p 'nn-to-fixed{precision="auto" table-size=16}' | filecheck %s --check-prefix=AUTO

func.func @lstm(%x: tensor<3x2xf32>) -> tensor<3x1xf32> {
  %w = nn.constant dense<[[0.5, -0.25, 1.0, 0.75], [0.25, 0.5, -0.5, 1.0]]> : tensor<2x4xf32>
  %r = nn.constant dense<[[0.5, 0.25, -1.0, 0.5]]> : tensor<1x4xf32>
  %b = nn.constant dense<[0.25, 0.0, 0.0, -0.25]> : tensor<4xf32>
  %rb = nn.constant dense<[0.0, 0.5, 0.0, 0.0]> : tensor<4xf32>
  %z = nn.constant dense<[0.0]> : tensor<1xf32>
  %y, %h, %c = nn.lstm %x, %w, %r, %b, %rb, %z, %z {layer = "lstm"} : (tensor<3x2xf32>, tensor<2x4xf32>, tensor<1x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> (tensor<3x1xf32>, tensor<1xf32>, tensor<1xf32>)
  func.return %y : tensor<3x1xf32>
}
// CHECK-LABEL: func.func @lstm
// CHECK:      %[[H0:.*]] = fixed.constant dense<0> : tensor<1xi8> as tensor<1x!fixed.fixed<8, 3, signed>> {layer = "lstm", layer_type = "LSTM"}
// CHECK:      fixed.recurrence(%{{.*}}) init(%[[H0]], %{{.*}}) {layer = "lstm", model_bounds = array<f64: 1.000000e+00, 1.000000e+00, 3.000000e+00>, layer_type = "LSTM"}
// CHECK-SAME: : (tensor<3x2x!fixed.fixed<8, 3, signed>>, tensor<1x!fixed.fixed<8, 3, signed>>, tensor<1x!fixed.fixed<8, 3, signed>>) -> (tensor<3x1x!fixed.fixed<8, 3, signed>>, tensor<1x!fixed.fixed<8, 3, signed>>, tensor<1x!fixed.fixed<8, 3, signed>>)
// CHECK-NEXT: ^{{.*}}(%[[XT:.*]]: tensor<2x!fixed.fixed<8, 3, signed>>, %[[HP:.*]]: tensor<1x!fixed.fixed<8, 3, signed>>, %[[CP:.*]]: tensor<1x!fixed.fixed<8, 3, signed>>):
// The input's gates with both biases (b + rb), the state's gates without: one MAC array each.
// CHECK:        %[[GX:.*]] = fixed.dense %[[XT]], %{{.*}}, %{{.*}} {layer = "lstm"} : {{.*}} -> tensor<4x!fixed.fixed<{{.*}}>>
// CHECK:        %[[GH:.*]] = fixed.dense %[[HP]], %{{.*}} {layer = "lstm"}
// CHECK-NEXT:   %[[PRE:.*]] = fixed.add %[[GX]], %[[GH]]
// Gates i, f, g, o: slices of the sum.
// CHECK-NEXT:   %[[I:.*]] = layout.slice %[[PRE]] {offsets = array<i64: 0>, sizes = array<i64: 1>
// CHECK-NEXT:   %[[F:.*]] = layout.slice %[[PRE]] {offsets = array<i64: 1>, sizes = array<i64: 1>
// CHECK-NEXT:   %[[G:.*]] = layout.slice %[[PRE]] {offsets = array<i64: 2>, sizes = array<i64: 1>
// CHECK-NEXT:   %[[O:.*]] = layout.slice %[[PRE]] {offsets = array<i64: 3>, sizes = array<i64: 1>
// CHECK-NEXT:   %[[SI:.*]] = fixed.lookup "sigmoid" %[[I]]
// CHECK-NEXT:   %[[SF:.*]] = fixed.lookup "sigmoid" %[[F]]
// CHECK-NEXT:   %[[SO:.*]] = fixed.lookup "sigmoid" %[[O]]
// CHECK-NEXT:   %[[TG:.*]] = fixed.lookup "tanh" %[[G]]
// c' = f c + i g, exact, then the cast into c's type with the precision's modes (TRN, WRAP here)
// CHECK-NEXT:   %[[FC:.*]] = fixed.mul %[[SF]], %[[CP]]
// CHECK-NEXT:   %[[IG:.*]] = fixed.mul %[[SI]], %[[TG]]
// CHECK-NEXT:   %[[CS:.*]] = fixed.add %[[FC]], %[[IG]]
// CHECK-NEXT:   %[[CN:.*]] = fixed.cast %[[CS]] TRN WRAP {layer = "lstm"} : {{.*}} -> tensor<1x!fixed.fixed<8, 3, signed>>
// h' = o tanh(c'), cast into h's type
// CHECK-NEXT:   %[[TC:.*]] = fixed.lookup "tanh" %[[CN]]
// CHECK-NEXT:   %[[OT:.*]] = fixed.mul %[[SO]], %[[TC]]
// CHECK-NEXT:   %[[HN:.*]] = fixed.cast %[[OT]] TRN WRAP
// CHECK-NEXT:   fixed.yield %[[HN]], %[[HN]], %[[CN]] : tensor<1x!fixed.fixed<8, 3, signed>>, tensor<1x!fixed.fixed<8, 3, signed>>, tensor<1x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT: }
// AUTO-LABEL: func.func @lstm
// AUTO:       fixed.recurrence
// AUTO-SAME:  -> (tensor<3x1x!fixed.fixed<12, 2, signed>>, tensor<1x!fixed.fixed<12, 2, signed>>, tensor<1x!fixed.fixed<13, 3, signed>>)
// AUTO:       fixed.cast %{{.*}} RND SAT {layer = "lstm"} : {{.*}} -> tensor<1x!fixed.fixed<13, 3, signed>>
// AUTO:       fixed.cast %{{.*}} RND SAT {layer = "lstm"} : {{.*}} -> tensor<1x!fixed.fixed<12, 2, signed>>

func.func @gru(%x: tensor<2x1xf32>) -> tensor<2x1xf32> {
  %w = nn.constant dense<[[0.5, -0.25, 1.0]]> : tensor<1x3xf32>
  %r = nn.constant dense<[[0.5, 0.25, -1.0]]> : tensor<1x3xf32>
  %b = nn.constant dense<[0.25, 0.0, 0.5]> : tensor<3xf32>
  %rb = nn.constant dense<[0.0, 0.5, 0.25]> : tensor<3xf32>
  %z = nn.constant dense<[0.0]> : tensor<1xf32>
  %y, %h = nn.gru %x, %w, %r, %b, %rb, %z {layer = "gru", linear_before_reset, reverse} : (tensor<2x1xf32>, tensor<1x3xf32>, tensor<1x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<1xf32>) -> (tensor<2x1xf32>, tensor<1xf32>)
  func.return %y : tensor<2x1xf32>
}
// The reset gate scales the state's part of n, bias included (linear_before_reset): the input's
// dense holds b_z + rb_z, b_r + rb_r, b_n; the state's only rb_n. h' = n + z (h - n).
// CHECK-LABEL: func.func @gru
// CHECK:        fixed.recurrence(%{{.*}}) init(%{{.*}}) {layer = "gru", reverse, model_bounds = array<f64: 1.000000e+00, 1.000000e+00>, layer_type = "GRU"}
// CHECK:        %[[GX:.*]] = fixed.dense %{{.*}}, %{{.*}}, %{{.*}} {layer = "gru"}
// CHECK:        %[[GH:.*]] = fixed.dense %{{.*}}, %{{.*}}, %{{.*}} {layer = "gru"}
// CHECK:        %[[Z:.*]] = fixed.lookup "sigmoid"
// CHECK-NEXT:   %{{.*}} = layout.slice %{{.*}} {offsets = array<i64: 1>, sizes = array<i64: 1>
// CHECK-NEXT:   %[[R:.*]] = fixed.lookup "sigmoid"
// CHECK-NEXT:   %[[NX:.*]] = layout.slice %[[GX]] {offsets = array<i64: 2>, sizes = array<i64: 1>
// CHECK-NEXT:   %[[NH:.*]] = layout.slice %[[GH]] {offsets = array<i64: 2>, sizes = array<i64: 1>
// CHECK-NEXT:   %[[RN:.*]] = fixed.mul %[[R]], %[[NH]]
// CHECK-NEXT:   %[[NP:.*]] = fixed.add %[[NX]], %[[RN]]
// CHECK-NEXT:   %[[N:.*]] = fixed.lookup "tanh" %[[NP]]
// CHECK-NEXT:   %[[D:.*]] = fixed.sub %{{.*}}, %[[N]]
// CHECK-NEXT:   %[[ZD:.*]] = fixed.mul %[[Z]], %[[D]]
// CHECK-NEXT:   %[[S:.*]] = fixed.add %[[N]], %[[ZD]]
// CHECK-NEXT:   %[[HN:.*]] = fixed.cast %[[S]] TRN WRAP
// CHECK-NEXT:   fixed.yield %[[HN]], %[[HN]]
