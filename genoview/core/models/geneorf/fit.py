"""Fit GeneORF's gene scorer across annotated genomes (the annotation is used only for the labels).

Each genome is self-trained without its annotation (genecalls.self_train), exactly as at prediction
time; every candidate gene then gets its features and a label: 1 when an annotated CDS has the same
strand, start and stop. A small MLP learns the log-odds from the features of all training genomes.
"""
from __future__ import annotations

import numpy as np

from genoview.core import genecalls as gc
from genoview.core import gene_level as gl

NEGATIVE_KEEP = 0.25      # share of hopeless candidates (score < -15) kept, weighted back up
# training genomes are also read as draft assemblies (fit --draft): contig lengths log-uniform in this range, so
# the scorers see genes running off contig edges (a 5' or 3' partial ORF), which complete genomes never show
DRAFT_SHORTEST, DRAFT_LONGEST = 5_000, 150_000


def draft_pieces(sequences: dict, seed: int = 0, shortest: int = DRAFT_SHORTEST, longest: int = DRAFT_LONGEST):
    """The genome as a draft assembly: each sequence cut at random points into contigs whose lengths are
    log-uniform in [shortest, longest]. Returns ({contig id: codes}, {contig id: (seqid, offset)})."""
    rng = np.random.default_rng(seed)
    pieces, where = {}, {}
    for sid, codes in sequences.items():
        a, n = 0, len(codes)
        while a < n:
            b = a + int(np.exp(rng.uniform(np.log(shortest), np.log(longest))))
            if n - b < shortest:
                b = n
            pieces[f"{sid}:{a}"] = codes[a:b]
            where[f"{sid}:{a}"] = (sid, a)
            a = b
    return pieces, where


def _cut_labels(genes: dict, seqid: str, strand: int, left: int, right: int, open5: bool, open3: bool):
    """(stop, exact) labels of a candidate that runs off a contig edge (genome coordinates ``left``, ``right``):
    an annotated CDS in its frame that runs on past the open end(s), and otherwise ends (starts) where it does."""
    g = genes.get((seqid, strand))
    if g is None:
        return False, False
    a, b = g
    if strand > 0:
        frame = (a - left) % 3 == 0
        three = (b > right) & (a < right) if open3 else (b == right)
        five = (a < left) if open5 else (a == left)
    else:
        frame = (b - right) % 3 == 0
        three = (a < left) & (b > left) if open3 else (a == left)
        five = (b > right) if open5 else (b == right)
    stop = frame & three
    return bool(stop.any()), bool((stop & five).any())


