"""The types and attributes of the `fixed` dialect, and helpers on integer-code tensors.

`!fixed.fixed<W, I, signed|unsigned>` (code q means q * 2^-(W - I)), the rounding and overflow mode
attributes, and packing codes into dense attributes (numpy bytes). The ops are in dialects/fixed.py.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from xdsl.dialects.builtin import (
    BytesAttr,
    DenseIntOrFPElementsAttr,
    IntAttr,
    IntegerAttr,
    IntegerType,
    TensorType,
    i64,
)
from xdsl.dialects.utils import EnumAttribute
from xdsl.ir import Attribute, ParametrizedAttribute, SpacedOpaqueSyntaxAttribute, SSAValue, TypeAttribute
from xdsl.irdl import irdl_attr_definition
from xdsl.parser import AttrParser
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException
from xdsl.utils.str_enum import StrEnum

from dialects.fixedpoint import FixedFormat, Overflow, Rounding, format_for_codes

# The widest type, and the widest product of two operands, the C++ types of a design may have: what
# the headers of runtime/include hold (infer-bitwidths refuses wider ones, naming the layer).
MAX_WIDTH = 128

# --------------------------------------------------------------------------------------------------
# Types and attributes


@irdl_attr_definition
class FixedType(ParametrizedAttribute, TypeAttribute):
    """`!fixed.fixed<W, I, signed|unsigned>`: code q means q * 2^-(W-I)."""

    name = "fixed.fixed"
    width: IntAttr
    int_bits: IntAttr
    signed: IntAttr

    def __init__(self, width: int, int_bits: int, signed: bool = True):
        super().__init__(IntAttr(width), IntAttr(int_bits), IntAttr(int(signed)))

    @staticmethod
    def of(fmt: FixedFormat) -> FixedType:
        return FixedType(fmt.width, fmt.int_bits, fmt.signed)

    @property
    def format(self) -> FixedFormat:
        return FixedFormat(self.width.data, self.int_bits.data, bool(self.signed.data))

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> Sequence[Attribute]:
        with parser.in_angle_brackets():
            width = parser.parse_integer(allow_negative=False, allow_boolean=False)
            parser.parse_punctuation(",")
            int_bits = parser.parse_integer(allow_boolean=False)
            parser.parse_punctuation(",")
            pos = parser.pos
            sign = parser.parse_identifier()
            if sign not in ("signed", "unsigned"):
                parser.raise_error("expected 'signed' or 'unsigned'", pos, parser.pos)
        return (IntAttr(width), IntAttr(int_bits), IntAttr(int(sign == "signed")))

    def print_parameters(self, printer: Printer) -> None:
        sign = "signed" if self.signed.data else "unsigned"
        printer.print_string(f"<{self.width.data}, {self.int_bits.data}, {sign}>")

    def verify(self) -> None:
        if self.width.data < 1:
            raise VerifyException(f"fixed-point width must be at least 1, got {self.width.data}")
        if self.signed.data not in (0, 1):
            raise VerifyException("fixed-point signedness must be 0 or 1")


class RoundingMode(StrEnum):
    TRN = "TRN"
    TRN_ZERO = "TRN_ZERO"
    RND = "RND"
    RND_ZERO = "RND_ZERO"
    RND_INF = "RND_INF"
    RND_MIN_INF = "RND_MIN_INF"
    RND_CONV = "RND_CONV"


class OverflowMode(StrEnum):
    WRAP = "WRAP"
    SAT = "SAT"
    SAT_ZERO = "SAT_ZERO"
    SAT_SYM = "SAT_SYM"


@irdl_attr_definition
class RoundingAttr(EnumAttribute[RoundingMode], SpacedOpaqueSyntaxAttribute):
    name = "fixed.rounding"

    @property
    def mode(self) -> Rounding:
        return Rounding(self.data.value)


@irdl_attr_definition
class OverflowAttr(EnumAttribute[OverflowMode], SpacedOpaqueSyntaxAttribute):
    name = "fixed.overflow"

    @property
    def mode(self) -> Overflow:
        return Overflow(self.data.value)


def rounding_attr(mode: Rounding) -> RoundingAttr:
    return RoundingAttr(RoundingMode(mode.value))


def overflow_attr(mode: Overflow) -> OverflowAttr:
    return OverflowAttr(OverflowMode(mode.value))


# --------------------------------------------------------------------------------------------------
# Helpers


def fixed_tensor(value: Attribute, what: str) -> tuple[tuple[int, ...], FixedFormat]:
    if not isinstance(value, TensorType) or not isinstance(value.element_type, FixedType):
        raise VerifyException(f"{what} must be a tensor of !fixed.fixed, got {value}")
    return value.get_shape(), value.element_type.format


def fixed_tensor_type(shape: Sequence[int], fmt: FixedFormat) -> TensorType:
    return TensorType(FixedType.of(fmt), list(shape))


def format_of(value: SSAValue) -> FixedFormat:
    return fixed_tensor(value.type, "value")[1]


def format_if_fixed(value: SSAValue) -> FixedFormat | None:
    """The value's format when it is a tensor of fixed-point numbers, else None (floats)."""
    t = value.type
    return t.element_type.format if isinstance(t, TensorType) and isinstance(t.element_type, FixedType) else None


def is_fixed(value: SSAValue) -> bool:
    return format_if_fixed(value) is not None


def codes_dtype_for(fmt: FixedFormat) -> IntegerType:
    """Storage integer type of constant codes: the smallest of i8/i16/i32/i64 that holds them."""
    bits = fmt.width + (0 if fmt.signed else 1)
    for candidate in (8, 16, 32, 64):
        if bits <= candidate:
            return IntegerType(candidate)
    raise ValueError(f"constants of type {fmt} need more than 64 bits: not supported")


