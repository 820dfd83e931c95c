// pipeline-registers: each reuse-1 kernel's ops get the stage they read their operands in, a dense
// layer the levels of its adder tree after which registers hold the partial sums, and the kernel
// its cycles (pipeline_stages), by the delay model of dialects/delays.py. At 5 ns (4.65 ns after the
// registers' overhead) the products (2.6 ns) and two levels of 19-bit adders (0.81 ns each) fit in a
// stage, the third level and the cast take a second; at 1 ns every level is a stage. The Verilog of the same kernels: lit_tests/emitter/verilog-pipeline.mlir.
// RUN: xdsl-opt %S/../emitter/mlp-latency.mlir -p 'fold-dense-bias,nn-to-fixed{precision="ap_fixed<8,3,AP_RND,AP_SAT>" table-size=4},fixed-to-dataflow,pipeline-registers{clock-period=5.0}' | filecheck %s --check-prefix=SLOW
// RUN: xdsl-opt %S/../emitter/mlp-latency.mlir -p 'fold-dense-bias,nn-to-fixed{precision="ap_fixed<8,3,AP_RND,AP_SAT>" table-size=4},fixed-to-dataflow,pipeline-registers{clock-period=1.0}' | filecheck %s --check-prefix=FAST
// RUN: xdsl-opt %S/../emitter/mlp-latency.mlir -p 'fold-dense-bias,nn-to-fixed{precision="ap_fixed<8,3,AP_RND,AP_SAT>" table-size=4},fixed-to-dataflow{io-type=io_stream},pipeline-registers{clock-period=1.0}' | filecheck %s --check-prefix=STREAM
// RUN: not xdsl-opt %S/../emitter/mlp-latency.mlir -p 'fold-dense-bias,nn-to-fixed,fixed-to-dataflow,pipeline-registers{clock-period=0.2}' 2>&1 | filecheck %s --check-prefix=BAD

// SLOW:      dataflow.kernel "fc1"(%{{.*}}) reuse 1 latency {layer = "fc1", layer_type = "Dense", pipeline_stages = 2 : i64}
// SLOW:        fixed.dense %{{.*}}, %{{.*}}, %{{.*}} {dataflow.tree_registers = array<i64: 2>, layer = "fc1", layer_type = "Dense"}
// SLOW-NEXT:   fixed.cast %{{.*}} RND SAT {dataflow.stage = 1 : i64, layer = "fc1", layer_type = "Dense"}
// SLOW:      dataflow.kernel "relu1"(%{{.*}}) reuse 1 latency {layer = "relu1", layer_type = "ReLU", pipeline_stages = 1 : i64}

// FAST:      dataflow.kernel "fc1"(%{{.*}}) reuse 1 latency {layer = "fc1", layer_type = "Dense", pipeline_stages = 5 : i64}
// FAST:        fixed.dense %{{.*}}, %{{.*}}, %{{.*}} {dataflow.tree_registers = array<i64: 0, 1, 2>, layer = "fc1", layer_type = "Dense"}
// FAST-NEXT:   fixed.cast %{{.*}} RND SAT {dataflow.stage = 4 : i64, layer = "fc1", layer_type = "Dense"}
// FAST:      dataflow.kernel "sm"(%{{.*}}) reuse 1 latency {layer = "sm", layer_type = "Softmax", pipeline_stages = 7 : i64}
// FAST:        fixed.reduce_max %{{.*}} axis 0 {layer = "sm", layer_type = "Softmax"}
// FAST-NEXT:   fixed.sub %{{.*}}, %{{.*}} {dataflow.stage = 1 : i64, layer = "sm", layer_type = "Softmax"}
// FAST-NEXT:   fixed.lookup "exp" {{.*}} {dataflow.stage = 2 : i64,
// FAST-NEXT:   fixed.reduce_sum %{{.*}} axis 0 {dataflow.stage = 3 : i64,
// FAST-NEXT:   fixed.lookup "reciprocal" {{.*}} {dataflow.stage = 4 : i64,
// FAST-NEXT:   fixed.mul %{{.*}}, %{{.*}} {dataflow.stage = 5 : i64,
// FAST-NEXT:   fixed.cast %{{.*}} RND SAT {dataflow.stage = 6 : i64,

// io_stream designs are not the Verilog backend's: no stages.
// STREAM-NOT: pipeline_stages
// STREAM-NOT: dataflow.stage

// BAD: clock period must exceed the registers' overhead (0.35 ns), got 0.2
