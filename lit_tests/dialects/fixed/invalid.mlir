// Every verifier message of the fixed dialect (FixedType.verify and the ops' verify_). Each chunk's
// output must START with its message (the CHECK-NEXT after each separator), so a chunk that stops
// being rejected fails the test.
// RUN: xdsl-opt %s --verify-diagnostics --split-input-file | filecheck %s
//
// A signedness other than 0/1 cannot be spelled in the textual syntax (only `signed`/`unsigned`
// parse): build the type from Python.
// RUN: not %python -c "from dialects.fixed import FixedType; FixedType(16, 6, 2)" 2>&1 | filecheck %s --check-prefix=SIGNEDNESS
// SIGNEDNESS: xdsl.utils.exceptions.VerifyException: fixed-point signedness must be 0 or 1
// And the type's parser rejects a word other than signed/unsigned:
// RUN: xdsl-opt %inputs/fixed_bad_sign.mlir --parsing-diagnostics | filecheck %s --check-prefix=SIGNWORD
// SIGNWORD:      %x = "test.op"() : () -> tensor<4x!fixed.fixed<8, 3, sign>>
// SIGNWORD-NEXT: {{^ +\^\^\^\^$}}
// SIGNWORD-NEXT: expected 'signed' or 'unsigned'

%x = "test.op"() : () -> tensor<4x!fixed.fixed<0, 6, signed>>
// CHECK: fixed-point width must be at least 1, got 0

// -----
%x = "test.op"() : () -> tensor<3xf32>
%y = fixed.relu %x : tensor<3xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.relu operand must be a tensor of !fixed.fixed, got tensor<3xf32>
// CHECK-NEXT: "builtin.module"() ({
// CHECK-NEXT:   %x = "test.op"() : () -> tensor<3xf32>
// CHECK-NEXT:   %y = "fixed.relu"(%x) : (tensor<3xf32>) -> tensor<3xf32>
// CHECK-NEXT:   {{^}}  ^^^^^^^^^^^^^^^^^{{-+$}}
// CHECK-NEXT:   | Operation does not verify: fixed.relu operand must be a tensor of !fixed.fixed, got tensor<3xf32>

// -----
%c = fixed.constant dense<[0.5, 1.0]> : tensor<2xf32> as tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.constant codes must be a dense attribute of i8, i16, i32 or i64 codes, got f32

// -----
%c = fixed.constant dense<[1, 2]> : tensor<2xi4> as tensor<2x!fixed.fixed<4, 3, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.constant codes must be a dense attribute of i8, i16, i32 or i64 codes, got i4

// -----
%x = "test.op"() : () -> tensor<3x!fixed.fixed<8, 3, signed>>
%y = fixed.lookup "sigmoid" %x offset 0 index !fixed.fixed<1, 1, unsigned> table dense<[0.5, 1.0]> : tensor<2xf32> : tensor<3x!fixed.fixed<8, 3, signed>> -> tensor<3x!fixed.fixed<8, 1, unsigned>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.lookup table must be a dense attribute of i8, i16, i32 or i64 codes, got f32

// -----
%c = fixed.constant dense<[1, 2]> : tensor<2xi8> as tensor<2xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.constant result must be a tensor of !fixed.fixed, got tensor<2xf32>

// -----
%c = fixed.constant dense<[1, 2]> : tensor<2xi8> as tensor<3x!fixed.fixed<8, 3, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.constant codes have shape [2], result has [3]

// -----
%c = fixed.constant dense<[-129, 5]> : tensor<2xi16> as tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.constant codes [-129, 5] do not fit ap_fixed<8,3> (codes [-128, 127])

// -----
%c = fixed.constant dense<[1, 5]> : tensor<2xi16> as tensor<2x!fixed.fixed<8, 3, signed>> {error = -0.5 : f64}
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.constant error must be finite and >= 0, got -0.5

// -----
%c = fixed.constant dense<[0, 256]> : tensor<2xi16> as tensor<2x!fixed.fixed<8, 0, unsigned>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.constant codes [0, 256] do not fit ap_ufixed<8,0> (codes [0, 255])

// -----
%x = "test.op"() : () -> tensor<4xi32>
%q = fixed.quantize %x TRN WRAP : tensor<4xi32> -> tensor<4x!fixed.fixed<8, 3, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.quantize operand must be a tensor of floats, got tensor<4xi32>

// -----
%x = "test.op"() : () -> tensor<4xf32>
%q = fixed.quantize %x RND SAT : tensor<4xf32> -> tensor<2x2x!fixed.fixed<8, 3, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.quantize changes the shape [4] to [2, 2]

// -----
%x = "test.op"() : () -> tensor<4xf32>
%q = fixed.quantize %x RND SAT : tensor<4xf32> -> tensor<4xf16>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.quantize result must be a tensor of !fixed.fixed, got tensor<4xf16>

