// The Verilog target at reuse factor R > 1 on hand-written dataflow IR. "fc" (R = 2): a dense of 4
// unsigned inputs and 2 outputs with one zero weight, so 7 products on ceil(7 / 2) = 4 multipliers;
// its bias, relu and cast act on the finished sum. "mm" (R = 3): a dense whose weights are a
// kernel input (muxed wires, not ROMs), 2 rows, 4 products on 2 multipliers. The top's II is the
// largest reuse factor, 3. tests/test_rtl.py simulates this IR.
// RUN: xdsl-opt %s -t verilog | filecheck %s

!x = tensor<4x!fixed.fixed<6, 2, unsigned>>
!w = tensor<4x2x!fixed.fixed<6, 2, signed>>
!b = tensor<2x!fixed.fixed<6, 2, signed>>
!acc = tensor<2x!fixed.fixed<14, 6, signed>>
!h = tensor<2x!fixed.fixed<6, 2, signed>>
!v = tensor<2x2x!fixed.fixed<5, 1, signed>>
!p = tensor<2x1x!fixed.fixed<13, 5, signed>>
func.func @reuse(%x: !x, %v: !v) -> (!h, !p) attributes {dataflow.io_type = #dataflow<io_type io_parallel>} {
  %h = dataflow.kernel "fc"(%x) reuse 2 latency : (!x) -> !h {
  ^bb0(%a: !x):
    %w = fixed.constant dense<[[16, -8], [4, 0], [-24, 12], [8, 20]]> : tensor<4x2xi8> as !w
    %b = fixed.constant dense<[8, -4]> : tensor<2xi8> as !b
    %d = fixed.dense %a, %w, %b : (!x, !w, !b) -> !acc
    %r = fixed.relu %d : !acc
    %c = fixed.cast %r RND SAT : !acc -> !h
    dataflow.yield %c : !h
  }
  %p = dataflow.kernel "mm"(%h, %v) reuse 3 latency : (!h, !v) -> !p {
  ^bb0(%a: !h, %b: !v):
    %k = layout.reshape %a : !h -> tensor<2x1x!fixed.fixed<6, 2, signed>>
    %d = fixed.dense %b, %k : (!v, tensor<2x1x!fixed.fixed<6, 2, signed>>) -> !p
    dataflow.yield %d : !p
  }
  func.return %h, %p : !h, !p
}
func.func @reuse_host(%x: tensor<4xf32>, %v: tensor<2x2xf32>) -> tensor<2x1xf64> {
  %qx = fixed.quantize %x TRN WRAP : tensor<4xf32> -> !x
  %qv = fixed.quantize %v TRN WRAP : tensor<2x2xf32> -> !v
  %r:2 = func.call @reuse(%qx, %qv) : (!x, !v) -> (!h, !p)
  %y = fixed.dequantize %r#1 : !p -> tensor<2x1xf64>
  func.return %y : tensor<2x1xf64>
}

