"""Recurrent layers of the `nn` dialect: `nn.lstm`, `nn.gru` and `nn.simple_rnn` over a sequence.

Each runs one direction of its cell over `input` [T, F] (one sample: the time axis first) and gives
the hidden state of every step [T, H], the last hidden state [H] and, for an LSTM, the last cell
state [H]. Weights are in `nn.dense` layout, gates side by side along the last axis:
`weight` [F, G*H] (input to gates), `recurrence` [H, G*H] (hidden state to gates), `bias` and
`recurrent_bias` [G*H]. Gate order (the importers reorder to it): LSTM i, f, g, o (input, forget,
cell, output; PyTorch's and Keras' order); GRU z, r, n (update, reset, new; ONNX's and Keras').
`initial_h` (and `initial_c`) are the states before the first step. With `reverse`, the steps run
from T-1 to 0 and each output stays at its step's position.

  LSTM: i, f, o = sigmoid(x W + h R + b + rb); g = tanh(...); c' = f c + i g; h' = o tanh(c')
  GRU:  z, r = sigmoid(x W + h R + b + rb);
        n = tanh(x Wn + bn + r (h Rn + rbn))        with `linear_before_reset` (PyTorch, Keras' reset_after)
        n = tanh(x Wn + bn + (r h) Rn + rbn)        without (ONNX's default)
        h' = (1 - z) n + z h
  SimpleRNN: h' = activation(x W + h R + b + rb), activation tanh, sigmoid or relu
The activations (ONNX's f for the gates, g for the candidate, h for the output) default to the above;
`activations` may make any of them one of CELL_FUNCTIONS (ONNX's: Sigmoid, Tanh, Relu, HardSigmoid,
LeakyRelu, ThresholdedRelu, Affine, ScaledTanh, Elu, Softplus), with their (alpha, beta) in
`activation_params` (two numbers per activation; ONNX's defaults when absent).
"""

from __future__ import annotations

import math
from typing import ClassVar

from xdsl.dialects.builtin import ArrayAttr, DenseArrayBase, StringAttr, TensorType, UnitAttr, f64
from xdsl.ir import SSAValue
from xdsl.irdl import irdl_op_definition, operand_def, opt_prop_def, result_def, traits_def
from xdsl.traits import Pure
from xdsl.utils.exceptions import VerifyException

from dialects.interfaces import MAC_SETTINGS, TABLE, TABLE_SIZE, Layer
from dialects.layer import LayerOp, layer_props

# the activations a cell may use (ONNX's list but Softsign, which has no table here), with the
# (alpha, beta) of those that take parameters when none are given (ONNX's operators' defaults)
CELL_FUNCTIONS = (
    "sigmoid",
    "tanh",
    "relu",
    "hard_sigmoid",  # clip(alpha x + beta, 0, 1)
    "leaky_relu",  # x > 0 ? x : alpha x
    "thresholded_relu",  # x > alpha ? x : 0
    "affine",  # alpha x + beta
    "scaled_tanh",  # alpha tanh(beta x)
    "elu",  # x > 0 ? x : alpha (exp(x) - 1)
    "softplus",  # log(1 + exp(x))
)
DEFAULT_PARAMS = {
    "hard_sigmoid": (0.2, 0.5),
    "leaky_relu": (0.01, 0.0),
    "thresholded_relu": (1.0, 0.0),
    "elu": (1.0, 0.0),
}
PARAMETERS = {"hard_sigmoid": 2, "leaky_relu": 1, "thresholded_relu": 1, "affine": 2, "scaled_tanh": 2, "elu": 1}
UNIT_INTERVAL = ("sigmoid", "hard_sigmoid")  # activations whose values lie in [0, 1]


def function_bound(name: str, alpha: float, beta: float) -> float | None:
    """The largest |f(x)| of a cell activation, None where it is unbounded."""
    if name in ("sigmoid", "tanh", "hard_sigmoid"):
        return 1.0
    return abs(alpha) if name == "scaled_tanh" else None


def _shape(value: SSAValue, what: str) -> list[int]:
    return list(value.type.get_shape())  # every operand is a tensor (the op's definition says so)


