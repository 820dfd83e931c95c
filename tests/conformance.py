"""Conformance against ONNX's own backend node tests (shared by tests/test_onnx_conformance.py and
bench/conformance.py).

Cases
-----
Every directory of `onnx/backend/test/data/node/` (the onnx==1.22.0 wheel ships them on disk) whose
model consists only of the supported ops (`WEIGHTS`, plus Constant nodes), and the 1-D and 2-D
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
inputs or outputs: the compiler is float in, float out), empty tensors, 3-D pools (the compiler
takes 1-D and 2-D), training mode (batch statistics, random dropout, and LayerNormalization's Mean
and InvStdDev outputs: every onnx node test of it asks for them, so none runs), recurrent nodes fed a
time-major graph input (LSTM/GRU/RNN with layout 0: dimension 0 is time; the batchwise cases run),
and nodes that do not treat dimension 0 as a batch of independent samples: a result whose dimension 0 differs from its
input's (concat, split, flatten, transpose, squeeze, unsqueeze, reshape along axis 0, Gemm transA, a
1-D MatMul operand), a softmax along axis 0, or a constant operand that varies along the batch axis. The pass rate the test requires
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
can cause, computed per case with no fudge factor: see tests/conformance_tolerance.py.

C simulation
------------
A passing case can also be written as an HLS project, compiled with g++ and run: its C simulation
must equal the emulator bit for bit. That takes ~0.2-0.4 s a case. The tier compiles a
deterministic subset (`in_csim_subset`): every Conv case, every case whose import builds slices,
concats or dense layers (Resize, Upsample, Pad, MatMul rows and the dilated pools), and the first
passing case (by name) of every other row, so every op is compiled at least once.
`CONFORMANCE_CSIM=all` compiles every passing case, as does `bench/conformance.py --csim`.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import onnx
from conformance_tolerance import HELPERS, _attrs, _opset, _values, tolerance
from onnx import numpy_helper

from dialects.errors import CompileError

PRECISION = "ap_fixed<36,16,AP_RND,AP_SAT>"
TABLE_SIZE = 1 << 14
PYTORCH_OPSET = 13

# The supported ops, and for each the inputs that are weights (embedded as initializers).
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
    "Max": (),
    "Min": (),
    "Einsum": (),
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
    "Abs": (),
    "Sigmoid": (),
    "Tanh": (),
    "Softmax": (),
    "LayerNormalization": (1, 2),
    "LSTM": (1, 2, 3, 4, 5, 6, 7),
    "GRU": (1, 2, 3, 4, 5),
    "RNN": (1, 2, 3, 4, 5),
    "Gemm": (1, 2),
    "MatMul": (1,),
}
OPS = frozenset(WEIGHTS)
BROADCASTING = frozenset({"Add", "Sub", "Mul", "Max", "Min"})


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
    if len(arrays) < 2 or not all(isinstance(a, np.ndarray) for a in arrays):
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
    in, float out), empty tensors, 3-D convolutions and pools (the compiler takes 1-D and 2-D),
    training mode (and LayerNormalization's statistics outputs), and nodes that do not treat
    dimension 0 as a batch of independent samples: a result whose dimension 0 differs from its
    input's, a softmax along axis 0, or a constant operand that varies along the batch axis."""
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
    if any(isinstance(x, np.ndarray) and x.ndim == 0 for x in loaded.inputs):
        return "a scalar input: it has no batch axis"
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
        if node.op_type == "LayerNormalization" and any(node.output[1:]):
            return "uses LayerNormalization's Mean or InvStdDev output"
        if node.op_type in ("LSTM", "GRU", "RNN") and not int(attrs.get("layout", 0)) and node.input[0] in loaded.feeds:
            return "a time-major sequence input (layout 0): dimension 0 is time, the batch is dimension 1"
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
STATISTICS = "LayerNormalization's Mean and InvStdDev outputs (training statistics): the design computes Y only"
PER_SAMPLE_CONSTANT = "a constant operand that differs from sample to sample (varies along dimension 0)"
TIME_MAJOR = "a recurrent node's time-major graph input (layout 0): dimension 0 is time, not the batch"
EXPECTED_UNSUPPORTED: dict[str, str] = {
    **dict.fromkeys(
        """test_add_int16 test_add_int8 test_add_uint16 test_add_uint32 test_add_uint64 test_add_uint8
        test_clip_default_int8_inbounds test_clip_default_int8_inbounds_expanded test_clip_default_int8_max
        test_clip_default_int8_min test_dropout_default_mask test_dropout_default_mask_ratio test_edge_pad
        test_identity_opt test_identity_sequence test_maxpool_2d_uint8 test_maxpool_with_argmax_2d_precomputed_pads
        test_maxpool_with_argmax_2d_precomputed_strides test_mul_int16 test_mul_int8 test_mul_uint16 test_mul_uint32
        test_mul_uint64 test_mul_uint8 test_reflect_pad test_sub_int16 test_sub_int8 test_sub_uint16
        test_sub_uint32 test_sub_uint64 test_sub_uint8 test_training_dropout_default_mask test_training_dropout_mask
        test_training_dropout_zero_ratio_mask test_wrap_pad""".split()
        + """test_max_int8 test_max_int16 test_max_int32 test_max_int64 test_max_uint8 test_max_uint16 test_max_uint32 test_max_uint64 test_min_int8 test_min_int16 test_min_int32 test_min_int64 test_min_uint8 test_min_uint16 test_min_uint32 test_min_uint64""".split(),
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
        test_transpose_default test_unsqueeze_axis_0 test_einsum_inner_prod test_einsum_transpose""".split(),
        ACROSS_BATCH,
    ),
    "test_einsum_scalar": "a scalar input: it has no batch axis",
    **dict.fromkeys(
        """test_layer_normalization_2d_axis0 test_layer_normalization_2d_axis_negative_2
        test_layer_normalization_3d_axis0_epsilon test_layer_normalization_3d_axis_negative_3_epsilon
        test_layer_normalization_4d_axis0 test_layer_normalization_4d_axis_negative_4""".split(),
        ACROSS_BATCH,
    ),
    **dict.fromkeys(
        """test_layer_normalization_2d_axis1 test_layer_normalization_2d_axis_negative_1
        test_layer_normalization_3d_axis1_epsilon test_layer_normalization_3d_axis2_epsilon
        test_layer_normalization_3d_axis_negative_1_epsilon test_layer_normalization_3d_axis_negative_2_epsilon
        test_layer_normalization_4d_axis1 test_layer_normalization_4d_axis2 test_layer_normalization_4d_axis3
        test_layer_normalization_4d_axis_negative_1 test_layer_normalization_4d_axis_negative_2
        test_layer_normalization_4d_axis_negative_3 test_layer_normalization_default_axis""".split(),
        STATISTICS,
    ),
    **dict.fromkeys("test_gemm_default_matrix_bias test_matmul_3d test_prelu_example".split(), PER_SAMPLE_CONSTANT),
    **dict.fromkeys(
        """test_gru_defaults test_gru_seq_length test_gru_with_initial_bias test_lstm_defaults
        test_lstm_with_initial_bias test_lstm_with_peepholes test_rnn_seq_length test_simple_rnn_defaults
        test_simple_rnn_with_initial_bias""".split(),
        TIME_MAJOR,
    ),
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
    from compiler.check import reference_session

    loaded = load(result.case)
    session = reference_session(loaded.original.SerializeToString())
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
# C simulation


# Rows whose every passing case the tier compiles: Conv (strides, padding, groups and dilation each
# emit different C++), and the ops whose import builds slices, concats or dense layers (resize, pad,
# stacked matmul; dilated pools, by name).
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
