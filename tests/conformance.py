"""Conformance against ONNX's own backend node tests (shared by tests/test_onnx_conformance.py and
bench/conformance.py).

Cases
-----
Every directory of `onnx/backend/test/data/node/` (the onnx==1.22.0 wheel ships them on disk) whose
model consists only of the ops of the issue (`WEIGHTS`, plus Constant nodes), and the 1-D and 2-D
convolutions of `onnx/backend/test/data/pytorch-converted/` (`test_Conv1d*`, `test_Conv2d*`: opset 6,
upgraded to opset 13 with `onnx.version_converter`; they bring the groups, depthwise and dilation
cases that the node tests lack). A case's row (`Case.op`) is the op type of its node(s), so
`test_conv_with_strides_padding` counts for Conv; the few multi-op models (`*_expanded` function
bodies made of listed ops) get a row of their own, e.g. `HardSigmoid+Mul`.

Node tests pass weights as graph inputs. Which inputs are weights is decided by the op (`WEIGHTS`:
Conv W/B, BatchNormalization scale/B/mean/var, PRelu slope, Gemm B/C, MatMul's second input, Pad
pads/value/axes, Reshape shape, Clip min/max, Resize roi/scales/sizes, Upsample scales, Split split,
Squeeze/Unsqueeze axes, Dropout ratio/training_mode): their values are in the test data, so they are
moved to initializers. The operand of Add/Sub/Mul that broadcasts over the batch axis (lower rank
than the other, or a leading 1) is the same for every sample: it becomes an initializer too. Every
other input stays a runtime input, and dimension 0 of each runtime input is the batch.

Outcomes
--------
`convert(model, precision=PRECISION, table_size=TABLE_SIZE)`, then `emulate(*inputs)`:
- pass: every output has the expected shape and is within the tolerance below;
- unsupported: `convert` raised `CompileError`, the one error users may see (the test checks that the
  message is one line and names the node, or the graph input/output, at fault);
- wrong: an output has the wrong shape or a number outside the tolerance;
- crash: any other exception, from convert or from the emulator.

Expected unsupported
--------------------
`EXPECTED_UNSUPPORTED` lists, by name and with the reason, the cases the compiler legitimately
refuses; every one still runs and must give the one-line CompileError (if one starts to pass it must
leave the list), and every other case must pass. `scope()` states the rules that justify the list,
read from the model and its data before compiling, never from the outcome; the test checks that
every listed case breaks one: data that is not float tensors (integer, bool, sequence and optional
inputs or outputs: the compiler is float in, float out), empty tensors, 3-D pools (the issue asks
for 1-D and 2-D), training mode, and nodes that do not treat dimension 0 as a batch of independent
samples: a result whose dimension 0 differs from its input's (concat, split, flatten, transpose,
squeeze, unsqueeze, reshape along axis 0, Gemm transA, a 1-D MatMul operand), a softmax along axis
0, or a constant operand that varies along the batch axis. The pass rate the issue asks for
(>= 90 %) counts the other cases; the table also gives the rate over every case.

`REFERENCE_DIVERGES` lists the cases whose expected outputs (onnx's reference implementation)
contradict onnxruntime, where the importer follows onnxruntime (and PyTorch, whose exports they
are): they stay `wrong` in the table, and the test checks them against onnxruntime instead.

Precision
---------
`ap_fixed<36,16,AP_RND,AP_SAT>`. 16 integer bits hold every value the cases reach without saturating
(test_softmax_large_number feeds 10003; the next largest is a convolution output of 252), and 20
fraction bits put a step at 2^-20 ~ 1e-6, far below the values, so a wrong index, weight or window
shows as an error thousands of times the tolerance. RND and SAT make each rounding at most half a
step. TABLE_SIZE = 2^14 entries (instead of the default 1024) for the table-based functions (sigmoid,
tanh, elu, selu, softplus, softmax's exp and reciprocal): their errors are then 1e-4 to 3e-3 (half
the function's change across an entry: 2^-10 of input), small next to the values and sixteen times
finer than the default, while building and checking a table still takes milliseconds and its C++
compiles in a fraction of a second.

Tolerance
---------
For each output, |emulated - expected| <= tol elementwise, tol a bound on the error the quantisation
can cause, computed per case (no fudge factor):

    tol = G * q_in / 2 + W + T * (C + sum_t g_t * E_t) + F + R

- q_in / 2: the input rounding (q_in the step of the design's input type, from the report; RND);
- G: how much the graph can amplify an input error, the product over its nodes of the node's gain:
  the largest sum of |weights| into one output for Conv/Gemm/MatMul (times Gemm's alpha), the
  largest |scale| / sqrt(var + eps) for BatchNormalization, max |c| for Mul by a constant, max|a| +
  max|b| for Mul of two runtime inputs, 2 for Add/Sub of two runtime inputs, the largest slope for
  LeakyRelu/PRelu/Elu/Selu/HardSigmoid, for a linear, cubic or cropping Resize the product over
  the dense layer of each resized axis (`dense_stages`, read from the design) of its largest sum of
  |weights| into one output, 1 for the others (pools, softmax, layout ops, nearest resize, relu-like
  ops, clip, sigmoid, tanh, softplus);
- W: the rounding of the constants, per node, with e_c the largest rounding error nn-to-fixed
  recorded on the node's constants in the IR (`fixed.constant ... error`, i.e. half a step of the
  precision for weights): e_c * taps * max|x| for a weighted sum of `taps` terms (conv, dense; an
  average pool's 1/count constant multiplies a window sum of `taps` = kernel-size terms), e_c * max|x|
  for a scale or slope, plus e_c per bias or added constant; clip bounds move by up to one input
  step (they are rounded inwards onto the input's grid); a pad value adds e_c; a Resize through
  dense layers adds e_c * taps_k * max|x| per axis k, amplified by the gains of the other axes, and
  e_c per bias (the extrapolation value). In a chain, what a node adds is amplified by the gains of
  the nodes after it;
- C: the rounding of every cast in the report (`layers[*].casts[*].rounds.max_error`), summed; a
  cast that rounds off more than half a step of PRECISION is an error of the case (a crash), so
  that the bound cannot grow to excuse a design coarser than asked for;
- E_t: each table's error, from the IR entry by entry: the functions are monotone, so an entry's
  worst error is at one end of the inputs it serves; the inputs are those the report's interval
  analysis says the table can see (`tables[*].input_range`), where its value is used (elu/selu:
  x <= 0, softplus: x <= 16, softmax's exp: x - max <= 0, its reciprocal: a sum in [1, n]). This is
  at least the report's `tables[*].max_error`, which samples 2^16 inputs and can miss the worst
  entry of a wide input. E_t is capped at the table's contract (lowering/tables.py): half the
  function's largest change over an entry, plus 2^(1-W) of its largest value for entries of W bits;
  a table worse than its contract makes the case wrong. g_t, its gain, is 1, except for softmax's
  exp table, whose error reaches a result directly and through the sum of the n exponentials
  (divided by a sum >= 1): g = n + 1;
- T = 1 for a single-node graph (its casts and tables sit at its output), G for a chain or a
  Resize along several axes (the cast after one axis is amplified by the next);
- F = 2^-23 * (max |expected| + taps * G * max |x|): the float32 reference's own rounding (the
  standard bound for a float sum of `taps` terms, u = 2^-24, doubled);
- R: REFERENCE_ROUNDING, for the one case whose expected values onnx writes by hand with 4 decimals.
x: the values entering each node (from onnx's reference evaluator for multi-node graphs).

C simulation
------------
A passing case can also be written as an HLS project, compiled with g++ and run: its C simulation
must equal the emulator bit for bit. That takes ~0.2-0.4 s a case (69 s for all 194 passing cases
with the 2-core machine shared). The tier compiles a deterministic subset (`in_csim_subset`, 104
cases): every Conv case, every case whose import builds slices, concats or dense layers (Resize,
Upsample, Pad, MatMul rows and the dilated pools), and the first passing case (by name) of every
other row, so every op is compiled at least once. `CONFORMANCE_CSIM=all` compiles every passing
case, as does `bench/conformance.py --csim` (all 194 equal the emulator bit for bit).
"""