class RecurrentOp(LayerOp, Layer):
    """What the three cells share: operands, results, shapes and their checks. (nn.lstm lists its
    operands itself: IRDL puts a subclass's own definitions before inherited ones, and its cell
    state must follow the hidden state.)"""

    GATES: ClassVar[int] = 1
    SETTINGS: ClassVar[frozenset[str]] = MAC_SETTINGS | {TABLE, TABLE_SIZE}
    input = operand_def(TensorType)
    weight = operand_def(TensorType)
    recurrence = operand_def(TensorType)
    bias = operand_def(TensorType)
    recurrent_bias = operand_def(TensorType)
    initial_h = operand_def(TensorType)
    output = result_def(TensorType)
    final_h = result_def(TensorType)
    reverse = opt_prop_def(UnitAttr)
    activation_params = opt_prop_def(DenseArrayBase.constr(f64))  # (alpha, beta) per activation
    traits = traits_def(Pure())

    @property
    def hidden(self) -> int:
        return _shape(self.recurrence, self.name)[0]

    @property
    def steps(self) -> int:
        return _shape(self.input, self.name)[0]

    @classmethod
    def _build(cls, operands: list[SSAValue], hidden: int, states: int, layer, reverse: bool, **props):
        x = operands[0]
        element = x.type.element_type
        steps = x.type.get_shape()[0]
        result_types = [TensorType(element, [steps, hidden])] + [TensorType(element, [hidden])] * states
        properties = layer_props(layer, **props)
        if reverse:
            properties["reverse"] = UnitAttr()
        return dict(operands=operands, result_types=result_types, properties=properties)

    def verify_(self) -> None:
        x = _shape(self.input, f"{self.name} input")
        if len(x) != 2:
            raise VerifyException(f"{self.name} input must be a sequence [steps, features], got shape {x}")
        w, r = _shape(self.weight, f"{self.name} weight"), _shape(self.recurrence, f"{self.name} recurrence")
        hidden = r[0] if r else 0
        width = self.GATES * hidden
        if r != [hidden, width]:
            raise VerifyException(f"{self.name} recurrence must be [hidden, {self.GATES} * hidden], got {r}")
        if w != [x[1], width]:
            raise VerifyException(f"{self.name} weight must be [{x[1]}, {width}], got {w}")
        for what, value in (("bias", self.bias), ("recurrent_bias", self.recurrent_bias)):
            if _shape(value, what) != [width]:
                raise VerifyException(f"{self.name} {what} must be [{width}], got {_shape(value, what)}")
        for state in self.operands[6:] + (self.initial_h,):
            if _shape(state, "state") != [hidden]:
                raise VerifyException(f"{self.name} initial states must be [{hidden}], got {_shape(state, 'state')}")
        if _shape(self.output, "output") != [x[0], hidden]:
            raise VerifyException(f"{self.name} output must be [{x[0]}, {hidden}], got {_shape(self.output, 'output')}")
        functions = self.functions()
        if len(functions) != len(self.DEFAULT_FUNCTIONS):
            raise VerifyException(f"{self.name} takes {len(self.DEFAULT_FUNCTIONS)} activations, got {len(functions)}")
        if any(f not in CELL_FUNCTIONS for f in functions):
            raise VerifyException(f"{self.name} activations must be among {', '.join(CELL_FUNCTIONS)}, got {functions}")
        if self.activation_params is not None:
            values = list(self.activation_params.get_values())
            if len(values) != 2 * len(functions) or not all(math.isfinite(v) for v in values):
                raise VerifyException(
                    f"{self.name} activation_params must be {2 * len(functions)} finite numbers (alpha, beta per "
                    f"activation), got {values}"
                )
        elif any(f in PARAMETERS and f not in DEFAULT_PARAMS for f in functions):
            raise VerifyException(f"{self.name} activations {functions} need activation_params (alpha, beta)")

    DEFAULT_FUNCTIONS: ClassVar[tuple[str, ...]] = ()

    def functions(self) -> list[str]:
        """The cell's activations (ONNX's f, g, h): the gates', the candidate's, the output's."""
        given = self.properties.get("activations")
        return [a.data for a in given.data] if given is not None else list(self.DEFAULT_FUNCTIONS)

    def params(self) -> list[tuple[float, float]]:
        """Each activation's (alpha, beta): the given ones, or its defaults."""
        if self.activation_params is not None:
            values = [float(v) for v in self.activation_params.get_values()]
            return list(zip(values[0::2], values[1::2]))
        return [DEFAULT_PARAMS.get(f, (0.0, 0.0)) for f in self.functions()]


