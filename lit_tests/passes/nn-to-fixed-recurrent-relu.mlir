// nn-to-fixed of a simple RNN with relu: no table, the state cast into the result type. Its state
// has no bound (relu does not saturate), so `auto` cannot prove a type for it: one line naming the layer.
// RUN: xdsl-opt %s -p 'nn-to-fixed{precision="ap_fixed<8,3>"}' | filecheck %s
// RUN: not xdsl-opt %s -p 'nn-to-fixed{precision="auto"}' 2>&1 | filecheck %s --check-prefix=AUTO
// AUTO: dialects.errors.CompileError: layer 'rnn': a SimpleRNN with activations relu has an unbounded state: give it a result precision, not auto

func.func @rnn(%x: tensor<2x1xf32>) -> tensor<2x1xf32> {
  %w = nn.constant dense<[[0.5]]> : tensor<1x1xf32>
  %r = nn.constant dense<[[0.25]]> : tensor<1x1xf32>
  %b = nn.constant dense<[0.25]> : tensor<1xf32>
  %z = nn.constant dense<[0.0]> : tensor<1xf32>
  %y, %h = nn.simple_rnn %x, %w, %r, %b, %z, %z {layer = "rnn", activation = "relu"} : (tensor<2x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> (tensor<2x1xf32>, tensor<1xf32>)
  func.return %y : tensor<2x1xf32>
}
// relu needs no table; the state has no bound the model keeps (no model_bounds).
// CHECK-LABEL: func.func @rnn
// CHECK:        fixed.recurrence(%{{.*}}) init(%{{.*}}) {layer = "rnn", layer_type = "SimpleRNN"} :
// CHECK:        %[[PRE:.*]] = fixed.add
// CHECK-NEXT:   %[[A:.*]] = fixed.relu %[[PRE]]
// CHECK-NEXT:   %[[HN:.*]] = fixed.cast %[[A]] TRN WRAP
// CHECK-NEXT:   fixed.yield %[[HN]], %[[HN]]
