"""The `nn` dialect: tensor-level neural-network math on real numbers.

Values are `tensor<...xf32>` holding ONE sample (the batch dimension is a runtime notion and never
appears in the IR). Weights are `nn.constant` ops with dense float attributes. Every op may carry a
`layer` name (the model's node name), which later levels keep so that precision settings, kernel
names and reports refer to the layers the user knows.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import (
    I64,
    AnyFloat,
    BytesAttr,
    DenseIntOrFPElementsAttr,
    IntegerAttr,
    TensorType,
    f32,
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
    prop_def,
    result_def,
    traits_def,
)
from xdsl.traits import ConstantLike, Pure, SameOperandsAndResultType
from xdsl.utils.exceptions import VerifyException

from dialects.layer import LayerOp, layer_props
from dialects.shapes import broadcast_shapes


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
class DenseOp(LayerOp):
    """y[..., j] = sum_i x[..., i] * weight[i, j] (+ bias[j]): a fully connected layer on the last axis."""

    name = "nn.dense"
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


class ElementwiseOp(LayerOp):
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


@irdl_op_definition
class SigmoidOp(ElementwiseOp):
    """1 / (1 + exp(-x))"""

    name = "nn.sigmoid"


@irdl_op_definition
class TanhOp(ElementwiseOp):
    """tanh(x)"""

    name = "nn.tanh"


@irdl_op_definition
class SoftmaxOp(LayerOp):
    """exp(x) / sum(exp(x)) along `axis` (a non-negative axis of the per-sample tensor)."""

    name = "nn.softmax"
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
class AddOp(LayerOp):
    """Elementwise a + b with numpy broadcasting."""

    name = "nn.add"
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
        a = float_tensor(self.lhs.type, "nn.add lhs").get_shape()
        b = float_tensor(self.rhs.type, "nn.add rhs").get_shape()
        y = float_tensor(self.output.type, "nn.add result").get_shape()
        try:
            expected = broadcast_shapes(a, b)
        except ValueError as err:
            raise VerifyException(f"nn.add: {err}") from None
        if list(y) != list(expected):
            raise VerifyException(f"nn.add result must have shape {list(expected)}, got {list(y)}")


NN = Dialect("nn", [ConstantOp, DenseOp, ReluOp, SigmoidOp, TanhOp, SoftmaxOp, AddOp], [])
