// Every verifier message of the nn dialect. Each chunk's output must START with its message (the
// CHECK-NEXT after each separator), so a chunk that stops being rejected fails the test.
// RUN: xdsl-opt %s --verify-diagnostics --split-input-file | filecheck %s

%c = nn.constant dense<[1, 2]> : tensor<2xi32>
// CHECK:      nn.constant result must be a tensor of floats, got tensor<2xi32>
// CHECK-NEXT: "builtin.module"() ({
// CHECK-NEXT:   %c = "nn.constant"() <{value = dense<[1, 2]> : tensor<2xi32>}> : () -> tensor<2xi32>
// CHECK-NEXT:   {{^}}  ^^^^^^^^^^^^^^^^^^{{-+$}}
// CHECK-NEXT:   | Operation does not verify: nn.constant result must be a tensor of floats, got tensor<2xi32>

// -----
%x = "test.op"() : () -> tensor<4xi32>
%w = "test.op"() : () -> tensor<4x2xf32>
%y = nn.dense %x, %w : (tensor<4xi32>, tensor<4x2xf32>) -> tensor<2xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.dense input must be a tensor of floats, got tensor<4xi32>

// -----
%x = "test.op"() : () -> tensor<4xf32>
%w = "test.op"() : () -> tensor<4x2xf16>
%b = "test.op"() : () -> tensor<2xi8>
%y = nn.dense %x, %w, %b : (tensor<4xf32>, tensor<4x2xf16>, tensor<2xi8>) -> tensor<2xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.dense bias must be a tensor of floats, got tensor<2xi8>

// -----
%x = "test.op"() : () -> tensor<4xf32>
%w = "test.op"() : () -> tensor<4xf32>
%y = nn.dense %x, %w : (tensor<4xf32>, tensor<4xf32>) -> tensor<2xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.dense weight must be 2-D [in, out], got shape [4]

// -----
%x = "test.op"() : () -> tensor<4xf32>
%w = "test.op"() : () -> tensor<3x2xf32>
%y = nn.dense %x, %w : (tensor<4xf32>, tensor<3x2xf32>) -> tensor<2xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.dense input's last dimension (4) must equal the weight's first dimension (3)

// -----
%x = "test.op"() : () -> tensor<f32>
%w = "test.op"() : () -> tensor<3x2xf32>
%y = nn.dense %x, %w : (tensor<f32>, tensor<3x2xf32>) -> tensor<2xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.dense input's last dimension (none) must equal the weight's first dimension (3)

// -----
%x = "test.op"() : () -> tensor<3xf32>
%w = "test.op"() : () -> tensor<3x2xf32>
%b = "test.op"() : () -> tensor<3xf32>
%y = nn.dense %x, %w, %b : (tensor<3xf32>, tensor<3x2xf32>, tensor<3xf32>) -> tensor<2xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.dense bias must have shape [2], got [3]

// -----
%x = "test.op"() : () -> tensor<5x3xf32>
%w = "test.op"() : () -> tensor<3x2xf32>
%y = nn.dense %x, %w : (tensor<5x3xf32>, tensor<3x2xf32>) -> tensor<2xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.dense result must have shape [5, 2], got [2]

// -----
%x = "test.op"() : () -> tensor<3xf32>
%w = "test.op"() : () -> tensor<3x2xf32>
%y = nn.dense %x, %w : (tensor<3xf32>, tensor<3x2xf32>) -> tensor<2xi32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.dense result must be a tensor of floats, got tensor<2xi32>

// -----
%x = "test.op"() : () -> tensor<3xi32>
%y = nn.relu %x : tensor<3xi32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.relu operand must be a tensor of floats, got tensor<3xi32>

// -----
%x = "test.op"() : () -> tensor<3xi16>
%y = nn.sigmoid %x : tensor<3xi16>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.sigmoid operand must be a tensor of floats, got tensor<3xi16>

// -----
%x = "test.op"() : () -> tensor<3x!fixed.fixed<8, 3, signed>>
%y = nn.tanh %x : tensor<3x!fixed.fixed<8, 3, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.tanh operand must be a tensor of floats, got tensor<3x!fixed.fixed<8, 3, signed>>

// -----
%x = "test.op"() : () -> tensor<2x3xf32>
%y = nn.softmax %x axis 2 : tensor<2x3xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.softmax axis 2 is out of range for rank 2

