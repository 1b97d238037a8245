"""Training and fine-tuning GeneORF (``genoview train --init geneorf-bacteria``, the wizard's Model page).

GeneORF is no window model: per genome it self-trains its statistics (codon/dicodon, start and upstream
models) from the sequence alone, exactly as at prediction time, and only its gene and start scorers (two
small MLPs over the candidates' features) and its RNA head are weights. So a run here

1. self-trains each genome of the spec (annotation-free) with the parent's scorers and lists every candidate
   ORF with its features (``fit.genome_table``); the annotation gives the labels of the candidates whose stop
   lies in a training region (1 = an annotated CDS ends there; start scorer: 1 = its start too);
2. fine-tunes: continues training the parent's gene and start scorers (their feature normalisation and
   decision offset kept; they train without the offset, as fit.py trains them) on those labels for a doubling
   number of epochs (1, 2, 4, ...); from scratch
   (no ``init_from``) it fits new scorers as ``fit.py`` does (the RNA head is then switched off);
3. after each round calls the genes of every validation genome/part and scores the nucleotide MCC there;
   the weights with the best validation MCC are kept (the parent's own, round 0, win ties), so a fine-tune
   that does not help on held-out data of the genome keeps the parent's scorers;
4. reports test metrics on the test part (never used for a choice) and writes a Hugging Face folder.

The RNA head and the self-training recipe are the parent's; the new genome's statistics are re-learnt
on every genome the model reads, as always (they are not stored: the model stays general).
"""
from __future__ import annotations

import copy
import time
from pathlib import Path
from typing import Any

import numpy as np

from genoview.core.errors import GenoViewInputError
from genoview.core.training.architectures import Architecture, register_architecture
from genoview.core.training.loop import HISTORY_FILE, TrainingResult, update_metadata, write_json_atomic
from genoview.core.training.options import ModelOption, register_options

# epochs of the scorers when the spec leaves them unbounded (they converge in a few)
MAX_EPOCHS = 32

DEFAULTS = {"epochs": 16.0, "batch_size": 4096, "learning_rate": 1e-3, "valid_fraction": 0.1, "log_every": 1}

OPTIONS = (
    ModelOption("start_scorer", "bool", True, "also fine-tune the start scorer (which start of a gene ORF)"),
    ModelOption("hidden", "int", 32, "hidden units of the scorers when training from scratch (a fine-tune keeps "
                "its parent's)", minimum=4, maximum=512),
)
register_options("geneorf", OPTIONS)


def genome_groups(genome, seqids) -> list[tuple[str, list[str]]]:
    """The genomes of a (possibly combined) genome as (name, seqids): GeneORF self-trains on each separately."""
    wanted = list(dict.fromkeys(seqids))
    parts = getattr(genome, "parts", None)
    if not parts:
        name = Path(genome.path or "genome").name
        return [(name, wanted)]
    out, chosen = [], set(wanted)
    for name, keys, *_ in parts:
        mine = [k for k in keys if k in chosen]
        if mine:
            out.append((name, mine))
    return out


def _regions_by_seqid(regions) -> dict[str, list[tuple[int, int]]]:
    out: dict[str, list[tuple[int, int]]] = {}
    for r in regions:
        if r.length:
            out.setdefault(r.seqid, []).append((r.start, r.end))
    return out


class _Scorer:
    """Calls the genes of genomes with a GeneORF model and scores regions of them (validation, test)."""

    def __init__(self, genome, tracks, groups, cancel):
        self.genome, self.tracks, self.groups, self.cancel = genome, tracks, groups, cancel

    def metrics(self, model, regions) -> dict[str, float]:
        from genoview.core.evaluation import evaluate
        from genoview.core.models.geneorf.track import GeneORFTrackModel

        wanted = _regions_by_seqid(regions)
        if not wanted:
            return {}
        labels, values = [], []
        caller = GeneORFTrackModel(model, None, {})
        for _, keys in self.groups:
            if not any(k in wanted for k in keys):
                continue
            self.cancel.check()
            sequences = {k: self.tracks[k][0] for k in keys}
            _, _, track = caller.call_genome(sequences, cancel=self.cancel)
            for k in keys:
                for start, end in wanted.get(k, []):
                    labels.append(self.tracks[k][1][start:end])
                    values.append(np.asarray(track[k][start:end], dtype=np.float32))
        report = evaluate(np.concatenate(labels), np.concatenate(values), 0.5)
        out = report.to_json()
        return {k: out[k] for k in ("mcc", "roc_auc", "accuracy", "f1", "precision", "recall", "n", "genic_fraction")
                if k in out}


