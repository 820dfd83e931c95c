// The Verilog of fixed.conv (compiler/emitter/verilog_windows.py): per output element one balanced
// adder tree of the products of its taps inside the input, evaluated at the accumulator's width and
// assigned to it; taps in the padding and products of zero weights left out; the bias aligned to
// the product step. tests/test_rtl_cnn.py simulates this IR against the interpreter.
// RUN: xdsl-opt %s -t verilog | filecheck %s

!x1 = tensor<5x2x!fixed.fixed<6, 2, signed>>
!w1 = tensor<2x1x2x!fixed.fixed<4, 1, signed>>
!b1 = tensor<2x!fixed.fixed<5, 2, signed>>
!y1 = tensor<3x2x!fixed.fixed<12, 5, signed>>
!x2 = tensor<3x3x2x!fixed.fixed<4, 2, unsigned>>
!w2 = tensor<2x2x1x2x!fixed.fixed<3, 1, signed>>
!y2 = tensor<2x2x2x!fixed.fixed<9, 5, signed>>
func.func @convs(%x: !x1, %u: !x2) -> (!y1, !y2) attributes {dataflow.io_type = #dataflow<io_type io_parallel>} {
  %y = dataflow.kernel "grouped"(%x) reuse 1 latency : (!x1) -> !y1 {
  ^bb0(%a: !x1):
    %w = fixed.constant dense<[[[3, -2]], [[0, 5]]]> : tensor<2x1x2xi8> as !w1
    %b = fixed.constant dense<[4, -3]> : tensor<2xi8> as !b1
    %c = fixed.conv %a, %w, %b {strides = array<i64: 2>, dilations = array<i64: 2>, pads = array<i64: 1, 2>, groups = 2 : i64} : (!x1, !w1, !b1) -> !y1
    dataflow.yield %c : !y1
  }
  %z = dataflow.kernel "depthwise"(%u) reuse 1 latency : (!x2) -> !y2 {
  ^bb0(%a: !x2):
    %w = fixed.constant dense<[[[[1, -4]], [[2, 0]]], [[[-1, 3]], [[0, 2]]]]> : tensor<2x2x1x2xi8> as !w2
    %c = fixed.conv %a, %w {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 1, 1>, groups = 2 : i64} : (!x2, !w2) -> !y2
    dataflow.yield %c : !y2
  }
  func.return %y, %z : !y1, !y2
}
func.func @convs_host(%x: tensor<5x2xf32>, %u: tensor<3x3x2xf32>) -> tensor<3x2xf64> {
  %qx = fixed.quantize %x TRN WRAP : tensor<5x2xf32> -> !x1
  %qu = fixed.quantize %u TRN WRAP : tensor<3x3x2xf32> -> !x2
  %r:2 = func.call @convs(%qx, %qu) : (!x1, !x2) -> (!y1, !y2)
  %y = fixed.dequantize %r#0 : !y1 -> tensor<3x2xf64>
  func.return %y : tensor<3x2xf64>
}

// A 2x2 depthwise conv (2 groups of one channel) of an unsigned <4,2> input, stride 2, padding 1 at
// the end of each axis: x[3, 3, 2] (x_<(i * 3 + j) * 2 + c>) -> acc[2, 2, 2] of <9,5>. The
// unsigned elements are widened by a zero bit and made signed; the weights are 3-bit signed literals
// (3'sh7 = -1, 3'sh4 = -4); channel 0 reads x_0, x_2, x_6 (the fourth tap's weight is 0), channel 1
// x_1, x_7, x_9 (the second tap's is 0). At position (0, 1) the taps of column 2 lie in the padding;
// at (1, 1) only the tap (0, 0) is inside.
// CHECK-LABEL: // ----- rtl/depthwise.v -----
// CHECK-NEXT:  // layer depthwise: combinational ops, then one register stage
// CHECK-NEXT:  module depthwise (
// CHECK-NEXT:      input wire clk,
// CHECK-NEXT:      input wire [71:0] x,
// CHECK-NEXT:      output wire [71:0] y
// CHECK-NEXT:  );
// CHECK-NEXT:      wire [3:0] x_0 = x[3:0];
// CHECK:           wire [3:0] x_17 = x[71:68];
// CHECK-NEXT:      // fixed.conv
// CHECK-NEXT:      wire signed [8:0] acc_0;
// CHECK-NEXT:      wire signed [8:0] acc_1;
// CHECK-NEXT:      wire signed [8:0] acc_2;
// CHECK-NEXT:      wire signed [8:0] acc_3;
// CHECK-NEXT:      wire signed [8:0] acc_4;
// CHECK-NEXT:      wire signed [8:0] acc_5;
// CHECK-NEXT:      wire signed [8:0] acc_6;
// CHECK-NEXT:      wire signed [8:0] acc_7;
// CHECK-NEXT:      assign acc_0 = ($signed({1'b0, x_0}) * 3'sh1 + $signed({1'b0, x_2}) * 3'sh2) + $signed({1'b0, x_6}) * 3'sh7;
// CHECK-NEXT:      assign acc_1 = ($signed({1'b0, x_1}) * 3'sh4 + $signed({1'b0, x_7}) * 3'sh3) + $signed({1'b0, x_9}) * 3'sh2;
// CHECK-NEXT:      assign acc_2 = $signed({1'b0, x_4}) * 3'sh1 + $signed({1'b0, x_10}) * 3'sh7;
// CHECK-NEXT:      assign acc_3 = $signed({1'b0, x_5}) * 3'sh4 + $signed({1'b0, x_11}) * 3'sh3;
// CHECK-NEXT:      assign acc_4 = $signed({1'b0, x_12}) * 3'sh1 + $signed({1'b0, x_14}) * 3'sh2;
// CHECK-NEXT:      assign acc_5 = $signed({1'b0, x_13}) * 3'sh4;
// CHECK-NEXT:      assign acc_6 = $signed({1'b0, x_16}) * 3'sh1;
// CHECK-NEXT:      assign acc_7 = $signed({1'b0, x_17}) * 3'sh4;
// CHECK-NEXT:      reg [8:0] y_reg_0;
// CHECK-NEXT:      reg [8:0] y_reg_1;
// CHECK-NEXT:      reg [8:0] y_reg_2;
// CHECK-NEXT:      reg [8:0] y_reg_3;
// CHECK-NEXT:      reg [8:0] y_reg_4;
// CHECK-NEXT:      reg [8:0] y_reg_5;
// CHECK-NEXT:      reg [8:0] y_reg_6;
// CHECK-NEXT:      reg [8:0] y_reg_7;
// CHECK-NEXT:      always @(posedge clk) begin
// CHECK-NEXT:          y_reg_0 <= acc_0;
// CHECK-NEXT:          y_reg_1 <= acc_1;
// CHECK-NEXT:          y_reg_2 <= acc_2;
// CHECK-NEXT:          y_reg_3 <= acc_3;
// CHECK-NEXT:          y_reg_4 <= acc_4;
// CHECK-NEXT:          y_reg_5 <= acc_5;
// CHECK-NEXT:          y_reg_6 <= acc_6;
// CHECK-NEXT:          y_reg_7 <= acc_7;
// CHECK-NEXT:      end
// CHECK-NEXT:      assign y[8:0] = y_reg_0;
// CHECK-NEXT:      assign y[17:9] = y_reg_1;
// CHECK-NEXT:      assign y[26:18] = y_reg_2;
// CHECK-NEXT:      assign y[35:27] = y_reg_3;
// CHECK-NEXT:      assign y[44:36] = y_reg_4;
// CHECK-NEXT:      assign y[53:45] = y_reg_5;
// CHECK-NEXT:      assign y[62:54] = y_reg_6;
// CHECK-NEXT:      assign y[71:63] = y_reg_7;
// CHECK-NEXT:  endmodule

