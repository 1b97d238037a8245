"""Choose where models run: cuda, then mps, then cpu, unless the user names one."""
from __future__ import annotations

import os

from genoview.core.errors import GenoViewInputError


def pick_device(requested: str | None = None) -> str:
    """Return a torch device string. ``requested`` (or $GENOVIEW_DEVICE) overrides the automatic choice."""
    import torch

    requested = requested or os.environ.get("GENOVIEW_DEVICE") or "auto"
    if requested == "auto":
        if torch.cuda.is_available():
            return "cuda"
        mps = getattr(torch.backends, "mps", None)
        if mps is not None and mps.is_available():
            return "mps"
        return "cpu"
    kind = requested.split(":")[0]
    if kind == "cuda" and not torch.cuda.is_available():
        raise GenoViewInputError(f"device {requested!r} was asked for, but no CUDA GPU is available; use --device cpu")
    if kind == "mps" and not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()):
        raise GenoViewInputError(f"device {requested!r} was asked for, but Apple MPS is not available; use --device cpu")
    if kind not in {"cpu", "cuda", "mps"}:
        raise GenoViewInputError(f"unknown device {requested!r}; use auto, cpu, cuda, cuda:N or mps")
    return requested


def describe_device(device: str) -> str:
    """A short label for the status bar, e.g. 'CPU (2 threads)' or 'GPU: NVIDIA H100'."""
    import torch

    if device.startswith("cuda"):
        index = int(device.split(":")[1]) if ":" in device else 0
        return f"GPU: {torch.cuda.get_device_name(index)}"
    if device == "mps":
        return "GPU: Apple MPS"
    threads = torch.get_num_threads()
    return f"CPU ({threads} thread{'s' if threads != 1 else ''})"