// fc: the step counter (0 in the cycle `start` is high, then up to R - 1 = 1). Products are listed
// output-major without the zero weight w[1][1]: acc_0 takes x_0..x_3 (products 0-3), acc_1 x_0, x_2,
// x_3 (products 4-6). Multiplier l computes product l * 2 + step: its operands are a case on the step
// (the unsigned inputs made signed with a zero bit, the constant weights a ROM of literals, 6'sh28 =
// -24); multiplier 3 has one product (x_3 * 20), so no mux, and it counts only in step 0. Each product
// is evaluated at the accumulator's width <14,6>. acc_e starts at the bias (<<< 4 onto the product
// step) in step 0, else at its register acc_e_sum, and adds the products of this step; in the last
// step it is the whole sum, read by the relu and the cast and loaded into y.
// CHECK-LABEL: // ----- rtl/fc.v -----
// CHECK-NEXT:  // layer fc: reuse factor 2: shared multipliers over 2 steps, then one register stage
// CHECK-NEXT:  module fc (
// CHECK-NEXT:      input wire clk,
// CHECK-NEXT:      input wire rst,
// CHECK-NEXT:      input wire start,
// CHECK-NEXT:      input wire [23:0] x,
// CHECK-NEXT:      output wire [11:0] y
// CHECK-NEXT:  );
// CHECK-NEXT:      // fixed.cast ap_fixed<14,6> -> ap_fixed<6,2> RND SAT
// CHECK-NEXT:      function signed [5:0] cast;
// CHECK-NEXT:          input signed [13:0] code;
// CHECK-NEXT:          reg signed [15:0] xe;
// CHECK-NEXT:          reg signed [15:0] r;
// CHECK-NEXT:          begin
// CHECK-NEXT:              xe = code;
// CHECK-NEXT:              r = (xe >>> 4) + $signed({1'b0, xe[3]});
// CHECK-NEXT:              if (r < 7'sh60) cast = 6'h20;
// CHECK-NEXT:              else if (r > 6'sh1f) cast = 6'h1f;
// CHECK-NEXT:              else cast = r;
// CHECK-NEXT:          end
// CHECK-NEXT:      endfunction
// CHECK-NEXT:      wire [5:0] x_0 = x[5:0];
// CHECK-NEXT:      wire [5:0] x_1 = x[11:6];
// CHECK-NEXT:      wire [5:0] x_2 = x[17:12];
// CHECK-NEXT:      wire [5:0] x_3 = x[23:18];
// CHECK-NEXT:      // the step: 0 when start is high (the inputs' first cycle), then counts up to 1
// CHECK-NEXT:      reg [0:0] step;
// CHECK-NEXT:      always @(posedge clk)
// CHECK-NEXT:          if (rst || step == 1'd1) step <= 1'd0;
// CHECK-NEXT:          else if (start || step != 1'd0) step <= step + 1'd1;
// CHECK-NEXT:      // fixed.dense
// CHECK-NEXT:      wire signed [13:0] acc_0;
// CHECK-NEXT:      wire signed [13:0] acc_1;
// CHECK-NEXT:      // 7 products on 4 multipliers: multiplier l computes product l * 2 + step
// CHECK-NEXT:      reg signed [6:0] mul0_x;
// CHECK-NEXT:      reg signed [5:0] mul0_w;
// CHECK-NEXT:      always @* begin
// CHECK-NEXT:          case (step)
// CHECK-NEXT:              1'd0: begin mul0_x = $signed({1'b0, x_0}); mul0_w = 6'sh10; end
// CHECK-NEXT:              default: begin mul0_x = $signed({1'b0, x_1}); mul0_w = 6'sh4; end
// CHECK-NEXT:          endcase
// CHECK-NEXT:      end
// CHECK-NEXT:      wire signed [13:0] mul0 = mul0_x * mul0_w;
// CHECK-NEXT:      reg signed [6:0] mul1_x;
// CHECK-NEXT:      reg signed [5:0] mul1_w;
// CHECK-NEXT:      always @* begin
// CHECK-NEXT:          case (step)
// CHECK-NEXT:              1'd0: begin mul1_x = $signed({1'b0, x_2}); mul1_w = 6'sh28; end
// CHECK-NEXT:              default: begin mul1_x = $signed({1'b0, x_3}); mul1_w = 6'sh8; end
// CHECK-NEXT:          endcase
// CHECK-NEXT:      end
// CHECK-NEXT:      wire signed [13:0] mul1 = mul1_x * mul1_w;
// CHECK-NEXT:      reg signed [6:0] mul2_x;
// CHECK-NEXT:      reg signed [5:0] mul2_w;
// CHECK-NEXT:      always @* begin
// CHECK-NEXT:          case (step)
// CHECK-NEXT:              1'd0: begin mul2_x = $signed({1'b0, x_0}); mul2_w = 6'sh38; end
// CHECK-NEXT:              default: begin mul2_x = $signed({1'b0, x_2}); mul2_w = 6'shc; end
// CHECK-NEXT:          endcase
// CHECK-NEXT:      end
// CHECK-NEXT:      wire signed [13:0] mul2 = mul2_x * mul2_w;
// CHECK-NEXT:      wire signed [13:0] mul3 = $signed({1'b0, x_3}) * 6'sh14;
// CHECK-NEXT:      reg signed [13:0] acc_0_sum;
// CHECK-NEXT:      always @(posedge clk) acc_0_sum <= acc_0;
// CHECK-NEXT:      assign acc_0 = (step == 1'd0 ? (6'sh8 <<< 4) : acc_0_sum) + mul0 + mul1;
// CHECK-NEXT:      reg signed [13:0] acc_1_sum;
// CHECK-NEXT:      always @(posedge clk) acc_1_sum <= acc_1;
// CHECK-NEXT:      assign acc_1 = (step == 1'd0 ? (6'sh3c <<< 4) : acc_1_sum) + mul2 + (step == 1'd0 ? mul3 : 14'sh0);
// CHECK-NEXT:      // fixed.relu
// CHECK-NEXT:      wire signed [13:0] relu_0;
// CHECK-NEXT:      wire signed [13:0] relu_1;
// CHECK-NEXT:      assign relu_0 = acc_0 > 14'sh0 ? acc_0 : 14'sh0;
// CHECK-NEXT:      assign relu_1 = acc_1 > 14'sh0 ? acc_1 : 14'sh0;
// CHECK-NEXT:      // fixed.cast
// CHECK-NEXT:      wire signed [5:0] cast_0;
// CHECK-NEXT:      wire signed [5:0] cast_1;
// CHECK-NEXT:      assign cast_0 = cast(relu_0);
// CHECK-NEXT:      assign cast_1 = cast(relu_1);
// CHECK-NEXT:      reg [5:0] y_reg_0;
// CHECK-NEXT:      reg [5:0] y_reg_1;
// CHECK-NEXT:      always @(posedge clk) begin
// CHECK-NEXT:          if (step == 1'd1) begin
// CHECK-NEXT:              y_reg_0 <= cast_0;
// CHECK-NEXT:              y_reg_1 <= cast_1;
// CHECK-NEXT:          end
// CHECK-NEXT:      end
// CHECK-NEXT:      assign y[5:0] = y_reg_0;
// CHECK-NEXT:      assign y[11:6] = y_reg_1;
// CHECK-NEXT:  endmodule

