"""Where GenoView finds resources/ and models/ (checkout, installed, or frozen) and keeps user data."""
from __future__ import annotations

import os
import sys
from pathlib import Path


def _root() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


ROOT = _root()
RESOURCES_DIR = ROOT / "resources"
SHIPPED_MODELS_DIR = Path(os.environ.get("GENOVIEW_SHIPPED_MODELS", ROOT / "models"))


def user_data_dir() -> Path:
    """Per-user data: the model library, the SQLite store, cached predictions. $GENOVIEW_HOME overrides."""
    override = os.environ.get("GENOVIEW_HOME")
    if override:
        path = Path(override)
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir("GenoView", "GenoView"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def user_config_dir() -> Path:
    override = os.environ.get("GENOVIEW_HOME")
    if override:
        path = Path(override) / "config"
    else:
        import platformdirs

        path = Path(platformdirs.user_config_dir("GenoView", "GenoView"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def model_library_dir() -> Path:
    path = user_data_dir() / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path


def shared_data_dir() -> Path | None:
    """../shared/data beside the checkout (tests, benchmarks, training shipped models), if present."""
    override = os.environ.get("GENOVIEW_SHARED_DATA")
    candidate = Path(override) if override else ROOT.parent / "shared" / "data"
    return candidate if candidate.is_dir() else None
