"""Op interfaces: what an op of ours means, said once, in its own class (as MLIR op interfaces do).

Passes, the report and the emitters ask an op through these instead of keeping lists of op
classes; `tests/test_interfaces.py` fails when an op of a dialect lacks one it needs.

- `RangeInference`: its results' reachable codes from its operands' (the interval analysis);
- `ResultFormatRule`: the narrowest result types a range allows (infer-bitwidths), with the three
  rules `ExactResult` (exact arithmetic: the exact step, integer bits from the range),
  `SameFormatAsInput` (moves, maxima) and `ChosenResult` (the op carries a chosen type);
- `CostModel`: the arithmetic hardware it needs (`Cost`), with its types or others;
- `ErrorTransfer`: how far its results may be from the float model's, from its operands' (the
  error analysis: dialects/error_bounds.py), and `JointErrorTransfer` where that is better said
  jointly with the ops that compute its operands; `RegionErrors`: through a body that runs several
  times (a recurrence's steps);
- `Streamable`: how it streams (`Streaming`) and its form at one position (io_stream kernels);
- `Repeats`: how many times per sample it reuses its hardware (a recurrence's time steps);
- `CombinationalPath`: its longest combinational path in the Verilog backend's structure, by the
  delay model of dialects/delays.py (where pipeline registers go for a clock period);
- `NamedResult`: a name for its result in generated code (as MLIR's getAsmResultNames);
- `HasParameters`: which operands are parameters (weights, biases) rather than data;
- `Layer` (nn ops): the kind of layer a configuration's `LayerType` names and the settings it uses.
Traits: `Requantizes` (the op only brings a value into another type: a quantizer stage) and
`HostSide` (the op converts between floats and codes on the host, never inside a kernel).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from enum import Enum
from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import IntegerAttr, TensorType, i64
from xdsl.ir import Operation, SSAValue
from xdsl.rewriter import Rewriter
from xdsl.traits import ConstantLike, OpTrait
from xdsl.utils.exceptions import VerifyException

from dialects.delays import WIRE, PathDelay
from dialects.error_bounds import ErrorContext, ErrorMode
from dialects.fixed_types import fixed_tensor, format_if_fixed
from dialects.fixedpoint import FixedFormat
from dialects.ranges import CodeRange


class Streaming(Enum):
    """How an op consumes a stream of [*positions, C] tensors, one packet (all C channels) per position."""

    POSITION = "position"  # each result position from the same position of its data operands alone
    WINDOW = "window"  # each result position from a window of input positions (conv, pool)
    SEQUENCE = "sequence"  # a recurrence: each step from its input position and the state it carries
    WHOLE = "whole"  # needs (or reorders) the whole tensor


@dataclass(frozen=True)
class Cost:
    """The arithmetic hardware of an op, counted over everything it computes.

    Multiply-accumulates (dense, conv) are what a reuse factor R shares: ceil(macs / R) multipliers,
    each `mac_operand_bits` (the product of its operand widths) with an adder of
    `mac_accumulator_bits`. Other multiplications, adders and comparators are counted one unit per
    operation with the width of one unit. `table_bits` is the storage of the tables the op reads.
    Casts, selections and moves are wiring and small logic: they cost nothing here.
    """

    macs: int = 0
    mac_operand_bits: int = 0
    mac_accumulator_bits: int = 0
    multiplies: int = 0
    multiply_bits: int = 0
    adds: int = 0
    add_bits: int = 0
    comparators: int = 0
    comparator_bits: int = 0
    table_bits: int = 0

    COUNTS: ClassVar[tuple[str, ...]] = ("macs", "multiplies", "adds", "comparators")

    def _counts(self, scale: Callable[[int], int]) -> Cost:
        return Cost(
            **{
                f.name: scale(getattr(self, f.name)) if f.name in self.COUNTS else getattr(self, f.name)
                for f in fields(self)
            }
        )

    def per(self, n: int) -> Cost:
        """The counts of one of n equal parts (a step of a streaming kernel); widths and tables stay."""
        return self._counts(lambda count: count // n)

    def figure(self) -> tuple[int, int]:
        """(multiplier bits, adder bits) with a multiplier of its own per multiplication (reuse 1):
        the report's cost figure of the op."""
        multiplier = self.macs * self.mac_operand_bits + self.multiplies * self.multiply_bits
        adder = (
            self.macs * self.mac_accumulator_bits + self.adds * self.add_bits + self.comparators * self.comparator_bits
        )
        return multiplier, adder

    def scaled(self, n: int) -> Cost:
        """The counts of n copies (every position of a per-position kernel); widths and tables stay."""
        return self._counts(lambda count: count * n)


