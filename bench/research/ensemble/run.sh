#!/bin/bash
# Session 15 (H-ens): B (H-gc2's V5: the seed-1 baseline scorers + the stage refitted with 3 GC-shifted copies'
# calls) against E3 (the mean of step-1 seeds 1, 2, 3 merged into one scorer of hidden 384, its own stage refitted by
# the same recipe on its calls), Prodigal on the same rows, and the table with the rule fixed in DECISIONS.md.
# Needs fits.sh's seeds 2, 3 in $OUT and gc_shift/fits.sh's seed-1 base + stage_only.sh's V5 stage.
# Run from the repository root:
#   DATA=/tmp/H-gc/data OUT=/tmp/H-ens BASE1=/tmp/H-gc/base BSTAGE=/tmp/H-gc2/v5_stage.json bash bench/research/ensemble/run.sh
# (~5 min on 2 idle cores)
set -e
DATA=${DATA:-/tmp/gc_shift/data}; OUT=${OUT:-/tmp/ensemble}
BASE1=${BASE1:-/tmp/gc_shift/base}; BSTAGE=${BSTAGE:-/tmp/gc_shift/v5_stage.json}
export OMP_NUM_THREADS=1
P="nice -n 10 .venv/bin/python"
G=bench/research/gc_shift; E=bench/research/ensemble
T=ecoli,staphylococcus_aureus_COL,haemophilus_influenzae_RdKW20,yersinia_pestis_KIM,neisseria_meningitidis_MC58,methanococcus_maripaludis_S2
C3=ecoli_gc,yersinia_pestis_KIM_gc,neisseria_meningitidis_MC58_gc
# B: V5's scorers and stage, rows re-measured with today's code
$P $G/evalv.py "$BASE1" "$BSTAGE" B --data "$DATA" --outdir "$OUT" > "$OUT/eval-B.log" 2>&1
# E3
[ -d "$OUT/e3" ] || $P $E/merge.py "$OUT/e3" "$BASE1" "$OUT/base-s2" "$OUT/base-s3" > "$OUT/merge-e3.log" 2>&1
$P $G/stage.py "$OUT/e3" "$OUT/e3_stage.json" $T,$C3 --data "$DATA" > "$OUT/stage-e3.log" 2>&1
$P $G/evalv.py "$OUT/e3" "$OUT/e3_stage.json" E3 --data "$DATA" --outdir "$OUT" > "$OUT/eval-E3.log" 2>&1
# Prodigal on the same rows
$P $E/prodigal_rows.py --data "$DATA" --outdir "$OUT" > "$OUT/eval-prodigal.log" 2>&1
.venv/bin/python $E/table.py E3 prodigal --base B --dir "$OUT"
