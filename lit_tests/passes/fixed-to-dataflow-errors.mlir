// fixed-to-dataflow rejects bad options and functions that are not at the fixed level with one
// clear error. xdsl-opt prints the Python traceback: the checks match its final line. Each case is
// one chunk of this file, fed alone to xdsl-opt by %inputs/chunk.py.
//
// RUN: %python %inputs/pass_errors.py %s \
// RUN:   'IOTYPE@1=fixed-to-dataflow{io-type=io_serial}' \
// IOTYPE: --- IOTYPE
// IOTYPE-NEXT: {{^}}dialects.errors.CompileError: fixed-to-dataflow: unknown io-type 'io_serial'; valid: io_parallel, io_stream
// RUN:   'STRATEGY@1=fixed-to-dataflow{strategy=fast}' \
// STRATEGY: --- STRATEGY
// STRATEGY-NEXT: {{^}}dialects.errors.CompileError: fixed-to-dataflow: unknown strategy 'fast'; valid: latency, resource
// RUN:   'REUSE@1=fixed-to-dataflow{reuse-factor=0}' \
// REUSE: --- REUSE
// REUSE-NEXT: {{^}}dialects.errors.CompileError: fixed-to-dataflow: reuse factor must be at least 1, got 0
// The same settings in a configuration (lowering/config.py), named by their path in it:
// RUN:   'CONFIGREUSE@1=fixed-to-dataflow{config="{\"LayerName\": {\"fc\": {\"ReuseFactor\": -1}}}"}' \
// CONFIGREUSE: --- CONFIGREUSE
// CONFIGREUSE-NEXT: {{^}}dialects.errors.CompileError: fixed-to-dataflow: LayerName.fc.ReuseFactor: must be an integer >= 1, got -1{{$}}
// RUN:   'CONFIGSTRATEGY@1=fixed-to-dataflow{config="{\"LayerType\": {\"Dense\": {\"Strategy\": \"fast\"}}}"}' \
// CONFIGSTRATEGY: --- CONFIGSTRATEGY
// CONFIGSTRATEGY-NEXT: {{^}}dialects.errors.CompileError: fixed-to-dataflow: LayerType.Dense.Strategy: must be Latency or Resource, got 'fast'{{$}}
// A setting that reaches no kernel: the layer types are what nn-to-fixed writes on a layer's ops
// (`layer_type`); this hand-written function has none, so no Dense layer:
// RUN:   'NOTYPE@1=fixed-to-dataflow{config="{\"LayerType\": {\"Dense\": {\"ReuseFactor\": 2}}}"}' \
// NOTYPE: --- NOTYPE
// NOTYPE-NEXT: {{^}}dialects.errors.CompileError: fixed-to-dataflow: LayerType.Dense: no layer of type Dense in the model; layers: fc{{$}}
//
// A function whose results are not dequantized fixed-point values:
// RUN:   'LEVEL@2=fixed-to-dataflow' | filecheck %s --check-prefixes=IOTYPE,STRATEGY,REUSE,CONFIGREUSE,CONFIGSTRATEGY,NOTYPE,LEVEL
// LEVEL: --- LEVEL
// LEVEL-NEXT: {{^}}dialects.errors.CompileError: fixed-to-dataflow: function @float_result is not at the fixed level

func.func @dense(%x: tensor<3xf32>) -> tensor<2xf64> {
  %q = fixed.quantize %x RND SAT : tensor<3xf32> -> tensor<3x!fixed.fixed<8, 3, signed>>
  %w = fixed.constant dense<[[16, -8], [32, 4], [-48, 64]]> : tensor<3x2xi8> as tensor<3x2x!fixed.fixed<8, 3, signed>> {layer = "fc"}
  %acc = fixed.dense %q, %w {layer = "fc"} : (tensor<3x!fixed.fixed<8, 3, signed>>, tensor<3x2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<18, 8, signed>>
  %y = fixed.dequantize %acc : tensor<2x!fixed.fixed<18, 8, signed>> -> tensor<2xf64>
  func.return %y : tensor<2xf64>
}

// -----
func.func @float_result(%x: tensor<2xf32>) -> tensor<2xf32> {
  %q = fixed.quantize %x RND SAT : tensor<2xf32> -> tensor<2x!fixed.fixed<8, 3, signed>>
  %r = fixed.relu %q : tensor<2x!fixed.fixed<8, 3, signed>>
  func.return %x : tensor<2xf32>
}
