"""The k-mer BERT as the coding scorer of an ORF gene finder (kmer_bert/orfs.py) and its model folder."""
from __future__ import annotations

import gzip

import numpy as np
import pytest

from genoview.core.genome import CODING_FRAME_REVERSE
from genoview.core.models.kmer_bert import KmerBertTrackModel, load_track_model, save_model_dir
from genoview.core.models.kmer_bert.data import reverse_complement_codes
from genoview.core.models.kmer_bert.orfs import OrfDecoder, call_genes_bert, calls_track, genome_shift, record_classes
from genoview.core.models.kmer_bert.tokenization_kmer import codes_from_text

STOPS = ("TAA", "TAG", "TGA")


def genome_with_one_gene(seed: int = 0, n: int = 3000, gene_start: int = 900, codons: int = 300):
    """(codes, classes): random sequence holding one ATG..TAA gene on +, and class probabilities that call
    its bases coding in its frame (0.8) and every other base non-genic (0.8)."""
    rng = np.random.default_rng(seed)
    body = []
    while len(body) < codons - 2:
        c = "".join(rng.choice(list("ACGT"), size=3))
        if c not in STOPS:
            body.append(c)
    gene = "ATG" + "".join(body) + "TAA"
    text = "".join(rng.choice(list("ACGT"), size=gene_start)) + gene
    text += "".join(rng.choice(list("ACGT"), size=n - len(text)))
    classes = np.full((n, 8), 0.2 / 7, dtype=np.float32)
    classes[:, 0] = 0.8
    end = gene_start + len(gene)
    classes[gene_start:end] = 0.2 / 7
    classes[np.arange(gene_start, end), 2 + np.arange(len(gene)) % 3] = 0.8
    return codes_from_text(text), classes, (gene_start, end)


@pytest.mark.parametrize("strand", [1, -1])
def test_bert_evidence_along_an_orf_calls_that_gene_on_its_strand(strand):
    codes, classes, (start, end) = genome_with_one_gene()
    n = len(codes)
    if strand < 0:   # the same genome read from the other strand: the gene is on -
        codes = reverse_complement_codes(codes).copy()
        classes = classes[::-1][:, CODING_FRAME_REVERSE].copy()
        start, end = n - end, n - start
    calls = call_genes_bert({"s": codes}, {"s": classes}, OrfDecoder(coding_weight=0.1, bias=-5.0), 11)
    assert [(c.start, c.end, c.strand, c.start_codon) for c in calls] == [(start, end, strand, "ATG")]
    track = calls_track(calls, n, np.zeros(n))
    assert (track[start:end] > 0.5).all() and (np.delete(track, np.arange(start, end)) < 0.5).all()


def test_median_centre_is_taken_over_all_six_frames():
    _, classes, _ = genome_with_one_gene()
    shift = genome_shift({"s": classes}, OrfDecoder(centre="median"))
    # almost every (base, frame) pair is non-coding: the median is the non-genic bases' log-odds
    assert shift == pytest.approx(np.log(0.2 / 7 + 1e-3) - np.log(0.8 + 1e-3), abs=1e-5)
    assert genome_shift({"s": classes}, OrfDecoder()) == 0.0


def test_decoder_settings_round_trip():
    d = OrfDecoder(coding_weight=0.2, centre="median", length_weight=0.5, start_bonus=(0, -1, -2, -3), bias=-4)
    assert OrfDecoder.from_dict(d.to_dict()) == d
    assert OrfDecoder.from_dict({"coding_weight": 2.0, "unknown": 1}).coding_weight == 2.0


def tiny_orf_track(**settings) -> KmerBertTrackModel:
    from test_kmer_bert_genomes import tiny_frame_track   # same folder (no packages in tests/)

    return tiny_frame_track(**settings)


def test_record_classes_are_probabilities_of_every_base():
    track = tiny_orf_track()
    codes = np.random.default_rng(1).integers(0, 4, size=1234).astype(np.uint8)
    classes = record_classes(track, codes)
    assert classes.shape == (1234, 8) and np.allclose(classes.sum(axis=1), 1.0, atol=1e-4)


