#!/bin/bash
# Session 15 (H-ens): step-1 scorers with seeds 2 and 3, fitted exactly as bench/research/gc_shift/fits.sh fits its
# `base` (6 real training genomes; only --seed differs). Seed 1 is H-gc's /tmp/H-gc/base.
# Run from the repository root: DATA=/tmp/H-gc/data OUT=/tmp/H-ens bash bench/research/ensemble/fits.sh
# (session 15: 105 s and 183 s for seeds 2 and 3 per their logs, machine not idle)
set -e
DATA=${DATA:-/tmp/gc_shift/data}; OUT=${OUT:-/tmp/ensemble}
export OMP_NUM_THREADS=1
P="nice -n 10 .venv/bin/python"
T=ecoli,staphylococcus_aureus_COL,haemophilus_influenzae_RdKW20,yersinia_pestis_KIM,neisseria_meningitidis_MC58,methanococcus_maripaludis_S2
mkdir -p "$OUT"
for s in ${SEEDS:-2 3}; do
  $P -m genoview.core.models.geneorf.fit --shared "$DATA" --out "$OUT/base-s$s" --seed $s --iterations 3 --hidden 128 --epochs 24 \
    --train-genomes "$T" --rna-from models/geneorf-bacteria --offsets 1.25 --rna-thresholds 1.01 --start-background 0.5 --no-tune > "$OUT/base-s$s.log" 2>&1
done
