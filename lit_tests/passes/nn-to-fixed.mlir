// nn-to-fixed: every value gets a fixed-point type; rounding happens only in quantize/cast.
// Precision without modes: hardware quantize/cast TRN WRAP, constants rounded RND SAT.
// RUN: xdsl-opt %s -p 'nn-to-fixed{precision="ap_fixed<8,3>" table-size=4}' | filecheck %s
// Precision with modes: every quantize, cast AND constant uses them.
// RUN: xdsl-opt %s -p 'nn-to-fixed{precision="ap_fixed<6,3,AP_RND_CONV,AP_SAT_SYM>" table-size=8}' | filecheck %s --check-prefix=MODES
// The defaults: ap_fixed<16,6,AP_RND,AP_SAT> and tables of up to 1024 entries.
// RUN: xdsl-opt %s -p nn-to-fixed | filecheck %s --check-prefix=DEFAULT
// Unsigned, rounding mode only: hardware wraps (the C++ default) while constants saturate.
// RUN: xdsl-opt %s -p 'nn-to-fixed{precision="ap_ufixed<8,4,AP_RND>" table-size=4}' | filecheck %s --check-prefix=UFIXED
// An integer type: ap_int<6> is <6, 6, signed>.
// RUN: xdsl-opt %s -p 'nn-to-fixed{precision="ap_int<6>"}' | filecheck %s --check-prefix=INT

