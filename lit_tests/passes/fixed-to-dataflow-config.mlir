// fixed-to-dataflow with a configuration (lowering/config.py): ReuseFactor and Strategy per layer
// name, then layer type (the `layer_type` nn-to-fixed writes on a layer's ops, recorded on its
// kernel), then model, then the pass options. Only kernels with multiplications (the dense layers
// here) take a reuse factor; the others keep 1.
//
// Model reuse 2, resource; Dense reuse 3; ReLU latency; fc2 reuse 4, latency:
// RUN: xdsl-opt %s -p 'fixed-to-dataflow{config="{\"Model\": {\"ReuseFactor\": 2, \"Strategy\": \"Resource\"}, \"LayerType\": {\"Dense\": {\"ReuseFactor\": 3}, \"ReLU\": {\"Strategy\": \"Latency\"}}, \"LayerName\": {\"fc2\": {\"ReuseFactor\": 4, \"Strategy\": \"Latency\"}}}"}' | filecheck %s --check-prefix=LEVELS
// The options are the model defaults when the Model section does not set them: every kernel but
// fc3 (reuse 1, latency by name) gets reuse-factor=4 (the relu: 1) and strategy=resource.
// RUN: xdsl-opt %s -p 'fixed-to-dataflow{reuse-factor=4 strategy=resource config="{\"LayerName\": {\"fc3\": {\"ReuseFactor\": 1, \"Strategy\": \"latency\"}}}"}' | filecheck %s --check-prefix=OPTIONS
// and the Model section wins over them:
// RUN: xdsl-opt %s -p 'fixed-to-dataflow{reuse-factor=4 config="{\"Model\": {\"ReuseFactor\": 2}}"}' | filecheck %s --check-prefix=MODEL

func.func @net(%x: tensor<2xf32>) -> tensor<2xf64> {
  %q = fixed.quantize %x TRN WRAP {layer = "x"} : tensor<2xf32> -> tensor<2x!fixed.fixed<8, 3, signed>>
  %w1 = fixed.constant dense<[[16, -8], [32, 4]]> : tensor<2x2xi8> as tensor<2x2x!fixed.fixed<8, 3, signed>> {layer = "fc1", layer_type = "Dense"}
  %a1 = fixed.dense %q, %w1 {layer = "fc1", layer_type = "Dense"} : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<17, 7, signed>>
  %h1 = fixed.cast %a1 TRN WRAP {layer = "fc1", layer_type = "Dense"} : tensor<2x!fixed.fixed<17, 7, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
  %r = fixed.relu %h1 {layer = "relu1", layer_type = "ReLU"} : tensor<2x!fixed.fixed<8, 3, signed>>
  %w2 = fixed.constant dense<[[8, 16], [-8, 4]]> : tensor<2x2xi8> as tensor<2x2x!fixed.fixed<8, 3, signed>> {layer = "fc2", layer_type = "Dense"}
  %a2 = fixed.dense %r, %w2 {layer = "fc2", layer_type = "Dense"} : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<17, 7, signed>>
  %h2 = fixed.cast %a2 TRN WRAP {layer = "fc2", layer_type = "Dense"} : tensor<2x!fixed.fixed<17, 7, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
  %w3 = fixed.constant dense<[[4, 4], [4, -4]]> : tensor<2x2xi8> as tensor<2x2x!fixed.fixed<8, 3, signed>> {layer = "fc3", layer_type = "Dense"}
  %a3 = fixed.dense %h2, %w3 {layer = "fc3", layer_type = "Dense"} : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<17, 7, signed>>
  %h3 = fixed.cast %a3 TRN WRAP {layer = "fc3", layer_type = "Dense"} : tensor<2x!fixed.fixed<17, 7, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
  %y = fixed.dequantize %h3 : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2xf64>
  func.return %y : tensor<2xf64>
}
// fc1: reuse 3 (Dense), resource (Model); relu1: no multiplications, latency (ReLU); fc2: its name's
// 4 and latency; fc3: reuse 3 (Dense), resource (Model).
// LEVELS-LABEL: func.func @net(
// LEVELS-NEXT:    %1 = dataflow.kernel "fc1"(%0) reuse 3 resource {layer = "fc1", layer_type = "Dense"}
// LEVELS:         %2 = dataflow.kernel "relu1"(%1) reuse 1 latency {layer = "relu1", layer_type = "ReLU"}
// LEVELS:         %3 = dataflow.kernel "fc2"(%2) reuse 4 latency {layer = "fc2", layer_type = "Dense"}
// LEVELS:         %4 = dataflow.kernel "fc3"(%3) reuse 3 resource {layer = "fc3", layer_type = "Dense"}
// LEVELS:         func.return %4

// OPTIONS-LABEL: func.func @net(
// OPTIONS-NEXT:    %1 = dataflow.kernel "fc1"(%0) reuse 4 resource {layer = "fc1", layer_type = "Dense"}
// OPTIONS:         %2 = dataflow.kernel "relu1"(%1) reuse 1 resource {layer = "relu1", layer_type = "ReLU"}
// OPTIONS:         %3 = dataflow.kernel "fc2"(%2) reuse 4 resource {layer = "fc2", layer_type = "Dense"}
// OPTIONS:         %4 = dataflow.kernel "fc3"(%3) reuse 1 latency {layer = "fc3", layer_type = "Dense"}

// MODEL-LABEL: func.func @net(
// MODEL-NEXT:    %1 = dataflow.kernel "fc1"(%0) reuse 2 latency {layer = "fc1", layer_type = "Dense"}
// MODEL:         %2 = dataflow.kernel "relu1"(%1) reuse 1 latency {layer = "relu1", layer_type = "ReLU"}
// MODEL:         %3 = dataflow.kernel "fc2"(%2) reuse 2 latency {layer = "fc2", layer_type = "Dense"}
// MODEL:         %4 = dataflow.kernel "fc3"(%3) reuse 2 latency {layer = "fc3", layer_type = "Dense"}