@dataclass(frozen=True)
class Formats:
    """The types of an op's operands (None where not fixed-point) and results: the IR's
    (`Formats.of`), or others a pass is weighing (the step the op would have, what it would cost)."""

    operands: tuple[FixedFormat | None, ...]
    results: tuple[FixedFormat | None, ...]

    @staticmethod
    def of(op: Operation) -> Formats:
        return Formats(tuple(format_if_fixed(v) for v in op.operands), tuple(format_if_fixed(v) for v in op.results))


class RangeInference:
    """Interface: the reachable codes of the op's fixed-point results, element by element, from its
    operands' (None for an operand that is not fixed-point). Like MLIR's InferIntRangeInterface."""

    def infer_result_ranges(self, operands: Sequence[CodeRange | None]) -> list[CodeRange]:
        raise NotImplementedError


class RegionRanges:
    """Interface (ops with a body, like `fixed.recurrence`): the ranges of the body's arguments from
    the op's operands', and the op's results' from the values its body yields, so the interval
    analysis walks the body instead of taking the op's coarse `infer_result_ranges`."""

    def body_argument_ranges(self, operands: Sequence[CodeRange | None]) -> list[CodeRange]:
        raise NotImplementedError

    def result_ranges(self, yielded: Sequence[CodeRange]) -> list[CodeRange]:
        raise NotImplementedError


class RegionErrors:
    """Interface (ops whose body runs several times, like `fixed.recurrence`): the op's results'
    error bounds from its operands', given `walk_body(argument bounds) -> yielded bounds`, which the
    error analysis provides (it walks the body's ops with their own ErrorTransfer), so the bound
    follows the body's rounding through every iteration instead of the op's coarse rule."""

    def region_errors(
        self,
        operands: Sequence[np.ndarray],
        mode: ErrorMode,
        walk_body: Callable[[list[np.ndarray]], list[np.ndarray]],
    ) -> list[np.ndarray]:
        raise NotImplementedError


class ResultFormatRule:
    """Interface: the narrowest result types the op allows given its operands' ranges and current
    types (None: the result's type is the op's own choice and stays)."""

    def infer_result_formats(self, operands: Sequence[CodeRange | None]) -> list[FixedFormat | None]:
        raise NotImplementedError


class ExactResult(ResultFormatRule, RangeInference):
    """Exact arithmetic: the result step is `exact_frac_bits()`, a rule of the operand types the
    verifier enforces, and the integer bits must hold every reachable value, so the narrowest type is
    the one holding the result range."""

    def exact_frac_bits(self, formats: Formats | None = None) -> int:
        """The result's fraction bits with the IR's operand types, or with `formats`'."""
        raise NotImplementedError

    def infer_result_formats(self, operands: Sequence[CodeRange | None]) -> list[FixedFormat | None]:
        return [self.infer_result_ranges(operands)[0].format()]

    def verify_exact_step(self) -> None:
        assert isinstance(self, Operation)
        verify_step(self, self.exact_frac_bits())


class SameFormatAsInput(ResultFormatRule):
    """The result has its (first) operand's type: moves of elements, maxima, relu."""

    def infer_result_formats(self, operands: Sequence[CodeRange | None]) -> list[FixedFormat | None]:
        assert isinstance(self, Operation)
        _, fmt = fixed_tensor(self.operands[0].type, f"{self.name} operand")
        return [fmt]


class ChosenResult(ResultFormatRule):
    """The result type is a choice the op carries (a conversion's target, a table's entries)."""

    def infer_result_formats(self, operands: Sequence[CodeRange | None]) -> list[FixedFormat | None]:
        assert isinstance(self, Operation)
        return [None] * len(self.results)


class CostModel:
    """Interface: the arithmetic hardware the op needs (`Cost`), with the IR's types or `formats`."""

    def cost(self, formats: Formats | None = None) -> Cost:
        raise NotImplementedError


class NoCost(CostModel):
    def cost(self, formats: Formats | None = None) -> Cost:
        return Cost()


class CombinationalPath:
    """Interface: the op's longest combinational path (`PathDelay`, dialects/delays.py)."""

    def combinational_path(self) -> PathDelay:
        raise NotImplementedError


