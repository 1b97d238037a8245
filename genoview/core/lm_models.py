"""Loading language models by name, directory or comma-separated list (an ensemble), and writing their
metadata and model cards."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from genoview.core.errors import GenoViewInputError
from genoview.core.lm import EnsembleLM, LanguageModel

def read_info(directory: str | Path) -> dict[str, Any]:
    """genoview.json of a model directory as a plain dict (through the metadata class)."""
    from genoview.core.models.metadata import ModelMetadata

    return ModelMetadata.load(directory).to_dict()


def _config(directory: Path) -> dict:
    path = directory / "config.json"
    if not path.is_file():
        raise GenoViewInputError("is not a model directory: it has no config.json", directory)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise GenoViewInputError(f"not valid JSON ({exc.msg})", path, exc.lineno) from exc


def load_language_model(name_or_dir: str | Path, device: str | None = None) -> LanguageModel:
    """A language model by shipped/library name or directory; ``"a,b,c"`` loads an equal-weight ensemble
    (an ensemble folder, model_type ``genoview-lm-ensemble``, loads through the registry like any model)."""
    text = str(name_or_dir)
    if "," in text:
        return EnsembleLM([load_language_model(part.strip(), device) for part in text.split(",") if part.strip()])
    from genoview.core.models import resolve_model_dir

    try:
        directory = resolve_model_dir(text)
    except GenoViewInputError as exc:
        if not str(exc).startswith("no model named"):
            raise
        raise GenoViewInputError(unknown_language_model(text)) from exc
    if directory is None:
        raise GenoViewInputError(f"{text!r} is a gene-probability model, not a language model")
    from genoview.core.models import load_model
    from genoview.core.models.registry import Task

    if _config(directory).get("model_type") == "bert":
        from genoview.core.kmer_mlm import load_kmer_mlm

        model = load_kmer_mlm(directory, device or "cpu")
    else:
        model = load_model(directory, task=Task.LANGUAGE_MODEL, device=device)
    if not isinstance(model, LanguageModel):
        raise GenoViewInputError(f"{directory.name} loads as {type(model).__name__}, which cannot score sequences; "
                                 "choose a language model (genoview models --task language-model)", directory)
    model.path = directory
    model.name = directory.name
    return model


def unknown_language_model(text: str) -> str:
    """A name no model has, answered with the language models (the 19 models of every kind were listed, Prodigal and
    the gene models first, for a field that takes language models) and the nearest of their names."""
    from genoview.core.library import close_names
    from genoview.core.models import list_models

    names = [i.name for i in list_models() if getattr(i.task, "value", i.task) == "language-model"
             and not getattr(i, "broken", "")]
    near = close_names(text, names)
    return (f"no language model named {text!r} and no such directory; "
            + (f"did you mean {' or '.join(near)}? " if near else "")
            + f"language models: {', '.join(names)} (genoview models --task language-model)")


def write_metadata(directory: str | Path, **entries: Any) -> None:
    from genoview.core.models.metadata import ModelMetadata

    ModelMetadata.update_file(directory, **entries)


def write_card(directory: str | Path, notes: str = "") -> Path:
    """README.md model card from genoview.json: what it is, data and split, command, metrics, history."""
    directory = Path(directory)
    info = read_info(directory)
    metrics = info.get("metrics") or {}
    data = info.get("data") or {}
    lines = [f"# {info.get('name', directory.name)}", "", info.get("description", ""), "",
             f"- Task: `{info.get('task', 'language-model')}`; architecture: `{info.get('architecture', '?')}`",
             f"- Reads genes {'right to left (reversed)' if (info.get('language_model') or {}).get('reverse') else 'left to right'}; "
             "scores every base and the end marker (`<ACGT...>`, as in the study).",
             "", "## Data and split", ""]
    for key, value in data.items():
        lines.append(f"- {key}: {value}")
    lines += ["", "## Metrics", "", "| part | perplexity | tokens |", "|---|---|---|"]
    for part in ("validation", "test"):
        m = metrics.get(part) or {}
        if m:
            lines.append(f"| {part} | {m.get('perplexity', '-')} | {m.get('tokens', '-')} |")
    lines += ["", "Test = the held-out genes (never used for training or any choice); validation = a part of the "
              "training genes used for early stopping and settings.", "",
              "## Exact command", "", "```", str(info.get("command", "")), "```", ""]
    training = info.get("training") or {}
    if training:
        text = re.sub(r"\[\s+([^\[\]{}]*?)\s+\]", lambda m: "[" + " ".join(m.group(1).split()) + "]",
                      json.dumps(training, indent=1))
        lines += ["## Training", "", "```json", text[:6000], "```", ""]
    if notes:
        lines += [notes.strip(), ""]
    path = directory / "README.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def default_language_model_name() -> str | None:
    """The default language model's name (:func:`language_model_default`)."""
    return language_model_default()[0]


def language_model_default() -> tuple[str | None, bool]:
    """(name, the user's own choice) of the default language model: one of the user's own (library or registered)
    flagged ``"default": true`` in its genoview.json, else a shipped one so flagged (lm-human-genes), else the first
    one listed; a copy of that shipped model with its genoview.json unchanged is not the user's own choice (its flag
    is the shipped one's). The user's own flag is their explicit choice: it wins over the shipped flag and over the
    bacterial-gene model a prokaryote is otherwise given (``genome_kind.language_model_for``)."""
    from genoview import paths
    from genoview.core.library import shipped_copy_of
    from genoview.core.models import list_models

    infos = [i for i in list_models(task="language-model") if not getattr(i, "broken", "")]
    if not infos:
        return None, False
    flagged = [i for i in infos if read_info(i.path).get("default") is True]
    shipped = paths.SHIPPED_MODELS_DIR.resolve()
    shipped_flagged = {i.name: i.path for i in flagged if shipped in Path(i.path).resolve().parents}

    def copied_flag(info) -> bool:
        # a copy of the shipped flagged model whose genoview.json is the shipped one's, untouched (registered in
        # place, or copied into the library folder by hand) carries the shipped flag, not a choice of the user's:
        # as an import drops it (library.import_model), it makes no default here. A flag the user set (in a copy
        # of any other shipped model, or in an imported copy, whose genoview.json import rewrote) is their choice.
        original = shipped_copy_of(info.path)
        return original in shipped_flagged and read_info(info.path) == read_info(shipped_flagged[original])

    own = [i for i in flagged if shipped not in Path(i.path).resolve().parents and not copied_flag(i)]
    if own:
        return own[0].name, True
    return (flagged or infos)[0].name, False
