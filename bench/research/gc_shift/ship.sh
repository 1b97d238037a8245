#!/bin/bash
# Session 14 (H-gc2): a ship candidate for a stage-only variant — the shipped folder copied with only config.json's
# call_filter replaced by stage.py's stage on the shipped scorers' calls (--max-overlap 60, the recipe's step-1
# decoding) on the 8 design genomes plus copies (COPIES), and a reference with the stage refitted on the 8 real
# genomes only; then both predict E. coli (genoview predict) and are scored on its last 30 % (score_track.py, the
# independent referee, and bench/genomes_bench.py --one for the stop figures), with the shipped model beside them.
# Run from the repository root: COPIES=... bash bench/research/gc_shift/ship.sh   (~5 min on 2 idle cores)
set -e
DATA=${DATA:-/tmp/gc_shift/data}; OUT=${OUT:-/tmp/gc_shift}
COPIES=${COPIES:-ecoli_gc,staphylococcus_aureus_COL_gc,haemophilus_influenzae_RdKW20_gc,yersinia_pestis_KIM_gc,neisseria_meningitidis_MC58_gc,methanococcus_maripaludis_S2_gc,methanosarcina_mazei_S-6_gc,brucella_melitensis_16M_gc}
export OMP_NUM_THREADS=1
P="nice -n 10 .venv/bin/python"
D=bench/research/gc_shift
G8=ecoli,staphylococcus_aureus_COL,haemophilus_influenzae_RdKW20,yersinia_pestis_KIM,neisseria_meningitidis_MC58,methanococcus_maripaludis_S2,methanosarcina_mazei_S-6,brucella_melitensis_16M
ECOLI=../shared/data/ecoli-k12-mg1655
mkdir -p "$OUT"
$P $D/stage.py models/geneorf-bacteria "$OUT/ship-ref_stage.json" $G8 --data "$DATA" --max-overlap 60 > "$OUT/stage-ship-ref.log" 2>&1
$P $D/stage.py models/geneorf-bacteria "$OUT/ship_stage.json" $G8,$COPIES --data "$DATA" --max-overlap 60 > "$OUT/stage-ship.log" 2>&1
for v in ship-ref ship; do
  rm -rf "$OUT/$v"; cp -r models/geneorf-bacteria "$OUT/$v"
  .venv/bin/python - "$OUT/$v/config.json" "$OUT/${v}_stage.json" <<'PY'
import json, sys
cfg = json.load(open(sys.argv[1])); cfg["call_filter"] = json.load(open(sys.argv[2]))
json.dump(cfg, open(sys.argv[1], "w"), indent=2)
PY
done
for v in shipped ship-ref ship; do
  m=models/geneorf-bacteria; [ $v = shipped ] || m="$OUT/$v"
  nice -n 10 .venv/bin/genoview predict $ECOLI/GCF_000005845.2_ASM584v2_genomic.fna.gz --model "$m" --no-cache \
    --bedgraph "$OUT/ecoli-$v.bedGraph" --gff-out "$OUT/ecoli-$v.gff3" > "$OUT/predict-$v.log" 2>&1
  echo "$v (score_track.py, last 30 %):" $($P ../shared/tools/score_track.py "$OUT/ecoli-$v.bedGraph" \
    $ECOLI/GCF_000005845.2_ASM584v2_genomic.gff.gz --from 0.7 --threshold 0.5 | tail -1)
  # genomes_bench reads a folder as a GeneORF model (its own calls) only when its name starts with geneorf
  [ $v = shipped ] || ln -sfn "$v" "$OUT/geneorf-$v"; [ $v = shipped ] || m="$OUT/geneorf-$v"
  $P bench/genomes_bench.py --one "$m" ecoli "$OUT/ecoli30-$v.json" > /dev/null
  .venv/bin/python -c "import json,sys; r=json.load(open(sys.argv[1])); print(sys.argv[2], 'genomes_bench: MCC %.4f AUC %.4f stop %.4f/%.4f' % (r['mcc'], r['roc_auc'], r['stop_sensitivity'], r['stop_precision']))" "$OUT/ecoli30-$v.json" $v
done
