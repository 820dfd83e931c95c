// Every verifier message of the layout dialect, with the shape rules of dialects/shapes.py that its
// ops wrap (`<op>: <rule's message>`). Each chunk's output must START with its message (the
// CHECK-NEXT after each separator), so a chunk that stops being rejected fails the test.
// RUN: xdsl-opt %s --verify-diagnostics --split-input-file | filecheck %s

%x = "test.op"() : () -> tensor<2x3xf32>
%y = layout.transpose %x {perm = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<3x2xf16>
// CHECK:      layout.transpose must keep the element type
// CHECK-NEXT: "builtin.module"() ({
// CHECK-NEXT:   %x = "test.op"() : () -> tensor<2x3xf32>
// CHECK-NEXT:   %y = "layout.transpose"(%x) <{perm = array<i64: 1, 0>}> : (tensor<2x3xf32>) -> tensor<3x2xf16>
// CHECK-NEXT:   {{^}}  ^^^^^^^^^^^^^^^^^^^^^^^{{-+$}}
// CHECK-NEXT:   | Operation does not verify: layout.transpose must keep the element type

// -----
%x = "test.op"() : () -> tensor<2x3xf32>
%y = layout.transpose %x {perm = array<i64: 0, 0>} : tensor<2x3xf32> -> tensor<2x2xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: layout.transpose: [0, 0] is not a permutation of the 2 axes

// -----
%x = "test.op"() : () -> tensor<2x3xf32>
%y = layout.transpose %x {perm = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: layout.transpose result must have shape [3, 2], got [2, 3]

// -----
%x = "test.op"() : () -> tensor<2x3xf32>
%y = layout.reshape %x : tensor<2x3xf32> -> tensor<5xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: layout.reshape: cannot reshape [2, 3] (6 elements) to [5]

// -----
%x = "test.op"() : () -> tensor<2x3xf32>
%y = layout.slice %x {offsets = array<i64: 0>, sizes = array<i64: 1>} : tensor<2x3xf32> -> tensor<1xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: layout.slice: offsets and sizes must have 2 entries

// -----
%x = "test.op"() : () -> tensor<2x3xf32>
%y = layout.slice %x {offsets = array<i64: 0, 2>, sizes = array<i64: 2, 2>} : tensor<2x3xf32> -> tensor<2x2xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: layout.slice: slice [2, 4) is outside axis 1 of size 3

// -----
%x = "test.op"() : () -> tensor<2x3xf32>
%y = layout.pad %x {pads = array<i64: 1, -1, 0, 0>, value = 0.0 : f64} : tensor<2x3xf32> -> tensor<3x2xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: layout.pad: pads must be 4 non-negative numbers (begin..., end...)

// -----
%x = "test.op"() : () -> tensor<2x!fixed.fixed<8, 3, signed>>
%y = layout.pad %x {pads = array<i64: 1, 1>, value = 0.01 : f64} : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<4x!fixed.fixed<8, 3, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: layout.pad value 0.01 is not a value of ap_fixed<8,3>

// -----
%x = "test.op"() : () -> tensor<2x!fixed.fixed<8, 3, signed>>
%y = layout.pad %x {pads = array<i64: 1, 1>, value = 4.0 : f64} : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<4x!fixed.fixed<8, 3, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: layout.pad value 4.0 is not a value of ap_fixed<8,3>

// -----
%x = "test.op"() : () -> tensor<2x3xf32>
%y = layout.resize %x {scales = array<i64: 2, 0>} : tensor<2x3xf32> -> tensor<4x0xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: layout.resize: scales must be 2 integers >= 1

// -----
%y = layout.concat axis 0 : () -> tensor<2xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: layout.concat needs at least one input

// -----
%a = "test.op"() : () -> tensor<2xf32>
%b = "test.op"() : () -> tensor<2xf16>
%y = layout.concat %a, %b axis 0 : (tensor<2xf32>, tensor<2xf16>) -> tensor<4xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: layout.concat inputs and result must have one element type

// -----
%a = "test.op"() : () -> tensor<2x!fixed.fixed<6, 2, signed>>
%b = "test.op"() : () -> tensor<2x!fixed.fixed<8, 2, unsigned>>
%y = layout.concat %a, %b axis 0 : (tensor<2x!fixed.fixed<6, 2, signed>>, tensor<2x!fixed.fixed<8, 2, unsigned>>) -> tensor<4x!fixed.fixed<8, 2, signed>>
// CHECK:      {{^//}} -----
// CHECK-NEXT: layout.concat result type ap_fixed<8,2> does not hold input type ap_ufixed<8,2>

// -----
%a = "test.op"() : () -> tensor<2x3xf32>
%b = "test.op"() : () -> tensor<3x2xf32>
%y = layout.concat %a, %b axis 0 : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<5x3xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: layout.concat: shapes [[2, 3], [3, 2]] differ outside axis 0

// -----
%a = "test.op"() : () -> tensor<2x3xf32>
%y = layout.concat %a, %a axis 2 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: layout.concat: axis 2 is out of range for rank 2

// -----
%a = "test.op"() : () -> tensor<2x3xf32>
%y = layout.concat %a, %a axis 1 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
// CHECK:      {{^//}} -----
// CHECK-NEXT: layout.concat result must have shape [2, 6]
