"""After the verdict: where a tuning genome's nucleotide MCC goes under 90/90/0 (seed 2: run.sh's folders), calls and track
diffed. python bench/research/overlap/diag_bmel.py [GENOME]   (default brucella_melitensis_16M; reads /tmp/H-ens, /tmp/H-ov)"""
import sys
sys.path.insert(0, ".")
from genoview.core import gene_level as gl
from genoview.core.models.geneorf import GeneORFModel, fit
from genoview.core.models.geneorf.rna_homology import REFERENCE_GENOMES, reference_records
from genoview.core.models.geneorf.track import GeneORFTrackModel
data = "/tmp/H-gc/data"; name = sys.argv[1] if len(sys.argv) > 1 else "brucella_melitensis_16M"
refs_of = {n: fit._load(data, n) for n in REFERENCE_GENOMES}
genome, seqs = fit._load(data, name)
out = {}
for lab, folder in (("today", "/tmp/H-ens/geneorf-S2"), ("rules", "/tmp/H-ov/geneorf-S2-r")):
    model = GeneORFModel.from_pretrained(folder, local_files_only=True).eval()
    tm = GeneORFTrackModel(model, None, {})
    tm.rna_references = reference_records([(n,) + refs_of[n] for n in REFERENCE_GENOMES if n != name])
    calls, _, tracks = tm.call_genome(seqs)
    out[lab] = (calls, tracks)
ann = gl.annotated_cds(genome.features)
stops = {(s, st, (b if st > 0 else a)) for s, a, b, st in ann}
for sid in seqs:
    lab = genome.label_mask(sid, ("gene",)).astype(bool)
    t0, t1 = out["today"][1][sid] >= 0.5, out["rules"][1][sid] >= 0.5
    diff = t0 != t1
    print(sid, "bases changed", int(diff.sum()), "gained TP", int((t1 & ~t0 & lab).sum()), "gained FP", int((t1 & ~t0 & ~lab).sum()),
          "lost TP", int((t0 & ~t1 & lab).sum()), "lost FP", int((t0 & ~t1 & ~lab).sum()))
c0 = {(c.seqid, c.start, c.end, c.strand): c for c in out["today"][0] if c.kind == "CDS"}
c1 = {(c.seqid, c.start, c.end, c.strand): c for c in out["rules"][0] if c.kind == "CDS"}
def tag(k):
    s, a, b, st = k
    return "true stop" if (s, st, b if st > 0 else a) in stops else "false stop"
print("calls only today:", len(set(c0) - set(c1)), "only rules:", len(set(c1) - set(c0)))
for k in sorted(set(c0) ^ set(c1))[:40]:
    print("today" if k in c0 else "rules", k, k[2] - k[1], tag(k), round((c0.get(k) or c1.get(k)).score, 2))
