"""One Prodigal column: the window's gene disagreements (and their export) and `genoview evaluate --disagreements`
write the same rows for the same track and part. The window ran Prodigal on the predicted stretches alone (a short
one in metagenomic mode) with N masked; the command line trains it on the whole genome, as the `prodigal` command
does, without a mask. Both now read gene_level.genome_prodigal_genes and keep a gene where its stop lies
(gene_level.stop_within)."""
from __future__ import annotations

import csv

import numpy as np

from genoview.cli import main as cli_main
from genoview.core import gene_level as gl
from genoview.core.gene_disagreements import write_disagreements
from genoview.core.genome import open_genome
from genoview.core.inference import write_bedgraph
from genoview.gui.genome_view.gene_calls_track import gene_calls_job
from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME

N_RUN = (30_000, 30_600)   # inside chrEx's genes: Prodigal with -m (mask) calls no gene across it, the command does


def _genome_with_an_n_run(tmp_path):
    """The example genome (a chromosome and a plasmid) with a run of N in the chromosome, same lengths."""
    records, name, seq = [], None, []
    for line in EXAMPLE_GENOME.read_text().splitlines():
        if line.startswith(">"):
            if name:
                records.append((name, "".join(seq)))
            name, seq = line[1:], []
        else:
            seq.append(line.strip())
    records.append((name, "".join(seq)))
    a, b = N_RUN
    records[0] = (records[0][0], records[0][1][:a] + "N" * (b - a) + records[0][1][b:])
    path = tmp_path / "two_with_n.fa"
    path.write_text("".join(f">{h}\n{s}\n" for h, s in records))
    return path


