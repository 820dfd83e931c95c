"""QKeras quantizers, read from a model's JSON without QKeras: what they do to weights, and which
exact fixed-point step an activation quantizer is.

Takes a quantizer as QKeras serialises it: a string ("quantized_bits(6,0,alpha=1)", parsed here by a
small literal parser, never eval) or a dict ({"class_name": "quantized_bits", "config": {...}}).
Gives one dataclass per kind with `quantize(x)` (the quantized values, in float32 as QKeras computes
them) and `activation()` (the equivalent `nn.quant` step as an `ActivationQuant`, or refuses with a
one-line `QuantizerError`).

Semantics follow google/qkeras' qkeras/quantizers.py at commit a71ea40 (after release 0.8.0; the
`__call__` of each class); the formulas are restated on each class. QKeras rounds with tf.round
(half to even), which is nn.quant's HALF_EVEN and the fixed-point RND_CONV cast
(lowering/nn_to_fixed_quant.py), so a power-of-two activation quantizer is bit-exact. QKeras
returns `x + stop_gradient(xq - x)` (straight-through) in float32; `quantize` gives xq itself: the
two agree whenever xq - x is exact in float32, which holds for every value within half a step of the
grid (Sterbenz) and for saturated values below 2^(24-F) (F the fractional bits of the grid); tests
check it on the shipped models' weights.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from dialects.nn_quant import round_values

F32 = np.float32
KERAS_EPSILON = 1e-7  # keras.backend.epsilon()


class QuantizerError(ValueError):
    """A quantizer we cannot read or represent (one line)."""


@dataclass(frozen=True)
class ActivationQuant:
    """An activation quantizer as nn.quant parameters: y = (clamp(round(a*x+b)/scale + zp) - zp) *
    scale with `pre` = (a, b) (None: x itself); `slope`: a leaky relu of that slope before it;
    `low`: the result clipped below at `low` after it; `negate` multiplies the result by -1."""

    scale: float
    bits: int | None
    signed: bool
    narrow: bool
    rounding: str
    zero_point: float = 0.0
    pre: tuple[float, float] | None = None
    slope: float | None = None
    low: float | None = None
    negate: bool = False


# --------------------------------------------------------------------------------------------------
# Literal parser: name(arg, ..., key=value, ...) with numbers, strings, True/False/None


TOKEN = re.compile(
    r"\s*(?:(?P<number>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)|(?P<name>[A-Za-z_][A-Za-z_0-9]*)"
    r"|(?P<string>'[^'\\]*'|\"[^\"\\]*\")|(?P<punct>[(),=]))"
)
WORDS = {"True": True, "False": False, "None": None, "true": True, "false": False}


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    text = text.strip()
    while pos < len(text):
        match = TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise QuantizerError(f"cannot read quantizer {text!r} at {text[pos : pos + 10]!r}")
        kind = match.lastgroup
        out.append((kind, match.group(kind)))
        pos = match.end()
    return out


def _literal(kind: str, text: str, source: str) -> Any:
    if kind == "number":
        value = float(text)
        return int(value) if re.fullmatch(r"[-+]?\d+", text) else value
    if kind == "string":
        return text[1:-1]
    if kind == "name" and text in WORDS:
        return WORDS[text]
    raise QuantizerError(f"quantizer {source!r}: {text!r} is not a number, string, True, False or None")


def parse_call(text: str) -> tuple[str, list[Any], dict[str, Any]]:
    """'name(1, 2, key=3)' -> ("name", [1, 2], {"key": 3}); a bare 'name' has no arguments."""
    tokens = _tokens(text)
    if not tokens or tokens[0][0] != "name":
        raise QuantizerError(f"quantizer {text!r} does not start with a name")
    name, rest = tokens[0][1], tokens[1:]
    if not rest:
        return name, [], {}
    if rest[0] != ("punct", "(") or rest[-1] != ("punct", ")"):
        raise QuantizerError(f"quantizer {text!r} is not of the form name(arguments)")
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    items, current = [], []
    for token in rest[1:-1]:
        if token == ("punct", ","):
            items.append(current)
            current = []
        else:
            current.append(token)
    if current or items:
        items.append(current)
    for item in items:
        if len(item) == 1:
            if kwargs:
                raise QuantizerError(f"quantizer {text!r}: a positional argument follows a keyword argument")
            args.append(_literal(*item[0], text))
        elif len(item) == 3 and item[0][0] == "name" and item[1] == ("punct", "="):
            kwargs[item[0][1]] = _literal(*item[2], text)
        else:
            raise QuantizerError(f"quantizer {text!r}: cannot read argument {' '.join(t for _, t in item)!r}")
    return name, args, kwargs


# --------------------------------------------------------------------------------------------------
# Helpers


def _round(x: np.ndarray) -> np.ndarray:
    """tf.round: half to even, nn.quant's HALF_EVEN (the rounding the activations lower to)."""
    return round_values(x, "HALF_EVEN")


