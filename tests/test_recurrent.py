"""Recurrent networks: PyTorch's LSTM, GRU and RNN, imported directly (torch.export) and through
their ONNX exports (time-major LSTM/GRU/RNN nodes between Transposes).

Each model is built in torch with random weights in eval mode. Both import paths give the same
design (their emulations are identical); the emulator agrees with torch within the quantisation
error of ap_fixed<16,6> (a wrong gate order or a missed bias is off by tenths); the C simulation
equals the emulator bit for bit in io_parallel and io_stream. Options the compiler does not handle
are refused in one line naming the node or layer and the option. The trained models of the issue's
acceptance (a pulse detector) are in the slow tier.
"""

from __future__ import annotations

import re

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper
from support import torch_to_onnx

from compiler.__main__ import main
from compiler.api import convert
from compiler.check import reference_session
from dialects.errors import CompileError

torch = pytest.importorskip("torch")
nn = torch.nn

STEPS, FEATURES, HIDDEN = 12, 4, 8
PRECISION = "ap_fixed<16,6>"
TOLERANCE = 0.02  # measured 0.003-0.008 on these models at ap_fixed<16,6>


class Sequence(nn.Module):
    """A recurrent stack read at its last step, then a dense layer (the usual classifier)."""

    def __init__(self, cell: str, layers: int = 1, bidirectional: bool = False, nonlinearity: str = "tanh"):
        super().__init__()
        kind = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}[cell]
        extra = {"nonlinearity": nonlinearity} if cell == "rnn" else {}
        self.rnn = kind(FEATURES, HIDDEN, num_layers=layers, batch_first=True, bidirectional=bidirectional, **extra)
        self.fc = nn.Linear(HIDDEN * (2 if bidirectional else 1), 3)

    def forward(self, x):
        y, _ = self.rnn(x)
        return self.fc(y[:, -1])


class WholeSequence(nn.Module):
    """Every step's output, flattened (the output sequence itself reaches the design's port)."""

    def __init__(self):
        super().__init__()
        self.rnn = nn.GRU(FEATURES, HIDDEN, batch_first=True)

    def forward(self, x):
        return self.rnn(x)[0].flatten(1)


class FinalState(nn.Module):
    """The classifier idiom reading the last layer's final state h_n[-1] (the batch on axis 1 of h_n)."""

    def __init__(self, cell: str, bidirectional: bool = False):
        super().__init__()
        self.rnn = {"lstm": nn.LSTM, "gru": nn.GRU}[cell](
            FEATURES, HIDDEN, num_layers=2, batch_first=True, bidirectional=bidirectional
        )
        self.fc = nn.Linear(HIDDEN, 3)

    def forward(self, x):
        _, h = self.rnn(x)
        return self.fc((h[0] if isinstance(h, tuple) else h)[-1])


class TimeMajor(nn.Module):
    """batch_first=False: the model makes its sequence time-major itself, and reads the last step."""

    def __init__(self, cell: str, bidirectional: bool = False):
        super().__init__()
        self.rnn = {"lstm": nn.LSTM, "gru": nn.GRU}[cell](FEATURES, HIDDEN, num_layers=2, bidirectional=bidirectional)
        self.fc = nn.Linear(HIDDEN * (2 if bidirectional else 1), 3)

    def forward(self, x):
        y, _ = self.rnn(x.transpose(0, 1))  # [T, B, F] -> [T, B, D*H]
        return self.fc(y[-1])


CASES = {
    "lstm": lambda: Sequence("lstm"),
    "gru": lambda: Sequence("gru"),
    "rnn_tanh": lambda: Sequence("rnn"),
    "lstm_2_layers_bidirectional": lambda: Sequence("lstm", 2, True),
    "gru_2_layers": lambda: Sequence("gru", 2),
    "gru_bidirectional": lambda: Sequence("gru", 1, True),
    "gru_whole_sequence": WholeSequence,
    "gru_final_state": lambda: FinalState("gru"),
    "lstm_bidirectional_final_state": lambda: FinalState("lstm", True),
    "gru_time_major": lambda: TimeMajor("gru"),
    "lstm_time_major_bidirectional": lambda: TimeMajor("lstm", True),
}


