"""The card's table from evalv.py's results, and the ship rule against a baseline (fixed in session 14 before any
variant's result): pass if (a) the tuning mean (4 rows) is not lower than the baseline's by more than 0.001, (b) the
copies' mean MCC rises by >= 0.005 and their mean stop precision does not fall, (c) E. coli's last 30 % keeps
MCC >= 0.93 and ROC AUC >= 0.99.

python bench/research/gc_shift/table.py LABEL ... [--dir DIR] [--base LABEL]   (DIR/eval-LABEL.json; default
/tmp/gc_shift, base "base"). A label may be DIR2:LABEL to read another folder's result."""
import argparse
import json
from pathlib import Path

T = ["methanosarcina_mazei_S-6", "methanosarcina_mazei_S-6/draft", "brucella_melitensis_16M", "brucella_melitensis_16M/draft"]
S = ["methanosarcina_mazei_S-6_gc", "brucella_melitensis_16M_gc"]


def load(spec, d):
    folder, _, lab = spec.rpartition(":")
    return lab, json.load(open(Path(folder or d) / f"eval-{lab}.json"))


def summary(d):
    return (sum(d[k]["mcc"] for k in T) / 4, sum(d[k]["mcc"] for k in S) / 2,
            sum(d[k]["stop_precision"] for k in S) / 2, d["ecoli_last30"])


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("labels", nargs="+")
    p.add_argument("--dir", default="/tmp/gc_shift")
    p.add_argument("--base", default="base")
    a = p.parse_args(argv)
    _, base = load(a.base, a.dir)
    bt, bs, bp, _ = summary(base)
    print("| variant | M. mazei | M. mazei, draft | B. melitensis | B. melitensis, draft | tuning mean | M. mazei copy "
          "| B. melitensis copy | copies: MCC / stop prec | E. coli last 30 %: MCC, AUC, stop | rule (a, b, c) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for spec in a.labels:
        lab, d = load(spec, a.dir)
        tm, sm, sp, e = summary(d)
        f = lambda r: f"{r['mcc']:.4f} {r['stop_sensitivity']:.3f}/{r['stop_precision']:.3f}"
        ok = (tm >= bt - 0.001, sm >= bs + 0.005 and sp >= bp, e["mcc"] >= 0.93 and e["roc_auc"] >= 0.99)
        verdict = "".join("+" if x else "-" for x in ok) + (" pass" if all(ok) else " fail")
        print(f"| {lab} | " + " | ".join(f(d[k]) for k in T) + f" | {tm:.4f} ({tm - bt:+.4f}) | "
              + " | ".join(f(d[k]) for k in S) + f" | {sm:.4f} ({sm - bs:+.4f}) / {sp:.3f} ({sp - bp:+.3f}) | "
              f"{e['mcc']:.4f}, {e['roc_auc']:.4f}, {e['stop_sensitivity']:.3f}/{e['stop_precision']:.3f} | {verdict} |")


if __name__ == "__main__":
    main()
