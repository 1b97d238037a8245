"""Session 15 (H-ov) table: per seed, today's gene choice (ENS/eval-{B,S2,S3}.json) against 90/90/0
(DIR/eval-{B,S2,S3}-r.json), and the rule fixed in DECISIONS.md before any row:
 (a) each seed: mean stop precision over the 4 real tuning rows rises (> 0), mean stop sensitivity falls <= 0.001;
 (b) over the three seeds: real rows' mean MCC does not fall; copies' mean MCC falls <= 0.001 and their mean stop
     precision does not fall;
 (c) E. coli last 30 % (seed 1): MCC >= 0.93, ROC AUC >= 0.99.

python bench/research/overlap/table.py --ens ENS --dir DIR"""
import argparse
import json
from pathlib import Path

T = ["methanosarcina_mazei_S-6", "methanosarcina_mazei_S-6/draft", "brucella_melitensis_16M",
     "brucella_melitensis_16M/draft"]
S = ["methanosarcina_mazei_S-6_gc", "brucella_melitensis_16M_gc"]
K = ("mcc", "stop_sensitivity", "stop_precision")


def means(d, rows):
    return {k: sum(d[r][k] for r in rows) / len(rows) for k in K}


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("--ens", default="/tmp/ensemble")
    p.add_argument("--dir", default="/tmp/overlap")
    a = p.parse_args(argv)
    f = lambda r: f"{r['mcc']:.4f} {r['stop_sensitivity']:.3f}/{r['stop_precision']:.3f}"
    g = lambda m: f"{m['mcc']:.4f} {m['stop_sensitivity']:.4f}/{m['stop_precision']:.4f}"
    print("| seed, choice | M. mazei | M. mazei, draft | B. melitensis | B. melitensis, draft "
          "| real mean: MCC stop sens/prec | M. mazei copy | B. melitensis copy | copies mean: MCC stop sens/prec "
          "| E. coli last 30 %: MCC, AUC, stop |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    a_ok, d_real, d_copy = [], {k: 0.0 for k in K}, {k: 0.0 for k in K}
    seeds = ("B", "S2", "S3")
    for lab in seeds:
        old = json.load(open(Path(a.ens) / f"eval-{lab}.json"))
        new = json.load(open(Path(a.dir) / f"eval-{lab}-r.json"))
        for name, d in (("today (90 every pair)", old), ("90/90/0", new)):
            e = d["ecoli_last30"]
            print(f"| {lab} {name} | " + " | ".join(f(d[k]) for k in T) + f" | {g(means(d, T))} | "
                  + " | ".join(f(d[k]) for k in S) + f" | {g(means(d, S))} | "
                  f"{e['mcc']:.4f}, {e['roc_auc']:.4f}, {e['stop_sensitivity']:.3f}/{e['stop_precision']:.3f} |")
        rt, ro = means(new, T), means(old, T)
        dp, ds = rt["stop_precision"] - ro["stop_precision"], rt["stop_sensitivity"] - ro["stop_sensitivity"]
        a_ok.append(dp > 0 and ds >= -0.001)
        print(f"| {lab} change | | | | | MCC {rt['mcc'] - ro['mcc']:+.4f}, stop sens {ds:+.4f}, prec {dp:+.4f} | | | "
              + ", ".join(f"{k} {means(new, S)[k] - means(old, S)[k]:+.4f}" for k in K) + " | |")
        for k in K:
            d_real[k] += (rt[k] - ro[k]) / len(seeds)
            d_copy[k] += (means(new, S)[k] - means(old, S)[k]) / len(seeds)
    e = json.load(open(Path(a.dir) / "eval-B-r.json"))["ecoli_last30"]
    ok = (all(a_ok),
          d_real["mcc"] >= 0 and d_copy["mcc"] >= -0.001 and d_copy["stop_precision"] >= 0,
          e["mcc"] >= 0.93 and e["roc_auc"] >= 0.99)
    print()
    print("mean change over the seeds, real rows: " + ", ".join(f"{k} {v:+.4f}" for k, v in d_real.items()))
    print("mean change over the seeds, copies:    " + ", ".join(f"{k} {v:+.4f}" for k, v in d_copy.items()))
    print(f"(a) per seed: {['+' if x else '-' for x in a_ok]}; (b) {'+' if ok[1] else '-'}; "
          f"(c) E. coli {e['mcc']:.4f} / {e['roc_auc']:.4f} {'+' if ok[2] else '-'}")
    print("verdict: 90/90/0 " + ("PASSES" if all(ok) else "FAILS"))


if __name__ == "__main__":
    main()
