#!/bin/bash
# Session 17 (H-src), idea C of DECISIONS.md: every stage of the bed (the 6 LOO parents' and V5's) refitted by
# gc_shift/stage.py with the gene-finder-annotated genomes (RAST, Prokka) and their GC-shifted copies weighing W
# (default 0.25) instead of 1, classifier seeds 1 and 2; the rows (rows.py --stage-tag=-src / -src-s2) and
# src_table.py's verdict against the baseline rows (base, base-s2). Needs fits.sh, run.sh and seed2.sh's outputs in OUT.
# Run from the repository root: DATA=/tmp/H-gc/data OUT=/tmp/H-loo bash bench/research/loo/src.sh   (~8 min)
set -e
. bench/research/loo/common.sh
LOO=${LOO:-ecoli,yersinia_pestis_KIM,haemophilus_influenzae_RdKW20,neisseria_meningitidis_MC58,staphylococcus_aureus_COL,methanococcus_maripaludis_S2}
BASE=${BASE:-/tmp/H-gc/base}; W=${W:-0.25}; TAG=${TAG:-src}
GF=staphylococcus_aureus_COL,haemophilus_influenzae_RdKW20,yersinia_pestis_KIM,neisseria_meningitidis_MC58,brucella_melitensis_16M
WTS=$(for g in ${GF//,/ }; do echo -n "$g=$W,${g}_gc=$W,"; done)
S=bench/research/gc_shift/stage.py
for s in 1 2; do
  sfx=-$TAG; [ $s = 1 ] || sfx=-$TAG-s$s
  [ -f "$OUT/v5_stage$sfx.json" ] || $P $S "$BASE" "$OUT/v5_stage$sfx.json" "$T,$C3" --data "$DATA" --seed $s --weights "$WTS" > "$OUT/stage-v5$sfx.log" 2>&1
  for G in ${LOO//,/ }; do
    [ -f "$OUT/loo-${G}_stage$sfx.json" ] || \
    $P $S "$OUT/loo-$G" "$OUT/loo-${G}_stage$sfx.json" "$(less $T $G),$(less $C3 ${G}_gc)" --data "$DATA" --seed $s --weights "$WTS" > "$OUT/stage-loo-$G$sfx.log" 2>&1
  done
  $P bench/research/loo/rows.py ${TAG}${sfx#-$TAG} --stage-tag=$sfx --data "$DATA" --outdir "$OUT" --base "$BASE" --loo "$LOO" > "$OUT/rows-$TAG$s.log" 2>&1
  echo "$(date -u +%H:%M:%S) seed $s done"
done
.venv/bin/python bench/research/loo/src_table.py base,base-s2 $TAG,$TAG-s2 --dir "$OUT"
