// The verilog target rejects what it does not print with one line naming it (the final line of the
// traceback xdsl-opt prints). Each case is one chunk of this file, fed alone by %inputs/chunk.py.
//
// A fixed-level module (fixed-to-dataflow not run):
// RUN: %python %inputs/chunk.py %s 1 | not xdsl-opt -t verilog 2>&1 | filecheck %s --check-prefix=NODESIGN
// NODESIGN: {{^}}dialects.errors.CompileError: verilog: expected one design function (run fixed-to-dataflow first)
//
// An io_stream design:
// RUN: %python %inputs/chunk.py %s 2 | not xdsl-opt -t verilog 2>&1 | filecheck %s --check-prefix=STREAM
// STREAM: {{^}}dialects.errors.CompileError: verilog: io_type io_stream is not supported (only io_parallel){{$}}
//
// A kernel at reuse factor 2 whose second dense reads the first's result (which is complete only on
// the last step), and one with the resource strategy:
// RUN: %python %inputs/chunk.py %s 3 | not xdsl-opt -t verilog 2>&1 | filecheck %s --check-prefix=REUSE
// REUSE: {{^}}dialects.errors.CompileError: verilog: kernel 'fc' has reuse factor 2 and a fixed.dense reading another fixed.dense's result; only reuse factor 1 is supported for such a chain{{$}}
// RUN: %python %inputs/chunk.py %s 4 | not xdsl-opt -t verilog 2>&1 | filecheck %s --check-prefix=RESOURCE
// RESOURCE: {{^}}dialects.errors.CompileError: verilog: kernel 'fc' has strategy resource; only latency{{$}}
//
// An op this backend does not print yet, named with its layer:
// RUN: %python %inputs/chunk.py %s 5 | not xdsl-opt -t verilog 2>&1 | filecheck %s --check-prefix=OP
// OP: {{^}}dialects.errors.CompileError: verilog: fixed.recurrence (layer 'rnn') is not supported by the Verilog backend{{$}}
//
// A convolution at reuse factor 2 (shared multipliers are for fixed.dense only):
// RUN: %python %inputs/chunk.py %s 6 | not xdsl-opt -t verilog 2>&1 | filecheck %s --check-prefix=CONV
// CONV: {{^}}dialects.errors.CompileError: verilog: kernel 'conv' has reuse factor 2 and a fixed.conv; only reuse factor 1 is supported for convolutions{{$}}

func.func @f(%x: tensor<2xf32>) -> tensor<2xf64> {
  %q = fixed.quantize %x RND SAT : tensor<2xf32> -> tensor<2x!fixed.fixed<8, 3, signed>>
  %r = fixed.relu %q : tensor<2x!fixed.fixed<8, 3, signed>>
  %y = fixed.dequantize %r : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2xf64>
  func.return %y : tensor<2xf64>
}

