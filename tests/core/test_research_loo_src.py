"""bench/research/loo/src_table.py (session 17, idea C, research only) applies its decision record's rule: stage seeds
averaged, precision and sensitivity judged on the curated genomes, MCC on all, E. coli's last 30 % as a guard.
Synthetic rows, no data, well under a second."""
from __future__ import annotations

import json
import sys
from pathlib import Path

LOO = Path(__file__).resolve().parents[2] / "bench" / "research" / "loo"
KEYS = ("ecoli", "yersinia_pestis_KIM", "methanococcus_maripaludis_S2", "methanosarcina_mazei_S-6")


def _rows(path, prec, curated_prec_shift=0.0, mcc=0.9):
    rows = {k: {"mcc": mcc, "roc_auc": 0.99, "stop_sensitivity": 0.95,
                "stop_precision": prec + (curated_prec_shift if k != "yersinia_pestis_KIM" else -0.05)} for k in KEYS}
    rows["ecoli_last30"] = {"mcc": 0.94, "roc_auc": 0.996, "stop_sensitivity": 0.96, "stop_precision": 0.96}
    path.write_text(json.dumps(rows))


def _verdict(tmp_path, capsys, shift_s1, shift_s2):
    sys.path.insert(0, str(LOO))
    try:
        import src_table
        for lab in ("base", "base-s2", "prodigal"):
            _rows(tmp_path / f"rows-{lab}.json", 0.96)
        _rows(tmp_path / "rows-idea.json", 0.96, shift_s1)
        _rows(tmp_path / "rows-idea-s2.json", 0.96, shift_s2)
        src_table.main(["base,base-s2", "idea,idea-s2", "--dir", str(tmp_path)])
    finally:
        sys.path.remove(str(LOO))
    return capsys.readouterr().out.splitlines()


def test_rule_averages_the_seeds(tmp_path, capsys):
    # curated precision +0.003 at one seed and +0.0 at the other: mean +0.0015 < 0.002 -> fails
    assert _verdict(tmp_path, capsys, 0.003, 0.0)[-2].endswith("-> fails")
    assert _verdict(tmp_path, capsys, 0.003, 0.002)[-2].endswith("-> passes")
