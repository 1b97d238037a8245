"""Which annotated B. melitensis genes a variant's calls miss that the baseline's find (and the reverse): count,
median length and median GC3 against all its genes (session 14: the scorers' loss is short genes with low GC3).

python bench/research/gc_shift/lost.py VARIANT ... [--data DATA] [--dir DIR]   (DIR/geneorf-LABEL from evalv.py;
baseline label "base"; defaults /tmp/gc_shift/data and /tmp/gc_shift)"""
import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))
import torch  # noqa: E402

from genoview.core import gene_level as gl, genecalls as gc  # noqa: E402
from genoview.core.models.geneorf import GeneORFModel, fit  # noqa: E402
from genoview.core.models.geneorf.rna_homology import REFERENCE_GENOMES, reference_records  # noqa: E402
from genoview.core.models.geneorf.track import GeneORFTrackModel  # noqa: E402

torch.set_num_threads(1)


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("labels", nargs="+")
    p.add_argument("--data", default="/tmp/gc_shift/data")
    p.add_argument("--dir", default="/tmp/gc_shift")
    p.add_argument("--genome", default="brucella_melitensis_16M")
    a = p.parse_args(argv)
    name = a.genome
    refs = reference_records([(n,) + fit._load(a.data, n) for n in REFERENCE_GENOMES if n != name])
    genome, seqs = fit._load(a.data, name)
    ann = {gl.stop_key(g): g for g in gl.annotated_cds(genome.features)}
    found = {}
    for lab in ["base"] + a.labels:
        m = GeneORFModel.from_pretrained(str(Path(a.dir) / f"geneorf-{lab}"), local_files_only=True).eval()
        tm = GeneORFTrackModel(m, None, {})
        tm.rna_references = refs
        calls, _, _ = tm.call_genome(seqs)
        found[lab] = {gl.stop_key(g) for g in gl.genes_of_calls(calls)} & set(ann)

    def gc3(g):
        s = seqs[g[0]][g[1]:g[2]]
        if g[3] < 0:
            s = gc.reverse_complement(s)
        c = s[:len(s) // 3 * 3].reshape(-1, 3)[1:-1]
        return np.isin(c[:, 2], (1, 2)).mean()

    allg3 = np.median([gc3(g) for g in ann.values()])
    for lab in a.labels:
        lost = [ann[k] for k in found["base"] - found[lab]]
        gained = [ann[k] for k in found[lab] - found["base"]]
        print(lab, "lost", len(lost), "gained", len(gained),
              "lost median len", np.median([g[2] - g[1] for g in lost]) if lost else None,
              "GC3", round(float(np.median([gc3(g) for g in lost])), 3) if lost else None,
              "| gained median len", np.median([g[2] - g[1] for g in gained]) if gained else None,
              "| all genes median len", np.median([g[2] - g[1] for g in ann.values()]), "GC3", round(float(allg3), 3))


if __name__ == "__main__":
    main()