// mm: the weights are a kernel input, so both operands are muxed wires; 2 rows (x1 is the 2x2 input)
// of 2 products each, 4 products on ceil(4 / 3) = 2 multipliers. Multiplier 0 serves acc_0 in steps
// 0-1 and acc_1 in step 2; multiplier 1 (one product) counts in step 0 only.
// CHECK-LABEL: // ----- rtl/mm.v -----
// CHECK:           // 4 products on 2 multipliers: multiplier l computes product l * 3 + step
// CHECK-NEXT:      reg signed [4:0] mul0_x;
// CHECK-NEXT:      reg signed [5:0] mul0_w;
// CHECK-NEXT:      always @* begin
// CHECK-NEXT:          case (step)
// CHECK-NEXT:              2'd0: begin mul0_x = x1_0; mul0_w = x0_0; end
// CHECK-NEXT:              2'd1: begin mul0_x = x1_1; mul0_w = x0_1; end
// CHECK-NEXT:              default: begin mul0_x = x1_2; mul0_w = x0_0; end
// CHECK-NEXT:          endcase
// CHECK-NEXT:      end
// CHECK-NEXT:      wire signed [12:0] mul0 = mul0_x * mul0_w;
// CHECK-NEXT:      wire signed [12:0] mul1 = x1_3 * x0_1;
// CHECK-NEXT:      reg signed [12:0] acc_0_sum;
// CHECK-NEXT:      always @(posedge clk) acc_0_sum <= acc_0;
// CHECK-NEXT:      assign acc_0 = (step == 2'd0 ? 13'sh0 : acc_0_sum) + (step <= 2'd1 ? mul0 : 13'sh0);
// CHECK-NEXT:      reg signed [12:0] acc_1_sum;
// CHECK-NEXT:      always @(posedge clk) acc_1_sum <= acc_1;
// CHECK-NEXT:      assign acc_1 = (step == 2'd0 ? 13'sh0 : acc_1_sum) + (step == 2'd2 ? mul0 : 13'sh0) + (step == 2'd0 ? mul1 : 13'sh0);
// CHECK-NEXT:      reg [{{[0-9]+}}:0] y_reg_0;
// CHECK-NEXT:      reg [{{[0-9]+}}:0] y_reg_1;
// CHECK-NEXT:      always @(posedge clk) begin
// CHECK-NEXT:          if (step == 2'd2) begin
// CHECK-NEXT:              y_reg_0 <= acc_0;
// CHECK-NEXT:              y_reg_1 <= acc_1;
// CHECK-NEXT:          end
// CHECK-NEXT:      end
// CHECK-NEXT:      assign y[{{[0-9]+}}:{{[0-9]+}}] = y_reg_0;
// CHECK-NEXT:      assign y[{{[0-9]+}}:{{[0-9]+}}] = y_reg_1;
// CHECK-NEXT:  endmodule

