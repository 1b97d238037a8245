"""Fine-tune design bed (issue 11, session 15): fine-tune each case on its first 70 % and score parent and child on
its last 30 %, exactly as README's "Fine-tuning the default model (GeneORF)" does, one process at a time.

Usage (repository root, .venv):
  python bench/research/finetune/bed.py --label default [--model-option K=V ...] [--cases a,b] \
      --parent /tmp/H-ft/parent --pieces /tmp/H-ft/data --gc /tmp/H-gc/data --out /tmp/H-ft/bed
Per case: `genoview evaluate --model PARENT --fasta G --gff A --from 0.7 --to 1.0 --no-cache --json` (once per
case, kept in OUT/parent-CASE.json), `genoview train --init PARENT --fasta G --gff A --max-minutes 10 --seed 1
--threads 1 --out OUT/LABEL/CASE [--model-option ...]`, then the same evaluate with --model OUT/LABEL/CASE.
Every process: nice -n 10, OMP_NUM_THREADS=1, GENOVIEW_HOME=OUT/home (the user's library is not touched).
Writes OUT/LABEL.json: one row per case (case, parent_mcc, child_mcc, change, chosen, best_by_mcc,
lead_lower_bound, cpu_s = the fine-tune's fine_tuning.cpu_seconds, process_cpu_s = the train process's user+sys)
and prints the table with improve / mean / worst.
"""
import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
SHARED = REPO.parent / "shared" / "data" / "bacteria"
# the tuning genomes whole, their ~1 Mb pieces (make_pieces.py), their GC-shifted copies (session 14, gc_shift.py)
CASES = {
    "mma_whole": ("shared", "methanosarcina_mazei_S-6"),
    "bru_whole": ("shared", "brucella_melitensis_16M"),
    "mma1": ("pieces", "mma1"), "mma2": ("pieces", "mma2"), "mma3": ("pieces", "mma3"), "mma4": ("pieces", "mma4"),
    "bru1": ("pieces", "bru1"), "bru2": ("pieces", "bru2"), "bruc2": ("pieces", "bruc2"),
    "mma_gc": ("gc", "methanosarcina_mazei_S-6_gc"),
    "bru_gc": ("gc", "brucella_melitensis_16M_gc"),
}
# session 17: six leave-one-out cases (loo_cases.py): each genome fine-tuned from a parent that never saw it
# (PARENTS/<genome>); E. coli as the piece ecoli70 (its first 70 %: the shipped test part is never read)
LOO = {
    "eco70": ("loo", "ecoli70", "ecoli"),
    "yps": ("gc", "yersinia_pestis_KIM", "yersinia_pestis_KIM"),
    "hin": ("gc", "haemophilus_influenzae_RdKW20", "haemophilus_influenzae_RdKW20"),
    "nme": ("gc", "neisseria_meningitidis_MC58", "neisseria_meningitidis_MC58"),
    "sau": ("gc", "staphylococcus_aureus_COL", "staphylococcus_aureus_COL"),
    "mmp": ("gc", "methanococcus_maripaludis_S2", "methanococcus_maripaludis_S2"),
}


def run(cmd, env, log):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(log, "a") as fh:
        fh.write("$ " + " ".join(cmd) + "\n")
        fh.flush()
        proc = subprocess.run(["nice", "-n", "10"] + cmd, env=env, stdout=subprocess.PIPE, stderr=fh, text=True,
                              cwd=REPO)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}; see {log}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return proc.stdout, cpu


def evaluate(model, fasta, gff, env, log):
    out, _ = run([str(REPO / ".venv/bin/genoview"), "evaluate", "--model", str(model), "--fasta", str(fasta),
                  "--gff", str(gff), "--from", "0.7", "--to", "1.0", "--no-cache", "--json"], env, log)
    return json.loads(out)["mcc"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--label", required=True)
    ap.add_argument("--model-option", action="append", default=[])
    ap.add_argument("--cases", default=",".join(CASES), help="comma-separated; 'loo' = the six LOO cases, 'all' = 17")
    ap.add_argument("--parent", default="/tmp/H-ft/parent")
    ap.add_argument("--pieces", default="/tmp/H-ft/data")
    ap.add_argument("--gc", default="/tmp/H-gc/data")
    ap.add_argument("--out", default="/tmp/H-ft/bed")
    ap.add_argument("--loo-parents", default="/tmp/H-ft3/parents", help="loo_cases.py's OUT/parents")
    ap.add_argument("--loo-data", default="/tmp/H-ft3/data", help="loo_cases.py's OUT/data (the E. coli piece)")
    ap.add_argument("--seed", type=int, default=1, help="the fine-tune's --seed (1: the bed's rows)")
    args = ap.parse_args()
    out = Path(args.out)
    (out / args.label).mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, OMP_NUM_THREADS="1", GENOVIEW_HOME=str(out / "home"))
    log = out / f"{args.label}.log"
    rows = []
    cases = args.cases.replace("all", ",".join(CASES) + ",loo").replace("loo", ",".join(LOO)).split(",")
    for case in cases:
        parent = args.parent
        if case in LOO:
            where, folder, genome = LOO[case]
            parent = str(Path(args.loo_parents) / genome)
        else:
            where, folder = CASES[case]
        root = {"shared": SHARED, "pieces": Path(args.pieces) / "bacteria", "gc": Path(args.gc) / "bacteria",
                "loo": Path(args.loo_data) / "bacteria"}[where]
        fasta, gff = root / folder / "genome.fna.gz", root / folder / "annotation.gff3.gz"
        cached = out / f"parent-{case}.json"
        if cached.exists():
            parent_mcc = json.loads(cached.read_text())["mcc"]
        else:
            parent_mcc = evaluate(parent, fasta, gff, env, log)
            cached.write_text(json.dumps({"case": case, "parent": parent, "mcc": parent_mcc}))
        child = out / args.label / case
        if child.exists():
            shutil.rmtree(child)
        t0 = time.time()
        options = [x for opt in args.model_option for x in ("--model-option", opt)]
        _, proc_cpu = run([str(REPO / ".venv/bin/genoview"), "train", "--init", str(parent), "--fasta", str(fasta),
                           "--gff", str(gff), "--max-minutes", "10", "--seed", str(args.seed), "--threads", "1", "--out",
                           str(child)] + options, env, log)
        ft = json.loads((child / "genoview.json").read_text())["fine_tuning"]
        child_mcc = evaluate(child, fasta, gff, env, log)
        row = {"case": case, "parent_mcc": round(parent_mcc, 4), "child_mcc": round(child_mcc, 4),
               "change": round(child_mcc - parent_mcc, 4), "chosen": ft.get("chosen"),
               "best_by_mcc": ft.get("best_by_mcc"), "lead_lower_bound": ft.get("lead_lower_bound"),
               "stage_refit": ft.get("stage_refit"), "floor_lead": ft.get("floor_lead"),
               "cpu_s": ft.get("cpu_seconds"), "process_cpu_s": round(proc_cpu, 1),
               "wall_s": round(time.time() - t0, 1), "load": round(os.getloadavg()[0], 2)}
        rows.append(row)
        print(json.dumps(row), flush=True)
        (out / f"{args.label}.json").write_text(json.dumps({"label": args.label, "model_options": args.model_option,
                                                            "seed": args.seed, "parent": args.parent, "rows": rows}, indent=1))
    changes = [r["change"] for r in rows]
    print(f"{args.label}: improve {sum(c > 0 for c in changes)} of {len(changes)}, "
          f"mean {sum(changes) / len(changes):+.4f}, worst {min(changes):+.4f}")


if __name__ == "__main__":
    sys.exit(main())
