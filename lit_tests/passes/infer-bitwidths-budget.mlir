// infer-bitwidths{budget=...}: the steps of `auto` types (`infer` casts, constants and tables) chosen
// for an error budget on the outputs (lowering/error_budget.py); integer bits stay proven.
// RUN: xdsl-opt %s -p 'infer-bitwidths{max-width=16 budget=0.1 default-frac=4}' | filecheck %s
// RUN: xdsl-opt %s -p 'infer-bitwidths{max-width=16 budget=default default-frac=4}' | filecheck %s --check-prefix=DEFAULT
// RUN: %python %inputs/pass_errors.py %s \
// RUN:   'TIGHT@1=infer-bitwidths{max-width=16 budget=0.03 default-frac=4}' \
// RUN:   'INPUTS@1=infer-bitwidths{max-width=16 budget=0.001}' \
// RUN:   'NEGATIVE@1=infer-bitwidths{max-width=16 budget=-1}' \
// RUN:   'NOMAX@1=infer-bitwidths{budget=default}' \
// RUN: | filecheck %s --check-prefix=ERR
//
// The first-order bound on |design - float model| of the output (what the budget constrains):
//   the inputs' rounding, 2^-6 (RND at F = 5), through |w| summed (0.3 + 0.7 = 1): 0.015625;
//   the weights' rounding at F_w fraction bits, 2^-(F_w+1) plus their source's error 1e-5, through
//   |x| summed (x in [-4, 3.97]: 4 + 4 = 8);
//   the result cast's rounding at F_y, 2^-(F_y+1).
// The cost figure: 2 multipliers of 8 x (2 + F_w) bits and an adder of the accumulator's width
// (3 + 5 + F_w): only the weights' step costs; the cast's costs nothing, and steps no coarser than
// the default's 4 fraction bits are the floor (a budget below the default one).
// Budget 0.1: F_w = 6 (weights 0.3 -> 19/64, -0.7 -> -45/64, <7,1>), F_y = 5 (<8,3>):
//   0.015625 + 8 * (2^-7 + 1e-5) + 2^-6 = 0.0939 <= 0.1; one bit less on the weights alone adds
//   8 * 2^-7 = 0.0625, on the cast 2^-6 = 0.0156: both exceed the budget.
// The accumulator: F = 5 + 6 = 11, |value| <= 4 * (19 + 45) / 64 = 4: <14,3>.
// CHECK:      func.func @budget(%arg: tensor<2xf32>) -> tensor<1xf64> attributes {fixed.error_budget = 1.000000e-01 : f64} {
// CHECK:        %w = fixed.constant dense<[[19], [-45]]> : tensor<2x1xi8> as tensor<2x1x!fixed.fixed<7, 1, signed>> {error = 0.0031380517578125 : f64, layer = "fc"}
// CHECK-NEXT:   %d = fixed.dense %x, %w {layer = "fc"} : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x1x!fixed.fixed<7, 1, signed>>) -> tensor<1x!fixed.fixed<14, 3, signed>>
// CHECK-NEXT:   %y = fixed.cast %d RND SAT {layer = "fc"} : tensor<1x!fixed.fixed<14, 3, signed>> -> tensor<1x!fixed.fixed<8, 3, signed>>
//
// The default budget: every step at default-frac = 4: 0.015625 + 8 * (2^-5 + 1e-5) + 2^-5 = 0.29696,
// which the same steps meet (nothing cheaper: the floor).
// DEFAULT:      attributes {fixed.error_budget = 2.969550e-01 : f64}
// DEFAULT:        %w = fixed.constant dense<[[5], [-11]]> : tensor<2x1xi8> as tensor<2x1x!fixed.fixed<5, 1, signed>>
// DEFAULT-NEXT:   %d = fixed.dense %x, %w {layer = "fc"} : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x1x!fixed.fixed<5, 1, signed>>) -> tensor<1x!fixed.fixed<12, 3, signed>>
// DEFAULT-NEXT:   %y = fixed.cast %d RND SAT {layer = "fc"} : tensor<1x!fixed.fixed<12, 3, signed>> -> tensor<1x!fixed.fixed<7, 3, signed>>
//
// Budget 0.03: within 16 bits the accumulator (3 integer bits, 5 + F_w fraction bits) allows F_w <= 8
// (at F_w = 9 the rounded weights 77/256 and -179/256 make |value| reach 4.0: 4 integer bits):
// 0.015625 + 8 * (2^-9 + 1e-5) = 0.0314 (the cast keeps all 5 + 8 fraction bits: it does not round).
// ERR:      --- TIGHT
// ERR-NEXT: {{^}}dialects.errors.CompileError: error budget 0.03 cannot be met within Model.Precision.maximum (16 bits): the closest allocation found bounds the error by 0.0314, most of it from layer 'fc', whose constants keep 8 fraction bits (the integer bits that never overflow over the inputs' whole range take the rest of the width, its own or that of the values it feeds); calibrate (observed ranges), raise the maximum or the budget{{$}}
// Below the inputs' own rounding (2^-6 through |w| = 1), nothing can meet it:
// ERR:      --- INPUTS
// ERR-NEXT: {{^}}dialects.errors.CompileError: error budget 0.001 is below what the fixed types alone give (0.0156, mostly quantising the inputs to their type): raise the budget (the report's first-order bound is the scale){{$}}
// ERR:      --- NEGATIVE
// ERR-NEXT: {{^}}dialects.errors.CompileError: infer-bitwidths: budget must be a positive number, 'default' or 'none', got -1{{$}}
// ERR:      --- NOMAX
// ERR-NEXT: {{^}}dialects.errors.CompileError: infer-bitwidths: an error budget needs max-width (the widest type){{$}}

func.func @budget(%arg: tensor<2xf32>) -> tensor<1xf64> {
  %x = fixed.quantize %arg RND SAT {layer = "x"} : tensor<2xf32> -> tensor<2x!fixed.fixed<8, 3, signed>>
  %w = fixed.constant dense<[[19661], [-45875]]> : tensor<2x1xi32> as tensor<2x1x!fixed.fixed<17, 1, signed>> {error = 1.0e-05 : f64, layer = "fc", infer}
  %d = fixed.dense %x, %w {layer = "fc"} : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x1x!fixed.fixed<17, 1, signed>>) -> tensor<1x!fixed.fixed<26, 5, signed>>
  %y = fixed.cast %d RND SAT infer {layer = "fc"} : tensor<1x!fixed.fixed<26, 5, signed>> -> tensor<1x!fixed.fixed<26, 5, signed>>
  %o = fixed.dequantize %y : tensor<1x!fixed.fixed<26, 5, signed>> -> tensor<1xf64>
  func.return %o : tensor<1xf64>
}
