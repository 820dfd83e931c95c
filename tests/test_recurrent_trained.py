"""Acceptance of recurrent networks (slow tier): a 2-layer GRU and a 2-layer LSTM (20 steps, 8
features, hidden 16, read at the output sequence's last step), trained briefly on the pulse task of
tests/models_recurrent.py, imported from torch directly and from their ONNX exports. Both paths give
the same IR but for names (read at h_n[-1] instead, the two imports order their layout ops
differently; tests/test_recurrent.py checks that those designs compute the same); at the default
precision the design's class agrees with torch's on >= 99.5 % of 10,000 sequences, and its C
simulation equals the emulator on all of them, in io_parallel and io_stream."""

from __future__ import annotations

import re

import numpy as np
import pytest
from models_recurrent import FEATURES, STEPS, pulses, trained
from support import torch_to_onnx

from compiler.api import convert

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.slow


def without_names(text: str) -> str:
    """IR text with its names (layers, kernels, functions, SSA values) blanked."""
    text = re.sub(r'layer = "[^"]*"', "layer", text)
    text = re.sub(r'dataflow\.kernel "[^"]*"', "dataflow.kernel", text)
    text = re.sub(r"@[\w.]+", "@f", text)
    return re.sub(r"%[\w.]+", "%v", text)


@pytest.fixture(scope="module", params=["gru", "lstm"])
def classifier(request):
    return request.param, trained(request.param, readout="last_step")


def test_both_imports_give_the_same_design(classifier):
    _, module = classifier
    direct = convert(module, input_shape=(STEPS, FEATURES))
    exported = convert(torch_to_onnx(module, (STEPS, FEATURES)))
    for stage in ("nn-to-fixed", "infer-bitwidths", "fixed-to-dataflow"):
        assert without_names(direct.ir(stage)) == without_names(exported.ir(stage)), stage


@pytest.mark.parametrize("io_type", ["io_parallel", "io_stream"])
def test_agrees_with_torch_and_csim_equals_emulator(classifier, io_type, tmp_path):
    cell, module = classifier
    x, labels = pulses(10_000, seed=99)
    expected = module(torch.from_numpy(x)).detach().numpy()
    model = convert(module, input_shape=(STEPS, FEATURES), io_type=io_type, output_dir=tmp_path / cell)
    emulated = model.emulate(x)
    assert np.mean(emulated.argmax(axis=1) == expected.argmax(axis=1)) >= 0.995
    assert np.mean(expected.argmax(axis=1) == labels) >= 0.95  # the model did learn the task
    model.write()
    model.compile()
    assert np.array_equal(model.predict(x), emulated)