from __future__ import annotations

import math
import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import onnx
from onnx import numpy_helper

from compiler.errors import CompileError

PRECISION = "ap_fixed<36,16,AP_RND,AP_SAT>"
TABLE_SIZE = 1 << 14
PYTORCH_OPSET = 13

# The ops of the issue, and for each the inputs that are weights (embedded as initializers).
WEIGHTS: dict[str, tuple[int, ...]] = {
    "Conv": (1, 2),
    "MaxPool": (),
    "AveragePool": (),
    "GlobalAveragePool": (),
    "GlobalMaxPool": (),
    "BatchNormalization": (1, 2, 3, 4),
    "Pad": (1, 2, 3),
    "Resize": (1, 2, 3),
    "Upsample": (1,),
    "Flatten": (),
    "Transpose": (),
    "Reshape": (1,),
    "Concat": (),
    "Add": (),
    "Sub": (),
    "Mul": (),
    "LeakyRelu": (),
    "PRelu": (1,),
    "Elu": (),
    "Selu": (),
    "HardSigmoid": (),
    "Softplus": (),
    "ThresholdedRelu": (),
    "Clip": (1, 2),
    "Split": (1,),
    "Squeeze": (1,),
    "Unsqueeze": (1,),
    "Identity": (),
    "Dropout": (1, 2),
    "Relu": (),
    "Sigmoid": (),
    "Tanh": (),
    "Softmax": (),
    "Gemm": (1, 2),
    "MatMul": (1,),
}
OPS = frozenset(WEIGHTS)
BROADCASTING = frozenset({"Add", "Sub", "Mul"})
HELPERS = frozenset({"Constant"})  # may appear next to the listed ops


def data_root() -> Path | None:
    """onnx's backend test data, if this onnx wheel ships it on disk (onnx <= 1.22)."""
    root = Path(onnx.__file__).resolve().parent / "backend" / "test" / "data"
    return root if (root / "node").is_dir() else None


@dataclass(frozen=True)
class Case:
    name: str  # the test directory's name: the pytest id
    op: str  # the row: the op type(s) of the model's nodes
    path: Path
    pytorch: bool = False  # from pytorch-converted (opset 6, upgraded)


def _row(ops: list[str]) -> str:
    listed = [o for o in dict.fromkeys(ops) if o not in HELPERS]
    return "+".join(listed)


@cache
def discover() -> tuple[Case, ...]:
    root = data_root()
    if root is None:
        return ()
    cases = []
    for directory in sorted((root / "node").iterdir()):
        if not (directory / "model.onnx").is_file():
            continue
        model = onnx.load(str(directory / "model.onnx"), load_external_data=False)
        ops = [n.op_type for n in model.graph.node]
        if ops and all(o in OPS or o in HELPERS for o in ops) and any(o in OPS for o in ops):
            cases.append(Case(directory.name, _row(ops), directory))
    converted = root / "pytorch-converted"
    if converted.is_dir():
        for directory in sorted(converted.iterdir()):
            if directory.name.startswith(("test_Conv1d", "test_Conv2d")) and (directory / "model.onnx").is_file():
                cases.append(Case(directory.name, "Conv", directory, pytorch=True))
    return tuple(cases)


# --------------------------------------------------------------------------------------------------
# Loading a case


def _read_value(path: Path, type_proto: onnx.TypeProto | None):
    """A test-data file: a tensor, or a sequence/optional (which the compiler will refuse)."""
    data = path.read_bytes()
    kind = type_proto.WhichOneof("value") if type_proto is not None else "tensor_type"
    if kind == "sequence_type":
        proto = onnx.SequenceProto()
        proto.ParseFromString(data)
        return numpy_helper.to_list(proto)
    if kind == "optional_type":
        proto = onnx.OptionalProto()
        proto.ParseFromString(data)
        return numpy_helper.to_optional(proto)
    proto = onnx.TensorProto()
    proto.ParseFromString(data)
    return numpy_helper.to_array(proto)


