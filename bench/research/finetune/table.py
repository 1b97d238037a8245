"""The bed's table in Markdown: one row per case, one column per label (change over the parent, kept candidate),
and improve / mean / worst per label. Usage: python bench/research/finetune/table.py LABEL ... [--dir /tmp/H-ft/bed]; LABEL may be A+B (the rows of
both files, e.g. default_old+default_loo)."""
import argparse
import json
from pathlib import Path


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("labels", nargs="+")
    ap.add_argument("--dir", default="/tmp/H-ft/bed")
    args = ap.parse_args()
    # a label A+B is the rows of A.json then B.json (e.g. session 16's 11 rows + the 6 leave-one-out rows)
    runs = {label: {r["case"]: r for part in label.split("+")
                    for r in json.loads((Path(args.dir) / f"{part}.json").read_text())["rows"]}
            for label in args.labels}
    cases = list(next(iter(runs.values())))
    print("| case | parent | " + " | ".join(args.labels) + " |")
    print("|---|---|" + "---|" * len(args.labels))
    for case in cases:
        first = next(iter(runs.values()))[case]
        cells = []
        for label in args.labels:
            r = runs[label].get(case)
            stage = " + refitted call filter" if r and (r.get("stage_refit") or {}).get("kept") else ""
            cells.append("-" if r is None else f"{r['change']:+.4f} {r['chosen']}{stage}")
        print(f"| {case} | {first['parent_mcc']:.4f} | " + " | ".join(cells) + " |")
    summary = []
    for label in args.labels:
        ch = [r["change"] for r in runs[label].values()]
        summary.append(f"{sum(c > 0 for c in ch)} of {len(ch)}, {sum(ch) / len(ch):+.4f}, worst {min(ch):+.4f}")
    print("| improve, mean, worst | | " + " | ".join(summary) + " |")


if __name__ == "__main__":
    main()
