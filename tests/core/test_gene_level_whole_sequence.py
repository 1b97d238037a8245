"""`genoview evaluate --genes` with GeneORF scores the calls of the whole sequence within the scored part, as
`predict --gff-out` writes them (it called the part alone, self-trained and cut on its own: on E. coli's last 30 %
stop precision 0.951 against the benchmark's and predict's 0.946)."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from genoview.core import gene_level as gl
from genoview.core.genome import encode, open_genome
from genoview.core.models import load_model

ROOT = Path(__file__).resolve().parents[2]
GENOME, ANNOTATION = ROOT / "resources/example/example.fa", ROOT / "resources/example/example.gff3"


def test_geneorf_rows_score_the_whole_sequence_calls_within_the_part():
    model = load_model("geneorf-bacteria")
    genome = open_genome(GENOME, ANNOTATION)
    seqs = {sid: encode(r.fetch(0, r.length)) for sid, r in genome.sequences.items()}
    calls, _, tracks = model.call_genome(seqs)
    parts = {sid: (int(len(c) * 0.7), len(c)) for sid, c in seqs.items()}
    rows = gl.gene_level_for_tracks(GENOME, genome.features, tracks, parts, model, "GenoView")
    whole = gl.compare_genes(gl.genes_of_calls(calls), gl.annotated_cds(genome.features), parts).to_json()
    assert rows["GenoView"] == whole
    # a part read alone gives other calls (its own self-training and edges): the rows are not those
    alone = [(sid, a, np.asarray(tracks[sid][a:b], np.float32)) for sid, (a, b) in parts.items()]
    from genoview.core import genecalls as gc

    cut, _ = gc.calls_for_regions(genome, alone, model)
    assert {(c.seqid, c.start, c.end) for c in cut} != {(c.seqid, c.start, c.end) for c in calls
                                                       if c.start >= parts[c.seqid][0]}


def test_evaluate_takes_the_genetic_code_from_the_decode():
    """`evaluate --genes` names the code the decode used instead of reading and detecting the sequence again."""
    from genoview.cli.evaluate import decoding_genetic_code
    from genoview.cli.predict import DETECTED

    model = load_model("geneorf-bacteria")
    genome = open_genome(GENOME, ANNOTATION)
    seqs = {sid: encode(r.fetch(0, r.length)) for sid, r in genome.sequences.items()}
    _, stats, tracks = model.call_genome(seqs)
    decoded: dict = {}
    gl.gene_level_for_tracks(GENOME, genome.features, tracks, {s: (0, len(c)) for s, c in seqs.items()}, model,
                             decoded=decoded)
    assert decoded["genetic_code"] == stats.genetic_code
    assert decoding_genetic_code(None, "no-such-file.fa", {}, decoded["genetic_code"]) == (stats.genetic_code,
                                                                                           DETECTED)
