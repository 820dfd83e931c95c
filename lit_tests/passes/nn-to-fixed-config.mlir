// nn-to-fixed with a precision configuration (lowering/config.py, hls4ml's format): the `config`
// option is inline JSON or a YAML/JSON file; `precision` is the model default.
// The model: x -> fc1 (Dense, bias) -> relu1 (ReLU) -> fc2 (Dense, no bias) -> act (Sigmoid).
//
// Precedence, inline JSON, a string Precision at each level: layer name > layer type > model.
// RUN: xdsl-opt %s -p 'nn-to-fixed{config="{\"Model\": {\"Precision\": \"ap_fixed<8,3>\"}, \"LayerType\": {\"Dense\": {\"Precision\": \"ap_fixed<10,4>\"}}, \"LayerName\": {\"fc2\": {\"Precision\": \"ap_fixed<12,5>\"}}}" table-size=4}' | filecheck %s --check-prefix=PREC
// Role dicts (a YAML file): a role missing at one level falls through to the next.
// RUN: xdsl-opt %s -p 'nn-to-fixed{config="%inputs/config-roles.yaml" table-size=4}' | filecheck %s --check-prefix=ROLES
// `auto` roles, inline JSON.
// RUN: xdsl-opt %s -p 'nn-to-fixed{config="{\"Model\": {\"Precision\": \"ap_fixed<8,3>\"}, \"LayerName\": {\"fc1\": {\"Precision\": {\"weight\": \"auto\", \"result\": \"auto\"}}, \"fc2\": {\"Precision\": {\"accum\": \"ap_fixed<12,6>\", \"result\": \"auto\"}}}}" table-size=4}' | filecheck %s --check-prefix=AUTO
// hls4ml-style spellings (a JSON file): snake_case and lower-case keys, role aliases (Weights,
// Accumulator, Result), the `Activation` layer type (ReLU, Sigmoid and TanH); the same file gives
// fixed-to-dataflow its ReuseFactor/Strategy.
// RUN: xdsl-opt %s -p 'nn-to-fixed{config="%inputs/config-spellings.json" table-size=4},fixed-to-dataflow{config="%inputs/config-spellings.json"}' | filecheck %s --check-prefix=SPELL
// The model default `auto` with a `maximum`: auto widths are capped by it.
// RUN: xdsl-opt %s -p 'nn-to-fixed{config="{\"Model\": {\"Precision\": {\"default\": \"auto\", \"maximum\": \"ap_fixed<6,2>\"}}}" table-size=4}' | filecheck %s --check-prefix=MAXIMUM