def test_orf_decoder_model_round_trips_and_predicts_whole_genomes(tmp_path):
    from genoview.core.genome import open_genome
    from genoview.core.inference import predict_region

    track = tiny_orf_track()
    decoder = OrfDecoder(coding_weight=0.1, centre="median", length_weight=1.0, bias=-5.0).to_dict()
    save_model_dir(track.model, track.vocab, tmp_path / "m", {
        "name": "tiny-orf", "architecture": "kmer-bert", "task": "token-classification",
        "kmer_bert": {"k": 3, "labels": "frame", "frame_window": 31, "both_strands": True, "threshold": 0.5,
                      "orf_decoder": decoder}})
    loaded = load_track_model(tmp_path / "m")
    assert loaded.whole_sequence and loaded.orf_decoder == decoder and not loaded.calibration_choices
    assert not loaded.with_setting("orf_decoder", None).whole_sequence
    rng = np.random.default_rng(2)
    with gzip.open(tmp_path / "g.fa.gz", "wt") as fh:
        for i, n in enumerate((3000, 900)):
            fh.write(f">c{i}\n{''.join(rng.choice(list('ACGT'), size=n))}\n")
    with open_genome(tmp_path / "g.fa.gz") as genome:
        parts = [predict_region(loaded, record) for record in genome.sequences.values()]
        part = predict_region(loaded, genome.sequences["c0"], 1000, 1500)
    (chosen,) = loaded.adaptations.values()
    assert chosen["genetic_code"] in (4, 11) and np.isfinite(chosen["coding_shift"])
    assert [len(p) for p in parts] == [3000, 900]
    assert all(((p >= 0) & (p <= 1)).all() for p in parts)
    assert np.array_equal(part, parts[0][1000:1500])     # a region is a slice of its record's track


def test_shipped_orf_model_loads_as_an_orf_decoder():
    from genoview.paths import SHIPPED_MODELS_DIR

    path = SHIPPED_MODELS_DIR / "kmer-bert-ecoli-orfs"
    if not (path / "model.safetensors").is_file():
        pytest.skip("kmer-bert-ecoli-orfs not present")
    track = load_track_model(path)
    assert track.whole_sequence and track.orf_decoder and track.model.config.num_labels == 8


def test_shipped_orf_model_calls_ecoli_genes_on_a_slice(tmp_path, ecoli_fasta, ecoli_gff):
    """30 kb of E. coli (training part) through `genoview predict`'s path: the calls cover its genes."""
    from genoview.core.evaluation import evaluate
    from genoview.core.genome import open_genome
    from genoview.core.inference import predict_region
    from genoview.paths import SHIPPED_MODELS_DIR

    path = SHIPPED_MODELS_DIR / "kmer-bert-ecoli-orfs"
    if not (path / "model.safetensors").is_file():
        pytest.skip("kmer-bert-ecoli-orfs not present")
    lo, hi = 1_000_000, 1_030_000
    with open_genome(ecoli_fasta, ecoli_gff) as genome:
        (seqid,) = genome.sequences
        text = genome.sequences[seqid].text(lo, hi)
        labels = genome.label_mask(seqid, ("gene",))[lo:hi]
    with gzip.open(tmp_path / "slice.fa.gz", "wt") as fh:
        fh.write(f">slice\n{text}\n")
    model = load_track_model(path)
    with open_genome(tmp_path / "slice.fa.gz") as genome:
        track = predict_region(model, genome.sequences["slice"])
    (chosen,) = model.adaptations.values()
    assert chosen["genetic_code"] == 11 and chosen["genes"] > 10
    assert evaluate(labels, track, 0.5).mcc > 0.6    # 0.862 when written


# --- through the prediction service: the decoder's own genes in --gff-out, progress and cancel while reading ----
def orf_model_dir_and_genome(tmp_path):
    """A tiny ORF-decoder model folder (settings that call some genes on random sequence) and a 2-record FASTA."""
    track = tiny_orf_track()
    decoder = OrfDecoder(coding_weight=0.1, centre="median", length_weight=1.0, bias=2.0).to_dict()
    save_model_dir(track.model, track.vocab, tmp_path / "m", {
        "name": "tiny-orf", "architecture": "kmer-bert", "task": "token-classification",
        "kmer_bert": {"k": 3, "labels": "frame", "frame_window": 31, "both_strands": True, "threshold": 0.5,
                      "orf_decoder": decoder}})
    rng = np.random.default_rng(3)
    with open(tmp_path / "g.fa", "w") as fh:
        for i, n in enumerate((2400, 1500)):
            fh.write(f">c{i}\n{''.join(rng.choice(list('ACGT'), size=n))}\n")
    return tmp_path / "m", tmp_path / "g.fa"


