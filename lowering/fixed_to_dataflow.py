"""fixed-to-dataflow: organise a fixed-point function into a hardware design of kernels.

Takes: `func.func @f` as nn-to-fixed leaves it: `fixed.quantize` of the float arguments, fixed ops
tagged with their `layer`, `fixed.dequantize` of the results.
Gives:
- `func.func @f` with `dataflow.io_type`: the device. Its arguments are the quantised inputs, its
  results the fixed-point outputs, and its body one `dataflow.kernel` per layer (the layer's ops in
  order, with private copies of the constants they use), joined by tensors (arrays in io_parallel).
- `func.func @f_host`: the float function the host runs: quantize, `func.call @f`, dequantize, with
  the layout transposes at the design's edges (channels-first inputs made channels-last) on the host.
Each kernel records the `layer_type` of its ops (written by nn-to-fixed) and the reuse factor and
strategy its configuration gives that layer name and type (a setting that reaches no kernel is an
error). Kernels that multiply get the reuse factor R; others get 1. Any R >= 1 is exact: a layer of
W multiplications gets ceil(W / R) multipliers and R rounds (II = R), the last round partial when R
does not divide W. The device records how its top runs the kernels (`dataflow.top`): "dataflow" in
io_stream, when a kernel has the resource strategy or when one runs a time loop (a recurrence), else "pipeline" with `dataflow.ii` the largest
reuse factor. The arithmetic is untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import IntegerAttr, ModuleOp, StringAttr, i64
from xdsl.ir import Block, Operation, Region, SSAValue
from xdsl.passes import ModulePass

from dialects import fixed, layout
from dialects.dataflow import (
    II_ATTR,
    IO_TYPE_ATTR,
    TOP_ATTR,
    IOType,
    IOTypeAttr,
    KernelOp,
    Strategy,
    TopKind,
    YieldOp,
)
from dialects.error_bounds import ERROR_BUDGET_ATTR, WIDTH_LIMITED_ATTR
from dialects.errors import CompileError
from dialects.interfaces import REUSE_FACTOR, STRATEGY, CostModel, Requantizes
from dialects.layer import LayerOp
from dialects.names import UniqueNames, suffixed
from dialects.nn_quant import QuantOp
from lowering.config import ConfigError, LayerInfo, PrecisionConfig

QUANT = QuantOp.LAYER_TYPE
HOST_SUFFIX = "_host"


def host_name(design: str) -> str:
    return suffixed(design, HOST_SUFFIX.lstrip("_"))


@dataclass
class Group:
    layer: str | None
    ops: list[Operation]

    @property
    def layer_type(self) -> str | None:
        """The layer type nn-to-fixed recorded on the group's ops (the first one that has it)."""
        return next((op.layer_type.data for op in self.ops if isinstance(op, LayerOp) and op.layer_type), None)

    @property
    def multiplies(self) -> bool:
        return any(isinstance(op, CostModel) and op.cost().macs for op in self.ops)


def is_output_stage_of(group: Group, previous: Group) -> bool:
    """`group` is a quantizer that only requantizes what `previous` produces for it alone (a QONNX
    quantizer after a layer): it becomes that layer's output stage rather than a process of its own.
    A layer a configuration can name by its type (a Clip) stays a kernel of its own."""
    if group.layer_type not in (None, QUANT) or not all(op.has_trait(Requantizes) for op in group.ops):
        return False
    inside, before = set(group.ops), set(previous.ops)
    for op in group.ops:
        for operand in op.operands:
            if operand.owner in inside or isinstance(operand.owner, fixed.ConstantOp):
                continue
            if operand.owner not in before or any(u.operation not in inside for u in operand.uses):
                return False
    return True


def group_by_layer(ops: list[Operation]) -> list[Group]:
    """Consecutive ops with the same layer form one group (constants join the group that follows);
    a group that only requantizes the previous group's result joins it."""
    groups: list[Group] = []
    for op in ops:
        if isinstance(op, fixed.ConstantOp):
            continue
        layer = op.properties.get("layer")
        key = layer.data if layer is not None else None
        if groups and key is not None and groups[-1].layer == key:
            groups[-1].ops.append(op)
        else:
            groups.append(Group(key, [op]))
    merged: list[Group] = []
    for group in groups:
        if merged and is_output_stage_of(group, merged[-1]):
            merged[-1].ops.extend(group.ops)
        else:
            merged.append(group)
    return merged


