"""Head-to-head (5'-5'), tail-to-tail (3'-3') and same-strand overlaps of neighbouring annotated CDS on the two tuning
genomes (never a held-out one). python bench/research/overlap/annotated_overlaps.py"""
import sys
sys.path.insert(0, ".")
from genoview.core import gene_level as gl
from genoview.core.models.geneorf import fit
for name in ("methanosarcina_mazei_S-6", "brucella_melitensis_16M"):
    genome, seqs = fit._load("/tmp/H-gc/data", name)
    ann = sorted(gl.annotated_cds(genome.features))
    n = {"div": [], "conv": [], "same": [], "inside": 0}
    for x, y in zip(ann, ann[1:]):
        if x[0] != y[0] or y[1] >= x[2]:
            continue
        ov = x[2] - y[1]
        if y[2] <= x[2]:
            n["inside"] += 1
        elif x[3] == y[3]:
            n["same"].append(ov)
        elif x[3] > 0:
            n["conv"].append(ov)
        else:
            n["div"].append(ov)
    print(name, len(ann), "CDS; overlapping neighbours: 5'-5'", len(n["div"]), sorted(n["div"])[:12],
          "3'-3'", len(n["conv"]), "same", len(n["same"]), "inside", n["inside"])
