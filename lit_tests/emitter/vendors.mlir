// The catapult-cpp and oneapi-cpp targets: the same dataflow IR as hls-cpp, spelled with the
// Algorithmic C types (ac_fixed<W, I, S, AC_<rounding>, AC_<overflow>>, ac_int for indices) and each
// vendor's directives before the loop or function they apply to. The IR of this file has a
// threshold, abs, clamp and select (leaky relu); the other RUN lines print the IR of the hls-cpp
// tests: dense, relu, softmax (reduce, sub, lookup, mul) and casts with modes (mlp-latency.mlir),
// conv and pools (conv-parallel.mlir), io_stream kernels with their FIFOs (conv-stream.mlir), a
// recurrence (recurrence.mlir), pad, slice, transpose, resize, concat and reshape (conv-parallel.mlir's
// third design), a per-element cast (cast-each.mlir), reuse-factor rounds
// (reuse-factor.mlir). tests/test_vendors.py builds such designs with g++ and runs them bit for bit.
// RUN: xdsl-opt %s -p 'nn-to-fixed{precision="ap_fixed<8,3>"},fixed-to-dataflow' -t catapult-cpp | filecheck %s --check-prefix=CAT-OPS
// RUN: xdsl-opt %s -p 'nn-to-fixed{precision="ap_fixed<8,3>"},fixed-to-dataflow' -t oneapi-cpp | filecheck %s --check-prefix=ONE-OPS
// RUN: xdsl-opt %S/mlp-latency.mlir -p 'fold-dense-bias,nn-to-fixed{precision="ap_fixed<8,3,AP_RND,AP_SAT>" table-size=4},fixed-to-dataflow' -t catapult-cpp | filecheck %s --check-prefix=CAT-MLP
// RUN: xdsl-opt %S/mlp-latency.mlir -p 'fold-dense-bias,nn-to-fixed{precision="ap_fixed<8,3,AP_RND,AP_SAT>" table-size=4},fixed-to-dataflow' -t oneapi-cpp | filecheck %s --check-prefix=ONE-MLP
// RUN: %python %inputs/chunk.py %S/conv-parallel.mlir 1 | xdsl-opt -p fixed-to-dataflow -t catapult-cpp | filecheck %s --check-prefix=CAT-CONV
// RUN: %python %inputs/chunk.py %S/conv-parallel.mlir 3 | xdsl-opt -p fixed-to-dataflow -t oneapi-cpp | filecheck %s --check-prefix=ONE-MOVES
// RUN: xdsl-opt %S/conv-stream.mlir -p 'fixed-to-dataflow{io-type=io_stream reuse-factor=2},plan-streams,size-fifos' -t catapult-cpp | filecheck %s --check-prefix=CAT-STREAM
// RUN: xdsl-opt %S/conv-stream.mlir -p 'fixed-to-dataflow{io-type=io_stream reuse-factor=2},plan-streams,size-fifos' -t oneapi-cpp | filecheck %s --check-prefix=ONE-STREAM
// RUN: xdsl-opt %S/recurrence.mlir -p 'nn-to-fixed{precision="ap_fixed<8,3>" table-size=16},fixed-to-dataflow' -t catapult-cpp | filecheck %s --check-prefix=CAT-REC
// RUN: xdsl-opt %S/cast-each.mlir -p 'nn-to-fixed{precision="ap_fixed<8,3>"},fixed-to-dataflow' -t oneapi-cpp | filecheck %s --check-prefix=ONE-EACH
// RUN: xdsl-opt %S/reuse-factor.mlir -p 'fixed-to-dataflow{reuse-factor=2 strategy=resource}' -t catapult-cpp | filecheck %s --check-prefix=CAT-REUSE
// RUN: xdsl-opt %S/reuse-factor.mlir -p 'fixed-to-dataflow{reuse-factor=2 strategy=resource}' -t oneapi-cpp | filecheck %s --check-prefix=ONE-REUSE
// RUN: xdsl-opt %S/mlp-latency.mlir -p 'fold-dense-bias,nn-to-fixed{precision="ap_fixed<8,3,AP_RND,AP_SAT>" table-size=4},fixed-to-dataflow' -t vivado-cpp | filecheck %s --check-prefix=VIVADO

