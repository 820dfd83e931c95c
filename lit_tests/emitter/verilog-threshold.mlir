// The Verilog of fixed.threshold (compiler/emitter/verilog_windows.py; the comparator count of
// kernels.py emit_threshold): per element the comparisons x >= t with its channel's thresholds added
// into a count, which reads the op's values from a ROM at row * (L + 1) + count. Thresholds at or
// below the input type's minimum are always reached (counted in the ROM address), those above its
// maximum never (left out); a row left with none gives a constant. Comparisons are signed (an
// unsigned input is widened by a zero bit). tests/test_rtl_cnn.py simulates this IR.
// RUN: xdsl-opt %s -t verilog | filecheck %s

!x = tensor<2x3x!fixed.fixed<6, 2, signed>>
!y = tensor<2x3x!fixed.fixed<3, 2, signed>>
!u = tensor<4x!fixed.fixed<4, 2, unsigned>>
!v = tensor<4x!fixed.fixed<2, 2, unsigned>>
func.func @thresholds(%x: !x, %u: !u) -> (!y, !v) attributes {dataflow.io_type = #dataflow<io_type io_parallel>} {
  %y = dataflow.kernel "per_channel"(%x) reuse 1 latency : (!x) -> !y {
  ^bb0(%a: !x):
    %q = fixed.threshold %a thresholds dense<[[-33, -8, 8], [-5, 0, 31], [-40, -33, 40]]> : tensor<3x3xi16> values dense<[[-2, -1, 0, 1], [1, 0, -1, -2], [0, 1, 1, -1]]> : tensor<3x4xi8> : !x -> !y
    dataflow.yield %q : !y
  }
  %v = dataflow.kernel "one_row"(%u) reuse 1 latency : (!u) -> !v {
  ^bb0(%a: !u):
    %q = fixed.threshold %a thresholds dense<[[-1, 3, 9, 16]]> : tensor<1x4xi16> values dense<[[0, 1, 2, 3, 3]]> : tensor<1x5xi8> : !u -> !v
    dataflow.yield %q : !v
  }
  func.return %y, %v : !y, !v
}
func.func @thresholds_host(%x: tensor<2x3xf32>, %u: tensor<4xf32>) -> tensor<2x3xf64> {
  %qx = fixed.quantize %x TRN WRAP : tensor<2x3xf32> -> !x
  %qu = fixed.quantize %u TRN WRAP : tensor<4xf32> -> !u
  %r:2 = func.call @thresholds(%qx, %qu) : (!x, !u) -> (!y, !v)
  %y = fixed.dequantize %r#0 : !y -> tensor<2x3xf64>
  func.return %y : tensor<2x3xf64>
}

// One row for every element, of an unsigned <4,2> input (codes 0..15): -1 is always reached (the
// address starts at 1), 16 never; 3 and 9 are compared: a 2-bit count of two comparators.
// CHECK-LABEL: // ----- rtl/one_row.v -----
// CHECK-NEXT:  // layer one_row: combinational ops, then one register stage
// CHECK-NEXT:  module one_row (
// CHECK-NEXT:      input wire clk,
// CHECK-NEXT:      input wire [15:0] x,
// CHECK-NEXT:      output wire [7:0] y
// CHECK-NEXT:  );
// CHECK-NEXT:      // fixed.threshold: 1 row of 5 values of ap_ufixed<2,2> (row r, count n at r * 5 + n)
// CHECK-NEXT:      reg [1:0] quantized_values [0:4];
// CHECK-NEXT:      initial begin
// CHECK-NEXT:          quantized_values[0] = 2'h0;
// CHECK-NEXT:          quantized_values[1] = 2'h1;
// CHECK-NEXT:          quantized_values[2] = 2'h2;
// CHECK-NEXT:          quantized_values[3] = 2'h3;
// CHECK-NEXT:          quantized_values[4] = 2'h3;
// CHECK-NEXT:      end
// CHECK-NEXT:      wire [3:0] x_0 = x[3:0];
// CHECK-NEXT:      wire [3:0] x_1 = x[7:4];
// CHECK-NEXT:      wire [3:0] x_2 = x[11:8];
// CHECK-NEXT:      wire [3:0] x_3 = x[15:12];
// CHECK-NEXT:      // fixed.threshold
// CHECK-NEXT:      wire [1:0] quantized_0;
// CHECK-NEXT:      wire [1:0] quantized_1;
// CHECK-NEXT:      wire [1:0] quantized_2;
// CHECK-NEXT:      wire [1:0] quantized_3;
// CHECK-NEXT:      wire [1:0] quantized_0_count;
// CHECK-NEXT:      assign quantized_0_count = ($signed({1'b0, x_0}) >= 3'sh3) + ($signed({1'b0, x_0}) >= 5'sh9);
// CHECK-NEXT:      assign quantized_0 = quantized_values[3'h1 + quantized_0_count];
// CHECK-NEXT:      wire [1:0] quantized_1_count;
// CHECK-NEXT:      assign quantized_1_count = ($signed({1'b0, x_1}) >= 3'sh3) + ($signed({1'b0, x_1}) >= 5'sh9);
// CHECK-NEXT:      assign quantized_1 = quantized_values[3'h1 + quantized_1_count];
// CHECK:           assign quantized_3 = quantized_values[3'h1 + quantized_3_count];
// CHECK-NEXT:      reg [1:0] y_reg_0;
// CHECK-NEXT:      reg [1:0] y_reg_1;
// CHECK-NEXT:      reg [1:0] y_reg_2;
// CHECK-NEXT:      reg [1:0] y_reg_3;
// CHECK-NEXT:      always @(posedge clk) begin
// CHECK-NEXT:          y_reg_0 <= quantized_0;
// CHECK-NEXT:          y_reg_1 <= quantized_1;
// CHECK-NEXT:          y_reg_2 <= quantized_2;
// CHECK-NEXT:          y_reg_3 <= quantized_3;
// CHECK-NEXT:      end
// CHECK-NEXT:      assign y[1:0] = y_reg_0;
// CHECK-NEXT:      assign y[3:2] = y_reg_1;
// CHECK-NEXT:      assign y[5:4] = y_reg_2;
// CHECK-NEXT:      assign y[7:6] = y_reg_3;
// CHECK-NEXT:  endmodule