@irdl_op_definition
class LSTMOp(RecurrentOp):
    """A long short-term memory layer (one direction)."""

    name = "nn.lstm"
    LAYER_TYPE: ClassVar[str] = "LSTM"
    GATES: ClassVar[int] = 4
    DEFAULT_FUNCTIONS: ClassVar[tuple[str, ...]] = ("sigmoid", "tanh", "tanh")
    input = operand_def(TensorType)
    weight = operand_def(TensorType)
    recurrence = operand_def(TensorType)
    bias = operand_def(TensorType)
    recurrent_bias = operand_def(TensorType)
    initial_h = operand_def(TensorType)
    initial_c = operand_def(TensorType)
    output = result_def(TensorType)
    final_h = result_def(TensorType)
    final_c = result_def(TensorType)
    reverse = opt_prop_def(UnitAttr)
    activations = opt_prop_def(ArrayAttr[StringAttr])  # f, g, h: default sigmoid, tanh, tanh
    traits = traits_def(Pure())
    assembly_format = "operands attr-dict `:` functional-type(operands, results)"

    def __init__(
        self, x, w, r, b, rb, h0, c0, layer: str | None = None, reverse: bool = False, activations=None, params=None
    ):
        props = _activations(activations, self.DEFAULT_FUNCTIONS, params)
        super().__init__(**self._build([x, w, r, b, rb, h0, c0], r.type.get_shape()[0], 2, layer, reverse, **props))


@irdl_op_definition
class GRUOp(RecurrentOp):
    """A gated recurrent unit layer (one direction)."""

    name = "nn.gru"
    LAYER_TYPE: ClassVar[str] = "GRU"
    GATES: ClassVar[int] = 3
    DEFAULT_FUNCTIONS: ClassVar[tuple[str, ...]] = ("sigmoid", "tanh")
    linear_before_reset = opt_prop_def(UnitAttr)
    activations = opt_prop_def(ArrayAttr[StringAttr])  # f, g: default sigmoid, tanh
    assembly_format = "operands attr-dict `:` functional-type(operands, results)"

    def __init__(
        self,
        x,
        w,
        r,
        b,
        rb,
        h0,
        layer: str | None = None,
        reverse: bool = False,
        linear_before_reset: bool = True,
        activations=None,
        params=None,
    ):
        props = {"linear_before_reset": UnitAttr()} if linear_before_reset else {}
        props.update(_activations(activations, self.DEFAULT_FUNCTIONS, params))
        super().__init__(**self._build([x, w, r, b, rb, h0], r.type.get_shape()[0], 1, layer, reverse, **props))


@irdl_op_definition
class SimpleRNNOp(RecurrentOp):
    """A fully connected recurrent layer (one direction): h' = activation(x W + h R + b + rb)."""

    name = "nn.simple_rnn"
    LAYER_TYPE: ClassVar[str] = "SimpleRNN"
    activation = opt_prop_def(StringAttr)  # tanh (the default), or another cell activation
    assembly_format = "operands attr-dict `:` functional-type(operands, results)"

    def __init__(
        self, x, w, r, b, rb, h0, layer: str | None = None, reverse: bool = False, activation="tanh", params=None
    ):
        props = {"activation": StringAttr(activation)} if activation != "tanh" else {}
        props.update(_params(params))
        super().__init__(**self._build([x, w, r, b, rb, h0], r.type.get_shape()[0], 1, layer, reverse, **props))

    DEFAULT_FUNCTIONS: ClassVar[tuple[str, ...]] = ("tanh",)

    @property
    def function(self) -> str:
        return self.activation.data if self.activation is not None else "tanh"

    def functions(self) -> list[str]:
        return [self.function]


def _activations(given, default: tuple[str, ...], params=None) -> dict:
    """The `activations` property, when not the cell's defaults, and `activation_params`."""
    props = _params(params)
    if given is None or list(given) == list(default):
        return props
    return {"activations": ArrayAttr([StringAttr(f) for f in given]), **props}


def _params(params) -> dict:
    """`activation_params` from (alpha, beta) per activation, when given."""
    if params is None:
        return {}
    return {"activation_params": DenseArrayBase.from_list(f64, [float(v) for pair in params for v in pair])}


RECURRENT_OPS = [LSTMOp, GRUOp, SimpleRNNOp]
