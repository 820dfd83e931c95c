"""What every importer shares: a model's tensors bound to SSA values with a channel layout, and the
rules that do not depend on the front end.

Takes a `Builder` inserting at the end of the function's block; gives `Importer`, the base class of
the ONNX (onnx_registry.GraphImporter) and torch (torch_registry.TorchImporter) importers, plus the
pure rules `identity`, `channels_last`, `broadcast_constant` and `ceil_mode_padding`. The layers built
from resolved parameters (dense, conv, pool, ...) are in layers.py.

Channel layout is settled while importing, once: every tensor of the model is bound to an SSA value
plus a `layout`, the logical (per-sample, the model's own) axis stored at each axis of the value.
Spatial ops need channels-last storage ([*spatial, C]); a transpose in the model only changes the
layout (no op); an op that depends on the logical order (flatten, reshape, dense, graph outputs) gets
an explicit `layout.transpose` first when the layout is not the identity, one per value and layout
however many ops read it. Keras' channels-last exports thus import without any transpose; PyTorch's
channels-first models get one at the input (which fixed-to-dataflow moves to the host) and one before
the flatten (which fold-transpose-into-dense folds into the dense weights).
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
from xdsl.builder import Builder
from xdsl.ir import Operation, SSAValue

from dialects import layout, nn
from dialects.errors import CompileError

Node = Any  # what a front end calls a node (onnx.NodeProto, torch.fx.Node, ...): what messages name
Ref = Hashable  # how a front end names a tensor (an ONNX tensor name, an fx node, ...)
OpT = TypeVar("OpT", bound=Operation)


def identity(rank: int) -> tuple[int, ...]:
    return tuple(range(rank))


def channels_last(rank: int) -> tuple[int, ...]:
    """Logical [C, *spatial] stored as [*spatial, C]."""
    return (*range(1, rank), 0)


def broadcast_constant(array: np.ndarray, layout: tuple[int, ...]) -> np.ndarray:
    """A constant operand of a broadcasting op (shapes aligned to the right, batch axis included),
    as an array in the stored layout `layout` of the other operand; ValueError when it cannot be one
    constant for every sample."""
    rank = len(layout)
    if array.ndim == rank + 1:
        if array.shape[0] != 1:
            raise ValueError(f"a constant of shape {list(array.shape)} varies over the batch")
        array = array.reshape(array.shape[1:])
    if array.ndim > rank:
        raise ValueError(f"a constant of shape {list(array.shape)} has more axes than the data")
    return np.transpose(array.reshape((1,) * (rank - array.ndim) + array.shape), layout)


def ceil_mode_padding(size: int, span: int, stride: int, begin: int, end: int) -> int:
    """The end padding a pooling window in ceil_mode adds along one axis of `size` (already padded
    by `begin` and `end`), for a window covering `span` elements: output ceil((padded - span) /
    stride) + 1 instead of floor, except for a last window that would start in the end padding."""
    padded = size + begin + end
    out = math.ceil((padded - span) / stride) + 1
    if (out - 1) * stride >= size + begin:  # the last window must start inside
        out -= 1
    return max(0, (out - 1) * stride + span - padded)


@dataclass
class Bound:
    """A tensor of the model: its value and the logical axis stored at each of the value's axes."""

    value: SSAValue
    layout: tuple[int, ...]

    @property
    def logical_shape(self) -> tuple[int, ...]:
        stored = self.value.type.get_shape()
        shape = [0] * len(stored)
        for axis, logical in enumerate(self.layout):
            shape[logical] = stored[axis]
        return tuple(shape)


@dataclass
class BatchMoved(Bound):
    """A tensor whose batch is on model axis `batch` > 0 (a recurrent layer's final states
    [layers*directions, batch, hidden]): its per-sample axes are the others. Only handlers that
    know where the batch is may read it (`Importer.bound` refuses it)."""

    batch: int = 1