def genome_table(sequences: dict, features, scope: dict | None, scorer=None, genetic_code: int | None = None,
                 seed: int = 0, pieces: dict | None = None, model=None):
    """Candidates of one genome: dict of features (n, F), stop (ORF is an annotated CDS), exact (start too),
    group (ORF id), weight (subsampling), and the self-trained stats.

    ``pieces`` ({contig id: (seqid, offset)}, from :func:`draft_pieces`): ``sequences`` are contigs cut from the
    annotated sequences, so candidates running off a contig edge (partial genes) get labels too: the gene
    is the annotated CDS that runs through the cut in the candidate's frame.

    ``model`` (a GeneORF model; ``scorer`` is then ignored): the table of the model being refitted, its features
    from the statistics the model predicts with (track.prediction_statistics: its stored statistics, else its own
    scorer's self-training at its config's max_overlap/start_background). Without it (fit.py's own iterations)
    the genome self-trains with ``scorer`` at genecalls.MAX_OVERLAP, as before."""
    pieces = pieces or {}
    if model is not None:
        from genoview.core.models.geneorf.track import own_columns, prediction_statistics

        stored = model.stored_statistics()
        code = genetic_code or model.config.genetic_code or (stored.genetic_code if stored is not None else None) \
            or gc.detect_genetic_code(sequences)   # as call_genome / call_genes choose it
        seqs = gc.enumerate_candidates(sequences, code)
        scorer = own_columns(model.scorer(), int(model.config.n_features))
        stats = prediction_statistics(model, seqs, code)
    else:
        code = genetic_code or gc.detect_genetic_code(sequences)
        seqs = gc.enumerate_candidates(sequences, code)
        stats = gc.self_train(seqs, code, scorer)
    gc.score_coding(seqs, stats.coding, stats.codon_usage)
    scored = gc._all_scored(seqs, stats, scorer)
    ref = gl.annotated_cds(features)
    exact = {(g[0], g[3], g[1], g[2]) for g in ref}
    stops = {gl.stop_key(g) for g in ref}
    by_strand = {}
    for g in ref:
        by_strand.setdefault((g[0], g[3]), []).append(g[1:3])
    by_strand = {k: tuple(np.array(v, dtype=np.int64).T) for k, v in by_strand.items()}
    rng = np.random.default_rng(seed)
    out = {k: [] for k in ("x", "stop", "exact", "group", "weight")}
    groups = 0
    for (i, strand), (feats, score, left, right) in scored.items():
        s = seqs[i]
        cands = s.strands[strand]
        seqid, offset = pieces.get(s.seqid, (s.seqid, 0))
        bounds = (offset, offset + s.length) if scope is None else scope.get(seqid)
        if bounds is None:
            continue
        left, right = left + offset, right + offset
        stop = right if strand > 0 else left
        inside = (stop >= bounds[0]) & (stop <= bounds[1])
        is_exact = np.array([(seqid, strand, int(a), int(b)) in exact for a, b in zip(left, right)], dtype=bool)
        is_stop = np.array([(seqid, strand, int(p)) in stops for p in stop], dtype=bool)
        if s.seqid in pieces:   # partial candidates at a cut of a known gene
            open5, open3 = cands.start_type == 3, cands.partial3
            for j in np.nonzero(open5 | open3)[0].tolist():
                is_stop[j], is_exact[j] = _cut_labels(by_strand, seqid, strand, int(left[j]), int(right[j]),
                                                      bool(open5[j]), bool(open3[j]))
        hopeless = (feats[:, 0] < -20) & ~is_stop
        keep = inside & (~hopeless | (rng.random(len(score)) < NEGATIVE_KEEP))
        group, _ = gc.orf_groups(cands)
        out["x"].append(feats[keep])
        out["stop"].append(is_stop[keep])
        out["exact"].append(is_exact[keep])
        out["group"].append(group[keep] + groups)
        out["weight"].append(np.where(hopeless[keep], 1.0 / NEGATIVE_KEEP, 1.0))
        groups += int(group.max()) + 1 if len(group) else 0
    table = {k: np.concatenate(v) for k, v in out.items()}
    table["x"] = table["x"].astype(np.float32)
    return table, stats


def train_epoch(model, x, y, w, opt, batch: int = 4096, generator=None) -> float:
    """One epoch of weighted binary cross-entropy over a fresh permutation in batches; the mean loss."""
    import torch

    perm = torch.randperm(len(x), generator=generator)
    total = 0.0
    for a in range(0, len(x), batch):
        idx = perm[a:a + batch]
        loss = (torch.nn.functional.binary_cross_entropy_with_logits(model(x[idx]), y[idx], reduction="none")
                * w[idx]).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += float(loss.detach()) * len(idx)
    return total / max(len(x), 1)


def _train(model, x, y, w, epochs, lr, log):
    import torch

    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for epoch in range(epochs):
        log(f"epoch {epoch}: loss {train_epoch(model, x, y, w, opt):.4f}")
    return model


def fit_scorers(tables, hidden: int = 32, epochs: int = 6, seed: int = 0, lr: float = 3e-3, log=print):
    """(gene scorer, start scorer): P(the ORF is a gene) over every candidate (each genome weighs the
    same), and P(this start | the ORF is a gene) over the candidates of annotated ORFs."""
    import torch

    from genoview.core.models.geneorf.modeling_geneorf import GeneScorer

    torch.manual_seed(seed)
    rows = sum(len(t["x"]) for t in tables)
    x = torch.from_numpy(np.concatenate([t["x"] for t in tables]))
    w = torch.from_numpy(np.concatenate([t["weight"] * (rows / len(tables) / max(float(t["weight"].sum()), 1.0))
                                         for t in tables]).astype(np.float32))
    stop = torch.from_numpy(np.concatenate([t["stop"] for t in tables]).astype(np.float32))
    exact = torch.from_numpy(np.concatenate([t["exact"] for t in tables]).astype(np.float32))
    mean, std = x.mean(0), x.std(0).clamp(min=1e-3)
    gene = GeneScorer(x.shape[1], hidden)
    gene.set_normalisation(mean, std)
    _train(gene, x, stop, w, epochs, lr, log)
    on_gene = stop > 0
    start = GeneScorer(x.shape[1], hidden)
    start.set_normalisation(mean, std)
    _train(start, x[on_gene], exact[on_gene], torch.ones(int(on_gene.sum())), epochs * 2, lr, log)
    return gene, start


