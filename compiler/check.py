"""How a compiled design agrees with the float model: C simulation vs emulator (bit for bit) and
both vs onnxruntime (error and argmax agreement)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Agreement:
    samples: int
    bit_exact: int  # samples where C simulation == emulator on every output
    max_abs_error: float  # vs the float reference
    argmax_agreement: float  # fraction of samples (for outputs with more than one element)
    simulation: str = "C simulation"  # what ran the design ("RTL simulation": the Verilog backend's)

    def __str__(self) -> str:
        return (
            f"{self.samples} random samples: {self.simulation} == emulator bit for bit on {self.bit_exact}/{self.samples}; "
            f"vs onnxruntime: max abs error {self.max_abs_error:.3g}, argmax agreement {100 * self.argmax_agreement:.2f} %"
        )


def _free_batch(model_path) -> bytes:
    """The model (a file or a ModelProto) with dimension 0 of its inputs and outputs made symbolic
    (exports often freeze it)."""
    import onnx

    if isinstance(model_path, onnx.ModelProto):
        model = onnx.ModelProto()
        model.CopyFrom(model_path)
    else:
        model = onnx.load(str(model_path))
    for value in [*model.graph.input, *model.graph.output]:
        dims = value.type.tensor_type.shape.dim
        if dims:
            dims[0].dim_param = "batch"
    del model.graph.value_info[:]
    return model.SerializeToString()


def reference_session(model: bytes | str):
    """An onnxruntime CPU session that runs the graph as written, for use as a float reference.

    Graph optimizations are off (`ORT_DISABLE_ALL`): onnxruntime's optimizer rewrites
    QuantizeLinear/DequantizeLinear + MatMul into integer kernels (MatMulIntegerToFloat, QLinear*)
    that round differently from the operators as written (depending on the release and the CPU),
    and the operators as written are what the compiler implements bit for bit. `model`: serialized ModelProto bytes or a file path."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    options.log_severity_level = 4  # a batch the graph refuses is retried one sample at a time
    return ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])


def float_outputs(model, inputs: list[np.ndarray]) -> list[np.ndarray]:
    """The source model's own outputs on `inputs`: onnxruntime as written (an ONNX file or
    ModelProto), or the torch.nn.Module itself."""
    from compiler.importers.torch_importer import is_torch_module

    if not is_torch_module(model):
        return onnxruntime_outputs(model, inputs)
    import torch

    with torch.no_grad():
        out = model(*[torch.as_tensor(np.asarray(x), dtype=torch.float32) for x in inputs])
    return [np.asarray(o.numpy(), dtype=np.float64) for o in (out if isinstance(out, tuple | list) else [out])]


def onnxruntime_outputs(model_path, inputs: list[np.ndarray]) -> list[np.ndarray]:
    """Float reference outputs: the whole batch at once, or one sample at a time for models whose
    graph assumes a batch of 1 (Keras exports flatten the batch axis too)."""
    session = reference_session(_free_batch(model_path))
    names = [i.name for i in session.get_inputs()]
    try:
        feeds = {n: x.astype(np.float32) for n, x in zip(names, inputs)}
        return [np.asarray(o, dtype=np.float64) for o in session.run(None, feeds)]
    except Exception:
        if len(inputs[0]) == 1:
            raise
    rows = [
        session.run(None, {n: x[i : i + 1].astype(np.float32) for n, x in zip(names, inputs)})
        for i in range(len(inputs[0]))
    ]
    return [np.concatenate([np.asarray(r[k], dtype=np.float64) for r in rows]) for k in range(len(rows[0]))]


def compare(ours: np.ndarray, reference: np.ndarray, emulated: np.ndarray) -> Agreement:
    n = len(ours)
    flat_ours, flat_ref = ours.reshape(n, -1), reference.reshape(n, -1)
    exact = int(np.all(ours.reshape(n, -1) == emulated.reshape(n, -1), axis=1).sum())
    argmax = float(np.mean(flat_ours.argmax(1) == flat_ref.argmax(1))) if flat_ours.shape[1] > 1 else float("nan")
    return Agreement(n, exact, float(np.abs(flat_ours - flat_ref).max()), argmax)


def check_against_onnx(model, model_path: str, samples: int, seed: int = 0, backend: str = "vitis") -> Agreement:
    """`backend="rtl"`: the Verilog's simulation (compile(backend="rtl")) instead of the C simulation."""
    rng = np.random.default_rng(seed)
    inputs = [rng.normal(size=(samples, *s)) for s in model.input_shapes]
    ours = model.predict(*inputs, backend="rtl") if backend == "rtl" else model.predict(*inputs)
    emulated = model.emulate(*inputs)
    reference = onnxruntime_outputs(model_path, inputs)[0]
    first = ours if isinstance(ours, np.ndarray) else ours[0]
    first_emulated = emulated if isinstance(emulated, np.ndarray) else emulated[0]
    agreement = compare(first, reference.reshape(first.shape), first_emulated)
    if backend == "rtl":
        agreement.simulation = "RTL simulation"
    elif backend != "vitis":
        agreement.simulation = f"C simulation ({backend})"
    return agreement