def build_kernel(
    group: Group, mapping: dict[SSAValue, SSAValue], name: str, reuse: int, strategy: Strategy
) -> KernelOp:
    """A kernel holding clones of `group.ops`; `mapping` maps outer values to the design's values."""
    inside = set(group.ops)
    inputs: list[SSAValue] = []
    for op in group.ops:
        for operand in op.operands:
            owner = operand.owner
            if owner not in inside and not isinstance(owner, fixed.ConstantOp) and operand not in inputs:
                inputs.append(operand)
    outputs = [r for op in group.ops for r in op.results if any(u.operation not in inside for u in r.uses)]

    block = Block(arg_types=[v.type for v in inputs])
    local: dict[SSAValue, SSAValue] = dict(zip(inputs, block.args))
    for op in group.ops:
        for operand in op.operands:
            if isinstance(operand.owner, fixed.ConstantOp) and operand not in local:
                const = operand.owner.clone()
                block.add_op(const)
                local[operand] = const.result
        block.add_op(op.clone(value_mapper=local))
    block.add_op(YieldOp(*[local[v] for v in outputs]))

    kernel = KernelOp(
        name,
        [mapping[v] for v in inputs],
        [v.type for v in outputs],
        Region(block),
        reuse if group.multiplies else 1,
        strategy,
        group.layer,
        group.layer_type,
    )
    for value, result in zip(outputs, kernel.outputs):
        mapping[value] = result
    return kernel


def insert_forks(block: Block, names: UniqueNames) -> None:
    """io_stream: a stream has one reader, so a value used more than once (by kernels, or by a
    kernel and the design's outputs) is copied by a fork kernel into one stream per use."""
    values = list(block.args) + [r for op in block.ops if isinstance(op, KernelOp) for r in op.outputs]
    order = {op: i for i, op in enumerate(block.ops)}
    for value in values:
        uses = sorted(value.uses, key=lambda use: (order[use.operation], use.index))  # fork_out0: first reader
        if len(uses) < 2:
            continue
        inner = Block(arg_types=[value.type])
        inner.add_op(YieldOp(*[inner.args[0]] * len(uses)))
        fork = KernelOp(names.take("fork", "fork"), [value], [value.type] * len(uses), Region(inner))
        owner = value.owner
        if isinstance(owner, Block):
            block.insert_op_before(fork, block.first_op)
        else:
            block.insert_op_after(fork, owner)
        for use, copy in zip(uses, fork.outputs):
            use.operation.operands[use.index] = copy


def host_edges(
    block: Block, function: func.FuncOp
) -> tuple[list[list[Operation]], list[list[Operation]], list[SSAValue]]:
    """The host's ops on each input (its quantize, and a transpose that only the quantized input
    feeds) and on each output (a transpose that only the output reads, and its dequantize), and the
    device values at the outputs. Layout conversions at the edges cost nothing on the host."""
    ops = list(block.ops)
    by_arg = {op.input: op for op in ops if isinstance(op, fixed.QuantizeOp) and op.input in block.args}
    if len(by_arg) != len(block.args):
        raise CompileError(f"fixed-to-dataflow: every argument of @{function.sym_name.data} must be quantized")
    inputs = []
    for arg in block.args:
        edge: list[Operation] = [by_arg[arg]]
        use = by_arg[arg].output.first_use
        if by_arg[arg].output.has_one_use() and isinstance(use.operation, layout.TransposeOp):
            edge.append(use.operation)
        inputs.append(edge)
    ret = block.last_op
    if not isinstance(ret, func.ReturnOp) or not all(isinstance(v.owner, fixed.DequantizeOp) for v in ret.arguments):
        raise CompileError(f"fixed-to-dataflow: function @{function.sym_name.data} is not at the fixed level")
    outputs, results = [], []
    taken = {op for edge in inputs for op in edge}
    for value in ret.arguments:
        edge = [value.owner]
        source = value.owner.input
        owner = source.owner
        if isinstance(owner, layout.TransposeOp) and source.has_one_use() and owner not in taken:
            edge.insert(0, source.owner)
            source = source.owner.input
        outputs.append(edge)
        results.append(source)
    return inputs, outputs, results