def sequences(n: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=(n, STEPS, FEATURES)).astype(np.float32)


@pytest.mark.parametrize("name", list(CASES))
def test_torch_and_onnx_import_agree_with_torch(name, tmp_path):
    torch.manual_seed(1)
    module = CASES[name]().eval()
    x = sequences(300)
    expected = module(torch.from_numpy(x)).detach().numpy()
    direct = convert(module, input_shape=(STEPS, FEATURES), precision=PRECISION)
    exported = convert(torch_to_onnx(module, (STEPS, FEATURES)), precision=PRECISION)
    emulated = direct.emulate(x)
    assert np.array_equal(exported.emulate(x), emulated)  # the same design either way
    assert np.max(np.abs(emulated - expected)) < TOLERANCE


def test_relu_rnn_needs_a_result_type_under_auto():
    torch.manual_seed(2)
    module = Sequence("rnn", nonlinearity="relu").eval()
    x = sequences(200)
    expected = module(torch.from_numpy(x)).detach().numpy()
    model = convert(module, input_shape=(STEPS, FEATURES), precision=PRECISION)
    assert np.max(np.abs(model.emulate(x) - expected)) < TOLERANCE
    with pytest.raises(CompileError, match=r"layer 'rnn': a SimpleRNN with activations relu has an unbounded state"):
        convert(module, input_shape=(STEPS, FEATURES), precision="auto")


def test_auto_precision_proves_the_state_types():
    """Under `auto`, h gets 2 integer bits and an LSTM's c the bits of T (+1 a step at most)."""
    torch.manual_seed(3)
    module = Sequence("lstm").eval()
    x = sequences(300)
    expected = module(torch.from_numpy(x)).detach().numpy()
    model = convert(module, input_shape=(STEPS, FEATURES), precision="auto")
    assert np.max(np.abs(model.emulate(x, check_overflow=True) - expected)) < TOLERANCE
    text = model.ir("nn-to-fixed")
    assert "fixed.fixed<12, 2, signed>" in text  # h: [-1, 1] at the default's 10 fraction bits
    assert "fixed.fixed<15, 5, signed>" in text  # c: |c| <= 12 steps


@pytest.mark.parametrize(
    "name, io_type, reuse",
    [
        ("lstm_2_layers_bidirectional", "io_parallel", 1),
        ("gru", "io_parallel", 4),
        ("gru_2_layers", "io_stream", 1),
        ("gru_whole_sequence", "io_stream", 3),
        ("rnn_tanh", "io_parallel", 1),
    ],
)
def test_csim_equals_emulator(name, io_type, reuse, tmp_path):
    torch.manual_seed(4)
    module = CASES[name]().eval()
    x = sequences(500, seed=5)
    model = convert(
        module,
        input_shape=(STEPS, FEATURES),
        precision=PRECISION,
        io_type=io_type,
        reuse_factor=reuse,
        output_dir=tmp_path / "prj",
    )
    model.write()
    model.compile()
    assert np.array_equal(model.predict(x), model.emulate(x))


def test_bounded_fifos_of_a_recurrent_stream_design(tmp_path):
    """io_stream with the FIFO depths size-fifos computed: no deadlock, bit for bit with the unbounded
    C simulation and the emulator (each recurrent kernel runs a step per packet of its sequence,
    keeping its state: a "sequence" kernel)."""
    torch.manual_seed(6)
    model = convert(
        CASES["gru_2_layers"]().eval(),
        input_shape=(STEPS, FEATURES),
        precision=PRECISION,
        io_type="io_stream",
        output_dir=tmp_path / "prj",
    )
    assert model.ir("plan-streams").count('stream = "sequence"') == 2
    model.write()
    model.compile()
    x = sequences(8, seed=7)
    check = model.check_fifos(x)
    assert check.samples == 8 and check.bit_exact == 8 and check.unbounded_equal == 8
    assert check.all_smallest_deadlock_free


