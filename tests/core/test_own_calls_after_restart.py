"""A model that calls its own genes (the k-mer BERT's ORF decoder): after a restart, with its track read from the
cache, the GUI's gene-calls row and ``predict --gff-out`` both give the genes the model's own decoder made (the row
decoded the cached track generically, and the CLI re-ran the whole model)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("transformers")

FIRST_RUN = """
import json, sys
from genoview.core.genome import open_genome
from genoview.core.prediction import PredictionRequest, predict, run_to_end
model_dir, fasta, out = sys.argv[1:4]
with open_genome(fasta) as genome:
    result = run_to_end(predict(PredictionRequest(genome, model=model_dir)))   # as the GUI: tracks only, cached
    assert not any(result.from_cache)
    from genoview.core.models import load_model
    model = load_model(model_dir)
    for record in genome.sequences.values():
        model.predict_record(record)
    calls, code = model.own_gene_calls(genome, [(s, 0, r.length) for s, r in genome.sequences.items()])
json.dump({"calls": [[c.seqid, c.start, c.end, c.strand] for c in calls], "code": code}, open(out, "w"))
"""


def test_after_a_restart_gui_row_and_gff_out_give_the_models_own_genes(tmp_path):
    from test_kmer_bert_orfs import gff_genes, orf_model_dir_and_genome   # same folder (no packages in tests/)

    from genoview.core.genome import open_genome
    from genoview.core.prediction import PredictionRequest, predict, run_to_end

    model_dir, fasta = orf_model_dir_and_genome(tmp_path)
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run([sys.executable, "-c", FIRST_RUN, str(model_dir), str(fasta), str(tmp_path / "own.json")],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    own = json.loads((tmp_path / "own.json").read_text())
    expected = sorted(tuple(c) for c in own["calls"])
    assert len(expected) >= 2
    with open_genome(fasta) as genome:   # this process is the restarted app: nothing of the first run in memory
        result = run_to_end(predict(PredictionRequest(genome, model=str(model_dir), keep_values=True)))
        assert all(result.from_cache)
        pytest.importorskip("PySide6")
        from genoview.gui.genome_view.gene_calls_track import gene_calls_job

        shown = []
        for seqid, values in zip(genome.sequences, result.values):
            job = gene_calls_job(genome, "t", seqid, [(0, values)], str(model_dir))
            assert job.genetic_code == own["code"]
            shown += [(seqid, f.start, f.end, f.strand) for f in job.features if "GenoView" in (f.systems or ())]
        assert sorted(shown) == expected, "the GUI row decoded the cached track instead of showing the model's genes"
        out = tmp_path / "calls.gff3"
        result = run_to_end(predict(PredictionRequest(genome, model=str(model_dir), gff_out=out)))
        assert [g[:4] for g in gff_genes(out)] == expected
        assert all(result.from_cache), "predict --gff-out re-ran the model although its genes were cached"