// A row per channel (3 channels, 3 thresholds each) of a signed <6,2> input (codes -32..31): row 0
// has -33 always reached (address 0 * 4 + 1) and compares -8 (5'sh18) and 8; row 1 compares all three
// (-5, 0 and 31, the maximum: 6'sh1f) from address 4; row 2 (-40, -33 always, 40 never) is the
// constant values[2][2] = 1. Elements 0..5 are channels 0, 1, 2, 0, 1, 2.
// CHECK-LABEL: // ----- rtl/per_channel.v -----
// CHECK:           // fixed.threshold: 3 rows of 4 values of ap_fixed<3,2> (row r, count n at r * 4 + n)
// CHECK-NEXT:      reg [2:0] quantized_values [0:11];
// CHECK-NEXT:      initial begin
// CHECK-NEXT:          quantized_values[0] = 3'h6;
// CHECK-NEXT:          quantized_values[1] = 3'h7;
// CHECK-NEXT:          quantized_values[2] = 3'h0;
// CHECK-NEXT:          quantized_values[3] = 3'h1;
// CHECK-NEXT:          quantized_values[4] = 3'h1;
// CHECK:               quantized_values[11] = 3'h7;
// CHECK-NEXT:      end
// CHECK:           // fixed.threshold
// CHECK-NEXT:      wire signed [2:0] quantized_0;
// CHECK:           wire signed [2:0] quantized_5;
// CHECK-NEXT:      wire [1:0] quantized_0_count;
// CHECK-NEXT:      assign quantized_0_count = (x_0 >= 5'sh18) + (x_0 >= 5'sh8);
// CHECK-NEXT:      assign quantized_0 = quantized_values[4'h1 + quantized_0_count];
// CHECK-NEXT:      wire [1:0] quantized_1_count;
// CHECK-NEXT:      assign quantized_1_count = ((x_1 >= 4'shb) + (x_1 >= 1'sh0)) + (x_1 >= 6'sh1f);
// CHECK-NEXT:      assign quantized_1 = quantized_values[4'h4 + quantized_1_count];
// CHECK-NEXT:      assign quantized_2 = 3'sh1;
// CHECK-NEXT:      wire [1:0] quantized_3_count;
// CHECK-NEXT:      assign quantized_3_count = (x_3 >= 5'sh18) + (x_3 >= 5'sh8);
// CHECK-NEXT:      assign quantized_3 = quantized_values[4'h1 + quantized_3_count];
// CHECK:           assign quantized_5 = 3'sh1;
// CHECK-NEXT:      reg [{{[0-9]+}}:0] y_reg_0;
// CHECK-NEXT:      reg [{{[0-9]+}}:0] y_reg_1;
// CHECK-NEXT:      reg [{{[0-9]+}}:0] y_reg_2;
// CHECK-NEXT:      reg [{{[0-9]+}}:0] y_reg_3;
// CHECK-NEXT:      reg [{{[0-9]+}}:0] y_reg_4;
// CHECK-NEXT:      reg [{{[0-9]+}}:0] y_reg_5;
// CHECK-NEXT:      always @(posedge clk) begin
// CHECK-NEXT:          y_reg_0 <= quantized_0;
// CHECK-NEXT:          y_reg_1 <= quantized_1;
// CHECK-NEXT:          y_reg_2 <= quantized_2;
// CHECK-NEXT:          y_reg_3 <= quantized_3;
// CHECK-NEXT:          y_reg_4 <= quantized_4;
// CHECK-NEXT:          y_reg_5 <= quantized_5;
