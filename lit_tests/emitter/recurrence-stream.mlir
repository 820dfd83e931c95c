// A recurrent kernel in io_stream (plan-streams' "sequence" kind, compiler/emitter/stream.py): one
// time step per packet of the input sequence, the state kept inside the kernel (starting at the
// `init` constant); the step's output packet leaves as soon as the step is computed. A reversed
// recurrence needs its whole sequence first: a buffer kernel. size-fifos schedules a sequence
// kernel like a pixel kernel (a step per packet at its reuse factor), the final states after the
// last step.
// RUN: xdsl-opt %s -p 'nn-to-fixed{precision="ap_fixed<8,3>" table-size=16},fixed-to-dataflow{io-type=io_stream},plan-streams,size-fifos' | filecheck %s --check-prefix=PLAN
// RUN: xdsl-opt %s -p 'nn-to-fixed{precision="ap_fixed<8,3>" table-size=16},fixed-to-dataflow{io-type=io_stream},plan-streams,size-fifos' -t hls-cpp | filecheck %s

func.func @rnn(%x: tensor<3x2xf32>) -> (tensor<3x1xf32>, tensor<1xf32>) {
  %w = nn.constant dense<[[0.5], [-0.25]]> : tensor<2x1xf32>
  %r = nn.constant dense<[[0.5]]> : tensor<1x1xf32>
  %b = nn.constant dense<[0.25]> : tensor<1xf32>
  %h0 = nn.constant dense<[0.5]> : tensor<1xf32>
  %y, %h = nn.simple_rnn %x, %w, %r, %b, %b, %h0 {layer = "rnn"} : (tensor<3x2xf32>, tensor<2x1xf32>, tensor<1x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> (tensor<3x1xf32>, tensor<1xf32>)
  %yr, %hr = nn.simple_rnn %x, %w, %r, %b, %b, %h0 {layer = "back", reverse} : (tensor<3x2xf32>, tensor<2x1xf32>, tensor<1x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> (tensor<3x1xf32>, tensor<1xf32>)
  func.return %y, %hr : tensor<3x1xf32>, tensor<1xf32>
}
// The input arrives at cycles 0, 1, 2 and is forked (cycles 1, 2, 3); the forward layer writes step t
// one cycle after reading it (2, 3, 4); the reversed one reads all three, then writes its state at
// 3 + 1 = 4: the last packet leaves at cycle 4, a latency of 5.
// PLAN:       dataflow.latency = 5 : i64
// PLAN:       dataflow.kernel "rnn_1"(%{{.*}}) reuse 1 latency {layer = "rnn", layer_type = "SimpleRNN", stream = "sequence", fifo_depths = array<i64: 2>}
// PLAN:         fixed.constant
// PLAN:         fixed.recurrence
// PLAN:       dataflow.kernel "back"(%{{.*}}) reuse 1 latency {layer = "back", layer_type = "SimpleRNN", stream = "buffer", fifo_depths = array<i64: 2>}

// CHECK-LABEL: // ----- firmware/kernels/back.cpp -----
// CHECK:           // io_stream: buffer kernel
// CHECK-LABEL: // ----- firmware/kernels/rnn_1.cpp -----
// CHECK:       void rnn_1(hls::stream<stream_packet<fork_out0_t, 2>>& x0, hls::stream<stream_packet<rnn_1_t, 1>>& y0) {
// CHECK-NEXT:      // io_stream: sequence kernel
// CHECK-NEXT:      #pragma HLS INLINE off
// CHECK-NEXT:      rnn_1_state_t state[1];
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=state complete
// CHECK-NEXT:      fork_out0_t step[2];
// CHECK-NEXT:      #pragma HLS ARRAY_PARTITION variable=step complete
// CHECK-NEXT:      StateInit_{{[0-9]+}}: for (int i = 0; i < 1; i++) {
// CHECK-NEXT:          #pragma HLS UNROLL
// CHECK-NEXT:          state[i] = rnn_1_constant[i];
// CHECK-NEXT:      }
// CHECK:           rnn_1_steps: for (int t = 0; t < 3; t++) {
// CHECK-NEXT:          #pragma HLS PIPELINE II=1
// CHECK-NEXT:          stream_packet<fork_out0_t, 2> x0_packet = x0.read();
// CHECK-NEXT:          for (int i = 0; i < 2; i++) {
// CHECK-NEXT:              #pragma HLS UNROLL
// CHECK-NEXT:              step[i] = x0_packet.data[i];
// CHECK-NEXT:          }
// The step's ops read the step and the state arrays:
// CHECK:                   acc[r * 1 + j] += step[r * 2 + i] * rnn_1_weights[i * 1 + j];
// CHECK:                   acc_1[r * 1 + j] += state[r * 1 + i] * rnn_1_weights_1[i * 1 + j];
// CHECK:               // fixed.cast
// Then the step's output packet, and the next state:
// CHECK:               stream_packet<rnn_1_t, 1> out0;
// CHECK-NEXT:          for (int c = 0; c < 1; c++) {
// CHECK-NEXT:              #pragma HLS UNROLL
// CHECK-NEXT:              out0.data[c] = cast[c];
// CHECK-NEXT:          }
// CHECK-NEXT:          y0.write(out0);
// CHECK-NEXT:          for (int i = 0; i < 1; i++) {
// CHECK-NEXT:              #pragma HLS UNROLL
// CHECK-NEXT:              state[i] = cast[i];
// CHECK-NEXT:          }
// CHECK-NEXT:      }
// CHECK-NEXT:  }
