"""What an ATen operator handler sees: the importer it is given, the table it registers in, and the
small helpers and constants torch_ops and torch_importer share.

Takes nothing at import time (it depends on base.py only, and never imports torch: torch is loaded by
whoever made the module being imported); gives `TorchImporter` (fx nodes bound to values or to torch
constants), `HANDLERS` (ATen overload packet name -> handler), `handles` (the decorator that fills
it), `_op`, `_arguments`, `_ints`, `_float32` and the constants below. torch_ops imports this module;
torch_importer imports both and walks the exported graph.

A handler `(imp, node, args)` gets the node's arguments by their schema names (defaults filled in),
reads tensors as values in the layout it needs (`imp.logical`, `imp.spatial`) or as constants
(`imp.constant`: float32 numpy), and binds its result (`imp.bind`); anything we do not support is a
CompileError naming the layer (`imp.fail`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from xdsl.builder import Builder
from xdsl.ir import SSAValue

from compiler.importers.base import Bound, Importer

BATCH = 2  # samples in the example input: not 1, which torch.export would specialise on
# ONNX keeps scalar attributes in float32: rounding ours the same way gives the same IR
SELU_ALPHA, SELU_GAMMA = 1.67326319217681884765625, 1.05070102214813232421875
ALIASES = {"dropout", "feature_dropout", "alpha_dropout", "detach", "clone", "alias", "contiguous", "to"}
ASSERTIONS = {"_assert_tensor_metadata", "_assert_scalar", "sym_constrain_range_for_size", "_assert_async"}


def _float32(value: float) -> float:
    return float(np.float32(value))


def _ints(value: Any, rank: int) -> list[int]:
    """An int or a list of ints (a kernel size, stride, ...) as one int per axis."""
    values = [int(v) for v in value] if isinstance(value, (list, tuple)) else [int(value)]
    return values * rank if len(values) == 1 and rank > 1 else values


def _op(node) -> str:
    """The ATen operator's name without overload (in-place forms like relu_ compute the same)."""
    packet = getattr(node.target, "overloadpacket", None)
    return packet.__name__.rstrip("_") if packet is not None else str(node.target)


def _arguments(node) -> dict[str, Any]:
    """The node's arguments by their schema names, defaults filled in."""
    result = {}
    for i, argument in enumerate(node.target._schema.arguments):
        if i < len(node.args) and not argument.kwarg_only:
            result[argument.name] = node.args[i]
        elif argument.name in node.kwargs:
            result[argument.name] = node.kwargs[argument.name]
        else:
            result[argument.name] = argument.default_value if argument.has_default_value() else None
    return result


class TorchImporter(Importer):
    """Binds each fx node of the exported graph, walked in order, to a value (with its layout) or to
    a constant (a torch tensor or Python value, which becomes nn.constant where a value is needed).
    A node's ref is the fx node itself; Python numbers among the arguments are constants too."""

    def __init__(self, builder: Builder, layers: dict[Any, str], modules: dict[Any, str]):
        super().__init__(builder)
        self.layers = layers  # fx node -> layer name
        self.modules = modules  # fx node -> the module type that called it
        self.values: dict[Any, Any] = {}  # fx node -> Bound (or a tuple of them; None: a pooling's indices)
        self.constants: dict[Any, Any] = {}  # fx node -> torch tensor or Python value

    def layer(self, node) -> str:
        return self.layers.get(node, node.name)

    def where(self, node) -> str:
        module = self.modules.get(node)
        return f"layer '{self.layer(node)}' ({node.target}{f', in {module}' if module else ''})"

    def output(self, node, index: int) -> Any:
        return node  # one result per node; a tuple of results is bound by the handler itself

    def const_value(self, node, array: np.ndarray) -> SSAValue:
        array = np.asarray(array, dtype=np.float32)
        if not np.isfinite(array).all():  # parameters are not checked before the walk, as ONNX initializers are
            raise self.fail(node, "a constant contains NaN or infinity")
        return super().const_value(node, array)

    def is_constant(self, arg) -> bool:
        return isinstance(arg, (int, float)) or super().is_constant(arg)

    def constant(self, node, arg, what: str) -> np.ndarray:
        """A constant argument as float32 numpy."""
        if isinstance(arg, (int, float)) and not isinstance(arg, bool):
            return np.array(arg, dtype=np.float32)
        if arg is None or arg not in self.constants:
            raise self.fail(
                node, f"the {what} must be a constant (parameter or buffer), but it is computed at run time"
            )
        value = self.constants[arg]
        if isinstance(value, (int, float)):
            return np.array(value, dtype=np.float32)
        if not hasattr(value, "detach") or value.is_complex():
            raise self.fail(node, f"the {what} must be a real tensor, got {type(value).__name__}")
        return value.detach().cpu().numpy().astype(np.float32)

    MOVED_BATCH_HINT = (
        "(a recurrent layer's states, or a permute): only permute, select (e.g. h_n[-1]) and recurrent layers "
        "read such a tensor"
    )

    def bound(self, node, arg) -> Bound:
        if arg in self.values and not isinstance(self.values[arg], Bound):
            what = "the indices output of a pooling" if self.values[arg] is None else "a tuple, not a tensor"
            raise self.fail(node, f"input '{arg}' is {what} (not supported)")
        return super().bound(node, arg)

    def fold(self, node) -> None:
        """Evaluate a node whose inputs are all constants."""
        import torch  # lazily: importing the compiler must not load torch
        from torch.fx.node import map_arg

        # a random op (randn, training dropout) would freeze one draw; eval-mode dropout is not random
        random = torch.Tag.nondeterministic_seeded in getattr(node.target, "tags", ())
        if random and not (_op(node) in ALIASES and not _arguments(node).get("train")):
            raise self.fail(node, "random numbers are not supported")
        args = map_arg(node.args, lambda n: self.constants[n])
        kwargs = map_arg(node.kwargs, lambda n: self.constants[n])
        try:
            with torch.no_grad():
                self.constants[node] = node.target(*args, **kwargs)
        except Exception as err:
            raise self.fail(node, f"cannot evaluate it on constants ({type(err).__name__})") from None


Handler = Callable[[TorchImporter, Any, dict[str, Any]], None]
HANDLERS: dict[str, Handler] = {}  # ATen overload packet name (no trailing _) -> handler


def handles(*names: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        for name in names:
            HANDLERS[name] = fn
        return fn

    return register
