// The C++ of a recurrent kernel: the states live in the arrays of the recurrence's final states,
// start as the `init` constants, and are overwritten with the next states after the whole step;
// each step copies its slice of the sequence in and its output out, at position s = T-1-t for a
// reverse layer. At reuse factor 1 the time loop is pipelined; the top runs the kernels as a
// dataflow (a pipelined top would unroll the time loop).
// RUN: xdsl-opt %s -p 'nn-to-fixed{precision="ap_fixed<8,3>" table-size=16},fixed-to-dataflow' -t hls-cpp | filecheck %s

func.func @rnn(%x: tensor<3x2xf32>) -> tensor<3x1xf32> {
  %w = nn.constant dense<[[0.5], [-0.25]]> : tensor<2x1xf32>
  %r = nn.constant dense<[[0.5]]> : tensor<1x1xf32>
  %b = nn.constant dense<[0.25]> : tensor<1xf32>
  %h0 = nn.constant dense<[0.5]> : tensor<1xf32>
  %y, %h = nn.simple_rnn %x, %w, %r, %b, %b, %h0 {layer = "rnn", reverse} : (tensor<3x2xf32>, tensor<2x1xf32>, tensor<1x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> (tensor<3x1xf32>, tensor<1xf32>)
  func.return %y : tensor<3x1xf32>
}
// CHECK-LABEL: // ----- firmware/kernels/rnn_1.cpp -----
// CHECK:       void rnn_1(const input_t x[6], rnn_1_t y[3]) {
// The final state (unused outside) is a local array: the state's storage. (The kernel is rnn_1:
// the design function is rnn.)
// CHECK:           rnn_1_seq_t [[STATE:seq]][1];
// CHECK:           input_t step[2];
// CHECK:           StateInit_{{[0-9]+}}: for (int i = 0; i < 1; i++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          [[STATE]][i] = rnn_1_constant[i];
// CHECK:           TimeLoop_{{[0-9]+}}: for (int t = 0; t < 3; t++) {
// CHECK-NEXT:          #pragma HLS PIPELINE II=1
// CHECK-NEXT:          const int s = 2 - t;
// CHECK-NEXT:          for (int i = 0; i < 2; i++) {
// CHECK-NEXT:              #pragma HLS UNROLL
// CHECK-NEXT:              step[i] = x[s * 2 + i];
// CHECK-NEXT:          }
// The step's ops read the step and the state arrays:
// CHECK:               acc[r * 1 + j] += step[r * 2 + i] * rnn_1_weights[i * 1 + j];
// CHECK:               acc_1[r * 1 + j] += [[STATE]][r * 1 + i] * rnn_1_weights_1[i * 1 + j];
// CHECK:               // fixed.lookup
// CHECK:               // fixed.cast
// Then the output at the step's position, and the next state:
// CHECK:               y[s * 1 + i] = cast[i];
// CHECK:               [[STATE]][i] = cast[i];
// CHECK-NEXT:          }
// CHECK-NEXT:      }
// CHECK-LABEL: // ----- firmware/rnn.cpp -----
// CHECK:       #pragma HLS DATAFLOW
