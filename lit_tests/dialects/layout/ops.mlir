// Round trip of the layout dialect's custom syntax (every op, on float and on fixed-point
// elements), and of its generic form back to the custom one.
// Custom parse -> generic print -> generic parse -> custom print -> custom parse -> custom print:
// RUN: xdsl-opt %s --print-op-generic | xdsl-opt | xdsl-opt | filecheck %s
// The generic form itself:
// RUN: xdsl-opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC

func.func @moves(%x: tensor<2x3x4xf32>) -> (tensor<4x2x3xf32>, tensor<24xf32>, tensor<1x2x4xf32>, tensor<4x5x4xf32>, tensor<2x6x12xf32>) {
  %t = layout.transpose %x {perm = array<i64: 2, 0, 1>, layer = "to_nhwc"} : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
  %r = layout.reshape %x {layer = "flatten"} : tensor<2x3x4xf32> -> tensor<24xf32>
  %s = layout.slice %x {offsets = array<i64: 1, 1, 0>, sizes = array<i64: 1, 2, 4>} : tensor<2x3x4xf32> -> tensor<1x2x4xf32>
  %p = layout.pad %x {pads = array<i64: 1, 0, 0, 1, 2, 0>, value = -1.5 : f64} : tensor<2x3x4xf32> -> tensor<4x5x4xf32>
  %z = layout.resize %x {scales = array<i64: 1, 2, 3>} : tensor<2x3x4xf32> -> tensor<2x6x12xf32>
  func.return %t, %r, %s, %p, %z : tensor<4x2x3xf32>, tensor<24xf32>, tensor<1x2x4xf32>, tensor<4x5x4xf32>, tensor<2x6x12xf32>
}
// Shapes: transpose [2,3,4] by (2,0,1) -> [4,2,3]; slice offsets (1,1,0) sizes (1,2,4); pad
// begin (1,0,0) end (1,2,0) -> [2+2, 3+2, 4]; resize by (1,2,3) -> [2,6,12].
// CHECK-LABEL: func.func @moves(
// CHECK-NEXT:    %t = layout.transpose %x {perm = array<i64: 2, 0, 1>, layer = "to_nhwc"} : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
// CHECK-NEXT:    %r = layout.reshape %x {layer = "flatten"} : tensor<2x3x4xf32> -> tensor<24xf32>
// CHECK-NEXT:    %s = layout.slice %x {offsets = array<i64: 1, 1, 0>, sizes = array<i64: 1, 2, 4>} : tensor<2x3x4xf32> -> tensor<1x2x4xf32>
// CHECK-NEXT:    %p = layout.pad %x {pads = array<i64: 1, 0, 0, 1, 2, 0>, value = -1.500000e+00 : f64} : tensor<2x3x4xf32> -> tensor<4x5x4xf32>
// CHECK-NEXT:    %z = layout.resize %x {scales = array<i64: 1, 2, 3>} : tensor<2x3x4xf32> -> tensor<2x6x12xf32>
// CHECK-NEXT:    func.return %t, %r, %s, %p, %z

// GENERIC-LABEL: "func.func"() <{sym_name = "moves"
// GENERIC:       %t = "layout.transpose"(%x) <{perm = array<i64: 2, 0, 1>, layer = "to_nhwc"}> : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
// GENERIC-NEXT:  %r = "layout.reshape"(%x) <{layer = "flatten"}> : (tensor<2x3x4xf32>) -> tensor<24xf32>
// GENERIC-NEXT:  %s = "layout.slice"(%x) <{offsets = array<i64: 1, 1, 0>, sizes = array<i64: 1, 2, 4>}> : (tensor<2x3x4xf32>) -> tensor<1x2x4xf32>
// GENERIC-NEXT:  %p = "layout.pad"(%x) <{pads = array<i64: 1, 0, 0, 1, 2, 0>, value = -1.500000e+00 : f64}> : (tensor<2x3x4xf32>) -> tensor<4x5x4xf32>
// GENERIC-NEXT:  %z = "layout.resize"(%x) <{scales = array<i64: 1, 2, 3>}> : (tensor<2x3x4xf32>) -> tensor<2x6x12xf32>

func.func @concat(%a: tensor<2x3xf32>, %b: tensor<2x1xf32>, %p: tensor<4x!fixed.fixed<8, 3, signed>>, %q: tensor<2x!fixed.fixed<6, 1, unsigned>>) -> (tensor<2x4xf32>, tensor<6x!fixed.fixed<10, 4, signed>>) {
  %c = layout.concat %a, %b axis 1 {layer = "cat"} : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  %one = layout.concat %a axis 0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %f = layout.concat %p, %q axis 0 : (tensor<4x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<6, 1, unsigned>>) -> tensor<6x!fixed.fixed<10, 4, signed>>
  func.return %c, %f : tensor<2x4xf32>, tensor<6x!fixed.fixed<10, 4, signed>>
}
// A concat of one input is legal; fixed-point inputs may differ when the result type holds each
// (ap_fixed<8,3> and ap_ufixed<6,1> both fit ap_fixed<10,4>: 5 fraction bits, 4 integer bits).
// CHECK-LABEL: func.func @concat(
// CHECK-NEXT:    %c = layout.concat %a, %b axis 1 {layer = "cat"} : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
// CHECK-NEXT:    %one = layout.concat %a axis 0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %f = layout.concat %p, %q axis 0 : (tensor<4x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<6, 1, unsigned>>) -> tensor<6x!fixed.fixed<10, 4, signed>>

// GENERIC-LABEL: "func.func"() <{sym_name = "concat"
// GENERIC:       %c = "layout.concat"(%a, %b) <{axis = 1 : i64, layer = "cat"}> : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>

func.func @fixed_moves(%x: tensor<2x2x!fixed.fixed<8, 3, signed>>) -> tensor<4x4x!fixed.fixed<8, 3, signed>> {
  %t = layout.transpose %x {perm = array<i64: 1, 0>} : tensor<2x2x!fixed.fixed<8, 3, signed>> -> tensor<2x2x!fixed.fixed<8, 3, signed>>
  %p = layout.pad %t {pads = array<i64: 1, 1, 1, 1>, value = -4.0 : f64} : tensor<2x2x!fixed.fixed<8, 3, signed>> -> tensor<4x4x!fixed.fixed<8, 3, signed>>
  func.return %p : tensor<4x4x!fixed.fixed<8, 3, signed>>
}
// At the fixed level a pad value must be a value of the element type: -4.0 is code -128 of
// ap_fixed<8,3> (its lowest).
// CHECK-LABEL: func.func @fixed_moves(
// CHECK-NEXT:    %t = layout.transpose %x {perm = array<i64: 1, 0>} : tensor<2x2x!fixed.fixed<8, 3, signed>> -> tensor<2x2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:    %p = layout.pad %t {pads = array<i64: 1, 1, 1, 1>, value = -4.000000e+00 : f64} : tensor<2x2x!fixed.fixed<8, 3, signed>> -> tensor<4x4x!fixed.fixed<8, 3, signed>>
