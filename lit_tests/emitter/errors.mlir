// The hls-cpp target rejects modules it cannot print with one clear error (the final line of the
// traceback xdsl-opt prints). Each case is one chunk of this file, fed alone by %inputs/chunk.py.
//
// A fixed-level module (fixed-to-dataflow not run):
// RUN: %python %inputs/chunk.py %s 1 | not xdsl-opt -t hls-cpp 2>&1 | filecheck %s --check-prefix=NODESIGN
// NODESIGN: {{^}}dialects.errors.CompileError: hls-cpp: expected one design function (run fixed-to-dataflow first)
//
// A design without the host function that calls it:
// RUN: %python %inputs/chunk.py %s 2 | not xdsl-opt -t hls-cpp 2>&1 | filecheck %s --check-prefix=NOHOST
// NOHOST: {{^}}dialects.errors.CompileError: hls-cpp: expected one host function calling @top
//
// A constant wider than a double's mantissa cannot be written as an exact literal:
// RUN: %python %inputs/chunk.py %s 3 | not xdsl-opt -t hls-cpp 2>&1 | filecheck %s --check-prefix=WIDE
// WIDE: {{^}}dialects.errors.CompileError: constants of type ap_fixed<60,10> are wider than 53 bits and cannot be written exactly
//
// A type wider than the 128 bits the C++ types hold (Vitis' own allow 1024; ours, and a g++ build,
// stop at 128), named with its kernel's layer before anything is printed:
// RUN: %python %inputs/chunk.py %s 4 | not xdsl-opt -t hls-cpp 2>&1 | filecheck %s --check-prefix=TOOWIDE
// TOOWIDE: {{^}}dialects.errors.CompileError: hls-cpp: layer 'fc' needs ap_fixed<130,30> (130 bits), wider than the 128 bits of the C++ types: give it narrower types (weights, result or accumulator precision){{$}}

func.func @f(%x: tensor<2xf32>) -> tensor<2xf64> {
  %q = fixed.quantize %x RND SAT : tensor<2xf32> -> tensor<2x!fixed.fixed<8, 3, signed>>
  %r = fixed.relu %q : tensor<2x!fixed.fixed<8, 3, signed>>
  %y = fixed.dequantize %r : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2xf64>
  func.return %y : tensor<2xf64>
}

// -----
func.func @top(%x: tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<8, 3, signed>> attributes {dataflow.io_type = #dataflow<io_type io_parallel>} {
  %y = dataflow.kernel "act"(%x) reuse 1 latency : (tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<8, 3, signed>> {
  ^bb0(%a: tensor<2x!fixed.fixed<8, 3, signed>>):
    %r = fixed.relu %a : tensor<2x!fixed.fixed<8, 3, signed>>
    dataflow.yield %r : tensor<2x!fixed.fixed<8, 3, signed>>
  }
  func.return %y : tensor<2x!fixed.fixed<8, 3, signed>>
}

// -----
func.func @wide(%x: tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<61, 11, signed>> attributes {dataflow.io_type = #dataflow<io_type io_parallel>} {
  %y = dataflow.kernel "add"(%x) reuse 1 latency : (tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<61, 11, signed>> {
  ^bb0(%a: tensor<2x!fixed.fixed<8, 3, signed>>):
    %c = fixed.constant dense<[1, 2]> : tensor<2xi64> as tensor<2x!fixed.fixed<60, 10, signed>>
    %s = fixed.add %a, %c : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x!fixed.fixed<60, 10, signed>>) -> tensor<2x!fixed.fixed<61, 11, signed>>
    dataflow.yield %s : tensor<2x!fixed.fixed<61, 11, signed>>
  }
  func.return %y : tensor<2x!fixed.fixed<61, 11, signed>>
}
func.func @wide_host(%x: tensor<2xf32>) -> tensor<2xf64> {
  %q = fixed.quantize %x RND SAT : tensor<2xf32> -> tensor<2x!fixed.fixed<8, 3, signed>>
  %y = func.call @wide(%q) : (tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<61, 11, signed>>
  %d = fixed.dequantize %y : tensor<2x!fixed.fixed<61, 11, signed>> -> tensor<2xf64>
  func.return %d : tensor<2xf64>
}

// -----
func.func @toowide(%x: tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<130, 30, signed>> attributes {dataflow.io_type = #dataflow<io_type io_parallel>} {
  %y = dataflow.kernel "fc"(%x) reuse 1 latency {layer = "fc"} : (tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<130, 30, signed>> {
  ^bb0(%a: tensor<2x!fixed.fixed<8, 3, signed>>):
    %c = fixed.cast %a TRN WRAP {layer = "fc"} : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2x!fixed.fixed<130, 30, signed>>
    dataflow.yield %c : tensor<2x!fixed.fixed<130, 30, signed>>
  }
  func.return %y : tensor<2x!fixed.fixed<130, 30, signed>>
}
func.func @toowide_host(%x: tensor<2xf32>) -> tensor<2xf64> {
  %q = fixed.quantize %x RND SAT : tensor<2xf32> -> tensor<2x!fixed.fixed<8, 3, signed>>
  %y = func.call @toowide(%q) : (tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<130, 30, signed>>
  %d = fixed.dequantize %y : tensor<2x!fixed.fixed<130, 30, signed>> -> tensor<2xf64>
  func.return %d : tensor<2xf64>
}