@dataclass
class Loaded:
    model: onnx.ModelProto  # weights moved to initializers
    original: onnx.ModelProto  # as shipped (upgraded for pytorch-converted), for the reference evaluator
    feeds: dict[str, object]  # every graph input of the original with its test value
    inputs: list[np.ndarray]  # the runtime inputs, in the order of the compiled model's inputs
    expected: list[object]  # per graph output


def load(case: Case) -> Loaded:
    model = onnx.load(str(case.path / "model.onnx"))
    if case.pytorch:
        model = onnx.version_converter.convert_version(model, PYTORCH_OPSET)
    data = case.path / "test_data_set_0"
    initialized = {t.name for t in model.graph.initializer}
    graph_inputs = [v for v in model.graph.input if v.name not in initialized]
    feeds = {}
    for i, value_info in enumerate(graph_inputs):
        file = data / f"input_{i}.pb"
        if file.is_file():
            feeds[value_info.name] = _read_value(file, value_info.type)
    expected = [_read_value(data / f"output_{i}.pb", v.type) for i, v in enumerate(model.graph.output)]
    original = onnx.ModelProto()
    original.CopyFrom(model)

    weights = _weight_names(model, feeds)
    kept = [v for v in model.graph.input if v.name not in weights]
    for name in weights:
        model.graph.initializer.append(numpy_helper.from_array(np.asarray(feeds[name]), name))
    del model.graph.input[:]
    model.graph.input.extend(kept)
    inputs = [feeds[v.name] for v in kept if v.name not in initialized]
    return Loaded(model, original, feeds, inputs, expected)


def _weight_names(model: onnx.ModelProto, feeds: dict[str, object]) -> list[str]:
    """The graph inputs that are weights of the node consuming them (see the module docstring)."""
    names: list[str] = []
    for node in model.graph.node:
        indices = set(WEIGHTS.get(node.op_type, ()))
        if node.op_type in BROADCASTING:
            indices |= _batch_broadcast_operands(node, feeds)
        for i in sorted(indices):
            if i < len(node.input) and node.input[i] in feeds and node.input[i] not in names:
                if isinstance(feeds[node.input[i]], np.ndarray):
                    names.append(node.input[i])
    return names


def _batch_broadcast_operands(node: onnx.NodeProto, feeds: dict[str, object]) -> set[int]:
    """Operands of an elementwise op that do not vary over the batch axis of the other operand."""
    arrays = [feeds.get(name) for name in node.input[:2]]
    if not all(isinstance(a, np.ndarray) for a in arrays):
        return set()
    a, b = arrays
    rank = max(a.ndim, b.ndim)
    batch = max(x.shape[0] for x in arrays if x.ndim == rank)
    out = set()
    for i, x in enumerate(arrays):
        if x.ndim < rank or (x.shape[0] == 1 and batch > 1):
            out.add(i)
    return out if len(out) < 2 else set()


# --------------------------------------------------------------------------------------------------
# Scope: which cases the pass rate counts (decided from the model and its data, before compiling)