def gff_genes(path):
    with open(path) as fh:
        rows = [line.split("\t") for line in fh if line.strip() and not line.startswith("#")]
    return sorted((r[0], int(r[3]) - 1, int(r[4]), 1 if r[6] == "+" else -1, r[7], float(r[5]))
                  for r in rows if r[2] == "CDS")


def decoder_genes(calls):
    return sorted((c.seqid, c.start, c.end, c.strand, "0", round(c.score, 2)) for c in calls)


def test_predict_gff_out_writes_the_orf_decoders_own_genes(tmp_path):
    from genoview.core.genome import open_genome
    from genoview.core.prediction import PredictionRequest, predict, run_to_end

    model_dir, fasta = orf_model_dir_and_genome(tmp_path)
    # the decoder's genes, computed apart from the service
    model = load_track_model(model_dir)
    with open_genome(fasta) as genome:
        for record in genome.sequences.values():
            model.predict_record(record)
        ((by_seqid, code),) = model._orf_calls.values()
        expected = decoder_genes([c for calls in by_seqid.values() for c in calls])
        assert len(expected) >= 2 and {g[3] for g in expected} == {1, -1}
        for run in ("first", "from a filled cache"):
            out = tmp_path / f"calls-{run[:5]}.gff3"
            result = run_to_end(predict(PredictionRequest(genome, model=str(model_dir), gff_out=out)))
            assert result.genes == len(expected)
            written = gff_genes(out)
            assert [(g[0], g[1], g[2], g[3], g[4]) for g in written] == [g[:5] for g in expected], run
            assert np.allclose([g[5] for g in written], [g[5] for g in expected], atol=0.011)
            assert f"transl_table={code}" in out.read_text() and "\tGenoView:m\t" in out.read_text()
        # a region: the decoder's genes (whole) that overlap it
        lo, hi = 500, 1500
        out = tmp_path / "region.gff3"
        run_to_end(predict(PredictionRequest(genome, model=str(model_dir), regions=[("c0", lo, hi)], gff_out=out)))
        assert [g[:4] for g in gff_genes(out)] == [g[:4] for g in expected if g[0] == "c0" and g[1] < hi and lo < g[2]]


def test_prediction_progress_moves_while_the_genome_is_read_and_cancel_stops_it(tmp_path):
    from genoview.core.errors import Cancelled
    from genoview.core.genome import open_genome
    from genoview.core.jobs import CancelToken
    from genoview.core.prediction import Progress, PredictionRequest, predict

    model_dir, fasta = orf_model_dir_and_genome(tmp_path)
    model = load_track_model(model_dir)
    model.default_batch_size = 4     # many batches over the tiny genome
    with open_genome(fasta) as genome:
        fractions = [e.fraction for e in predict(PredictionRequest(genome, model=model, regions=[("c1", 0, 1500)],
                                                                   use_cache=False))
                     if isinstance(e, Progress)]
        reading = [f for f in fractions if 0.0 < f < 0.95]
        assert len(set(reading)) >= 5 and reading == sorted(reading)    # the BERT pass reports batch by batch
        fresh = load_track_model(model_dir)
        fresh.default_batch_size = 4
        cancel, seen = CancelToken(), []
        out = tmp_path / "cancelled.gff3"
        with pytest.raises(Cancelled):
            for event in predict(PredictionRequest(genome, model=fresh, gff_out=out, use_cache=False), cancel):
                if isinstance(event, Progress) and 0.0 < event.fraction < 0.95:
                    seen.append(event.fraction)
                    if len(seen) == 2:
                        cancel.cancel()
        assert len(seen) == 2 and not out.exists() and not list(tmp_path.glob("cancelled*"))
        assert not fresh._orf_tracks and not fresh._orf_calls      # nothing half-read is kept


