#!/bin/bash
# Session 15 (H-ens): the ship candidate of E3's kind (only if E3 passed the rule in DECISIONS.md): the step-2 recipe
# (the card's "session 8" line: 8 design genomes) fitted with seeds 2 and 3, merged with the SHIPPED
# models/geneorf-bacteria as member 1 (its offset 1.25, RNA head, config), and the stage refitted by gc_shift/ship.sh's
# recipe (stage.py --max-overlap 60 on the 8 design genomes + COPIES) on the ensemble's calls; then E. coli predicted
# with `genoview predict` (score_track.py on the last 30 %) and genomes_bench.py --one, the shipped model beside it.
# Never run on the held-out genomes here.
# Run from the repository root: DATA=/tmp/H-gc/data OUT=/tmp/H-ens bash bench/research/ensemble/ship.sh (~15 min)
set -e
DATA=${DATA:-/tmp/gc_shift/data}; OUT=${OUT:-/tmp/ensemble}
COPIES=${COPIES:-ecoli_gc,yersinia_pestis_KIM_gc,neisseria_meningitidis_MC58_gc}
export OMP_NUM_THREADS=1
P="nice -n 10 .venv/bin/python"
G=bench/research/gc_shift; E=bench/research/ensemble
G8=ecoli,staphylococcus_aureus_COL,haemophilus_influenzae_RdKW20,yersinia_pestis_KIM,neisseria_meningitidis_MC58,methanococcus_maripaludis_S2,methanosarcina_mazei_S-6,brucella_melitensis_16M
ECOLI=../shared/data/ecoli-k12-mg1655
for s in 2 3; do
  [ -f "$OUT/step2-s$s/model.safetensors" ] || $P -m genoview.core.models.geneorf.fit --shared ../shared/data --out "$OUT/step2-s$s" --name geneorf-bacteria --seed $s --iterations 3 --hidden 128 --epochs 24 \
    --train-genomes $G8 --rna-from models/geneorf-bacteria --offsets 1.0 --rna-thresholds 1.01 --start-background 0.5 --no-tune > "$OUT/step2-s$s.log" 2>&1
done
rm -rf "$OUT/ship"
$P $E/merge.py "$OUT/ship" models/geneorf-bacteria "$OUT/step2-s2" "$OUT/step2-s3" > "$OUT/merge-ship.log" 2>&1
$P $G/stage.py "$OUT/ship" "$OUT/ship_stage.json" $G8,$COPIES --data "$DATA" --max-overlap 60 > "$OUT/stage-ship.log" 2>&1
.venv/bin/python - "$OUT/ship/config.json" "$OUT/ship_stage.json" <<'PY'
import json, sys
cfg = json.load(open(sys.argv[1])); cfg["call_filter"] = json.load(open(sys.argv[2]))
json.dump(cfg, open(sys.argv[1], "w"), indent=2)
PY
for v in shipped ship; do
  m=models/geneorf-bacteria; [ $v = shipped ] || m="$OUT/$v"
  nice -n 10 /usr/bin/time -v .venv/bin/genoview predict $ECOLI/GCF_000005845.2_ASM584v2_genomic.fna.gz --model "$m" --no-cache \
    --threads 1 --bedgraph "$OUT/ecoli-$v.bedGraph" --gff-out "$OUT/ecoli-$v.gff3" > "$OUT/predict-$v.log" 2>&1
  echo "$v (score_track.py, last 30 %):" $($P ../shared/tools/score_track.py "$OUT/ecoli-$v.bedGraph" \
    $ECOLI/GCF_000005845.2_ASM584v2_genomic.gff.gz --from 0.7 --threshold 0.5 | tail -1)
  grep -E "Elapsed|Maximum resident" "$OUT/predict-$v.log"
  [ $v = shipped ] || ln -sfn "$v" "$OUT/geneorf-$v"; [ $v = shipped ] || m="$OUT/geneorf-$v"
  $P bench/genomes_bench.py --one "$m" ecoli "$OUT/ecoli30-$v.json" > /dev/null
  .venv/bin/python -c "import json,sys; r=json.load(open(sys.argv[1])); print(sys.argv[2], 'genomes_bench: MCC %.4f AUC %.4f stop %.4f/%.4f start %.4f/%.4f' % (r['mcc'], r['roc_auc'], r['stop_sensitivity'], r['stop_precision'], r['start_sensitivity'], r['start_precision']))" "$OUT/ecoli30-$v.json" $v
done
