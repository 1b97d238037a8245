#!/bin/bash
# The size bed's rows and table (DECISIONS.md), run from the repository root after loo/fits.sh and loo/seed2.sh
# (their stages in LOO_DIR): each size (whole, ~1 Mb and ~0.5 Mb pieces) called by Prodigal, the baseline stage
# (seed 1) and the stage of seed 2. ~4 min on this machine (load ~1-2).
#   DATA=/tmp/H-gc/data LOO_DIR=/tmp/H-loo OUT=/tmp/H-size bash bench/research/size/run.sh
set -e
DATA=${DATA:-/tmp/H-gc/data}; LOO_DIR=${LOO_DIR:-/tmp/H-loo}; OUT=${OUT:-/tmp/H-size}
export OMP_NUM_THREADS=1
mkdir -p "$OUT"
P="nice -n 10 .venv/bin/python bench/research/size/pieces.py --data $DATA --loo-dir $LOO_DIR --outdir $OUT"
for S in whole:0 p1m:1000000 p05m:500000; do
  N=${S%%:*}; L=${S##*:}
  $P "$N-prodigal" --piece "$L" --prodigal > "$OUT/$N-prodigal.log" 2>&1
  $P "$N-base" --piece "$L" > "$OUT/$N-base.log" 2>&1
  $P "$N-base-s2" --piece "$L" --stage-tag=-s2 > "$OUT/$N-base-s2.log" 2>&1
done
.venv/bin/python bench/research/size/table.py --dir "$OUT"