FLOAT = {onnx.TensorProto.FLOAT, onnx.TensorProto.DOUBLE, onnx.TensorProto.FLOAT16}
SPATIAL = {"Conv", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool"}


def scope(case: Case, loaded: Loaded) -> str | None:
    """Why a case is outside what the compiler is for (None: in scope), the rule behind each entry
    of EXPECTED_UNSUPPORTED. Out of scope: data that is not float tensors (the compiler is float
    in, float out), empty tensors, 3-D convolutions and pools (the issue asks for 1-D and 2-D),
    training mode, and nodes that do not treat dimension 0 as a batch of independent samples: a result whose
    dimension 0 differs from its input's, a softmax along axis 0, or a constant operand that varies
    along the batch axis."""
    graph = loaded.original.graph
    initialized = {t.name for t in graph.initializer}
    weights = {t.name for t in loaded.model.graph.initializer}
    for value_info in [*graph.input, *graph.output]:
        if value_info.name in initialized or value_info.name in weights:
            continue
        kind = value_info.type.WhichOneof("value")
        if kind != "tensor_type" or value_info.type.tensor_type.elem_type not in FLOAT:
            what = "tensor" if kind == "tensor_type" else kind.replace("_type", "")
            dtype = (
                onnx.TensorProto.DataType.Name(value_info.type.tensor_type.elem_type) if kind == "tensor_type" else ""
            )
            return f"non-float data ({dtype or what})"
    if any(isinstance(x, np.ndarray) and x.size == 0 for x in loaded.inputs):
        return "empty tensor"
    try:
        values = _values(loaded)
    except Exception:
        values = {}
    opset = _opset(loaded.original)
    for node in graph.node:
        attrs = _attrs(node)
        x = values.get(node.input[0]) if node.input else None
        if node.op_type in SPATIAL and x is not None and x.ndim > 4:
            return "3-D convolution or pooling"
        if node.op_type == "BatchNormalization" and attrs.get("training_mode", 0):
            return "training mode"
        if node.op_type == "Dropout" and len(node.input) > 2 and node.input[2] in loaded.feeds:
            if bool(np.asarray(loaded.feeds[node.input[2]]).reshape(-1)[0]):
                return "training mode"
        if x is None or x.ndim == 0 or node.input[0] in weights or node.input[0] in initialized:
            continue
        for name in node.output:
            y = values.get(name)
            if y is not None and (y.ndim == 0 or y.shape[0] != x.shape[0]):
                return "mixes samples (dimension 0 of the result is not the batch)"
        if node.op_type == "Softmax":
            axis = int(attrs.get("axis", -1 if opset >= 13 else 1))
            if axis in (0, -x.ndim):
                return "acts along the batch axis"
        rank = max([x.ndim] + [values[n].ndim for n in node.output if n in values])
        for i, name in enumerate(node.input[1:], start=1):
            c = values.get(name)
            const = name in weights or name in initialized
            if const and c is not None and node.op_type in ("Add", "Sub", "Mul", "PRelu", "Gemm", "MatMul"):
                if c.ndim >= rank and c.shape[0] > 1 and not (node.op_type == "Gemm" and i == 1):
                    return "a constant operand varies along the batch axis"
    return None


# The cases the compiler legitimately refuses (see the module docstring), by reason.
NON_FLOAT = "integer, bool, sequence or optional data: the compiler takes and gives float tensors"
ACROSS_BATCH = "acts across dimension 0, the batch: the design computes one sample at a time"
PER_SAMPLE_CONSTANT = "a constant operand that differs from sample to sample (varies along dimension 0)"
EXPECTED_UNSUPPORTED: dict[str, str] = {
    **dict.fromkeys(
        """test_add_int16 test_add_int8 test_add_uint16 test_add_uint32 test_add_uint64 test_add_uint8
        test_clip_default_int8_inbounds test_clip_default_int8_inbounds_expanded test_clip_default_int8_max
        test_clip_default_int8_min test_dropout_default_mask test_dropout_default_mask_ratio test_edge_pad
        test_identity_opt test_identity_sequence test_maxpool_2d_uint8 test_maxpool_with_argmax_2d_precomputed_pads
        test_maxpool_with_argmax_2d_precomputed_strides test_mul_int16 test_mul_int8 test_mul_uint16 test_mul_uint32
        test_mul_uint64 test_mul_uint8 test_reflect_pad test_sub_int16 test_sub_int8 test_sub_uint16
        test_sub_uint32 test_sub_uint64 test_sub_uint8 test_training_dropout_default_mask test_training_dropout_mask
        test_training_dropout_zero_ratio_mask test_wrap_pad""".split(),
        NON_FLOAT,
    ),
    **dict.fromkeys(
        """test_concat_1d_axis_0 test_concat_1d_axis_negative_1 test_concat_2d_axis_0 test_concat_2d_axis_negative_2
        test_concat_3d_axis_0 test_concat_3d_axis_negative_3 test_flatten_axis0 test_flatten_axis2
        test_flatten_axis3 test_flatten_negative_axis1 test_flatten_negative_axis2 test_flatten_negative_axis4
        test_gemm_all_attributes test_gemm_transposeA test_matmul_1d_1d test_matmul_1d_3d
        test_reshape_negative_extended_dims test_reshape_one_dim test_reshape_reordered_all_dims
        test_softmax_axis_0 test_split_1d_uneven_split_opset18 test_split_equal_parts_1d_opset13
        test_split_equal_parts_1d_opset18 test_split_equal_parts_default_axis_opset13
        test_split_equal_parts_default_axis_opset18 test_split_variable_parts_1d_opset13
        test_split_variable_parts_1d_opset18 test_split_variable_parts_default_axis_opset13
        test_split_variable_parts_default_axis_opset18 test_squeeze test_transpose_all_permutations_2
        test_transpose_all_permutations_3 test_transpose_all_permutations_4 test_transpose_all_permutations_5
        test_transpose_default test_unsqueeze_axis_0""".split(),
        ACROSS_BATCH,
    ),
    **dict.fromkeys("test_gemm_default_matrix_bias test_matmul_3d test_prelu_example".split(), PER_SAMPLE_CONSTANT),
    **dict.fromkeys(
        """test_averagepool_3d_default test_averagepool_3d_dilations_large_count_include_pad_is_0_ceil_mode_is_False
        test_averagepool_3d_dilations_large_count_include_pad_is_0_ceil_mode_is_True
        test_averagepool_3d_dilations_large_count_include_pad_is_1_ceil_mode_is_False
        test_averagepool_3d_dilations_large_count_include_pad_is_1_ceil_mode_is_True
        test_averagepool_3d_dilations_small test_maxpool_3d_default test_maxpool_3d_dilations
        test_maxpool_3d_dilations_use_ref_impl test_maxpool_3d_dilations_use_ref_impl_large""".split(),
        "3-D pooling: 1 or 2 spatial axes only",
    ),
    **dict.fromkeys(
        """test_batchnorm_epsilon_training_mode test_batchnorm_example_training_mode test_training_dropout
        test_training_dropout_default""".split(),
        "training mode: batch statistics or random dropout",
    ),
    **dict.fromkeys(
        "test_reshape_allowzero_reordered test_split_zero_size_splits_opset13 test_split_zero_size_splits_opset18".split(),
        "an empty tensor",
    ),
}

# align_corners with a scale whose output length is not whole (4 x 0.6 = 2.4 -> 2): onnx's reference
# maps x to x * (4 - 1) / (2.4 - 1), onnxruntime and PyTorch to x * (4 - 1) / (2 - 1)
ALIGN_CORNERS = "align_corners with a fractional output length: onnxruntime and PyTorch use the whole length"
REFERENCE_DIVERGES: dict[str, str] = dict.fromkeys(
    ["test_resize_downsample_scales_linear_align_corners", "test_resize_downsample_scales_cubic_align_corners"],
    ALIGN_CORNERS,
)


def check_onnxruntime(result: Result) -> str | None:
    """Compare a case's emulated outputs with onnxruntime's within its tolerance (None: they agree)."""
    import onnxruntime

    loaded = load(result.case)
    session = onnxruntime.InferenceSession(loaded.original.SerializeToString(), providers=["CPUExecutionProvider"])
    feeds = {k: v for k, v in loaded.feeds.items() if k in {i.name for i in session.get_inputs()}}
    for i, (got, want) in enumerate(zip(result.emulated, session.run(None, feeds))):
        if got.shape != want.shape:
            return f"output {i}: shape {list(got.shape)}, onnxruntime gives {list(want.shape)}"
        error = float(np.max(np.abs(got - want))) if want.size else 0.0
        if error > result.tolerance:
            return f"output {i}: differs from onnxruntime by {error:.3g} > tolerance {result.tolerance:.3g}"
    return None


# --------------------------------------------------------------------------------------------------
# Running a case


@dataclass
class Result:
    case: Case
    status: str  # pass, unsupported, wrong, crash
    message: str = ""
    out_of_scope: str | None = None  # scope(): the rule that would justify refusing it
    error: float = 0.0  # largest |emulated - expected| over the outputs
    tolerance: float = 0.0  # the smallest tolerance of an output
    ratio: float = 0.0  # largest error / tolerance
    tables: list = field(default_factory=list, repr=False)  # TableError per table
    compiled: object | None = field(default=None, repr=False)  # the HLSModel (pass only)
    inputs: list[np.ndarray] = field(default_factory=list, repr=False)
    emulated: list[np.ndarray] = field(default_factory=list, repr=False)

    @property
    def in_scope(self) -> bool:
        """Counted by the pass rate: not listed in EXPECTED_UNSUPPORTED."""
        return self.case.name not in EXPECTED_UNSUPPORTED


def _one_line(err: Exception) -> str:
    return f"{type(err).__name__}: {' '.join(str(err).split())[:400]}"


def run_case(case: Case, precision: str = PRECISION, table_size: int = TABLE_SIZE) -> Result:
    from compiler.api import convert

    try:
        loaded = load(case)
        out_of_scope = scope(case, loaded)
    except Exception as err:  # the harness itself: reported as a crash, to be looked at
        return Result(case, "crash", f"harness could not load the case: {_one_line(err)}")
    try:
        compiled = convert(loaded.model, name="conformance", precision=precision, table_size=table_size)
    except CompileError as err:
        return Result(case, "unsupported", str(err), out_of_scope)
    except Exception as err:
        return Result(case, "crash", f"convert: {_one_line(err)}", out_of_scope)
    try:
        outputs = compiled.emulate(*loaded.inputs)
    except Exception as err:
        return Result(case, "crash", f"emulate: {_one_line(err)}", out_of_scope)
    outputs = outputs if isinstance(outputs, list) else [outputs]
    if len(outputs) != len(loaded.expected):
        return Result(case, "wrong", f"{len(outputs)} outputs, expected {len(loaded.expected)}", out_of_scope)
    try:
        tolerances, tables = tolerance(case, loaded, compiled, precision)
    except Exception as err:
        return Result(case, "crash", f"harness could not bound the error: {_one_line(err)}", out_of_scope)
    worst, ratio, problems = 0.0, 0.0, []
    for i, (got, want, tol) in enumerate(zip(outputs, loaded.expected, tolerances)):
        want = np.asarray(want, dtype=np.float64)
        if got.shape != want.shape:
            problems.append(f"output {i}: shape {list(got.shape)}, expected {list(want.shape)}")
            continue
        err = float(np.max(np.abs(got - want))) if want.size else 0.0
        worst, ratio = max(worst, err), max(ratio, err / tol)
        if err > tol:
            at = np.unravel_index(int(np.argmax(np.abs(got - want))), want.shape)
            problems.append(
                f"output {i}: max error {err:.3g} > tolerance {tol:.3g} at {list(map(int, at))} "
                f"(got {got[at]:.6g}, expected {want[at]:.6g})"
            )
    if problems:
        for t in tables:
            if t.exact > t.contract:
                problems.append(
                    f"the {t.function} table of '{t.layer}' is off by up to {t.exact:.3g}, more than half the "
                    f"function's change over an entry plus the entries' resolution ({t.contract:.3g})"
                )
    return Result(
        case,
        "wrong" if problems else "pass",
        "; ".join(problems),
        out_of_scope,
        worst,
        min(tolerances) if tolerances else 0.0,
        ratio,
        tables,
        None if problems else compiled,
        list(loaded.inputs),
        outputs,
    )


@cache
def result_of(name: str) -> Result:
    case = next(c for c in discover() if c.name == name)
    return run_case(case)


def all_results() -> list[Result]:
    return [result_of(c.name) for c in discover()]


# --------------------------------------------------------------------------------------------------
# The tolerance (see the module docstring)

# Test data that onnx's generator writes by hand with 4 decimals, inputs and expected outputs
# rounded separately from unrounded values: the expected outputs are off by up to one unit of the
# 4th decimal (checked against onnx's reference evaluator on the given inputs: 5.6e-5; every other
# case agrees with it to float32 rounding).
REFERENCE_ROUNDING = {"test_averagepool_2d_ceil_last_window_starts_on_pad": 1e-4}

# Where each table's value is used (the rest of the input range is served by another branch):
# elu/selu tabulate x <= 0 (x > 0 takes the linear branch), softplus x <= 16, softmax's exp sees
# x - max <= 0 and its reciprocal a sum in [1, n]; sigmoid and tanh their whole input.
SMOOTH_UPPER = {"elu": 0.0, "selu": 0.0, "softplus": 16.0, "exp": 0.0}


def _step(type_text: str) -> float:
    """The step of an `ap_fixed<W,I>` / `ap_ufixed<W,I>` type."""
    width, int_bits = (int(v) for v in type_text.split("<")[1].rstrip(">").split(",")[:2])
    return 2.0 ** -(width - int_bits)


def _attrs(node: onnx.NodeProto) -> dict[str, object]:
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _values(loaded: Loaded) -> dict[str, np.ndarray]:
    """Every tensor of the original model under the test data (onnx's reference evaluator)."""
    from onnx.reference import ReferenceEvaluator

    values = {k: np.asarray(v) for k, v in loaded.feeds.items() if isinstance(v, np.ndarray)}
    values.update({t.name: numpy_helper.to_array(t) for t in loaded.original.graph.initializer})
    if len(loaded.original.graph.node) > 1:
        evaluator = ReferenceEvaluator(loaded.original)
        results = evaluator.run(None, loaded.feeds, intermediate=True)
        values.update({k: np.asarray(v) for k, v in results.items() if isinstance(v, np.ndarray)})
    else:
        for name, value in zip([o.name for o in loaded.original.graph.output], loaded.expected):
            values[name] = np.asarray(value)
    return values


def _peak(array) -> float:
    array = np.asarray(array, dtype=np.float64)
    return float(np.max(np.abs(array))) if array.size else 0.0


def node_bound(
    node: onnx.NodeProto,
    values: dict[str, np.ndarray],
    runtime: set[str],
    e_c: float,
    q_in: float,
    stages: list[np.ndarray] = (),
):
    """(gain, error of its constants' rounding, taps) of one node (see the module docstring);
    e_c: the largest rounding error of the node's constants (from the IR); stages: the weights of
    the dense layers the node became, in order (a linear, cubic or cropping Resize: one per axis)."""
    op, attrs = node.op_type, _attrs(node)

    def value(i: int) -> np.ndarray | None:
        if i < len(node.input) and node.input[i] and node.input[i] in values:
            return np.asarray(values[node.input[i]], dtype=np.float64)
        return None

    x = value(0)
    peak_x = _peak(x) if x is not None else 0.0
    if op == "Conv":
        w = value(1)
        taps = int(np.prod(w.shape[1:]))
        gain = float(np.abs(w).reshape(w.shape[0], -1).sum(axis=1).max())
        return gain, e_c * taps * peak_x + (e_c if value(2) is not None else 0.0), taps
    if op in ("Gemm", "MatMul"):
        w = value(1)
        if op == "Gemm" and attrs.get("transB", 0):
            w = w.T
        if w.ndim == 1:
            w = w.reshape(-1, 1)
        alpha = abs(float(attrs.get("alpha", 1.0))) if op == "Gemm" else 1.0
        taps = w.shape[-2]
        gain = alpha * float(np.abs(w).sum(axis=-2).max())
        # the importer folds alpha into the weights and beta into the bias before rounding them
        return gain, e_c * taps * peak_x + e_c, taps
    if op == "BatchNormalization":
        scale = np.abs(value(1)) / np.sqrt(value(4) + float(attrs.get("epsilon", 1e-5)))
        return float(scale.max()), e_c * peak_x + e_c, 1
    if op in ("Add", "Sub", "Mul"):
        a, b = value(0), value(1)
        a_rt, b_rt = node.input[0] in runtime, node.input[1] in runtime
        if op == "Mul":
            if a_rt and b_rt:
                return _peak(a) + _peak(b), 0.0, 1
            const, var = (b, a) if a_rt else (a, b)
            return _peak(const), e_c * _peak(var), 1
        return (2.0, 0.0, 1) if a_rt and b_rt else (1.0, e_c, 1)
    if op == "LeakyRelu":
        return max(1.0, abs(float(attrs.get("alpha", 0.01)))), e_c * peak_x, 1
    if op == "PRelu":
        return max(1.0, _peak(value(1))), e_c * peak_x, 1
    if op == "Elu":
        return max(1.0, abs(float(attrs.get("alpha", 1.0)))), 0.0, 1
    if op == "Selu":
        alpha = abs(float(attrs.get("alpha", 1.67326319217681884765625)))
        gamma = abs(float(attrs.get("gamma", 1.05070102214813232421875)))
        return gamma * max(1.0, alpha), e_c * peak_x, 1
    if op == "HardSigmoid":
        return abs(float(attrs.get("alpha", 0.2))), e_c * peak_x + e_c, 1
    if op == "Clip":
        return 1.0, q_in, 1
    if op in ("AveragePool", "GlobalAveragePool"):  # e_c: the rounding of 1/count
        spatial = x.shape[2:] if x is not None else ()
        taps = int(np.prod(_ints_attr(attrs, "kernel_shape", spatial)))
        return 1.0, e_c * taps * peak_x, taps
    if op == "Pad":
        return 1.0, e_c, 1
    if op in ("Resize", "Upsample") and stages:
        # stage k rounds e_c * taps_k * (its input <= the gains before it * max|x|), and the stages
        # after it amplify that; each bias (extrapolation value) rounds e_c
        gains = [float(np.abs(w).sum(axis=0).max()) for w in stages]
        counts = [int((w != 0).sum(axis=0).max()) for w in stages]
        spread = sum(t * math.prod(gains[:k] + gains[k + 1 :]) for k, t in enumerate(counts))
        biases = sum(math.prod(gains[k + 1 :]) for k in range(len(stages)))
        return math.prod(gains), e_c * (spread * peak_x + biases), math.prod(counts)
    return 1.0, 0.0, 1


def _ints_attr(attrs, name, default) -> list[int]:
    return [int(v) for v in attrs.get(name, default)]


def dense_stages(compiled) -> dict[str, list[np.ndarray]]:
    """The weights [in, out] of each layer's dense ops, in order, as the design holds them."""
    from dialects import fixed

    stages: dict[str, list[np.ndarray]] = {}
    for op in compiled.module.walk():
        if isinstance(op, fixed.DenseOp) and isinstance(op.weight.owner, fixed.ConstantOp):
            constant = op.weight.owner
            codes = np.asarray(constant.values(), dtype=np.float64)
            layer = op.properties.get("layer")
            weights = codes * 2.0 ** -fixed.format_of(constant.result).frac_bits
            stages.setdefault(layer.data if layer is not None else "", []).append(weights)
    return stages


def constant_errors(compiled) -> dict[str, float]:
    """The largest rounding error of the constants of each layer, as nn-to-fixed recorded them."""
    from dialects import fixed

    errors: dict[str, float] = {}
    for op in compiled.module.walk():
        if isinstance(op, fixed.ConstantOp) and op.error is not None:
            layer = op.properties.get("layer")
            name = layer.data if layer is not None else ""
            errors[name] = max(errors.get(name, 0.0), float(op.error.value.data))
    return errors


@dataclass
class TableError:
    function: str
    layer: str
    reported: float  # the report's tables[*].max_error
    exact: float  # the largest error over the inputs whose result the table gives
    contract: float  # half the function's largest change over an entry + 2^(1-W) of its largest value

    @property
    def bound(self) -> float:
        """What the tolerance admits: the exact error, but no more than the contract."""
        return min(self.exact, self.contract)


def table_errors(compiled) -> list[TableError]:
    """Each table's error, computed entry by entry from the IR (every function tabulated here is
    monotone, so an entry's worst error is at one of the two ends of the inputs it serves)."""
    from dialects import fixed
    from dialects.fixedpoint import codes_to_floats
    from lowering.tables import function

    reported = [t for layer in compiled.report["layers"] for t in layer.get("tables", [])]
    out = []
    lookups = [op for k in compiled.design.kernels for op in k.block.walk() if isinstance(op, fixed.LookupOp)]
    if [op.function.data for op in lookups] != [t["function"] for t in reported]:
        raise ValueError("the report's tables do not follow the design's lookups")
    for op, rep in zip(lookups, reported):
        name = op.function.data
        fn = function(name, op.function_params)
        fmt, out_fmt = fixed.format_of(op.input), fixed.format_of(op.output)
        index = op.index_type.format
        shift = fmt.frac_bits - index.frac_bits
        offset = int(op.offset.value.data)
        # the inputs the table can see (the report's interval analysis), where its value is used
        lo = max(fmt.min_code, math.floor(rep["input_range"][0] * 2**fmt.frac_bits))
        hi = min(fmt.max_code, math.ceil(rep["input_range"][1] * 2**fmt.frac_bits))
        if name in SMOOTH_UPPER:
            hi = min(hi, math.floor(SMOOTH_UPPER[name] * 2**fmt.frac_bits))
        if name == "reciprocal":  # softmax's sum of exponentials lies in [1, n] (the domain)
            domain = op.domain.get_values()
            lo = max(lo, math.floor(domain[0] * 2**fmt.frac_bits))
            hi = min(hi, math.ceil(domain[1] * 2**fmt.frac_bits))
        codes = op.table_codes()
        count = len(codes)
        starts = [offset + (i << shift) for i in range(count)]
        ends = [s + (1 << shift) - 1 for s in starts]
        starts[0], ends[-1] = min(starts[0], lo), max(ends[-1], hi)
        exact, change, peak = 0.0, 0.0, 0.0
        for i in range(count):
            a, b = max(starts[i], lo), min(ends[i], hi)
            if a > b:
                continue
            ends_x = np.array([math.ldexp(a, -fmt.frac_bits), math.ldexp(b, -fmt.frac_bits)])
            with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
                f = np.asarray(fn(ends_x), dtype=np.float64)
            v = float(codes_to_floats(np.array([int(codes[i])], dtype=object), out_fmt)[0])
            exact = max(exact, float(np.max(np.abs(f - v))))
            change = max(change, float(abs(f[1] - f[0])))
            peak = max(peak, float(np.max(np.abs(f))))
        contract = change / 2 + peak * 2.0 ** (1 - out_fmt.width)
        layer = op.properties.get("layer")
        out.append(TableError(name, layer.data if layer is not None else "", float(rep["max_error"]), exact, contract))
    return out


def tolerance(case: Case, loaded: Loaded, compiled, precision: str) -> tuple[list[float], list[TableError]]:
    report = compiled.report
    q_in = max((_step(p["type"]) for p in report["interface"]["inputs"]), default=_step(precision))
    e_w = _step(precision) / 2
    constants = constant_errors(compiled)
    values = _values(loaded)
    runtime = {v.name for v in loaded.model.graph.input}
    for node in loaded.original.graph.node:  # values computed from runtime inputs are runtime too
        if any(name in runtime for name in node.input):
            runtime.update(node.output)
    names = _node_names(loaded.original)
    nodes = [(n, names[i]) for i, n in enumerate(loaded.original.graph.node) if n.op_type not in HELPERS]
    stages = dense_stages(compiled)
    gain, weights, taps, staged = 1.0, 0.0, 1, False
    for node, name in nodes:
        g, w, t = node_bound(node, values, runtime, constants.get(name, e_w), q_in, stages.get(name, ()))
        weights = weights * g + w
        gain *= g
        taps = max(taps, t)
        staged = staged or (node.op_type in ("Resize", "Upsample") and len(stages.get(name, ())) > 1)
    rounded = [c.get("rounds", {}).get("max_error", 0.0) for layer in report["layers"] for c in layer.get("casts", [])]
    if max(rounded, default=0.0) > e_w * (1 + 1e-9):  # the bound must not grow with a design that ignores PRECISION
        raise ValueError(f"a cast rounds off up to {max(rounded):.3g}, more than half a step of {precision}")
    casts = sum(rounded)
    tables = table_errors(compiled)
    table_term = sum((1.0 + _softmax_length(loaded) if t.function == "exp" else 1.0) * t.bound for t in tables)
    tail = 1.0 if len(nodes) <= 1 and not staged else max(gain, 1.0)
    peak_in = max((_peak(v) for v in loaded.inputs), default=0.0)
    rounding = REFERENCE_ROUNDING.get(case.name, 0.0)
    out = []
    for want in loaded.expected:
        f32 = 2.0**-23 * (_peak(want) + taps * max(gain, 1.0) * peak_in)
        out.append(gain * q_in / 2 + weights + tail * (casts + table_term) + f32 + rounding)
    return out, tables


def _node_names(model: onnx.ModelProto) -> list[str]:
    """The names the importer gives the nodes (onnx_importer._unique_node_names)."""
    seen: set[str] = set()
    names = []
    for i, node in enumerate(model.graph.node):
        name = node.name or f"{node.op_type.lower()}_{i}"
        while name in seen:
            name = f"{name}_{i}"
        seen.add(name)
        names.append(name)
    return names


def _softmax_length(loaded: Loaded) -> int:
    """The length of the axis a Softmax node normalises (for its exp table's gain)."""
    for node in loaded.original.graph.node:
        if node.op_type == "Softmax":
            shape = np.asarray(loaded.expected[0]).shape
            opset = _opset(loaded.original)
            axis = int(_attrs(node).get("axis", -1 if opset >= 13 else 1))
            return shape[axis] if opset >= 13 else int(np.prod(shape[axis:]))
    return 1


def _opset(model: onnx.ModelProto) -> int:
    return next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), 13)


