"""Precision and implementation settings per layer, in hls4ml's configuration format.

A configuration is a dict (from YAML, JSON, or Python) like hls4ml's:

    Model:      {Precision: {default: "ap_fixed<16,6>", result: auto}, ReuseFactor: 1, Strategy: Latency,
                 TableSize: 1024}
    LayerType:  {Dense: {Precision: {weight: "ap_fixed<8,2>"}}, Softmax: {Precision: {table: "ap_ufixed<18,1>"}}}
    LayerName:  {fc1: {Precision: {result: "ap_fixed<12,4,AP_RND,AP_SAT>", accum: auto}, ReuseFactor: 4}}

Keys are case-insensitive (`model`, `layer_name` ... work too). `Precision` is one string (every role)
or a dict of roles: `default`, `result`, `accum`, `weight`, `bias`, `table`, plus at model level `maximum`
(the widest type `auto` may choose; DEFAULT_MAXIMUM when not given) and `error` (the error budget of
`auto` on a float model: the most any output may differ from the float model's, see
lowering/error_budget.py). A role's value is a precision string in hls4ml's spelling
or `auto`. The most specific setting wins: layer name, then layer type, then model; within each,
the role before `default`. Layer names are the model's node names; layer types are the kinds below
(what an nn op's `Layer` interface names).

A configuration applies or is refused: `check_applies` fails, naming the entry and the layers that
exist, when a `LayerName` names no layer, a `LayerType` reaches no layer, or a setting reaches no
layer that uses it (a ReuseFactor on ReLU layers, which do no multiplications).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from dialects.fixedpoint import Precision, parse_precision
from dialects.interfaces import ACCUM, BIAS, RESULT, REUSE_FACTOR, STRATEGY, TABLE, TABLE_SIZE, WEIGHT, Layer
from dialects.names import ascii_text
from dialects.nn import NN

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

INPUT = "Input"  # the graph's inputs: their precision
DEFAULT_MAXIMUM = "ap_fixed<48,24>"  # its width bounds `auto` types: 48 bits, a DSP slice's accumulator


def _layer_classes() -> list[type[Layer]]:
    return [op for op in (*NN.operations,) if issubclass(op, Layer)]


# The layer types: what the nn ops' `Layer` interface names (case-insensitive here), plus hls4ml's
# other spellings of them.
LAYER_TYPES = {t.lower(): t for op in _layer_classes() for t in op.layer_types()} | {
    "input": INPUT,
    "inputlayer": INPUT,
    "conv1d": "Conv",
    "conv2d": "Conv",
    "depthwiseconv1d": "Conv",
    "depthwiseconv2d": "Conv",
    "pooling1d": "Pooling",
    "pooling2d": "Pooling",
    "globalpooling1d": "Pooling",
    "globalpooling2d": "Pooling",
    "subtract": "Sub",
    "multiply": "Mul",
}
LAYER_TYPES.pop("quant")  # a quantizer's types are the model's: no setting applies to it
# hls4ml's `Activation` and `Merge` layer types mean several of ours (the ops' `GROUP`)
GROUPS = {
    group.lower(): tuple(dict.fromkeys(t for op in _layer_classes() if op.GROUP == group for t in op.layer_types()))
    for group in ("Activation", "Merge")
}


class ConfigError(ValueError):
    """A configuration that cannot be used; the message names the key or layer at fault."""


@dataclass(frozen=True)
class LayerInfo:
    """A layer of the model as a configuration sees it: its name, its type (None for layers no
    LayerType names: reshapes, transposes) and the settings it uses (dialects/interfaces.py names)."""

    name: str
    layer_type: str | None
    settings: frozenset[str]

    def __str__(self) -> str:
        return f"{self.name} ({self.layer_type})" if self.layer_type else self.name


# How a setting is written in a configuration (for messages)
SETTING_NAMES = {
    RESULT: "Precision.result",
    ACCUM: "Precision.accum",
    WEIGHT: "Precision.weight",
    BIAS: "Precision.bias",
    TABLE: "Precision.table",
    REUSE_FACTOR: "ReuseFactor",
    STRATEGY: "Strategy",
    TABLE_SIZE: "TableSize",
}
DEFAULT_ROLES = frozenset({RESULT, WEIGHT, BIAS})  # what `Precision.default` (or a string) sets


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
    budgeted: bool = False  # `auto` types meet an error budget (a float model): their steps are still open

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
    error: float | None = None

    def settings(self) -> list[tuple[str, frozenset[str]]]:
        """What this level sets: (the setting's name in messages, the layer settings that use it)."""
        out = []
        for role in self.precision:
            if role == "default":
                out.append(("Precision.default", DEFAULT_ROLES))
            else:
                out.append((SETTING_NAMES[role], frozenset({role})))
        for key, value in ((REUSE_FACTOR, self.reuse_factor), (STRATEGY, self.strategy), (TABLE_SIZE, self.table_size)):
            if value is not None:
                out.append((SETTING_NAMES[key], frozenset({key})))
        return out

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
                if role == "error" and model_level:
                    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < float("inf"):
                        raise ConfigError(f"{where}.Precision.error: must be a positive number, got {value!r}")
                    level.error = float(value)
                    continue
                if role == "maximum" and model_level:
                    spec = parse_spec(value, f"{where}.Precision.maximum")
                    if spec == AUTO:
                        raise ConfigError(f"{where}.Precision.maximum: must be a type, not auto")
                    level.maximum = spec
                    continue
                if role not in (*ROLES, "default"):
                    raise ConfigError(
                        f"{where}.Precision: unknown role {_as_written(precision, written)!r}; "
                        f"valid: default, {', '.join(ROLES)}" + (", maximum, error" if model_level else "")
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
    type_entries: list[tuple[str, tuple[str, ...], _Level]] = field(default_factory=list)  # as written
    budgeted: bool = False  # set for a float model with `auto` types (the pipeline): see LayerSettings

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
        entries = []
        for name, raw_level in (top.get("layertype") or {}).items():
            canonical = str(name).lower()
            kinds = GROUPS.get(canonical, (LAYER_TYPES.get(canonical),))
            if kinds == (None,):
                valid = sorted({*LAYER_TYPES.values(), "Activation", "Merge"})
                raise ConfigError(f"LayerType: unknown layer type {name!r}; valid: {', '.join(valid)}")
            level = _Level.parse(raw_level, f"LayerType.{name}")
            entries.append((str(name), kinds, level))
            for kind in kinds:
                types[kind] = level
        # node names are kept in ASCII form in the IR (names.ascii_text): the user may write either
        names = {ascii_text(str(n)): _Level.parse(v, f"LayerName.{n}") for n, v in (top.get("layername") or {}).items()}
        return PrecisionConfig(model, types, names, entries)

    @staticmethod
    def load(
        source: str | Path | Mapping[str, Any] | PrecisionConfig | None,
        default_precision: str,
        *,
        table_size: int | None = None,
        reuse_factor: int | None = None,
        strategy: str | None = None,
    ) -> PrecisionConfig:
        """From a dict, a YAML/JSON file, inline JSON text or a parsed configuration, with the Model
        settings it leaves unset taken from the arguments (the command-line flags): the Model
        section wins over them. A parsed configuration given is not changed."""
        if table_size is not None and (table_size < 2 or table_size & (table_size - 1)):
            raise ConfigError(f"table-size must be a power of two >= 2, got {table_size}")
        if isinstance(source, PrecisionConfig):
            config = replace(source, model=replace(source.model, precision=dict(source.model.precision)))
        else:
            config = PrecisionConfig.from_dict(_read(source))
        model = config.model
        model.precision.setdefault("default", parse_spec(default_precision, "precision"))
        model.table_size = model.table_size if model.table_size is not None else table_size
        model.reuse_factor = model.reuse_factor if model.reuse_factor is not None else reuse_factor
        model.strategy = model.strategy if model.strategy is not None else strategy
        return config

    def check_names(self, layer_names: Iterable[str]) -> None:
        """Every configured layer name must exist in the model."""
        known = list(dict.fromkeys(layer_names))
        for name in self.names:
            if name not in known:
                raise ConfigError(f"LayerName: no layer named {name!r} in the model; layers: {', '.join(known)}")

    def check_applies(self, layers: Sequence[LayerInfo], keys: frozenset[str] | None = None) -> None:
        """Every LayerName and LayerType entry must reach a layer, and each setting it makes (of
        `keys`, the ones the caller applies; all when None) a layer that uses it."""
        self.check_names(layer.name for layer in layers)
        by_name = {layer.name: layer for layer in layers}

        def users(setting: frozenset[str], among: Iterable[LayerInfo]) -> list[LayerInfo]:
            return [layer for layer in among if layer.settings & setting]

        def applied(level: _Level) -> list[tuple[str, frozenset[str]]]:
            return [(name, used) for name, used in level.settings() if keys is None or used & keys]

        for name, level in self.names.items():
            layer = by_name[name]
            for setting, used in applied(level):
                if not users(used, [layer]):
                    takers = ", ".join(map(str, users(used, layers))) or "none"
                    raise ConfigError(
                        f"LayerName.{name}.{setting}: layer {layer} does not use it; the layers that do: {takers}"
                    )
        for written, kinds, level in self.type_entries:
            settings = applied(level)
            if not settings:
                continue
            of_type = [layer for layer in layers if layer.layer_type in kinds]
            if not of_type:
                present = ", ".join(map(str, layers))
                raise ConfigError(
                    f"LayerType.{written}: no layer of type {' or '.join(kinds)} in the model; layers: {present}"
                )
            for setting, used in settings:
                if not users(used, of_type):
                    takers = ", ".join(map(str, users(used, layers))) or "none"
                    raise ConfigError(
                        f"LayerType.{written}.{setting}: no {written} layer uses it; the layers that do: {takers}"
                    )

    def for_layer(self, name: str | None, kind: str | None) -> LayerSettings:
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
            maximum=self.maximum,
            table_size=pick("table_size", 1024),
            reuse_factor=pick("reuse_factor", 1),
            strategy=pick("strategy", "latency"),
            budgeted=self.budgeted,
        )

    @property
    def maximum(self) -> Precision:
        """The widest type `auto` may choose (Model.Precision.maximum, else DEFAULT_MAXIMUM). The default
        bounds a float model's error-budgeted `auto`; a quantized model's exact types are bounded
        only by a maximum that is asked for."""
        return self.model.maximum or parse_precision(DEFAULT_MAXIMUM)


def _read(source: str | Path | Mapping[str, Any] | None) -> dict[str, Any]:
    if source is None:
        return {}
    if isinstance(source, Mapping):
        return dict(source)
    text = str(source)
    if text.lstrip().startswith("{"):
        return _parse_text(text, "inline config")
    path = Path(text)
    if not path.is_file():
        raise ConfigError(f"config file {path}: no such file")
    return _parse_text(path.read_text(), str(path))


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
