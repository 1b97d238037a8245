"""How `genoview train --architecture genecnn` builds a GeneCNN and its data (registered on import)."""
from __future__ import annotations

import numpy as np
import torch

from genoview.core.models.genecnn import GeneCNNConfig, GeneCNNModel, load_track_model
from genoview.core.models.genecnn.coding_potential import hexamer_log_odds
from genoview.core.models.genecnn.modeling_genecnn import masked_bce
from genoview.core.models.genecnn.rna_memory import rna_kmer_table
# the trainer's defaults, options (registered there) and window context live without torch (the wizard's Data page)
from genoview.core.models.genecnn.shape import DEFAULTS, SHAPE_OPTIONS, fresh_config_values, window_context  # noqa: F401
from genoview.core.errors import GenoViewInputError
from genoview.core.training.architectures import Architecture, PreparedRun, register_architecture
from genoview.core.training.options import check_options
from genoview.core.training.datasets import RandomWindows, TiledWindows, positive_fraction

def genic_metrics(logits: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    """Validation MCC, accuracy and ROC AUC over the labelled bases (threshold 0.5)."""
    from genoview.core.evaluation import evaluate

    keep = labels >= 0
    report = evaluate(labels[keep] > 0.5, 1.0 / (1.0 + np.exp(-logits[keep].astype(np.float64))))
    return {"mcc": report.mcc, "accuracy": report.accuracy, "f1": report.f1, "roc_auc": report.roc_auc}


class FeatureWindows(RandomWindows):
    """Random training windows served from reading-frame features computed once per training region.

    With the dicodon scores held fixed every feature is a fixed, local function of the sequence (within
    ``orf_reach``), so a window needs only the CNN's receptive radius of flank instead of the full context.
    """

    def __init__(self, model, tracks, regions, chunk: int, count: int, seed: int, progress=None):
        margin = model.config.receptive_radius() + model.config.downsample
        super().__init__(tracks, regions, chunk, margin, count, seed)
        self.features = {}
        for region in regions:
            codes = tracks[region.seqid][0][region.start:region.end]
            self.features[region.seqid] = (region.start, region_features(model, codes))

    def __getitem__(self, index: int) -> dict:
        seqid, start = self.starts[index]
        region_start, features = self.features[seqid]
        _, target = self.window(index)
        width = len(target)
        offset = start - region_start
        return {"features": torch.from_numpy(features[offset:offset + width]), "labels": torch.from_numpy(target)}


def region_features(model, codes: np.ndarray, tile: int = 65536) -> np.ndarray:
    """float16 (len(codes), n) feature matrix of a stretch, as if nothing lay beyond it (N padding)."""
    reach = int(model.config.orf_reach) + 12
    length = len(codes)
    out = None
    with torch.inference_mode():
        for a in range(0, length, tile):
            b = min(a + tile, length)
            window = np.full(b - a + 2 * reach, 4, dtype=np.uint8)
            lo, hi = max(0, a - reach), min(length, b + reach)
            window[lo - (a - reach):hi - (a - reach)] = codes[lo:hi]
            features = model.feature_matrix(torch.from_numpy(window)[None])[0, reach:reach + b - a]
            if out is None:
                out = np.empty((length, features.shape[1]), dtype=np.float16)
            out[a:b] = features.numpy().astype(np.float16)
    return out


def _counted_dicodons(genome, tracks, split, spec):
    """Dicodon log-odds counted from the training part's CDS (else the genic features' own frames), or None."""
    scores = hexamer_log_odds(genome, tracks, split.train, ("CDS",))
    if scores is None:   # no CDS features: the genic features' own frames
        scores = hexamer_log_odds(genome, tracks, split.train, tuple(spec.feature_types))
    return scores


def _fresh_config(spec, options: dict) -> GeneCNNConfig:
    """A from-scratch model's config: the shape options, ``--context`` as orf_reach unless given."""
    return GeneCNNConfig(**fresh_config_values(spec, options))


def prepare(spec, genome, tracks, split) -> PreparedRun:
    """A fresh (or ``spec.init_from``) GeneCNN with random training windows and tiled validation windows.

    A fresh model's dicodon scores are counted from the CDS of the training part (coding_potential.py), and
    so are a fine-tune's by default (``codon_table=recount``: codon usage is genome-specific). They stay
    fixed, and training reads precomputed features (:class:`FeatureWindows`), unless the model option
    ``train_dicodons`` is true. Copies of the training part's rRNA/tRNA genes are remembered as k-mers
    (rna_memory.py); a fine-tune re-learns them from the new genome by default (``rna_memory``). What a
    fine-tune re-learns is listed in the metadata (``fine_tuning.relearned``).
    """
    options = check_options("genecnn", dict(spec.model_options))
    train_dicodons = options.pop("train_dicodons", None)
    rna_memory = options.pop("rna_memory", None) or "relearn"
    codon_table = options.pop("codon_table", None)
    relearned: list[str] = []
    kept: list[str] = []
    if spec.init_from:
        shape = sorted(set(options) & set(SHAPE_OPTIONS))
        if shape:
            raise GenoViewInputError(f"fine-tuning keeps the shape of {spec.init_from}; drop the model option(s) "
                                     f"{', '.join(shape)} (or train from scratch without --init)")
        if spec.context:
            raise GenoViewInputError("fine-tuning keeps the context (orf_reach) of the initial model; drop --context")
        model = GeneCNNModel.from_pretrained(spec.init_from, local_files_only=True)
        # chosen on validation MCC of 10-minute fine-tunes of genecnn-ecoli (two genomes): a recounted table
        # beat the parent's table trained further on both; training the recounted table further tied with
        # holding it fixed, at 2-3x slower steps
        codon_table = codon_table or "recount"
        train_dicodons = bool(train_dicodons)
        if codon_table == "recount":
            scores = _counted_dicodons(genome, tracks, split, spec)
            if scores is None or model.config.score_dims != scores.shape[1]:
                raise GenoViewInputError("codon_table=recount needs CDS (or genic) features in the training part "
                                         "and a 2-score dicodon table; use codon_table=parent")
            with torch.no_grad():
                model.hexamer_scores.weight.copy_(torch.from_numpy(scores))
            relearned.append("codon usage: the dicodon table counted from this genome's training-part CDS"
                             + (", then trained" if train_dicodons else " (held fixed)"))
        elif train_dicodons:
            relearned.append("codon usage: the dicodon coding-potential table is trained on this genome")
        else:
            kept.append("codon usage: the parent's dicodon table, held fixed (train_dicodons=false)")
        parent_rna = model.rna_kmers.detach().cpu().numpy()
        if rna_memory == "keep":
            kept.append(f"RNA memory: the parent's {len(parent_rna)} rRNA/tRNA k-mers (rna_memory=keep)")
        else:
            table = rna_kmer_table(genome, tracks, split.train, model.config.rna_kmer_size)
            if rna_memory == "merge":
                table = np.union1d(parent_rna, table)
            model.set_rna_kmers(table)
            relearned.append(f"RNA memory: {len(table)} rRNA/tRNA k-mers "
                             f"{'from this genome' if rna_memory == 'relearn' else 'of the parent and this genome'}"
                             f" (the parent had {len(parent_rna)})")
    else:
        train_dicodons = bool(train_dicodons)
        if rna_memory != "relearn":
            raise GenoViewInputError(f"rna_memory={rna_memory} needs a parent model (--init); from scratch the RNA "
                                     "memory is learned from this genome")
        if codon_table not in (None, "recount"):
            raise GenoViewInputError(f"codon_table={codon_table} needs a parent model (--init); from scratch the "
                                     "table is counted from this genome")
        model = GeneCNNModel(_fresh_config(spec, options))
        scores = _counted_dicodons(genome, tracks, split, spec)
        if scores is not None and model.config.score_dims == scores.shape[1]:
            with torch.no_grad():
                model.hexamer_scores.weight.copy_(torch.from_numpy(scores))
        model.set_rna_kmers(rna_kmer_table(genome, tracks, split.train, model.config.rna_kmer_size))
    context = int(model.config.context)
    chunk = int(spec.window or DEFAULTS["window"])
    train_bases = sum(r.length for r in split.train)
    count = int(spec.windows_per_epoch or max(1, train_bases // chunk))
    if train_dicodons:
        train = RandomWindows(tracks, split.train, chunk, context, count, spec.seed)
    else:
        model.hexamer_scores.weight.requires_grad_(False)
        train = FeatureWindows(model, tracks, split.train, chunk, count, spec.seed)
    valid = TiledWindows(tracks, split.valid, chunk, context, limit=spec.eval_windows) if split.valid else None
    compute_loss = None
    if spec.class_weighting == "balanced":
        genic = positive_fraction(tracks, split.train)
        pos_weight = (1.0 - genic) / max(genic, 1e-6)

        def compute_loss(model, batch):
            outputs = model(**{key: value for key, value in batch.items() if key != "labels"})
            return masked_bce(outputs.logits, batch["labels"], pos_weight), outputs
    return PreparedRun(
        model=model, train_dataset=train, eval_dataset=valid, task="gene-probability",
        compute_metrics=genic_metrics, compute_loss=compute_loss, load_track_model=load_track_model,
        metadata={"description": "GeneCNN: per-nucleotide gene probability from reading-frame (ORF, start/stop, "
                                 "learned dicodon coding potential) features and a residual dilated 1-D CNN.",
                  **({"fine_tuning": {"relearned": relearned, "kept": kept}} if spec.init_from else {})},
    )


register_architecture(Architecture(
    name="genecnn",
    description="Fast per-nucleotide gene model: reading-frame features + residual dilated CNN (bacteria).",
    prepare=prepare,
    defaults=DEFAULTS,
))