# --------------------------------------------------------------------------------------------------
# C simulation


# Rows whose every passing case the tier compiles: Conv (as the issue asks), and the ops whose import
# builds slices, concats or dense layers (resize, pad, stacked matmul; dilated pools, by name).
CSIM_ROWS = frozenset({"Conv", "Resize", "Upsample", "Pad", "MatMul"})


def in_csim_subset(result: Result, results: list[Result]) -> bool:
    """Whether the tier compiles this passing case: every case of CSIM_ROWS, every dilated pool,
    and the first passing case (by name) of every other row. CONFORMANCE_CSIM=all: every one."""
    if result.status != "pass":
        return False
    if os.environ.get("CONFORMANCE_CSIM") == "all":
        return True
    if result.case.op in CSIM_ROWS or "dilations" in result.case.name:
        return True
    first = min((r.case.name for r in results if r.case.op == result.case.op and r.status == "pass"), default=None)
    return result.case.name == first


def csim_subset(results: list[Result]) -> list[Result]:
    return [r for r in results if in_csim_subset(r, results)]


def check_csim(result: Result, directory: str | os.PathLike[str] | None = None) -> str | None:
    """Compile a passing case with g++ and compare its C simulation with the emulator bit for bit.
    None if they agree, else what differs."""
    compiled = result.compiled
    with tempfile.TemporaryDirectory(prefix="nn2hls_conformance_") as scratch:
        target = Path(directory or scratch) / result.case.name
        compiled.write(target, force=True)
        compiled.compile()
        got = compiled.predict(*result.inputs)
    got = got if isinstance(got, list) else [got]
    for i, (c, e) in enumerate(zip(got, result.emulated)):
        if c.shape != e.shape or not np.array_equal(c, e):
            diff = float(np.max(np.abs(c - e))) if c.shape == e.shape else float("nan")
            return f"output {i}: C simulation differs from the emulator (max difference {diff:.3g})"
    return None


