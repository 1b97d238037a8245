"""The bed's table (markdown): per genome nucleotide MCC and stop sensitivity/precision of each variant and of
Prodigal, the held-out pattern check (ours: precision below Prodigal's, sensitivity above) and, for each variant after
the first, DECISIONS.md's ship rule against the first.

python bench/research/loo/table.py BASE VARIANT... [--dir OUT]   (reads OUT/rows-LABEL.json and OUT/rows-prodigal.json)"""
import argparse
import json
from pathlib import Path

SHORT = {"ecoli": "E. coli first 70 %", "yersinia_pestis_KIM": "Y. pestis", "haemophilus_influenzae_RdKW20":
         "H. influenzae", "neisseria_meningitidis_MC58": "N. meningitidis", "staphylococcus_aureus_COL": "S. aureus",
         "methanococcus_maripaludis_S2": "M. maripaludis", "methanosarcina_mazei_S-6": "M. mazei (tuning)",
         "brucella_melitensis_16M": "B. melitensis (tuning)"}


def mean(rows, keys, field):
    return sum(rows[k][field] for k in keys) / len(keys)


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("labels", nargs="+")
    p.add_argument("--dir", default="/tmp/loo")
    a = p.parse_args(argv)
    d = Path(a.dir)
    pro = json.load(open(d / "rows-prodigal.json"))
    runs = {lab: json.load(open(d / f"rows-{lab}.json")) for lab in a.labels}
    keys = [k for k in runs[a.labels[0]] if k != "ecoli_last30"]
    cols = a.labels + ["prodigal"]
    runs["prodigal"] = pro
    print("| genome | " + " | ".join(f"{c}: MCC, stop sens/prec" for c in cols) + " | pattern (base) | prec >= Prodigal |")
    print("|---" * (len(cols) + 3) + "|")
    for k in keys:
        cells = [f"{runs[c][k]['mcc']:.4f} {runs[c][k]['stop_sensitivity']:.4f}/{runs[c][k]['stop_precision']:.4f}"
                 for c in cols]
        b = runs[a.labels[0]][k]
        pattern = "yes" if b["stop_precision"] < pro[k]["stop_precision"] and \
            b["stop_sensitivity"] > pro[k]["stop_sensitivity"] else "no"
        ge = ",".join(lab for lab in a.labels if runs[lab][k]["stop_precision"] >= pro[k]["stop_precision"]) or "-"
        print(f"| {SHORT.get(k, k)} | " + " | ".join(cells) + f" | {pattern} | {ge} |")
    cells = [f"{mean(runs[c], keys, 'mcc'):.4f} {mean(runs[c], keys, 'stop_sensitivity'):.4f}/"
             f"{mean(runs[c], keys, 'stop_precision'):.4f}" for c in cols]
    print(f"| mean of {len(keys)} | " + " | ".join(cells) + " | | |")
    cells = [f"{runs[c]['ecoli_last30']['mcc']:.4f} (AUC {runs[c]['ecoli_last30']['roc_auc']:.4f}) "
             f"{runs[c]['ecoli_last30']['stop_sensitivity']:.4f}/{runs[c]['ecoli_last30']['stop_precision']:.4f}"
             for c in cols if "ecoli_last30" in runs[c]]
    print("| E. coli last 30 % (V5 scorers) | " + " | ".join(cells) + " | | |")
    base = runs[a.labels[0]]
    n_ge = lambda r: sum(r[k]["stop_precision"] >= pro[k]["stop_precision"] for k in keys)  # noqa: E731
    print(f"\ngenomes with stop precision >= Prodigal's: " +
          ", ".join(f"{lab} {n_ge(runs[lab])}/{len(keys)}" for lab in a.labels))
    for lab in a.labels[1:]:
        r = runs[lab]
        c1 = n_ge(r) > n_ge(base)
        ds = mean(r, keys, "stop_sensitivity") - mean(base, keys, "stop_sensitivity")
        c2 = ds >= -0.002 and mean(r, keys, "stop_sensitivity") >= mean(pro, keys, "stop_sensitivity")
        dm = mean(r, keys, "mcc") - mean(base, keys, "mcc")
        c3 = dm >= 0
        e = r["ecoli_last30"]
        c4 = e["mcc"] >= 0.93 and e["roc_auc"] >= 0.99
        verdict = "passes" if c1 and c2 and c3 and c4 else "fails"
        print(f"{lab} vs {a.labels[0]}: (1) {n_ge(base)} -> {n_ge(r)} {'ok' if c1 else 'no'}; (2) mean stop sens "
              f"{ds:+.4f} (Prodigal mean {mean(pro, keys, 'stop_sensitivity'):.4f}) {'ok' if c2 else 'no'}; "
              f"(3) mean MCC {dm:+.4f} {'ok' if c3 else 'no'}; (4) E. coli last 30 % {e['mcc']:.4f}/{e['roc_auc']:.4f} "
              f"{'ok' if c4 else 'no'}; mean stop prec {mean(r, keys, 'stop_precision') - mean(base, keys, 'stop_precision'):+.4f}"
              f" -> {verdict}")


if __name__ == "__main__":
    main()
