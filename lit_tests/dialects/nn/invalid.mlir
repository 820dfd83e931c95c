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