def combined_scorer(gene, start, offset: float = 0.0):
    """A genecalls scorer: (gene log-odds + offset, start log-odds) per candidate."""
    g, s = gene.numpy_scorer(), start.numpy_scorer()

    def score(feats):
        return g(feats) + offset, s(feats)
    return score


def adapt(model, sequences: dict, genome_name: str, rounds: int = 5, epochs: int = 3, lr: float = 1e-3,
          confident: float = 4.0, progress=None, cancel=None, seed: int = 0, negatives: float = 0.3,
          tune_starts: bool = False):
    """Fit a GeneORF model to one genome from its own sequence (no annotation), in place.

    Statistics are re-learnt with more self-training rounds and stored in the model; the gene scorer is
    fine-tuned on pseudo-labels: the genome's confident calls (log-odds >= ``confident``) are genes,
    candidates far below (<= -``confident``) that overlap no confident call are not (a share ``negatives``
    of them, drawn with ``seed``). ``tune_starts`` also fine-tunes the start scorer on the confident calls'
    own starts; off by default since session 11: on the leave-one-out test bed (8 design genomes, each
    adapted from a parent that never saw it, seeds 0-2) learning its own start choices back cost nucleotide
    MCC (mean gain over the parents +0.0011..+0.0021 with it, +0.0022..+0.0029 without; genomes losing 2-3 of
    8 with it, 1 without; model card, session 11 "Adapt: gene scorer only").
    """
    import torch

    from genoview.core.jobs import ensure_cancel, ensure_progress

    progress, cancel = ensure_progress(progress), ensure_cancel(cancel)
    torch.manual_seed(seed)
    from genoview.core.models.geneorf.track import own_columns

    n_features = int(model.config.n_features)
    scorer = own_columns(model.scorer(), n_features)
    code = model.config.genetic_code or gc.detect_genetic_code(sequences)
    progress(0.05, "self-training on the genome")
    seqs = gc.enumerate_candidates(sequences, code)
    overlap = gc.max_overlap_of(model.config)
    stats = gc.self_train(seqs, code, scorer, rounds=rounds, max_overlap=overlap,
                          start_background=gc.start_background_of(model.config))
    cancel.check()
    gc.score_coding(seqs, stats.coding, stats.codon_usage)
    scored = gc._all_scored(seqs, stats, scorer)
    chosen = gc._decode(seqs, scored, overlap)
    progress(0.5, "pseudo-labels from confident calls")
    xs, gene_y, start_x, start_y = [], [], [], []
    n_confident = 0
    for (i, strand), (feats, score, left, right) in scored.items():
        cands = seqs[i].strands[strand]
        picked = chosen[(i, strand)]
        good = picked[score[picked] >= confident]
        n_confident += len(good)
        group, n_groups = gc.orf_groups(cands)
        good_orf = np.zeros(n_groups, dtype=bool)
        good_orf[group[good]] = True
        good_orf = good_orf[group]   # the candidates of ORFs with a confident call
        covered = np.zeros(seqs[i].length + 1, dtype=np.int32)
        for j in good:
            covered[left[j]] += 1
            covered[right[j]] -= 1
        covered = np.cumsum(covered)[:-1] > 0
        mid = (left + right) // 2
        negative = (score <= -confident) & ~covered[np.clip(mid, 0, seqs[i].length - 1)]
        rng = np.random.default_rng(seed)
        negative &= rng.random(len(score)) < negatives
        sel = good_orf | negative
        xs.append(feats[sel, :n_features])
        gene_y.append(good_orf[sel])
        if tune_starts:   # the start scorer's pseudo-labels: each confident ORF's called start
            start_x.append(feats[good_orf, :n_features])
            is_good = np.zeros(len(score), dtype=bool)
            is_good[good] = True
            start_y.append(is_good[good_orf])
    x = torch.from_numpy(np.concatenate(xs).astype(np.float32))
    y = torch.from_numpy(np.concatenate(gene_y).astype(np.float32))
    progress(0.6, f"fine-tuning the {'scorers' if tune_starts else 'gene scorer'} on {n_confident:,} confident genes")
    log = lambda message: None   # noqa: E731
    _train(model.gene, x, y, torch.ones(len(x)), epochs, lr, log)
    cancel.check()
    if tune_starts:
        sx = torch.from_numpy(np.concatenate(start_x).astype(np.float32))
        sy = torch.from_numpy(np.concatenate(start_y).astype(np.float32))
        _train(model.start, sx, sy, torch.ones(len(sx)), epochs, lr, log)
    model.store_statistics(stats, genome_name)
    model.config.genetic_code = code
    progress(1.0, "adapted")
    return stats