# --------------------------------------------------------------------------------------------------
# The table


@dataclass
class Row:
    op: str
    cases: int = 0
    passed: int = 0
    unsupported: int = 0
    wrong: int = 0
    crash: int = 0
    scoped: int = 0  # cases the pass rate counts (not in EXPECTED_UNSUPPORTED)
    scoped_passed: int = 0
    reasons: Counter = field(default_factory=Counter)  # (CompileError without the node name, expected) -> count
    failures: list = field(default_factory=list)  # (name, status, message) of wrong and crash cases

    @property
    def rate(self) -> float:
        return self.passed / self.cases if self.cases else 0.0

    @property
    def scoped_rate(self) -> float:
        return self.scoped_passed / self.scoped if self.scoped else 0.0

    def add(self, other: Row) -> None:
        for key in ("cases", "passed", "unsupported", "wrong", "crash", "scoped", "scoped_passed"):
            setattr(self, key, getattr(self, key) + getattr(other, key))


def reason(message: str) -> str:
    """A CompileError message without the node's name, so that equal reasons group."""
    if message.startswith("node '") and "): " in message:
        return message.split("): ", 1)[1]
    return message


def table(results: list[Result]) -> list[Row]:
    rows: dict[str, Row] = {}
    for r in results:
        row = rows.setdefault(r.case.op, Row(r.case.op))
        row.cases += 1
        row.scoped += r.in_scope
        if r.status == "pass":
            row.passed += 1
            row.scoped_passed += r.in_scope
        elif r.status == "unsupported":
            row.unsupported += 1
            row.reasons[(reason(r.message), EXPECTED_UNSUPPORTED.get(r.case.name))] += 1
        else:
            setattr(row, r.status, getattr(row, r.status) + 1)
            row.failures.append((r.case.name, r.status, r.message))
    return [rows[k] for k in sorted(rows)]


