// The Verilog of layout.pad, layout.resize and a layout.concat of inputs of different types
// (compiler/emitter/verilog_windows.py): pad and resize are wiring, the padding value a literal of
// the type; the concat casts each input of another type exactly into the result's (TRN WRAP through
// verilog_ops' cast functions, constants cast at compile time). tests/test_rtl_cnn.py simulates it.
// RUN: xdsl-opt %s -t verilog | filecheck %s

!x = tensor<2x2x1x!fixed.fixed<6, 2, signed>>
!u = tensor<2x2x1x!fixed.fixed<4, 2, unsigned>>
!p = tensor<3x3x1x!fixed.fixed<6, 2, signed>>
!r = tensor<4x2x1x!fixed.fixed<4, 2, unsigned>>
!k = tensor<2x2x1x!fixed.fixed<3, 1, signed>>
!j = tensor<2x2x3x!fixed.fixed<7, 3, signed>>
func.func @moves(%x: !x, %u: !u) -> (!p, !r, !j) attributes {dataflow.io_type = #dataflow<io_type io_parallel>} {
  %p = dataflow.kernel "pad"(%x) reuse 1 latency : (!x) -> !p {
  ^bb0(%a: !x):
    %y = layout.pad %a {pads = array<i64: 1, 0, 0, 0, 1, 0>, value = -0.5 : f64} : !x -> !p
    dataflow.yield %y : !p
  }
  %r = dataflow.kernel "upsample"(%u) reuse 1 latency : (!u) -> !r {
  ^bb0(%a: !u):
    %y = layout.resize %a {scales = array<i64: 2, 1, 1>} : !u -> !r
    dataflow.yield %y : !r
  }
  %j = dataflow.kernel "join"(%x, %u) reuse 1 latency : (!x, !u) -> !j {
  ^bb0(%a: !x, %b: !u):
    %k = fixed.constant dense<[[[1], [-2]], [[3], [-4]]]> : tensor<2x2x1xi8> as !k
    %y = layout.concat %a, %b, %k axis 2 : (!x, !u, !k) -> !j
    dataflow.yield %y : !j
  }
  func.return %p, %r, %j : !p, !r, !j
}
func.func @moves_host(%x: tensor<2x2x1xf32>, %u: tensor<2x2x1xf32>) -> tensor<3x3x1xf64> {
  %qx = fixed.quantize %x TRN WRAP : tensor<2x2x1xf32> -> !x
  %qu = fixed.quantize %u TRN WRAP : tensor<2x2x1xf32> -> !u
  %r:3 = func.call @moves(%qx, %qu) : (!x, !u) -> (!p, !r, !j)
  %y = fixed.dequantize %r#0 : !p -> tensor<3x3x1xf64>
  func.return %y : tensor<3x3x1xf64>
}

