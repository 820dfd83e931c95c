"""Shape checks of sliding-window ops, shared by the nn and fixed dialects (same rules at both levels)."""

from __future__ import annotations

from xdsl.utils.exceptions import VerifyException

from dialects.layer import ints
from dialects.shapes import window_output_shape


def verify_conv(op, tensor_check) -> None:
    """Shapes of a convolution (shared by nn.conv and fixed.conv)."""
    x = tensor_check(op.input.type, f"{op.name} input").get_shape()
    w = tensor_check(op.weight.type, f"{op.name} weight").get_shape()
    y = tensor_check(op.output.type, f"{op.name} result").get_shape()
    rank = len(x) - 1
    groups = op.groups.value.data
    if rank not in (1, 2) or len(w) != rank + 2:
        raise VerifyException(
            f"{op.name}: input {list(x)} and weight {list(w)} must be [*spatial, C] and [*kernel, C/groups, O]"
        )
    if groups < 1 or x[-1] % groups or w[-1] % groups or w[-2] * groups != x[-1]:
        raise VerifyException(f"{op.name}: {x[-1]} input channels, {groups} groups and weight {list(w)} do not match")
    try:
        out = window_output_shape(x[:-1], w[:-2], ints(op.strides), ints(op.pads), ints(op.dilations))
    except ValueError as err:
        raise VerifyException(f"{op.name}: {err}") from None
    if list(y) != [*out, w[-1]]:
        raise VerifyException(f"{op.name} result must have shape {[*out, w[-1]]}, got {list(y)}")
    if op.bias is not None and list(tensor_check(op.bias.type, f"{op.name} bias").get_shape()) != [w[-1]]:
        raise VerifyException(f"{op.name} bias must have shape [{w[-1]}]")


def verify_pool(op, tensor_check) -> None:
    """Shapes of a pooling window (shared by nn and fixed)."""
    x = tensor_check(op.input.type, f"{op.name} input").get_shape()
    y = tensor_check(op.output.type, f"{op.name} result").get_shape()
    if len(x) not in (2, 3):
        raise VerifyException(f"{op.name} input must be [*spatial, channels] with 1 or 2 spatial axes, got {list(x)}")
    kernel = ints(op.kernel)
    try:
        out = window_output_shape(x[:-1], kernel, ints(op.strides), ints(op.pads), [1] * len(kernel))
    except ValueError as err:
        raise VerifyException(f"{op.name}: {err}") from None
    if list(y) != [*out, x[-1]]:
        raise VerifyException(f"{op.name} result must have shape {[*out, x[-1]]}, got {list(y)}")
