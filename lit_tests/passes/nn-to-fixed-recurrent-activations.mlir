// nn-to-fixed of a GRU whose gates are hard sigmoids and whose candidate is a scaled tanh (ONNX's
// HardSigmoid and ScaledTanh, `activation_params` (alpha, beta) per activation): the cell's
// activations are built as the layers' are (lowering/activation_ops.py). A gate reads its
// pre-activation in the layer's type (one cast, as a layer's activation reads its result), then
// clamp(alpha x + beta, 0, 1) exactly; the candidate is alpha tanh(beta x): a product, the tanh
// table, a product. Both are bounded (the gate in [0, 1], the candidate within |alpha|), so `auto`
// proves the state's type: |h| <= 1.5 needs 2 integer bits and a sign.
// RUN: xdsl-opt %s -p 'nn-to-fixed{precision="ap_fixed<8,3>" table-size=16}' | filecheck %s
// RUN: xdsl-opt %s -p 'nn-to-fixed{precision="auto" table-size=16}' | filecheck %s --check-prefix=AUTO

func.func @gru(%x: tensor<2x1xf32>) -> tensor<2x1xf32> {
  %w = nn.constant dense<[[0.5, -0.25, 1.0]]> : tensor<1x3xf32>
  %r = nn.constant dense<[[0.25, 0.5, -0.5]]> : tensor<1x3xf32>
  %b = nn.constant dense<[0.0, 0.0, 0.0]> : tensor<3xf32>
  %z = nn.constant dense<[0.0]> : tensor<1xf32>
  %y, %h = nn.gru %x, %w, %r, %b, %b, %z {layer = "gru", activations = ["hard_sigmoid", "scaled_tanh"], activation_params = array<f64: 0.25, 0.5, 1.5, 0.75>} : (tensor<2x1xf32>, tensor<1x3xf32>, tensor<1x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<1xf32>) -> (tensor<2x1xf32>, tensor<1xf32>)
  func.return %y : tensor<2x1xf32>
}
// CHECK-LABEL: func.func @gru
// CHECK:        fixed.recurrence(%{{.*}}) init(%{{.*}}) {layer = "gru", model_bounds = array<f64: 1.500000e+00, 1.500000e+00>, layer_type = "GRU"}
// The update gate: the pre-activation cast to ap_fixed<8,3>, times 0.25 (8 at 5 fraction bits),
// plus 0.5, clamped to [0, 1] (1 is code 1024 of the sum's 10 fraction bits):
// CHECK:        %[[Z:.*]] = fixed.cast %{{.*}} TRN WRAP {layer = "gru"} : tensor<1x!fixed.fixed<18, 8, signed>> -> tensor<1x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %[[ALPHA:.*]] = fixed.constant dense<8> : tensor<i8> as tensor<!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %[[BETA:.*]] = fixed.constant dense<16> : tensor<i8> as tensor<!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   %[[SCALED:.*]] = fixed.mul %[[Z]], %[[ALPHA]]
// CHECK-NEXT:   %[[SHIFTED:.*]] = fixed.add %[[SCALED]], %[[BETA]]
// CHECK-NEXT:   fixed.clamp %[[SHIFTED]] low 0 : i64 high 1024 : i64
// The candidate: times beta (0.75: 24), the tanh table, times alpha (1.5: 48):
// CHECK:        fixed.constant dense<24> : tensor<i8> as tensor<!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   fixed.mul
// CHECK-NEXT:   fixed.lookup "tanh"
// CHECK-NEXT:   fixed.constant dense<48> : tensor<i8> as tensor<!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:   fixed.mul
// AUTO-LABEL:  func.func @gru
// AUTO:        fixed.recurrence(%{{.*}}) init(%{{.*}}) {layer = "gru", model_bounds = array<f64: 1.500000e+00, 1.500000e+00>, layer_type = "GRU"}
// AUTO:        fixed.cast %{{.*}} RND WRAP infer
// AUTO:        fixed.clamp
// AUTO:        fixed.yield