// x <6,2> [2, 2, 1] and u <4,2,unsigned> [2, 2, 1] joined with a constant <3,1> [2, 2, 1] along
// the channels into <7,3>: x sign-extended (the same step), u shifted up 2 bits onto the step of
// 2^-4 after a zero bit, the constant's codes 1, -2, 3, -4 (step 2^-2) as 4, -8 (7'sh78), 12, -16.
// CHECK-LABEL: // ----- rtl/join_.v -----
// CHECK-NEXT:  // layer join: combinational ops, then one register stage
// CHECK-NEXT:  module join_ (
// CHECK-NEXT:      input wire clk,
// CHECK-NEXT:      input wire [23:0] x0,
// CHECK-NEXT:      input wire [15:0] x1,
// CHECK-NEXT:      output wire [83:0] y
// CHECK-NEXT:  );
// CHECK-NEXT:      // fixed.cast ap_fixed<6,2> -> ap_fixed<7,3> TRN WRAP
// CHECK-NEXT:      function signed [6:0] cast;
// CHECK-NEXT:          input signed [5:0] code;
// CHECK-NEXT:          reg signed [7:0] xe;
// CHECK-NEXT:          reg signed [7:0] r;
// CHECK-NEXT:          begin
// CHECK-NEXT:              xe = code;
// CHECK-NEXT:              r = xe;
// CHECK-NEXT:              cast = r;
// CHECK-NEXT:          end
// CHECK-NEXT:      endfunction
// CHECK-NEXT:      // fixed.cast ap_ufixed<4,2> -> ap_fixed<7,3> TRN WRAP
// CHECK-NEXT:      function signed [6:0] cast_1;
// CHECK-NEXT:          input [3:0] code;
// CHECK-NEXT:          reg signed [5:0] xe;
// CHECK-NEXT:          reg signed [7:0] r;
// CHECK-NEXT:          begin
// CHECK-NEXT:              xe = code;
// CHECK-NEXT:              r = xe <<< 2;
// CHECK-NEXT:              cast_1 = r;
// CHECK-NEXT:          end
// CHECK-NEXT:      endfunction
// CHECK:           // layout.concat
// CHECK-NEXT:      wire signed [6:0] joined_in0_0 = cast(x0_0);
// CHECK-NEXT:      wire signed [6:0] joined_in0_1 = cast(x0_1);
// CHECK-NEXT:      wire signed [6:0] joined_in0_2 = cast(x0_2);
// CHECK-NEXT:      wire signed [6:0] joined_in0_3 = cast(x0_3);
// CHECK-NEXT:      wire signed [6:0] joined_in1_0 = cast_1(x1_0);
// CHECK-NEXT:      wire signed [6:0] joined_in1_1 = cast_1(x1_1);
// CHECK-NEXT:      wire signed [6:0] joined_in1_2 = cast_1(x1_2);
// CHECK-NEXT:      wire signed [6:0] joined_in1_3 = cast_1(x1_3);
// CHECK-NEXT:      reg [6:0] y_reg_0;
// CHECK-NEXT:      reg [6:0] y_reg_1;
// CHECK-NEXT:      reg [6:0] y_reg_2;
// CHECK-NEXT:      reg [6:0] y_reg_3;
// CHECK-NEXT:      reg [6:0] y_reg_4;
// CHECK-NEXT:      reg [6:0] y_reg_5;
// CHECK-NEXT:      reg [6:0] y_reg_6;
// CHECK-NEXT:      reg [6:0] y_reg_7;
// CHECK-NEXT:      reg [6:0] y_reg_8;
// CHECK-NEXT:      reg [6:0] y_reg_9;
// CHECK-NEXT:      reg [6:0] y_reg_10;
// CHECK-NEXT:      reg [6:0] y_reg_11;
// CHECK-NEXT:      always @(posedge clk) begin
// CHECK-NEXT:          y_reg_0 <= joined_in0_0;
// CHECK-NEXT:          y_reg_1 <= joined_in1_0;
// CHECK-NEXT:          y_reg_2 <= 7'sh4;
// CHECK-NEXT:          y_reg_3 <= joined_in0_1;
// CHECK-NEXT:          y_reg_4 <= joined_in1_1;
// CHECK-NEXT:          y_reg_5 <= 7'sh78;
// CHECK-NEXT:          y_reg_6 <= joined_in0_2;
// CHECK-NEXT:          y_reg_7 <= joined_in1_2;
// CHECK-NEXT:          y_reg_8 <= 7'shc;
// CHECK-NEXT:          y_reg_9 <= joined_in0_3;
// CHECK-NEXT:          y_reg_10 <= joined_in1_3;
// CHECK-NEXT:          y_reg_11 <= 7'sh70;
// CHECK-NEXT:      end
// CHECK-NEXT:      assign y[6:0] = y_reg_0;
// CHECK-NEXT:      assign y[13:7] = y_reg_1;
// CHECK-NEXT:      assign y[20:14] = y_reg_2;
// CHECK-NEXT:      assign y[27:21] = y_reg_3;
// CHECK-NEXT:      assign y[34:28] = y_reg_4;
// CHECK-NEXT:      assign y[41:35] = y_reg_5;
// CHECK-NEXT:      assign y[48:42] = y_reg_6;
// CHECK-NEXT:      assign y[55:49] = y_reg_7;
// CHECK-NEXT:      assign y[62:56] = y_reg_8;
// CHECK-NEXT:      assign y[69:63] = y_reg_9;
// CHECK-NEXT:      assign y[76:70] = y_reg_10;
// CHECK-NEXT:      assign y[83:77] = y_reg_11;
// CHECK-NEXT:  endmodule

