#!/bin/bash
# Session 14 (H-gc): the step-1 fits — the baseline (6 real training genomes) and V1-V3 (+ GC-shifted copies), then
# each one's stage (stage.py on its own training genomes, copies included) and its rows (evalv.py).
# Run from the repository root: bash bench/research/gc_shift/fits.sh   (~3-5 min per fit on 2 idle cores)
# DATA: the folder gc_shift.py wrote (copies + links); OUT: results. Needs ../shared/data.
set -e
DATA=${DATA:-/tmp/gc_shift/data}; OUT=${OUT:-/tmp/gc_shift}
export OMP_NUM_THREADS=1
P="nice -n 10 .venv/bin/python"
D=bench/research/gc_shift
T=ecoli,staphylococcus_aureus_COL,haemophilus_influenzae_RdKW20,yersinia_pestis_KIM,neisseria_meningitidis_MC58,methanococcus_maripaludis_S2
C6=ecoli_gc,staphylococcus_aureus_COL_gc,haemophilus_influenzae_RdKW20_gc,yersinia_pestis_KIM_gc,neisseria_meningitidis_MC58_gc,methanococcus_maripaludis_S2_gc
C3=ecoli_gc,yersinia_pestis_KIM_gc,neisseria_meningitidis_MC58_gc
mkdir -p "$OUT"
[ -d "$DATA/bacteria/ecoli_gc" ] || $P $D/gc_shift.py --out "$DATA" --seed 1 --gc3 0.92 --noncoding 0.64 \
  --genomes ecoli,staphylococcus_aureus_COL,haemophilus_influenzae_RdKW20,yersinia_pestis_KIM,neisseria_meningitidis_MC58,methanococcus_maripaludis_S2,methanosarcina_mazei_S-6,brucella_melitensis_16M > "$OUT/shift.jsonl"
fit() {  # fit LABEL GENOMES
  $P -m genoview.core.models.geneorf.fit --shared "$DATA" --out "$OUT/$1" --seed 1 --iterations 3 --hidden 128 --epochs 24 \
    --train-genomes "$2" --rna-from models/geneorf-bacteria --offsets 1.25 --rna-thresholds 1.01 --start-background 0.5 --no-tune > "$OUT/$1.log" 2>&1
  $P $D/stage.py "$OUT/$1" "$OUT/${1}_stage.json" "$2" --data "$DATA" > "$OUT/stage-$1.log" 2>&1
  $P $D/evalv.py "$OUT/$1" "$OUT/${1}_stage.json" "$1" --data "$DATA" --outdir "$OUT" > "$OUT/eval-$1.log" 2>&1
}
fit base $T
fit v1 $T,$C6
fit v2 $T,$C3
fit v3 $T,ecoli_gc
# V3's scorers with the baseline's stage (where the loss lies)
$P $D/evalv.py "$OUT/v3" "$OUT/base_stage.json" v3xs --data "$DATA" --outdir "$OUT" > "$OUT/eval-v3xs.log" 2>&1
.venv/bin/python $D/table.py base v1 v2 v3 v3xs --dir "$OUT"