class WiringOnly(CombinationalPath):
    """Moves and constants: wires, no logic."""

    def combinational_path(self) -> PathDelay:
        return WIRE


class ErrorTransfer:
    """Interface: how far the op's results may be from the float model's (dialects/error_bounds.py).

    `propagate_errors` gives the results' bounds from the operands' bounds and ranges (None for an
    operand that is not fixed-point), `own_error` what the op adds itself (its rounding, a table's
    error), which the analysis puts in the op's own row. Exact arithmetic only propagates."""

    def propagate_errors(
        self, errors: Sequence[np.ndarray | None], ranges: Sequence[CodeRange | None], mode: ErrorMode
    ) -> list[np.ndarray]:
        raise NotImplementedError

    def own_error(self, ranges: Sequence[CodeRange | None], mode: ErrorMode) -> float:
        return 0.0


class JointErrorTransfer:
    """Interface: an op whose results' bounds follow better from values further up and the own
    errors of the ops in between (`ErrorContext`) than from its operands' bounds, because those are
    not independent (a layer norm's d * t(sum d^2): a large d comes with a large u, where t is
    flat). `joint_errors` gives None where it does not apply; the op's `ErrorTransfer` then holds.
    The op's own error is added as usual."""

    def joint_errors(self, context: ErrorContext, mode: ErrorMode) -> list[np.ndarray] | None:
        raise NotImplementedError


class ModelBounds:
    """Interface: bounds the float model's value of the result always keeps, which the design's
    range plus its error would lose (x - max(x) <= 0), or None."""

    def model_bounds(self) -> tuple[float, float] | None:
        raise NotImplementedError


class OneLipschitz(ErrorTransfer):
    """The result moves by at most what the (first) operand moves, element by element: relu, abs,
    a maximum over a window of equally bounded elements."""

    def propagate_errors(
        self, errors: Sequence[np.ndarray | None], ranges: Sequence[CodeRange | None], mode: ErrorMode
    ) -> list[np.ndarray]:
        return [errors[0]]


class Streamable:
    """Interface: how the op streams, and the op that computes it at one position.

    `at_one_position(mapping)` gives the ops (not inserted; the last one's results stand for the op's)
    computing it on one packet: every data value [*positions, C] becomes [C]; `mapping` maps the op's
    operands to their one-position values. The default clones the op and retypes its results; ops
    with an axis or a different per-position form override it (as MLIR's TilingInterface gives an
    op's tiled implementation)."""

    def streaming(self) -> Streaming:
        raise NotImplementedError

    def at_one_position(self, mapping: dict[SSAValue, SSAValue]) -> list[Operation]:
        assert isinstance(self, Operation)
        new = self.clone(value_mapper=mapping)
        for result in list(new.results):
            Rewriter.replace_value_with_new_type(result, packet_type(result.type))
        return [new]


class ElementwiseStreaming(Streamable):
    """Streams per position when its data operands have the result's positions and its constant
    operands are the same at every position (they broadcast over the channels only)."""

    def streaming(self) -> Streaming:
        return elementwise_streaming(self)


class AxisStreaming(Streamable):
    """An op along its `axis` (a reduction, a concat): per position when the axis is the channels
    (the last one), where its one-position form works on axis 0 of a packet; else it needs the whole
    tensor."""

    def streaming(self) -> Streaming:
        assert isinstance(self, Operation)
        if self.properties["axis"].value.data != len(self.results[0].type.get_shape()) - 1:
            return Streaming.WHOLE
        return elementwise_streaming(self)

    def at_one_position(self, mapping: dict[SSAValue, SSAValue]) -> list[Operation]:
        (new,) = super().at_one_position(mapping)
        new.properties["axis"] = IntegerAttr(0, i64)
        return [new]


class Repeats:
    """Interface: the op runs its hardware several times per sample, one run after the other (a
    recurrence's time steps): its cost is one run's hardware, its work that many runs, and its
    kernel takes that many times its reuse factor in cycles per sample."""

    def repeats(self) -> int:
        raise NotImplementedError


class NamedResult:
    """Interface: a short name for the op's result in generated code (`acc`, `relu`, ...)."""

    RESULT_NAME: ClassVar[str] = ""

    def result_name(self) -> str:
        if not self.RESULT_NAME:
            raise NotImplementedError(f"{type(self).__name__} names no result")
        return self.RESULT_NAME


