"""What every nn, layout and fixed op shares: the model layer it comes from.

`layer` is the model's node name (kernel names, per-layer settings and reports refer to it) and
`layer_type` the kind of layer a configuration's `LayerType` section names (`Dense`, `Conv`, ...),
which nn-to-fixed writes on the fixed ops of each layer (an nn op's class says its type).
"""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.dialects.builtin import DenseArrayBase, StringAttr, i64
from xdsl.ir import Attribute, Operation
from xdsl.irdl import IRDLOperation, ParsePropInAttrDict, opt_prop_def

LAYER_PROPERTIES = ("layer", "layer_type")


class LayerOp(IRDLOperation):
    """Base of ops that carry `layer` (and `layer_type`), printed in the attribute dictionary
    (`{layer = "fc1", layer_type = "Dense"}`)."""

    layer = opt_prop_def(StringAttr)
    layer_type = opt_prop_def(StringAttr)
    irdl_options = (ParsePropInAttrDict(),)

    @property
    def layer_name(self) -> str | None:
        return self.layer.data if self.layer is not None else None

    def copy_layer_to(self, *ops: Operation) -> None:
        """Give `ops` this op's layer name and type (ops built in its place)."""
        for op in ops:
            for key in LAYER_PROPERTIES:
                if key in self.properties and isinstance(op, LayerOp):
                    op.properties[key] = self.properties[key]


def layer_props(layer: str | None, **props: Attribute) -> dict[str, Attribute]:
    """Properties for an op's constructor, with `layer` when there is one."""
    if layer is not None:
        props["layer"] = StringAttr(layer)
    return props


def i64_array(values: Sequence[int]) -> DenseArrayBase:
    return DenseArrayBase.from_list(i64, [int(v) for v in values])


def ints(attr: DenseArrayBase) -> tuple[int, ...]:
    return tuple(int(v) for v in attr.get_values())