def split_function(
    function: func.FuncOp, io_type: IOType, settings: Callable[[Group], tuple[int, Strategy]]
) -> list[func.FuncOp]:
    block = function.body.block
    inputs, outputs, results = host_edges(block, function)
    edge_ops = {op for edge in [*inputs, *outputs] for op in edge}
    body_ops = [op for op in block.ops if op not in edge_ops and op is not block.last_op]

    design_name = function.sym_name.data
    ports = [edge[-1].results[0] for edge in inputs]
    device_block = Block(arg_types=[p.type for p in ports])
    mapping: dict[SSAValue, SSAValue] = dict(zip(ports, device_block.args))
    names = UniqueNames({design_name, host_name(design_name)})
    for group in group_by_layer(body_ops):
        label = group.layer or group.ops[0].name.split(".")[-1]
        reuse, strategy = settings(group)
        kernel = build_kernel(group, mapping, names.take(label, "layer"), reuse, strategy)
        device_block.add_op(kernel)
    device_block.add_op(func.ReturnOp(*[mapping[v] for v in results]))
    if io_type == IOType.IO_STREAM:
        insert_forks(device_block, names)
    device = func.FuncOp(
        design_name, ([a.type for a in device_block.args], [v.type for v in results]), Region(device_block)
    )
    device.attributes[IO_TYPE_ATTR] = IOTypeAttr(io_type)
    for name in (ERROR_BUDGET_ATTR, WIDTH_LIMITED_ATTR):  # what infer-bitwidths chose, for the report
        if name in function.attributes:
            device.attributes[name] = function.attributes[name]
    kernels = [op for op in device_block.ops if isinstance(op, KernelOp)]
    if (
        io_type == IOType.IO_STREAM
        or any(Strategy(k.strategy.data) == Strategy.RESOURCE for k in kernels)
        or any(k.repeats() > 1 for k in kernels)  # a time loop: a process of its own, never unrolled
    ):
        device.attributes[TOP_ATTR] = StringAttr(TopKind.DATAFLOW)
    else:
        device.attributes[TOP_ATTR] = StringAttr(TopKind.PIPELINE)
        device.attributes[II_ATTR] = IntegerAttr(max((k.reuse for k in kernels), default=1), i64)

    host_block = Block(arg_types=[a.type for a in block.args])
    host_map: dict[SSAValue, SSAValue] = dict(zip(block.args, host_block.args))
    for edge in inputs:
        for op in edge:
            host_block.add_op(op.clone(value_mapper=host_map))
    call = func.CallOp(design_name, [host_map[p] for p in ports], device.function_type.outputs.data)
    host_block.add_op(call)
    host_map.update(zip(results, call.results))
    for edge in outputs:
        for op in edge:
            host_block.add_op(op.clone(value_mapper=host_map))
    host_block.add_op(func.ReturnOp(*[host_map[edge[-1].results[0]] for edge in outputs]))
    host = func.FuncOp(host_name(design_name), function.function_type, Region(host_block))
    return [device, host]


def fixed_layers(module: ModuleOp) -> list[LayerInfo]:
    """The layers of a fixed-level module as the configuration sees them here: every layer takes a
    strategy, the ones that multiply a reuse factor."""
    groups: dict[str, Group] = {}
    for op in module.walk():
        if op.dialect_name() in ("fixed", "layout") and isinstance(op, LayerOp) and op.layer_name is not None:
            groups.setdefault(op.layer_name, Group(op.layer_name, [])).ops.append(op)
    return [
        LayerInfo(name, group.layer_type, frozenset({STRATEGY, REUSE_FACTOR} if group.multiplies else {STRATEGY}))
        for name, group in groups.items()
    ]


@dataclass(frozen=True)
class FixedToDataflowPass(ModulePass):
    name = "fixed-to-dataflow"

    io_type: str = "io_parallel"
    reuse_factor: int = 1
    strategy: str = "latency"
    config: str = ""  # per-layer ReuseFactor and Strategy (lowering/config.py)
    # in-process: the parsed configuration (`FixedToDataflowPass.configured`), instead of the text options
    configuration: PrecisionConfig | None = field(default=None, init=False, compare=False, repr=False)

    @staticmethod
    def configured(configuration: PrecisionConfig, io_type: str) -> FixedToDataflowPass:
        """The pass with a parsed configuration (its Model section holds the default reuse factor
        and strategy): how the compiler's pipeline runs it."""
        configured = FixedToDataflowPass(io_type=io_type)
        object.__setattr__(configured, "configuration", configuration)
        return configured

    def load(self) -> PrecisionConfig:
        """The configuration from the text options (errors name the pass)."""
        try:
            strategy = Strategy(self.strategy.lower())
        except ValueError:
            raise CompileError(
                f"fixed-to-dataflow: unknown strategy {self.strategy!r}; valid: {', '.join(s.value for s in Strategy)}"
            ) from None
        if self.reuse_factor < 1:
            raise CompileError(f"fixed-to-dataflow: reuse factor must be at least 1, got {self.reuse_factor}")
        try:
            return PrecisionConfig.load(
                self.config or None, "auto", reuse_factor=self.reuse_factor, strategy=strategy.value
            )
        except ConfigError as err:
            raise CompileError(f"fixed-to-dataflow: {err}") from None

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        try:
            io_type = IOType(self.io_type)
        except ValueError:
            raise CompileError(
                f"fixed-to-dataflow: unknown io-type {self.io_type!r}; valid: {', '.join(t.value for t in IOType)}"
            ) from None
        config = self.configuration or self.load()
        try:
            config.check_applies(fixed_layers(op), frozenset({REUSE_FACTOR, STRATEGY}))
        except ConfigError as err:
            raise CompileError(f"fixed-to-dataflow: {err}") from None

        def settings(group: Group) -> tuple[int, Strategy]:
            chosen = config.for_layer(group.layer, group.layer_type)
            return chosen.reuse_factor, Strategy(chosen.strategy)

        for function in [f for f in op.body.block.ops if isinstance(f, func.FuncOp)]:
            if IO_TYPE_ATTR in function.attributes or function.sym_name.data.endswith(HOST_SUFFIX):
                continue
            new = split_function(function, io_type, settings)
            op.body.block.insert_ops_before(new, function)
            function.detach()
            function.erase(safe_erase=False)