func.func @net(%x: tensor<2xf32>) -> tensor<2xf32> {
  %w1 = nn.constant dense<[[0.5, -0.25], [1.0, 0.125]]> : tensor<2x2xf32>
  %b1 = nn.constant dense<[0.25, -0.125]> : tensor<2xf32>
  %d1 = nn.dense %x, %w1, %b1 {layer = "fc1"} : (tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %r = nn.relu %d1 {layer = "relu1"} : tensor<2xf32>
  %w2 = nn.constant dense<[[0.75, -1.5], [0.5, 2.0]]> : tensor<2x2xf32>
  %d2 = nn.dense %r, %w2 {layer = "fc2"} : (tensor<2xf32>, tensor<2x2xf32>) -> tensor<2xf32>
  %s = nn.sigmoid %d2 {layer = "act"} : tensor<2xf32>
  func.return %s : tensor<2xf32>
}

// PREC checks: the input x and relu1 take the model's <8,3>; fc1 its type's <10,4> (weights, bias and
// result); fc2 its name's <12,5>. Dense accumulators are exact: fc1 <8,3> x <10,4> = <18,7>, +1 bit
// for 2 terms, the bias (<10,4>, 6 fraction bits) +1 integer bit: <20,9> with 5 + 6 = 11 fraction
// bits; fc2 <8,3> x <12,5> = <20,8>, +1: <21,9>. Weights in <10,4> (F = 6): 0.5 -> 32, -0.25 -> -16,
// 1.0 -> 64, 0.125 -> 8; in <12,5> (F = 7): 0.75 -> 96, -1.5 -> -192, 0.5 -> 64, 2.0 -> 256.
// The table is `auto` (18-bit entries): <12,5> input, codes [-2048, 2047] (F = 7); the domain
// [-8, 8) is codes [-1024, 1023]: 4 entries of 2^9 codes, offset -1024, index <2, 2 - (7 - 9) = 4>;
// entry 0 serves [-16, -4.0078]: (sigmoid(-16) + sigmoid(-4.0078)) / 2 x 2^18 = 2339.5 -> 2339.
// PREC-LABEL:         func.func @net(%x: tensor<2xf32>) -> tensor<2xf64> {
// PREC-NEXT:            %0 = fixed.quantize %x TRN WRAP {layer = "x"} : tensor<2xf32> -> tensor<2x!fixed.fixed<8, 3, signed>>
// PREC-NEXT{LITERAL}:   %d1 = fixed.constant dense<[[32, -16], [64, 8]]> : tensor<2x2xi16> as tensor<2x2x!fixed.fixed<10, 4, signed>> {layer = "fc1", layer_type = "Dense", error = 0.000000e+00 : f64}
// PREC-NEXT:            %d1_1 = fixed.constant dense<[16, -8]> : tensor<2xi16> as tensor<2x!fixed.fixed<10, 4, signed>> {layer = "fc1", layer_type = "Dense", error = 0.000000e+00 : f64}
// PREC-NEXT:            %d1_2 = fixed.dense %0, %d1, %d1_1 {layer = "fc1", layer_type = "Dense"} : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x2x!fixed.fixed<10, 4, signed>>, tensor<2x!fixed.fixed<10, 4, signed>>) -> tensor<2x!fixed.fixed<20, 9, signed>>
// PREC-NEXT:            %d1_3 = fixed.cast %d1_2 TRN WRAP {layer = "fc1", layer_type = "Dense"} : tensor<2x!fixed.fixed<20, 9, signed>> -> tensor<2x!fixed.fixed<10, 4, signed>>
// PREC-NEXT:            %r = fixed.relu %d1_3 {layer = "relu1", layer_type = "ReLU"} : tensor<2x!fixed.fixed<10, 4, signed>>
// PREC-NEXT:            %r_1 = fixed.cast %r TRN WRAP {layer = "relu1", layer_type = "ReLU"} : tensor<2x!fixed.fixed<10, 4, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
// PREC-NEXT{LITERAL}:   %d2 = fixed.constant dense<[[96, -192], [64, 256]]> : tensor<2x2xi16> as tensor<2x2x!fixed.fixed<12, 5, signed>> {layer = "fc2", layer_type = "Dense", error = 0.000000e+00 : f64}
// PREC-NEXT:            %d2_1 = fixed.dense %r_1, %d2 {layer = "fc2", layer_type = "Dense"} : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x2x!fixed.fixed<12, 5, signed>>) -> tensor<2x!fixed.fixed<21, 9, signed>>
// PREC-NEXT:            %d2_2 = fixed.cast %d2_1 TRN WRAP {layer = "fc2", layer_type = "Dense"} : tensor<2x!fixed.fixed<21, 9, signed>> -> tensor<2x!fixed.fixed<12, 5, signed>>
// PREC-NEXT:            %s = fixed.lookup "sigmoid" %d2_2 offset -1024 : i64 index !fixed.fixed<2, 4, unsigned> table dense<[2339, 67637, 194232, 259786]> : tensor<4xi32> infer {layer = "act", layer_type = "Sigmoid", domain = array<f64: -8.000000e+00, 8.000000e+00>} : tensor<2x!fixed.fixed<12, 5, signed>> -> tensor<2x!fixed.fixed<18, 0, unsigned>>
// PREC-NEXT:            %s_1 = fixed.cast %s TRN WRAP {layer = "act", layer_type = "Sigmoid"} : tensor<2x!fixed.fixed<18, 0, unsigned>> -> tensor<2x!fixed.fixed<8, 3, signed>>
// PREC-NEXT:            %1 = fixed.dequantize %s_1 : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2xf64>
// PREC-NEXT:            func.return %1 : tensor<2xf64>

// ROLES checks (inputs/config-roles.yaml): Model <8,3>; Dense weight and bias <6,2>; fc1 result
// <10,4,AP_RND,AP_SAT> and accum <14,6>; act table <8,0,unsigned>.
// - fc1: weights and bias from the type (<6,2>, F = 4: 0.5 -> 8, ..., 0.25 -> 4), an exact
//   accumulator <8,3> x <6,2> = <14,5>, +1 for 2 terms, +1 for the bias: <16,7>; then the explicit
//   accumulator type (a cast with the C++ defaults TRN WRAP), then the result with its modes.
// - fc2: weights from the type: 2.0 saturates to 1.9375 (code 31), so `error` is 0.0625; no result
//   at the name or type level (the type's dict has no `default`): the model's <8,3>.
// - act: the given table type (entries rounded RND SAT: (sigmoid(-4) + sigmoid(-2.03125)) / 2 x 256
//   = 17.15 -> 17, then 78.3, 176.3, 238.4), so not `infer`; the result is the model's <8,3>.
// ROLES-LABEL:         func.func @net(%x: tensor<2xf32>) -> tensor<2xf64> {
// ROLES-NEXT:            %0 = fixed.quantize %x TRN WRAP {layer = "x"} : tensor<2xf32> -> tensor<2x!fixed.fixed<8, 3, signed>>
// ROLES-NEXT{LITERAL}:   %d1 = fixed.constant dense<[[8, -4], [16, 2]]> : tensor<2x2xi8> as tensor<2x2x!fixed.fixed<6, 2, signed>> {layer = "fc1", layer_type = "Dense", error = 0.000000e+00 : f64}
// ROLES-NEXT:            %d1_1 = fixed.constant dense<[4, -2]> : tensor<2xi8> as tensor<2x!fixed.fixed<6, 2, signed>> {layer = "fc1", layer_type = "Dense", error = 0.000000e+00 : f64}
// ROLES-NEXT:            %d1_2 = fixed.dense %0, %d1, %d1_1 {layer = "fc1", layer_type = "Dense"} : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x2x!fixed.fixed<6, 2, signed>>, tensor<2x!fixed.fixed<6, 2, signed>>) -> tensor<2x!fixed.fixed<16, 7, signed>>
// ROLES-NEXT:            %d1_3 = fixed.cast %d1_2 TRN WRAP {layer = "fc1", layer_type = "Dense"} : tensor<2x!fixed.fixed<16, 7, signed>> -> tensor<2x!fixed.fixed<14, 6, signed>>
// ROLES-NEXT:            %d1_4 = fixed.cast %d1_3 RND SAT {layer = "fc1", layer_type = "Dense"} : tensor<2x!fixed.fixed<14, 6, signed>> -> tensor<2x!fixed.fixed<10, 4, signed>>
// ROLES-NEXT:            %r = fixed.relu %d1_4 {layer = "relu1", layer_type = "ReLU"} : tensor<2x!fixed.fixed<10, 4, signed>>
// ROLES-NEXT:            %r_1 = fixed.cast %r TRN WRAP {layer = "relu1", layer_type = "ReLU"} : tensor<2x!fixed.fixed<10, 4, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
// ROLES-NEXT{LITERAL}:   %d2 = fixed.constant dense<[[12, -24], [8, 31]]> : tensor<2x2xi8> as tensor<2x2x!fixed.fixed<6, 2, signed>> {layer = "fc2", layer_type = "Dense", error = 6.250000e-02 : f64}
// ROLES-NEXT:            %d2_1 = fixed.dense %r_1, %d2 {layer = "fc2", layer_type = "Dense"} : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x2x!fixed.fixed<6, 2, signed>>) -> tensor<2x!fixed.fixed<15, 6, signed>>
// ROLES-NEXT:            %d2_2 = fixed.cast %d2_1 TRN WRAP {layer = "fc2", layer_type = "Dense"} : tensor<2x!fixed.fixed<15, 6, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
// ROLES-NEXT:            %s = fixed.lookup "sigmoid" %d2_2 offset -128 : i64 index !fixed.fixed<2, 3, unsigned> table dense<[17, 78, 176, 238]> : tensor<4xi16> {layer = "act", layer_type = "Sigmoid", domain = array<f64: -8.000000e+00, 8.000000e+00>} : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2x!fixed.fixed<8, 0, unsigned>>
// ROLES-NEXT:            %s_1 = fixed.cast %s TRN WRAP {layer = "act", layer_type = "Sigmoid"} : tensor<2x!fixed.fixed<8, 0, unsigned>> -> tensor<2x!fixed.fixed<8, 3, signed>>
// ROLES-NEXT:            %1 = fixed.dequantize %s_1 : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2xf64>

// AUTO checks: fc1's `auto` weights get the narrowest type of the default's width (8): signed, largest
// 1.0 needs I = 2, so <8,2> (F = 6): 32, -16, 64, 8; every code has 3 trailing zero bits: <5,2>,
// codes 4, -2, 8, 1. Its bias is not auto: the model's <8,3>. An `auto` result is a `fixed.cast ...
// infer` (RND WRAP) to the value's own exact type, for infer-bitwidths to choose: fc1's accumulator
// <8,3> x <5,2> = <13,5>, +1, +1 for the bias (F = 5 < 8): <15,7>. fc2's explicit accumulator is an
// extra cast (TRN WRAP) before its `auto` result. act's result is the model's <8,3>.
// AUTO-LABEL:         func.func @net(%x: tensor<2xf32>) -> tensor<2xf64> {
// AUTO-NEXT:            %0 = fixed.quantize %x TRN WRAP {layer = "x"} : tensor<2xf32> -> tensor<2x!fixed.fixed<8, 3, signed>>
// AUTO-NEXT{LITERAL}:   %d1 = fixed.constant dense<[[4, -2], [8, 1]]> : tensor<2x2xi8> as tensor<2x2x!fixed.fixed<5, 2, signed>> {layer = "fc1", layer_type = "Dense", error = 0.000000e+00 : f64}
// AUTO-NEXT:            %d1_1 = fixed.constant dense<[8, -4]> : tensor<2xi8> as tensor<2x!fixed.fixed<8, 3, signed>> {layer = "fc1", layer_type = "Dense", error = 0.000000e+00 : f64}
// AUTO-NEXT:            %d1_2 = fixed.dense %0, %d1, %d1_1 {layer = "fc1", layer_type = "Dense"} : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x2x!fixed.fixed<5, 2, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<15, 7, signed>>
// AUTO-NEXT:            %d1_3 = fixed.cast %d1_2 RND WRAP infer {layer = "fc1", layer_type = "Dense"} : tensor<2x!fixed.fixed<15, 7, signed>> -> tensor<2x!fixed.fixed<15, 7, signed>>
// AUTO-NEXT:            %r = fixed.relu %d1_3 {layer = "relu1", layer_type = "ReLU"} : tensor<2x!fixed.fixed<15, 7, signed>>
// AUTO-NEXT:            %r_1 = fixed.cast %r TRN WRAP {layer = "relu1", layer_type = "ReLU"} : tensor<2x!fixed.fixed<15, 7, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
// AUTO-NEXT{LITERAL}:   %d2 = fixed.constant dense<[[24, -48], [16, 64]]> : tensor<2x2xi8> as tensor<2x2x!fixed.fixed<8, 3, signed>> {layer = "fc2", layer_type = "Dense", error = 0.000000e+00 : f64}
// AUTO-NEXT:            %d2_1 = fixed.dense %r_1, %d2 {layer = "fc2", layer_type = "Dense"} : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<17, 7, signed>>
// AUTO-NEXT:            %d2_2 = fixed.cast %d2_1 TRN WRAP {layer = "fc2", layer_type = "Dense"} : tensor<2x!fixed.fixed<17, 7, signed>> -> tensor<2x!fixed.fixed<12, 6, signed>>
// AUTO-NEXT:            %d2_3 = fixed.cast %d2_2 RND WRAP infer {layer = "fc2", layer_type = "Dense"} : tensor<2x!fixed.fixed<12, 6, signed>> -> tensor<2x!fixed.fixed<12, 6, signed>>
// AUTO-NEXT:            %s = fixed.lookup "sigmoid" %d2_3 {{.*}} : tensor<2x!fixed.fixed<12, 6, signed>> -> tensor<2x!fixed.fixed<18, 0, unsigned>>
// AUTO-NEXT:            %s_1 = fixed.cast %s TRN WRAP {layer = "act", layer_type = "Sigmoid"} : tensor<2x!fixed.fixed<18, 0, unsigned>> -> tensor<2x!fixed.fixed<8, 3, signed>>

// SPELL checks (inputs/config-spellings.json): model <8,3>, ReuseFactor 2, Strategy resource; the
// Activation type's Result <8,3,unsigned> (relu1 and act); fc1's Weights <6,2> and Accumulator
// <14,6>; fc2 ReuseFactor 4, Strategy Latency. fc1: <8,3> x <6,2> = <14,5>, +1, +1: <16,7>.
// fc2: the unsigned <8,3> input times signed <8,3> weights is <16,6,signed>, +1: <17,7>.
// Kernels: fc1 reuse 2 resource (model), fc2 reuse 4 latency (name); relu1 and act have no
// multiplications: reuse 1, the model's strategy.
// SPELL-LABEL:         func.func @net(%0: tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<8, 3, unsigned>> attributes {dataflow.io_type = #dataflow<io_type io_parallel>, dataflow.top = "dataflow"} {
// SPELL-NEXT:            %1 = dataflow.kernel "fc1"(%0) reuse 2 resource {layer = "fc1", layer_type = "Dense"} : (tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<8, 3, signed>> {
// SPELL-NEXT:            ^bb0(%2: tensor<2x!fixed.fixed<8, 3, signed>>):
// SPELL-NEXT{LITERAL}:     %d1 = fixed.constant dense<[[8, -4], [16, 2]]> : tensor<2x2xi8> as tensor<2x2x!fixed.fixed<6, 2, signed>> {layer = "fc1", layer_type = "Dense", error = 0.000000e+00 : f64}
// SPELL-NEXT:              %d1_1 = fixed.constant dense<[8, -4]> : tensor<2xi8> as tensor<2x!fixed.fixed<8, 3, signed>> {layer = "fc1", layer_type = "Dense", error = 0.000000e+00 : f64}
// SPELL-NEXT:              %d1_2 = fixed.dense %2, %d1, %d1_1 {layer = "fc1", layer_type = "Dense"} : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x2x!fixed.fixed<6, 2, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<16, 7, signed>>
// SPELL-NEXT:              %d1_3 = fixed.cast %d1_2 TRN WRAP {layer = "fc1", layer_type = "Dense"} : tensor<2x!fixed.fixed<16, 7, signed>> -> tensor<2x!fixed.fixed<14, 6, signed>>
// SPELL-NEXT:              %d1_4 = fixed.cast %d1_3 TRN WRAP {layer = "fc1", layer_type = "Dense"} : tensor<2x!fixed.fixed<14, 6, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
// SPELL-NEXT:              dataflow.yield %d1_4 : tensor<2x!fixed.fixed<8, 3, signed>>
// SPELL-NEXT:            }
// SPELL-NEXT:            %2 = dataflow.kernel "relu1"(%1) reuse 1 resource {layer = "relu1", layer_type = "ReLU"} : (tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<8, 3, unsigned>> {
// SPELL-NEXT:            ^bb0(%3: tensor<2x!fixed.fixed<8, 3, signed>>):
// SPELL-NEXT:              %r = fixed.relu %3 {layer = "relu1", layer_type = "ReLU"} : tensor<2x!fixed.fixed<8, 3, signed>>
// SPELL-NEXT:              %r_1 = fixed.cast %r TRN WRAP {layer = "relu1", layer_type = "ReLU"} : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2x!fixed.fixed<8, 3, unsigned>>
// SPELL-NEXT:              dataflow.yield %r_1 : tensor<2x!fixed.fixed<8, 3, unsigned>>
// SPELL-NEXT:            }
// SPELL-NEXT:            %3 = dataflow.kernel "fc2"(%2) reuse 4 latency {layer = "fc2", layer_type = "Dense"} : (tensor<2x!fixed.fixed<8, 3, unsigned>>) -> tensor<2x!fixed.fixed<8, 3, signed>> {
// SPELL-NEXT:            ^bb0(%4: tensor<2x!fixed.fixed<8, 3, unsigned>>):
// SPELL-NEXT{LITERAL}:     %d2 = fixed.constant dense<[[24, -48], [16, 64]]> : tensor<2x2xi8> as tensor<2x2x!fixed.fixed<8, 3, signed>> {layer = "fc2", layer_type = "Dense", error = 0.000000e+00 : f64}
// SPELL-NEXT:              %d2_1 = fixed.dense %4, %d2 {layer = "fc2", layer_type = "Dense"} : (tensor<2x!fixed.fixed<8, 3, unsigned>>, tensor<2x2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<17, 7, signed>>
// SPELL-NEXT:              %d2_2 = fixed.cast %d2_1 TRN WRAP {layer = "fc2", layer_type = "Dense"} : tensor<2x!fixed.fixed<17, 7, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
// SPELL-NEXT:              dataflow.yield %d2_2 : tensor<2x!fixed.fixed<8, 3, signed>>
// SPELL-NEXT:            }
// SPELL-NEXT:            %4 = dataflow.kernel "act"(%3) reuse 1 resource {layer = "act", layer_type = "Sigmoid"} : (tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<8, 3, unsigned>> {
// SPELL-NEXT:            ^bb0(%5: tensor<2x!fixed.fixed<8, 3, signed>>):
// SPELL-NEXT:              %s = fixed.lookup "sigmoid" %5 offset -128 : i64 index !fixed.fixed<2, 3, unsigned> table dense<[17557, 80136, 180549, 244089]> : tensor<4xi32> infer {layer = "act", layer_type = "Sigmoid", domain = array<f64: -8.000000e+00, 8.000000e+00>} : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2x!fixed.fixed<18, 0, unsigned>>
// SPELL-NEXT:              %s_1 = fixed.cast %s TRN WRAP {layer = "act", layer_type = "Sigmoid"} : tensor<2x!fixed.fixed<18, 0, unsigned>> -> tensor<2x!fixed.fixed<8, 3, unsigned>>

// MAXIMUM checks: with the model default `auto`, the input still takes ap_fixed<16,6,AP_RND,AP_SAT> (no
// range bounds an input without calibration), every result is an infer cast, and the auto widths
// are at most maximum's 6 bits: weights and biases fit in fewer (fc1: <5,2> and <3,0>: 0.25 -> 2,
// -0.125 -> -1 at F = 3; fc2 [0.75, -1.5, 0.5, 2.0] needs I = 3: <6,3>, codes 6, -12, 4, 16 with a
// trailing zero bit: <5,3>, codes 3, -6, 2, 8); the table entries get 6 bits instead of 18:
// <6,0,unsigned>, e.g. 0.7410 x 64 = 47.4 -> 47.
// MAXIMUM-LABEL:         func.func @net(%x: tensor<2xf32>) -> tensor<2xf64> {
// MAXIMUM-NEXT:            %0 = fixed.quantize %x RND SAT {layer = "x"} : tensor<2xf32> -> tensor<2x!fixed.fixed<16, 6, signed>>
// MAXIMUM-NEXT{LITERAL}:   %d1 = fixed.constant dense<[[4, -2], [8, 1]]> : tensor<2x2xi8> as tensor<2x2x!fixed.fixed<5, 2, signed>> {layer = "fc1", layer_type = "Dense", error = 0.000000e+00 : f64}
// MAXIMUM-NEXT:            %d1_1 = fixed.constant dense<[2, -1]> : tensor<2xi8> as tensor<2x!fixed.fixed<3, 0, signed>> {layer = "fc1", layer_type = "Dense", error = 0.000000e+00 : f64}
// MAXIMUM-NEXT:            %d1_2 = fixed.dense %0, %d1, %d1_1 {layer = "fc1", layer_type = "Dense"} : (tensor<2x!fixed.fixed<16, 6, signed>>, tensor<2x2x!fixed.fixed<5, 2, signed>>, tensor<2x!fixed.fixed<3, 0, signed>>) -> tensor<2x!fixed.fixed<23, 10, signed>>
// MAXIMUM-NEXT:            %d1_3 = fixed.cast %d1_2 RND WRAP infer {layer = "fc1", layer_type = "Dense"} : tensor<2x!fixed.fixed<23, 10, signed>> -> tensor<2x!fixed.fixed<23, 10, signed>>
// MAXIMUM-NEXT:            %r = fixed.relu %d1_3 {layer = "relu1", layer_type = "ReLU"} : tensor<2x!fixed.fixed<23, 10, signed>>
// MAXIMUM-NEXT:            %r_1 = fixed.cast %r RND WRAP infer {layer = "relu1", layer_type = "ReLU"} : tensor<2x!fixed.fixed<23, 10, signed>> -> tensor<2x!fixed.fixed<23, 10, signed>>
// MAXIMUM-NEXT{LITERAL}:   %d2 = fixed.constant dense<[[3, -6], [2, 8]]> : tensor<2x2xi8> as tensor<2x2x!fixed.fixed<5, 3, signed>> {layer = "fc2", layer_type = "Dense", error = 0.000000e+00 : f64}
// MAXIMUM-NEXT:            %d2_1 = fixed.dense %r_1, %d2 {layer = "fc2", layer_type = "Dense"} : (tensor<2x!fixed.fixed<23, 10, signed>>, tensor<2x2x!fixed.fixed<5, 3, signed>>) -> tensor<2x!fixed.fixed<29, 14, signed>>
// MAXIMUM-NEXT:            %d2_2 = fixed.cast %d2_1 RND WRAP infer {layer = "fc2", layer_type = "Dense"} : tensor<2x!fixed.fixed<29, 14, signed>> -> tensor<2x!fixed.fixed<29, 14, signed>>
// MAXIMUM-NEXT:            %s = fixed.lookup "sigmoid" %d2_2 offset -262144 : i64 index !fixed.fixed<2, 4, unsigned> table dense<[1, 17, 47, 63]> : tensor<4xi8> infer {layer = "act", layer_type = "Sigmoid", domain = array<f64: -8.000000e+00, 8.000000e+00>} : tensor<2x!fixed.fixed<29, 14, signed>> -> tensor<2x!fixed.fixed<6, 0, unsigned>>
// MAXIMUM-NEXT:            %s_1 = fixed.cast %s RND WRAP infer {layer = "act", layer_type = "Sigmoid"} : tensor<2x!fixed.fixed<6, 0, unsigned>> -> tensor<2x!fixed.fixed<6, 0, unsigned>>
