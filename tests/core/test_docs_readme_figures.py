"""The README's figures for the shipped models are the ones the models carry (genoview.json `metrics`, which
`genoview models`, the library and the Predict dialog show): a re-shipped model whose README rows were not updated
fails here. Reads text and JSON only (no torch, no data)."""
from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
HELD_OUT = {"gallisepticum": "mycoplasma_gallisepticum_Rlow", "trachomatis": "chlamydia_trachomatis_D-LC",
            "pallidum": "treponema_pallidum_Nichols", "Paracoccus": "paracoccus_sp_SCN68-21"}


def _metrics(name: str) -> dict:
    return json.loads((ROOT / "models" / name / "genoview.json").read_text(encoding="utf-8")).get("metrics", {})


def _table(header_start: str) -> list[list[str]]:
    """The rows (cells stripped) of the README table whose header line starts with ``header_start``."""
    lines = README.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header_start))
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


def _model(cell: str) -> str | None:
    """The shipped model a row is about: its first cell starts with the name (rows about other things do not)."""
    match = re.match(r"\**`([a-z0-9-]+)`", cell)
    return match.group(1) if match and (ROOT / "models" / match.group(1) / "genoview.json").is_file() else None


def _number(cell: str) -> float:
    return float(re.search(r"\d+\.\d+", cell).group(0))


def _shown_as(shown: float, value: float, decimals: int) -> bool:
    """``value`` written with ``decimals`` decimals (either way at an exact half: 0.9185 may read 0.918 or 0.919)."""
    return abs(shown - value) <= 0.5 * 10 ** -decimals + 1e-9


def test_shipped_models_table_is_what_the_models_carry():
    rows = _table("| model | what it is | MCC | ROC AUC |")
    checked = 0
    for cells in rows:
        name = _model(cells[0])
        if name is None:
            continue
        test = _metrics(name)["test"]
        for column, key in ((2, "mcc"), (3, "roc_auc"), (4, "accuracy"), (5, "f1")):
            if test.get(key) is not None:
                assert _shown_as(_number(cells[column]), test[key], 4), (name, key, cells[column], test[key])
                checked += 1
    assert checked >= 10


def test_language_model_perplexities_are_what_the_models_carry():
    checked = 0
    for cells in _table("| model | test perplexity |"):
        name = _model(cells[0])
        if name is None or not re.search(r"\d\.\d{3}", cells[1]):
            continue
        perplexity = _metrics(name)["test"]["perplexity"]
        assert _shown_as(_number(cells[1]), perplexity, 3), (name, cells[1], perplexity)
        checked += 1
    assert checked >= 6


def test_default_gene_models_held_out_row_is_what_it_carries():
    metrics = _metrics("geneorf-bacteria")
    rows = _table("| genome | Prodigal | `geneorf-bacteria` (AUC) |")
    seen = set()
    for cells in rows:
        key = next((HELD_OUT[word] for word in HELD_OUT if word in cells[0]), None)
        mcc, auc = (float(x) for x in re.findall(r"\d+\.\d+", cells[2])[:2])
        if "mean of the 4" in cells[0]:
            assert _shown_as(mcc, metrics["held_out_mean_mcc"], 4)
            continue
        if key is None:
            continue
        held = metrics["held_out"][key]
        assert _shown_as(mcc, held["mcc"], 4) and _shown_as(auc, held["roc_auc"], 4), key
        sens, prec = (float(x) for x in re.match(r"\s*(\d\.\d+)/(\d\.\d+)", cells[5]).groups())
        assert _shown_as(sens, held["stop_sensitivity"], 3) and _shown_as(prec, held["stop_precision"], 3), key
        seen.add(key)
    assert seen == set(HELD_OUT.values())