// A 1-D conv of x[5, 2] <6,2> with 2 groups, kernel 2, stride 2, dilation 2, padding 1 before and 2
// after: acc[p, o] reads x[2p + 2t - 1, o] (x_<i * 2 + o>), so position 0 has only its tap 1,
// position 2 only its tap 0. The <12,5> accumulator has 7 fraction bits: the products' (4 + 3), the
// <5,2> bias (4 = 5'sh4, -3 = 5'sh1d) shifted up by 4. w[1, 0, 0] = 0 leaves acc_0 the bias alone.
// CHECK-LABEL: // ----- rtl/grouped.v -----
// CHECK-NEXT:  // layer grouped: combinational ops, then one register stage
// CHECK-NEXT:  module grouped (
// CHECK-NEXT:      input wire clk,
// CHECK-NEXT:      input wire [59:0] x,
// CHECK-NEXT:      output wire [71:0] y
// CHECK-NEXT:  );
// CHECK-NEXT:      wire signed [5:0] x_0 = x[5:0];
// CHECK:           wire signed [5:0] x_9 = x[59:54];
// CHECK-NEXT:      // fixed.conv
// CHECK-NEXT:      wire signed [11:0] acc_0;
// CHECK-NEXT:      wire signed [11:0] acc_1;
// CHECK-NEXT:      wire signed [11:0] acc_2;
// CHECK-NEXT:      wire signed [11:0] acc_3;
// CHECK-NEXT:      wire signed [11:0] acc_4;
// CHECK-NEXT:      wire signed [11:0] acc_5;
// CHECK-NEXT:      assign acc_0 = (5'sh4 <<< 4);
// CHECK-NEXT:      assign acc_1 = (5'sh1d <<< 4) + x_3 * 4'sh5;
// CHECK-NEXT:      assign acc_2 = (5'sh4 <<< 4) + x_2 * 4'sh3;
// CHECK-NEXT:      assign acc_3 = ((5'sh1d <<< 4) + x_3 * 4'she) + x_7 * 4'sh5;
// CHECK-NEXT:      assign acc_4 = (5'sh4 <<< 4) + x_6 * 4'sh3;
// CHECK-NEXT:      assign acc_5 = (5'sh1d <<< 4) + x_7 * 4'she;
// CHECK-NEXT:      reg [11:0] y_reg_0;
// CHECK-NEXT:      reg [11:0] y_reg_1;
// CHECK-NEXT:      reg [11:0] y_reg_2;
// CHECK-NEXT:      reg [11:0] y_reg_3;
// CHECK-NEXT:      reg [11:0] y_reg_4;
// CHECK-NEXT:      reg [11:0] y_reg_5;
// CHECK-NEXT:      always @(posedge clk) begin
// CHECK-NEXT:          y_reg_0 <= acc_0;
// CHECK-NEXT:          y_reg_1 <= acc_1;
// CHECK-NEXT:          y_reg_2 <= acc_2;
// CHECK-NEXT:          y_reg_3 <= acc_3;
// CHECK-NEXT:          y_reg_4 <= acc_4;
// CHECK-NEXT:          y_reg_5 <= acc_5;
// CHECK-NEXT:      end
// CHECK-NEXT:      assign y[11:0] = y_reg_0;
// CHECK-NEXT:      assign y[23:12] = y_reg_1;
// CHECK-NEXT:      assign y[35:24] = y_reg_2;
// CHECK-NEXT:      assign y[47:36] = y_reg_3;
// CHECK-NEXT:      assign y[59:48] = y_reg_4;
// CHECK-NEXT:      assign y[71:60] = y_reg_5;
// CHECK-NEXT:  endmodule