def _tables(genome, tracks, groups, split, scorer, seed, cancel, say):
    """Labelled candidate tables of the training regions, one per genome (fit.genome_table)."""
    from genoview.core.models.geneorf.fit import genome_table

    train = _regions_by_seqid(split.train)
    tables = []
    for name, keys in groups:
        scope = {}
        for k in keys:
            if k in train:
                spans = train[k]
                if len(spans) > 1:
                    raise GenoViewInputError(f"sequence {k} has {len(spans)} training regions; GeneORF takes one "
                                             "per sequence")
                scope[k] = spans[0]
        if not scope:
            continue
        cancel.check()
        sequences = {k: tracks[k][0] for k in keys}
        table, _ = genome_table(sequences, genome.features, scope, scorer, seed=seed)
        say(f"{name}: {len(table['x']):,} candidate ORFs in the training part, "
            f"{int(table['stop'].sum()):,} of them annotated genes")
        tables.append(table)
    if not tables or not any(t["stop"].any() for t in tables):
        raise GenoViewInputError("no annotated CDS ends in the training part; GeneORF learns from CDS features "
                                 "(check the annotation)")
    return tables


def _epoch(scorer, x, y, w, lr_opt, batch, generator):
    import torch

    perm = torch.randperm(len(x), generator=generator)
    total = 0.0
    for a in range(0, len(x), batch):
        idx = perm[a:a + batch]
        loss = (torch.nn.functional.binary_cross_entropy_with_logits(scorer(x[idx]), y[idx], reduction="none")
                * w[idx]).mean()
        lr_opt.zero_grad()
        loss.backward()
        lr_opt.step()
        total += float(loss.detach()) * len(idx)
    return total / max(len(x), 1)