def test_report_gives_the_time_loop():
    torch.manual_seed(5)
    model = convert(Sequence("gru").eval(), input_shape=(STEPS, FEATURES), precision=PRECISION, reuse_factor=4)
    (layer,) = [entry for entry in model.report["layers"] if entry.get("time_steps")]
    assert layer["time_steps"] == STEPS and layer["cycles_per_sample"] == 4 * STEPS
    assert model.report["pipeline"] == "dataflow"  # the time loop is a process, never unrolled by a pipeline
    # one step's hardware: 3 gates x (4 + 8) inputs x 8 hidden MACs, shared by 4
    assert layer["multiplications"] == STEPS * 3 * (FEATURES + HIDDEN) * HIDDEN
    assert layer["multipliers"] >= 3 * (FEATURES + HIDDEN) * HIDDEN // 4


# ------------------------------------------------------------------------------------------------
# Refusals


class BatchSecond(nn.Module):
    """batch_first=False, fed the batch-first input as it is."""

    def __init__(self):
        super().__init__()
        self.rnn = nn.GRU(FEATURES, HIDDEN)

    def forward(self, x):
        return self.rnn(x)[0][-1]


class ReadsFinalStates(nn.Module):
    """Reads h_n [layers, batch, H] whole: its batch is on axis 1."""

    def __init__(self):
        super().__init__()
        self.rnn = nn.GRU(FEATURES, HIDDEN, batch_first=True)

    def forward(self, x):
        return self.rnn(x)[1] * 2


@pytest.mark.parametrize(
    "module, message",
    [
        (BatchSecond, r"its input has the batch on axis 0, but batch_first=False reads it on axis 1"),
        (
            ReadsFinalStates,
            r"has the batch on axis 1 \(a recurrent layer's states, or a permute\): only permute, select",
        ),
    ],
)
def test_torch_refusals(module, message):
    with pytest.raises(CompileError, match=message) as err:
        convert(module().eval(), input_shape=(STEPS, FEATURES))
    assert "\n" not in str(err.value)


def onnx_gru(**attributes) -> onnx.ModelProto:
    """One time-major (layout 0) GRU node between the Transposes exporters put around it: x [B, T, F]
    -> [T, B, F] -> GRU -> Y [T, 1, B, H] -> y [B, T, 1, H]."""
    rng = np.random.default_rng(0)
    w = numpy_helper.from_array(rng.normal(size=(1, 3 * HIDDEN, FEATURES)).astype(np.float32), "W")
    r = numpy_helper.from_array(rng.normal(size=(1, 3 * HIDDEN, HIDDEN)).astype(np.float32), "R")
    inputs = ["xt", "W", "R"]
    initializers = [w, r]
    lens = attributes.pop("sequence_lens", None)
    if lens is not None:
        initializers.append(numpy_helper.from_array(np.array(lens, dtype=np.int32), "lens"))
        inputs += ["", "lens"]
    nodes = [
        helper.make_node("Transpose", ["x"], ["xt"], name="to_time_major", perm=[1, 0, 2]),
        helper.make_node("GRU", inputs, ["yt"], name="gru", hidden_size=HIDDEN, **attributes),
        helper.make_node("Transpose", ["yt"], ["y"], name="to_batch_first", perm=[2, 0, 1, 3]),
    ]
    graph = helper.make_graph(
        nodes,
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, STEPS, FEATURES])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, STEPS, 1, HIDDEN])],
        initializer=initializers,
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])


@pytest.mark.parametrize("reverse, linear_before_reset", [(False, 0), (True, 1)])
def test_onnx_gru_node_against_onnxruntime(reverse, linear_before_reset):
    """ONNX's own GRU (z, r, h gates; linear_before_reset 0, the default, which PyTorch never
    exports), against onnxruntime. Its N(0, 1) weights amplify errors over the steps, so the check
    is at a wide type and fine tables (the error then falls with the precision: it is rounding)."""
    model = onnx_gru(direction="reverse" if reverse else "forward", linear_before_reset=linear_before_reset)
    x = sequences(200, seed=6) * 0.5
    expected = reference_session(model.SerializeToString()).run(None, {"x": x})[0]
    emulated = convert(model, precision="ap_fixed<32,12>", table_size=1 << 14).emulate(x)
    assert np.max(np.abs(emulated - expected.reshape(emulated.shape))) < 0.005