// The top: II = 3 (the largest reuse factor). A sample enters when in_valid and in_ready; the phase
// counter keeps in_ready low for 2 cycles, while the inputs are read held (x0_in). The valid bits
// start each kernel (fc at depth 0 with `accept`, mm at depth 2 with valid[1]); the latency is
// 2 + 3 = 5 (mm after fc), y0 is delayed to meet it and out_valid is valid[4].
// CHECK-LABEL: // ----- rtl/reuse.v -----
// CHECK-NEXT:  // reuse: 2 kernels, R cycles each at reuse factor R; latency 5 cycles, II 3
// CHECK-NEXT:  module reuse (
// CHECK-NEXT:      input wire clk,
// CHECK-NEXT:      input wire rst,
// CHECK-NEXT:      input wire in_valid,
// CHECK-NEXT:      input wire [23:0] x0,
// CHECK-NEXT:      input wire [19:0] x1,
// CHECK-NEXT:      output wire in_ready,
// CHECK-NEXT:      output wire out_valid,
// CHECK-NEXT:      output wire [11:0] y0,
// CHECK-NEXT:      output wire [25:0] y1
// CHECK-NEXT:  );
// CHECK-NEXT:      // a sample enters when in_valid and in_ready are high; phase counts the next 2 cycles,
// CHECK-NEXT:      // in which in_ready is low (II 3) and the kernels read the sample held
// CHECK-NEXT:      wire accept;
// CHECK-NEXT:      assign accept = in_valid && in_ready;
// CHECK-NEXT:      reg [1:0] phase;
// CHECK-NEXT:      always @(posedge clk)
// CHECK-NEXT:          if (rst || phase == 2'd2) phase <= 2'd0;
// CHECK-NEXT:          else if (accept || phase != 2'd0) phase <= phase + 2'd1;
// CHECK-NEXT:      assign in_ready = phase == 2'd0;
// CHECK-NEXT:      reg [23:0] x0_held;
// CHECK-NEXT:      always @(posedge clk) if (accept) x0_held <= x0;
// CHECK-NEXT:      wire [23:0] x0_in = accept ? x0 : x0_held;
// CHECK-NEXT:      reg [19:0] x1_held;
// CHECK-NEXT:      always @(posedge clk) if (accept) x1_held <= x1;
// CHECK-NEXT:      wire [19:0] x1_in = accept ? x1 : x1_held;
// CHECK-NEXT:      reg [4:0] valid;
// CHECK-NEXT:      always @(posedge clk) valid <= rst ? 5'd0 : {valid[3:0], accept};
// CHECK-NEXT:      wire [11:0] fc_out;
// CHECK-NEXT:      fc fc_inst (.clk(clk), .rst(rst), .start(accept), .x(x0_in), .y(fc_out));
// CHECK-NEXT:      reg [19:0] x1_in_d1;
// CHECK-NEXT:      always @(posedge clk) x1_in_d1 <= x1_in;
// CHECK-NEXT:      reg [19:0] x1_in_d2;
// CHECK-NEXT:      always @(posedge clk) x1_in_d2 <= x1_in_d1;
// CHECK-NEXT:      wire [25:0] mm_out;
// CHECK-NEXT:      mm mm_inst (.clk(clk), .rst(rst), .start(valid[1]), .x0(fc_out), .x1(x1_in_d2), .y(mm_out));
// CHECK-NEXT:      reg [11:0] fc_out_d1;
// CHECK-NEXT:      always @(posedge clk) fc_out_d1 <= fc_out;
// CHECK-NEXT:      reg [11:0] fc_out_d2;
// CHECK-NEXT:      always @(posedge clk) fc_out_d2 <= fc_out_d1;
// CHECK-NEXT:      reg [11:0] fc_out_d3;
// CHECK-NEXT:      always @(posedge clk) fc_out_d3 <= fc_out_d2;
// CHECK-NEXT:      assign y0 = fc_out_d3;
// CHECK-NEXT:      assign y1 = mm_out;
// CHECK-NEXT:      assign out_valid = valid[4];
// CHECK-NEXT:  endmodule