# --------------------------------------------------------------------------- building the shipped model

TRAIN_GENOMES = ("ecoli", "staphylococcus_aureus_COL", "haemophilus_influenzae_RdKW20", "yersinia_pestis_KIM",
                 "neisseria_meningitidis_MC58", "methanococcus_maripaludis_S2")
TUNE_GENOMES = ("methanosarcina_mazei_S-6", "brucella_melitensis_16M")
HELD_OUT_GENOMES = ("mycoplasma_gallisepticum_Rlow", "chlamydia_trachomatis_D-LC", "treponema_pallidum_Nichols",
                    "paracoccus_sp_SCN68-21")
# the RNA head never sees E. coli, so its RNA genes on E. coli's test part are found by what other genomes taught
RNA_TRAIN_GENOMES = tuple(name for name in TRAIN_GENOMES if name != "ecoli")
ECOLI_TRAIN_TO = 0.7     # E. coli's labels are used on its first 70 % only (its last 30 % is the test part)
ECOLI_SEQID, ECOLI_LENGTH = "NC_000913.3", 4_641_652   # the one E. coli record (../shared/data/ecoli-k12-mg1655)


def _genome_files(shared, name):
    from pathlib import Path

    shared = Path(shared)
    if name == "ecoli":
        d = shared / "ecoli-k12-mg1655"
        return d / "GCF_000005845.2_ASM584v2_genomic.fna.gz", d / "GCF_000005845.2_ASM584v2_genomic.gff.gz"
    return shared / "bacteria" / name / "genome.fna.gz", shared / "bacteria" / name / "annotation.gff3.gz"


def _load(shared, name):
    from genoview.core.genome import encode, open_genome

    fasta, gff = _genome_files(shared, name)
    genome = open_genome(fasta, gff)
    return genome, {sid: encode(r.fetch(0, r.length)) for sid, r in genome.sequences.items()}


def _label_scope(name, sequences):
    return {sid: (0, int(ECOLI_TRAIN_TO * len(c))) for sid, c in sequences.items()} if name == "ecoli" else None


def _nucleotide_mcc(model, genome, sequences, rna_probs=None, pieces: dict | None = None) -> dict:
    """Nucleotide MCC/AUC and gene level of ``model`` on ``sequences`` (contigs cut from ``genome``'s sequences
    when ``pieces`` maps them: {contig id: (seqid, offset)})."""
    from genoview.core.evaluation import evaluate
    from genoview.core.models.geneorf.track import GeneORFTrackModel

    pieces = pieces or {sid: (sid, 0) for sid in sequences}
    calls, _, tracks = GeneORFTrackModel(model, None, {}).call_genome(sequences, rna_probs=rna_probs)
    masks = {}
    for sid, (seqid, offset) in pieces.items():
        if seqid not in masks:
            masks[seqid] = genome.label_mask(seqid, ("gene",))
    labels = np.concatenate([masks[pieces[sid][0]][pieces[sid][1]:pieces[sid][1] + len(c)]
                             for sid, c in sequences.items()])
    values = np.concatenate([tracks[sid] for sid in sequences])
    report = evaluate(labels, values, 0.5)
    genes = [(pieces[g[0]][0], g[1] + pieces[g[0]][1], g[2] + pieces[g[0]][1], g[3]) for g in gl.genes_of_calls(calls)]
    level = gl.compare_genes(genes, gl.annotated_cds(genome.features))
    return {"mcc": report.mcc, "roc_auc": report.roc_auc, **level.to_json()}


