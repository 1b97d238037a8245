"""A GPU workstation installs its CUDA torch into .venv first; `make` must not replace it with the pinned CPU wheel
(the Makefile ran `pip install torch==2.13.0` unconditionally: another torch version was swapped out)."""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_make_keeps_a_torch_already_in_the_venv():
    line = next(l for l in (ROOT / "Makefile").read_text().splitlines() if "pip install" in l and "torch==" in l)
    assert "import torch" in line and "||" in line, line