def _toy_track(genome, tmp_path):
    """A track of no model: the annotation's genes at 0.95, the chromosome's first third missed (0.05)."""
    values, path = {}, tmp_path / "toy.bedgraph"
    with open(path, "w") as handle:
        for seqid in genome.sequences:
            v = genome.label_mask(seqid).astype(np.float32) * 0.9 + 0.05
            if seqid == next(iter(genome.sequences)):
                v[: len(v) // 3] = 0.05
            values[seqid] = v
            write_bedgraph(handle, seqid, 0, v)
    return values, path


def _window_rows(genome, seqid, parts, out):
    """What the window's Export… writes for the gene-calls job of ``parts`` (gui/panels/disagreements.py)."""
    result = gene_calls_job(genome, f"toy @ {seqid}", seqid, parts, "")
    columns = {"GenoView": "track"}
    rows = [(g.seqid, g.start, g.end, g.strand, tuple(columns.get(s, s) for s in g.systems))
            for g in result.disagreements]
    write_disagreements(out, rows, [columns.get(s, s) for s in result.systems], genome.features,
                        result.genetic_code)
    return _table(out)


def _table(path, seqid=None):
    with open(path, newline="") as handle:
        return [row for row in csv.DictReader(handle, delimiter="\t") if seqid is None or row["seqid"] == seqid]


def test_window_and_evaluate_write_the_same_disagreements(tmp_path, capsys):
    fasta = _genome_with_an_n_run(tmp_path)
    genome = open_genome(fasta, EXAMPLE_ANNOTATION)
    values, bedgraph = _toy_track(genome, tmp_path)
    chromosome, plasmid = list(genome.sequences)
    args = ["evaluate", str(fasta), "--gff", str(EXAMPLE_ANNOTATION), "--bedgraph", str(bedgraph)]
    for seqid in (chromosome, plasmid):   # a whole sequence: the window shows one at a time (a track of no model
        # is decoded on the sequences given: the command's --seqid is the window's sequence)
        assert cli_main(args + ["--seqid", seqid, "--disagreements", str(tmp_path / "cli.tsv")]) == 0
        capsys.readouterr()
        window = _window_rows(genome, seqid, [(0, values[seqid])], tmp_path / f"win.{seqid}.tsv")
        cli = _table(tmp_path / "cli.tsv")
        assert window == cli and cli
        if seqid == chromosome:   # Prodigal has genes the track misses there
            assert any(row["track"] == "no" and row["Prodigal"] == "yes" for row in cli)
    # Prodigal as the command: trained on both sequences together, no mask (a gene may run through the N)
    sequences = {sid: r.fetch(0, r.length) for sid, r in genome.sequences.items()}
    from genoview.core.genome import encode

    command = [g[:4] for g in gl.prodigal_genes({s: encode(v) for s, v in sequences.items()})]
    assert [g[:4] for g in gl.genome_prodigal_genes(genome)] == command
    masked = [g[:4] for g in gl.prodigal_genes({chromosome: encode(sequences[chromosome])}, mask=True)]
    assert masked != [g for g in command if g[0] == chromosome]   # the old column (alone, masked) differed

    # a region prediction (a part of the chromosome): the rows of `evaluate --seqid --from --to`
    start, end = 20_000, 70_000   # --from 0.2 --to 0.7 of 100,000
    window = _window_rows(genome, chromosome, [(start, values[chromosome][start:end])], tmp_path / "win.part.tsv")
    assert cli_main(args + ["--seqid", chromosome, "--from", "0.2", "--to", "0.7",
                            "--disagreements", str(tmp_path / "cli.part.tsv")]) == 0
    cli = _table(tmp_path / "cli.part.tsv")
    assert window == cli and cli
    assert all(start < int(row["end"]) and int(row["start"]) <= end for row in cli)
    genome.close()


def test_a_gene_belongs_to_the_part_its_stop_is_in():
    forward, reverse = ("s", 100, 200, 1), ("s", 100, 200, -1)   # stop: bases 197-199 / 100-102
    assert gl.stop_within(forward, {"s": (150, 200)}) and not gl.stop_within(forward, {"s": (0, 199)})
    assert gl.stop_within(reverse, {"s": [(0, 50), (100, 101)]}) and not gl.stop_within(reverse, {"s": (101, 300)})
    assert not gl.stop_within(forward, {"t": (0, 1000)})
    assert gl.in_scope([forward, reverse], {"s": [(150, 250)]}) == [forward]


def test_the_windows_export_of_a_region_is_the_commands(qtbot, tmp_path, capsys, monkeypatch, open_example_window):
    """Through the window: a track predicted on a part of the chromosome, its Export… against `evaluate --seqid
    --from --to` on the same values."""
    from PySide6.QtWidgets import QFileDialog

    from genoview.gui.session import ProbabilityTrack

    fasta = _genome_with_an_n_run(tmp_path)
    window = open_example_window(fasta, EXAMPLE_ANNOTATION)
    genome = window.session.genome
    values, bedgraph = _toy_track(genome, tmp_path)
    chromosome = window.session.seqid
    start, end = 20_000, 70_000
    part = np.full(len(values[chromosome]), np.nan, dtype=np.float32)
    part[start:end] = values[chromosome][start:end]   # not predicted outside the part
    window.session.add_track(ProbabilityTrack(f"toy @ {chromosome}", "toy", chromosome, part, model_name=""))
    with qtbot.waitSignal(window.runner.finished, timeout=60000,
                          check_params_cb=lambda job, result: job.context == "gene-calls"):
        window.call_genes(f"toy @ {chromosome}")
    path = tmp_path / "window.tsv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), "Tab-separated (*.tsv *.txt)"))
    window.disagreements_panel.export_button.click()
    assert cli_main(["evaluate", str(fasta), "--gff", str(EXAMPLE_ANNOTATION), "--bedgraph", str(bedgraph),
                     "--seqid", chromosome, "--from", "0.2", "--to", "0.7",
                     "--disagreements", str(tmp_path / "cli.tsv")]) == 0
    capsys.readouterr()
    exported, cli = _table(path), _table(tmp_path / "cli.tsv")
    assert exported and [list(row.values()) for row in exported] == [list(row.values()) for row in cli]
    window.runner.cancel_all()
    window.runner.wait(20000)


def test_a_genome_too_large_to_train_on_takes_prodigal_on_its_parts(tmp_path, capsys, monkeypatch):
    """Over prodigal.MAX_GENOME (a eukaryote's chromosomes, here made small) Prodigal is not trained on whole
    chromosomes (minutes and gigabytes): on the predicted parts with their flanks, in the window and the CLI alike."""
    from genoview.core.models import prodigal

    def whole(*_args):
        raise AssertionError("trained on the whole genome")
    monkeypatch.setattr(prodigal, "MAX_GENOME", 50_000)
    monkeypatch.setattr(prodigal, "genome_genes", whole)
    fasta = _genome_with_an_n_run(tmp_path)
    genome = open_genome(fasta, EXAMPLE_ANNOTATION)
    values, bedgraph = _toy_track(genome, tmp_path)
    chromosome = next(iter(genome.sequences))
    start, end = 20_000, 70_000
    genes = gl.genome_prodigal_genes(genome, [chromosome], 11, {chromosome: [(start, end)]})
    assert genes and all(start - prodigal.FLANK <= g[1] and g[2] <= end + prodigal.FLANK for g in genes)
    window = _window_rows(genome, chromosome, [(start, values[chromosome][start:end])], tmp_path / "win.tsv")
    assert cli_main(["evaluate", str(fasta), "--gff", str(EXAMPLE_ANNOTATION), "--bedgraph", str(bedgraph),
                     "--seqid", chromosome, "--from", "0.2", "--to", "0.7",
                     "--disagreements", str(tmp_path / "cli.tsv")]) == 0
    capsys.readouterr()
    assert window == _table(tmp_path / "cli.tsv") and window
    genome.close()