// -----
func.func @s(%x: tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<8, 3, signed>> attributes {dataflow.io_type = #dataflow<io_type io_stream>} {
  %y = dataflow.kernel "act"(%x) reuse 1 latency : (tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<8, 3, signed>> {
  ^bb0(%a: tensor<2x!fixed.fixed<8, 3, signed>>):
    %r = fixed.relu %a : tensor<2x!fixed.fixed<8, 3, signed>>
    dataflow.yield %r : tensor<2x!fixed.fixed<8, 3, signed>>
  }
  func.return %y : tensor<2x!fixed.fixed<8, 3, signed>>
}
func.func @s_host(%x: tensor<2xf32>) -> tensor<2xf64> {
  %q = fixed.quantize %x RND SAT : tensor<2xf32> -> tensor<2x!fixed.fixed<8, 3, signed>>
  %y = func.call @s(%q) : (tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<8, 3, signed>>
  %d = fixed.dequantize %y : tensor<2x!fixed.fixed<8, 3, signed>> -> tensor<2xf64>
  func.return %d : tensor<2xf64>
}

// -----
func.func @r(%x: tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<1x!fixed.fixed<27, 12, signed>> attributes {dataflow.io_type = #dataflow<io_type io_parallel>} {
  %y = dataflow.kernel "fc"(%x) reuse 2 latency : (tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<1x!fixed.fixed<27, 12, signed>> {
  ^bb0(%a: tensor<2x!fixed.fixed<8, 3, signed>>):
    %w = fixed.constant dense<[[1, 3], [2, 4]]> : tensor<2x2xi8> as tensor<2x2x!fixed.fixed<8, 3, signed>>
    %d = fixed.dense %a, %w : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x2x!fixed.fixed<8, 3, signed>>) -> tensor<2x!fixed.fixed<18, 8, signed>>
    %v = fixed.constant dense<[[1], [2]]> : tensor<2x1xi8> as tensor<2x1x!fixed.fixed<8, 3, signed>>
    %e = fixed.dense %d, %v : (tensor<2x!fixed.fixed<18, 8, signed>>, tensor<2x1x!fixed.fixed<8, 3, signed>>) -> tensor<1x!fixed.fixed<27, 12, signed>>
    dataflow.yield %e : tensor<1x!fixed.fixed<27, 12, signed>>
  }
  func.return %y : tensor<1x!fixed.fixed<27, 12, signed>>
}
func.func @r_host(%x: tensor<2xf32>) -> tensor<1xf64> {
  %q = fixed.quantize %x RND SAT : tensor<2xf32> -> tensor<2x!fixed.fixed<8, 3, signed>>
  %y = func.call @r(%q) : (tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<1x!fixed.fixed<27, 12, signed>>
  %d = fixed.dequantize %y : tensor<1x!fixed.fixed<27, 12, signed>> -> tensor<1xf64>
  func.return %d : tensor<1xf64>
}

// -----
func.func @r(%x: tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<1x!fixed.fixed<17, 7, signed>> attributes {dataflow.io_type = #dataflow<io_type io_parallel>} {
  %y = dataflow.kernel "fc"(%x) reuse 1 resource : (tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<1x!fixed.fixed<17, 7, signed>> {
  ^bb0(%a: tensor<2x!fixed.fixed<8, 3, signed>>):
    %w = fixed.constant dense<[[1], [2]]> : tensor<2x1xi8> as tensor<2x1x!fixed.fixed<8, 3, signed>>
    %d = fixed.dense %a, %w : (tensor<2x!fixed.fixed<8, 3, signed>>, tensor<2x1x!fixed.fixed<8, 3, signed>>) -> tensor<1x!fixed.fixed<17, 7, signed>>
    dataflow.yield %d : tensor<1x!fixed.fixed<17, 7, signed>>
  }
  func.return %y : tensor<1x!fixed.fixed<17, 7, signed>>
}
func.func @r_host(%x: tensor<2xf32>) -> tensor<1xf64> {
  %q = fixed.quantize %x RND SAT : tensor<2xf32> -> tensor<2x!fixed.fixed<8, 3, signed>>
  %y = func.call @r(%q) : (tensor<2x!fixed.fixed<8, 3, signed>>) -> tensor<1x!fixed.fixed<17, 7, signed>>
  %d = fixed.dequantize %y : tensor<1x!fixed.fixed<17, 7, signed>> -> tensor<1xf64>
  func.return %d : tensor<1xf64>
}

// -----
!t = tensor<3x2x!fixed.fixed<8, 3, signed>>
!h = tensor<2x!fixed.fixed<8, 3, signed>>
func.func @q(%x: !t) -> !t attributes {dataflow.io_type = #dataflow<io_type io_parallel>} {
  %y = dataflow.kernel "rnn"(%x) reuse 1 latency {layer = "rnn"} : (!t) -> !t {
  ^bb0(%a: !t):
    %h0 = fixed.constant dense<[0, 0]> : tensor<2xi8> as !h
    %s, %h = fixed.recurrence(%a) init(%h0) {layer = "rnn"} : (!t, !h) -> (!t, !h) {
    ^bb0(%xt: !h, %hp: !h):
      %u = fixed.add %xt, %hp : (!h, !h) -> tensor<2x!fixed.fixed<9, 4, signed>>
      %c = fixed.cast %u RND SAT : tensor<2x!fixed.fixed<9, 4, signed>> -> !h
      fixed.yield %c, %c : !h, !h
    }
    dataflow.yield %s : !t
  }
  func.return %y : !t
}
func.func @q_host(%x: tensor<3x2xf32>) -> tensor<3x2xf64> {
  %q = fixed.quantize %x RND SAT : tensor<3x2xf32> -> !t
  %y = func.call @q(%q) : (!t) -> !t
  %d = fixed.dequantize %y : !t -> tensor<3x2xf64>
  func.return %d : tensor<3x2xf64>
}

// -----
!x = tensor<4x1x!fixed.fixed<8, 3, signed>>
!w = tensor<2x1x1x!fixed.fixed<8, 3, signed>>
!y = tensor<3x1x!fixed.fixed<18, 8, signed>>
func.func @c(%x: !x) -> !y attributes {dataflow.io_type = #dataflow<io_type io_parallel>} {
  %y = dataflow.kernel "conv"(%x) reuse 2 latency {layer = "conv"} : (!x) -> !y {
  ^bb0(%a: !x):
    %w = fixed.constant dense<[[[1]], [[2]]]> : tensor<2x1x1xi8> as !w
    %c = fixed.conv %a, %w {layer = "conv", strides = array<i64: 1>, dilations = array<i64: 1>, pads = array<i64: 0, 0>, groups = 1 : i64} : (!x, !w) -> !y
    dataflow.yield %c : !y
  }
  func.return %y : !y
}
func.func @c_host(%x: tensor<4x1xf32>) -> tensor<3x1xf64> {
  %q = fixed.quantize %x RND SAT : tensor<4x1xf32> -> !x
  %y = func.call @c(%q) : (!x) -> !y
  %d = fixed.dequantize %y : !y -> tensor<3x1xf64>
  func.return %d : tensor<3x1xf64>
}