// -----
%x = "test.op"() : () -> tensor<4x!fixed.fixed<8, 3, signed>>
%c = fixed.cast %x TRN SAT : tensor<4x!fixed.fixed<8, 3, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.cast changes the shape [4] to [2]

// -----
%x = "test.op"() : () -> tensor<4xf32>
%c = fixed.cast %x TRN SAT : tensor<4xf32> -> tensor<4x!fixed.fixed<8, 3, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.cast operand must be a tensor of !fixed.fixed, got tensor<4xf32>

// -----
%x = "test.op"() : () -> tensor<4x!fixed.fixed<8, 3, signed>>
%d = fixed.dequantize %x : tensor<4x!fixed.fixed<8, 3, signed>> -> tensor<4xi32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.dequantize result must be a tensor of floats, got tensor<4xi32>

// -----
%x = "test.op"() : () -> tensor<4x!fixed.fixed<8, 3, signed>>
%d = fixed.dequantize %x : tensor<4x!fixed.fixed<8, 3, signed>> -> tensor<2xf64>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.dequantize must keep the shape

// -----
%x = "test.op"() : () -> tensor<4xf32>
%d = fixed.dequantize %x : tensor<4xf32> -> tensor<4xf64>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.dequantize operand must be a tensor of !fixed.fixed, got tensor<4xf32>