def test_gui_gene_calls_row_shows_the_orf_decoders_genes(tmp_path):
    """The GUI's gene-calls job loads the model again: it finds the genes this process's prediction made."""
    pytest.importorskip("PySide6")
    from genoview.core.genome import open_genome
    from genoview.core.prediction import PredictionRequest, predict, run_to_end
    from genoview.gui.genome_view.gene_calls_track import gene_calls_job

    model_dir, fasta = orf_model_dir_and_genome(tmp_path)
    with open_genome(fasta) as genome:
        result = run_to_end(predict(PredictionRequest(genome, model=str(model_dir), regions=[("c0", 0, 2400)],
                                                      keep_values=True, use_cache=False)))
        model = load_track_model(model_dir)   # a separate load, as the job's
        calls, _ = model.own_gene_calls(genome, [("c0", 0, 2400)])
        assert calls and {c.strand for c in calls} == {1, -1}
        job = gene_calls_job(genome, "t", "c0", [(0, result.values[0])], str(model_dir))
    shown = sorted((f.start, f.end, f.strand) for f in job.features if "GenoView" in (f.systems or ()))
    assert shown == sorted((c.start, c.end, c.strand) for c in calls)


def test_shipped_orf_model_records_its_weights_split_for_evaluation():
    """On E. coli the evaluation panel defaults to the last 30 % its BERT weights never trained on (the record
    was words only, so the whole genome, 70 % of it training bases, was scored and called 'no training split')."""
    from genoview.core.evaluation_scope import default_scope, model_parts
    from genoview.paths import SHIPPED_MODELS_DIR

    if not (SHIPPED_MODELS_DIR / "kmer-bert-ecoli-orfs" / "genoview.json").is_file():
        pytest.skip("kmer-bert-ecoli-orfs not present")
    parts = model_parts("kmer-bert-ecoli-orfs")
    parent = model_parts("kmer-bert-ecoli")
    assert (parts.train, parts.valid, parts.test) == (parent.train, parent.valid, parent.test)
    kind, why = default_scope("NC_000913.3", 4_641_652, parts)
    assert kind == "held-out" and "last 30%" in why
    assert default_scope("NC_000913.3", 50_000, parts)[0] == "whole"   # a slice is another sequence


# --- per-genome self-training (issue 12 item 5), one genetic code per genome, the shared calls' lock ----------
def genome_of_biased_genes(seed: int = 5, genes: int = 40, codons: int = 200, gap: int = 300):
    """(codes, classes, spans): random intergenic sequence and ``genes`` ATG..TAA genes on + written with a few
    preferred codons; the BERT-like classes call the even-numbered genes coding in frame and say nothing (equal
    probabilities, log-odds 0) about the odd ones."""
    rng = np.random.default_rng(seed)
    preferred = ["GCT", "GAA", "AAA", "CTG", "GGC", "ATT", "CGT", "GAT"]
    text, spans = [], []
    classes = []
    at = 0
    for g in range(genes):
        inter = "".join(rng.choice(list("ACGT"), size=gap))
        gene = "ATG" + "".join(rng.choice(preferred, size=codons - 2)) + "TAA"
        text += [inter, gene]
        c = np.full((gap + len(gene), 8), 0.2 / 7, dtype=np.float32)
        c[:gap, 0] = 0.8
        if g % 2 == 0:
            c[gap + np.arange(len(gene)), 2 + np.arange(len(gene)) % 3] = 0.8
        else:
            c[gap:] = 1.0 / 8
        classes.append(c)
        spans.append((at + gap, at + gap + len(gene)))
        at += gap + len(gene)
    tail = "".join(rng.choice(list("ACGT"), size=gap))
    classes.append(np.full((gap, 8), 0.2 / 7, dtype=np.float32))
    classes[-1][:, 0] = 0.8
    return codes_from_text("".join(text) + tail), np.concatenate(classes), spans


