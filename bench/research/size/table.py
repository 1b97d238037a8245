"""The size bed's table (DECISIONS.md): per genome, stop precision and sensitivity of ours (mean of the stage seeds
given) and Prodigal's, on the whole genome and pooled over its pieces (sum of stop matches / sum of calls, resp.
annotated stops, over the pieces), the gap ours - Prodigal, and the size effect = the pieces' gap - the whole's gap.

python bench/research/size/table.py [--dir /tmp/H-size] [--sizes whole,p1m,p05m] [--seeds base,base-s2]
    -> the markdown table and DECISIONS.md's verdict (on the first piece size after 'whole')"""
import argparse
import json
from pathlib import Path

SHORT = {"ecoli": "E. coli first 70 %", "yersinia_pestis_KIM": "Y. pestis", "haemophilus_influenzae_RdKW20":
         "H. influenzae", "neisseria_meningitidis_MC58": "N. meningitidis", "staphylococcus_aureus_COL": "S. aureus",
         "methanococcus_maripaludis_S2": "M. maripaludis", "methanosarcina_mazei_S-6": "M. mazei (tuning)",
         "brucella_melitensis_16M": "B. melitensis (tuning)"}


def pooled(pieces):
    """(stop precision, stop sensitivity, mean nucleotide MCC weighted by length, number of pieces, mean length)."""
    m = sum(p["stop_matches"] for p in pieces)
    pred, ann = sum(p["predicted"] for p in pieces), sum(p["annotated"] for p in pieces)
    n = sum(p["hi"] - p["lo"] for p in pieces)
    mcc = sum(p["mcc"] * (p["hi"] - p["lo"]) for p in pieces) / n
    return m / pred, m / ann, mcc, len(pieces), n / len(pieces)


def load(d, size, label):
    f = Path(d) / f"pieces-{size}-{label}.json"
    return json.load(open(f)) if f.exists() else None


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("--dir", default="/tmp/H-size")
    p.add_argument("--sizes", default="whole,p1m,p05m")
    p.add_argument("--seeds", default="base,base-s2")
    a = p.parse_args(argv)
    sizes = [s for s in a.sizes.split(",") if load(a.dir, s, "prodigal")]
    seeds = a.seeds.split(",")
    gaps = {s: {} for s in sizes}
    print("| genome | " + " | ".join(f"{s}: pieces x Mb, ours prec/sens (seeds {'+'.join(seeds)}), Prodigal prec/sens, "
                                       f"gap prec/sens" for s in sizes) + " |")
    print("|---|" + "---|" * len(sizes))
    for g in SHORT:
        cells = []
        for s in sizes:
            pro = load(a.dir, s, "prodigal")[g]
            ours = [pooled(load(a.dir, s, lab)[g]) for lab in seeds if load(a.dir, s, lab) and g in load(a.dir, s, lab)]
            pp, ps, _, k, ln = pooled(pro)
            op = sum(o[0] for o in ours) / len(ours)
            os_ = sum(o[1] for o in ours) / len(ours)
            gaps[s][g] = (op - pp, os_ - ps, [o[0] - pp for o in ours])
            cells.append(f"{k} x {ln / 1e6:.2f}, {op:.4f}/{os_:.4f}, {pp:.4f}/{ps:.4f}, {op - pp:+.4f}/{os_ - ps:+.4f}")
        print(f"| {SHORT[g]} | " + " | ".join(cells) + " |")
    means = {s: (sum(v[0] for v in gaps[s].values()) / len(gaps[s]), sum(v[1] for v in gaps[s].values()) / len(gaps[s]))
             for s in sizes}
    print("| mean gap prec/sens | " + " | ".join(f"{means[s][0]:+.4f}/{means[s][1]:+.4f}" for s in sizes) + " |")
    for s in sizes[1:]:
        eff = {g: gaps[s][g][0] - gaps["whole"][g][0] for g in gaps[s]}
        per_seed = [sum(gaps[s][g][2][i] - gaps["whole"][g][2][i] for g in eff) / len(eff)
                    for i in range(len(seeds))]
        print(f"\nsize effect {s} (pieces' precision gap - whole's): "
              + ", ".join(f"{SHORT[g]} {v:+.4f}" for g, v in eff.items()))
        mean, neg = sum(eff.values()) / len(eff), sum(v < 0 for v in eff.values())
        print(f"mean {mean:+.4f} (per seed: {', '.join(f'{v:+.4f}' for v in per_seed)}), below 0 on {neg} of "
              f"{len(eff)}")
        if s == sizes[1]:
            clear = mean <= -0.005 and neg >= 6
            print(f"DECISIONS.md's criterion (mean <= -0.005 and below 0 on >= 6 of 8): "
                  f"{'CLEAR size effect' if clear else 'no clear size effect'}")


if __name__ == "__main__":
    main()
