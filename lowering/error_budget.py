"""Error-budgeted `auto`: the steps of a float model's `auto` types, chosen to cost least while the
certified bound on every output stays within a budget.

A float model's weights are already rounded: `auto` has no exactness to keep, and exact fraction bits
grow by a weight's worth with every layer. Under a budget, nn-to-fixed leaves the step of each `auto`
choice open (a *site*: a layer's result cast, a weight/bias/scale constant, a table's entries, all
marked `infer`), and infer-bitwidths asks `fit_budget` for one fraction count per site:

- the integer bits stay what the ranges prove (or what calibration saw, plus its margin);
- every type of the design, accumulators included, is at most `maximum` bits wide;
- the first-order part of the certified bound (lowering/error_bounds.py) on |design - float model|
  of every output element is at most the budget, for all inputs within the input types' ranges
  (the whole bound adds products of errors and the jumps where a comparison may flip, which the
  report prints too);
- the cost figure (multiplier bits + adder bits, the report's) is as small as this method finds.

The method. The bound's first-order part is linear in the sites' own errors, 2^-(f+1) for a
rounding at f fraction bits: one analysis with a row per site gives each site's weight s_i (how much
of its error reaches each output). Costs come from the ops' own `cost` at the types an allocation
implies (a "shadow" of the design: integer bits held, steps derived by each op's exact rule), so
the marginal cost c_i of a site's bit is cheap to weigh. A Lagrangian allocation (minimise sum c_i f_i
subject to sum s_i 2^-(f_i+1) <= budget gives each site an error share proportional to c_i, so
f_i = log2(s_i / (2 share_i))), rounded up and clipped to the widths allowed, then a greedy pass
that spends what rounding up left, bit by bit on the site that saves most cost per unit of bound.
Costs are bilinear in the widths (operand width times operand width), so this repeats with the new
marginal costs. Values wider than the maximum make the sites that set their step coarser; where
sites share a width (an accumulator holds its input's and its weights' fraction bits) and the split
misses the budget, a repair moves bits, one at a time, to the site that lowers the bound most. Then
the exact check: the design at those steps is inferred and its first-order bound computed at its
own ranges; if it exceeds the budget the allocation is redone against a proportionally smaller
target. Why Lagrangian then greedy: the closed form places the bits in one step (a greedy search
from the finest design needs a step per bit per site), and the greedy pass repairs what integer bits
and shared costs make it miss.

The default budget is the bound of the design with every site at the fraction bits of the model's
default precision (10 for ap_fixed<16,6>), or as near as the maximum width allows: the larger of
what the allocator weighs (every rounding at its worst) and what that design's own analysis gives,
so that those steps always meet it. Under a budget no looser than the default no site rounds
coarser than the default's step (the worst case overstates how early errors grow, and would let late
layers round coarsely) unless the widths leave no other way; `auto` is never certified worse than
rounding everywhere at the default's step, and never overflows where the default saturates.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from xdsl.dialects import func
from xdsl.ir import Operation, SSAValue

from dialects import fixed, layout
from dialects.error_bounds import ErrorMode
from dialects.errors import CompileError
from dialects.fixed_types import format_if_fixed, is_fixed
from dialects.fixedpoint import FixedFormat, join_format
from dialects.interfaces import CostModel, ExactResult, Formats, SameFormatAsInput
from lowering.error_bounds import bound_errors, output_bounds
from lowering.ranges import analyze

Fracs = dict[int, int]  # site index -> fraction bits
Infer = Callable[[func.FuncOp, dict[Operation, int]], None]  # infer-bitwidths with these steps

MAX_ROUNDS = 8
NOTABLY_COARSER = 4  # fraction bits below the default's that `fit_budget` reports (16 times its step)
FIRST_ORDER = ErrorMode(linear=True)


@dataclass
class Site:
    """An `auto` choice whose step the budget sets."""

    op: Operation
    kind: str  # "result", "constant" or "table"
    int_bits: int = 0  # what the finest design proves
    signed: bool = True
    finest: int = 0  # the most fraction bits allowed (its own width within the maximum)
    coarsest: int = 0  # the fewest (a width of one bit)
    base_error: float = 0.0  # what it errs at its finest (a table's index error, a constant's source)
    exact: int | None = None  # from these fraction bits on it does not round (None: it always may)

    @property
    def layer(self) -> str:
        return _layer(self.op)

    def error_at(self, frac: int) -> float:
        """Its own error at `frac` fraction bits (an upper bound: rounding to nearest)."""
        if self.exact is not None and frac >= self.exact:
            return self.base_error
        return self.base_error + math.ldexp(1.0, -frac - 1)


def find_sites(function: func.FuncOp) -> list[Site]:
    sites = []
    for op in function.walk():
        if isinstance(op, fixed.CastOp) and op.infer is not None and op.quantizer is None:
            sites.append(Site(op, "result"))
        elif isinstance(op, fixed.ConstantOp) and op.infer is not None:
            sites.append(Site(op, "constant"))
        elif isinstance(op, fixed.LookupOp) and op.infer is not None:
            sites.append(Site(op, "table"))
    return sites


def site_format(site_op: Operation) -> FixedFormat:
    return fixed.format_of(site_op.results[0])


@dataclass
class Design:
    """One allocation, inferred on a copy of the function."""

    fracs: Fracs
    function: func.FuncOp
    ops: list[Operation]  # the copy's site ops, in site order
    walked: list[Operation]  # the copy's ops in the original's walk order (before identity casts went)
    widest: tuple[int, str]  # the widest type and its layer

    def bound(self) -> float:
        """Its first-order bound: the largest over the output elements."""
        bounds = output_bounds(self.function, bound_errors(self.function, FIRST_ORDER))
        return max((float(np.max(b)) for b in bounds), default=0.0)


@dataclass
class LinearModel:
    """The first-order bound as a function of the sites' own errors: rest + errors @ weights, per
    output element (what the analysis gives with a row per site, at the finest design's ranges)."""

    weights: np.ndarray  # [sites, output elements]
    rest: np.ndarray  # [output elements]: the errors no site makes (inputs, given types)
    sites: list[Site]

    def bound(self, fracs: Fracs) -> np.ndarray:
        errors = np.array([site.error_at(fracs[i]) for i, site in enumerate(self.sites)])
        return self.rest + errors @ self.weights if len(self.sites) else self.rest

    def step_growth(self, i: int, frac: int) -> np.ndarray:
        """What taking one fraction bit from site i (at `frac`) adds to the bound."""
        site = self.sites[i]
        return (site.error_at(frac - 1) - site.error_at(frac)) * self.weights[i]


class Shadow:
    """The design's types as a function of the sites' steps, without inferring it again: integer bits
    held at the finest design's, each op's result step by its own rule (exact ops: their exact step,
    moves: their operand's), and the cost figure from each op's `cost` at those types."""

    def __init__(self, design: Design, maximum: int):
        self.design, self.maximum = design, maximum
        site_of = {id(op): i for i, op in enumerate(design.ops)}
        index: dict[SSAValue, int] = {}
        self.program = []  # (op, rule, operand slots, reference result formats, site)
        for op in design.walked:
            slots = tuple(index.get(v, -1) for v in op.operands)
            refs = tuple(format_if_fixed(r) for r in op.results)
            for r in op.results:
                index[r] = len(index)
            if id(op) in site_of:
                rule = "site"
            elif isinstance(op, ExactResult):
                rule = "exact"
            elif isinstance(op, SameFormatAsInput):
                rule = "same"
            elif isinstance(op, layout.ConcatOp):
                rule = "join"
            else:
                rule = "chosen"
            self.program.append((op, rule, slots, refs, site_of.get(id(op)), isinstance(op, CostModel)))
        self.size = len(index)
        self.operand_refs = {id(op): tuple(format_if_fixed(v) for v in op.operands) for op, *_ in self.program}

    def widen(self, design: Design) -> None:
        """Hold at least the integer bits `design` (the same function at other steps) has."""
        ops = design.walked
        for n, (op, rule, slots, refs, site, costed) in enumerate(self.program):
            wider = tuple(_with_int_bits(ref, format_if_fixed(r)) for ref, r in zip(refs, ops[n].results))
            self.program[n] = (op, rule, slots, wider, site, costed)

    def cost(self, fracs: Fracs) -> tuple[float, list[tuple[int, set[int]]]]:
        formats: list[FixedFormat | None] = [None] * self.size
        origins: list[frozenset[int]] = [frozenset()] * self.size
        slot, total, too_wide = 0, 0, []
        for op, rule, slots, refs, site, costed in self.program:
            defaults = self.operand_refs[id(op)]
            operands = tuple(formats[k] if k >= 0 else d for k, d in zip(slots, defaults))
            sources = frozenset().union(*(origins[k] for k in slots if k >= 0))
            results = []
            for ref in refs:
                if ref is None:
                    fmt = None
                elif rule == "site":
                    fmt, sources = _at(ref, fracs[site]), frozenset({site})
                elif rule == "exact":
                    fmt = _at(ref, op.exact_frac_bits(Formats(operands, ())))
                elif rule == "same":
                    fmt = operands[0]
                elif rule == "join":
                    fmt = operands[0]
                    for other in operands[1:]:
                        fmt = join_format(fmt, other)
                else:
                    fmt, sources = ref, frozenset()
                formats[slot], origins[slot] = fmt, sources
                slot += 1
                results.append(fmt)
                if fmt is not None and fmt.width > self.maximum:
                    too_wide.append((fmt.width - self.maximum, set(sources)))
            if costed:
                multiplier, adder = op.cost(Formats(operands, tuple(results))).figure()
                total += multiplier + adder
        return float(total), too_wide


class Allocator:
    def __init__(self, function: func.FuncOp, maximum: int, infer: Infer):
        self.function, self.maximum, self.infer = function, maximum, infer
        self.sites = find_sites(function)
        self._shadow: Shadow | None = None
        self.model: LinearModel | None = None  # the first-order bound's weights, once analysed

    def design(self, fracs: Fracs) -> Design:
        """The function inferred at `fracs`, on a copy."""
        copy = self.function.clone()
        position = {id(op): n for n, op in enumerate(self.function.walk())}
        copies = list(copy.walk())
        ops = [copies[position[id(s.op)]] for s in self.sites]
        self.infer(copy, {op: fracs[i] for i, op in enumerate(ops)})
        widest = max(
            ((fixed.format_of(r).width, _layer(op)) for op in copy.walk() for r in op.results if is_fixed(r)),
            default=(0, ""),
        )
        return Design(fracs, copy, ops, copies, widest)

    def prepare(self) -> Design:
        """The finest design: each site's integer bits and the steps its own width allows."""
        natural = [self._natural_frac(s) for s in self.sites]
        first = self.design({i: min(f, self.maximum) for i, f in enumerate(natural)})
        for i, (site, op) in enumerate(zip(self.sites, first.ops)):
            fmt = site_format(op)
            site.int_bits, site.signed = fmt.int_bits, fmt.signed
            if site.int_bits >= self.maximum:
                raise CompileError(
                    f"layer '{site.layer}': its values need {site.int_bits} integer bits to never overflow, "
                    f"more than Model.Precision.maximum ({self.maximum} bits): raise the maximum, or calibrate"
                )
            site.finest = min(natural[i], self.maximum - site.int_bits)
            if site.kind != "table":  # a cast or constant at its value's own step is exact
                site.exact = natural[i]
            site.coarsest = min(1 - site.int_bits, site.finest)
        finest = self.design({i: s.finest for i, s in enumerate(self.sites)})
        ranges = analyze(finest.function)
        for site, op in zip(self.sites, finest.ops):
            if site.kind == "table":  # what the index costs: the error beyond rounding the entries
                site.base_error = max(0.0, op.max_error(ranges[op.input].bounds) - 2.0 ** (-site.finest - 1))
            elif site.kind == "constant" and site.op.error is not None:
                site.base_error = site.op.error.value.data
        return finest

    def _natural_frac(self, site: Site) -> int:
        if site.kind == "result":
            return fixed.format_of(site.op.input).frac_bits
        if site.kind == "constant":
            return site_format(site.op).frac_bits
        return self.maximum  # table entries: as fine as the widest type

    def linear_model(self, finest: Design) -> LinearModel:
        rows = len(self.sites) + 1
        rank = {id(op): i for i, op in enumerate(finest.ops)}
        mode = ErrorMode(rows=rows, linear=True)
        errors = bound_errors(
            finest.function,
            mode,
            row_of=lambda op: rank.get(id(op), rows - 1),
            own=lambda op, r: 1.0 if id(op) in rank else op.own_error(r, mode),
        )
        per_row = [
            np.broadcast_to(errors[v], (rows, *v.type.get_shape())).reshape(rows, -1)
            for v in finest.function.body.block.last_op.operands
        ]
        weights = np.concatenate(per_row, axis=1)
        self.model = LinearModel(weights[:-1], weights[-1], self.sites)
        return self.model

    def shadow_cost(self, finest: Design, fracs: Fracs) -> tuple[float, list[tuple[int, set[int]]]]:
        """The cost figure of the design at `fracs`, and each value wider than the maximum (by how
        many bits, and the sites whose steps make its step)."""
        return self.shadow_of(finest).cost(fracs)

    def shadow_of(self, finest: Design) -> Shadow:
        if self._shadow is None or self._shadow.design is not finest:
            self._shadow = Shadow(finest, self.maximum)
        return self._shadow

    # ---------------------------------------------------------------------------------------------
    def fitting(self, finest: Design, fracs: Fracs, lows: Fracs, by_sensitivity: bool = False) -> Fracs:
        """`fracs` with sites that make a too-wide value coarser until the shadow's widths fit, none
        below `lows`: the finest among a value's sources by the whole excess (the steps stay as even
        as the widths allow), or `by_sensitivity`, for the widest excess, the source whose bit adds
        least to the bound, by its share of the excess (sources sharing a width share the cut)."""
        fracs = dict(fracs)
        while True:
            _, too_wide = self.shadow_cost(finest, fracs)
            candidates = [
                (excess, movable)
                for excess, sources in too_wide
                if (movable := [i for i in sources if fracs[i] > lows[i]])
            ]
            if not candidates:
                return fracs
            if not by_sensitivity:
                for excess, movable in candidates:
                    i = max(movable, key=lambda j: fracs[j])
                    fracs[i] = max(fracs[i] - excess, lows[i])
                continue
            excess, movable = max(candidates, key=lambda c: c[0])
            i = min(movable, key=lambda j: (self._bit_growth(j, fracs[j]), -fracs[j]))
            fracs[i] = max(fracs[i] - math.ceil(excess / len(movable)), lows[i])

    def _bit_growth(self, i: int, frac: int) -> float:
        """What site i's bit at `frac` is worth to the bound (0 before the linear model is known)."""
        if self.model is None:
            return 0.0
        return float(np.max(self.model.step_growth(i, frac)))

    def fitted_design(self, finest: Design, fracs: Fracs, lows: Fracs) -> tuple[Fracs, Design | None]:
        """`fracs` made to fit the maximum width, and its design (None: no fit was found)."""
        for _ in range(MAX_ROUNDS):
            fracs = self.fitting(finest, fracs, lows)
            design = self.design(fracs)
            if design.widest[0] <= self.maximum:
                return fracs, design
            self.shadow_of(finest).widen(design)
        return fracs, None

    def too_wide(self, finest: Design, fracs: Fracs) -> CompileError:
        width, layer = self.design(fracs).widest
        return CompileError(
            f"layer '{layer}': its values need {width} bits even at the coarsest steps (the integer bits that never "
            f"overflow over the inputs' whole range), more than Model.Precision.maximum ({self.maximum} bits): "
            f"raise the maximum, or calibrate"
        )

    def allocate(self, budget: float, finest: Design, model: LinearModel, floors: Fracs) -> Fracs:
        caps = {i: site.finest for i, site in enumerate(self.sites)}
        target = budget
        certified: float | None = None  # the full bound of the last allocation that met the target
        for _ in range(MAX_ROUNDS):
            fracs = self._within_widths(finest, model, target, caps, floors)
            if float(np.max(model.bound(fracs))) > target:
                fracs = self._repair(finest, model, target, fracs, caps)
            reached = float(np.max(model.bound(fracs)))
            if reached > target * (1 + 1e-9):
                raise CompileError(self._uncertified(budget, certified) or self._unreachable(budget, model, fracs))
            checked = self.design(fracs)
            if checked.widest[0] > self.maximum:  # coarser steps made integer bits grow: hold those
                self.shadow_of(finest).widen(checked)
                continue
            actual = certified = checked.bound()
            if actual <= budget * (1 + 1e-9):
                return fracs
            target *= 0.98 * budget / actual  # the ranges moved a little: aim lower
        raise CompileError(self._uncertified(budget, certified) or self._unreachable(budget, model, fracs))

    @staticmethod
    def _uncertified(budget: float, certified: float | None) -> str | None:
        """Why allocations meeting the budget to first order still miss it, if they do."""
        if certified is None or certified <= budget:
            return None
        return (
            f"error budget {budget:.3g} cannot be certified: allocations meeting it to first order still have a "
            f"full bound of {certified:.3g} (worst-case terms the first order leaves out: products of errors, "
            "saturation, a recurrence's growth over its steps, each capped by the values' ranges): raise the budget"
        )

    def _repair(self, finest: Design, model: LinearModel, target: float, fracs: Fracs, caps: Fracs) -> Fracs:
        """Where sites share a width (an accumulator holds its input's and its weights' fraction
        bits), the Lagrangian's split of it may miss the target: move bits between them, one at a
        time, to whichever site lowers the bound most (the others in its way made coarser), while
        the bound falls and the target is not met."""
        coarsest = {i: site.coarsest for i, site in enumerate(self.sites)}
        bound = float(np.max(model.bound(fracs)))
        while bound > target:
            best: tuple[float, Fracs] | None = None
            for i in range(len(self.sites)):
                if fracs[i] >= caps[i]:
                    continue
                trial = self.fitting(
                    finest, {**fracs, i: fracs[i] + 1}, {**coarsest, i: fracs[i] + 1}, by_sensitivity=True
                )
                if self.shadow_cost(finest, trial)[1]:  # the bit does not fit, whatever the others give
                    continue
                reached = float(np.max(model.bound(trial)))
                if reached < bound * (1 - 1e-12) and (best is None or reached < best[0]):
                    best = (reached, trial)
            if best is None:
                return fracs
            bound, fracs = best
        return fracs

    def _unreachable(self, budget: float, model: LinearModel, fracs: Fracs) -> str:
        """Why the budget is out of reach: what no site's step changes (the inputs' quantisation, the
        fixed types), or, in the closest allocation found, the site that errs most."""
        fixed_part = float(np.max(model.rest))
        if fixed_part >= budget:
            return (
                f"error budget {budget:.3g} is below what the fixed types alone give ({fixed_part:.3g}, mostly "
                f"quantising the inputs to their type): raise the budget (the report's first-order bound is the scale)"
            )
        shares = [site.error_at(fracs[i]) * float(model.weights[i].max()) for i, site in enumerate(self.sites)]
        i = int(np.argmax(shares))
        what = {"result": "result", "constant": "constants", "table": "table entries"}[self.sites[i].kind]
        return (
            f"error budget {budget:.3g} cannot be met within Model.Precision.maximum ({self.maximum} bits): the "
            f"closest allocation found bounds the error by {float(np.max(model.bound(fracs))):.3g}, most of it from "
            f"layer '{self.sites[i].layer}', whose {what} keep {fracs[i]} fraction bits (the integer bits that "
            f"never overflow over the inputs' whole range take the rest of the width, its own or that of the "
            f"values it feeds); calibrate (observed ranges), raise the maximum or the budget"
        )

    def _within_widths(self, finest: Design, model: LinearModel, target: float, caps: Fracs, floors: Fracs) -> Fracs:
        """The allocation for `target`, its sites' caps lowered until the shadow's widths fit (below
        the floors where the widths need it: the maximum is a limit, the floors a preference)."""
        caps = dict(caps)
        coarsest = {i: site.coarsest for i, site in enumerate(self.sites)}
        while True:
            lows = {i: min(floors[i], caps[i]) for i in caps}
            fracs = self._lagrangian(finest, model, target, caps, lows)
            fitted = self.fitting(finest, fracs, coarsest)
            if fitted == fracs:
                return fracs
            caps = {i: min(c, fitted[i]) for i, c in caps.items()}

    def _lagrangian(self, finest: Design, model: LinearModel, target: float, caps: Fracs, lows: Fracs) -> Fracs:
        weight = model.weights.max(axis=1) if model.weights.size else np.zeros(len(self.sites))
        fixed_part = model.rest + np.array([site.base_error for site in self.sites]) @ model.weights
        fracs = dict(caps)
        for _ in range(3):  # costs are bilinear in the widths: weigh them again at the new widths
            marginal = self._marginal_costs(finest, fracs)
            fracs = _water_fill(weight, marginal, target - float(np.max(fixed_part)), lows, caps)
            fracs = self._spend(model, marginal, target, fracs, lows)
        return fracs

    def _marginal_costs(self, finest: Design, fracs: Fracs) -> np.ndarray:
        """What one fraction bit of each site costs: the cost figure's change, plus the site's own
        bits (its value's registers and wires), which breaks ties where the figure does not move."""
        base, _ = self.shadow_cost(finest, fracs)
        out = []
        for i, site in enumerate(self.sites):
            saved = base - self.shadow_cost(finest, {**fracs, i: fracs[i] - 1})[0]
            out.append(max(saved, 0.0) + _elements(site.op))
        return np.array(out, dtype=np.float64)

    def _spend(self, model: LinearModel, marginal: np.ndarray, target: float, fracs: Fracs, lows: Fracs) -> Fracs:
        """Greedy: while the bound allows, take a bit from the site that saves most per bound added."""
        fracs = dict(fracs)
        bound = model.bound(fracs)
        while True:
            best, best_ratio = None, 0.0
            for i in range(len(self.sites)):
                if fracs[i] <= lows[i]:
                    continue
                grow = model.step_growth(i, fracs[i])
                if float(np.max(bound + grow)) > target:
                    continue
                ratio = marginal[i] / max(float(np.max(grow)), 1e-300)
                if best is None or ratio > best_ratio:
                    best, best_ratio = i, ratio
            if best is None:
                return fracs
            bound = bound + model.step_growth(best, fracs[best])
            fracs[best] -= 1


def _water_fill(weight: np.ndarray, marginal: np.ndarray, spare: float, lows: Fracs, caps: Fracs) -> Fracs:
    """min sum c_i f_i subject to sum w_i 2^-(f_i+1) <= spare, f_i in [low_i, cap_i]: each free site's
    share of the bound is proportional to its marginal cost (rounded up to whole bits); a site held
    at a limit takes what it takes there and the others share the rest."""
    fracs = {i: lows[i] for i in caps if weight[i] <= 0}  # reaches no output
    free = {i for i in caps if weight[i] > 0}
    while free:
        if spare <= 0:
            fracs.update({i: caps[i] for i in free})
            break
        total = float(sum(marginal[i] for i in free))
        want = {i: math.ceil(math.log2(weight[i] * total / (2 * spare * marginal[i]))) for i in free}
        held = {i for i in free if not lows[i] <= want[i] <= caps[i]}
        if not held:
            fracs.update(want)
            break
        for i in held:
            fracs[i] = min(max(want[i], lows[i]), caps[i])
            spare -= weight[i] * 2.0 ** (-fracs[i] - 1)
        free -= held
    return fracs


def _with_int_bits(ref: FixedFormat | None, other: FixedFormat | None) -> FixedFormat | None:
    """`ref` with at least `other`'s integer bits."""
    if ref is None or other is None or other.int_bits <= ref.int_bits:
        return ref
    return FixedFormat(ref.width + other.int_bits - ref.int_bits, other.int_bits, ref.signed)


def _at(ref: FixedFormat, frac: int) -> FixedFormat:
    return FixedFormat(max(ref.int_bits + frac, 1), ref.int_bits, ref.signed)


def _layer(op: Operation) -> str:
    layer = op.properties.get("layer")
    return layer.data if layer is not None else op.name


def _elements(op: Operation) -> int:
    return math.prod(op.results[0].type.get_shape())


def fit_budget(
    function: func.FuncOp, budget: float | None, maximum: int, default_frac: int, infer: Infer
) -> tuple[dict[Operation, int], float, list[str]]:
    """The steps of `function`'s sites meeting `budget` (None: the default budget, the first-order
    bound of the design with every site at `default_frac` fraction bits, or as near as the maximum
    width allows), the budget, and the layers the maximum width made round notably coarser than the
    default precision under a budget no looser than the default one (their integer bits take the
    room)."""
    allocator = Allocator(function, maximum, infer)
    if not allocator.sites:
        return {}, budget or 0.0, []
    finest = allocator.prepare()
    model = allocator.linear_model(finest)
    coarsest = {i: s.coarsest for i, s in enumerate(allocator.sites)}
    wanted = {i: min(max(default_frac, s.coarsest), s.finest) for i, s in enumerate(allocator.sites)}
    default, default_design = allocator.fitted_design(finest, wanted, coarsest)
    if default_design is None:
        raise allocator.too_wide(finest, default)
    # what the allocator weighs (each rounding at its worst) and what the design really bounds: the
    # default steps meet both
    default_budget = max(float(np.max(model.bound(default))), default_design.bound())
    if budget is None:
        budget = default_budget
    # a budget no looser than the default's never rounds coarser than the default precision: the
    # bound's worst case overstates how early errors grow, and would let late layers round coarsely
    floors = default if budget <= default_budget * (1 + 1e-9) else coarsest
    try:
        fracs = allocator.allocate(budget, finest, model, floors)
    except CompileError:
        if budget >= default_budget:
            fracs = default  # the default design meets a budget no tighter than its own bound
        elif floors is not coarsest:  # the widths leave no room at the default's steps: go below them
            fracs = allocator.allocate(budget, finest, model, coarsest)
        else:
            raise
    if default_budget <= budget and allocator.shadow_cost(finest, default)[0] < allocator.shadow_cost(finest, fracs)[0]:
        fracs = default
    limited = sorted(
        {site.layer for i, site in enumerate(allocator.sites) if fracs[i] <= wanted[i] - NOTABLY_COARSER}
        if budget <= default_budget * (1 + 1e-9)
        else set()
    )
    return {site.op: fracs[i] for i, site in enumerate(allocator.sites)}, budget, limited