func.func @mlp(%x: tensor<4xf32>) -> tensor<2xf32> {
  %w = nn.constant dense<[[0.5, -0.25], [1.0, 0.125], [-1.5, 2.0], [0.75, -0.5]]> : tensor<4x2xf32>
  %b = nn.constant dense<[0.25, -0.125]> : tensor<2xf32>
  %d = nn.dense %x, %w, %b {layer = "fc1"} : (tensor<4xf32>, tensor<4x2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %r = nn.relu %d {layer = "relu1"} : tensor<2xf32>
  %s = nn.softmax %r axis 0 {layer = "sm"} : tensor<2xf32>
  func.return %s : tensor<2xf32>
}
// The dense accumulator is exact: <8,3> x <8,3> products are <16,6>; 4 terms add 2 bits; the bias
// adds one more: <19,9> with 10 fraction bits. The relu keeps <8,3>, so no cast follows it.
// Weights and biases are exact in <8,3>: `error` (their largest rounding error) is 0.
// Softmax: max, sub (<9,4>), exp table, sum (+1 bit for 2 terms), reciprocal table, product, cast to
// the layer type. Table entries are `auto` by default (marked `infer`): the narrowest 18-bit type
// holding them. Each table carries the `domain` it must resolve:
// - exp: [ln(2^-(min(17, 5) + 1)), 2^-5) = [ln(2^-6) = -4.1588830833596715, 0.03125): inputs below it
//   only matter through the sum (an output is at most exp(d) < half an output step). The inputs reach
//   codes [-255, 0] (F = 5); the domain starts at ceil(-4.1589 * 32) = -133, so entries span 2^6 codes:
//   offset -3 * 64 = -192, index <2, 2 - (5 - 6) = 3, unsigned>. Entry 0 serves [-255, -129]:
//   (exp(-255/32) + exp(-129/32)) / 2 = 0.00905 -> 1186 / 2^17; ...; entry 3 serves [0, 0]: 1.0.
//   In (0, 1]: <18, 1, unsigned>.
// - reciprocal: [1, 2) of the sum <19,2,unsigned> (F = 17), reached [1, 2] (codes 131072 ..
//   262144): entries of 2^15 codes, offset 131072, index <2, 2 - (17 - 15) = 0, unsigned>; entries
//   (1/1 + 1/1.25) / 2 = 0.9000, 0.7333, 0.6190 and, for [1.75, 2] (the last entry also serves the
//   sum 2.0), 0.5357: in (0.5, 1), so <18, 0, unsigned>: 0.9000 * 2^18 -> 235930, ... 140434.
// The product <18,1> x <18,0> is <36,1,unsigned>.
// CHECK-LABEL:         func.func @mlp(%x: tensor<4xf32>) -> tensor<2xf64> {
// CHECK-NEXT:            %0 = fixed.quantize %x TRN WRAP {layer = "x"} : tensor<4xf32> -> tensor<4x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT{LITERAL}:   %d = fixed.constant dense<[[16, -8], [32, 4], [-48, 64], [24, -16]]> : tensor<4x2xi8> as tensor<4x2x!fixed.fixed<8, 3, signed>> {layer = "fc1", layer_type = "Dense", error = 0.000000e+00 : f64}
// CHECK-NEXT:            %d_1 = fixed.constant dense<[8, -4]> : tensor<2xi8> as tensor<2x!fixed.fixed<8, 3, signed>> {layer = "fc1", layer_type = "Dense", error = 0.000000e+00 : f64}
// CHECK-NEXT:            %d_2 = fixed.dense %0, %d, %d_1 {layer = "fc1", layer_type = "Dense"} : (tensor<4x!fixed.fixed<8, 3, signed>>, tensor<4x2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<19, 9, signed>>
// CHECK-NEXT:            %d_3 = fixed.cast %d_2 TRN WRAP {layer = "fc1", layer_type = "Dense"} : tensor<2x!fixed.fixed<19, 9, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:            %r = fixed.relu %d_3 {layer = "relu1", layer_type = "ReLU"} : tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:            %s = fixed.reduce_max %r axis 0 {layer = "sm", layer_type = "Softmax"} : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<1x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:            %s_1 = fixed.sub %r, %s {layer = "sm", layer_type = "Softmax"} : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<1x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<9, 4, signed>>
// CHECK-NEXT:            %s_2 = fixed.lookup "exp" %s_1 offset -192 : i64 index !fixed.fixed<2, 3, unsigned> table dense<[1186, 9797, 72389, 131072]> : tensor<4xi32> infer {layer = "sm", layer_type = "Softmax", domain = array<f64: -4.1588830833596715, 3.125000e-02>} : tensor<2x!fixed.fixed<9, 4, signed>> -> tensor<2x!fixed.fixed<18, 1, unsigned>>
// CHECK-NEXT:            %s_3 = fixed.reduce_sum %s_2 axis 0 {layer = "sm", layer_type = "Softmax"} : tensor<2x!fixed.fixed<18, 1, unsigned>> -> tensor<1x!fixed.fixed<19, 2, unsigned>>
// CHECK-NEXT:            %s_4 = fixed.lookup "reciprocal" %s_3 offset 131072 : i64 index !fixed.fixed<2, 0, unsigned> table dense<[235930, 192239, 162280, 140434]> : tensor<4xi32> infer {layer = "sm", layer_type = "Softmax", domain = array<f64: 1.000000e+00, 2.000000e+00>} : tensor<1x!fixed.fixed<19, 2, unsigned>> -> tensor<1x!fixed.fixed<18, 0, unsigned>>
// CHECK-NEXT:            %s_5 = fixed.mul %s_2, %s_4 {layer = "sm", layer_type = "Softmax"} : (tensor<2x!fixed.fixed<18, 1, unsigned>>, tensor<1x!fixed.fixed<18, 0, unsigned>>) -> tensor<2x!fixed.fixed<36, 1, unsigned>>
// CHECK-NEXT:            %s_6 = fixed.cast %s_5 TRN WRAP {layer = "sm", layer_type = "Softmax"} : tensor<2x!fixed.fixed<36, 1, unsigned>> -> tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:            %1 = fixed.dequantize %s_6 : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2xf64>
// CHECK-NEXT:            func.return %1 : tensor<2xf64>
// CHECK-NEXT:          }

// MODES-LABEL:         func.func @mlp(%x: tensor<4xf32>) -> tensor<2xf64> {
// MODES-NEXT:            %0 = fixed.quantize %x RND_CONV SAT_SYM {layer = "x"} : tensor<4xf32> -> tensor<4x!fixed.fixed<6, 3, signed>>
// MODES-NEXT{LITERAL}:   %d = fixed.constant dense<[[4, -2], [8, 1], [-12, 16], [6, -4]]> : tensor<4x2xi8> as tensor<4x2x!fixed.fixed<6, 3, signed>> {layer = "fc1", layer_type = "Dense", error = 0.000000e+00 : f64}
// MODES-NEXT:            %d_1 = fixed.constant dense<[2, -1]> : tensor<2xi8> as tensor<2x!fixed.fixed<6, 3, signed>> {layer = "fc1", layer_type = "Dense", error = 0.000000e+00 : f64}
// MODES-NEXT:            %d_2 = fixed.dense %0, %d, %d_1 {layer = "fc1", layer_type = "Dense"} : (tensor<4x!fixed.fixed<6, 3, signed>>, tensor<4x2x!fixed.fixed<6, 3, signed>>, tensor<2x!fixed.fixed<6, 3, signed>>) -> tensor<2x!fixed.fixed<15, 9, signed>>
// MODES-NEXT:            %d_3 = fixed.cast %d_2 RND_CONV SAT_SYM {layer = "fc1", layer_type = "Dense"} : tensor<2x!fixed.fixed<15, 9, signed>> -> tensor<2x!fixed.fixed<6, 3, signed>>
// MODES-NEXT:            %r = fixed.relu %d_3 {layer = "relu1", layer_type = "ReLU"} : tensor<2x!fixed.fixed<6, 3, signed>>
// MODES-NEXT:            %s = fixed.reduce_max %r axis 0 {layer = "sm", layer_type = "Softmax"} : tensor<2x!fixed.fixed<6, 3, signed>> -> tensor<1x!fixed.fixed<6, 3, signed>>
// MODES-NEXT:            %s_1 = fixed.sub %r, %s {layer = "sm", layer_type = "Softmax"} : (tensor<2x!fixed.fixed<6, 3, signed>>, tensor<1x!fixed.fixed<6, 3, signed>>) -> tensor<2x!fixed.fixed<7, 4, signed>>
// MODES-NEXT:            %s_2 = fixed.lookup "exp" %s_1 offset -24 : i64 index !fixed.fixed<3, 2, unsigned> table dense<[4772, 13207, 21774, 35899, 59188, 97585, 131072, 131072]> : tensor<8xi32> infer {layer = "sm", layer_type = "Softmax", domain = array<f64: -2.7725887222397811, 1.250000e-01>} : tensor<2x!fixed.fixed<7, 4, signed>> -> tensor<2x!fixed.fixed<18, 1, unsigned>>
// MODES-NEXT:            %s_3 = fixed.reduce_sum %s_2 axis 0 {layer = "sm", layer_type = "Softmax"} : tensor<2x!fixed.fixed<18, 1, unsigned>> -> tensor<1x!fixed.fixed<19, 2, unsigned>>
// MODES-NEXT:            %s_4 = fixed.lookup "reciprocal" %s_3 offset 131072 : i64 index !fixed.fixed<3, 0, unsigned> table dense<[247581, 221367, 200183, 182707, 168041, 155558, 144804, 135441]> : tensor<8xi32> infer {layer = "sm", layer_type = "Softmax", domain = array<f64: 1.000000e+00, 2.000000e+00>} : tensor<1x!fixed.fixed<19, 2, unsigned>> -> tensor<1x!fixed.fixed<18, 0, unsigned>>
// MODES-NEXT:            %s_5 = fixed.mul %s_2, %s_4 {layer = "sm", layer_type = "Softmax"} : (tensor<2x!fixed.fixed<18, 1, unsigned>>, tensor<1x!fixed.fixed<18, 0, unsigned>>) -> tensor<2x!fixed.fixed<36, 1, unsigned>>
// MODES-NEXT:            %s_6 = fixed.cast %s_5 RND_CONV SAT_SYM {layer = "sm", layer_type = "Softmax"} : tensor<2x!fixed.fixed<36, 1, unsigned>> -> tensor<2x!fixed.fixed<6, 3, signed>>
// MODES-NEXT:            %1 = fixed.dequantize %s_6 : tensor<2x!fixed.fixed<6, 3, signed>> -> tensor<2xf64>

// DEFAULT-LABEL:       func.func @mlp(%x: tensor<4xf32>) -> tensor<2xf64> {
// DEFAULT-NEXT:          %0 = fixed.quantize %x RND SAT {layer = "x"} : tensor<4xf32> -> tensor<4x!fixed.fixed<16, 6, signed>>
// DEFAULT-NEXT{LITERAL}: %d = fixed.constant dense<[[512, -256], [1024, 128], [-1536, 2048], [768, -512]]> : tensor<4x2xi16> as tensor<4x2x!fixed.fixed<16, 6, signed>> {layer = "fc1", layer_type = "Dense", error = 0.000000e+00 : f64}
// DEFAULT-NEXT:          %d_1 = fixed.constant dense<[256, -128]> : tensor<2xi16> as tensor<2x!fixed.fixed<16, 6, signed>> {layer = "fc1", layer_type = "Dense", error = 0.000000e+00 : f64}
// DEFAULT-NEXT:          %d_2 = fixed.dense {{.*}} -> tensor<2x!fixed.fixed<35, 15, signed>>
// DEFAULT-NEXT:          %d_3 = fixed.cast %d_2 RND SAT {layer = "fc1", layer_type = "Dense"} : tensor<2x!fixed.fixed<35, 15, signed>> -> tensor<2x!fixed.fixed<16, 6, signed>>
// Exp domain [ln(2^-(min(17, 10) + 1)), 2^-10); reciprocal [1, 2) in 1024 entries of 2^7 codes.
// DEFAULT:               %s_2 = fixed.lookup "exp" %s_1 offset -7808 : i64 index !fixed.fixed<10, 3, unsigned> table dense<"0x{{[0-9A-F]+}}"> : tensor<1024xi32> infer {layer = "sm", layer_type = "Softmax", domain = array<f64: -7.6246189861593985, 0.0009765625>} : tensor<2x!fixed.fixed<17, 7, signed>> -> tensor<2x!fixed.fixed<18, 1, unsigned>>
// DEFAULT:               %s_4 = fixed.lookup "reciprocal" %s_3 offset 131072 : i64 index !fixed.fixed<10, 0, unsigned> table dense<"0x{{[0-9A-F]+}}"> : tensor<1024xi32> infer {layer = "sm", layer_type = "Softmax", domain = array<f64: 1.000000e+00, 2.000000e+00>} : tensor<1x!fixed.fixed<19, 2, unsigned>> -> tensor<1x!fixed.fixed<18, 0, unsigned>>

func.func @activations(%x: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %s = nn.sigmoid %x {layer = "sig"} : tensor<3xf32>
  %t = nn.tanh %x {layer = "th"} : tensor<3xf32>
  func.return %s, %t : tensor<3xf32>, tensor<3xf32>
}
// Sigmoid and tanh are one lookup each, in `auto` table entries (the default), then a cast to the
// layer type. With <8,3> input (codes -128..127, inside the domains [-8, 8) and [-4, 4)) and 4
// entries, each entry spans 64 codes (2.0): offset -128, index <2, 3, unsigned>. Entry i serves
// [-4 + 2i, -4 + 2i + 1.96875] and holds the midrange of the function there:
//   sigmoid: (sigmoid(-4) + sigmoid(-2.03125)) / 2 = 0.066974 -> x 2^18 = 17556.7 -> 17557; then
//   80136.2, 180548.6, 244088.9; all in (0, 1): <18, 0, unsigned>.
//   tanh: (tanh(-4) + tanh(-2.03125)) / 2 x 2^17 = -128811.0; then -65225.8, 63029.4, 128667.7:
//   signed, in (-1, 1): <18, 1, signed>.
// CHECK-LABEL: func.func @activations(%x: tensor<3xf32>) -> (tensor<3xf64>, tensor<3xf64>) {
// CHECK-NEXT:    %0 = fixed.quantize %x TRN WRAP {layer = "x"} : tensor<3xf32> -> tensor<3x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:    %s = fixed.lookup "sigmoid" %0 offset -128 : i64 index !fixed.fixed<2, 3, unsigned> table dense<[17557, 80136, 180549, 244089]> : tensor<4xi32> infer {layer = "sig", layer_type = "Sigmoid", domain = array<f64: -8.000000e+00, 8.000000e+00>} : tensor<3x!fixed.fixed<8, 3, signed>> -> tensor<3x!fixed.fixed<18, 0, unsigned>>
// CHECK-NEXT:    %s_1 = fixed.cast %s TRN WRAP {layer = "sig", layer_type = "Sigmoid"} : tensor<3x!fixed.fixed<18, 0, unsigned>> -> tensor<3x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:    %t = fixed.lookup "tanh" %0 offset -128 : i64 index !fixed.fixed<2, 3, unsigned> table dense<[-128811, -65226, 63029, 128668]> : tensor<4xi32> infer {layer = "th", layer_type = "TanH", domain = array<f64: -4.000000e+00, 4.000000e+00>} : tensor<3x!fixed.fixed<8, 3, signed>> -> tensor<3x!fixed.fixed<18, 1, signed>>
// CHECK-NEXT:    %t_1 = fixed.cast %t TRN WRAP {layer = "th", layer_type = "TanH"} : tensor<3x!fixed.fixed<18, 1, signed>> -> tensor<3x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:    %1 = fixed.dequantize %s_1 : tensor<3x!fixed.fixed<8, 3, signed>> -> tensor<3xf64>
// CHECK-NEXT:    %2 = fixed.dequantize %t_1 : tensor<3x!fixed.fixed<8, 3, signed>> -> tensor<3xf64>
// CHECK-NEXT:    func.return %1, %2 : tensor<3xf64>, tensor<3xf64>

// The entries are always rounded RND SAT (they are constants); the modes apply to the casts after.
// <6,3> input, 8 entries of 8 codes (1.0): entry i serves [-4 + i, -4 + i + 0.875].
// MODES-LABEL: func.func @activations(
// MODES-NEXT:    %0 = fixed.quantize %x RND_CONV SAT_SYM {layer = "x"} : tensor<3xf32> -> tensor<3x!fixed.fixed<6, 3, signed>>
// MODES-NEXT:    %s = fixed.lookup "sigmoid" %0 offset -32 : i64 index !fixed.fixed<3, 3, unsigned> table dense<[7874, 20200, 47748, 96696, 158045, 209465, 239520, 253263]> : tensor<8xi32> infer {layer = "sig", layer_type = "Sigmoid", domain = array<f64: -8.000000e+00, 8.000000e+00>} : tensor<3x!fixed.fixed<6, 3, signed>> -> tensor<3x!fixed.fixed<18, 0, unsigned>>
// MODES-NEXT:    %s_1 = fixed.cast %s RND_CONV SAT_SYM {layer = "sig", layer_type = "Sigmoid"} : tensor<3x!fixed.fixed<18, 0, unsigned>> -> tensor<3x!fixed.fixed<6, 3, signed>>
// MODES-NEXT:    %t = fixed.lookup "tanh" %0 offset -32 : i64 index !fixed.fixed<3, 3, unsigned> table dense<[-130776, -128905, -116217, -58061, 46131, 112436, 128299, 130691]> : tensor<8xi32> infer {layer = "th", layer_type = "TanH", domain = array<f64: -4.000000e+00, 4.000000e+00>} : tensor<3x!fixed.fixed<6, 3, signed>> -> tensor<3x!fixed.fixed<18, 1, signed>>
// MODES-NEXT:    %t_1 = fixed.cast %t RND_CONV SAT_SYM {layer = "th", layer_type = "TanH"} : tensor<3x!fixed.fixed<18, 1, signed>> -> tensor<3x!fixed.fixed<6, 3, signed>>

func.func @add(%x: tensor<2x2xf32>, %y: tensor<2xf32>) -> tensor<2x2xf32> {
  %c = nn.constant dense<[1.5, -100.0]> : tensor<2xf32>
  %a = nn.add %x, %c {layer = "bias"} : (tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %b = nn.add %y, %a {layer = "skip"} : (tensor<2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  func.return %b : tensor<2x2xf32>
}
// An addend constant takes the bias precision (here saturating -100 to -4: `error` 96); adds are
// exact and broadcast, then cast back to the layer type.
// CHECK-LABEL: func.func @add(%x: tensor<2x2xf32>, %y: tensor<2xf32>) -> tensor<2x2xf64> {
// CHECK-NEXT:    %0 = fixed.quantize %x TRN WRAP {layer = "x"} : tensor<2x2xf32> -> tensor<2x2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:    %1 = fixed.quantize %y TRN WRAP {layer = "y"} : tensor<2xf32> -> tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:    %a = fixed.constant dense<[48, -128]> : tensor<2xi8> as tensor<2x!fixed.fixed<8, 3, signed>> {layer = "bias", layer_type = "Add", error = 9.600000e+01 : f64}
// CHECK-NEXT:    %a_1 = fixed.add %0, %a {layer = "bias", layer_type = "Add"} : (tensor<2x2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x2x!fixed.fixed<9, 4, signed>>
// CHECK-NEXT:    %a_2 = fixed.cast %a_1 TRN WRAP {layer = "bias", layer_type = "Add"} : tensor<2x2x!fixed.fixed<9, 4, signed>> -> tensor<2x2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:    %b = fixed.add %1, %a_2 {layer = "skip", layer_type = "Add"} : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x2x!fixed.fixed<8, 3, signed>>) -> tensor<2x2x!fixed.fixed<9, 4, signed>>
// CHECK-NEXT:    %b_1 = fixed.cast %b TRN WRAP {layer = "skip", layer_type = "Add"} : tensor<2x2x!fixed.fixed<9, 4, signed>> -> tensor<2x2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:    %2 = fixed.dequantize %b_1 : tensor<2x2x!fixed.fixed<8, 3, signed>> -> tensor<2x2xf64>
// CHECK-NEXT:    func.return %2 : tensor<2x2xf64>

// SAT_SYM clamps to [-max, max]: -100 becomes -31 (-3.875, not -4): error 96.125.
// MODES-LABEL: func.func @add(
// MODES:         %a = fixed.constant dense<[12, -31]> : tensor<2xi8> as tensor<2x!fixed.fixed<6, 3, signed>> {layer = "bias", layer_type = "Add", error = 9.612500e+01 : f64}

// Unsigned codes of 8 bits are stored as i16; -100 saturates to 0 (error 100).
// UFIXED-LABEL: func.func @add(
// UFIXED-NEXT:    %0 = fixed.quantize %x RND WRAP {layer = "x"} : tensor<2x2xf32> -> tensor<2x2x!fixed.fixed<8, 4, unsigned>>
// UFIXED-NEXT:    %1 = fixed.quantize %y RND WRAP {layer = "y"} : tensor<2xf32> -> tensor<2x!fixed.fixed<8, 4, unsigned>>
// UFIXED-NEXT:    %a = fixed.constant dense<[24, 0]> : tensor<2xi16> as tensor<2x!fixed.fixed<8, 4, unsigned>> {layer = "bias", layer_type = "Add", error = 1.000000e+02 : f64}
// UFIXED-NEXT:    %a_1 = fixed.add %0, %a {layer = "bias", layer_type = "Add"} : (tensor<2x2x!fixed.fixed<8, 4, unsigned>>, tensor<2x!fixed.fixed<8, 4, unsigned>>) -> tensor<2x2x!fixed.fixed<9, 5, unsigned>>
// UFIXED-NEXT:    %a_2 = fixed.cast %a_1 RND WRAP {layer = "bias", layer_type = "Add"} : tensor<2x2x!fixed.fixed<9, 5, unsigned>> -> tensor<2x2x!fixed.fixed<8, 4, unsigned>>

func.func @relu_only(%x: tensor<2xf32>) -> tensor<2xf32> {
  %r = nn.relu %x : tensor<2xf32>
  func.return %r : tensor<2xf32>
}
// A relu straight after the input; no layer name on the relu.
// CHECK-LABEL: func.func @relu_only(%x: tensor<2xf32>) -> tensor<2xf64> {
// CHECK-NEXT:    %0 = fixed.quantize %x TRN WRAP {layer = "x"} : tensor<2xf32> -> tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:    %r = fixed.relu %0 {layer_type = "ReLU"} : tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:    %1 = fixed.dequantize %r : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2xf64>
// CHECK-NEXT:    func.return %1 : tensor<2xf64>

// INT-LABEL: func.func @relu_only(%x: tensor<2xf32>) -> tensor<2xf64> {
// INT-NEXT:    %0 = fixed.quantize %x TRN WRAP {layer = "x"} : tensor<2xf32> -> tensor<2x!fixed.fixed<6, 6, signed>>
// INT-NEXT:    %r = fixed.relu %0 {layer_type = "ReLU"} : tensor<2x!fixed.fixed<6, 6, signed>>
// INT-NEXT:    %1 = fixed.dequantize %r : tensor<2x!fixed.fixed<6, 6, signed>> -> tensor<2xf64>
