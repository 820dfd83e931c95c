// The Verilog of pipeline-registers' stages (lit_tests/passes/pipeline-registers.mlir) at 1 ns:
// a register per product and per partial sum after each listed level of the dense layer's tree (the
// bias constant needs none), the cast reading the last stage, and the output register ending stage 4:
// 5 cycles for fc1 in the top's depth rule. tests/test_rtl.py simulates such designs bit for bit.
// RUN: xdsl-opt %S/mlp-latency.mlir -p 'fold-dense-bias,nn-to-fixed{precision="ap_fixed<8,3,AP_RND,AP_SAT>" table-size=4},fixed-to-dataflow,pipeline-registers{clock-period=1.0}' -t verilog | filecheck %s

// CHECK-LABEL: // ----- rtl/fc1.v -----
// CHECK-NEXT:  // layer fc1: 5 pipeline stages (registers where pipeline-registers put them), the last the output register
// CHECK:           // fixed.dense
// CHECK:           reg signed [18:0] acc_0_l0;
// CHECK-NEXT:      always @(posedge clk) acc_0_l0 <= x_0 * 8'sh10;
// CHECK:           reg signed [18:0] acc_0_l1;
// CHECK-NEXT:      always @(posedge clk) acc_0_l1 <= ((8'sh8 <<< 5) + acc_0_l0);
// CHECK:           reg signed [18:0] acc_0_l2{{.*}};
// CHECK:           assign acc_0 = ({{.*}});
// CHECK:           // fixed.cast (stage 4)
// CHECK:           always @(posedge clk) begin
// CHECK-NEXT:          y_reg_0 <= cast_0;
// CHECK-NEXT:          y_reg_1 <= cast_1;
// CHECK-NEXT:      end
// CHECK-NEXT:      assign y[7:0] = y_reg_0;
// CHECK-NEXT:      assign y[15:8] = y_reg_1;
// CHECK-LABEL: // ----- rtl/mlp.v -----
// CHECK:       // mlp: 3 kernels, pipelined (pipeline-registers); latency 13 cycles, II 1