// -----
%x = "test.op"() : () -> tensor<3xf32>
%y = nn.softmax %x axis -1 : tensor<3xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.softmax axis -1 is out of range for rank 1

// -----
%x = "test.op"() : () -> tensor<3xi32>
%y = nn.softmax %x axis 0 : tensor<3xi32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.softmax operand must be a tensor of floats, got tensor<3xi32>

// -----
%a = "test.op"() : () -> tensor<3xf32>
%b = "test.op"() : () -> tensor<2xf32>
%y = nn.add %a, %b : (tensor<3xf32>, tensor<2xf32>) -> tensor<3xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.add: shapes [3] and [2] cannot be broadcast together

// -----
%a = "test.op"() : () -> tensor<2x1xf32>
%b = "test.op"() : () -> tensor<3xf32>
%y = nn.add %a, %b : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<3xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.add result must have shape [2, 3], got [3]

// -----
%a = "test.op"() : () -> tensor<3xf32>
%b = "test.op"() : () -> tensor<3xi32>
%y = nn.add %a, %b : (tensor<3xf32>, tensor<3xi32>) -> tensor<3xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.add rhs must be a tensor of floats, got tensor<3xi32>

// -----
%a = "test.op"() : () -> tensor<2x3xf32>
%b = "test.op"() : () -> tensor<3xf32>
%y = nn.sub %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<3x3xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.sub result must have shape [2, 3], got [3, 3]

// -----
%a = "test.op"() : () -> tensor<2x3xf32>
%b = "test.op"() : () -> tensor<2xf32>
%y = nn.max %a, %b : (tensor<2x3xf32>, tensor<2xf32>) -> tensor<2x3xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.max: shapes [2, 3] and [2] cannot be broadcast together

// -----
%a = "test.op"() : () -> tensor<3xf32>
%b = "test.op"() : () -> tensor<3xf32>
%y = nn.min %a, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<1x3xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.min result must have shape [3], got [1, 3]

// -----
%a = "test.op"() : () -> tensor<3xi8>
%b = "test.op"() : () -> tensor<3xf32>
%y = nn.mul %a, %b : (tensor<3xi8>, tensor<3xf32>) -> tensor<3xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.mul lhs must be a tensor of floats, got tensor<3xi8>

// Convolutions (the shape rules shared with fixed.conv, dialects/windows.py and shapes.py).
// -----
%x = "test.op"() : () -> tensor<2x2x2x3xf32>
%w = "test.op"() : () -> tensor<1x1x1x3x4xf32>
%y = nn.conv %x, %w {strides = array<i64: 1, 1, 1>, dilations = array<i64: 1, 1, 1>, pads = array<i64: 0, 0, 0, 0, 0, 0>, groups = 1 : i64} : (tensor<2x2x2x3xf32>, tensor<1x1x1x3x4xf32>) -> tensor<2x2x2x4xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.conv: input [2, 2, 2, 3] and weight [1, 1, 1, 3, 4] must be [*spatial, C] and [*kernel, C/groups, O]

// -----
%x = "test.op"() : () -> tensor<5x4xf32>
%w = "test.op"() : () -> tensor<3x3x6xf32>
%y = nn.conv %x, %w {strides = array<i64: 1>, dilations = array<i64: 1>, pads = array<i64: 0, 0>, groups = 2 : i64} : (tensor<5x4xf32>, tensor<3x3x6xf32>) -> tensor<3x6xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.conv: 4 input channels, 2 groups and weight [3, 3, 6] do not match

// -----
%x = "test.op"() : () -> tensor<5x5x2xf32>
%w = "test.op"() : () -> tensor<3x3x2x4xf32>
%y = nn.conv %x, %w {strides = array<i64: 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1 : i64} : (tensor<5x5x2xf32>, tensor<3x3x2x4xf32>) -> tensor<3x3x4xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.conv: window attributes must have 2 entries (pads 4)

// -----
%x = "test.op"() : () -> tensor<5x2xf32>
%w = "test.op"() : () -> tensor<3x2x4xf32>
%y = nn.conv %x, %w {strides = array<i64: 0>, dilations = array<i64: 1>, pads = array<i64: 0, 0>, groups = 1 : i64} : (tensor<5x2xf32>, tensor<3x2x4xf32>) -> tensor<3x4xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.conv: kernel, strides and dilations must be >= 1 and pads >= 0

