"""What every nn and fixed op shares: the optional `layer` name of the model node it comes from."""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.dialects.builtin import DenseArrayBase, StringAttr, i64
from xdsl.ir import Attribute
from xdsl.irdl import IRDLOperation, ParsePropInAttrDict, opt_prop_def


class LayerOp(IRDLOperation):
    """Base of ops that carry `layer`, printed in the attribute dictionary (`{layer = "fc1"}`)."""

    layer = opt_prop_def(StringAttr)
    irdl_options = (ParsePropInAttrDict(),)


def layer_props(layer: str | None, **props: Attribute) -> dict[str, Attribute]:
    """Properties for an op's constructor, with `layer` when there is one."""
    if layer is not None:
        props["layer"] = StringAttr(layer)
    return props


def i64_array(values: Sequence[int]) -> DenseArrayBase:
    return DenseArrayBase.from_list(i64, [int(v) for v in values])


def ints(attr: DenseArrayBase) -> tuple[int, ...]:
    return tuple(int(v) for v in attr.get_values())
