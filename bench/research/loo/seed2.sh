#!/bin/bash
# Session 16 (H-loo), after the verdicts, for reading only: the bed's noise from the stage classifier's seed alone —
# every baseline stage of the bed (the 6 LOO parents' and V5's) refitted by stage.py --seed 2, then the rows.
# Run from the repository root after fits.sh and run.sh: DATA=/tmp/H-gc/data OUT=/tmp/H-loo bash bench/research/loo/seed2.sh
set -e
. bench/research/loo/common.sh
LOO=${LOO:-ecoli,yersinia_pestis_KIM,haemophilus_influenzae_RdKW20,neisseria_meningitidis_MC58,staphylococcus_aureus_COL,methanococcus_maripaludis_S2}
BASE=${BASE:-/tmp/H-gc/base}
[ -f "$OUT/v5_stage-s2.json" ] || $P bench/research/gc_shift/stage.py "$BASE" "$OUT/v5_stage-s2.json" "$T,$C3" --data "$DATA" --seed 2 > "$OUT/stage-v5-s2.log" 2>&1
for G in ${LOO//,/ }; do
  [ -f "$OUT/loo-${G}_stage-s2.json" ] || \
  $P bench/research/gc_shift/stage.py "$OUT/loo-$G" "$OUT/loo-${G}_stage-s2.json" "$(less $T $G),$(less $C3 ${G}_gc)" --data "$DATA" --seed 2 > "$OUT/stage-loo-$G-s2.log" 2>&1
done
$P bench/research/loo/rows.py base-s2 --stage-tag=-s2 --data "$DATA" --outdir "$OUT" --base "$BASE" --loo "$LOO" > "$OUT/rows-base-s2.log" 2>&1
.venv/bin/python bench/research/loo/table.py base base-s2 markov rbs --dir "$OUT"
