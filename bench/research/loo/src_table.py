"""Session 17 (H-src), idea C's table and DECISIONS.md's rule: per bed genome nucleotide MCC and stop
sensitivity/precision of the baseline and of the idea, each the mean over its stage seeds, and Prodigal's; the rule's
means over the curated genomes (E. coli first 70 %, M. maripaludis, M. mazei) and over all 8; E. coli's last 30 %.

python bench/research/loo/src_table.py BASE,BASE-S2 IDEA,IDEA-S2 [--dir OUT]   (reads OUT/rows-LABEL.json)"""
import argparse
import json
from pathlib import Path

from table import SHORT

CURATED = ("ecoli", "methanococcus_maripaludis_S2", "methanosarcina_mazei_S-6")
FIELDS = ("mcc", "stop_sensitivity", "stop_precision")


def avg(runs, key, field):
    return sum(r[key][field] for r in runs) / len(runs)


def mean(runs, keys, field):
    return sum(avg(runs, k, field) for k in keys) / len(keys)


def cell(runs, key):
    return " ".join(f"{avg(runs, key, f):.4f}" for f in FIELDS[:1]) + \
        f" {avg(runs, key, 'stop_sensitivity'):.4f}/{avg(runs, key, 'stop_precision'):.4f}"


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("base")
    p.add_argument("idea")
    p.add_argument("--dir", default="/tmp/loo")
    a = p.parse_args(argv)
    d = Path(a.dir)
    load = lambda labels: [json.loads((d / f"rows-{lab}.json").read_text()) for lab in labels.split(",")]  # noqa: E731
    base, idea, pro = load(a.base), load(a.idea), load("prodigal")
    keys = [k for k in base[0] if k != "ecoli_last30"]
    print(f"| genome | {a.base} (mean) | {a.idea} (mean) | per seed: {a.idea} | Prodigal |")
    print("|---|---|---|---|---|")
    for k in keys:
        seeds = "; ".join(f"{r[k]['mcc']:.4f} {r[k]['stop_sensitivity']:.4f}/{r[k]['stop_precision']:.4f}" for r in idea)
        print(f"| {SHORT.get(k, k)}{' (curated)' if k in CURATED else ''} | {cell(base, k)} | {cell(idea, k)} | "
              f"{seeds} | {cell(pro, k)} |")
    for name, ks in (("curated 3", CURATED), ("all 8", keys)):
        print(f"| mean, {name} | " + " | ".join(
            f"{mean(r, ks, 'mcc'):.4f} {mean(r, ks, 'stop_sensitivity'):.4f}/{mean(r, ks, 'stop_precision'):.4f}"
            for r in (base, idea)) + " | | " +
            f"{mean(pro, ks, 'mcc'):.4f} {mean(pro, ks, 'stop_sensitivity'):.4f}/{mean(pro, ks, 'stop_precision'):.4f} |")
    e = "; ".join(f"{r['ecoli_last30']['mcc']:.4f}, AUC {r['ecoli_last30']['roc_auc']:.4f}, "
                  f"{r['ecoli_last30']['stop_sensitivity']:.4f}/{r['ecoli_last30']['stop_precision']:.4f}" for r in base + idea)
    print(f"\nE. coli last 30 % ({a.base}; {a.idea}): {e}")
    dp = mean(idea, CURATED, "stop_precision") - mean(base, CURATED, "stop_precision")
    ds = mean(idea, CURATED, "stop_sensitivity") - mean(base, CURATED, "stop_sensitivity")
    dm = mean(idea, keys, "mcc") - mean(base, keys, "mcc")
    c4 = all(r["ecoli_last30"]["mcc"] >= 0.93 and r["ecoli_last30"]["roc_auc"] >= 0.99 for r in idea)
    ok = [dp >= 0.002, ds >= -0.002, dm >= -0.001, c4]
    print(f"rule: (1) curated mean stop precision {dp:+.4f} {'ok' if ok[0] else 'no'}; (2) curated mean stop "
          f"sensitivity {ds:+.4f} {'ok' if ok[1] else 'no'}; (3) mean MCC of {len(keys)} {dm:+.4f} "
          f"{'ok' if ok[2] else 'no'}; (4) E. coli last 30 % {'ok' if c4 else 'no'} -> "
          f"{'passes' if all(ok) else 'fails'}")
    gp = mean(idea, keys, "stop_precision") - mean(base, keys, "stop_precision")
    gs = mean(idea, keys, "stop_sensitivity") - mean(base, keys, "stop_sensitivity")
    print(f"for reading: all {len(keys)} genomes' mean stop precision {gp:+.4f}, sensitivity {gs:+.4f}")


if __name__ == "__main__":
    main()
