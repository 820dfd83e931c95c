"""Einsum (ONNX `Einsum`, torch.einsum) onto the ops we have: dense, mul and layout moves.

Takes an `Importer` (base.py), the node, the equation and its one or two operands (`Bound` tensors
or numpy constants); binds the node's result in its logical order. Supported: contractions of one or
two operands, explicit (`ij,jk->ik`) or implicit (`ij,jk`: the letters that occur once, sorted), with
numpy's ellipsis (`...` names the leading axes an operand's letters leave, aligned to the right) and
diagonals (a letter repeated within an operand: its diagonal is taken first, by slices); the output
repeats no letter. The first axis of every runtime operand is the batch, and the output keeps it
first; a constant operand has no batch axis.

- A runtime operand contracted with a constant one over letters they share, their other letters
  distinct (a matmul, a tensor dot): one nn.dense, the runtime operand's free axes leading and its
  contracted ones flattened last, the constant arranged as [contracted, free].
- Anything else (two runtime operands: batched matmul, outer and dot products; a letter summed out
  of one operand): each operand moved to the axis order output letters then contracted letters, with
  size-1 axes for the letters it lacks; one broadcasting nn.mul of the two; the contracted axes
  flattened and summed by an nn.dense with weights of 1 (exact).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from xdsl.ir import SSAValue

from compiler.importers import layers
from compiler.importers.base import Bound, Importer, Node, identity
from dialects import layout, nn

Operand = Bound | np.ndarray


def parse(imp: Importer, node: Node, equation: str, ranks: Sequence[int]) -> tuple[list[str], str]:
    """The operands' letters and the output's (an ellipsis spelled out as capital letters), checked."""
    spec = equation.replace(" ", "")
    lhs, arrow, out = spec.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(ranks) or len(ranks) not in (1, 2):
        raise imp.fail(node, f"equation {equation!r} must name one or two operands, for the {len(ranks)} given")
    named = [t.replace("...", "") for t in terms]
    if not all((t.isalpha() and t.islower()) or not t for t in [*named, out.replace("...", "")]):
        raise imp.fail(node, f"equation {equation!r}: axes must be lowercase letters (or an ellipsis)")
    spans = [rank - len(t) if "..." in term else 0 for term, t, rank in zip(terms, named, ranks)]
    if min(spans) < 0:
        raise imp.fail(node, f"equation {equation!r}: an ellipsis stands for more axes than the operand has")
    ellipsis = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[: max(spans)]  # the ellipsis' axes, aligned to the right
    terms = [t.replace("...", ellipsis[len(ellipsis) - n :]) for t, n in zip(terms, spans)]
    letters = "".join(terms)
    if not arrow:  # implicit: the ellipsis, then the letters that occur once, in alphabetical order
        out = ellipsis + "".join(sorted(c for c in set(letters) if c.islower() and letters.count(c) == 1))
    else:
        out = out.replace("...", ellipsis)
    if len(set(out)) != len(out):
        raise imp.fail(node, f"equation {equation!r}: a repeated axis in the output is not supported")
    if set(out) - set(letters):
        raise imp.fail(node, f"equation {equation!r}: output axes {sorted(set(out) - set(letters))} are in no operand")
    for term, rank in zip(terms, ranks):
        if len(term) != rank:
            raise imp.fail(node, f"equation {equation!r}: '{term}' names {len(term)} axes of an operand with {rank}")
    return terms, out


def einsum(imp: Importer, node: Node, equation: str, operands: Sequence[Operand]) -> None:
    runtime = [isinstance(o, Bound) for o in operands]
    ranks = [len(o.layout) + 1 if isinstance(o, Bound) else o.ndim for o in operands]
    terms, out = parse(imp, node, equation, ranks)
    if not any(runtime):
        raise imp.fail(node, "all operands are constants (constant folding is not supported)")
    batch = terms[runtime.index(True)][:1]
    for term, is_runtime in zip(terms, runtime):
        if is_runtime and term[:1] != batch:
            raise imp.fail(
                node, f"equation {equation!r}: every tensor's first axis is the batch, so its letter must lead"
            )
        if not is_runtime and batch in term:
            raise imp.fail(node, f"equation {equation!r}: a constant operand varies along the batch axis")
    if out[:1] != batch:
        raise imp.fail(node, f"equation {equation!r} acts across the batch: the output must keep the batch axis first")
    terms = [t[1:] if r else t for t, r in zip(terms, runtime)]  # per sample
    out = out[1:]
    sizes: dict[str, int] = {}
    for term, operand in zip(terms, operands):
        shape = operand.logical_shape if isinstance(operand, Bound) else operand.shape
        for letter, size in zip(term, shape):
            if sizes.setdefault(letter, size) != size:
                raise imp.fail(node, f"equation {equation!r}: axis '{letter}' is {sizes[letter]} and {size} long")
    operands = list(operands)
    for k, term in enumerate(terms):
        while len(set(term)) != len(term):  # a diagonal: the repeated letter's two axes become one
            operands[k], term = _diagonal(imp, node, operands[k], term, sizes)
        terms[k] = term
    contracted = "".join(dict.fromkeys(c for c in "".join(terms) if c not in out))
    if len(operands) == 2 and runtime.count(True) == 1 and _is_matmul(terms, runtime, contracted):
        x, w = (0, 1) if runtime[0] else (1, 0)
        result, letters = _dense(imp, node, operands[x], terms[x], operands[w], terms[w], contracted, sizes)
    else:
        result, letters = _product(imp, node, operands, terms, out, contracted, sizes)
    if letters != out:
        result = imp.emit(layout.TransposeOp(result, [letters.index(c) for c in out], imp.layer(node))).output
    imp.bind(node, result)


def _diagonal(imp: Importer, node: Node, operand: Operand, term: str, sizes) -> tuple[Operand, str]:
    """The operand's diagonal over the first letter `term` repeats: the two axes replaced by one, last."""
    letter = next(c for c in term if term.count(c) > 1)
    first = term.index(letter)
    second = term.index(letter, first + 1)
    rest = [k for k in range(len(term)) if k not in (first, second)]
    n = sizes[letter]
    new_term = "".join(term[k] for k in rest) + letter
    if isinstance(operand, np.ndarray):
        return np.diagonal(operand, axis1=first, axis2=second), new_term
    value = imp.arrange(node, operand, identity(len(operand.layout)))
    if rest + [first, second] != list(range(len(term))):
        value = imp.emit(layout.TransposeOp(value, [*rest, first, second], imp.layer(node))).output
    lead = [sizes[term[k]] for k in rest]
    flat = _reshaped(imp, node, value, [*lead, n * n])
    picked = layers.gather(imp, node, flat, len(lead), [i * (n + 1) for i in range(n)])
    return Bound(picked, identity(len(lead) + 1)), new_term


