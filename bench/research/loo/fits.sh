#!/bin/bash
# Session 16 (H-loo): leave-one-out parents. For each genome G of LOO (default: E. coli, Y. pestis, H. influenzae):
# step-1 scorers on the other five real training genomes (gc_shift/fits.sh's recipe, --train-genomes less G), then
# the stage (gc_shift/stage.py, the session-8 recipe) on their calls on those five plus the GC-shifted copies of
# E. coli, Y. pestis and N. meningitidis less G's own copy. Neither scorer nor stage sees G.
# Run from the repository root: DATA=/tmp/H-gc/data OUT=/tmp/H-loo bash bench/research/loo/fits.sh
# (session 16's six genomes: 50-112 s per fit, 16-34 s per stage, one thread, load ~3: not idle; README).
# DATA: gc_shift.py's folder (copies + links).
set -e
. bench/research/loo/common.sh
LOO=${LOO:-ecoli,yersinia_pestis_KIM,haemophilus_influenzae_RdKW20}
D=bench/research/gc_shift
mkdir -p "$OUT"
for G in ${LOO//,/ }; do
  TG=$(less $T $G); CG=$(less $C3 ${G}_gc)
  [ -f "$OUT/loo-$G/model.safetensors" ] || \
  $P -m genoview.core.models.geneorf.fit --shared "$DATA" --out "$OUT/loo-$G" --seed 1 --iterations 3 --hidden 128 --epochs 24 \
    --train-genomes "$TG" --rna-from models/geneorf-bacteria --offsets 1.25 --rna-thresholds 1.01 --start-background 0.5 --no-tune > "$OUT/loo-$G.log" 2>&1
  [ -f "$OUT/loo-${G}_stage.json" ] || \
  $P $D/stage.py "$OUT/loo-$G" "$OUT/loo-${G}_stage.json" "$TG,$CG" --data "$DATA" > "$OUT/stage-loo-$G.log" 2>&1
  echo "$(date -u +%H:%M:%S) $G done"
done
