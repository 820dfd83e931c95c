// nn.abs end to end (the op docs/writing-an-op.md adds): nn-to-fixed makes it fixed.abs into the
// unsigned type of the input's width and integer bits (`AbsOp.bound_format`: the most negative code
// of a signed <8, 3>, -4, has the magnitude 4, which <8, 3, unsigned> holds, its largest value being
// 8 - 2^-5), then the layer's result type; infer-bitwidths narrows it from the proven range; the
// C++ negates the negative values in a type that holds them.
// RUN: xdsl-opt %s -p 'nn-to-fixed{precision="ap_fixed<8,3>"}' | filecheck %s --check-prefix=FIXED
// RUN: xdsl-opt %s -p 'nn-to-fixed{precision="auto"},infer-bitwidths' | filecheck %s --check-prefix=INFER
// RUN: xdsl-opt %s -p 'nn-to-fixed{precision="ap_fixed<8,3>"},infer-bitwidths,fixed-to-dataflow' -t hls-cpp | filecheck %s --check-prefix=CPP

func.func @net(%x: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %a = nn.abs %x {layer = "magnitude"} : tensor<3xf32>
  %c = nn.clip %x {min = -1.000000e+00 : f64, max = 5.000000e-01 : f64, layer = "clip"} : tensor<3xf32>
  %b = nn.abs %c {layer = "clipped"} : tensor<3xf32>
  func.return %a, %b : tensor<3xf32>, tensor<3xf32>
}
// FIXED-LABEL: func.func @net(
// FIXED-NEXT:    %0 = fixed.quantize %x TRN WRAP {layer = "x"} : tensor<3xf32> -> tensor<3x!fixed.fixed<8, 3, signed>>
// FIXED-NEXT:    %a = fixed.abs %0 {layer = "magnitude", layer_type = "Abs"} : tensor<3x!fixed.fixed<8, 3, signed>> -> tensor<3x!fixed.fixed<8, 3, unsigned>>
// FIXED-NEXT:    %a_1 = fixed.cast %a TRN WRAP {layer = "magnitude", layer_type = "Abs"} : tensor<3x!fixed.fixed<8, 3, unsigned>> -> tensor<3x!fixed.fixed<8, 3, signed>>

// infer-bitwidths (auto): x arrives as <16, 6, signed> (the input's default precision), codes
// [-32768, 32767] at 10 fraction bits: |x| reaches [0, 32768]: <16, 6, unsigned>. The clip keeps
// codes [-1024, 512] (-1 and 0.5): <11, 1, signed>; their magnitudes [0, 1024]: <11, 1, unsigned>.
// INFER-LABEL: func.func @net(
// INFER:         %a = fixed.abs %0 {layer = "magnitude", layer_type = "Abs"} : tensor<3x!fixed.fixed<16, 6, signed>> -> tensor<3x!fixed.fixed<16, 6, unsigned>>
// INFER-NEXT:    %c = fixed.clamp %0 low -1024 : i64 high 512 : i64 {layer = "clip", layer_type = "Clip"} : tensor<3x!fixed.fixed<16, 6, signed>> -> tensor<3x!fixed.fixed<11, 1, signed>>
// INFER-NEXT:    %b = fixed.abs %c {layer = "clipped", layer_type = "Abs"} : tensor<3x!fixed.fixed<11, 1, signed>> -> tensor<3x!fixed.fixed<11, 1, unsigned>>

// CPP-LABEL: // ----- firmware/defines.h -----
// CPP:       typedef ap_ufixed<8,3> magnitude_abs_t;
// CPP-LABEL: // ----- firmware/kernels/magnitude.cpp -----
// CPP:       void magnitude(const input_t x[3], magnitude_t y[3]) {
// CPP:           // fixed.abs
// CPP-NEXT:      Abs_1: for (int i = 0; i < 3; i++) {
// CPP-NEXT:          #pragma HLS UNROLL
// CPP-NEXT:          abs[i] = x[i] < 0 ? magnitude_abs_t(-x[i]) : magnitude_abs_t(x[i]);
// CPP-NEXT:      }
