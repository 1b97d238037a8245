"""Session 15's table (evalv.py's rows) and the ship rule fixed in DECISIONS.md before any result: a variant passes
against the baseline if (a) the mean stop precision over the 4 real tuning rows (M. mazei, B. melitensis, whole +
seed-1 drafts) and over the 2 GC-shifted copies each rise by >= 0.002, (b) the mean stop sensitivity over each of
those two groups falls by <= 0.001, (c) the mean nucleotide MCC over the real rows falls by <= 0.001 and over the
copies does not fall, (d) E. coli's last 30 % keeps MCC >= 0.93 and ROC AUC >= 0.99. A row labelled `prodigal`
(prodigal_rows.py) is shown without a verdict.

python bench/research/ensemble/table.py LABEL ... --base DIR:LABEL [--dir DIR]   (DIR/eval-LABEL.json)"""
import argparse
import json
from pathlib import Path

T = ["methanosarcina_mazei_S-6", "methanosarcina_mazei_S-6/draft", "brucella_melitensis_16M",
     "brucella_melitensis_16M/draft"]
S = ["methanosarcina_mazei_S-6_gc", "brucella_melitensis_16M_gc"]


def load(spec, d):
    folder, _, lab = spec.rpartition(":")
    return lab, json.load(open(Path(folder or d) / f"eval-{lab}.json"))


def means(d, rows):
    return {k: sum(d[r][k] for r in rows) / len(rows) for k in ("mcc", "stop_sensitivity", "stop_precision")}


def verdict(d, base):
    rt, rs, bt, bs = means(d, T), means(d, S), means(base, T), means(base, S)
    e = d["ecoli_last30"]
    ok = (rt["stop_precision"] >= bt["stop_precision"] + 0.002
          and rs["stop_precision"] >= bs["stop_precision"] + 0.002,
          rt["stop_sensitivity"] >= bt["stop_sensitivity"] - 0.001
          and rs["stop_sensitivity"] >= bs["stop_sensitivity"] - 0.001,
          rt["mcc"] >= bt["mcc"] - 0.001 and rs["mcc"] >= bs["mcc"],
          e["mcc"] >= 0.93 and e["roc_auc"] >= 0.99)
    return "".join("+" if x else "-" for x in ok) + (" pass" if all(ok) else " fail")


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("labels", nargs="+")
    p.add_argument("--dir", default="/tmp/ensemble")
    p.add_argument("--base", required=True)
    a = p.parse_args(argv)
    blab, base = load(a.base, a.dir)
    f = lambda r: f"{r['mcc']:.4f} {r['stop_sensitivity']:.3f}/{r['stop_precision']:.3f}"
    g = lambda m: f"{m['mcc']:.4f} {m['stop_sensitivity']:.4f}/{m['stop_precision']:.4f}"
    print("| variant | M. mazei | M. mazei, draft | B. melitensis | B. melitensis, draft "
          "| real mean: MCC stop sens/prec | M. mazei copy | B. melitensis copy | copies mean "
          "| E. coli last 30 %: MCC, AUC, stop | rule (a, b, c, d) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for spec in [a.base] + [s for s in a.labels if s != a.base]:
        lab, d = load(spec, a.dir)
        e = d["ecoli_last30"]
        v = "baseline" if spec == a.base else ("-" if lab == "prodigal" else verdict(d, base))
        print(f"| {lab} | " + " | ".join(f(d[k]) for k in T) + f" | {g(means(d, T))} | "
              + " | ".join(f(d[k]) for k in S) + f" | {g(means(d, S))} | "
              f"{e['mcc']:.4f}, {e['roc_auc']:.4f}, {e['stop_sensitivity']:.3f}/{e['stop_precision']:.3f} | {v} |")


if __name__ == "__main__":
    main()