func.func @ops(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %t = nn.quant %x scale [0.375] zero_point [0.0] bits 2 round "ROUND" {layer = "odd_scale"} : tensor<4xf32>
  %a = nn.abs %x {layer = "magnitude"} : tensor<4xf32>
  %c = nn.clip %x {min = -1.000000e+00 : f64, max = 5.000000e-01 : f64, layer = "clip"} : tensor<4xf32>
  %l = nn.leaky_relu %x {layer = "leaky", alpha = 0.125 : f64} : tensor<4xf32>
  func.return %t, %a, %c, %l : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// Catapult: the flow of build_prj.tcl, the AC headers, one type per value.
// CAT-OPS:      # ----- build_prj.tcl -----
// CAT-OPS:      solution file add firmware/ops.cpp
// CAT-OPS:      go analyze
// CAT-OPS-NEXT: solution design set ops -top
// CAT-OPS-NEXT: go compile
// CAT-OPS:      go extract
// CAT-OPS-LABEL: // ----- firmware/defines.h -----
// CAT-OPS-NEXT: #pragma once
// CAT-OPS-NEXT: #include "ac_fixed.h"
// CAT-OPS-NEXT: #include "ac_int.h"
// CAT-OPS:      typedef ac_fixed<8, 3, true> input_t;
// CAT-OPS-NEXT: typedef ac_fixed<4, 1, false> result0_t;
// CAT-OPS-LABEL: // ----- firmware/kernels/clip.cpp -----
// CAT-OPS:          #pragma hls_unroll yes
// CAT-OPS-NEXT:     Clamp_1: for (int i = 0; i < 4; i++) {
// CAT-OPS-NEXT:         y[i] = x[i] < clip_t(-1.0) ? clip_t(-1.0) : (x[i] > clip_t(0.5) ? clip_t(0.5) : clip_t(x[i]));
// CAT-OPS-LABEL: // ----- firmware/kernels/leaky.cpp -----
// CAT-OPS:          selected[i] = x[i] > 0 ? leaky_selected_t(x[i]) : leaky_selected_t(prod[i]);
// CAT-OPS-LABEL: // ----- firmware/kernels/magnitude.cpp -----
// CAT-OPS:          abs[i] = x[i] < 0 ? magnitude_abs_t(-x[i]) : magnitude_abs_t(x[i]);
// CAT-OPS-LABEL: // ----- firmware/kernels/odd_scale.cpp -----
// CAT-OPS:          ac_int<2, false> reached = 0;
// CAT-OPS-NEXT:     #pragma hls_unroll yes
// CAT-OPS-NEXT:     for (int j = 0; j < 3; j++) {
// CAT-OPS-NEXT:         if (x[i] >= odd_scale_thresholds[c * 3 + j]) reached++;
// CAT-OPS-NEXT:     }
// CAT-OPS-NEXT:     y[i] = odd_scale_threshold_values[c * 4 + (reached).to_int()];
// CAT-OPS-LABEL: // ----- firmware/ops.cpp -----
// CAT-OPS:      #pragma hls_design top
// CAT-OPS-NEXT: #pragma hls_pipeline_init_interval 1
// CAT-OPS-NEXT: void ops(const input_t x[4], result0_t y0[4], result1_t y1[4], result2_t y2[4], result3_t y3[4]) {
// CAT-OPS-NOT:  #pragma HLS

// oneAPI: Intel's AC types under icpx, ours under g++; no loop labels (an attribute must precede
// the loop statement); the SYCL program, CMake and README.
// ONE-OPS-LABEL: # ----- CMakeLists.txt -----
// ONE-OPS:      add_executable(ops.fpga_emu ${SOURCES})
// ONE-OPS-LABEL: // ----- firmware/defines.h -----
// ONE-OPS-NEXT: #pragma once
// ONE-OPS-NEXT: #ifdef SYCL_LANGUAGE_VERSION
// ONE-OPS-NEXT: #include <sycl/ext/intel/ac_types/ac_fixed.hpp>
// ONE-OPS-NEXT: #include <sycl/ext/intel/ac_types/ac_int.hpp>
// ONE-OPS-NEXT: #else
// ONE-OPS-NEXT: #include "ac_fixed.h"
// ONE-OPS-NEXT: #include "ac_int.h"
// ONE-OPS-NEXT: #endif
// ONE-OPS-LABEL: // ----- firmware/kernels/odd_scale.cpp -----
// ONE-OPS:          #pragma unroll
// ONE-OPS-NEXT:     for (int i = 0; i < 4; i++) {
// ONE-OPS:              #pragma unroll
// ONE-OPS-NEXT:         for (int j = 0; j < 3; j++) {
// ONE-OPS-LABEL: // ----- src/ops_sycl.cpp -----
// ONE-OPS:      void run_on_device(const input_t x[4], odd_scale_t y0[4], magnitude_t y1[4], clip_t y2[4], leaky_t y3[4]) {
// ONE-OPS:          queue().single_task<class ops_kernel>([=]() {{\[\[}}intel::kernel_args_restrict{{\]\]}} {
// ONE-OPS-NEXT:         input_t x_local[4];
// ONE-OPS:              ::ops(x_local, y0_local, y1_local, y2_local, y3_local);
// ONE-OPS:      decltype(::ops)* const ops = &run_on_device;
// ONE-OPS-NEXT: #include "ops_host.h"
// ONE-OPS-NEXT: }  // namespace nn2hls_device

// Every cast spells its modes as AC_*; a lookup's index is the position's low bits as an ac_int.
// CAT-MLP-LABEL: // ----- firmware/kernels/fc1.cpp -----
// CAT-MLP:          y[i] = ac_fixed<8, 3, true, AC_RND, AC_SAT>(acc[i]);
// CAT-MLP-LABEL: // ----- firmware/kernels/sm.cpp -----
// CAT-MLP:          #pragma hls_unroll yes
// CAT-MLP-NEXT:     ReduceOuter_1: for (int o = 0; o < 1; o++) {
// CAT-MLP:              ac_fixed<2, 3, false, AC_TRN, AC_SAT> position = diff[i] - ac_fixed<9, 4, true>(-6.0);  // TRN, SAT: clamps to the table
// CAT-MLP-NEXT:         ac_int<2, false> index = ac_int<2, false>(position.slc<2>(0));
// CAT-MLP-NEXT:         exp_value[i] = sm_exp_table[(index).to_int()];
// CAT-MLP-LABEL: // ----- mlp_host.h -----
// CAT-MLP:              quantized[i] = ac_fixed<8, 3, true, AC_RND, AC_SAT>(in0[i]);
// CAT-MLP:              values[i] = y[i].to_double();
// ONE-MLP-LABEL: // ----- firmware/kernels/sm.cpp -----
// ONE-MLP:          // fixed.sub
// ONE-MLP-NEXT:     #pragma unroll
// ONE-MLP-NEXT:     for (int i = 0; i < 2; i++) {
// ONE-MLP-NEXT:         diff[i] = x[i] - peak[0];

// CAT-CONV-LABEL: // ----- firmware/kernels/conv.cpp -----
// CAT-CONV:          #pragma hls_unroll yes
// CAT-CONV-NEXT:     ConvInit_1: for (int p0 = 0; p0 < 4; p0++) {
// CAT-CONV-NEXT:         #pragma hls_unroll yes
// CAT-CONV-NEXT:         for (int p1 = 0; p1 < 4; p1++) {
// CAT-CONV:              if (i0 >= 0 && i0 < 4 && i1 >= 0 && i1 < 4) acc[p0 * 8 + p1 * 2 + o] += x[i0 * 8 + i1 * 2 + (o / 1 * 1 + c)] * conv_weights[t0 * 4 + t1 * 2 + c * 2 + o];
// CAT-CONV-LABEL: // ----- firmware/kernels/pool.cpp -----
// CAT-CONV:          // fixed.max_pool

// Layout ops: the same moves, with the vendor's loop directives and types.
// ONE-MOVES-LABEL: // ----- firmware/kernels/cat.cpp -----
// ONE-MOVES:          // layout.concat
// ONE-MOVES-NEXT:     #pragma unroll
// ONE-MOVES-NEXT:     for (int i0 = 0; i0 < 2; i0++) {
// ONE-MOVES:          // layout.reshape
// ONE-MOVES-LABEL: // ----- firmware/kernels/move.cpp -----
// ONE-MOVES:          // layout.pad
// ONE-MOVES-NEXT:     #pragma unroll
// ONE-MOVES-NEXT:     for (int i0 = 0; i0 < 4; i0++) {
// ONE-MOVES-NEXT:         #pragma unroll
// ONE-MOVES-NEXT:         for (int i1 = 0; i1 < 3; i1++) {
// ONE-MOVES-NEXT:             y0[i0 * 3 + i1] = ((i0 - 1) >= 0 && (i0 - 1) < 2 && i1 >= 0 && i1 < 3) ? move_out0_t(x[(i0 - 1) * 3 + i1]) : move_out0_t(-0.5);
// ONE-MOVES:          // layout.slice
// ONE-MOVES:              sliced[i0 * 2 + i1] = x[i0 * 3 + (i1 + 1)];
// ONE-MOVES:          // layout.transpose
// ONE-MOVES:              transposed[i0 * 2 + i1] = sliced[i1 * 2 + i0];
// ONE-MOVES:          // layout.resize
// ONE-MOVES:              y3[i0 * 4 + i1] = transposed[i0 * 2 + (i1 / 2)];

// io_stream: ac_channel ports, each kernel a design block, the FIFO depths as channel directives.
// CAT-STREAM-LABEL: # ----- build_prj.tcl -----
// CAT-STREAM:      go assembly
// CAT-STREAM-NEXT: directive set /cnn/conv_out:cns -FIFO_DEPTH 2
// CAT-STREAM-NEXT: directive set /cnn/pool_out:cns -FIFO_DEPTH 2
// CAT-STREAM-NEXT: directive set /cnn/relu_out:cns -FIFO_DEPTH 2
// CAT-STREAM-NEXT: go architect
// CAT-STREAM-LABEL: // ----- firmware/cnn.cpp -----
// CAT-STREAM:      #pragma hls_design top
// CAT-STREAM-NEXT: void cnn(ac_channel<stream_packet<input_t, 1>>& x, ac_channel<stream_packet<fc_t, 2>>& y) {
// CAT-STREAM-EMPTY:
// CAT-STREAM-NEXT:     ac_channel<stream_packet<conv_t, 2>> conv_out;
// CAT-STREAM-NEXT:     conv(x, conv_out);
// CAT-STREAM-NOT:  NN2HLS_BOUNDED_FIFOS
// CAT-STREAM-LABEL: // ----- firmware/defines.h -----
// CAT-STREAM:      #include "ac_channel.h"
// CAT-STREAM-LABEL: // ----- firmware/kernels/conv.cpp -----
// CAT-STREAM:      #pragma hls_design
// CAT-STREAM-NEXT: void conv(ac_channel<stream_packet<input_t, 1>>& x0, ac_channel<stream_packet<conv_t, 2>>& y0) {
// CAT-STREAM:          #pragma hls_pipeline_init_interval 2
// CAT-STREAM-NEXT:     conv_steps: for (int step = 0; step < 21; step++) {

// oneAPI io_stream: kernels are templates over their streams (pipes on the device, FIFOs in C simulation).
// ONE-STREAM-LABEL: // ----- firmware/kernels.h -----
// ONE-STREAM:      #include "kernels/conv.h"
// ONE-STREAM-LABEL: // ----- firmware/kernels/conv.h -----
// ONE-STREAM:      inline void conv_position(const conv_window_t x[2], conv_t y[2]) {
// ONE-STREAM:      template <class X0, class Y0>
// ONE-STREAM-NEXT: void conv(X0& x0, Y0& y0) {
// ONE-STREAM:          {{\[\[}}intel::initiation_interval(2){{\]\]}}
// ONE-STREAM-NEXT:     for (int step = 0; step < 21; step++) {
// ONE-STREAM-LABEL: // ----- src/cnn_sycl.cpp -----
// ONE-STREAM:      using conv_out_pipe = sycl::ext::intel::pipe<class conv_out_id, stream_packet<conv_t, 2>, 2>;
// ONE-STREAM:      running.push_back(queue().single_task<class conv_task>([=]() { x_port x_object; conv_out_port conv_out_object; ::conv(x_object, conv_out_object); }));

// CAT-REC-LABEL: // ----- firmware/kernels/
// CAT-REC:          #pragma hls_pipeline_init_interval 1
// CAT-REC-NEXT:     TimeLoop_2: for (int t = 0; t < 3; t++) {

// ONE-EACH:          static const int elements[2] = {1, 4};
// ONE-EACH-NEXT:     #pragma unroll
// ONE-EACH-NEXT:     for (int j = 0; j < 2; j++) {
// ONE-EACH-NEXT:         const int i = elements[j];
// ONE-EACH-NEXT:         y[i] = ac_fixed<3, 1, false, AC_RND, AC_WRAP>(relu_1[i]);

// The reuse factor's rounds: pipelined at an interval of one round per cycle.
// CAT-REUSE:          #pragma hls_pipeline_init_interval 1
// CAT-REUSE-NEXT:     ReuseLoop_2: for (int round = 0; round < 2; round++) {
// ONE-REUSE:          {{\[\[}}intel::initiation_interval(1){{\]\]}}
// ONE-REUSE-NEXT:     for (int round = 0; round < 2; round++) {

// Vivado HLS: Vitis' C++ with its own script.
// VIVADO:      # ----- build_prj.tcl -----
// VIVADO-NEXT: # Vivado HLS: C simulation and synthesis of mlp.  Run: vivado_hls -f build_prj.tcl
// VIVADO:      open_solution -reset solution1
// VIVADO:      #pragma HLS PIPELINE II=1
