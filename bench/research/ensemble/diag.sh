#!/bin/bash
# Session 15 (H-ens), after the verdict (which stands whatever this shows): diagnostics only, no candidate.
# 1. seed noise: step-1 seeds 2 and 3 alone, each with its own stage by the V5 recipe (S2, S3; B is seed 1);
# 2. the frontier: B's and E3's stages read at cut 0.3 and 0.5 (shipped 0.4), to see whether E3's precision at B's
#    sensitivity is higher (past the frontier) or the same (along it).
# Run from the repository root after run.sh, with the same DATA, OUT, BASE1, BSTAGE (~12 min on the shared machine)
set -e
DATA=${DATA:-/tmp/gc_shift/data}; OUT=${OUT:-/tmp/ensemble}
BASE1=${BASE1:-/tmp/gc_shift/base}; BSTAGE=${BSTAGE:-/tmp/gc_shift/v5_stage.json}
export OMP_NUM_THREADS=1
P="nice -n 10 .venv/bin/python"
G=bench/research/gc_shift; E=bench/research/ensemble
T=ecoli,staphylococcus_aureus_COL,haemophilus_influenzae_RdKW20,yersinia_pestis_KIM,neisseria_meningitidis_MC58,methanococcus_maripaludis_S2
C3=ecoli_gc,yersinia_pestis_KIM_gc,neisseria_meningitidis_MC58_gc
for s in 2 3; do
  $P $G/stage.py "$OUT/base-s$s" "$OUT/s${s}_stage.json" $T,$C3 --data "$DATA" > "$OUT/stage-s$s.log" 2>&1
  $P $G/evalv.py "$OUT/base-s$s" "$OUT/s${s}_stage.json" S$s --data "$DATA" --outdir "$OUT" > "$OUT/eval-S$s.log" 2>&1
done
for c in 0.3 0.5; do
  for v in B E3; do
    st="$BSTAGE"; m="$BASE1"; [ $v = B ] || { st="$OUT/e3_stage.json"; m="$OUT/e3"; }
    .venv/bin/python -c "import json,sys; d=json.load(open(sys.argv[1])); d['cut']=float(sys.argv[2]); json.dump(d, open(sys.argv[3], 'w'))" \
      "$st" $c "$OUT/${v}c${c}_stage.json"
    $P $G/evalv.py "$m" "$OUT/${v}c${c}_stage.json" ${v}c$c --data "$DATA" --outdir "$OUT" > "$OUT/eval-${v}c$c.log" 2>&1
  done
done
.venv/bin/python $E/table.py S2 S3 E3 Bc0.3 E3c0.3 Bc0.5 E3c0.5 --base B --dir "$OUT"
