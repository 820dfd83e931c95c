// nn-to-fixed rejects a configuration it cannot use with one error naming the key or layer at
// fault (the traceback's last line is checked). The model's layers: x (the input), fc1, relu1.
//
// A layer name the model does not have: the message lists the model's layers, inputs first.
// RUN: %python %inputs/pass_errors.py %s \
// RUN:   'NAME=nn-to-fixed{config="{\"LayerName\": {\"fc3\": {\"Precision\": \"ap_fixed<8,3>\"}}}"}' \
// NAME: --- NAME
// NAME-NEXT: {{^}}dialects.errors.CompileError: nn-to-fixed: LayerName: no layer named 'fc3' in the model; layers: x, fc1, relu1{{$}}
//
// A malformed precision string, named by its path in the configuration:
// RUN:   'MALFORMED=nn-to-fixed{config="{\"LayerName\": {\"fc1\": {\"Precision\": {\"result\": \"ap_fixd<8,3>\"}}}}"}' \
// MALFORMED: --- MALFORMED
// MALFORMED-NEXT: {{^}}dialects.errors.CompileError: nn-to-fixed: LayerName.fc1.Precision.result: malformed precision 'ap_fixd<8,3>': expected e.g. 'ap_fixed<16,6>', 'ap_ufixed<8,0,AP_RND,AP_SAT>' or 'ap_int<8>'{{$}}
//
// An unknown role; `maximum` is a role of the model level only.
// RUN:   'ROLE=nn-to-fixed{config="{\"LayerType\": {\"Dense\": {\"Precision\": {\"maximum\": \"ap_fixed<8,3>\"}}}}"}' \
// ROLE: --- ROLE
// ROLE-NEXT: {{^}}dialects.errors.CompileError: nn-to-fixed: LayerType.Dense.Precision: unknown role 'maximum'; valid: default, result, accum, weight, bias, table{{$}}
// RUN:   'MODELROLE=nn-to-fixed{config="{\"Model\": {\"Precision\": {\"results\": \"ap_fixed<8,3>\"}}}"}' \
// MODELROLE: --- MODELROLE
// MODELROLE-NEXT: {{^}}dialects.errors.CompileError: nn-to-fixed: Model.Precision: unknown role 'results'; valid: default, result, accum, weight, bias, table, maximum, error{{$}}
//
// An unknown section (keys are compared without case and underscores, and printed as written), an
// unknown key inside a section, an unknown layer type:
// RUN:   'SECTION=nn-to-fixed{config="{\"Layer_Names\": {}}"}' \
// SECTION: --- SECTION
// SECTION-NEXT: {{^}}dialects.errors.CompileError: nn-to-fixed: config: unknown section 'Layer_Names'; valid: Model, LayerType, LayerName{{$}}
// RUN:   'KEY=nn-to-fixed{config="{\"LayerName\": {\"fc1\": {\"Precison\": \"ap_fixed<8,3>\"}}}"}' \
// KEY: --- KEY
// KEY-NEXT: {{^}}dialects.errors.CompileError: nn-to-fixed: LayerName.fc1: unknown key 'Precison'; valid: Precision, ReuseFactor, Strategy, TableSize{{$}}
// (hls4ml's class names are accepted for our kinds, Conv2D for Conv: Conv3D is not one; the list
// is of our kinds and hls4ml's two group names, Activation and Merge)
// RUN:   'TYPE=nn-to-fixed{config="{\"LayerType\": {\"Conv3D\": {}}}"}' \
// TYPE: --- TYPE
// TYPE-NEXT: {{^}}dialects.errors.CompileError: nn-to-fixed: LayerType: unknown layer type 'Conv3D'; valid: Abs, Activation, Add, BatchNormalization, Clip, Conv, Dense, ELU, GRU, HardSigmoid, Input, LSTM, LayerNormalization, LeakyReLU, Maximum, Merge, Minimum, Mul, PReLU, Pooling, ReLU, SELU, Sigmoid, SimpleRNN, Softmax, Softplus, Sub, TanH, ThresholdedReLU{{$}}
//
// ReuseFactor must be an integer >= 1 (a string is not one), TableSize a power of two >= 2:
// RUN:   'REUSE=nn-to-fixed{config="{\"Model\": {\"ReuseFactor\": 0}}"}' \
// REUSE: --- REUSE
// REUSE-NEXT: {{^}}dialects.errors.CompileError: nn-to-fixed: Model.ReuseFactor: must be an integer >= 1, got 0{{$}}
// RUN:   'REUSESTR=nn-to-fixed{config="{\"LayerName\": {\"fc1\": {\"reuse_factor\": \"2\"}}}"}' \
// REUSESTR: --- REUSESTR
// REUSESTR-NEXT: {{^}}dialects.errors.CompileError: nn-to-fixed: LayerName.fc1.ReuseFactor: must be an integer >= 1, got '2'{{$}}
// RUN:   'TABLESIZE=nn-to-fixed{config="{\"LayerType\": {\"Softmax\": {\"TableSize\": 6}}}"}' \
// TABLESIZE: --- TABLESIZE
// TABLESIZE-NEXT: {{^}}dialects.errors.CompileError: nn-to-fixed: LayerType.Softmax.TableSize: must be a power of two >= 2, got 6{{$}}
//
// A setting that reaches no layer is an error, never ignored: a layer type the model lacks (the
// message lists its layers with their types), a setting no layer of the type uses (relu layers do no
// multiplications), a setting the named layer does not use (a relu has no table):
// RUN:   'NOTYPE=nn-to-fixed{config="{\"LayerType\": {\"Conv\": {\"ReuseFactor\": 4}}}"}' \
// NOTYPE: --- NOTYPE
// NOTYPE-NEXT: {{^}}dialects.errors.CompileError: nn-to-fixed: LayerType.Conv: no layer of type Conv in the model; layers: x (Input), fc1 (Dense), relu1 (ReLU){{$}}
// RUN:   'UNUSED=nn-to-fixed{config="{\"LayerType\": {\"ReLU\": {\"ReuseFactor\": 4}}}"}' \
// UNUSED: --- UNUSED
// UNUSED-NEXT: {{^}}dialects.errors.CompileError: nn-to-fixed: LayerType.ReLU.ReuseFactor: no ReLU layer uses it; the layers that do: fc1 (Dense){{$}}
// RUN:   'NAMEUNUSED=nn-to-fixed{config="{\"LayerName\": {\"relu1\": {\"TableSize\": 64}}}"}' \
// NAMEUNUSED: --- NAMEUNUSED
// NAMEUNUSED-NEXT: {{^}}dialects.errors.CompileError: nn-to-fixed: LayerName.relu1.TableSize: layer relu1 (ReLU) does not use it; the layers that do: none{{$}}
//
// A config that is neither a file nor JSON text (it does not start with `{`: a path):
// RUN:   'FILE=nn-to-fixed{config="%t.missing.yaml"}' | filecheck %s --check-prefixes=NAME,MALFORMED,ROLE,MODELROLE,SECTION,KEY,TYPE,REUSE,REUSESTR,TABLESIZE,NOTYPE,UNUSED,NAMEUNUSED,FILE
// FILE: --- FILE
// FILE-NEXT: {{^}}dialects.errors.CompileError: nn-to-fixed: config file {{.*}}.missing.yaml: no such file{{$}}

func.func @net(%x: tensor<2xf32>) -> tensor<2xf32> {
  %w1 = nn.constant dense<[[0.5, -0.25], [1.0, 0.125]]> : tensor<2x2xf32>
  %d1 = nn.dense %x, %w1 {layer = "fc1"} : (tensor<2xf32>, tensor<2x2xf32>) -> tensor<2xf32>
  %r = nn.relu %d1 {layer = "relu1"} : tensor<2xf32>
  func.return %r : tensor<2xf32>
}