// -----
%x = "test.op"() : () -> tensor<5x2xf32>
%w = "test.op"() : () -> tensor<3x2x4xf32>
%y = nn.conv %x, %w {strides = array<i64: 1>, dilations = array<i64: 3>, pads = array<i64: 1, 0>, groups = 1 : i64} : (tensor<5x2xf32>, tensor<3x2x4xf32>) -> tensor<1x4xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.conv: the window (7) is larger than the padded input (6)

// -----
%x = "test.op"() : () -> tensor<5x5x2xf32>
%w = "test.op"() : () -> tensor<3x3x2x4xf32>
%y = nn.conv %x, %w {strides = array<i64: 2, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, groups = 1 : i64} : (tensor<5x5x2xf32>, tensor<3x3x2x4xf32>) -> tensor<3x3x4xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.conv result must have shape [2, 3, 4], got [3, 3, 4]

// -----
%x = "test.op"() : () -> tensor<5x2xf32>
%w = "test.op"() : () -> tensor<3x2x4xf32>
%b = "test.op"() : () -> tensor<2xf32>
%y = nn.conv %x, %w, %b {strides = array<i64: 1>, dilations = array<i64: 1>, pads = array<i64: 0, 0>, groups = 1 : i64} : (tensor<5x2xf32>, tensor<3x2x4xf32>, tensor<2xf32>) -> tensor<3x4xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.conv bias must have shape [4]

// -----
%x = "test.op"() : () -> tensor<5x2xi32>
%w = "test.op"() : () -> tensor<3x2x4xf32>
%y = nn.conv %x, %w {strides = array<i64: 1>, dilations = array<i64: 1>, pads = array<i64: 0, 0>, groups = 1 : i64} : (tensor<5x2xi32>, tensor<3x2x4xf32>) -> tensor<3x4xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.conv input must be a tensor of floats, got tensor<5x2xi32>

// Pools
// -----
%x = "test.op"() : () -> tensor<2x2x2x3xf32>
%y = nn.max_pool %x {kernel = array<i64: 1, 1, 1>, strides = array<i64: 1, 1, 1>, pads = array<i64: 0, 0, 0, 0, 0, 0>} : tensor<2x2x2x3xf32> -> tensor<2x2x2x3xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.max_pool input must be [*spatial, channels] with 1 or 2 spatial axes, got [2, 2, 2, 3]

// -----
%x = "test.op"() : () -> tensor<4x4x3xf32>
%y = nn.avg_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, -1>} : tensor<4x4x3xf32> -> tensor<2x2x3xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.avg_pool: kernel, strides and dilations must be >= 1 and pads >= 0

// -----
%x = "test.op"() : () -> tensor<4x4x3xf32>
%y = nn.max_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>} : tensor<4x4x3xf32> -> tensor<2x2x1xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.max_pool result must have shape [2, 2, 3], got [2, 2, 1]

