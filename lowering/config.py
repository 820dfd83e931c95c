"""Precision and implementation settings per layer, in hls4ml's configuration format.

A configuration is a dict (from YAML, JSON, or Python) like hls4ml's:

    Model:      {Precision: {default: "ap_fixed<16,6>", result: auto}, ReuseFactor: 1, Strategy: Latency,
                 TableSize: 1024}
    LayerType:  {Dense: {Precision: {weight: "ap_fixed<8,2>"}}, Softmax: {Precision: {table: "ap_ufixed<18,1>"}}}
    LayerName:  {fc1: {Precision: {result: "ap_fixed<12,4,AP_RND,AP_SAT>", accum: auto}, ReuseFactor: 4}}

Keys are case-insensitive (`model`, `layer_name` ... work too). `Precision` is one string (every role)
or a dict of roles: `default`, `result`, `accum`, `weight`, `bias`, `table`, plus `maximum` at model
level (the widest an inferred type may be). A role's value is a precision string in hls4ml's spelling
or `auto`. The most specific setting wins: layer name, then layer type, then model; within each,
the role before `default`. Layer names are the model's node names; layer types are the kinds below.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dialects.fixedpoint import Precision, parse_precision
from dialects.names import ascii_text

AUTO = "auto"
ROLES = ("result", "accum", "weight", "bias", "table")
ROLE_ALIASES = {
    "accumulator": "accum",
    "weights": "weight",
    "biases": "bias",
    "exp_table": "table",
    "inv_table": "table",
    "output": "result",
}

# Our layer kinds, and the hls4ml class names that mean them.
LAYER_TYPES = {
    "input": "Input",
    "inputlayer": "Input",
    "dense": "Dense",
    "relu": "ReLU",
    "sigmoid": "Sigmoid",
    "tanh": "TanH",
    "softmax": "Softmax",
    "add": "Add",
    "sub": "Sub",
    "subtract": "Sub",
    "mul": "Mul",
    "multiply": "Mul",
    "conv": "Conv",
    "conv1d": "Conv",
    "conv2d": "Conv",
    "depthwiseconv1d": "Conv",
    "depthwiseconv2d": "Conv",
    "pooling": "Pooling",
    "pooling1d": "Pooling",
    "pooling2d": "Pooling",
    "globalpooling1d": "Pooling",
    "globalpooling2d": "Pooling",
    "batchnormalization": "BatchNormalization",
    "leakyrelu": "LeakyReLU",
    "prelu": "PReLU",
    "thresholdedrelu": "ThresholdedReLU",
    "hardsigmoid": "HardSigmoid",
    "clip": "Clip",
    "elu": "ELU",
    "selu": "SELU",
    "softplus": "Softplus",
}
# hls4ml's `Activation` and `Merge` layer types mean several of ours
GROUPS = {
    "activation": ("ReLU", "Sigmoid", "TanH", "ELU", "SELU", "Softplus", "HardSigmoid"),
    "merge": ("Add", "Sub", "Mul"),
}


class ConfigError(ValueError):
    """A configuration that cannot be used; the message names the key or layer at fault."""


Spec = Precision | str  # a Precision, or AUTO


@dataclass(frozen=True)
class LayerSettings:
    """Everything the passes need to know about one layer."""

    result: Spec
    accum: Spec
    weight: Spec
    bias: Spec
    table: Spec
    maximum: Precision | None = None
    table_size: int = 1024
    reuse_factor: int = 1
    strategy: str = "latency"

    def role(self, name: str) -> Spec:
        return getattr(self, name)


def parse_spec(text: Any, where: str) -> Spec:
    if not isinstance(text, str):
        raise ConfigError(f"{where}: expected a precision string or 'auto', got {text!r}")
    if text.strip().lower() == AUTO:
        return AUTO
    try:
        return parse_precision(text)
    except ValueError as err:
        raise ConfigError(f"{where}: {err}") from None


def _normal(key: Any) -> str:
    return str(key).replace("_", "").lower()


def _lower_keys(mapping: Any, where: str) -> dict[str, Any]:
    """Keys compared without case or underscores (`LayerName`, `layer_name`)."""
    if mapping is None:
        return {}
    if not isinstance(mapping, Mapping):
        raise ConfigError(f"{where}: expected a mapping, got {type(mapping).__name__}")
    return {_normal(k): v for k, v in mapping.items()}


def _as_written(mapping: Mapping[str, Any], key: str) -> str:
    """A normalised key as the user wrote it, for messages."""
    return next((str(k) for k in mapping if _normal(k) == key), key)


@dataclass
class _Level:
    """The settings given at one level (model, a layer type or a layer name)."""

    precision: dict[str, Spec] = field(default_factory=dict)  # role or "default" -> spec
    reuse_factor: int | None = None
    strategy: str | None = None
    table_size: int | None = None
    maximum: Precision | None = None

    @staticmethod
    def parse(raw: Any, where: str, model_level: bool = False) -> _Level:
        entries = _lower_keys(raw, where)
        level = _Level()
        allowed = {"precision", "reusefactor", "strategy", "tablesize"}
        for key in entries:
            if key not in allowed:
                raise ConfigError(
                    f"{where}: unknown key {_as_written(raw, key)!r}; valid: Precision, ReuseFactor, Strategy, TableSize"
                )
        precision = entries.get("precision")
        if isinstance(precision, str):
            level.precision["default"] = parse_spec(precision, f"{where}.Precision")
        elif precision is not None:
            for written, value in _lower_keys(precision, f"{where}.Precision").items():
                role = ROLE_ALIASES.get(written, written)
                if role == "maximum" and model_level:
                    spec = parse_spec(value, f"{where}.Precision.maximum")
                    if spec == AUTO:
                        raise ConfigError(f"{where}.Precision.maximum: must be a type, not auto")
                    level.maximum = spec
                    continue
                if role not in (*ROLES, "default"):
                    raise ConfigError(
                        f"{where}.Precision: unknown role {_as_written(precision, written)!r}; "
                        f"valid: default, {', '.join(ROLES)}" + (", maximum" if model_level else "")
                    )
                level.precision[role] = parse_spec(value, f"{where}.Precision.{role}")
        if "reusefactor" in entries:
            value = entries["reusefactor"]
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ConfigError(f"{where}.ReuseFactor: must be an integer >= 1, got {value!r}")
            level.reuse_factor = value
        if "strategy" in entries:
            value = str(entries["strategy"]).lower()
            if value not in ("latency", "resource"):
                raise ConfigError(f"{where}.Strategy: must be Latency or Resource, got {entries['strategy']!r}")
            level.strategy = value
        if "tablesize" in entries:
            value = entries["tablesize"]
            if not isinstance(value, int) or isinstance(value, bool) or value < 2 or value & (value - 1):
                raise ConfigError(f"{where}.TableSize: must be a power of two >= 2, got {value!r}")
            level.table_size = value
        return level


@dataclass
class PrecisionConfig:
    """A parsed configuration; `for_layer` resolves the settings of one layer."""

    model: _Level
    types: dict[str, _Level]  # canonical layer kind -> settings
    names: dict[str, _Level]  # layer name -> settings

    @staticmethod
    def uniform(precision: str = "ap_fixed<16,6>", **model: Any) -> PrecisionConfig:
        return PrecisionConfig.from_dict({"Model": {"Precision": precision, **model}})

    @staticmethod
    def from_dict(raw: Mapping[str, Any]) -> PrecisionConfig:
        top = _lower_keys(raw, "config")
        for key in top:
            if key not in ("model", "layertype", "layername"):
                raise ConfigError(
                    f"config: unknown section {_as_written(raw, key)!r}; valid: Model, LayerType, LayerName"
                )
        model = _Level.parse(top.get("model"), "Model", model_level=True)
        types: dict[str, _Level] = {}
        for name, raw_level in (top.get("layertype") or {}).items():
            canonical = str(name).lower()
            kinds = GROUPS.get(canonical, (LAYER_TYPES.get(canonical),))
            if kinds == (None,):
                valid = sorted({*LAYER_TYPES.values(), "Activation", "Merge"})
                raise ConfigError(f"LayerType: unknown layer type {name!r}; valid: {', '.join(valid)}")
            for kind in kinds:
                types[kind] = _Level.parse(raw_level, f"LayerType.{name}")
        # node names are kept in ASCII form in the IR (names.ascii_text): the user may write either
        names = {ascii_text(str(n)): _Level.parse(v, f"LayerName.{n}") for n, v in (top.get("layername") or {}).items()}
        return PrecisionConfig(model, types, names)

    @staticmethod
    def load(source: str | Path | Mapping[str, Any] | None, default_precision: str) -> PrecisionConfig:
        """From a dict, a YAML/JSON file, or inline JSON text; `default_precision` fills Model.Precision."""
        if source is None:
            raw: dict[str, Any] = {}
        elif isinstance(source, Mapping):
            raw = dict(source)
        else:
            text = str(source)
            if text.lstrip().startswith("{"):
                raw = _parse_text(text, "inline config")
            else:
                path = Path(text)
                if not path.is_file():
                    raise ConfigError(f"config file {path}: no such file")
                raw = _parse_text(path.read_text(), str(path))
        config = PrecisionConfig.from_dict(raw)
        config.model.precision.setdefault("default", parse_spec(default_precision, "precision"))
        return config

    def check_names(self, layer_names: Iterable[str]) -> None:
        """Every configured layer name must exist in the model."""
        known = list(dict.fromkeys(layer_names))
        for name in self.names:
            if name not in known:
                raise ConfigError(f"LayerName: no layer named {name!r} in the model; layers: {', '.join(known)}")

    def for_layer(self, name: str | None, kind: str) -> LayerSettings:
        levels = [lvl for lvl in (self.names.get(name or ""), self.types.get(kind), self.model) if lvl is not None]

        def pick(attribute: str, default: Any) -> Any:
            return next((getattr(lvl, attribute) for lvl in levels if getattr(lvl, attribute) is not None), default)

        def role(role_name: str, fallback: Spec) -> Spec:
            for lvl in levels:
                if role_name in lvl.precision:
                    return lvl.precision[role_name]
                if "default" in lvl.precision and role_name not in ("accum", "table"):
                    return lvl.precision["default"]
            return fallback

        default = self.model.precision.get("default", AUTO)
        return LayerSettings(
            result=role("result", default),
            accum=role("accum", AUTO),  # accumulators are exact unless a type is asked for
            weight=role("weight", default),
            bias=role("bias", default),
            table=role("table", AUTO),  # tables are sized from their input's range unless asked
            maximum=self.model.maximum,
            table_size=pick("table_size", 1024),
            reuse_factor=pick("reuse_factor", 1),
            strategy=pick("strategy", "latency"),
        )


def _parse_text(text: str, where: str) -> dict[str, Any]:
    try:
        if text.lstrip().startswith("{"):
            data = json.loads(text)
        else:
            import yaml

            data = yaml.safe_load(text)
    except Exception as err:
        raise ConfigError(f"{where}: cannot parse ({' '.join(str(err).split())[:200]})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a mapping at the top level")
    return data