def train_geneorf(run_spec, spec, work: Path, *, genome, tracks, split, progress, cancel, on_log, should_stop,
                  say) -> tuple[TrainingResult, dict[str, Any], dict[str, Any]]:
    """Fit or fine-tune GeneORF's scorers (module docstring); returns (result, test metrics, metadata)."""
    import torch

    from genoview.core.models.geneorf import GeneORFConfig, GeneORFModel
    from genoview.core.models.geneorf.fit import combined_scorer, fit_scorers
    from genoview.core.training.options import with_defaults

    started = time.monotonic()
    options = with_defaults("geneorf", spec.model_options)
    budget = spec.max_minutes * 60.0 if spec.max_minutes else None
    max_epochs = int(spec.epochs) if spec.epochs is not None else MAX_EPOCHS
    max_epochs = max(0, min(max_epochs, spec.max_steps or max_epochs))
    torch.manual_seed(spec.seed)
    used = [r.seqid for r in split.train + split.valid + split.test]
    groups = genome_groups(genome, used)
    scorer_of = _Scorer(genome, tracks, groups, cancel)
    history: list[dict[str, Any]] = []

    def log(record):
        history.append(record)
        if on_log:
            on_log({**record, "total_steps": max_epochs,
                    "eta_seconds": round(max(0.0, budget - (time.monotonic() - started)), 1) if budget else None})

    progress(0.0, "self-training on each genome and listing its candidate ORFs")
    if run_spec.init_from:
        model = GeneORFModel.from_pretrained(run_spec.init_from, local_files_only=True).eval()
        if model.config.adapted_to:
            say(f"the parent stores the statistics of {model.config.adapted_to}; the fine-tune self-trains on each "
                "genome instead")
            model.config.adapted_to = None
        tables = _tables(genome, tracks, groups, split, model.scorer(), spec.seed, cancel, say)
        relearned = ["gene scorer (is this ORF a gene): trained further on this genome's training-part labels",
                     "codon/dicodon, start and upstream statistics: self-trained on every genome read "
                     "(annotation-free, as always)"]
        if options["start_scorer"]:
            relearned.insert(1, "start scorer (which start): trained further on the annotated starts")
        kept = ["the scorers' feature normalisation and decision offset", "the RNA-gene head",
                "the parent's scorers themselves when no round beats them on the validation part"]
    else:
        tables = _tables(genome, tracks, groups, split, None, spec.seed, cancel, say)
        gene, start = fit_scorers(tables, hidden=options["hidden"], epochs=1, seed=spec.seed, lr=spec.learning_rate,
                                  log=lambda m: None)
        from genoview.core import genecalls as gc

        model = GeneORFModel(GeneORFConfig(n_features=len(gc.FEATURES), hidden=options["hidden"], rna_threshold=1.01))
        model.gene.load_state_dict(gene.state_dict())
        model.start.load_state_dict(start.state_dict())
        model.eval()
        relearned, kept = ["gene and start scorers: learnt from scratch on the training part"], []
        say("from scratch: the RNA-gene head is untrained and switched off (start from geneorf-bacteria to keep it)")
    rows = sum(len(t["x"]) for t in tables)
    x = torch.from_numpy(np.concatenate([t["x"] for t in tables]).astype(np.float32))
    w = torch.from_numpy(np.concatenate([t["weight"] * (rows / len(tables) / max(float(t["weight"].sum()), 1.0))
                                         for t in tables]).astype(np.float32))
    y = torch.from_numpy(np.concatenate([t["stop"] for t in tables]).astype(np.float32))
    exact = torch.from_numpy(np.concatenate([t["exact"] for t in tables]).astype(np.float32))
    on_gene = y > 0
    sx, sy = x[on_gene], exact[on_gene]
    sw = torch.ones(len(sx))
    generator = torch.Generator().manual_seed(spec.seed)
    gene_opt = torch.optim.Adam(model.gene.parameters(), lr=spec.learning_rate, weight_decay=0.0)
    start_opt = torch.optim.Adam(model.start.parameters(), lr=spec.learning_rate, weight_decay=0.0)
    batch = int(spec.batch_size)
    offsets = {scorer: scorer.offset.detach().clone() for scorer in (model.gene, model.start)}

    def evaluate(epoch: int, loss: float | None):
        model.eval()
        metrics = scorer_of.metrics(model, split.valid) if split.valid else {}
        record = {"step": epoch, "epoch": float(epoch), **({"loss": loss} if loss is not None else {})}
        if loss is not None:
            log(dict(record))
        return metrics

    progress(0.15, "scoring the starting scorers on the validation part")
    best_state = copy.deepcopy(model.state_dict())
    best_metrics = evaluate(0, None)
    best_epoch, evals_without = 0, 0
    log({"step": 0, "epoch": 0.0, **{f"eval_{k}": v for k, v in best_metrics.items()}, "best": True})
    stopped, epoch, target, eval_seconds = "finished", 0, 1, time.monotonic() - started
    while epoch < max_epochs:
        if should_stop is not None and should_stop():
            stopped = "stopped by the user"
            break
        t0 = time.monotonic()
        chunk_target = min(target, max_epochs)
        if budget is not None and (time.monotonic() - started) + eval_seconds * 1.2 > budget:
            stopped = "time limit"
            break
        model.train()
        loss = 0.0
        # the scorers learn without their decision offsets, as fit.py trains them (the offset, chosen on tuning
        # genomes, shifts the trained log-odds afterwards); training through it would learn to undo it
        with torch.no_grad():
            for scorer in (model.gene, model.start):
                scorer.offset.zero_()
        while epoch < chunk_target:
            cancel.check()
            loss = _epoch(model.gene, x, y, w, gene_opt, batch, generator)
            if options["start_scorer"] and len(sx):
                _epoch(model.start, sx, sy, sw, start_opt, batch, generator)
            epoch += 1
        with torch.no_grad():
            for scorer, offset in offsets.items():
                scorer.offset.copy_(offset)
        progress(0.15 + 0.75 * epoch / max(max_epochs, 1), f"epoch {epoch}: validating")
        metrics = evaluate(epoch, round(loss, 5))
        value = metrics.get("mcc", float("nan"))
        better = not split.valid or value > best_metrics.get("mcc", float("-inf"))
        if better:
            best_state, best_metrics, best_epoch, evals_without = copy.deepcopy(model.state_dict()), metrics, epoch, 0
        else:
            evals_without += 1
        log({"step": epoch, "epoch": float(epoch), **{f"eval_{k}": v for k, v in metrics.items()}, "best": better})
        eval_seconds = time.monotonic() - t0
        if spec.patience and evals_without >= spec.patience:
            stopped = "early stopping"
            break
        target *= 2
    model.load_state_dict(best_state)
    model.eval()
    progress(0.9, "scoring the test part")
    test = scorer_of.metrics(model, split.test) if split.test else {}
    seconds = time.monotonic() - started
    work.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(work))
    write_json_atomic(work / HISTORY_FILE, history)
    update_metadata(work, training={
        "spec": spec.to_flat(), "steps": epoch, "total_steps": max_epochs, "best_step": best_epoch,
        "metric": "mcc", "stopped_because": stopped, "seconds": round(seconds, 1), "validation": best_metrics,
        "unit": "epochs of the gene/start scorers over the training part's candidate ORFs",
    }, history=history)
    if run_spec.init_from:
        say(f"kept the weights after {best_epoch} epoch(s) (validation MCC {best_metrics.get('mcc', float('nan')):.4f})"
            + ("; no round beat the parent on the validation part, so its scorers are kept" if best_epoch == 0 else ""))
    metadata = {"description": "GeneORF (self-training ORF gene finder) with scorers "
                               + ("fine-tuned" if run_spec.init_from else "trained") + " on the genomes of this run",
                "fine_tuning": {"relearned": relearned, "kept": kept, "best_epoch": best_epoch}}
    progress(1.0, "done")
    return TrainingResult(history, best_metrics, work, epoch, stopped), test, metadata


def _prepare_refused(*args, **kwargs):
    raise GenoViewInputError("GeneORF trains through the runner's own path (train_geneorf), not window datasets")


register_architecture(Architecture(
    name="geneorf",
    description="Self-training ORF gene finder (bacteria): fine-tunes its gene/start scorers on annotated genomes.",
    prepare=_prepare_refused,
    defaults=DEFAULTS,
))