def test_self_training_finds_genes_of_the_genomes_own_composition_that_the_bert_missed():
    codes, classes, spans = genome_of_biased_genes()
    assert len(codes) >= 20_000       # genecalls.MIN_SELF_TRAINING
    plain = OrfDecoder(coding_weight=0.1, bias=-5.0)
    taught = OrfDecoder(coding_weight=0.1, bias=-5.0, self_training=1, hexamer_weight=0.3)
    report = {}
    before = {(c.start, c.end) for c in call_genes_bert({"s": codes}, {"s": classes}, plain, 11)}
    after = {(c.start, c.end) for c in call_genes_bert({"s": codes}, {"s": classes}, taught, 11, report=report)}
    assert before == set(spans[0::2])                 # the BERT alone: only the genes it called coding
    assert set(spans) <= after and len(after) <= len(spans) + 2
    assert report["self_training_rounds"] == 1 and report["genes_per_round"][0] == len(before)
    assert 0.0 < report["hexamer_share"] < 1.0 and report["start_share"] == 0.0
    assert report["bert_share"] + report["hexamer_share"] == pytest.approx(1.0, abs=1e-3)
    # learning the starts too (each round decodes once more): the same genes, all three terms share the score
    starts = OrfDecoder(coding_weight=0.1, bias=-5.0, self_training=1, hexamer_weight=0.3, upstream_weight=0.5,
                        start_weight=1.0)
    report = {}
    with_starts = {(c.start, c.end) for c in call_genes_bert({"s": codes}, {"s": classes}, starts, 11, report=report)}
    assert set(spans) <= with_starts and len(report["genes_per_round"]) == 3
    assert sum(report[f"{k}_share"] for k in ("bert", "hexamer", "start")) == pytest.approx(1.0, abs=1e-3)
    # too little sequence to count statistics on: no self-training, the BERT's calls as they were
    short = {}
    n = spans[3][1] + 10
    call_genes_bert({"s": codes[:n]}, {"s": classes[:n]}, taught, 11, report=short)
    assert short["self_training_rounds"] == 0 and short["hexamer_share"] == 0.0
    assert OrfDecoder.from_dict(taught.to_dict()) == taught


def test_a_genome_over_the_read_limit_is_called_with_one_genetic_code(tmp_path, monkeypatch):
    """Record by record (a genome over ORF_GENOME_MAX_BASES), every record is called, and its GFF3 written, with
    the genome's one genetic code, whichever record is read first (it was each record's own, and the GFF3's
    transl_table the last record's)."""
    from genoview.core import genecalls
    from genoview.core.genome import open_genome
    from genoview.core.models.kmer_bert import modeling, orfs

    model_dir, fasta = orf_model_dir_and_genome(tmp_path)
    monkeypatch.setattr(modeling, "ORF_GENOME_MAX_BASES", 3000)     # 2400 + 1500: read record by record
    # a record read alone looks like code 4 when it is c1 (as a short AT-rich contig can); the genome is 11
    monkeypatch.setattr(genecalls, "detect_genetic_code", lambda seqs: 4 if set(seqs) == {"c1"} else 11)
    used = []
    real = orfs.call_genes_bert
    monkeypatch.setattr(orfs, "call_genes_bert", lambda seqs, cls, dec, code, **kw: used.append(code) or real(
        seqs, cls, dec, code, **kw))
    for order in (("c1", "c0"), ("c0", "c1")):
        modeling._LAST_ORF_CALLS.clear()
        model = load_track_model(model_dir)
        used.clear()
        with open_genome(fasta) as genome:
            for seqid in order:
                model.predict_record(genome.sequences[seqid])
            calls, code = model.own_gene_calls(genome, [(s, 0, r.length) for s, r in genome.sequences.items()])
        assert used == [11, 11] and code == 11, order
        assert {c.seqid for c in calls} == {"c0", "c1"}


def test_shared_orf_calls_merge_under_a_lock_from_worker_threads(tmp_path):
    """GUI worker threads keep the calls of records of one genome at once: no record's calls are lost."""
    import sys
    import threading

    from genoview.core.models.kmer_bert import modeling

    model_dir, _ = orf_model_dir_and_genome(tmp_path)
    models = [load_track_model(model_dir) for _ in range(4)]
    key = ("genome", 1, 2.0)
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        for _ in range(20):
            modeling._LAST_ORF_CALLS.clear()
            for m in models:
                m._orf_calls = {}
            barrier = threading.Barrier(len(models) * 4)

            def keep(model, seqids):
                barrier.wait()
                for sid in seqids:
                    model._keep_orf_calls(key, {sid: []}, 11)

            threads = [threading.Thread(target=keep, args=(m, [f"s{i}_{j}_{k}" for k in range(5)]))
                       for i, m in enumerate(models) for j in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            ((by_seqid, code),) = models[0]._kept_orf_calls().values()
            assert len(by_seqid) == len(threads) * 5 and code == 11
    finally:
        sys.setswitchinterval(old)
    assert isinstance(modeling._LAST_ORF_CALLS_LOCK, type(threading.Lock()))