class Importer(ABC):
    """Binds the tensors of a model, walked node by node in order, to values (with their layout) or
    to constants (which become nn.constant where a value is needed), and emits ops for the nodes.

    A subclass (one per front end) provides:
    - `where(node)`: how a message names `node`, e.g. "node 'conv1' (Conv)": every error is
      `CompileError(f"{where(node)}: {message}")`, one line;
    - `constant(node, ref, what)`: the constant bound to `ref` as a numpy array, or a CompileError
      (through `fail`) saying that the `what` must be a constant;
    - `output(node, index)`: the ref under which `node`'s result number `index` is bound;
    and may override `layer(node)` (the `layer` name of the ops `node` emits: `node.name` here),
    `is_constant(ref)`, `bound(node, ref)` (to refuse refs that name no tensor) and `const_value` (to
    refuse constants, say non-finite ones).

    Its driver (onnx_importer, torch_importer) fills `constants`, binds each graph input with
    `Bound(arg, identity(rank))` in `values`, calls one handler per node in order, and returns each
    graph output in the model's own axis order (`arrange(node, tensor, identity(rank))`). Handlers read
    operands with `bound`, `logical`, `spatial` or `constant`, build ops with `emit` (layout ops whose
    shapes they computed) or `build` (ops whose verifier may refuse the node's parameters), bind
    results with `bind`, and use layers.py for the layers every front end builds alike.
    """

    def __init__(self, builder: Builder):
        self.builder = builder
        self.values: dict[Ref, Bound] = {}
        self.constants: dict[Ref, Any] = {}
        self.arranged: dict[tuple, SSAValue] = {}  # (value, layout, wanted) -> its transpose

    # ---------------------------------------------------------------------------------------------
    # What a subclass provides

    @abstractmethod
    def where(self, node: Node) -> str: ...

    @abstractmethod
    def constant(self, node: Node, ref: Ref, what: str) -> np.ndarray: ...

    @abstractmethod
    def output(self, node: Node, index: int) -> Ref: ...

    def layer(self, node: Node) -> str:
        return node.name

    # ---------------------------------------------------------------------------------------------
    # Errors and ops

    def fail(self, node: Node, message: str) -> CompileError:
        return CompileError(f"{self.where(node)}: {message}")

    def emit(self, op: OpT) -> OpT:
        return self.builder.insert(op)

    def build(self, node: Node, make: Callable[[], OpT]) -> OpT:
        """Emit the op `make()` constructs once its verifier accepts it. The one place where a
        constructor's or verifier's exception (parameters the op cannot take) becomes a CompileError
        naming the node, instead of an internal error when the module is verified later."""
        try:
            op = make()
            op.verify_()
        except CompileError:
            raise
        except Exception as err:  # xDSL's VerifyException, ValueError from shape rules, ...
            raise self.fail(node, str(err)) from None
        return self.emit(op)

    def const_value(self, node: Node, array: np.ndarray) -> SSAValue:
        return self.emit(nn.ConstantOp(nn.dense_floats(np.asarray(array, dtype=np.float32)), self.layer(node))).result

    # ---------------------------------------------------------------------------------------------
    # Binding and layout

    def is_constant(self, ref: Ref) -> bool:
        return ref in self.constants and ref not in self.values

    MOVED_BATCH_HINT = ""  # what a front end says of a tensor whose batch is not first

    def bound(self, node: Node, ref: Ref) -> Bound:
        """The tensor `ref` (a constant becomes an nn.constant in the identity layout); one whose
        batch is not its first axis (`BatchMoved`) is refused: only `batch_bound` reads those."""
        if isinstance(self.values.get(ref), BatchMoved):
            raise self.fail(
                node, f"input '{ref}' has the batch on axis {self.values[ref].batch} {self.MOVED_BATCH_HINT}".rstrip()
            )
        if ref in self.values:
            return self.values[ref]
        array = self.constant(node, ref, "operand")
        return Bound(self.const_value(node, array), identity(array.ndim))

    def batch_bound(self, node: Node, ref: Ref) -> tuple[Bound, int]:
        """The tensor `ref` and the model axis holding its batch (0 unless something moved it)."""
        tensor = self.values.get(ref)
        return (tensor, tensor.batch) if isinstance(tensor, BatchMoved) else (self.bound(node, ref), 0)

    def bind_batch(self, node: Node, value: SSAValue, layout_: tuple[int, ...], batch: int, index: int = 0) -> None:
        """Bind a result whose batch is on model axis `batch` (its per-sample axes are the others)."""
        if batch:
            self.values[self.output(node, index)] = BatchMoved(value, layout_, batch)
        else:
            self.bind(node, value, layout_, index)

    def batch_of(self, ref: Ref) -> int:
        """The model axis holding `ref`'s batch."""
        tensor = self.values.get(ref)
        return tensor.batch if isinstance(tensor, BatchMoved) else 0

    def arrange(self, node: Node, tensor: Bound, wanted: tuple[int, ...]) -> SSAValue:
        """The tensor's value stored in the `wanted` layout (a layout.transpose if it is not)."""
        if tensor.layout == wanted:
            return tensor.value
        if sorted(wanted) != sorted(tensor.layout):
            raise self.fail(node, f"cannot rearrange a rank-{len(tensor.layout)} tensor as {list(wanted)}")
        key = (tensor.value, tensor.layout, wanted)
        if key not in self.arranged:  # one transpose per value and layout, however many readers
            perm = [tensor.layout.index(logical) for logical in wanted]
            self.arranged[key] = self.emit(layout.TransposeOp(tensor.value, perm, self.layer(node))).output
        return self.arranged[key]

    def reshaped(self, node: Node, x: SSAValue, shape: Sequence[int]) -> SSAValue:
        """`x` reshaped (row-major) to `shape`: a reshape of a reshape reshapes its source (exporters
        add an axis and squeeze it again around recurrent layers), and none is needed for a value
        that has the shape already."""
        if isinstance(x.owner, layout.ReshapeOp):
            x = x.owner.input
        if list(x.type.get_shape()) == list(shape):
            return x
        return self.emit(layout.ReshapeOp(x, list(shape), self.layer(node))).output

    def logical(self, node: Node, ref: Ref) -> SSAValue:
        """The tensor stored in its logical axis order."""
        tensor = self.bound(node, ref)
        return self.arrange(node, tensor, identity(len(tensor.layout)))

    def spatial(self, node: Node, ref: Ref) -> SSAValue:
        """A logical [C, *spatial] tensor stored channels-last."""
        tensor = self.bound(node, ref)
        rank = len(tensor.layout)
        if rank not in (2, 3):
            raise self.fail(node, f"expects [batch, C, *spatial] with 1 or 2 spatial axes, got rank {rank + 1}")
        return self.arrange(node, tensor, channels_last(rank))

    def bind(self, node: Node, value: SSAValue, layout_: tuple[int, ...] | None = None, index: int = 0) -> None:
        """Bind `node`'s result number `index` to `value`, stored in `layout_` (default: logical)."""
        rank = len(value.type.get_shape())
        self.values[self.output(node, index)] = Bound(value, layout_ if layout_ is not None else identity(rank))

    def sample_axis(self, node: Node, axis: int, rank: int) -> int:
        """A model axis (with the batch axis 0, maybe negative) as a per-sample logical axis."""
        full = rank + 1
        if not -full <= axis < full:
            raise self.fail(node, f"axis {axis} is out of range for rank {full}")
        axis = axis + full if axis < 0 else axis
        if axis == 0:
            raise self.fail(node, "operating along the batch axis is not supported")
        return axis - 1
