"""Typed user settings, kept as JSON in the platform config dir (``$GENOVIEW_HOME/config`` when set).

No Qt here: the GUI stores its window geometry as base64 text. A scalar setting can be overridden for
one run with an environment variable ``GENOVIEW_SETTING_<NAME>`` (e.g. ``GENOVIEW_SETTING_DEVICE=cpu``);
overrides are never written back. A damaged settings file is set aside, not fatal.
"""
from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from genoview.paths import user_config_dir

log = logging.getLogger(__name__)

SETTINGS_FILE_NAME = "settings.json"
MAX_RECENT_FILES = 10
ENV_PREFIX = "GENOVIEW_SETTING_"


@dataclass
class Settings:
    """Everything GenoView remembers between runs."""

    recent_files: list[str] = field(default_factory=list)  # FASTA/GenBank paths, newest first
    recent_annotations: dict[str, str] = field(default_factory=dict)  # genome path -> annotation opened with it
    last_directory: str = ""
    # the folder of the last export (every export dialog opens there; the genome's folder may be shared data the user
    # cannot, or should not, write)
    last_export_directory: str = ""
    window_geometry: str = ""  # base64 of QMainWindow.saveGeometry()
    window_state: str = ""  # base64 of QMainWindow.saveState() (docks, toolbars)
    show_translation: bool = False
    threshold: float = 0.5
    device: str = ""  # "" = pick automatically (cuda, mps, cpu)
    default_model: str = ""

    def add_recent_file(self, path: str | os.PathLike, annotation: str | os.PathLike | None = None) -> None:
        """Put ``path`` first in the recent list (remembering its annotation), keeping at most MAX_RECENT_FILES."""
        text = os.fspath(Path(path).resolve())
        self.recent_files = [text] + [p for p in self.recent_files if p != text]
        del self.recent_files[MAX_RECENT_FILES:]
        if annotation is not None:
            self.recent_annotations[text] = os.fspath(Path(annotation).resolve())
        self.recent_annotations = {k: v for k, v in self.recent_annotations.items() if k in self.recent_files}
        self.last_directory = os.fspath(Path(text).parent)


def settings_path() -> Path:
    return user_config_dir() / SETTINGS_FILE_NAME


def _coerce(kind: type, raw: str):
    if kind is bool:
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if kind is float:
        return float(raw)
    if kind is int:
        return int(raw)
    return raw


def _apply(settings: Settings, data: dict) -> None:
    defaults = Settings()
    for f in fields(Settings):
        if f.name not in data:
            continue
        value = data[f.name]
        expected = type(getattr(defaults, f.name))
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if isinstance(value, expected) and not (expected is not bool and isinstance(value, bool)):
            setattr(settings, f.name, value)
        else:
            log.warning("settings: ignoring %s=%r (expected %s)", f.name, value, expected.__name__)


def load_settings(path: Path | None = None) -> Settings:
    """The saved settings (defaults for anything missing or malformed), with environment overrides applied."""
    path = path or settings_path()
    settings = Settings()
    if path.exists():
        try:
            _apply(settings, _read_json(path))
        except (OSError, ValueError) as exc:
            aside = path.with_suffix(".json.bad")
            log.warning("settings: %s is unreadable (%s); starting from defaults, old file kept as %s", path, exc, aside)
            try:
                os.replace(path, aside)
            except OSError:
                pass
    for f in fields(Settings):
        raw = os.environ.get(ENV_PREFIX + f.name.upper())
        kind = type(getattr(settings, f.name))
        if raw is not None and kind in (bool, int, float, str):
            try:
                setattr(settings, f.name, _coerce(kind, raw))
            except ValueError:
                log.warning("settings: ignoring %s%s=%r", ENV_PREFIX, f.name.upper(), raw)
    return settings


def _read_json(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    return data


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write atomically (temp file, then rename); values overridden by the environment keep their saved value."""
    path = path or settings_path()
    data = asdict(settings)
    overridden = [name for name in data if os.environ.get(ENV_PREFIX + name.upper()) is not None]
    if overridden:
        try:
            saved = _read_json(path) if path.exists() else {}
        except (OSError, ValueError):
            saved = {}
        defaults = asdict(Settings())
        for name in overridden:
            data[name] = saved.get(name, defaults[name])
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)
