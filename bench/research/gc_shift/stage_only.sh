#!/bin/bash
# Session 14 (H-gc2): V4/V5 — the baseline's scorers kept, only the precision stage refitted (stage.py) on their
# calls on the 6 real training genomes plus GC-shifted copies (V4: copies of all 6; V5: of E. coli, Y. pestis,
# N. meningitidis). Needs fits.sh's baseline ($OUT/base, $OUT/base_stage.json, $OUT/eval-base.json).
# Run from the repository root: bash bench/research/gc_shift/stage_only.sh   (~2 min per variant on 2 idle cores)
set -e
DATA=${DATA:-/tmp/gc_shift/data}; OUT=${OUT:-/tmp/gc_shift}; BASE=${BASE:-$OUT/base}; BASEDIR=${BASEDIR:-$OUT}
export OMP_NUM_THREADS=1
P="nice -n 10 .venv/bin/python"
D=bench/research/gc_shift
T=ecoli,staphylococcus_aureus_COL,haemophilus_influenzae_RdKW20,yersinia_pestis_KIM,neisseria_meningitidis_MC58,methanococcus_maripaludis_S2
C6=ecoli_gc,staphylococcus_aureus_COL_gc,haemophilus_influenzae_RdKW20_gc,yersinia_pestis_KIM_gc,neisseria_meningitidis_MC58_gc,methanococcus_maripaludis_S2_gc
C3=ecoli_gc,yersinia_pestis_KIM_gc,neisseria_meningitidis_MC58_gc
mkdir -p "$OUT"
$P $D/stage.py "$BASE" "$OUT/v4_stage.json" $T,$C6 --data "$DATA" > "$OUT/stage-v4.log" 2>&1
$P $D/evalv.py "$BASE" "$OUT/v4_stage.json" v4 --data "$DATA" --outdir "$OUT" > "$OUT/eval-v4.log" 2>&1
$P $D/stage.py "$BASE" "$OUT/v5_stage.json" $T,$C3 --data "$DATA" > "$OUT/stage-v5.log" 2>&1
$P $D/evalv.py "$BASE" "$OUT/v5_stage.json" v5 --data "$DATA" --outdir "$OUT" > "$OUT/eval-v5.log" 2>&1
.venv/bin/python $D/table.py v4 v5 --dir "$OUT" --base "$BASEDIR:base"