class HasParameters:
    """Interface: operands that are parameters of the op (weights, biases), by index and role."""

    PARAMETERS: ClassVar[dict[int, str]] = {}

    def parameter_role(self, index: int) -> str | None:
        return self.PARAMETERS.get(index)

    def parameter_at_one_position(self, index: int, codes: np.ndarray) -> np.ndarray:
        """The codes of parameter `index` as the op's one-position form reads them."""
        return codes


def parameter_role(op: Operation, index: int) -> str | None:
    """The role of operand `index` of `op` if it is a parameter (weights, biases), else None."""
    return op.parameter_role(index) if isinstance(op, HasParameters) else None


# The settings a configuration gives a layer (lowering/config.py): precision roles and implementation.
RESULT, ACCUM, WEIGHT, BIAS, TABLE = "result", "accum", "weight", "bias", "table"
REUSE_FACTOR, STRATEGY, TABLE_SIZE = "reuse_factor", "strategy", "table_size"
MAC_SETTINGS = frozenset({RESULT, ACCUM, WEIGHT, BIAS, REUSE_FACTOR, STRATEGY})
TABLE_SETTINGS = frozenset({RESULT, TABLE, TABLE_SIZE, STRATEGY})


class Layer:
    """Interface (nn ops): the kind of layer a configuration's `LayerType` section names (hls4ml's
    names: `Dense`, `Conv`, `ReLU`, ...) and the settings its lowering uses, so that a setting that
    reaches no layer can be refused. nn-to-fixed records the type on the layer's fixed ops."""

    LAYER_TYPE: ClassVar[str] = ""
    SETTINGS: ClassVar[frozenset[str]] = frozenset({RESULT, STRATEGY})
    GROUP: ClassVar[str | None] = None  # hls4ml's name for a family of types: "Activation", "Merge"

    @classmethod
    def layer_types(cls) -> tuple[str, ...]:
        """Every type an op of this class may have."""
        return (cls.LAYER_TYPE,) if cls.LAYER_TYPE else ()

    def layer_kind(self) -> str:
        if not self.LAYER_TYPE:
            raise NotImplementedError(f"{type(self).__name__} names no layer type")
        return self.LAYER_TYPE

    def settings_used(self) -> frozenset[str]:
        return self.SETTINGS


class Requantizes(OpTrait):
    """The op only brings a value into another type (a cast, a clamp, a threshold table): after a
    layer, it is that layer's output stage rather than a process of its own."""


class HostSide(OpTrait):
    """The op converts between floats and codes: the host does it, never a kernel."""


# --------------------------------------------------------------------------------------------------
# Helpers for the implementations


def verify_step(op: Operation, frac: int) -> None:
    """An op that does not round: its result has `frac` fraction bits."""
    _, fmt = fixed_tensor(op.results[0].type, f"{op.name} result")
    if fmt.frac_bits != frac:
        raise VerifyException(
            f"{op.name} is exact: its result must have {frac} fraction bits, got {fmt} "
            f"({fmt.frac_bits}); round with a fixed.cast afterwards"
        )


def positions_of(value: SSAValue) -> tuple[int, ...]:
    """The positions axes of a [*positions, C] tensor."""
    assert isinstance(value.type, TensorType)
    return tuple(value.type.get_shape()[:-1])


def packet_type(t: TensorType) -> TensorType:
    """The type of one position of a [*positions, C] tensor: [C]."""
    shape = t.get_shape()
    return TensorType(t.element_type, [shape[-1]] if shape else [1])


def is_constant(value: SSAValue) -> bool:
    owner = value.owner
    return isinstance(owner, Operation) and owner.has_trait(ConstantLike)


def elementwise_streaming(op: Operation) -> Streaming:
    """POSITION when every result and data operand has the same positions and every constant operand
    (but parameters) is the same at every position; else WHOLE."""
    positions = positions_of(op.results[0])
    if any(positions_of(r) != positions for r in op.results):
        return Streaming.WHOLE
    for index, value in enumerate(op.operands):
        if parameter_role(op, index) is not None:
            continue
        if is_constant(value):
            if math.prod(positions_of(value)) != 1:  # broadcast, but not the same at each position
                return Streaming.WHOLE
        elif positions_of(value) != positions:
            return Streaming.WHOLE
    return Streaming.POSITION