@pytest.mark.parametrize(
    "activations, alpha, beta, bounded",
    [
        (["Sigmoid", "Sigmoid"], [], [], True),
        (["Tanh", "Tanh"], [], [], False),
        (["Sigmoid", "Relu"], [], [], False),
        (["HardSigmoid", "Tanh"], [], [], True),  # ONNX's defaults: 0.2 x + 0.5
        (["HardSigmoid", "ScaledTanh"], [0.25, 1.5], [0.4, 0.75], True),
        (["Sigmoid", "LeakyRelu"], [0.1], [], False),
        (["Sigmoid", "ThresholdedRelu"], [0.3], [], False),
        (["Sigmoid", "Affine"], [0.5], [0.25], False),
        (["Sigmoid", "Elu"], [0.7], [], False),
        (["Sigmoid", "Softplus"], [], [], False),
    ],
)
def test_onnx_gru_with_other_activations(activations, alpha, beta, bounded):
    """ONNX lets each slot take another function, with activation_alpha/beta consumed in the order
    of the functions that take them (defaults where absent): tables, exact arithmetic or both here
    (lowering/activation_ops.py, shared with the layers). Such cells need not contract (a relu
    candidate, or an update gate outside [0, 1], lets the state grow), so any rounding, the float32
    reference's included, grows step by step: the first steps are compared. Where an activation
    leaves the state unbounded, `auto` cannot prove the state's type; where all are bounded (a hard
    sigmoid gate in [0, 1], a scaled tanh within |alpha|) it can."""
    attributes = {"activations": activations}
    if alpha:
        attributes["activation_alpha"] = alpha
    if beta:
        attributes["activation_beta"] = beta
    model = onnx_gru(**attributes)
    x = sequences(200, seed=8) * 0.25
    expected = reference_session(model.SerializeToString()).run(None, {"x": x})[0]
    emulated = convert(model, precision="ap_fixed<32,12>", table_size=1 << 14).emulate(x)
    first = slice(0, 2)
    assert np.max(np.abs(emulated[:, first] - expected.reshape(emulated.shape)[:, first])) < 0.005
    if bounded:
        proven = convert(model, precision="auto").emulate(x)
        assert np.max(np.abs(proven[:, first] - expected.reshape(emulated.shape)[:, first])) < 0.02
    else:
        with pytest.raises(CompileError, match=r"layer 'gru': a GRU with activations .* has an unbounded state"):
            convert(model, precision="auto")


@pytest.mark.parametrize(
    "attributes, message",
    [
        ({"clip": 3.0}, r"node 'gru' \(GRU\): clip is not supported"),
        ({"activations": ["Sigmoid", "Softsign"]}, r"node 'gru' \(GRU\): activation Softsign is not supported"),
        ({"activations": ["Sigmoid", "Affine"]}, r"node 'gru' \(GRU\): activation affine needs activation_alpha"),
        ({"sequence_lens": [STEPS, STEPS - 1]}, r"node 'gru' \(GRU\): sequence_lens \[12, 11\] varies"),
    ],
)
def test_onnx_refusals_exit_2_and_write_nothing(attributes, message, tmp_path, capsys):
    path = tmp_path / "gru.onnx"
    onnx.save(onnx_gru(**attributes), path)
    out = tmp_path / "prj"
    assert main([str(path), "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and re.search(message, err[0]), err
    assert not out.exists()


def test_a_time_major_tensor_must_be_transposed_back():
    """A node reading a time-major LSTM/GRU output ([T, D, B, H]: the batch on axis 2) directly is
    refused, naming the tensor and the node; the Transpose exporters put there is what it needs."""
    rng = np.random.default_rng(0)
    nodes = [
        helper.make_node("Transpose", ["x"], ["xt"], name="to_time_major", perm=[1, 0, 2]),
        helper.make_node("GRU", ["xt", "W", "R"], ["y"], name="gru", hidden_size=HIDDEN),
        helper.make_node("Relu", ["y"], ["z"], name="relu"),
    ]
    graph = helper.make_graph(
        nodes,
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, STEPS, FEATURES])],
        [helper.make_tensor_value_info("z", TensorProto.FLOAT, None)],
        initializer=[
            numpy_helper.from_array(rng.normal(size=(1, 3 * HIDDEN, FEATURES)).astype(np.float32), "W"),
            numpy_helper.from_array(rng.normal(size=(1, 3 * HIDDEN, HIDDEN)).astype(np.float32), "R"),
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])
    with pytest.raises(CompileError, match=r"node 'relu' \(Relu\): input 'y' has the batch on axis 2"):
        convert(model)


