// The Verilog of fixed.max_pool and fixed.sum_pool (compiler/emitter/verilog_windows.py): per output
// element a balanced tree over the window's positions inside the input (comparators for the max,
// adders at the result's width for the sum); padding never wins a max and adds nothing to a sum, and
// a window entirely in the padding is the emulator's padding value (the type's minimum, or 0).
// tests/test_rtl_cnn.py simulates this IR against the interpreter.
// RUN: xdsl-opt %s -t verilog | filecheck %s

!x = tensor<3x3x2x!fixed.fixed<6, 2, signed>>
!p = tensor<2x2x2x!fixed.fixed<6, 2, signed>>
!u = tensor<5x2x!fixed.fixed<4, 2, unsigned>>
!s = tensor<3x2x!fixed.fixed<6, 4, unsigned>>
!e = tensor<2x1x!fixed.fixed<5, 3, signed>>
!m = tensor<4x1x!fixed.fixed<5, 3, signed>>
!t = tensor<4x1x!fixed.fixed<6, 4, signed>>
func.func @pools(%x: !x, %u: !u, %e: !e) -> (!p, !s, !m, !t) attributes {dataflow.io_type = #dataflow<io_type io_parallel>} {
  %p = dataflow.kernel "max"(%x) reuse 1 latency : (!x) -> !p {
  ^bb0(%a: !x):
    %r = fixed.max_pool %a {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : !x -> !p
    dataflow.yield %r : !p
  }
  %s = dataflow.kernel "sum"(%u) reuse 1 latency : (!u) -> !s {
  ^bb0(%a: !u):
    %r = fixed.sum_pool %a {kernel = array<i64: 3>, strides = array<i64: 2>, pads = array<i64: 1, 1>} : !u -> !s
    dataflow.yield %r : !s
  }
  %m, %t = dataflow.kernel "edges"(%e) reuse 1 latency : (!e) -> (!m, !t) {
  ^bb0(%a: !e):
    %r = fixed.max_pool %a {kernel = array<i64: 1>, strides = array<i64: 1>, pads = array<i64: 1, 1>} : !e -> !m
    %q = fixed.sum_pool %a {kernel = array<i64: 1>, strides = array<i64: 1>, pads = array<i64: 1, 1>} : !e -> !t
    dataflow.yield %r, %q : !m, !t
  }
  func.return %p, %s, %m, %t : !p, !s, !m, !t
}
func.func @pools_host(%x: tensor<3x3x2xf32>, %u: tensor<5x2xf32>, %e: tensor<2x1xf32>) -> tensor<2x2x2xf64> {
  %qx = fixed.quantize %x TRN WRAP : tensor<3x3x2xf32> -> !x
  %qu = fixed.quantize %u TRN WRAP : tensor<5x2xf32> -> !u
  %qe = fixed.quantize %e TRN WRAP : tensor<2x1xf32> -> !e
  %r:4 = func.call @pools(%qx, %qu, %qe) : (!x, !u, !e) -> (!p, !s, !m, !t)
  %y = fixed.dequantize %r#0 : !p -> tensor<2x2x2xf64>
  func.return %y : tensor<2x2x2xf64>
}

// Kernel 1, padding 1 on each side of 2 positions: outputs 0 and 3 lie in the padding, -16
// (5'sh10, the minimum of <5,3>) for the max, 0 for the sum (into <6,4>).
// CHECK-LABEL: // ----- rtl/edges.v -----
// CHECK-NEXT:  // layer edges: combinational ops, then one register stage
// CHECK-NEXT:  module edges (
// CHECK-NEXT:      input wire clk,
// CHECK-NEXT:      input wire [9:0] x,
// CHECK-NEXT:      output wire [19:0] y0,
// CHECK-NEXT:      output wire [23:0] y1
// CHECK-NEXT:  );
// CHECK-NEXT:      wire signed [4:0] x_0 = x[4:0];
// CHECK-NEXT:      wire signed [4:0] x_1 = x[9:5];
// CHECK-NEXT:      // fixed.max_pool
// CHECK-NEXT:      wire signed [4:0] pooled_0;
// CHECK-NEXT:      wire signed [4:0] pooled_1;
// CHECK-NEXT:      wire signed [4:0] pooled_2;
// CHECK-NEXT:      wire signed [4:0] pooled_3;
// CHECK-NEXT:      assign pooled_0 = 5'sh10;
// CHECK-NEXT:      assign pooled_1 = x_0;
// CHECK-NEXT:      assign pooled_2 = x_1;
// CHECK-NEXT:      assign pooled_3 = 5'sh10;
// CHECK-NEXT:      // fixed.sum_pool
// CHECK-NEXT:      wire signed [5:0] window_sum_0;
// CHECK-NEXT:      wire signed [5:0] window_sum_1;
// CHECK-NEXT:      wire signed [5:0] window_sum_2;
// CHECK-NEXT:      wire signed [5:0] window_sum_3;
// CHECK-NEXT:      assign window_sum_0 = 6'sh0;
// CHECK-NEXT:      assign window_sum_1 = x_0;
// CHECK-NEXT:      assign window_sum_2 = x_1;
// CHECK-NEXT:      assign window_sum_3 = 6'sh0;
// CHECK-NEXT:      reg [4:0] y0_reg_0;
// CHECK-NEXT:      reg [4:0] y0_reg_1;
// CHECK-NEXT:      reg [4:0] y0_reg_2;
// CHECK-NEXT:      reg [4:0] y0_reg_3;
// CHECK-NEXT:      reg [5:0] y1_reg_0;
// CHECK-NEXT:      reg [5:0] y1_reg_1;
// CHECK-NEXT:      reg [5:0] y1_reg_2;
// CHECK-NEXT:      reg [5:0] y1_reg_3;
// CHECK-NEXT:      always @(posedge clk) begin
// CHECK-NEXT:          y0_reg_0 <= pooled_0;
// CHECK-NEXT:          y0_reg_1 <= pooled_1;
// CHECK-NEXT:          y0_reg_2 <= pooled_2;
// CHECK-NEXT:          y0_reg_3 <= pooled_3;
// CHECK-NEXT:          y1_reg_0 <= window_sum_0;
// CHECK-NEXT:          y1_reg_1 <= window_sum_1;
// CHECK-NEXT:          y1_reg_2 <= window_sum_2;
// CHECK-NEXT:          y1_reg_3 <= window_sum_3;
// CHECK-NEXT:      end
// CHECK-NEXT:      assign y0[4:0] = y0_reg_0;
// CHECK-NEXT:      assign y0[9:5] = y0_reg_1;
// CHECK-NEXT:      assign y0[14:10] = y0_reg_2;
// CHECK-NEXT:      assign y0[19:15] = y0_reg_3;
// CHECK-NEXT:      assign y1[5:0] = y1_reg_0;
// CHECK-NEXT:      assign y1[11:6] = y1_reg_1;
// CHECK-NEXT:      assign y1[17:12] = y1_reg_2;
// CHECK-NEXT:      assign y1[23:18] = y1_reg_3;
// CHECK-NEXT:  endmodule

// A 2x2 max pool, stride 2, padding 1 on every side, of x[3, 3, 2] (x_<(i * 3 + j) * 2 + c>): the
// window of output (0, 0) holds only x[0, 0], that of (0, 1) x[0, 1] and x[0, 2], that of (1, 1) all
// four of x[1..2, 1..2] (a tree of three comparators, signed as the type).
// CHECK-LABEL: // ----- rtl/max.v -----
// CHECK:           // fixed.max_pool
// CHECK-NEXT:      wire signed [5:0] pooled_0;
// CHECK:           wire signed [5:0] pooled_7;
// CHECK-NEXT:      assign pooled_0 = x_0;
// CHECK-NEXT:      assign pooled_1 = x_1;
// CHECK-NEXT:      wire signed [5:0] pooled_2_max;
// CHECK-NEXT:      assign pooled_2_max = x_2 > x_4 ? x_2 : x_4;
// CHECK-NEXT:      assign pooled_2 = pooled_2_max;
// CHECK:           wire signed [5:0] pooled_6_max;
// CHECK-NEXT:      assign pooled_6_max = x_8 > x_10 ? x_8 : x_10;
// CHECK-NEXT:      wire signed [5:0] pooled_6_max_1;
// CHECK-NEXT:      assign pooled_6_max_1 = x_14 > x_16 ? x_14 : x_16;
// CHECK-NEXT:      wire signed [5:0] pooled_6_max_2;
// CHECK-NEXT:      assign pooled_6_max_2 = pooled_6_max > pooled_6_max_1 ? pooled_6_max : pooled_6_max_1;
// CHECK-NEXT:      assign pooled_6 = pooled_6_max_2;
// CHECK:           reg [{{[0-9]+}}:0] y_reg_0;
// CHECK-NEXT:      reg [{{[0-9]+}}:0] y_reg_1;
// CHECK-NEXT:      reg [{{[0-9]+}}:0] y_reg_2;
// CHECK-NEXT:      reg [{{[0-9]+}}:0] y_reg_3;
// CHECK-NEXT:      reg [{{[0-9]+}}:0] y_reg_4;
// CHECK-NEXT:      reg [{{[0-9]+}}:0] y_reg_5;
// CHECK-NEXT:      reg [{{[0-9]+}}:0] y_reg_6;
// CHECK-NEXT:      reg [{{[0-9]+}}:0] y_reg_7;
// CHECK-NEXT:      always @(posedge clk) begin
// CHECK-NEXT:          y_reg_0 <= pooled_0;
// CHECK-NEXT:          y_reg_1 <= pooled_1;
// CHECK-NEXT:          y_reg_2 <= pooled_2;
// CHECK-NEXT:          y_reg_3 <= pooled_3;
// CHECK-NEXT:          y_reg_4 <= pooled_4;
// CHECK-NEXT:          y_reg_5 <= pooled_5;
// CHECK-NEXT:          y_reg_6 <= pooled_6;
// CHECK-NEXT:          y_reg_7 <= pooled_7;

// A 1-D sum pool of an unsigned <4,2> input, kernel 3, stride 2, padding 1: windows of 2, 3 and 2
// positions inside, added unsigned at the 6 bits of <6,4>.
// CHECK-LABEL: // ----- rtl/sum.v -----
// CHECK:           // fixed.sum_pool
// CHECK-NEXT:      wire [5:0] window_sum_0;
// CHECK-NEXT:      wire [5:0] window_sum_1;
// CHECK-NEXT:      wire [5:0] window_sum_2;
// CHECK-NEXT:      wire [5:0] window_sum_3;
// CHECK-NEXT:      wire [5:0] window_sum_4;
// CHECK-NEXT:      wire [5:0] window_sum_5;
// CHECK-NEXT:      assign window_sum_0 = x_0 + x_2;
// CHECK-NEXT:      assign window_sum_1 = x_1 + x_3;
// CHECK-NEXT:      assign window_sum_2 = (x_2 + x_4) + x_6;
// CHECK-NEXT:      assign window_sum_3 = (x_3 + x_5) + x_7;
// CHECK-NEXT:      assign window_sum_4 = x_6 + x_8;
// CHECK-NEXT:      assign window_sum_5 = x_7 + x_9;
// CHECK-NEXT:      reg [{{[0-9]+}}:0] y_reg_0;
// CHECK-NEXT:      reg [{{[0-9]+}}:0] y_reg_1;
// CHECK-NEXT:      reg [{{[0-9]+}}:0] y_reg_2;
// CHECK-NEXT:      reg [{{[0-9]+}}:0] y_reg_3;
// CHECK-NEXT:      reg [{{[0-9]+}}:0] y_reg_4;
// CHECK-NEXT:      reg [{{[0-9]+}}:0] y_reg_5;
// CHECK-NEXT:      always @(posedge clk) begin
// CHECK-NEXT:          y_reg_0 <= window_sum_0;
// CHECK-NEXT:          y_reg_1 <= window_sum_1;
// CHECK-NEXT:          y_reg_2 <= window_sum_2;
// CHECK-NEXT:          y_reg_3 <= window_sum_3;
// CHECK-NEXT:          y_reg_4 <= window_sum_4;
// CHECK-NEXT:          y_reg_5 <= window_sum_5;