def _is_matmul(terms: list[str], runtime: list[bool], contracted: str) -> bool:
    x, w = (terms[0], terms[1]) if runtime[0] else (terms[1], terms[0])
    shared = set(x) & set(w)
    return bool(contracted) and set(contracted) == shared


def _arranged(imp: Importer, node: Node, operand: Operand, term: str, order: str) -> SSAValue | np.ndarray:
    """The operand's axes in the order of `order`'s letters (those it has)."""
    perm = sorted(range(len(term)), key=lambda k: order.index(term[k]))
    if isinstance(operand, np.ndarray):
        return np.transpose(operand, perm)
    value = imp.arrange(node, operand, identity(len(operand.layout)))
    if perm != list(range(len(perm))):
        value = imp.emit(layout.TransposeOp(value, perm, imp.layer(node))).output
    return value


def _reshaped(imp: Importer, node: Node, value: SSAValue, shape: list[int]) -> SSAValue:
    if list(value.type.get_shape()) == list(shape):
        return value
    return imp.emit(layout.ReshapeOp(value, list(shape), imp.layer(node))).output


def _dense(
    imp, node, x: Bound, x_term: str, w: np.ndarray, w_term: str, contracted: str, sizes
) -> tuple[SSAValue, str]:
    """x's free axes, then the dense layer's outputs: w's free axes (letters in that order)."""
    x_free = "".join(c for c in x_term if c not in contracted)
    w_free = "".join(c for c in w_term if c not in contracted)
    k = math.prod(sizes[c] for c in contracted)
    xv = _arranged(imp, node, x, x_term, x_free + contracted)
    xv = _reshaped(imp, node, xv, [*(sizes[c] for c in x_free), k])
    weight = _arranged(imp, node, w, w_term, contracted + w_free).reshape(k, -1)
    y = imp.build(node, lambda: nn.DenseOp(xv, imp.const_value(node, weight), None, imp.layer(node))).output
    return _reshaped(imp, node, y, [sizes[c] for c in x_free + w_free]), x_free + w_free


def _product(imp, node, operands, terms, out: str, contracted: str, sizes) -> tuple[SSAValue, str]:
    """The broadcast product over the letters out + contracted, summed over the contracted ones."""
    full = out + contracted
    factors = []
    for operand, term in zip(operands, terms):
        arranged = _arranged(imp, node, operand, term, full)
        shape = [sizes[c] if c in term else 1 for c in full]
        if isinstance(arranged, np.ndarray):
            factors.append(imp.const_value(node, arranged.reshape(shape)))
        else:
            factors.append(_reshaped(imp, node, arranged, shape))
    product = factors[0]
    if len(factors) == 2:
        a, b = factors
        product = imp.build(node, lambda: nn.MulOp(a, b, imp.layer(node))).output
    if not contracted:
        return _reshaped(imp, node, product, [sizes[c] for c in out]), out
    k = math.prod(sizes[c] for c in contracted)
    shape = list(product.type.get_shape())
    flat = _reshaped(imp, node, product, [*shape[: len(out)], k])
    ones = imp.const_value(node, np.ones((k, 1), dtype=np.float32))
    summed = imp.build(node, lambda: nn.DenseOp(flat, ones, None, imp.layer(node))).output
    return _reshaped(imp, node, summed, [sizes[c] for c in out]), out