def _sign_one(x: np.ndarray) -> np.ndarray:
    """sign(x) with 0 -> +1 (QKeras: k = sign(x); k += 1 - |k|)."""
    return np.where(x >= 0, F32(1), F32(-1))


def _fixed_alpha(alpha: Any, kind: str) -> float:
    """A numeric alpha (None means 1); "auto"/"auto_po2" scales are computed from the float weights
    during training and are not saved in the weights file."""
    if alpha is None:
        return 1.0
    if isinstance(alpha, str):
        raise QuantizerError(
            f"{kind}(alpha={alpha!r}): the scale is not saved in the weights file; use a numeric alpha"
        )
    return float(alpha)


# --------------------------------------------------------------------------------------------------
# Quantizers


@dataclass(frozen=True)
class Quantizer(ABC):
    IGNORED = frozenset({"use_stochastic_rounding", "var_name", "use_ste", "use_variables", "scale_axis"})
    # (stochastic rounding applies in training only; the others change gradients or variable names)

    def __post_init__(self) -> None:
        if getattr(self, "qnoise_factor", 1.0) not in (1, None):
            raise QuantizerError(
                f"{self.describe()}: qnoise_factor {self.qnoise_factor} mixes float and quantized values (1 only)"
            )

    def describe(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{f.name}={getattr(self, f.name)!r}' for f in fields(self))})"

    @abstractmethod
    def quantize(self, x: np.ndarray) -> np.ndarray: ...

    def activation(self) -> ActivationQuant:
        raise QuantizerError(f"{self.describe()} is not supported as an activation")


@dataclass(frozen=True)
class quantized_bits(Quantizer):  # noqa: N801 (QKeras' class names)
    """m = 2^(bits - keep_negative), m_i = 2^integer:
    xq = alpha * m_i * clip(round(x * m / m_i), keep_negative * (-m + symmetric), m - 1) / m;
    with bits - keep_negative == 0 (one signed bit) xq = alpha * sign(x) (0 -> +1)."""

    bits: int = 8
    integer: int = 0
    symmetric: int = 0
    keep_negative: bool = True
    alpha: Any = None
    qnoise_factor: float = 1.0

    def _codes(self) -> tuple[float, float, float]:
        m = 2.0 ** (self.bits - int(bool(self.keep_negative)))
        lo = int(bool(self.keep_negative)) * (-m + int(bool(self.symmetric)))
        return m, lo, m - 1

    def quantize(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=F32)
        alpha = F32(_fixed_alpha(self.alpha, "quantized_bits"))
        if self.bits - int(bool(self.keep_negative)) <= 0:
            return alpha * _sign_one(x)
        m, lo, hi = self._codes()
        m_i = F32(2.0**self.integer)
        p = x * F32(m) / m_i
        return alpha * (m_i * np.clip(_round(p), F32(lo), F32(hi)) / F32(m))

    def activation(self) -> ActivationQuant:
        if _fixed_alpha(self.alpha, "quantized_bits") != 1.0:
            raise QuantizerError(f"{self.describe()}: an activation with alpha other than 1 is not supported")
        signed = bool(self.keep_negative)
        if self.bits - int(signed) <= 0:
            return ActivationQuant(1.0, 1, True, False, "HALF_EVEN")
        m, _, _ = self._codes()
        return ActivationQuant(2.0**self.integer / m, self.bits, signed, signed and bool(self.symmetric), "HALF_EVEN")


@dataclass(frozen=True)
class quantized_relu(Quantizer):  # noqa: N801
    """m = 2^(bits - (negative_slope != 0)), m_i = 2^integer, p = x * m / m_i (use_sigmoid=0):
    xq = m_i * clip(round(p) / m, 0, 1 - 1/m)
       + m_i * s * clip(round(p * s) / (s * m), -1, 0)        (s = negative_slope, a power of two)
    that is m_i/m * clip(round(leaky_relu(x, s) * m / m_i), -s * m, m - 1): a relu (s = 0: unsigned,
    `bits` bits) or a leaky relu (signed) on a step of m_i/m. relu_upper_bound is ignored on load
    (is_quantized_clip, not serialised, defaults to True and takes precedence)."""

    bits: int = 8
    integer: int = 0
    use_sigmoid: int = 0
    negative_slope: float = 0.0
    relu_upper_bound: Any = None
    is_quantized_clip: bool = True
    qnoise_factor: float = 1.0

    def _m(self) -> float:
        if self.use_sigmoid:
            raise QuantizerError(f"{self.describe()}: use_sigmoid is not supported")
        if not self.is_quantized_clip:
            raise QuantizerError(f"{self.describe()}: is_quantized_clip=False is not supported")
        m = 2.0 ** (self.bits - int(self.negative_slope != 0))
        s = float(self.negative_slope)
        if s and (s > 1 or np.frexp(s)[0] != 0.5 or s * m < 1):
            raise QuantizerError(
                f"{self.describe()}: negative_slope must be a power of two in [1/{int(m)}, 1] (2^-k, k >= 0)"
            )
        return m

    def quantize(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=F32)
        m, m_i, s = F32(self._m()), F32(2.0**self.integer), F32(self.negative_slope)
        p = x * m / m_i
        xq = m_i * np.clip(_round(p) / m, F32(0), F32(1) - F32(1) / m)
        if s:
            xq = xq + m_i * s * np.clip(_round(p * s) * (F32(1) / (s * m)), F32(-1), F32(0))
        return xq

    def activation(self) -> ActivationQuant:
        m = self._m()
        step = 2.0**self.integer / m
        if not self.negative_slope:
            return ActivationQuant(step, self.bits, False, False, "HALF_EVEN")
        s = float(self.negative_slope)
        low = -s * m * step if s < 1 else None  # the signed type's lowest code is -m
        return ActivationQuant(step, self.bits, True, False, "HALF_EVEN", slope=s, low=low)


@dataclass(frozen=True)
class quantized_tanh(Quantizer):  # noqa: N801
    """m = 2^(bits-1): clip(round((2 * hard_sigmoid(x) - 1) * m) / m, -1 + symmetric/m, 1 - 1/m),
    hard_sigmoid(x) = clip(0.5x + 0.5, 0, 1): 2 * hard_sigmoid(x) - 1 is clip(x, -1, 1) (exactly, for
    inputs with fewer than 23 fractional bits), so a signed `bits`-bit type of step 1/m."""

    bits: int = 8
    symmetric: bool = False
    use_real_tanh: bool = False

    def _check(self) -> None:
        if self.use_real_tanh:
            raise QuantizerError(f"{self.describe()}: use_real_tanh is not supported")

    def quantize(self, x: np.ndarray) -> np.ndarray:
        self._check()
        x = np.asarray(x, dtype=F32)
        m = F32(2.0 ** (self.bits - 1))
        p = F32(2) * np.clip(F32(0.5) * x + F32(0.5), F32(0), F32(1)) - F32(1)
        lo = F32(-1) + F32(int(bool(self.symmetric))) / m
        return np.clip(_round(p * m) / m, lo, F32(1) - F32(1) / m)

    def activation(self) -> ActivationQuant:
        self._check()
        return ActivationQuant(2.0 ** (1 - self.bits), self.bits, True, bool(self.symmetric), "HALF_EVEN")


@dataclass(frozen=True)
class quantized_sigmoid(Quantizer):  # noqa: N801
    """m = 2^bits: clip(round(hard_sigmoid(x) * m) / m, symmetric/m, 1 - 1/m), hard_sigmoid(x) =
    clip(0.5x + 0.5, 0, 1): an unsigned `bits`-bit step of 1/m applied to 0.5x + 0.5."""

    bits: int = 8
    symmetric: bool = False
    use_real_sigmoid: bool = False

    def _check(self) -> None:
        if self.use_real_sigmoid:
            raise QuantizerError(f"{self.describe()}: use_real_sigmoid is not supported")
        if self.symmetric:
            raise QuantizerError(f"{self.describe()}: symmetric=True is not supported")

    def quantize(self, x: np.ndarray) -> np.ndarray:
        self._check()
        x = np.asarray(x, dtype=F32)
        m = F32(2.0**self.bits)
        p = np.clip(F32(0.5) * x + F32(0.5), F32(0), F32(1))
        return np.clip(_round(p * m) / m, F32(0), F32(1) - F32(1) / m)

    def activation(self) -> ActivationQuant:
        self._check()
        return ActivationQuant(2.0**-self.bits, self.bits, False, False, "HALF_EVEN", pre=(0.5, 0.5))


@dataclass(frozen=True)
class binary(Quantizer):  # noqa: N801
    """xq = alpha * k, k = sign(x) with 0 -> +1 ({0, 1} with use_01: (k + 1) / 2); alpha None is 1."""

    use_01: bool = False
    alpha: Any = None

    def quantize(self, x: np.ndarray) -> np.ndarray:
        k = _sign_one(np.asarray(x, dtype=F32))
        if self.use_01:
            k = (k + F32(1)) / F32(2)
        return F32(_fixed_alpha(self.alpha, "binary")) * k

    def activation(self) -> ActivationQuant:
        if self.use_01:
            raise QuantizerError(f"{self.describe()}: use_01 is not supported as an activation")
        return ActivationQuant(_fixed_alpha(self.alpha, "binary"), 1, True, False, "HALF_EVEN")


@dataclass(frozen=True)
class ternary(Quantizer):  # noqa: N801
    """xq = alpha * (|x| >= t) * sign(x), t = threshold (None: 0.33), alpha None is 1."""

    alpha: Any = None
    threshold: Any = None
    number_of_unrolls: int = 5

    def _threshold(self) -> float:
        if isinstance(self.threshold, str):
            raise QuantizerError(f"{self.describe()}: threshold {self.threshold!r} is not supported")
        return float(F32(0.33 if self.threshold is None else self.threshold))

    def quantize(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=F32)
        q = (np.abs(x) >= F32(self._threshold())).astype(F32) * np.sign(x)
        return F32(_fixed_alpha(self.alpha, "ternary")) * q

    def activation(self) -> ActivationQuant:
        t = self._threshold()
        if t <= 0:
            raise QuantizerError(f"{self.describe()}: the threshold must be positive")
        # |x| >= t  <=>  |x / (2t)| >= 1/2: rounding half away from zero, clipped to one code (the
        # pre-step is divided by the scale alpha again)
        alpha = _fixed_alpha(self.alpha, "ternary")
        return ActivationQuant(alpha, 2, True, True, "HALF_UP", pre=(alpha * 0.5 / t, 0.0))


def _po2_exponents(bits: int, max_value: Any, quadratic: bool, sign_bit: int) -> tuple[int, int]:
    need_sign = 1 if max_value is None or max_value > 1 else 0
    effect = bits - sign_bit - need_sign
    lo, hi = -(2**effect), 2**effect - 1
    return lo, (2 * (hi // 2) if quadratic else hi)


def _po2_exponent(x_abs: np.ndarray, lo: int, hi: int, max_value: Any, quadratic: bool, log2_rounding: str):
    """QKeras' _clip_power_of_two: round(log2 |x|) clipped to [lo, hi] (|x| below epsilon: lo)."""
    eps = F32(KERAS_EPSILON)
    filtered = np.where(x_abs < eps, eps, x_abs)
    if max_value is not None:
        filtered = np.where(filtered >= F32(max_value), F32(max_value), filtered)
    q_factor = F32(2) if quadratic else F32(1)
    base = np.sqrt(filtered) if quadratic else filtered
    log2 = np.log(base) / F32(np.log(2.0))
    exponent = np.floor(log2) if log2_rounding == "floor" else _round(log2)
    clipped = q_factor * np.clip(exponent, F32(lo), F32(hi))
    return np.where(x_abs < eps, F32(lo), clipped)


@dataclass(frozen=True)
class quantized_po2(Quantizer):  # noqa: N801
    """xq = sign(x) (0 -> +1) * 2^e, e = round(log2 |x|) clipped to the exponents `bits` - 1 bits hold
    (one of them the exponent's sign unless max_value <= 1), |x| first clipped to max_value."""

    bits: int = 8
    max_value: Any = None
    quadratic_approximation: bool = False
    log2_rounding: str = "rnd"
    qnoise_factor: float = 1.0

    def quantize(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=F32)
        lo, hi = _po2_exponents(self.bits, self.max_value, self.quadratic_approximation, 1)
        e = _po2_exponent(np.abs(x), lo, hi, self.max_value, self.quadratic_approximation, self.log2_rounding)
        return _sign_one(x) * np.power(F32(2), e.astype(F32))


@dataclass(frozen=True)
class quantized_relu_po2(Quantizer):  # noqa: N801
    """xq = 2^e, e = round(log2 max(x, 0)) clipped to the exponents `bits` bits hold (one of them the
    exponent's sign unless max_value <= 1); negative_slope 0 only."""

    bits: int = 8
    max_value: Any = None
    negative_slope: float = 0.0
    quadratic_approximation: bool = False
    log2_rounding: str = "rnd"
    qnoise_factor: float = 1.0

    def quantize(self, x: np.ndarray) -> np.ndarray:
        if self.negative_slope:
            raise QuantizerError(f"{self.describe()}: a negative_slope is not supported")
        x = np.asarray(x, dtype=F32)
        lo, hi = _po2_exponents(self.bits, self.max_value, self.quadratic_approximation, 0)
        relu = np.maximum(x, F32(0))
        e = _po2_exponent(relu, lo, hi, self.max_value, self.quadratic_approximation, self.log2_rounding)
        return np.power(F32(2), e.astype(F32))


KINDS: dict[str, type[Quantizer]] = {
    cls.__name__: cls
    for cls in (
        quantized_bits,
        quantized_relu,
        quantized_tanh,
        quantized_sigmoid,
        binary,
        ternary,
        quantized_po2,
        quantized_relu_po2,
    )
}
# QKeras' own positional order of each constructor (arguments we ignore included)
POSITIONAL = {
    "quantized_bits": ["bits", "integer", "symmetric", "keep_negative", "alpha", "use_stochastic_rounding"],
    "quantized_relu": ["bits", "integer", "use_sigmoid", "negative_slope", "use_stochastic_rounding"],
    "quantized_tanh": ["bits", "use_stochastic_rounding", "symmetric", "use_real_tanh"],
    "quantized_sigmoid": ["bits", "symmetric", "use_real_sigmoid", "use_stochastic_rounding"],
    "binary": ["use_01", "alpha", "use_stochastic_rounding"],
    "ternary": ["alpha", "threshold", "use_stochastic_rounding", "number_of_unrolls"],
    "quantized_po2": ["bits", "max_value", "use_stochastic_rounding", "quadratic_approximation"],
    "quantized_relu_po2": ["bits", "max_value", "negative_slope", "use_stochastic_rounding"],
}
UNSET_OK = frozenset({"elements_per_scale", "min_po2_exponent", "max_po2_exponent", "post_training_scale"})


def _make(name: str, args: list[Any], kwargs: dict[str, Any]) -> Quantizer:
    cls = KINDS[name]
    order = POSITIONAL[name]
    if len(args) > len(order):
        raise QuantizerError(f"{name}: {len(args)} positional arguments, at most {len(order)}")
    options = dict(zip(order, args, strict=False))
    for key, value in kwargs.items():
        if key in options:
            raise QuantizerError(f"{name}: argument {key!r} given twice")
        options[key] = value
    known = {f.name for f in fields(cls)}
    values = {}
    for key, value in options.items():
        if key in known:
            values[key] = value
        elif key in Quantizer.IGNORED or (key in UNSET_OK and value is None):
            continue
        else:
            raise QuantizerError(f"{name}: option {key}={value!r} is not supported")
    return cls(**values)


def parse_quantizer(spec: Any) -> Quantizer | None:
    """The QKeras quantizer `spec` (string or serialised dict); None when `spec` is not a QKeras
    quantizer's name (a float activation such as "relu", "linear" or None)."""
    if spec is None:
        return None
    if isinstance(spec, dict):
        name, config = spec.get("class_name"), spec.get("config", {})
        if not isinstance(name, str) or not isinstance(config, dict):
            raise QuantizerError(f"cannot read quantizer {spec!r}")
        if name not in KINDS:
            if name.startswith(("quantized_", "stochastic_", "binary", "ternary", "bernoulli")):
                raise QuantizerError(f"QKeras quantizer {name!r} is not supported; supported: {', '.join(KINDS)}")
            return None
        return _make(name, [], dict(config))
    if not isinstance(spec, str):
        raise QuantizerError(f"cannot read quantizer {spec!r}")
    head = re.match(r"\s*([A-Za-z_][A-Za-z_0-9]*)", spec)
    if head is None:
        raise QuantizerError(f"cannot read quantizer {spec!r}")
    if head.group(1) not in KINDS:
        if head.group(1).startswith(("quantized_", "stochastic_", "bernoulli")) or "(" in spec:
            raise QuantizerError(f"quantizer {spec!r} is not supported; supported: {', '.join(KINDS)}")
        return None
    return _make(*parse_call(spec))