def format_table(results: list[Result], reasons: bool = True) -> str:
    """Per op: cases, passed, unsupported (with the distinct reasons), wrong, crash, pass rate, and
    the same for the cases the pass rate counts (all but EXPECTED_UNSUPPORTED); then the totals."""
    header = (
        f"{'op':<20} {'cases':>5} {'pass':>5} {'unsup':>5} {'wrong':>5} {'crash':>5} {'rate':>7} | "
        f"{'count':>5} {'pass':>5} {'rate':>7}"
    )
    lines = [header, "-" * len(header)]
    total = Row("total")

    def line(row: Row) -> str:
        return (
            f"{row.op:<20} {row.cases:>5} {row.passed:>5} {row.unsupported:>5} {row.wrong:>5} {row.crash:>5} "
            f"{100 * row.rate:>6.1f}% | {row.scoped:>5} {row.scoped_passed:>5} "
            + (f"{100 * row.scoped_rate:>6.1f}%" if row.scoped else f"{'-':>7}")
        )

    for row in table(results):
        lines.append(line(row))
        if reasons:
            for (text, expected), count in sorted(row.reasons.items(), key=lambda kv: (-kv[1], kv[0][0])):
                note = f"  [expected: {expected}]" if expected else "  [NOT EXPECTED]"
                lines.append(f"{'':<4}unsupported {count} x {text}{note}")
            for name, status, message in row.failures:
                diverges = f"  [{REFERENCE_DIVERGES[name]}]" if name in REFERENCE_DIVERGES else ""
                lines.append(f"{'':<4}{status}: {name}: {message}{diverges}")
        total.add(row)
    lines += ["-" * len(header), line(total)]
    return "\n".join(lines)