// Activations
// -----
%x = "test.op"() : () -> tensor<2x3xf32>
%s = "test.op"() : () -> tensor<2xf32>
%y = nn.batchnorm %x, %s, %s : (tensor<2x3xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2x3xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.batchnorm scale must have shape [3]

// -----
%x = "test.op"() : () -> tensor<2x3xf32>
%s = "test.op"() : () -> tensor<3xf32>
%y = nn.batchnorm %x, %s, %s : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3xf16>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.batchnorm must keep the type

// -----
%x = "test.op"() : () -> tensor<3xf32>
%y = nn.clip %x {min = 1.0 : f64, max = -1.0 : f64} : tensor<3xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.clip min must not exceed max

// -----
%x = "test.op"() : () -> tensor<3xi32>
%y = nn.leaky_relu %x {alpha = 0.1 : f64} : tensor<3xi32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.leaky_relu operand must be a tensor of floats, got tensor<3xi32>

// -----
%x = "test.op"() : () -> tensor<2x3xf32>
%s = "test.op"() : () -> tensor<2xf32>
%y = nn.prelu %x, %s : (tensor<2x3xf32>, tensor<2xf32>) -> tensor<2x3xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.prelu: shapes [2, 3] and [2] cannot be broadcast together

// -----
%x = "test.op"() : () -> tensor<3xf32>
%s = "test.op"() : () -> tensor<2x3xf32>
%y = nn.prelu %x, %s : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<3xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.prelu: slope [2, 3] does not broadcast to [3]

// -----
%x = "test.op"() : () -> tensor<3xf32>
%y = nn.activation "gelu" %x {params = array<f64>} : tensor<3xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.activation: unknown function 'gelu'; known: elu, selu, softplus

// nn.quant (dialects/nn_quant.py)
// -----
%x = "test.op"() : () -> tensor<2x3xf32>
%y = nn.quant %x scale [1.0] zero_point [0.0] bits 8 round "ROUND" {pre_scale = array<f64: 2.0>} : tensor<2x3xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.quant pre_scale and pre_bias go together

// -----
%x = "test.op"() : () -> tensor<2x3xf32>
%y = nn.quant %x scale [1.0] zero_point [0.0] bits 8 narrow wrap round "ROUND" : tensor<2x3xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.quant wrap needs bits (not one signed bit), no narrow, no pre-step, zero_point 0

// -----
%x = "test.op"() : () -> tensor<2x3xf32>
%y = nn.quant %x scale [1.0, 0.5] zero_point [0.0] bits 8 round "ROUND" : tensor<2x3xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.quant scale must have 1 or 3 (the last axis) values, got 2

// -----
%x = "test.op"() : () -> tensor<2x3xf32>
%y = nn.quant %x scale [1.0] zero_point [1.0e400] bits 8 round "ROUND" : tensor<2x3xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.quant zero_point must be finite

// -----
%x = "test.op"() : () -> tensor<2x3xf32>
%y = nn.quant %x scale [0.5, -0.5, 1.0] zero_point [0.0] bits 8 round "ROUND" : tensor<2x3xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.quant scale must be positive

// -----
%x = "test.op"() : () -> tensor<2x3xf32>
%y = nn.quant %x scale [1.0] zero_point [0.5] bits 8 round "ROUND" : tensor<2x3xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.quant zero_point must hold integers

// -----
%x = "test.op"() : () -> tensor<2x3xf32>
%y = nn.quant %x scale [1.0] zero_point [0.0] bits 8 round "NEAREST" : tensor<2x3xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.quant rounding 'NEAREST' is unknown; known: ROUND, HALF_EVEN, CEIL, FLOOR, UP, DOWN, HALF_UP, HALF_DOWN

// -----
%x = "test.op"() : () -> tensor<2x3xf32>
%y = nn.quant %x scale [1.0] zero_point [0.0] signed round "ROUND" : tensor<2x3xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.quant without bits (no clamping) takes no signed, narrow or zero_point

// -----
%x = "test.op"() : () -> tensor<2x3xf32>
%y = nn.quant %x scale [1.0] zero_point [0.0] bits 65 round "ROUND" : tensor<2x3xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.quant bits must be in [1, 64], got 65

// -----
%x = "test.op"() : () -> tensor<2x3xf32>
%y = nn.quant %x scale [1.0] zero_point [0.0] bits 1 narrow round "ROUND" : tensor<2x3xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.quant: one bit cannot be narrow

// -----
%x = "test.op"() : () -> tensor<2x4xf32>
%s = "test.op"() : () -> tensor<4xf32>
%y = nn.layer_norm %x, %s axes 3 epsilon 1.0e-05 : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.layer_norm axes 3 must be between 1 and the input's rank 2

// -----
%x = "test.op"() : () -> tensor<2x4xf32>
%s = "test.op"() : () -> tensor<4xf32>
%y = nn.layer_norm %x, %s axes 1 epsilon -1.0 : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.layer_norm epsilon must be finite and >= 0, got -1.0

// -----
%x = "test.op"() : () -> tensor<2x4xf32>
%s = "test.op"() : () -> tensor<4xf32>
%b = "test.op"() : () -> tensor<2x4xf32>
%y = nn.layer_norm %x, %s, %b axes 1 epsilon 1.0e-05 : (tensor<2x4xf32>, tensor<4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.layer_norm bias must have the normalized shape [4], got [2, 4]

// -----
%x = "test.op"() : () -> tensor<2x4xf32>
%s = "test.op"() : () -> tensor<4xi32>
%y = nn.layer_norm %x, %s axes 1 epsilon 1.0e-05 : (tensor<2x4xf32>, tensor<4xi32>) -> tensor<2x4xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.layer_norm scale must be a tensor of floats, got tensor<4xi32>

// -----
%x = "test.op"() : () -> tensor<2x4xf32>
%s = "test.op"() : () -> tensor<4xf32>
%y = nn.layer_norm %x, %s axes 1 epsilon 1.0e-05 : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf64>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.layer_norm result must have the input's type tensor<2x4xf32>

// -----
%x = "test.op"() : () -> tensor<3xf32>
%w = "test.op"() : () -> tensor<3x4xf32>
%r = "test.op"() : () -> tensor<1x4xf32>
%b = "test.op"() : () -> tensor<4xf32>
%h = "test.op"() : () -> tensor<1xf32>
%y, %hn, %cn = nn.lstm %x, %w, %r, %b, %b, %h, %h : (tensor<3xf32>, tensor<3x4xf32>, tensor<1x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> (tensor<3x1xf32>, tensor<1xf32>, tensor<1xf32>)
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.lstm input must be a sequence [steps, features], got shape [3]

// -----
%x = "test.op"() : () -> tensor<3x2xf32>
%w = "test.op"() : () -> tensor<2x4xf32>
%r = "test.op"() : () -> tensor<1x3xf32>
%b = "test.op"() : () -> tensor<4xf32>
%h = "test.op"() : () -> tensor<1xf32>
%y, %hn, %cn = nn.lstm %x, %w, %r, %b, %b, %h, %h : (tensor<3x2xf32>, tensor<2x4xf32>, tensor<1x3xf32>, tensor<4xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> (tensor<3x1xf32>, tensor<1xf32>, tensor<1xf32>)
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.lstm recurrence must be [hidden, 4 * hidden], got [1, 3]

// -----
%x = "test.op"() : () -> tensor<3x2xf32>
%w = "test.op"() : () -> tensor<3x3xf32>
%r = "test.op"() : () -> tensor<1x3xf32>
%b = "test.op"() : () -> tensor<3xf32>
%h = "test.op"() : () -> tensor<1xf32>
%y, %hn = nn.gru %x, %w, %r, %b, %b, %h : (tensor<3x2xf32>, tensor<3x3xf32>, tensor<1x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<1xf32>) -> (tensor<3x1xf32>, tensor<1xf32>)
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.gru weight must be [2, 3], got [3, 3]

// -----
%x = "test.op"() : () -> tensor<3x2xf32>
%w = "test.op"() : () -> tensor<2x3xf32>
%r = "test.op"() : () -> tensor<1x3xf32>
%b = "test.op"() : () -> tensor<3xf32>
%rb = "test.op"() : () -> tensor<2xf32>
%h = "test.op"() : () -> tensor<1xf32>
%y, %hn = nn.gru %x, %w, %r, %b, %rb, %h : (tensor<3x2xf32>, tensor<2x3xf32>, tensor<1x3xf32>, tensor<3xf32>, tensor<2xf32>, tensor<1xf32>) -> (tensor<3x1xf32>, tensor<1xf32>)
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.gru recurrent_bias must be [3], got [2]

// -----
%x = "test.op"() : () -> tensor<3x2xf32>
%w = "test.op"() : () -> tensor<2x1xf32>
%r = "test.op"() : () -> tensor<1x1xf32>
%b = "test.op"() : () -> tensor<1xf32>
%h = "test.op"() : () -> tensor<2xf32>
%y, %hn = nn.simple_rnn %x, %w, %r, %b, %b, %h : (tensor<3x2xf32>, tensor<2x1xf32>, tensor<1x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<2xf32>) -> (tensor<3x1xf32>, tensor<1xf32>)
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.simple_rnn initial states must be [1], got [2]

// -----
%x = "test.op"() : () -> tensor<3x2xf32>
%w = "test.op"() : () -> tensor<2x1xf32>
%r = "test.op"() : () -> tensor<1x1xf32>
%b = "test.op"() : () -> tensor<1xf32>
%h = "test.op"() : () -> tensor<1xf32>
%y, %hn = nn.simple_rnn %x, %w, %r, %b, %b, %h : (tensor<3x2xf32>, tensor<2x1xf32>, tensor<1x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> (tensor<2x1xf32>, tensor<1xf32>)
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.simple_rnn output must be [3, 1], got [2, 1]

// -----
%x = "test.op"() : () -> tensor<3x2xf32>
%w = "test.op"() : () -> tensor<2x1xf32>
%r = "test.op"() : () -> tensor<1x1xf32>
%b = "test.op"() : () -> tensor<1xf32>
%h = "test.op"() : () -> tensor<1xf32>
%y, %hn = nn.simple_rnn %x, %w, %r, %b, %b, %h {activation = "softsign"} : (tensor<3x2xf32>, tensor<2x1xf32>, tensor<1x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> (tensor<3x1xf32>, tensor<1xf32>)
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.simple_rnn activations must be among sigmoid, tanh, relu, hard_sigmoid, leaky_relu, thresholded_relu, affine, scaled_tanh, elu, softplus, got ['softsign']

// -----
%x = "test.op"() : () -> tensor<3x2xf32>
%w = "test.op"() : () -> tensor<2x4xf32>
%r = "test.op"() : () -> tensor<1x4xf32>
%b = "test.op"() : () -> tensor<4xf32>
%h = "test.op"() : () -> tensor<1xf32>
%y, %hn, %cn = nn.lstm %x, %w, %r, %b, %b, %h, %h {activations = ["sigmoid", "tanh"]} : (tensor<3x2xf32>, tensor<2x4xf32>, tensor<1x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> (tensor<3x1xf32>, tensor<1xf32>, tensor<1xf32>)
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.lstm takes 3 activations, got 2

// nn.fixed_quant (dialects/nn_quant.py)
// -----
%x = "test.op"() : () -> tensor<2x3xf32>
%y = nn.fixed_quant %x types dense<[[1, 4, 2]]> : tensor<1x3xi32> round "FLOOR" overflow "WRAP" : tensor<2x3xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.fixed_quant types of shape [1] do not broadcast to the tensor [2, 3]

// -----
%x = "test.op"() : () -> tensor<2x3xf32>
%y = nn.fixed_quant %x types dense<[[[1, 4, 2]]]> : tensor<1x1x3xi32> round "NEAREST" overflow "WRAP" : tensor<2x3xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.fixed_quant rounding 'NEAREST' is unknown; known: ROUND, HALF_EVEN, CEIL, FLOOR, UP, DOWN, HALF_UP, HALF_DOWN, HALF_POSITIVE

// -----
%x = "test.op"() : () -> tensor<2x3xf32>
%y = nn.fixed_quant %x types dense<[[[1, 4, 2]]]> : tensor<1x1x3xi32> round "FLOOR" overflow "SAT_ZERO" : tensor<2x3xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.fixed_quant overflow 'SAT_ZERO' is unknown; known: SAT, SAT_SYM, WRAP

// -----
%x = "test.op"() : () -> tensor<3x2xf32>
%w = "test.op"() : () -> tensor<2x1xf32>
%r = "test.op"() : () -> tensor<1x1xf32>
%b = "test.op"() : () -> tensor<1xf32>
%h = "test.op"() : () -> tensor<1xf32>
%y, %hn = nn.simple_rnn %x, %w, %r, %b, %b, %h {activation = "leaky_relu", activation_params = array<f64: 0.1>} : (tensor<3x2xf32>, tensor<2x1xf32>, tensor<1x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> (tensor<3x1xf32>, tensor<1xf32>)
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.simple_rnn activation_params must be 2 finite numbers (alpha, beta per activation), got [0.1]

// -----
%x = "test.op"() : () -> tensor<3x2xf32>
%w = "test.op"() : () -> tensor<2x1xf32>
%r = "test.op"() : () -> tensor<1x1xf32>
%b = "test.op"() : () -> tensor<1xf32>
%h = "test.op"() : () -> tensor<1xf32>
%y, %hn = nn.simple_rnn %x, %w, %r, %b, %b, %h {activation = "scaled_tanh"} : (tensor<3x2xf32>, tensor<2x1xf32>, tensor<1x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> (tensor<3x1xf32>, tensor<1xf32>)
// CHECK:      {{^//}} -----
// CHECK-NEXT: nn.simple_rnn activations ['scaled_tanh'] need activation_params (alpha, beta)
