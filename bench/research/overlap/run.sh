#!/bin/bash
# Session 15 (H-ov): strand-aware overlap rules 90/90/0 in the gene choice against today's choice (90 for every
# pair), decode only, on H-ens's bed: three step-1 scorer seeds, each with its own stage (seed 1 = B, H-gc2's V5;
# seeds 2, 3 = ensemble/diag.sh's S2, S3), whose today's rows ensemble/run.sh and diag.sh already wrote
# (eval-B.json, eval-S2.json, eval-S3.json in ENS). The rule: DECISIONS.md (fixed before any row).
# Run from the repository root:
#   DATA=/tmp/H-gc/data ENS=/tmp/H-ens OUT=/tmp/H-ov BASE1=/tmp/H-gc/base BSTAGE=/tmp/H-gc2/v5_stage.json \
#     bash bench/research/overlap/run.sh
set -e
DATA=${DATA:-/tmp/gc_shift/data}; ENS=${ENS:-/tmp/ensemble}; OUT=${OUT:-/tmp/overlap}
BASE1=${BASE1:-/tmp/gc_shift/base}; BSTAGE=${BSTAGE:-/tmp/gc_shift/v5_stage.json}
export OMP_NUM_THREADS=1
P="nice -n 10 .venv/bin/python"
O=bench/research/overlap
mkdir -p "$OUT"
# today's choice re-measured with this code: must equal ENS/eval-B.json (rules=None is today's DP, bit for bit)
$P bench/research/gc_shift/evalv.py "$BASE1" "$BSTAGE" B --data "$DATA" --outdir "$OUT" > "$OUT/eval-B.log" 2>&1
J='import json,sys; d=json.load(open(sys.argv[1])); [d["ecoli_last30"].pop(k) for k in ("system", "seconds")]
print(json.dumps(d, sort_keys=True))'
cmp <(.venv/bin/python -c "$J" "$ENS/eval-B.json") <(.venv/bin/python -c "$J" "$OUT/eval-B.json") \
  && echo "today's rows reproduced (seed 1)"
$P $O/evalo.py "$BASE1" "$BSTAGE" B-r 90 90 0 --data "$DATA" --outdir "$OUT" > "$OUT/eval-B-r.log" 2>&1
for s in 2 3; do
  $P $O/evalo.py "$ENS/base-s$s" "$ENS/s${s}_stage.json" S$s-r 90 90 0 --data "$DATA" --outdir "$OUT" \
    > "$OUT/eval-S$s-r.log" 2>&1
done
.venv/bin/python $O/table.py --ens "$ENS" --dir "$OUT"
