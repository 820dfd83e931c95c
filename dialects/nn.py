"""The `nn` dialect: tensor-level neural-network math on real numbers.

Values are `tensor<...xf32>` holding ONE sample (the batch dimension is a runtime notion and never
appears in the IR). Weights are `nn.constant` ops with dense float attributes. Every op may carry a
`layer` name (the model's node name), which later levels keep so that precision settings, kernel
names and reports refer to the layers the user knows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import (
    I64,
    AnyFloat,
    BytesAttr,
    DenseArrayBase,
    DenseIntOrFPElementsAttr,
    Float64Type,
    FloatAttr,
    IntegerAttr,
    StringAttr,
    TensorType,
    UnitAttr,
    f32,
    f64,
    i64,
)
from xdsl.ir import Attribute, Dialect
from xdsl.irdl import (
    AnyAttr,
    ParamAttrConstraint,
    VarConstraint,
    irdl_op_definition,
    operand_def,
    opt_operand_def,
    opt_prop_def,
    prop_def,
    result_def,
    traits_def,
)
from xdsl.traits import ConstantLike, Pure, SameOperandsAndResultType
from xdsl.utils.exceptions import VerifyException

from dialects.interfaces import BIAS, MAC_SETTINGS, RESULT, STRATEGY, TABLE_SETTINGS, WEIGHT, Layer
from dialects.layer import LayerOp, i64_array, layer_props
from dialects.nn_quant import FixedQuantOp, QuantOp
from dialects.nn_recurrent import GRUOp, LSTMOp, SimpleRNNOp
from dialects.shapes import (
    broadcast_shapes,
    window_output_shape,
)
from dialects.windows import verify_conv, verify_pool


def dense_floats(array: np.ndarray) -> DenseIntOrFPElementsAttr:
    """A dense f32 attribute from a numpy array (packed bytes, no per-element work)."""
    array = np.ascontiguousarray(array, dtype="<f4")
    return DenseIntOrFPElementsAttr(TensorType(f32, list(array.shape)), BytesAttr(array.tobytes()))


def float_tensor(value: Attribute, what: str) -> TensorType:
    if not isinstance(value, TensorType) or not isinstance(value.element_type, AnyFloat):
        raise VerifyException(f"{what} must be a tensor of floats, got {value}")
    return value


@irdl_op_definition
class ConstantOp(LayerOp):
    """A constant tensor (weights, biases), stored as packed dense floats."""

    name = "nn.constant"
    T: ClassVar = VarConstraint("T", AnyAttr())
    value = prop_def(ParamAttrConstraint(DenseIntOrFPElementsAttr, (T, AnyAttr())))
    result = result_def(T)
    traits = traits_def(Pure(), ConstantLike())
    assembly_format = "$value attr-dict"

    def __init__(self, value: DenseIntOrFPElementsAttr, layer: str | None = None):
        super().__init__(result_types=[value.type], properties=layer_props(layer, value=value))

    def values(self) -> np.ndarray:
        """The constant as a float32 numpy array in its shape."""
        if self.value.get_element_type() != f32:
            return np.array(self.value.get_values(), dtype=np.float32).reshape(self.value.get_shape())
        return np.frombuffer(self.value.data.data, "<f4").reshape(self.value.get_shape())

    def verify_(self) -> None:
        float_tensor(self.result.type, "nn.constant result")


@irdl_op_definition
class DenseOp(LayerOp, Layer):
    """y[..., j] = sum_i x[..., i] * weight[i, j] (+ bias[j]): a fully connected layer on the last axis."""

    name = "nn.dense"
    LAYER_TYPE: ClassVar[str] = "Dense"
    SETTINGS: ClassVar[frozenset[str]] = MAC_SETTINGS
    input = operand_def(TensorType)
    weight = operand_def(TensorType)
    bias = opt_operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())
    assembly_format = "$input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)"

    def __init__(self, x, weight, bias=None, layer: str | None = None):
        x_shape = x.type.get_shape()
        n_out = weight.type.get_shape()[1]
        out_type = TensorType(x.type.element_type, [*x_shape[:-1], n_out])
        super().__init__(
            operands=[x, weight, [bias] if bias is not None else []],
            result_types=[out_type],
            properties=layer_props(layer),
        )

    def verify_(self) -> None:
        x = float_tensor(self.input.type, "nn.dense input").get_shape()
        w = float_tensor(self.weight.type, "nn.dense weight").get_shape()
        y = float_tensor(self.output.type, "nn.dense result").get_shape()
        if len(w) != 2:
            raise VerifyException(f"nn.dense weight must be 2-D [in, out], got shape {list(w)}")
        if not x or x[-1] != w[0]:
            raise VerifyException(
                f"nn.dense input's last dimension ({x[-1] if x else 'none'}) must equal the weight's "
                f"first dimension ({w[0]})"
            )
        if self.bias is not None:
            b = float_tensor(self.bias.type, "nn.dense bias").get_shape()
            if list(b) != [w[1]]:
                raise VerifyException(f"nn.dense bias must have shape [{w[1]}], got {list(b)}")
        if list(y) != [*x[:-1], w[1]]:
            raise VerifyException(f"nn.dense result must have shape {[*x[:-1], w[1]]}, got {list(y)}")


class ElementwiseOp(LayerOp, Layer):
    """A function applied to each element; the importers take `ONNX_OP` and `ATEN_OP` (operators
    without attributes) as this op."""

    ONNX_OP: ClassVar[str] = ""
    ATEN_OP: ClassVar[str] = ""
    T: ClassVar = VarConstraint("T", TensorType.constr())
    input = operand_def(T)
    output = result_def(T)
    traits = traits_def(Pure(), SameOperandsAndResultType())
    assembly_format = "$input attr-dict `:` type($input)"

    def __init__(self, x, layer: str | None = None):
        super().__init__(operands=[x], result_types=[x.type], properties=layer_props(layer))

    def verify_(self) -> None:
        float_tensor(self.input.type, f"{self.name} operand")


@irdl_op_definition
class ReluOp(ElementwiseOp):
    """max(x, 0)"""

    name = "nn.relu"
    ONNX_OP: ClassVar[str] = "Relu"
    ATEN_OP: ClassVar[str] = "relu"
    LAYER_TYPE: ClassVar[str] = "ReLU"
    GROUP: ClassVar[str | None] = "Activation"


@irdl_op_definition
class SigmoidOp(ElementwiseOp):
    """1 / (1 + exp(-x))"""

    name = "nn.sigmoid"
    ONNX_OP: ClassVar[str] = "Sigmoid"
    ATEN_OP: ClassVar[str] = "sigmoid"
    LAYER_TYPE: ClassVar[str] = "Sigmoid"
    GROUP: ClassVar[str | None] = "Activation"
    SETTINGS: ClassVar[frozenset[str]] = TABLE_SETTINGS


@irdl_op_definition
class TanhOp(ElementwiseOp):
    """tanh(x)"""

    name = "nn.tanh"
    ONNX_OP: ClassVar[str] = "Tanh"
    ATEN_OP: ClassVar[str] = "tanh"
    LAYER_TYPE: ClassVar[str] = "TanH"
    GROUP: ClassVar[str | None] = "Activation"
    SETTINGS: ClassVar[frozenset[str]] = TABLE_SETTINGS


@irdl_op_definition
class AbsOp(ElementwiseOp):
    """|x|"""

    name = "nn.abs"
    ONNX_OP: ClassVar[str] = "Abs"
    ATEN_OP: ClassVar[str] = "abs"
    LAYER_TYPE: ClassVar[str] = "Abs"
    GROUP: ClassVar[str | None] = "Activation"


@irdl_op_definition
class SoftmaxOp(LayerOp, Layer):
    """exp(x) / sum(exp(x)) along `axis` (a non-negative axis of the per-sample tensor)."""

    name = "nn.softmax"
    LAYER_TYPE: ClassVar[str] = "Softmax"
    SETTINGS: ClassVar[frozenset[str]] = TABLE_SETTINGS
    T: ClassVar = VarConstraint("T", TensorType.constr())
    input = operand_def(T)
    output = result_def(T)
    axis = prop_def(IntegerAttr[I64])
    traits = traits_def(Pure(), SameOperandsAndResultType())
    assembly_format = "$input `axis` $axis attr-dict `:` type($input)"

    def __init__(self, x, axis: int, layer: str | None = None):
        super().__init__(
            operands=[x], result_types=[x.type], properties=layer_props(layer, axis=IntegerAttr(axis, i64))
        )

    def verify_(self) -> None:
        rank = len(float_tensor(self.input.type, "nn.softmax operand").get_shape())
        if not 0 <= self.axis.value.data < rank:
            raise VerifyException(f"nn.softmax axis {self.axis.value.data} is out of range for rank {rank}")


@irdl_op_definition
class LayerNormOp(LayerOp, Layer):
    """y = (x - mean) / sqrt(var + epsilon) * scale (+ bias), with the mean and the biased variance
    over the last `axes` axes; scale and bias have the shape of those axes."""

    name = "nn.layer_norm"
    LAYER_TYPE: ClassVar[str] = "LayerNormalization"
    SETTINGS: ClassVar[frozenset[str]] = TABLE_SETTINGS | {WEIGHT, BIAS}  # weight: scale; table: 1/sqrt
    input = operand_def(TensorType)
    scale = operand_def(TensorType)
    bias = opt_operand_def(TensorType)
    output = result_def(TensorType)
    axes = prop_def(IntegerAttr[I64])
    epsilon = prop_def(FloatAttr[Float64Type])
    traits = traits_def(Pure())
    assembly_format = (
        "$input `,` $scale (`,` $bias^)? `axes` $axes `epsilon` $epsilon attr-dict "
        "`:` functional-type(operands, results)"
    )

    def __init__(self, x, scale, bias, axes: int, epsilon: float, layer: str | None = None):
        super().__init__(
            operands=[x, scale, [bias] if bias is not None else []],
            result_types=[x.type],
            properties=layer_props(layer, axes=IntegerAttr(axes, i64), epsilon=FloatAttr(epsilon, f64)),
        )

    def verify_(self) -> None:
        shape = float_tensor(self.input.type, "nn.layer_norm input").get_shape()
        axes = self.axes.value.data
        if not 1 <= axes <= len(shape):
            raise VerifyException(f"nn.layer_norm axes {axes} must be between 1 and the input's rank {len(shape)}")
        if not 0 <= self.epsilon.value.data < float("inf"):
            raise VerifyException(f"nn.layer_norm epsilon must be finite and >= 0, got {self.epsilon.value.data}")
        normalized = list(shape[len(shape) - axes :])
        for value, what in ((self.scale, "scale"), (self.bias, "bias")):
            if value is not None and list(float_tensor(value.type, f"nn.layer_norm {what}").get_shape()) != normalized:
                raise VerifyException(
                    f"nn.layer_norm {what} must have the normalized shape {normalized}, "
                    f"got {list(value.type.get_shape())}"
                )
        if self.output.type != self.input.type:
            raise VerifyException(f"nn.layer_norm result must have the input's type {self.input.type}")


class BinaryOp(LayerOp, Layer):
    """Elementwise arithmetic with numpy broadcasting."""

    lhs = operand_def(TensorType)
    rhs = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())
    assembly_format = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)"

    def __init__(self, a, b, layer: str | None = None):
        shape = broadcast_shapes(a.type.get_shape(), b.type.get_shape())
        super().__init__(
            operands=[a, b], result_types=[TensorType(a.type.element_type, shape)], properties=layer_props(layer)
        )

    def verify_(self) -> None:
        a = float_tensor(self.lhs.type, f"{self.name} lhs").get_shape()
        b = float_tensor(self.rhs.type, f"{self.name} rhs").get_shape()
        y = float_tensor(self.output.type, f"{self.name} result").get_shape()
        try:
            expected = broadcast_shapes(a, b)
        except ValueError as err:
            raise VerifyException(f"{self.name}: {err}") from None
        if list(y) != list(expected):
            raise VerifyException(f"{self.name} result must have shape {list(expected)}, got {list(y)}")


@irdl_op_definition
class AddOp(BinaryOp):
    """a + b"""

    name = "nn.add"
    LAYER_TYPE: ClassVar[str] = "Add"
    GROUP: ClassVar[str | None] = "Merge"
    SETTINGS: ClassVar[frozenset[str]] = frozenset({RESULT, BIAS, STRATEGY})  # bias: a constant operand


@irdl_op_definition
class SubOp(BinaryOp):
    """a - b"""

    name = "nn.sub"
    LAYER_TYPE: ClassVar[str] = "Sub"
    GROUP: ClassVar[str | None] = "Merge"
    SETTINGS: ClassVar[frozenset[str]] = frozenset({RESULT, BIAS, STRATEGY})


@irdl_op_definition
class MulOp(BinaryOp):
    """a * b"""

    name = "nn.mul"
    LAYER_TYPE: ClassVar[str] = "Mul"
    GROUP: ClassVar[str | None] = "Merge"
    SETTINGS: ClassVar[frozenset[str]] = frozenset({RESULT, WEIGHT, STRATEGY})  # weight: a constant operand


@irdl_op_definition
class MaximumOp(BinaryOp):
    """max(a, b), elementwise"""

    name = "nn.max"
    LAYER_TYPE: ClassVar[str] = "Maximum"
    GROUP: ClassVar[str | None] = "Merge"
    SETTINGS: ClassVar[frozenset[str]] = frozenset({RESULT, BIAS, STRATEGY})  # bias: a constant operand


@irdl_op_definition
class MinimumOp(BinaryOp):
    """min(a, b), elementwise"""

    name = "nn.min"
    LAYER_TYPE: ClassVar[str] = "Minimum"
    GROUP: ClassVar[str | None] = "Merge"
    SETTINGS: ClassVar[frozenset[str]] = frozenset({RESULT, BIAS, STRATEGY})


# --------------------------------------------------------------------------------------------------
# Spatial ops. Tensors are channels-last: [*spatial, channels], spatial rank 1 or 2. Window
# attributes (strides, dilations, kernel) have one entry per spatial axis, pads 2 (begin..., end...).


@irdl_op_definition
class ConvOp(LayerOp, Layer):
    """y[p, o] = bias[o] + sum over taps t and input channels c of its group of x[p * s + t * d - pad, c] * w[t, c, o].

    The weight is [*kernel, channels_in / groups, channels_out]; padding is with zeros."""

    name = "nn.conv"
    LAYER_TYPE: ClassVar[str] = "Conv"
    SETTINGS: ClassVar[frozenset[str]] = MAC_SETTINGS
    input = operand_def(TensorType)
    weight = operand_def(TensorType)
    bias = opt_operand_def(TensorType)
    output = result_def(TensorType)
    strides = prop_def(DenseArrayBase.constr(i64))
    dilations = prop_def(DenseArrayBase.constr(i64))
    pads = prop_def(DenseArrayBase.constr(i64))
    groups = prop_def(IntegerAttr[I64])
    traits = traits_def(Pure())
    assembly_format = "$input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)"

    def __init__(self, x, w, b, strides, dilations, pads, groups: int, layer: str | None = None):
        spatial, _ = x.type.get_shape()[:-1], None
        w_shape = w.type.get_shape()
        out = window_output_shape(spatial, w_shape[:-2], strides, pads, dilations)
        super().__init__(
            operands=[x, w, [b] if b is not None else []],
            result_types=[TensorType(x.type.element_type, [*out, w_shape[-1]])],
            properties=layer_props(
                layer,
                strides=i64_array(strides),
                dilations=i64_array(dilations),
                pads=i64_array(pads),
                groups=IntegerAttr(groups, i64),
            ),
        )

    def verify_(self) -> None:
        verify_conv(self, float_tensor)


class PoolOp(LayerOp, Layer):
    LAYER_TYPE: ClassVar[str] = "Pooling"

    input = operand_def(TensorType)
    output = result_def(TensorType)
    kernel = prop_def(DenseArrayBase.constr(i64))
    strides = prop_def(DenseArrayBase.constr(i64))
    pads = prop_def(DenseArrayBase.constr(i64))
    traits = traits_def(Pure())
    assembly_format = "$input attr-dict `:` type($input) `->` type($output)"

    def __init__(self, x, kernel, strides, pads, layer: str | None = None, **extra: Attribute):
        shape = x.type.get_shape()
        out = window_output_shape(shape[:-1], kernel, strides, pads, [1] * len(kernel))
        super().__init__(
            operands=[x],
            result_types=[TensorType(x.type.element_type, [*out, shape[-1]])],
            properties=layer_props(
                layer, kernel=i64_array(kernel), strides=i64_array(strides), pads=i64_array(pads), **extra
            ),
        )

    def verify_(self) -> None:
        verify_pool(self, float_tensor)


@irdl_op_definition
class MaxPoolOp(PoolOp):
    """The maximum over each window (padding never wins)."""

    name = "nn.max_pool"


@irdl_op_definition
class AvgPoolOp(PoolOp):
    """The mean over each window: of the whole window with `count_include_pad`, else of its inputs."""

    name = "nn.avg_pool"
    count_include_pad = opt_prop_def(UnitAttr)


# --------------------------------------------------------------------------------------------------
# More activations


@irdl_op_definition
class BatchNormOp(LayerOp, Layer):
    """y = x * scale + shift per channel (the last axis): a batch normalisation with its statistics
    folded in."""

    name = "nn.batchnorm"
    LAYER_TYPE: ClassVar[str] = "BatchNormalization"
    SETTINGS: ClassVar[frozenset[str]] = frozenset({RESULT, WEIGHT, BIAS, STRATEGY})  # scale, shift
    input = operand_def(TensorType)
    scale = operand_def(TensorType)
    shift = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())
    assembly_format = "$input `,` $scale `,` $shift attr-dict `:` functional-type(operands, results)"

    def __init__(self, x, scale, shift, layer: str | None = None):
        super().__init__(operands=[x, scale, shift], result_types=[x.type], properties=layer_props(layer))

    def verify_(self) -> None:
        shape = float_tensor(self.input.type, "nn.batchnorm input").get_shape()
        for value, what in ((self.scale, "scale"), (self.shift, "shift")):
            if list(float_tensor(value.type, f"nn.batchnorm {what}").get_shape()) != [shape[-1]]:
                raise VerifyException(f"nn.batchnorm {what} must have shape [{shape[-1]}]")
        if self.output.type != self.input.type:
            raise VerifyException("nn.batchnorm must keep the type")


class ScalarParamsOp(ElementwiseOp):
    """An elementwise function with float parameters."""

    def __init__(self, x, layer: str | None = None, **params: float):
        super().__init__(x, layer)
        for key, value in params.items():
            self.properties[key] = FloatAttr(value, f64)


@irdl_op_definition
class LeakyReluOp(ScalarParamsOp):
    """x > 0 ? x : alpha * x"""

    name = "nn.leaky_relu"
    LAYER_TYPE: ClassVar[str] = "LeakyReLU"
    SETTINGS: ClassVar[frozenset[str]] = frozenset({RESULT, WEIGHT, STRATEGY})  # the slope
    alpha = prop_def(FloatAttr)


@irdl_op_definition
class ThresholdedReluOp(ScalarParamsOp):
    """x > alpha ? x : value (value 0 when not given: ONNX's ThresholdedRelu; torch's Threshold
    gives one)"""

    name = "nn.thresholded_relu"
    LAYER_TYPE: ClassVar[str] = "ThresholdedReLU"
    SETTINGS: ClassVar[frozenset[str]] = frozenset({RESULT, BIAS, STRATEGY})  # bias: the value
    alpha = prop_def(FloatAttr)
    value = opt_prop_def(FloatAttr)


@irdl_op_definition
class HardSigmoidOp(ScalarParamsOp):
    """clamp(alpha * x + beta, 0, 1)"""

    name = "nn.hard_sigmoid"
    LAYER_TYPE: ClassVar[str] = "HardSigmoid"
    GROUP: ClassVar[str | None] = "Activation"
    SETTINGS: ClassVar[frozenset[str]] = frozenset({RESULT, WEIGHT, BIAS, STRATEGY})  # alpha, beta
    alpha = prop_def(FloatAttr)
    beta = prop_def(FloatAttr)


@irdl_op_definition
class ClipOp(ScalarParamsOp):
    """clamp(x, min, max); a missing bound does not clamp."""

    name = "nn.clip"
    LAYER_TYPE: ClassVar[str] = "Clip"
    min = opt_prop_def(FloatAttr)
    max = opt_prop_def(FloatAttr)

    def verify_(self) -> None:
        super().verify_()
        if self.min is not None and self.max is not None and self.min.value.data > self.max.value.data:
            raise VerifyException("nn.clip min must not exceed max")


@irdl_op_definition
class PReluOp(LayerOp, Layer):
    """x > 0 ? x : slope * x, with a slope tensor that broadcasts to x."""

    name = "nn.prelu"
    LAYER_TYPE: ClassVar[str] = "PReLU"
    SETTINGS: ClassVar[frozenset[str]] = frozenset({RESULT, WEIGHT, STRATEGY})  # the slopes
    input = operand_def(TensorType)
    slope = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())
    assembly_format = "$input `,` $slope attr-dict `:` functional-type(operands, results)"

    def __init__(self, x, slope, layer: str | None = None):
        super().__init__(operands=[x, slope], result_types=[x.type], properties=layer_props(layer))

    def verify_(self) -> None:
        shape = float_tensor(self.input.type, "nn.prelu input").get_shape()
        slope = float_tensor(self.slope.type, "nn.prelu slope").get_shape()
        try:
            if broadcast_shapes(shape, slope) != tuple(shape):
                raise ValueError(f"slope {list(slope)} does not broadcast to {list(shape)}")
        except ValueError as err:
            raise VerifyException(f"nn.prelu: {err}") from None


ACTIVATION_FUNCTIONS = ("elu", "selu", "softplus")  # ActivationOp.FUNCTION_TYPES names their layer types


@irdl_op_definition
class ActivationOp(LayerOp, Layer):
    """A smooth elementwise function by name (elu(alpha), selu(alpha, gamma), softplus), lowered to a
    table where it is not linear."""

    name = "nn.activation"
    T: ClassVar = VarConstraint("T", TensorType.constr())
    input = operand_def(T)
    output = result_def(T)
    function = prop_def(StringAttr)
    params = prop_def(DenseArrayBase.constr(f64))
    traits = traits_def(Pure(), SameOperandsAndResultType())
    assembly_format = "$function $input attr-dict `:` type($input)"

    def __init__(self, x, function: str, params: Sequence[float], layer: str | None = None):
        super().__init__(
            operands=[x],
            result_types=[x.type],
            properties=layer_props(
                layer, function=StringAttr(function), params=DenseArrayBase.from_list(f64, list(params))
            ),
        )

    FUNCTION_TYPES: ClassVar[dict[str, str]] = {"elu": "ELU", "selu": "SELU", "softplus": "Softplus"}
    GROUP: ClassVar[str | None] = "Activation"

    @classmethod
    def layer_types(cls) -> tuple[str, ...]:
        return tuple(cls.FUNCTION_TYPES.values())

    def layer_kind(self) -> str:
        return self.FUNCTION_TYPES[self.function.data]

    def settings_used(self) -> frozenset[str]:
        return TABLE_SETTINGS | {WEIGHT} if self.function.data == "selu" else TABLE_SETTINGS  # selu's gamma

    def verify_(self) -> None:
        float_tensor(self.input.type, "nn.activation operand")
        if self.function.data not in ACTIVATION_FUNCTIONS:
            raise VerifyException(
                f"nn.activation: unknown function {self.function.data!r}; known: {', '.join(ACTIVATION_FUNCTIONS)}"
            )


NN = Dialect(
    "nn",
    [
        ConstantOp,
        DenseOp,
        ReluOp,
        SigmoidOp,
        TanhOp,
        AbsOp,
        SoftmaxOp,
        LayerNormOp,
        AddOp,
        SubOp,
        MulOp,
        MaximumOp,
        MinimumOp,
        ConvOp,
        MaxPoolOp,
        AvgPoolOp,
        BatchNormOp,
        LeakyReluOp,
        ThresholdedReluOp,
        HardSigmoidOp,
        ClipOp,
        PReluOp,
        ActivationOp,
        QuantOp,
        FixedQuantOp,
        LSTMOp,
        GRUOp,
        SimpleRNNOp,
    ],
    [],
)
