"""Error-budgeted `auto` on deeper float models (tests/models_deep.py: ResNet-8, MobileNet, DS-CNN,
the autoencoder, the 6-layer MLP), each compiled with g++ and run on 10,000 N(0, 1) inputs:

- no fixed-point type wider than Model.Precision.maximum (48 bits by default);
- C simulation == emulator, bit for bit;
- the observed max abs error against onnxruntime (graph optimisations off) is within the bound the
  report certifies;
- the predicted class agrees with the float model's on >= 99.5 % of the inputs;
- on at least three of the five, the cost figure is at most the uniform default design's
  (ap_fixed<16,6,AP_RND,AP_SAT> everywhere) at equal or better class agreement on the model's own
  data (the autoencoder: max abs error).

None is calibrated: `auto` proves its integer bits over the input type's whole range. On ResNet-8
they reach 27 at the last layer (interval ranges through eight convolutions), which is why the
default maximum is 48 bits: at 32 its last layers keep too few fraction bits (46 % agreement).
"""

from __future__ import annotations

import functools
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnx
import pytest
from models_deep import DEEP_MODELS
from support import torch_to_onnx, widest_type

from compiler.api import convert
from compiler.check import onnxruntime_outputs

pytestmark = pytest.mark.slow

SAMPLES = 10_000
MAXIMUM = 48
UNIFORM = None  # the default precision, ap_fixed<16,6,AP_RND,AP_SAT>
FLOAT32_SLACK = 1e-5  # onnxruntime computes in float32


@dataclass
class Outcome:
    widest: int
    csim_equals_emulator: bool
    observed: float  # max abs error vs onnxruntime on the N(0, 1) inputs
    certified: float | None
    agreement: float | None  # class agreement on the N(0, 1) inputs
    own_agreement: float | None  # ... on the model's own data (None: not a classifier)
    own_error: float  # max abs error on the model's own data
    cost: int


def agreement(outputs: np.ndarray, reference: np.ndarray, classifier: bool) -> float | None:
    return float(np.mean(outputs.argmax(1) == reference.argmax(1))) if classifier else None


@functools.cache
def outcomes(name: str) -> dict[str, Outcome]:
    """The `auto` and the uniform design of model `name`, measured."""
    module, data, labels = DEEP_MODELS[name]()
    classifier = labels is not None
    with tempfile.TemporaryDirectory(prefix=f"nn2hls_deep_{name}_") as scratch:
        path = Path(scratch) / f"{name}.onnx"
        onnx.save(torch_to_onnx(module, data.shape[1:]), path)
        x = np.random.default_rng(0).normal(size=(SAMPLES, *data.shape[1:])).astype(np.float32)
        reference = onnxruntime_outputs(str(path), [x])[0]
        own_reference = onnxruntime_outputs(str(path), [data])[0]
        designs = {
            "auto": convert(path, precision="auto", output_dir=Path(scratch) / "auto"),
            "uniform": convert(path, precision=UNIFORM, output_dir=Path(scratch) / "uniform"),
        }
        found = {}
        for key, design in designs.items():
            design.write()
            design.compile()
            outputs = design.predict(x).reshape(reference.shape)
            own = design.predict(data).reshape(own_reference.shape)
            report = design.report
            found[key] = Outcome(
                widest=widest_type(design),
                csim_equals_emulator=bool(np.array_equal(outputs, design.emulate(x).reshape(reference.shape))),
                observed=float(np.abs(outputs - reference).max()),
                certified=max(
                    (o["certified"] for o in report["error_bound"]["outputs"]), key=lambda c: np.inf if c is None else c
                ),
                agreement=agreement(outputs, reference, classifier),
                own_agreement=agreement(own, own_reference, classifier),
                own_error=float(np.abs(own - own_reference).max()),
                cost=report["totals"]["multiplier_bits"] + report["totals"]["adder_bits"],
            )
    return found


@pytest.mark.parametrize("name", sorted(DEEP_MODELS))
def test_auto_design(name):
    auto = outcomes(name)["auto"]
    assert auto.widest <= MAXIMUM
    assert auto.csim_equals_emulator
    assert auto.certified is not None and auto.observed <= auto.certified * (1 + FLOAT32_SLACK) + FLOAT32_SLACK
    if auto.agreement is not None:
        assert auto.agreement >= 0.995


def no_worse_and_cheaper(auto: Outcome, uniform: Outcome) -> bool:
    if auto.own_agreement is not None:
        as_good = auto.own_agreement >= uniform.own_agreement
    else:
        as_good = auto.own_error <= uniform.own_error
    return as_good and auto.cost <= uniform.cost


def test_auto_costs_at_most_uniform_on_three_of_five():
    better = {name: no_worse_and_cheaper(outcomes(name)["auto"], outcomes(name)["uniform"]) for name in DEEP_MODELS}
    assert sum(better.values()) >= 3, better
