// calibrate{data=...}: runs the bit-exact emulator on the samples and writes on every fixed.cast the
// [min, max] its input took, as `observed`; nothing else changes. infer-bitwidths then gives an
// `auto` (infer) cast the observed integer bits plus a margin.
// (%inputs/xdsl_opt.py: xdsl-opt with the passes compiler/universe.py does not register yet.)
//
// Two samples (batch first), exact in the input's ap_fixed<8,3> (and, for the error cases below, a
// text file, a NaN, a sample of 3 values, an .npz of two arrays):
// RUN: %python -c "import numpy as np; x = np.array([[1.0, 0.25], [-1.0, -0.5]]); np.save('%t.npy', x); np.savez('%t.npz', x); open('%t.txt.npy', 'w').write('1 2'); np.save('%t.nan.npy', np.array([[1.0, np.nan]])); np.save('%t.shape.npy', np.zeros((1, 3))); np.savez('%t.two.npz', x, x)"
// RUN: xdsl-opt %s -p 'calibrate{data="%t.npy"}' | filecheck %s
// The same samples as the one array of a .npz:
// RUN: xdsl-opt %s -p 'calibrate{data="%t.npz"}' | filecheck %s
// Then infer-bitwidths:
// RUN: xdsl-opt %s -p 'calibrate{data="%t.npy"},infer-bitwidths' | filecheck %s --check-prefix=INFER
//
// Errors (the traceback's last line): no file, no data option, a file that is not .npy/.npz,
// samples that are not finite, samples of the wrong shape, an .npz with one array too many.
// RUN: %python %inputs/pass_errors.py %s \
// RUN:   'MISSING=calibrate{data="%t.missing.npy"}' \
// MISSING: --- MISSING
// MISSING-NEXT: {{^}}dialects.errors.CompileError: calibrate: data file {{.*}}.missing.npy: no such file{{$}}
// RUN:   'NODATA=calibrate' \
// NODATA: --- NODATA
// NODATA-NEXT: {{^}}dialects.errors.CompileError: calibrate: give the samples as calibrate{data="inputs.npy"}{{$}}
// RUN:   'NOTNPY=calibrate{data="%t.txt.npy"}' \
// NOTNPY: --- NOTNPY
// NOTNPY-NEXT: {{^}}dialects.errors.CompileError: calibrate: cannot read {{.*}}.txt.npy as .npy/.npz (ValueError){{$}}
// RUN:   'NAN=calibrate{data="%t.nan.npy"}' \
// NAN: --- NAN
// NAN-NEXT: {{^}}dialects.errors.CompileError: calibrate: input 0 in {{.*}}.nan.npy must be finite numbers{{$}}
// RUN:   'SHAPE=calibrate{data="%t.shape.npy"}' \
// SHAPE: --- SHAPE
// SHAPE-NEXT: {{^}}dialects.errors.CompileError: calibrate: input 0: expected shape [batch, 2], got [1, 3]{{$}}
// RUN:   'COUNT=calibrate{data="%t.two.npz"}' | filecheck %s --check-prefixes=MISSING,NODATA,NOTNPY,NAN,SHAPE,COUNT
// COUNT: --- COUNT
// COUNT-NEXT: {{^}}dialects.errors.CompileError: calibrate: @net takes 1 inputs, got 2{{$}}

func.func @net(%x: tensor<2xf32>) -> tensor<2xf64> {
  %q = fixed.quantize %x TRN WRAP {layer = "x"} : tensor<2xf32> -> tensor<2x!fixed.fixed<8, 3, signed>>
  %w = fixed.constant dense<[[16, -8], [32, 4]]> : tensor<2x2xi8> as tensor<2x2x!fixed.fixed<8, 3, signed>> {layer = "fc1"}
  %d = fixed.dense %q, %w {layer = "fc1"} : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<17, 7, signed>>
  %c = fixed.cast %d RND WRAP infer {layer = "fc1"} : tensor<2x!fixed.fixed<17, 7, signed>> -> tensor<2x!fixed.fixed<17, 7, signed>>
  %r = fixed.relu %c {layer = "relu1"} : tensor<2x!fixed.fixed<17, 7, signed>>
  %u = fixed.cast %r TRN WRAP {layer = "relu1"} : tensor<2x!fixed.fixed<17, 7, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
  %y = fixed.dequantize %u : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2xf64>
  func.return %y : tensor<2xf64>
}
// Weights (F = 5): input 0 -> [0.5, -0.25], input 1 -> [1.0, 0.125], so
//   y0 = 0.5 x0 + x1:         [1, 0.25] -> 0.75,     [-1, -0.5] -> -1.0
//   y1 = -0.25 x0 + 0.125 x1: [1, 0.25] -> -0.21875, [-1, -0.5] -> 0.1875
// %c sees every element of every sample: [-1.0, 0.75]; %u sees the relu of it: [0, 0.75]. The cast
// without `infer` gets its `observed` too (the report prints it); the IR is otherwise unchanged.
// CHECK-LABEL: func.func @net(
// CHECK-NEXT:    %q = fixed.quantize %x TRN WRAP {layer = "x"} : tensor<2xf32> -> tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT{LITERAL}: %w = fixed.constant dense<[[16, -8], [32, 4]]> : tensor<2x2xi8> as tensor<2x2x!fixed.fixed<8, 3, signed>> {layer = "fc1"}
// CHECK-NEXT:    %d = fixed.dense %q, %w {layer = "fc1"} : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<17, 7, signed>>
// CHECK-NEXT:    %c = fixed.cast %d RND WRAP infer {layer = "fc1", observed = array<f64: -1.000000e+00, 7.500000e-01>} : tensor<2x!fixed.fixed<17, 7, signed>> -> tensor<2x!fixed.fixed<17, 7, signed>>
// CHECK-NEXT:    %r = fixed.relu %c {layer = "relu1"} : tensor<2x!fixed.fixed<17, 7, signed>>
// CHECK-NEXT:    %u = fixed.cast %r TRN WRAP {layer = "relu1", observed = array<f64: 0.000000e+00, 7.500000e-01>} : tensor<2x!fixed.fixed<17, 7, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
// CHECK-NEXT:    %y = fixed.dequantize %u : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2xf64>

// infer-bitwidths: the dense layer provably reaches codes (F = 10) [-128 * 48, 127 * 48] =
// [-6144, 6096] for y0 (and [-1528, 1532] for y1): <14, 4, signed>. The observed [-1.0, 0.75]
// (codes [-1024, 768]) fits <11, 1, signed>; one margin bit: I = 2, keeping F = 10: <12, 2, signed>,
// and SAT, since the proven range does not fit it. The relu follows; the user cast only changes
// its operand type.
// INFER-LABEL: func.func @net(
// INFER:         %d = fixed.dense %q, %w {layer = "fc1"} : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<14, 4, signed>>
// INFER-NEXT:    %c = fixed.cast %d RND SAT {layer = "fc1", observed = array<f64: -1.000000e+00, 7.500000e-01>} : tensor<2x!fixed.fixed<14, 4, signed>> -> tensor<2x!fixed.fixed<12, 2, signed>>
// INFER-NEXT:    %r = fixed.relu %c {layer = "relu1"} : tensor<2x!fixed.fixed<12, 2, signed>>
// INFER-NEXT:    %u = fixed.cast %r TRN WRAP {layer = "relu1", observed = array<f64: 0.000000e+00, 7.500000e-01>} : tensor<2x!fixed.fixed<12, 2, signed>> -> tensor<2x!fixed.fixed<8, 3, signed>>