def main(argv=None) -> int:
    """Build GeneORF from the training genomes; choose the decision offset and RNA threshold on the tuning
    genomes; never read the held-out ones."""
    import argparse
    import json
    import shlex
    import sys
    import time
    from pathlib import Path

    import torch

    from genoview.core.models.geneorf import GeneORFConfig, GeneORFModel
    from genoview.core.models.geneorf.rna import rna_labels, train_rna_head

    p = argparse.ArgumentParser(prog="python -m genoview.core.models.geneorf.fit")
    p.add_argument("--shared", default="../shared/data")
    p.add_argument("--out", required=True)
    p.add_argument("--name", default="geneorf-bacteria")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--iterations", type=int, default=2)
    p.add_argument("--hidden", type=int, default=32, help="hidden units of the gene and start scorers")
    p.add_argument("--epochs", type=int, default=6, help="epochs of the gene scorer (the start scorer: twice)")
    p.add_argument("--rna-steps", type=int, default=2000)
    p.add_argument("--offsets", default="0,1,2")
    p.add_argument("--rna-thresholds", default="0.5,0.8,0.95")
    p.add_argument("--train-genomes", default=",".join(TRAIN_GENOMES),
                   help="genomes whose labels train the scorers (E. coli: its first 70 %% only)")
    p.add_argument("--rna-from", metavar="MODEL_DIR", help="take the RNA head of this GeneORF model (no RNA training)")
    p.add_argument("--draft", action="store_true",
                   help="read each training genome as a draft assembly (contigs of 5-150 kb, seeded) so the scorers "
                        "learn genes that run off contig edges; tune on the tuning genomes whole and as drafts")
    p.add_argument("--tune-drafts", action="store_true",
                   help="also tune on the tuning genomes cut into contigs as --draft cuts them (seeded by --seed)")
    p.add_argument("--start-background", type=float, default=0.0,
                   help="config start_background of the model written (how self-training weighs start codons when "
                        "it calls genes; genecalls._learn_starts); the training tables are made with 0 as before")
    p.add_argument("--no-tune", action="store_true",
                   help="keep the one --offsets / --rna-thresholds value given (chosen before on the tuning genomes)")
    args = p.parse_args(argv)
    train_genomes = tuple(args.train_genomes.split(","))
    torch.set_num_threads(1)
    started = time.time()
    log = lambda m: print(f"[{time.time() - started:6.0f}s] {m}", flush=True)   # noqa: E731
    scorer, gene, start = None, None, None
    for iteration in range(args.iterations):
        tables = []
        for name in train_genomes:
            genome, seqs = _load(args.shared, name)
            scope, pieces = _label_scope(name, seqs), None
            if args.draft:
                seqs, pieces = draft_pieces(seqs, seed=args.seed * 1000 + train_genomes.index(name))
            table, _ = genome_table(seqs, genome.features, scope, scorer, seed=args.seed, pieces=pieces)
            tables.append(table)
            log(f"iteration {iteration}: {name}: {len(table['x']):,} candidates, {int(table['exact'].sum()):,} genes")
        gene, start = fit_scorers(tables, hidden=args.hidden, epochs=args.epochs, seed=args.seed, log=log)
        scorer = combined_scorer(gene, start)
    if args.rna_from:
        head = GeneORFModel.from_pretrained(args.rna_from, local_files_only=True).rna
    else:
        rna_data = []
        for name in RNA_TRAIN_GENOMES:
            genome, seqs = _load(args.shared, name)
            for sid, codes in seqs.items():
                labels = rna_labels(genome.features, sid, len(codes))
                scope = _label_scope(name, seqs)
                end = scope[sid][1] if scope else len(codes)
                rna_data.append((codes[:end], labels[:end]))
        head = train_rna_head(rna_data, steps=args.rna_steps, window=512, seed=args.seed, log=log)
    # scorers that never saw partial genes (complete genomes) read them as complete genes of their length
    config = GeneORFConfig(n_features=len(gc.FEATURES), hidden=args.hidden, partial_as_complete=not args.draft,
                           start_background=args.start_background)
    model = GeneORFModel(config)
    model.gene.load_state_dict(gene.state_dict())
    model.start.load_state_dict(start.state_dict())
    model.rna.load_state_dict(head.state_dict())
    model.eval()
    tuning = {}
    best = None
    from genoview.core.models.geneorf.rna import rna_probabilities

    tune_data = []
    for name in (() if args.no_tune else TUNE_GENOMES):
        genome, seqs = _load(args.shared, name)
        tune_data.append((name, genome, seqs, {sid: rna_probabilities(model.rna, c) for sid, c in seqs.items()}, None))
        if args.draft or args.tune_drafts:   # the same genome as a draft assembly (cuts seeded by the fit's seed)
            contigs, pieces = draft_pieces(seqs, seed=args.seed)
            tune_data.append((f"{name}/draft", genome, contigs,
                              {sid: rna_probabilities(model.rna, c) for sid, c in contigs.items()}, pieces))
        log(f"RNA head read {name}")
    for offset in (float(x) for x in args.offsets.split(",")):
        for threshold in (float(x) for x in args.rna_thresholds.split(",")):
            with torch.no_grad():
                model.gene.offset.fill_(offset)
            model.config.rna_threshold = threshold
            rows = {name: _nucleotide_mcc(model, genome, seqs, rna, pieces)
                    for name, genome, seqs, rna, pieces in tune_data}
            mean = float(np.mean([r["mcc"] for r in rows.values()])) if rows else float("nan")
            tuning[f"offset={offset},rna_threshold={threshold}"] = {"mean_mcc": mean, **rows}
            log(f"offset {offset} rna threshold {threshold}: tuning MCC {mean:.4f} "
                + " ".join(f"{k} {v['mcc']:.4f}" for k, v in rows.items()))
            if best is None or mean > best[0] or not rows:
                best = (mean, offset, threshold)
    with torch.no_grad():
        model.gene.offset.fill_(best[1])
    model.config.rna_threshold = best[2]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out))
    from genoview.core.models.metadata import ModelMetadata

    command = "python -m genoview.core.models.geneorf.fit " + " ".join(shlex.quote(a) for a in (argv or sys.argv[1:]))
    ModelMetadata().update(
        name=args.name, architecture="geneorf", task="gene-probability",
        description="GeneORF: self-training ORF gene finder (codon/dicodon, start and upstream statistics re-learnt "
                    "on each genome without its annotation), gene/start scorers and an RNA-gene CNN learnt across "
                    "7 genomes; strand-aware gene calls (GFF3, proteins) and a per-nucleotide track",
        command=command, seed=args.seed,
        data={"train_genomes": list(train_genomes), "train_note": "E. coli labels from its first 70 % only",
              "rna_train": f"RNA head of {args.rna_from}" if args.rna_from else list(RNA_TRAIN_GENOMES),
              "tune_genomes": [] if args.no_tune else list(TUNE_GENOMES),
              "draft": f"training genomes read as draft assemblies (contigs {DRAFT_SHORTEST:,}-{DRAFT_LONGEST:,} b)"
                       if args.draft else None,
              "held_out_genomes": list(HELD_OUT_GENOMES),
              # the parts of E. coli as regions, so evaluation defaults to the held-out part and warns on the rest
              "train": [{"seqid": ECOLI_SEQID, "start": 0, "end": int(ECOLI_TRAIN_TO * ECOLI_LENGTH)}],
              "test": [{"seqid": ECOLI_SEQID, "start": int(ECOLI_TRAIN_TO * ECOLI_LENGTH), "end": ECOLI_LENGTH}]},
        training={"minutes": round((time.time() - started) / 60, 2), "tuning": tuning,
                  "chosen": {"offset": best[1], "rna_threshold": best[2], "tuning_mean_mcc": best[0]}},
    ).save(out)
    log(f"saved {out}: offset {best[1]}, RNA threshold {best[2]}, tuning mean MCC {best[0]:.4f}")
    (out / "tuning.json").write_text(json.dumps(tuning, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