class DampedRNN(nn.Module):
    """A tanh RNN with small recurrent weights (a contraction: a worst-case bound stays finite over
    its steps), read at its last step."""

    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(3, 4, batch_first=True)
        self.fc = nn.Linear(4, 2)
        with torch.no_grad():
            for name, parameter in self.rnn.named_parameters():
                if "weight" in name:
                    parameter.mul_(0.3)

    def forward(self, x):
        return self.fc(self.rnn(x)[0][:, -1])


def test_error_budget_over_time_steps():
    """The error analysis walks the cell's body once per step (RegionErrors): each step's rounding
    is counted and carried to the next. On a contracting RNN of 8 steps the certified bound is far
    below the coarse one (the state types' ranges), holds on data, and explicit budgets are met
    (certified <= budget, observed <= certified); a budget below what the worst case certifies is
    one line naming why."""
    torch.manual_seed(1)
    module = DampedRNN().eval()
    x = np.random.default_rng(0).uniform(-2, 2, size=(3000, 8, 3)).astype(np.float32)
    with torch.no_grad():
        reference = module(torch.from_numpy(x)).numpy()
    for budget in (None, 0.2, 0.02):
        model = convert(module, input_shape=(8, 3), precision="auto", error_budget=budget)
        bound = model.report["error_bound"]
        certified = bound["outputs"][0]["certified"]
        observed = float(np.abs(model.emulate(x) - reference).max())
        assert observed <= certified < 0.5, (budget, observed, certified)
        assert bound["shares"]["rnn"] > 0.5  # the rounding inside the time loop is what the bound is made of
        if budget is not None:
            assert certified <= budget * (1 + 1e-6)
    with pytest.raises(CompileError, match=r"error budget 0.001 cannot be certified: .* a recurrence's growth"):
        convert(module, input_shape=(8, 3), precision="auto", error_budget=0.001)


def test_worst_case_growth_over_steps_is_capped_by_the_ranges():
    """A GRU's worst-case bound grows by a factor per step (gate slopes times the recurrent weights):
    over 12 steps it passes the coarse bound (the state's range plus the model's), which then holds
    (finite, the observed error below it); the budget's shares still name the recurrent layer."""
    from dialects.fixed_recurrent import capped

    walked = np.array([[[1.0, 4.0]], [[1.0, np.inf]]])  # two rows, two elements
    out = capped(walked, 2.0)
    assert np.allclose(out[:, 0, 0], [1.0, 1.0]) and np.allclose(out[:, 0, 1], [0.0, 2.0])
    torch.manual_seed(2)
    module = Sequence("gru").eval()
    model = convert(module, input_shape=(STEPS, FEATURES), precision="auto")
    bound = model.report["error_bound"]
    x = sequences(500, seed=3)
    with torch.no_grad():
        observed = float(np.abs(model.emulate(x) - module(torch.from_numpy(x)).numpy()).max())
    assert observed <= bound["outputs"][0]["certified"] < 20
    assert bound["shares"]["rnn"] > 0.5