// -----
%x = "test.op"() : () -> tensor<4x!fixed.fixed<8, 3, signed>>
%w = "test.op"() : () -> tensor<3x2x!fixed.fixed<8, 3, signed>>
%y = fixed.dense %x, %w : (tensor<4x!fixed.fixed<8, 3, signed>>, tensor<3x2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<18, 8, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.dense shapes do not match: input [4], weight [3, 2]

// -----
%x = "test.op"() : () -> tensor<3x!fixed.fixed<8, 3, signed>>
%w = "test.op"() : () -> tensor<3x!fixed.fixed<8, 3, signed>>
%y = fixed.dense %x, %w : (tensor<3x!fixed.fixed<8, 3, signed>>, tensor<3x!fixed.fixed<8, 3, signed>>) -> tensor<1x!fixed.fixed<18, 8, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.dense shapes do not match: input [3], weight [3]

// -----
%x = "test.op"() : () -> tensor<3x!fixed.fixed<8, 3, signed>>
%w = "test.op"() : () -> tensor<3x2x!fixed.fixed<8, 3, signed>>
%y = fixed.dense %x, %w : (tensor<3x!fixed.fixed<8, 3, signed>>, tensor<3x2x!fixed.fixed<8, 3, signed>>) -> tensor<3x!fixed.fixed<18, 8, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.dense result must have shape [2], got [3]

// -----
%x = "test.op"() : () -> tensor<3x!fixed.fixed<8, 3, signed>>
%w = "test.op"() : () -> tensor<3x2x!fixed.fixed<8, 3, signed>>
%b = "test.op"() : () -> tensor<3x!fixed.fixed<8, 3, signed>>
%y = fixed.dense %x, %w, %b : (tensor<3x!fixed.fixed<8, 3, signed>>, tensor<3x2x!fixed.fixed<8, 3, signed>>, tensor<3x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<18, 8, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.dense bias must have shape [2], got [3]

// -----
%x = "test.op"() : () -> tensor<3x!fixed.fixed<8, 3, signed>>
%w = "test.op"() : () -> tensor<3x2x!fixed.fixed<8, 3, signed>>
%y = fixed.dense %x, %w : (tensor<3x!fixed.fixed<8, 3, signed>>, tensor<3x2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<16, 8, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.dense is exact: its result must have 10 fraction bits, got ap_fixed<16,8> (8); round with a fixed.cast afterwards

// -----
%x = "test.op"() : () -> tensor<3x!fixed.fixed<8, 3, signed>>
%w = "test.op"() : () -> tensor<3x2x!fixed.fixed<8, 3, signed>>
%b = "test.op"() : () -> tensor<2x!fixed.fixed<16, 2, signed>>
%y = fixed.dense %x, %w, %b : (tensor<3x!fixed.fixed<8, 3, signed>>, tensor<3x2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<16, 2, signed>>) -> tensor<2x!fixed.fixed<18, 8, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.dense is exact: its result must have 14 fraction bits, got ap_fixed<18,8> (10); round with a fixed.cast afterwards

// -----
%x = "test.op"() : () -> tensor<3x!fixed.fixed<8, 3, signed>>
%w = "test.op"() : () -> tensor<3x2xf32>
%y = fixed.dense %x, %w : (tensor<3x!fixed.fixed<8, 3, signed>>, tensor<3x2xf32>) -> tensor<2x!fixed.fixed<18, 8, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.dense weight must be a tensor of !fixed.fixed, got tensor<3x2xf32>

// -----
%a = "test.op"() : () -> tensor<3x!fixed.fixed<8, 3, signed>>
%b = "test.op"() : () -> tensor<2x!fixed.fixed<8, 3, signed>>
%y = fixed.add %a, %b : (tensor<3x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<3x!fixed.fixed<9, 4, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.add: shapes [3] and [2] cannot be broadcast together

// -----
%a = "test.op"() : () -> tensor<2x1x!fixed.fixed<8, 3, signed>>
%b = "test.op"() : () -> tensor<3x!fixed.fixed<8, 3, signed>>
%y = fixed.sub %a, %b : (tensor<2x1x!fixed.fixed<8, 3, signed>>, tensor<3x!fixed.fixed<8, 3, signed>>) -> tensor<3x!fixed.fixed<9, 4, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.sub result must have shape [2, 3], got [3]

// -----
%a = "test.op"() : () -> tensor<3x!fixed.fixed<8, 3, signed>>
%b = "test.op"() : () -> tensor<3x!fixed.fixed<6, 2, signed>>
%y = fixed.add %a, %b : (tensor<3x!fixed.fixed<8, 3, signed>>, tensor<3x!fixed.fixed<6, 2, signed>>) -> tensor<3x!fixed.fixed<9, 5, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.add is exact: its result must have 5 fraction bits, got ap_fixed<9,5> (4); round with a fixed.cast afterwards

// -----
%a = "test.op"() : () -> tensor<3x!fixed.fixed<8, 3, signed>>
%b = "test.op"() : () -> tensor<3x!fixed.fixed<6, 2, signed>>
%y = fixed.mul %a, %b : (tensor<3x!fixed.fixed<8, 3, signed>>, tensor<3x!fixed.fixed<6, 2, signed>>) -> tensor<3x!fixed.fixed<10, 5, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.mul is exact: its result must have 9 fraction bits, got ap_fixed<10,5> (5); round with a fixed.cast afterwards

// -----
%a = "test.op"() : () -> tensor<3xf32>
%b = "test.op"() : () -> tensor<3x!fixed.fixed<6, 2, signed>>
%y = fixed.mul %a, %b : (tensor<3xf32>, tensor<3x!fixed.fixed<6, 2, signed>>) -> tensor<3x!fixed.fixed<14, 5, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.mul lhs must be a tensor of !fixed.fixed, got tensor<3xf32>

// -----
%x = "test.op"() : () -> tensor<3x!fixed.fixed<8, 3, signed>>
%y = fixed.reduce_max %x axis 1 : tensor<3x!fixed.fixed<8, 3, signed>> -> tensor<1x!fixed.fixed<8, 3, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.reduce_max axis 1 is out of range for rank 1

// -----
%x = "test.op"() : () -> tensor<2x3x!fixed.fixed<8, 3, signed>>
%y = fixed.reduce_sum %x axis 0 : tensor<2x3x!fixed.fixed<8, 3, signed>> -> tensor<3x!fixed.fixed<9, 4, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.reduce_sum result must have shape [1, 3], got [3]

// -----
%x = "test.op"() : () -> tensor<2x3x!fixed.fixed<8, 3, signed>>
%y = fixed.reduce_sum %x axis 1 : tensor<2x3x!fixed.fixed<8, 3, signed>> -> tensor<2x1x!fixed.fixed<10, 4, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.reduce_sum is exact: its result must have 5 fraction bits, got ap_fixed<10,4> (6); round with a fixed.cast afterwards

// -----
%x = "test.op"() : () -> tensor<2x!fixed.fixed<6, 3, signed>>
%y = fixed.lookup "sigmoid" %x offset -32 index !fixed.fixed<3, 3, unsigned> table dense<[0, 1, 1, 3, 5, 6, 7, 8]> : tensor<8xi8> : tensor<2x!fixed.fixed<6, 3, signed>> -> tensor<3x!fixed.fixed<6, 3, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.lookup must keep the shape

// -----
%x = "test.op"() : () -> tensor<2x!fixed.fixed<6, 3, signed>>
%y = fixed.lookup "sigmoid" %x offset -32 index i8 table dense<[0, 1, 1, 3, 5, 6, 7, 8]> : tensor<8xi8> : tensor<2x!fixed.fixed<6, 3, signed>> -> tensor<2x!fixed.fixed<6, 3, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.lookup index type must be a !fixed.fixed type, got i8

// -----
%x = "test.op"() : () -> tensor<2x!fixed.fixed<6, 3, signed>>
%y = fixed.lookup "sigmoid" %x offset -32 index !fixed.fixed<3, 3, signed> table dense<[0, 1, 1, 3, 5, 6, 7, 8]> : tensor<8xi8> : tensor<2x!fixed.fixed<6, 3, signed>> -> tensor<2x!fixed.fixed<6, 3, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.lookup index type must be unsigned, got ap_fixed<3,3>

// -----
%x = "test.op"() : () -> tensor<2x!fixed.fixed<6, 3, signed>>
%y = fixed.lookup "sigmoid" %x offset -32 index !fixed.fixed<3, 3, unsigned> table dense<[0, 1, 5, 8]> : tensor<4xi8> : tensor<2x!fixed.fixed<6, 3, signed>> -> tensor<2x!fixed.fixed<6, 3, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.lookup table must have 2^3 = 8 entries for index type ap_ufixed<3,3>, got shape [4]

// -----
%x = "test.op"() : () -> tensor<2x!fixed.fixed<6, 3, signed>>
%y = fixed.lookup "sigmoid" %x offset -32 index !fixed.fixed<1, 1, unsigned> table dense<[[0, 1]]> : tensor<1x2xi8> : tensor<2x!fixed.fixed<6, 3, signed>> -> tensor<2x!fixed.fixed<6, 3, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.lookup table must have 2^1 = 2 entries for index type ap_ufixed<1,1>, got shape [1, 2]

// -----
%x = "test.op"() : () -> tensor<2x!fixed.fixed<6, 3, signed>>
%y = fixed.lookup "sigmoid" %x offset -32 index !fixed.fixed<1, 1, unsigned> table dense<[0, 32]> : tensor<2xi8> : tensor<2x!fixed.fixed<6, 3, signed>> -> tensor<2x!fixed.fixed<6, 3, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.lookup table entries do not fit the result type ap_fixed<6,3>

// -----
%x = "test.op"() : () -> tensor<2x!fixed.fixed<6, 3, signed>>
%y = fixed.lookup "exp" %x offset 0 index !fixed.fixed<1, 1, unsigned> table dense<[0, 1]> : tensor<2xi8> : tensor<2x!fixed.fixed<6, 3, signed>> -> tensor<2xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.lookup result must be a tensor of !fixed.fixed, got tensor<2xf32>

// -----
%x = "test.op"() : () -> tensor<2x!fixed.fixed<8, 3, signed>>
%y = fixed.cast %x RND WRAP {observed = array<f64: 2.0, -2.0>} : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.cast observed must be [low, high] with low <= high, got [2.0, -2.0]

// -----
%x = "test.op"() : () -> tensor<3x!fixed.fixed<8, 3, signed>>
%y = fixed.lookup "sigmoid" %x offset 0 : i64 index !fixed.fixed<1, 1, unsigned> table dense<[1, 2]> : tensor<2xi8> {domain = array<f64: 1.0>} : tensor<3x!fixed.fixed<8, 3, signed>> -> tensor<3x!fixed.fixed<8, 3, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.lookup domain must be [low, high] with low < high, got [1.0]

// Windows: the shape rules are nn's (dialects/windows.py, see nn/invalid.mlir); the exact step is
// the fixed level's own.
// -----
%x = "test.op"() : () -> tensor<5x2x!fixed.fixed<8, 3, signed>>
%w = "test.op"() : () -> tensor<3x2x4x!fixed.fixed<8, 3, signed>>
%y = fixed.conv %x, %w {strides = array<i64: 1>, dilations = array<i64: 1>, pads = array<i64: 0, 0>, groups = 1 : i64} : (tensor<5x2x!fixed.fixed<8, 3, signed>>, tensor<3x2x4x!fixed.fixed<8, 3, signed>>) -> tensor<3x4x!fixed.fixed<20, 11, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.conv is exact: its result must have 10 fraction bits, got ap_fixed<20,11> (9); round with a fixed.cast afterwards

// -----
%x = "test.op"() : () -> tensor<5x2x!fixed.fixed<8, 3, signed>>
%w = "test.op"() : () -> tensor<3x2x4x!fixed.fixed<8, 3, signed>>
%b = "test.op"() : () -> tensor<4x!fixed.fixed<16, 2, signed>>
%y = fixed.conv %x, %w, %b {strides = array<i64: 1>, dilations = array<i64: 1>, pads = array<i64: 0, 0>, groups = 1 : i64} : (tensor<5x2x!fixed.fixed<8, 3, signed>>, tensor<3x2x4x!fixed.fixed<8, 3, signed>>, tensor<4x!fixed.fixed<16, 2, signed>>) -> tensor<3x4x!fixed.fixed<20, 10, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.conv is exact: its result must have 14 fraction bits, got ap_fixed<20,10> (10); round with a fixed.cast afterwards

// -----
%x = "test.op"() : () -> tensor<5x2xf32>
%w = "test.op"() : () -> tensor<3x2x4x!fixed.fixed<8, 3, signed>>
%y = fixed.conv %x, %w {strides = array<i64: 1>, dilations = array<i64: 1>, pads = array<i64: 0, 0>, groups = 1 : i64} : (tensor<5x2xf32>, tensor<3x2x4x!fixed.fixed<8, 3, signed>>) -> tensor<3x4x!fixed.fixed<20, 10, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.conv input must be a tensor of !fixed.fixed, got tensor<5x2xf32>

// -----
%x = "test.op"() : () -> tensor<4x4x3x!fixed.fixed<8, 3, signed>>
%y = fixed.max_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>} : tensor<4x4x3x!fixed.fixed<8, 3, signed>> -> tensor<2x2x3x!fixed.fixed<9, 4, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.max_pool keeps the element type

// -----
%x = "test.op"() : () -> tensor<4x4x3x!fixed.fixed<8, 3, signed>>
%y = fixed.max_pool %x {kernel = array<i64: 5, 2>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<4x4x3x!fixed.fixed<8, 3, signed>> -> tensor<1x3x3x!fixed.fixed<8, 3, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.max_pool: the window (5) is larger than the padded input (4)

// -----
%x = "test.op"() : () -> tensor<4x3x!fixed.fixed<8, 3, signed>>
%y = fixed.sum_pool %x {kernel = array<i64: 2>, strides = array<i64: 2>, pads = array<i64: 0, 0>} : tensor<4x3x!fixed.fixed<8, 3, signed>> -> tensor<2x3x!fixed.fixed<9, 3, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.sum_pool is exact: its result must have 5 fraction bits, got ap_fixed<9,3> (6); round with a fixed.cast afterwards

// -----
%x = "test.op"() : () -> tensor<4x3x!fixed.fixed<8, 3, signed>>
%y = fixed.sum_pool %x {kernel = array<i64: 2>, strides = array<i64: 2>, pads = array<i64: 0, 0>} : tensor<4x3x!fixed.fixed<8, 3, signed>> -> tensor<3x3x!fixed.fixed<9, 4, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.sum_pool result must have shape [2, 3], got [3, 3]

// Selection and clamping
// -----
%c = "test.op"() : () -> tensor<3x!fixed.fixed<8, 3, signed>>
%a = "test.op"() : () -> tensor<2x!fixed.fixed<8, 3, signed>>
%y = fixed.select %c, %a, %a : (tensor<3x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<3x!fixed.fixed<8, 3, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.select: shapes [3] and [2] cannot be broadcast together

// -----
%c = "test.op"() : () -> tensor<2x1x!fixed.fixed<8, 3, signed>>
%a = "test.op"() : () -> tensor<3x!fixed.fixed<8, 3, signed>>
%y = fixed.select %c, %a, %a : (tensor<2x1x!fixed.fixed<8, 3, signed>>, tensor<3x!fixed.fixed<8, 3, signed>>, tensor<3x!fixed.fixed<8, 3, signed>>) -> tensor<3x!fixed.fixed<8, 3, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.select result must have shape [2, 3], got [3]

// -----
%c = "test.op"() : () -> tensor<3x!fixed.fixed<8, 3, signed>>
%y = fixed.select %c, %c, %c {gap = array<f64: 1.0>} : (tensor<3x!fixed.fixed<8, 3, signed>>, tensor<3x!fixed.fixed<8, 3, signed>>, tensor<3x!fixed.fixed<8, 3, signed>>) -> tensor<3x!fixed.fixed<8, 3, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.select gap must be two finite numbers >= 0 (jump, slope), got [1.0]

// -----
%c = "test.op"() : () -> tensor<3x!fixed.fixed<8, 3, signed>>
%y = fixed.select %c, %c, %c {gap = array<f64: 0.0, -2.0>} : (tensor<3x!fixed.fixed<8, 3, signed>>, tensor<3x!fixed.fixed<8, 3, signed>>, tensor<3x!fixed.fixed<8, 3, signed>>) -> tensor<3x!fixed.fixed<8, 3, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.select gap must be two finite numbers >= 0 (jump, slope), got [0.0, -2.0]

// -----
%c = "test.op"() : () -> tensor<3x!fixed.fixed<8, 3, signed>>
%a = "test.op"() : () -> tensor<3x!fixed.fixed<8, 3, signed>>
%b = "test.op"() : () -> tensor<1x!fixed.fixed<8, 0, signed>>
%y = fixed.select %c, %a, %b : (tensor<3x!fixed.fixed<8, 3, signed>>, tensor<3x!fixed.fixed<8, 3, signed>>, tensor<1x!fixed.fixed<8, 0, signed>>) -> tensor<3x!fixed.fixed<8, 3, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.select is exact: its result must have 8 fraction bits, got ap_fixed<8,3> (5); round with a fixed.cast afterwards

// -----
%c = "test.op"() : () -> tensor<3xf32>
%a = "test.op"() : () -> tensor<3x!fixed.fixed<8, 3, signed>>
%y = fixed.select %c, %a, %a : (tensor<3xf32>, tensor<3x!fixed.fixed<8, 3, signed>>, tensor<3x!fixed.fixed<8, 3, signed>>) -> tensor<3x!fixed.fixed<8, 3, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.select operand 0 must be a tensor of !fixed.fixed, got tensor<3xf32>

// -----
%x = "test.op"() : () -> tensor<3x!fixed.fixed<8, 3, signed>>
%y = fixed.clamp %x low 0 : i64 high 8 : i64 : tensor<3x!fixed.fixed<8, 3, signed>> -> tensor<1x3x!fixed.fixed<8, 3, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.clamp must keep the shape

// -----
%x = "test.op"() : () -> tensor<3x!fixed.fixed<8, 3, signed>>
%y = fixed.clamp %x low 9 : i64 high 8 : i64 : tensor<3x!fixed.fixed<8, 3, signed>> -> tensor<3x!fixed.fixed<8, 3, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.clamp low must not exceed high

// -----
%x = "test.op"() : () -> tensor<3x!fixed.fixed<8, 3, signed>>
%y = fixed.clamp %x low -8 : i64 high 8 : i64 {bound_error = -1.0 : f64} : tensor<3x!fixed.fixed<8, 3, signed>> -> tensor<3x!fixed.fixed<8, 3, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.clamp bound_error must be finite and >= 0, got -1.0

// -----
%x = "test.op"() : () -> tensor<3x!fixed.fixed<8, 3, signed>>
%y = fixed.clamp %x low 0 : i64 high 8 : i64 : tensor<3x!fixed.fixed<8, 3, signed>> -> tensor<3x!fixed.fixed<8, 4, unsigned>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.clamp is exact: its result must have 5 fraction bits, got ap_ufixed<8,4> (4); round with a fixed.cast afterwards

// fixed.threshold (dialects/fixed_tables.py)
// -----
%x = "test.op"() : () -> tensor<2x2x!fixed.fixed<8, 3, signed>>
%y = fixed.threshold %x thresholds dense<[[0]]> : tensor<1x1xi16> values dense<[[0, 1]]> : tensor<1x2xi8> : tensor<2x2x!fixed.fixed<8, 3, signed>> -> tensor<4x!fixed.fixed<2, 2, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.threshold must keep the shape

// -----
%x = "test.op"() : () -> tensor<2x2x!fixed.fixed<8, 3, signed>>
%y = fixed.threshold %x thresholds dense<[[0], [1], [2]]> : tensor<3x1xi16> values dense<[[0, 1], [0, 1], [0, 1]]> : tensor<3x2xi8> : tensor<2x2x!fixed.fixed<8, 3, signed>> -> tensor<2x2x!fixed.fixed<2, 2, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.threshold thresholds must be [1 or 2, L], got [3, 1]

// -----
%x = "test.op"() : () -> tensor<2x2x!fixed.fixed<8, 3, signed>>
%y = fixed.threshold %x thresholds dense<[[0, 4]]> : tensor<1x2xi16> values dense<[[0, 1]]> : tensor<1x2xi8> : tensor<2x2x!fixed.fixed<8, 3, signed>> -> tensor<2x2x!fixed.fixed<2, 2, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.threshold values must be [1, 3] for thresholds [1, 2], got [1, 2]

// -----
%x = "test.op"() : () -> tensor<2x2x!fixed.fixed<8, 3, signed>>
%y = fixed.threshold %x thresholds dense<[[4, 0]]> : tensor<1x2xi16> values dense<[[0, 1, 1]]> : tensor<1x3xi8> : tensor<2x2x!fixed.fixed<8, 3, signed>> -> tensor<2x2x!fixed.fixed<2, 2, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.threshold thresholds must ascend in each row

// -----
%x = "test.op"() : () -> tensor<2x2x!fixed.fixed<8, 3, signed>>
%y = fixed.threshold %x thresholds dense<[[0]]> : tensor<1x1xi16> values dense<[[0, 2]]> : tensor<1x2xi8> : tensor<2x2x!fixed.fixed<8, 3, signed>> -> tensor<2x2x!fixed.fixed<2, 2, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.threshold values do not fit the result type ap_fixed<2,2>

// -----
%x = "test.op"() : () -> tensor<2x2x!fixed.fixed<8, 3, signed>>
%y = fixed.threshold %x thresholds dense<[[0.0]]> : tensor<1x1xf32> values dense<[[0, 1]]> : tensor<1x2xi8> : tensor<2x2x!fixed.fixed<8, 3, signed>> -> tensor<2x2x!fixed.fixed<2, 2, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.threshold thresholds must be a dense attribute of i8, i16, i32 or i64 codes, got f32

// -----
// A table names the function it tabulates (what the report measures its error against).
%x = "test.op"() : () -> tensor<2x!fixed.fixed<6, 3, signed>>
%y = fixed.lookup "gelu" %x offset -32 index !fixed.fixed<3, 3, unsigned> table dense<[0, 1, 1, 3, 5, 6, 7, 8]> : tensor<8xi8> : tensor<2x!fixed.fixed<6, 3, signed>> -> tensor<2x!fixed.fixed<6, 3, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.lookup: unknown function 'gelu'; known: sigmoid, tanh, exp, reciprocal, elu, selu, softplus, rsqrt

// -----
%x = "test.op"() : () -> tensor<2x!fixed.fixed<8, 3, signed>>
%y = fixed.abs %x : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<3x!fixed.fixed<8, 3, unsigned>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.abs must keep the shape

// -----
%x = "test.op"() : () -> tensor<2x!fixed.fixed<8, 3, signed>>
%y = fixed.abs %x : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2x!fixed.fixed<9, 4, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.abs result must be unsigned, got ap_fixed<9,4>

// -----
%x = "test.op"() : () -> tensor<2x!fixed.fixed<8, 3, signed>>
%y = fixed.abs %x : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2x!fixed.fixed<8, 4, unsigned>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.abs is exact: its result must have 5 fraction bits, got ap_ufixed<8,4> (4); round with a fixed.cast afterwards

// -----
%x = "test.op"() : () -> tensor<!fixed.fixed<8, 3, signed>>
%h0 = "test.op"() : () -> tensor<2x!fixed.fixed<8, 3, signed>>
%y, %h = fixed.recurrence(%x) init(%h0) : (tensor<!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) -> (tensor<3x2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) {
^bb0(%xt: tensor<!fixed.fixed<8, 3, signed>>, %hp: tensor<2x!fixed.fixed<8, 3, signed>>):
  fixed.yield %hp, %hp : tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>
}
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.recurrence sequence must have a time axis

// -----
%x = "test.op"() : () -> tensor<3x2x!fixed.fixed<8, 3, signed>>
%h0 = "test.op"() : () -> tensor<2x!fixed.fixed<8, 3, signed>>
%y, %h = fixed.recurrence(%x) init(%h0) : (tensor<3x2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) -> (tensor<3x2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) {
^bb0(%xt: tensor<2x!fixed.fixed<8, 3, signed>>):
  fixed.yield %xt, %xt : tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>
}
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.recurrence body takes a step and 1 states, got 1 arguments

// -----
%x = "test.op"() : () -> tensor<3x2x!fixed.fixed<8, 3, signed>>
%h0 = "test.op"() : () -> tensor<2x!fixed.fixed<8, 3, signed>>
%y, %h = fixed.recurrence(%x) init(%h0) : (tensor<3x2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) -> (tensor<3x2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) {
^bb0(%xt: tensor<2x!fixed.fixed<9, 4, signed>>, %hp: tensor<2x!fixed.fixed<8, 3, signed>>):
  fixed.yield %hp, %hp : tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>
}
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.recurrence body's first argument must be tensor<2x!fixed.fixed<8, 3, signed>>, got tensor<2x!fixed.fixed<9, 4, signed>>

// -----
%x = "test.op"() : () -> tensor<3x2x!fixed.fixed<8, 3, signed>>
%h0 = "test.op"() : () -> tensor<2x!fixed.fixed<8, 3, signed>>
%y, %h = fixed.recurrence(%x) init(%h0) : (tensor<3x2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) -> (tensor<3x2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<9, 4, signed>>) {
^bb0(%xt: tensor<2x!fixed.fixed<8, 3, signed>>, %hp: tensor<2x!fixed.fixed<8, 3, signed>>):
  fixed.yield %hp, %hp : tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>
}
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.recurrence state 0 must keep its type tensor<2x!fixed.fixed<8, 3, signed>>

// -----
%x = "test.op"() : () -> tensor<3x2x!fixed.fixed<8, 3, signed>>
%h0 = "test.op"() : () -> tensor<2x!fixed.fixed<8, 3, signed>>
%y, %h = fixed.recurrence(%x) init(%h0) : (tensor<3x2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) -> (tensor<3x2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) {
^bb0(%xt: tensor<2x!fixed.fixed<8, 3, signed>>, %hp: tensor<2x!fixed.fixed<8, 3, signed>>):
  "test.termop"(%hp) : (tensor<2x!fixed.fixed<8, 3, signed>>) -> ()
}
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.recurrence body must end in fixed.yield

// -----
%x = "test.op"() : () -> tensor<3x2x!fixed.fixed<8, 3, signed>>
%h0 = "test.op"() : () -> tensor<2x!fixed.fixed<8, 3, signed>>
%y, %h = fixed.recurrence(%x) init(%h0) : (tensor<3x2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) -> (tensor<3x2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) {
^bb0(%xt: tensor<2x!fixed.fixed<8, 3, signed>>, %hp: tensor<2x!fixed.fixed<8, 3, signed>>):
  fixed.yield %hp : tensor<2x!fixed.fixed<8, 3, signed>>
}
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.yield must give a step's output and 1 states, got 1 values

// -----
%x = "test.op"() : () -> tensor<3x2x!fixed.fixed<8, 3, signed>>
%h0 = "test.op"() : () -> tensor<2x!fixed.fixed<8, 3, signed>>
%y, %h = fixed.recurrence(%x) init(%h0) : (tensor<3x2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) -> (tensor<3x2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) {
^bb0(%xt: tensor<2x!fixed.fixed<8, 3, signed>>, %hp: tensor<2x!fixed.fixed<8, 3, signed>>):
  %s = fixed.add %xt, %hp : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<9, 4, signed>>
  fixed.yield %hp, %s : tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<9, 4, signed>>
}
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.yield state 0 must have the state's type tensor<2x!fixed.fixed<8, 3, signed>>, got tensor<2x!fixed.fixed<9, 4, signed>>: cast it into the state's type

// -----
%x = "test.op"() : () -> tensor<3x2x!fixed.fixed<8, 3, signed>>
%h0 = "test.op"() : () -> tensor<2x!fixed.fixed<8, 3, signed>>
%y, %h = fixed.recurrence(%x) init(%h0) : (tensor<3x2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) -> (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) {
^bb0(%xt: tensor<2x!fixed.fixed<8, 3, signed>>, %hp: tensor<2x!fixed.fixed<8, 3, signed>>):
  fixed.yield %hp, %hp : tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>
}
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.recurrence output must be tensor<3x2x!fixed.fixed<8, 3, signed>>, got tensor<2x!fixed.fixed<8, 3, signed>>

// -----
%x = "test.op"() : () -> tensor<3x2x!fixed.fixed<8, 3, signed>>
%h0 = "test.op"() : () -> tensor<2x!fixed.fixed<8, 3, signed>>
%y, %h = fixed.recurrence(%x) init(%h0) {model_bounds = array<f64: 1.0>} : (tensor<3x2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) -> (tensor<3x2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>) {
^bb0(%xt: tensor<2x!fixed.fixed<8, 3, signed>>, %hp: tensor<2x!fixed.fixed<8, 3, signed>>):
  fixed.yield %hp, %hp : tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<8, 3, signed>>
}
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.recurrence model_bounds needs one bound per result

// fixed.cast_each (dialects/fixed_core.py, fixed_types.ElementTypes)
// -----
%x = "test.op"() : () -> tensor<2x3x!fixed.fixed<8, 4, signed>>
%y = fixed.cast_each %x RND WRAP types dense<[[1, 4, 2], [0, 3, 1], [1, 0, 0]]> : tensor<3x3xi32> : tensor<2x3x!fixed.fixed<8, 4, signed>> -> tensor<2x3x!fixed.fixed<4, 2, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.cast_each types of shape [3] do not broadcast to the tensor [2, 3]

// -----
%x = "test.op"() : () -> tensor<2x3x!fixed.fixed<8, 4, signed>>
%y = fixed.cast_each %x RND WRAP types dense<[[[2, 4, 2]]]> : tensor<1x1x3xi32> : tensor<2x3x!fixed.fixed<8, 4, signed>> -> tensor<2x3x!fixed.fixed<4, 2, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.cast_each types must be [*shape, 3] of (signed 0/1, width >= 0, integer bits)

// -----
%x = "test.op"() : () -> tensor<2x3x!fixed.fixed<8, 4, signed>>
%y = fixed.cast_each %x RND WRAP types dense<[[[1, 200, 2]]]> : tensor<1x1x3xi32> : tensor<2x3x!fixed.fixed<8, 4, signed>> -> tensor<2x3x!fixed.fixed<4, 2, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.cast_each types: an element is wider than 128 bits

// -----
%x = "test.op"() : () -> tensor<2x3x!fixed.fixed<8, 4, signed>>
%y = fixed.cast_each %x RND WRAP types dense<[[[1, 4, 2], [0, 4, 1], [1, 0, 0]]]> : tensor<1x3x3xi32> : tensor<2x3x!fixed.fixed<8, 4, signed>> -> tensor<2x3x!fixed.fixed<4, 2, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: fixed.cast_each result type ap_fixed<4,2> does not hold the element type ap_ufixed<4,1>