def dense_codes(codes: np.ndarray, fmt: FixedFormat) -> DenseIntOrFPElementsAttr:
    """Pack integer codes into a dense attribute (numpy bytes, little endian)."""
    int_type = codes_dtype_for(fmt)
    dtype = np.dtype(f"<i{int_type.width.data // 8}")
    return DenseIntOrFPElementsAttr(
        TensorType(int_type, list(codes.shape)), BytesAttr(np.ascontiguousarray(codes, dtype).tobytes())
    )


def check_codes_attr(attr: DenseIntOrFPElementsAttr, what: str) -> None:
    """Codes are stored as signless i8, i16, i32 or i64 (what `dense_codes` writes)."""
    element = attr.get_element_type()
    if not isinstance(element, IntegerType) or element.width.data not in (8, 16, 32, 64):
        raise VerifyException(f"{what} must be a dense attribute of i8, i16, i32 or i64 codes, got {element}")


def check_interval(values: Sequence[float], what: str, strict: bool) -> None:
    """An interval attribute: two numbers, low first (strictly below high when `strict`)."""
    if len(values) != 2 or not (values[0] < values[1] if strict else values[0] <= values[1]):
        relation = "<" if strict else "<="
        raise VerifyException(f"{what} must be [low, high] with low {relation} high, got {list(values)}")


def codes_of(attr: DenseIntOrFPElementsAttr) -> np.ndarray:
    """The integer codes of a dense attribute as an int64 numpy array in its shape."""
    element = attr.get_element_type()
    assert isinstance(element, IntegerType)
    dtype = np.dtype(f"<i{element.width.data // 8}")
    return np.frombuffer(attr.data.data, dtype).astype(np.int64).reshape(attr.get_shape())


def offset_attr(offset: int) -> IntegerAttr:
    """A table offset: an i64 when it fits, else an integer just wide enough."""
    bits = max(64, offset.bit_length() + 1)
    return IntegerAttr(offset, i64 if bits == 64 else IntegerType(bits))


# --------------------------------------------------------------------------------------------------
# A type per element (heterogeneous quantizers: HGQ)


class ElementTypes:
    """A fixed-point type per element of a tensor, as ap_fixed's (W, I, signed), in arrays of one
    shape that broadcasts to the tensor's (numpy's rule, same rank). An element of width 0 is always
    0 (a pruned element). Stored as one dense i32 attribute [*shape, 3] of (signed, W, I)."""

    def __init__(self, signed: np.ndarray, width: np.ndarray, int_bits: np.ndarray):
        self.signed, self.width, self.int_bits = np.broadcast_arrays(
            np.asarray(signed, dtype=np.int64), np.asarray(width, dtype=np.int64), np.asarray(int_bits, dtype=np.int64)
        )

    @staticmethod
    def of_attr(attr: DenseIntOrFPElementsAttr) -> ElementTypes:
        table = codes_of(attr)
        return ElementTypes(table[..., 0], table[..., 1], table[..., 2])

    def attr(self) -> DenseIntOrFPElementsAttr:
        return dense_codes(np.stack([self.signed, self.width, self.int_bits], axis=-1), FixedFormat(32, 32))

    @property
    def shape(self) -> tuple[int, ...]:
        return self.width.shape

    def formats(self) -> list[FixedFormat | None]:
        """The distinct types (None: zero width), in a fixed order."""
        keys = sorted({(int(s), int(w), int(i)) for s, w, i in zip(*(a.ravel() for a in self.arrays()))})
        return [FixedFormat(w, i, bool(s)) if w > 0 else None for s, w, i in keys]

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return self.signed, self.width, self.int_bits

    def where(self, fmt: FixedFormat | None, shape: Sequence[int]) -> np.ndarray:
        """Which elements of a tensor of `shape` have type `fmt` (a bool mask of that shape)."""
        if fmt is None:
            mask = self.width <= 0
        else:
            mask = (self.width == fmt.width) & (self.int_bits == fmt.int_bits) & (self.signed == int(fmt.signed))
        return np.broadcast_to(mask, tuple(shape))

    def common(self) -> FixedFormat:
        """The narrowest type holding every element's values (the finest step, the widest range)."""
        live = [f for f in self.formats() if f is not None]
        if not live:
            return FixedFormat(1, 1, False)
        frac = max(f.frac_bits for f in live)
        lo = min(f.min_code << (frac - f.frac_bits) for f in live)
        hi = max(f.max_code << (frac - f.frac_bits) for f in live)
        return format_for_codes(lo, hi, frac)

    @staticmethod
    def checked(attr: DenseIntOrFPElementsAttr, shape: Sequence[int], what: str) -> ElementTypes:
        """The types of `attr`, verified (as `what`) to be types that broadcast to `shape`."""
        check_codes_attr(attr, what)
        types = ElementTypes.of_attr(attr)
        types.verify(what)
        if len(types.shape) != len(shape) or any(t not in (1, n) for t, n in zip(types.shape, shape)):
            raise VerifyException(f"{what} of shape {list(types.shape)} do not broadcast to the tensor {list(shape)}")
        return types

    def verify(self, what: str) -> None:
        if self.width.ndim == 0 or (self.width < 0).any() or ((self.signed != 0) & (self.signed != 1)).any():
            raise VerifyException(f"{what} must be [*shape, 3] of (signed 0/1, width >= 0, integer bits)")
        if (self.width > MAX_WIDTH).any():
            raise VerifyException(f"{what}: an element is wider than {MAX_WIDTH} bits")
