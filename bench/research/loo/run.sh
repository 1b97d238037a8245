#!/bin/bash
# Session 16 (H-loo): the bed's rows (baseline and Prodigal), then for each idea of IDEAS (markov = A, rbs = B; see
# DECISIONS.md) every LOO parent's stage and V5's stage refitted with its features by stage_x.py on the same genomes,
# its rows, and the table with the rule's verdict. IDEAS= (empty): the bed only.
# Needs fits.sh's parents in OUT. Run from the repository root:
#   DATA=/tmp/H-gc/data OUT=/tmp/H-loo bash bench/research/loo/run.sh
set -e
. bench/research/loo/common.sh
LOO=${LOO:-ecoli,yersinia_pestis_KIM,haemophilus_influenzae_RdKW20,neisseria_meningitidis_MC58,staphylococcus_aureus_COL,methanococcus_maripaludis_S2}
BASE=${BASE:-/tmp/H-gc/base}; BSTAGE=${BSTAGE:-/tmp/H-gc2/v5_stage.json}
L=bench/research/loo
A="--data $DATA --outdir $OUT --base $BASE --bstage $BSTAGE --loo $LOO"
$P $L/rows.py base $A > "$OUT/rows-base.log" 2>&1
$P $L/rows.py prodigal --prodigal $A > "$OUT/rows-prodigal.log" 2>&1
for I in ${IDEAS-markov rbs}; do
  [ -f "$OUT/v5_stage-$I.json" ] || $P $L/stage_x.py $I "$BASE" "$OUT/v5_stage-$I.json" "$T,$C3" --data "$DATA" > "$OUT/stage-v5-$I.log" 2>&1
  for G in ${LOO//,/ }; do
    [ -f "$OUT/loo-${G}_stage-$I.json" ] || \
    $P $L/stage_x.py $I "$OUT/loo-$G" "$OUT/loo-${G}_stage-$I.json" "$(less $T $G),$(less $C3 ${G}_gc)" --data "$DATA" > "$OUT/stage-loo-$G-$I.log" 2>&1
  done
  $P $L/rows.py $I --features $I $A > "$OUT/rows-$I.log" 2>&1
done
.venv/bin/python $L/table.py base ${IDEAS-markov rbs} --dir "$OUT"