// Padding one row before and one column after with -0.5 (code -8 of <6,2>: 6'sh38): [2, 2, 1] ->
// [3, 3, 1], row-major, the last element of each row and the whole first row the literal.
// CHECK-LABEL: // ----- rtl/pad.v -----
// CHECK-NEXT:  // layer pad: combinational ops, then one register stage
// CHECK-NEXT:  module pad (
// CHECK-NEXT:      input wire clk,
// CHECK-NEXT:      input wire [23:0] x,
// CHECK-NEXT:      output wire [53:0] y
// CHECK-NEXT:  );
// CHECK-NEXT:      wire signed [5:0] x_0 = x[5:0];
// CHECK-NEXT:      wire signed [5:0] x_1 = x[11:6];
// CHECK-NEXT:      wire signed [5:0] x_2 = x[17:12];
// CHECK-NEXT:      wire signed [5:0] x_3 = x[23:18];
// CHECK-NEXT:      // layout.pad
// CHECK-NEXT:      reg [5:0] y_reg_0;
// CHECK-NEXT:      reg [5:0] y_reg_1;
// CHECK-NEXT:      reg [5:0] y_reg_2;
// CHECK-NEXT:      reg [5:0] y_reg_3;
// CHECK-NEXT:      reg [5:0] y_reg_4;
// CHECK-NEXT:      reg [5:0] y_reg_5;
// CHECK-NEXT:      reg [5:0] y_reg_6;
// CHECK-NEXT:      reg [5:0] y_reg_7;
// CHECK-NEXT:      reg [5:0] y_reg_8;
// CHECK-NEXT:      always @(posedge clk) begin
// CHECK-NEXT:          y_reg_0 <= 6'sh38;
// CHECK-NEXT:          y_reg_1 <= 6'sh38;
// CHECK-NEXT:          y_reg_2 <= 6'sh38;
// CHECK-NEXT:          y_reg_3 <= x_0;
// CHECK-NEXT:          y_reg_4 <= x_1;
// CHECK-NEXT:          y_reg_5 <= 6'sh38;
// CHECK-NEXT:          y_reg_6 <= x_2;
// CHECK-NEXT:          y_reg_7 <= x_3;
// CHECK-NEXT:          y_reg_8 <= 6'sh38;
// CHECK-NEXT:      end
// CHECK-NEXT:      assign y[5:0] = y_reg_0;
// CHECK-NEXT:      assign y[11:6] = y_reg_1;
// CHECK-NEXT:      assign y[17:12] = y_reg_2;
// CHECK-NEXT:      assign y[23:18] = y_reg_3;
// CHECK-NEXT:      assign y[29:24] = y_reg_4;
// CHECK-NEXT:      assign y[35:30] = y_reg_5;
// CHECK-NEXT:      assign y[41:36] = y_reg_6;
// CHECK-NEXT:      assign y[47:42] = y_reg_7;
// CHECK-NEXT:      assign y[53:48] = y_reg_8;
// CHECK-NEXT:  endmodule

// Nearest-neighbour upsampling by 2 along the first axis: each row twice.
// CHECK-LABEL: // ----- rtl/upsample.v -----
// CHECK:           // layout.resize
// CHECK-NEXT:      reg [{{[0-9]+}}:0] y_reg_0;
// CHECK-NEXT:      reg [{{[0-9]+}}:0] y_reg_1;
// CHECK-NEXT:      reg [{{[0-9]+}}:0] y_reg_2;
// CHECK-NEXT:      reg [{{[0-9]+}}:0] y_reg_3;
// CHECK-NEXT:      reg [{{[0-9]+}}:0] y_reg_4;
// CHECK-NEXT:      reg [{{[0-9]+}}:0] y_reg_5;
// CHECK-NEXT:      reg [{{[0-9]+}}:0] y_reg_6;
// CHECK-NEXT:      reg [{{[0-9]+}}:0] y_reg_7;
// CHECK-NEXT:      always @(posedge clk) begin
// CHECK-NEXT:          y_reg_0 <= x_0;
// CHECK-NEXT:          y_reg_1 <= x_1;
// CHECK-NEXT:          y_reg_2 <= x_0;
// CHECK-NEXT:          y_reg_3 <= x_1;
// CHECK-NEXT:          y_reg_4 <= x_2;
// CHECK-NEXT:          y_reg_5 <= x_3;
// CHECK-NEXT:          y_reg_6 <= x_2;
// CHECK-NEXT:          y_reg_7 <= x_3;
// CHECK-NEXT:      end
// CHECK-NEXT:      assign y[{{[0-9]+}}:{{[0-9]+}}] = y_reg_0;
// CHECK-NEXT:      assign y[{{[0-9]+}}:{{[0-9]+}}] = y_reg_1;
// CHECK-NEXT:      assign y[{{[0-9]+}}:{{[0-9]+}}] = y_reg_2;
// CHECK-NEXT:      assign y[{{[0-9]+}}:{{[0-9]+}}] = y_reg_3;
// CHECK-NEXT:      assign y[{{[0-9]+}}:{{[0-9]+}}] = y_reg_4;
// CHECK-NEXT:      assign y[{{[0-9]+}}:{{[0-9]+}}] = y_reg_5;
// CHECK-NEXT:      assign y[{{[0-9]+}}:{{[0-9]+}}] = y_reg_6;
// CHECK-NEXT:      assign y[{{[0-9]+}}:{{[0-9]+}}] = y_reg_7;
// CHECK-NEXT:  endmodule
