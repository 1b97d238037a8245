"""Training and fine-tuning GeneORF (``genoview train --init geneorf-bacteria``, the wizard's Model page).

GeneORF is no window model: per genome it self-trains its statistics (codon/dicodon, start and upstream
models) from the sequence alone, exactly as at prediction time, and only its gene and start scorers (two
small MLPs over the candidates' features) and its RNA head are weights. So a run here

1. self-trains each genome of the spec (annotation-free) with the parent's scorers and lists every candidate
   ORF with its features (``fit.genome_table``); the annotation gives the labels of the candidates whose stop
   lies in a training region (1 = an annotated CDS ends there; start scorer: 1 = its start too);
2. fine-tunes, by default with recipe ``select``: it chooses, from the genome's own training part only, among
   candidates (default ``parent,adapt,last,last_start,adapt_start,adapt_last,adapt_last_start,soup_greedy``): the parent's
   scorers unchanged;
   ``adapt`` (the parent adapted to the genome's whole sequence without its annotation, as ``genoview adapt``:
   statistics self-trained and stored, gene scorer fine-tuned on pseudo-labels from its confident calls;
   no label is read, so like the parent it is scored on the whole training part); ``adapt_start``, ``adapt_last``,
   ``adapt_last_start`` (adapt, then the start scorer's, the gene scorer's or both last layers refitted on the
   training part's labelled candidate ORFs, as ``last``); ``semi`` (semi-supervised statistics:
   the codon/dicodon, start and upstream statistics counted on the annotated genes of the training part plus the
   genome's own self-trained calls elsewhere, stored in the model); ``last`` (supervised: the gene scorer's last
   layer refitted on the training part's labelled candidate ORFs, a logistic regression over the parent's hidden
   activations held to the parent's weights by ``last_penalty``, 0.05 since session 16, 0.01 before);
   ``last_start`` (``last``, then the start scorer's
   last layer refitted the same way on the annotated starts); optionally ``stats`` (annotated genes only),
   ``continue`` (trained further for ``continue_epochs``) and ``refit`` (below); the model soups
   (``soup_of``: the scorers' weights averaged, the adapted statistics kept) ``soup`` (of the four adapt*
   candidates), ``soup_parent`` (with the parent's scorers) and ``soup_greedy`` (greedy, a default candidate and the
   default anchor since session 13: from the best adapt* candidate, each other one or the parent's scorers added
   when the cross-fitted MCC does not drop); as anchors on the 22 design cases (README, session 12) they improved 17,
   17 and 18 of 22 (mean +0.0034, +0.0040, +0.0044); each at its own gene decision
   offset, or with a few offsets added (log-odds, options ``offset_range``/``offset_step``; default 0: kept). Each fitted candidate is cross-fitted (fitted on one half of the
   training part, scored on the other, both ways, counts pooled; option ``folds``: K contiguous folds, fitted on
   K-1 and scored on the one left, each in turn); option ``adapt_seeds`` adapts the parent with several seeds and
   averages their gene scorers (a soup of seeds) before the adapt* candidates are fitted on it (both cut the
   variance of the choice; on the 22 design cases, README session 13: with session 12's anchor adapt_last 16 of 22,
   mean +0.0036; with the greedy soup as anchor 19 of 22, mean +0.0040 with four folds, +0.0045 with halves and
   worst -0.0015: the default since session 13, ``adapt_seeds`` 4 and halves; it missed the bar fixed beforehand,
   a mean >= +0.0047, by 0.0002, and was shipped because it beats session 12's default on all three measures, 16 of
   22 / +0.0037 / worst -0.0099); the parent, which never saw the genome, is
   scored on the whole training part. The anchor, ``soup_greedy`` (option ``anchor``; an anchor not scored falls
   back to ``adapt``, then the parent), is kept unless the candidate with the best nucleotide MCC beats it by at
   least ``margin`` (0.004) and leads it on each half of the training part (both out-of-fold halves of the
   cross-fit, ``halves_lead``; option ``lead_check``: or a bootstrap bound, ``lead_lower_bound``, or none) (ties:
   the parent, then the smaller offset change); the winner is fitted on the whole training part. The default was
   chosen on the tuning genomes and leave-one-out parents of four training genomes plus 16 pieces of ~1 Mb of them,
   each its own genome (README; session 11: 17 of the 22 improve on their last 30 %, 16 once ``fit.adapt`` stopped
   tuning the start scorer (4035d98), session 10's rule, anchor ``adapt`` and no margin, 16; session 10: two sets of parents, the best MCC alone 11 of 12, anchor adapt 12;
   session 9: with offsets +-0.5, five; session 8's ``parent,semi,last`` four); ``refit`` is left out of it (minutes more per genome, and on a busy machine it can run out
   of --max-minutes, which makes the result depend on the load). Recipe ``refit``: the
   gene and start scorers are refitted exactly as the
   parent's were (``fit.py``'s step 2: its hidden size, epochs, learning rate and seed; the gene scorer's
   decision offset is the parent's times ``offset_scale``, 0.5: chosen on the tuning genomes) on the
   parent's training genomes (``data.train_genomes`` under ../shared/data; their tables are cached under
   GENOVIEW_HOME/cache/geneorf-tables) plus this run's training and validation parts, weighted so the run's
   genomes count ``genome_weight`` times all the parent's together; no choice is made on a validation slice
   (too small to tell a useful round from noise). Recipe ``continue`` (the fallback when the parent's genome
   files are not found) continues training the parent's gene and start scorers (their feature normalisation and
   decision offset kept; they train without the offset, as fit.py trains them) on those labels for a doubling
   number of epochs (1, 2, 4, ...); from scratch
   (no ``init_from``) it fits new scorers as ``fit.py`` does (the RNA head is then switched off);
3. after each round calls the genes of every validation genome/part and scores the nucleotide MCC there;
   the weights with the best validation MCC are kept (the parent's own, round 0, win ties), so a fine-tune
   that does not help on held-out data of the genome keeps the parent's scorers;
4. reports test metrics on the test part (never used for a choice) and writes a Hugging Face folder.

The RNA head and the self-training recipe are the parent's. The RNA genes found by homology (rna_homology.py) are
the parent's references plus, by default (option ``own_rna``), the rRNA and tRNA genes annotated in this run's
training part (whole span inside it; ``own_rna_references``): rRNA operons recur and tRNAs have near-copies, so the
genome's own are the closest references for the rest of it; recipe ``select`` scores every candidate with them out
of fold (each half of the training part read with the RNA genes of the other half). The new genome's statistics are re-learnt on
every genome the model reads, as always, unless the chosen candidate stores them (adapt*, semi, stats: the child
is then fitted to this genome, as an adapted model is, and says so in genoview.json ``adapted_to``).
"""
from __future__ import annotations

import copy
import time
from pathlib import Path
from typing import Any

import numpy as np

from genoview.core.errors import GenoViewInputError
from genoview.core.models.geneorf.fit import train_epoch
from genoview.core.models.geneorf.track import own_columns
from genoview.core.training.architectures import Architecture, register_architecture
from genoview.core.training.loop import HISTORY_FILE, TrainingResult, update_metadata, write_json_atomic
from genoview.core.training.options import ModelOption, register_options

# epochs of the scorers when the spec leaves them unbounded (they converge in a few)
MAX_EPOCHS = 32

DEFAULTS = {"epochs": 16.0, "batch_size": 4096, "learning_rate": 1e-3, "valid_fraction": 0.1, "log_every": 1}

OPTIONS = (
    ModelOption("start_scorer", "bool", True, "also fine-tune the start scorer (which start of a gene ORF)"),
    ModelOption("recipe", "str", "select", "fine-tune recipe: 'select' (default) tries candidates on the genome's "
                "own training part by two-fold cross-fitting (fit on one half, score the other) and keeps the best "
                "(option candidates), each with a per-genome gene decision offset; 'refit' refits the scorers as the parent was fitted (fit.py) on the parent's training "
                "genomes plus this run's genome(s), weighted by genome_weight; 'continue' trains the parent's "
                "scorers further and keeps the round with the best validation MCC. 'refit' falls back to "
                "'continue' when the parent's genome files are not found ('select' then leaves it out)",
                choices=("select", "refit", "continue"), init=True),
    ModelOption("candidates", "str", "parent,adapt,last,last_start,adapt_start,adapt_last,adapt_last_start,soup_greedy", "recipe 'select': the candidates it compares, "
                "comma-separated from parent (its scorers unchanged), semi (the parent's scorers with the codon, "
                "start and upstream statistics counted on the annotated genes of the training part plus the genome's "
                "own calls elsewhere, stored in the model), stats (the same from the annotated genes alone), last "
                "(the gene scorer's last layer refitted on the training part's annotated genes, option "
                "last_penalty), last_start (last, then the start scorer's last layer refitted on the annotated starts), "
                "adapt (the parent adapted to the whole genome without its annotation, as "
                "`genoview adapt`: statistics stored, gene scorer fine-tuned on pseudo-labels), adapt_last / adapt_start "
                "/ adapt_last_start (adapt, then the gene scorer's / the start scorer's / both last layers refitted "
                "on the training part's annotated genes), soup (a model soup: the scorers' weights of adapt, adapt_last, "
                "adapt_start and adapt_last_start averaged, the adapted statistics kept), soup_parent (the same with "
                "the parent's scorers as a fifth member), soup_greedy (a greedy soup: from the best of the four adapted "
                "candidates, each other one or the parent's scorers added, best first, when the cross-fitted MCC "
                "does not drop), continue, refit; the parent always stays in", recipes=("select",)),
    ModelOption("anchor", "str", "soup_greedy", "recipe 'select': the candidate kept (at its own gene offset) unless "
                "the best other candidate/offset beats its MCC on the training part by at least 'margin' and its "
                "lead passes option lead_check; 'soup_greedy' (default since session 13: a greedy soup of the "
                "adapted candidates, see candidates; with adapt_seeds 4 chosen on leave-one-out genomes and ~1 Mb "
                "pieces of them, README), 'adapt_last' (session 11-12's default: the parent adapted to the genome "
                "without its annotation, then its gene scorer's last layer refitted on the training part's annotated "
                "genes), 'adapt' (adapted only); "
                "an anchor left out (not among the candidates, or several genomes) falls back to adapt, then to the "
                "parent",
                choices=("semi", "stats", "parent", "adapt", "adapt_last", "adapt_start", "adapt_last_start", "last",
                         "last_start", "soup", "soup_parent", "soup_greedy"), recipes=("select",)),
    ModelOption("lead_check", "str", "halves", "recipe 'select': how sure the best candidate's MCC lead over the "
                "anchor must be for it to replace the anchor: 'halves' (default) it leads on each half of the "
                "training part (both out-of-fold scores of the cross-fit); 'bootstrap' the one-sided lower bound at "
                "level 'confidence' of its lead (a paired bootstrap over 'blocks' contiguous blocks per half) is above "
                "0; 'none' the best MCC wins. On the leave-one-out genomes leads of supervised candidates won on one "
                "half only did not carry from the first 70 % to the last 30 % (README)",
                choices=("halves", "bootstrap", "none"), recipes=("select",)),
    ModelOption("floor", "str", "none", "recipe 'select': after the anchor rule has chosen, 'parent' keeps the "
                "parent (with its genome's own RNA memory, own_rna) unless the chosen candidate also leads the "
                "parent's cross-fitted MCC on each half of the training part (no margin); 'none' (default) no such "
                "check (session 15's design bed: README)", choices=("none", "parent"), recipes=("select",)),
    ModelOption("stage_refit", "bool", False, "recipe 'select': after the choice, also refit the call filter "
                "(config.json call_filter, the per-call precision stage) on the chosen model's calls in the training "
                "part, each labelled by the annotation (its stop ends an annotated CDS), warm-started from the "
                "parent's classifier and held to it by an L2 penalty (stage_penalty); kept only when, cross-fitted on "
                "the halves, it leads the unchanged filter by at least 0.002 pooled and on each half (session 15's "
                "design bed: README)", recipes=("select",)),
    ModelOption("wise", "float", 0.0, "recipe 'select': after the choice and the final fit, the kept candidate's "
                "gene and start scorers' weights (hidden and output layers) are moved this far toward the parent's "
                "(WiSE-FT, Wortsman et al. 2022: weights = (1 - wise) x the candidate's + wise x the parent's; its "
                "statistics, normalisation, decision offsets and RNA memory stay its own): a fixed shrinkage, not "
                "chosen on the training part; 0 (default): the candidate as fitted. Not applied when the parent is "
                "kept or the candidate normalises its features differently (refit). Session 16's design bed: 0.5 "
                "improved 9 of 11 cases, mean +0.0043, and cut the largest gains: not the default (README)",
                minimum=0.0, maximum=1.0, recipes=("select",)),
    ModelOption("stage_penalty", "float", 0.01, "recipe 'select', stage_refit: how strongly the refitted call "
                "filter is held to the parent's (L2 on the change of its weights, added to the mean log-loss)",
                minimum=0.0, maximum=10.0, recipes=("select",)),
    ModelOption("confidence", "float", 0.95, "recipe 'select', lead_check 'bootstrap': the level of the lower "
                "bound of the lead", minimum=0.0, maximum=0.999, recipes=("select",)),
    ModelOption("blocks", "int", 8, "recipe 'select', lead_check 'bootstrap': contiguous blocks each fold (half) "
                "of the training part is cut into", minimum=1, maximum=64, recipes=("select",)),
    ModelOption("folds", "int", 2, "recipe 'select': the training part is cut into this many contiguous folds; "
                "each fitted candidate is fitted on all folds but one and scored on that one, each in turn, counts "
                "pooled (2: the two halves). More folds fit each candidate on more of the training part (closer to "
                "the final fit on all of it), so its score varies less; lead_check 'halves' then compares the first "
                "half of the folds with the second. A run with several genomes uses 2; semi and stats are left out "
                "with more than 2", minimum=2, maximum=8, recipes=("select",)),
    ModelOption("adapt_seeds", "int", 4, "recipe 'select': the parent is adapted to the genome (annotation-free, "
                "candidate adapt) with this many seeds (the run's seed, seed + 1, ...) and their gene scorers' "
                "weights averaged (a model soup of seeds: the self-trained statistics are the same for every seed, "
                "only the pseudo-label sample and the batch order differ); adapt and every adapt* candidate start "
                "from that average, so they depend less on one seed. Each seed costs one more adaptation (default 4 "
                "since session 13, with anchor soup_greedy; 1 before)",
                minimum=1, maximum=16, recipes=("select",)),
    ModelOption("margin", "float", 0.004, "recipe 'select': how much better (cross-fitted nucleotide MCC on the "
                "training part) another candidate or offset must score to replace the anchor (default 0.004: on "
                "~1 Mb genomes leads of a few thousandths did not carry to the last 30 %, README)", minimum=0.0,
                maximum=1.0, recipes=("select",)),
    ModelOption("offset_step", "float", 0.25, "recipe 'select': step of the gene decision offsets tried (log-odds "
                "added to the gene scorer's offset); the parent, adapt and the candidates fitted without epochs (semi, "
                "stats, last, last_start, adapt_start, adapt_last, adapt_last_start) try every step from "
                "-offset_range to +offset_range, the scorer fits (continue, refit; two models each) -2, 0 and +2 "
                "steps, whatever offset_range is", minimum=0.0, maximum=4.0, recipes=("select",)),
    ModelOption("offset_range", "float", 0.0, "recipe 'select': the largest gene decision offset change tried, in "
                "log-odds (a multiple of offset_step; 0: the gene decision offset is not moved, except by the "
                "candidates continue and refit: see offset_step). 0: on the "
                "leave-one-out genomes (parents with the shipped call filter) the offset chosen by cross-fitting on "
                "the first 70 % did not carry to the last 30 % (the choice ran to +-0.5, within the noise); with the "
                "offset kept every one of the six improved, with +-0.25 or +-0.5 five", minimum=0.0, maximum=8.0, recipes=("select",)),
    ModelOption("last_penalty", "float", 0.05, "recipe 'select': how strongly the last-layer refits (last, "
                "last_start, adapt_last, adapt_start, adapt_last_start: the scorer's last layer refitted on the "
                "training part's annotated genes or starts) are held to the weights they start from (L2 on the "
                "change, per standardised hidden unit). 0.05 since session 16 (less variance of a refit on a few "
                "hundred genes; on session 15's design bed 10 of 11 cases improved, mean +0.0075, worst -0.0027, "
                "against 9, +0.0054, -0.0077 with 0.01, README); 0.01 before", minimum=0.0, maximum=10.0, recipes=("select",)),
    ModelOption("continue_epochs", "int", 4, "recipe 'select': epochs of the 'continue' candidate (the parent's "
                "scorers trained further on the labels)", minimum=1, maximum=64, recipes=("select",)),
    ModelOption("genome_weight", "float", 1.0, "recipes 'refit' and 'select': how much this run's genome(s) count "
                "against all the parent's training genomes together in a refit (1 = as much as all of them)",
                minimum=0.0, maximum=100.0, recipes=("refit", "select")),
    ModelOption("offset_scale", "float", 0.5, "recipes 'refit' and 'select': the refitted gene scorer's decision "
                "offset is the parent's times this (the parent's offset shifts the log-odds for genomes its scorers "
                "never saw; a genome inside the refit needs less; 0.5 chosen on the tuning genomes)",
                minimum=0.0, maximum=4.0, recipes=("refit", "select")),
    ModelOption("own_rna", "bool", True, "fine-tune: add the rRNA and tRNA genes annotated in this run's training "
                "part (their whole span inside it; one copy of each rRNA type (5S, 16S, 23S) and every distinct tRNA "
                "per genome, as the shipped references are made) to the child's RNA references "
                "(rna_references.fasta), so it finds their copies and near-copies elsewhere in the genome by "
                "homology, for every candidate; recipe 'select' scores each half of the training part with the "
                "other half's RNA genes. false: the parent's references only", init=True),
    ModelOption("hidden", "int", 32, "hidden units of the scorers when training from scratch (a fine-tune keeps "
                "its parent's)", minimum=4, maximum=512, init=False),
)
register_options("geneorf", OPTIONS)




def _stacked(tables: list) -> tuple:
    """The candidate tables as torch tensors (features, weights, gene label, exact-start label); every table
    weighs the same in total."""
    import torch

    rows = sum(len(t["x"]) for t in tables)
    x = torch.from_numpy(np.concatenate([t["x"] for t in tables]).astype(np.float32))
    w = torch.from_numpy(np.concatenate([t["weight"] * (rows / len(tables) / max(float(t["weight"].sum()), 1.0))
                                         for t in tables]).astype(np.float32))
    y = torch.from_numpy(np.concatenate([t["stop"] for t in tables]).astype(np.float32))
    exact = torch.from_numpy(np.concatenate([t["exact"] for t in tables]).astype(np.float32))
    return x, w, y, exact

def _save_run(model, work: Path, history: list, spec, *, steps, total, best_step, stopped: str, seconds: float,
              validation: dict, unit: str) -> None:
    """Write the trained model, its history and the training record (shared by every recipe)."""
    work.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(work))
    write_json_atomic(work / HISTORY_FILE, history)
    update_metadata(work, training={
        "spec": spec.to_flat(), "steps": steps, "total_steps": total, "best_step": best_step,
        "metric": "mcc", "stopped_because": stopped, "seconds": round(seconds, 1), "validation": validation,
        "unit": unit,
    }, history=history)

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

    def __init__(self, genome, tracks, groups, cancel, references=None, parent_references=None):
        self.genome, self.tracks, self.groups, self.cancel = genome, tracks, groups, cancel
        # the child's RNA references (rna_homology): the parent's plus, with own_rna, the training part's RNA genes;
        # the final model is scored with them (recipe select's cross-fit reads each half with the other half's)
        self.references = references
        self.parent_references = parent_references

    def metrics(self, model, regions) -> dict[str, float]:
        return self.metrics_of(model, [regions])[0]

    def confusions(self, model, region_lists, references=None) -> list:
        """Confusion counts at 0.5 (evaluation.confusion) of each list of regions, calling each genome's genes once
        (with ``references``, else the child's)."""
        from genoview.core.evaluation import Confusion, confusion

        out = []
        for lab, val in self.labelled(model, region_lists, references):
            out.append(confusion(np.concatenate(lab), np.concatenate(val), 0.5) if lab else Confusion(0, 0, 0, 0))
        return out

    def labelled(self, model, region_lists, references=None) -> list[tuple[list, list]]:
        """(labels, track values) pieces of each list of regions, calling each genome's genes once (RNA genes by
        homology with ``references``, else the child's)."""
        from genoview.core.models.geneorf.track import GeneORFTrackModel

        wanted = [_regions_by_seqid(regions or []) for regions in region_lists]
        labels = [[] for _ in wanted]
        values = [[] for _ in wanted]
        caller = GeneORFTrackModel(model, None, {})
        caller.rna_references = self.references if references is None else references
        for _, keys in self.groups:
            if not any(k in w for w in wanted for k in keys):
                continue
            self.cancel.check()
            sequences = {k: self.tracks[k][0] for k in keys}
            _, _, track = caller.call_genome(sequences, cancel=self.cancel)
            for i, w in enumerate(wanted):
                for k in keys:
                    for start, end in w.get(k, []):
                        labels[i].append(self.tracks[k][1][start:end])
                        values[i].append(np.asarray(track[k][start:end], dtype=np.float32))
        return list(zip(labels, values))

    def metrics_of(self, model, region_lists) -> list[dict[str, float]]:
        """Metrics of each list of regions, calling each genome's genes once."""
        from genoview.core.evaluation import evaluate

        out = []
        for lab, val in self.labelled(model, region_lists):
            if not lab:
                out.append({})
                continue
            report = evaluate(np.concatenate(lab), np.concatenate(val), 0.5).to_json()
            out.append({k: report[k] for k in ("mcc", "roc_auc", "accuracy", "f1", "precision", "recall", "n",
                                               "genic_fraction") if k in report})
        return out


def _merged(regions) -> list:
    """Regions with touching/overlapping spans of one sequence joined (the training and validation parts of a
    fraction split are 0-63 % and 63-70 %: one span 0-70 %)."""
    from dataclasses import replace

    out = []
    for r in sorted((r for r in regions if r.length), key=lambda r: (r.seqid, r.start)):
        if out and out[-1].seqid == r.seqid and r.start <= out[-1].end:
            out[-1] = replace(out[-1], end=max(out[-1].end, r.end))
        else:
            out.append(r)
    return out


class _FeaturesWithin:
    """A feature table seen through regions: ``on`` lists only the features whose whole span lies in one of them
    (the training part's own RNA genes; nothing of the test part is read)."""

    def __init__(self, features, regions):
        self.features, self.spans = features, _regions_by_seqid(regions)

    def on(self, seqid, types=None):
        spans = self.spans.get(seqid, [])
        return [f for f in self.features.on(seqid, types) if any(a <= f.start and f.end <= b for a, b in spans)]


def _type_counts(references) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for ref in references:
        counts[ref.rtype] = counts.get(ref.rtype, 0) + 1
    return sorted(counts.items())


def own_rna_references(genome, tracks, groups, regions) -> list:
    """RNA references (rna_homology.Reference) of the rRNA and tRNA genes annotated inside ``regions`` (their whole
    span), per genome of the run as rna_homology.reference_records makes the shipped references (one copy of each
    rRNA type, every distinct tRNA), named ``<genome>:training|type|length``. Other RNA genes (tmRNA, ncRNA) are
    left out: the homology step has no type for them, and they are single-copy genes (no copy elsewhere to find)."""
    from types import SimpleNamespace

    from genoview.core.models.geneorf.rna_homology import reference_records

    view = SimpleNamespace(features=_FeaturesWithin(genome.features, regions))
    out = []
    for name, keys in groups:
        label = "".join(c if c.isalnum() or c in "._-" else "_" for c in name) + ":training"
        out += reference_records([(label, view, {k: tracks[k][0] for k in keys})])
    return out


def _tables(genome, tracks, groups, split, scorer, seed, cancel, say, regions=None, model=None):
    """Labelled candidate tables of the training regions (or ``regions``), one per genome (fit.genome_table).

    ``model``: the model whose scorers the tables refit (``scorer`` is then ignored): each table's features come
    from the statistics that model predicts with (fit.genome_table(model=...): its stored statistics, else its
    self-training as its calls do it, genecalls.self_training_of)."""
    from genoview.core.models.geneorf.fit import genome_table

    train = _regions_by_seqid(split.train if regions is None else regions)
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
        table, _ = genome_table(sequences, genome.features, scope, scorer, seed=seed, model=model)
        say(f"{name}: {len(table['x']):,} candidate ORFs in the training part, "
            f"{int(table['stop'].sum()):,} of them annotated genes")
        tables.append(table)
    if not tables or not any(t["stop"].any() for t in tables):
        raise GenoViewInputError("no annotated CDS ends in the training part; GeneORF learns from CDS features "
                                 "(check the annotation)")
    return tables


# --------------------------------------------------------------------------- recipe "refit" (the default)

TABLE_CACHE_VERSION = 3   # 3: tables from the statistics the parent predicts with (its config's overlap)


def _fit_flag(command: str, name: str, default):
    import re

    m = re.search(rf"--{name}[ =](\S+)", command or "") if "geneorf.fit" in (command or "") else None
    return type(default)(m.group(1)) if m else default


def parent_recipe(parent_dir) -> tuple[dict | None, str]:
    """How the parent's scorers were fitted: (``{"genomes": [{name, fasta, annotation, ecoli}], "epochs", "seed",
    "lr"}``, "") or (None, why not) when its training genomes' files are not found.

    A shipped model (fit.py) names its genomes in genoview.json ``data.train_genomes`` (files under
    ../shared/data, ``paths.shared_data_dir``); a model trained by ``genoview train`` lists them in
    ``data.genomes`` with their training regions in ``data.train``."""
    import json

    from genoview.core.models.geneorf import fit
    from genoview.paths import shared_data_dir

    path = Path(parent_dir) / "genoview.json"
    info = json.loads(path.read_text()) if path.is_file() else {}
    data, training = info.get("data") or {}, info.get("training") or {}
    chosen, command = training.get("chosen") or {}, info.get("command") or ""
    recipe = {"epochs": int(chosen.get("epochs") or _fit_flag(command, "epochs", 6)),
              "seed": int(info.get("seed") if info.get("seed") is not None else _fit_flag(command, "seed", 1)),
              "lr": 3e-3, "genomes": []}   # fit.py's fit_scorers learning rate
    spec_genomes = (training.get("spec") or {}).get("genomes") or []
    if spec_genomes and data.get("train"):   # trained by genoview train: the spec has the files' paths
        trained = {}
        for r in data["train"]:
            trained.setdefault(r["seqid"], []).append((int(r["start"]), int(r["end"])))
        names = [g.get("name") for g in data.get("genomes") or []]
        for i, g in enumerate(spec_genomes):
            if g.get("role", "train") != "train":
                continue
            name = names[i] if i < len(names) and names[i] else Path(g.get("fasta") or "genome").name
            if not (g.get("fasta") and g.get("annotation") and Path(g["fasta"]).is_file()
                    and Path(g["annotation"]).is_file()):
                return None, f"the parent's training genome {name} is not found ({g.get('fasta')})"
            recipe["genomes"].append({"name": name, "fasta": g["fasta"], "annotation": g["annotation"],
                                      "regions": trained, "ecoli": False})
    elif data.get("train_genomes"):   # a shipped model (fit.py): genomes by name under ../shared/data
        shared = shared_data_dir()
        if shared is None:
            return None, "the shared data folder (../shared/data, or $GENOVIEW_SHARED_DATA) is not there"
        for name in data["train_genomes"]:
            fasta, gff = fit._genome_files(shared, name)
            if not (Path(fasta).is_file() and Path(gff).is_file()):
                return None, f"the parent's training genome {name} is not under {shared}"
            recipe["genomes"].append({"name": name, "fasta": str(fasta), "annotation": str(gff), "regions": None,
                                      "ecoli": name == "ecoli"})
    if not recipe["genomes"]:
        return None, "the parent's genoview.json names no training genomes"
    return recipe, ""


def _file_key(path) -> str:
    st = Path(path).stat()
    return f"{Path(path).resolve()}:{st.st_size}:{int(st.st_mtime)}"


def _parent_table(entry, parent_dir, model, seed, cancel):
    """fit.genome_table of one of the parent's training genomes (labels on its training part) with the features of
    the statistics ``model`` (the parent, whose scorers are refitted) predicts with, cached under
    GENOVIEW_HOME/cache/geneorf-tables (keyed by the parent's weights, the files, the seed and the features)."""
    import hashlib

    from genoview.core import genecalls as gc
    from genoview.core.genome import encode, open_genome
    from genoview.core.models.geneorf import fit
    from genoview.paths import user_data_dir

    digest = ""   # the parent's weights and config (its scorer options, e.g. partial_as_complete, change the tables)
    for part in ("model.safetensors", "config.json"):
        path = Path(parent_dir) / part
        digest += hashlib.sha1(path.read_bytes()).hexdigest() if path.is_file() else "none"
    key = hashlib.sha1("|".join([str(TABLE_CACHE_VERSION), digest, _file_key(entry["fasta"]),
                                 _file_key(entry["annotation"]), str(seed), ",".join(gc.FEATURES),
                                 repr(sorted((entry["regions"] or {}).items()))]).encode()).hexdigest()[:20]
    folder = user_data_dir() / "cache" / "geneorf-tables"
    cached = folder / f"{entry['name']}-{key}.npz"
    if cached.is_file():
        import zipfile

        try:
            with open(cached, "rb") as handle, np.load(handle) as z:   # our handle: closed even when np.load fails
                return {k: z[k] for k in z.files}, True
        except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile):   # damaged: computed again
            pass
    cancel.check()
    genome = open_genome(entry["fasta"], entry["annotation"])
    sequences = {sid: encode(r.fetch(0, r.length)) for sid, r in genome.sequences.items()}
    if entry["ecoli"]:
        scope = fit._label_scope("ecoli", sequences)
    elif entry["regions"] is not None:
        scope = {}
        for sid in sequences:
            spans = entry["regions"].get(sid) or entry["regions"].get(f"{entry['name']}:{sid}")
            if spans:
                scope[sid] = (min(a for a, _ in spans), max(b for _, b in spans))
    else:
        scope = None
    table, _ = fit.genome_table(sequences, genome.features, scope, seed=seed, model=model)
    table = {k: table[k] for k in ("x", "stop", "exact", "weight")}
    from genoview.core.store import temp_name

    tmp = temp_name(cached, ".npz")   # unique per process: two fine-tunes may miss the same table at once
    try:
        folder.mkdir(parents=True, exist_ok=True)
        np.savez(tmp, **table)
        tmp.replace(cached)
    except OSError:
        tmp.unlink(missing_ok=True)
    return table, False


class _OutOfTime(Exception):
    pass


def _train_until(model, x, y, w, epochs, lr, deadline, on_epoch):
    """fit.py's ``_train`` (Adam, batches of 4096, a fresh permutation per epoch) that stops at ``deadline``."""
    import torch

    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for epoch in range(epochs):
        if deadline is not None and time.monotonic() > deadline:
            raise _OutOfTime
        on_epoch(epoch, train_epoch(model, x, y, w, opt))
    return model


def refit_scorers(parent_tables, new_tables, *, hidden, epochs, seed, lr, genome_weight, deadline=None,
                  on_epoch=lambda kind, epoch, loss: None):
    """fit.py's ``fit_scorers`` over the parent's tables plus this run's, the run's genomes together weighing
    ``genome_weight`` times all the parent's genomes together (each parent genome weighs the same, as in
    fit.py). The start scorer (fit.py: one weight per annotated gene) gets the same genome shares.
    Raises _OutOfTime past ``deadline``."""
    import torch

    from genoview.core.models.geneorf.modeling_geneorf import GeneScorer

    torch.manual_seed(seed)
    tables = list(parent_tables) + list(new_tables)
    n_parent, n_new = len(parent_tables), len(new_tables)
    share = [1.0] * n_parent + [genome_weight * max(n_parent, 1) / max(n_new, 1)] * n_new
    rows = sum(len(t["x"]) for t in tables)
    x = torch.from_numpy(np.concatenate([t["x"] for t in tables]).astype(np.float32))
    w = np.concatenate([t["weight"] * (rows / len(tables) / max(float(t["weight"].sum()), 1.0)) * f
                        for t, f in zip(tables, share)])
    w = torch.from_numpy((w * (len(w) / max(float(w.sum()), 1e-9))).astype(np.float32))
    stop = torch.from_numpy(np.concatenate([t["stop"] for t in tables]).astype(np.float32))
    exact = torch.from_numpy(np.concatenate([t["exact"] for t in tables]).astype(np.float32))
    genes = [int(np.asarray(t["stop"]).sum()) for t in tables]
    per_parent = sum(genes[:n_parent]) / max(n_parent, 1)
    sw = np.concatenate([np.full(g, 1.0 if i < n_parent else share[i] * per_parent / max(g, 1))
                         for i, g in enumerate(genes)]) if n_parent else np.ones(sum(genes))
    sw = torch.from_numpy((sw * (len(sw) / max(float(sw.sum()), 1e-9))).astype(np.float32))
    mean, std = x.mean(0), x.std(0).clamp(min=1e-3)
    gene = GeneScorer(x.shape[1], hidden)
    gene.set_normalisation(mean, std)
    _train_until(gene, x, stop, w, epochs, lr, deadline, lambda e, loss: on_epoch("gene", e, loss))
    on_gene = stop > 0
    start = GeneScorer(x.shape[1], hidden)
    start.set_normalisation(mean, std)
    _train_until(start, x[on_gene], exact[on_gene], sw, epochs * 2, lr, deadline,
                 lambda e, loss: on_epoch("start", e, loss))
    return gene, start


def _train_refit(run_spec, spec, work, recipe, model, options, *, genome, tracks, groups, split, scorer_of,
                 progress, cancel, on_log, say, started, budget):
    import torch

    parent_dir = Path(run_spec.init_from)
    history: list[dict[str, Any]] = []
    epochs = recipe["epochs"]
    total = epochs * 3

    def log(record):
        history.append(record)
        if on_log:
            on_log({**record, "total_steps": total,
                    "eta_seconds": round(max(0.0, budget - (time.monotonic() - started)), 1) if budget else None})

    names = [g["name"] for g in recipe["genomes"]]
    parent_tables, cached = [], 0
    for i, entry in enumerate(recipe["genomes"]):
        progress(0.05 + 0.4 * i / len(recipe["genomes"]), f"the parent's training genome {entry['name']}")
        table, hit = _parent_table(entry, parent_dir, model, recipe["seed"], cancel)
        cached += hit
        parent_tables.append(table)
    say(f"the parent's {len(names)} training genomes ({cached} from the cache): "
        f"{sum(len(t['x']) for t in parent_tables):,} candidate ORFs")
    regions = _merged(split.train + split.valid)
    new_tables = _tables(genome, tracks, groups, split, None, recipe["seed"], cancel, say, regions=regions,
                         model=model)
    reserve = max(30.0, 0.1 * budget) if budget else 0.0
    deadline = started + budget - reserve if budget else None
    progress(0.5, f"refitting the gene and start scorers ({epochs} + {2 * epochs} epochs)")
    step = [0]

    def on_epoch(kind, epoch, loss):
        cancel.check()
        step[0] += 1
        if kind == "gene":
            log({"step": step[0], "epoch": float(epoch + 1), "loss": round(loss, 5)})
        progress(0.5 + 0.4 * step[0] / total, f"{kind} scorer epoch {epoch + 1}")

    stopped = "finished"
    try:
        gene, start = refit_scorers(parent_tables, new_tables, hidden=int(model.config.hidden), epochs=epochs,
                                    seed=recipe["seed"], lr=recipe["lr"], genome_weight=options["genome_weight"],
                                    deadline=deadline, on_epoch=on_epoch)
        offsets = (model.gene.offset.detach().clone(), model.start.offset.detach().clone())
        model.gene.load_state_dict(gene.state_dict())
        model.start.load_state_dict(start.state_dict())
        with torch.no_grad():
            model.gene.offset.copy_(offsets[0] * options["offset_scale"])
            model.start.offset.copy_(offsets[1])
    except _OutOfTime:
        stopped = "time limit"
        say("the refit did not finish within --max-minutes: the parent's scorers are kept")
    model.eval()
    progress(0.9, "scoring the validation and test parts")
    # the validation part is in the refit's training data: its figures are in-sample, for the record only
    valid, test = scorer_of.metrics_of(model, [split.valid, split.test])
    seconds = time.monotonic() - started
    _save_run(model, work, history, spec, steps=step[0], total=total, best_step=step[0], stopped=stopped,
              seconds=seconds, validation=valid,
              unit="epochs of the gene scorer (then twice as many of the start scorer) over the candidate ORFs")
    say(f"refitted the scorers on the parent's {len(names)} training genomes + this run's training part "
        f"(weight {options['genome_weight']:g} against all of the parent's together) in {seconds:.0f} s")
    refitted = stopped == "finished"
    metadata = {"description": "GeneORF (self-training ORF gene finder) with its gene/start scorers refitted on "
                               "the parent's training genomes plus the genomes of this run",
                "fine_tuning": {
                    "recipe": "refit" if refitted else "refit (out of time: parent kept)",
                    "relearned": ([f"gene scorer (is this ORF a gene) and start scorer: refitted as the parent "
                                   f"was (fit.py: {epochs} + {2 * epochs} epochs, seed {recipe['seed']}) on the "
                                   f"parent's training genomes ({', '.join(names)}) plus this run's training and "
                                   "validation parts, these "
                                   f"weighing {options['genome_weight']:g} times all the others together"]
                                  if refitted else []) + [
                        "codon/dicodon, start and upstream statistics: self-trained on every genome read "
                        "(annotation-free, as always)"],
                    "kept": ["the scorers' size", "the RNA-gene head", "the start scorer's decision offset"],
                    "gene_offset": float(model.gene.offset[0]), "offset_scale": options["offset_scale"],
                    "parent_genomes": names, "genome_weight": options["genome_weight"], "epochs": epochs,
                    "best_epoch": epochs if refitted else 0, "tables_from_cache": cached}}
    progress(1.0, "done")
    return TrainingResult(history, valid, work, step[0], stopped), test, metadata


# --------------------------------------------------------------------------- recipe "select" (the default)

SELECT_CANDIDATES = ("parent", "adapt", "semi", "stats", "last", "last_start", "adapt_start", "adapt_last",
                     "adapt_last_start", "soup", "soup_parent", "soup_greedy", "continue", "refit")
# the candidates fitted on the parent adapted to the whole genome first (annotation-free, fit.adapt)
ADAPTED_BASE = ("adapt_start", "adapt_last", "adapt_last_start", "soup", "soup_parent", "soup_greedy")
# model soups (weight averages of models fine-tuned from the same parent, Wortsman et al. 2022): their members
SOUP_MEMBERS = {"soup": ("adapt", "adapt_last", "adapt_start", "adapt_last_start"),
                "soup_parent": ("parent", "adapt", "adapt_last", "adapt_start", "adapt_last_start")}
# greedy soup (Wortsman et al.'s recipe, cross-fitted): it starts from the best-scoring of these (they share the
# adapted statistics, so a soup of one is that candidate) and adds, best first, each of them or the parent's scorers
# when the cross-fitted MCC of the soup does not drop
GREEDY_START = ("adapt", "adapt_last", "adapt_start", "adapt_last_start")
# share of --max-minutes kept for the final fit and the scoring after the choice (at least this many seconds)
SELECT_RESERVE = 90.0


def _halves(regions) -> tuple[list, list]:
    """Each region cut at its middle: (first halves, second halves), the two folds of the cross-fit."""
    from dataclasses import replace

    first, second = [], []
    for r in regions:
        cut = r.start + r.length // 2
        first.append(replace(r, end=cut))
        second.append(replace(r, start=cut))
    return first, second


def _with_offset(model, offset: float):
    """A copy of ``model`` whose gene scorer's decision offset is ``offset``."""
    import torch

    out = copy.deepcopy(model)
    with torch.no_grad():
        out.gene.offset.fill_(float(offset))
    return out.eval()


def _own_columns(tables, n_features: int) -> list[dict]:
    """Tables cut to the model's feature columns (features are only ever appended to genecalls.FEATURES)."""
    return [{**t, "x": np.ascontiguousarray(t["x"][:, :n_features])} for t in tables]


def joined_tables(table_lists: list[list[dict]]) -> list[dict]:
    """The candidate tables of several regions of the same genomes as one table per genome (rows concatenated, ORF
    groups kept apart): what a fit on those regions together reads. One list: returned as it is."""
    if len(table_lists) == 1:
        return table_lists[0]
    if len({len(tables) for tables in table_lists}) != 1:
        raise ValueError("joined_tables: every list needs the tables of the same genomes")
    out = []
    for parts in zip(*table_lists):
        joined = {k: np.concatenate([p[k] for p in parts]) for k in ("x", "stop", "exact", "weight")}
        shift = np.cumsum([0] + [int(p["group"].max()) + 1 if len(p["group"]) else 0 for p in parts[:-1]])
        joined["group"] = np.concatenate([p["group"] + k for p, k in zip(parts, shift)])
        out.append({**parts[0], **joined})
    return out


def soup_of(models, base=None, weights=None):
    """A uniform model soup: a copy of ``base`` (default the first of ``models``) whose gene and start scorers'
    weights (hidden and output layers) are the mean of ``models``' (Wortsman et al. 2022, "Model soups");
    ``weights`` (one per model, summing to 1): their weighted mean instead (option ``wise``: a candidate
    interpolated with the parent).
    Meaningful only for models fine-tuned from one initialisation with the same architecture and the same inputs:
    the adapt family (adapt, adapt_last, adapt_start, adapt_last_start) shares the adapted model's stored
    statistics (the features' inputs), its feature normalisation and decision offsets, and differs only in the
    scorers' layers; the parent's scorers are the family's initialisation. Everything but those weights
    (statistics, normalisation, offsets, RNA head, config) is ``base``'s; a member whose normalisation differs
    is refused (its weights would mean something else)."""
    import torch

    models = list(models)
    if weights is not None and (len(weights) != len(models) or abs(sum(weights) - 1.0) > 1e-9):
        raise ValueError("soup_of: one weight per model, summing to 1")
    share = None if weights is None else torch.tensor([float(w) for w in weights])
    out = copy.deepcopy(base if base is not None else models[0])
    with torch.no_grad():
        for part in ("gene", "start"):
            scorer = getattr(out, part)
            for name in ("mean", "std"):
                if not all(torch.equal(getattr(getattr(m, part), name), getattr(scorer, name)) for m in models):
                    raise ValueError(f"soup_of: the members' {part} scorers normalise their features differently")
            for layer in ("hidden", "out"):
                for name in ("weight", "bias"):
                    stacked = torch.stack([getattr(getattr(getattr(m, part), layer), name) for m in models])
                    value = stacked.mean(0) if weights is None else \
                        (stacked * share.to(stacked.dtype).reshape((-1,) + (1,) * (stacked.dim() - 1))).sum(0)
                    getattr(getattr(scorer, layer), name).copy_(value)
    return out.eval()


def continue_scorers(model, tables, *, epochs: int, seed: int, lr: float = 1e-3, batch: int = 4096,
                     start_scorer: bool = True):
    """A copy of ``model`` whose gene (and start) scorers are trained further for ``epochs`` epochs on ``tables``
    (recipe continue's training: every table weighs the same, the scorers learn without their decision offsets,
    which are put back after; feature normalisation kept)."""
    import torch

    torch.manual_seed(seed)
    out = copy.deepcopy(model)
    x, w, y, exact = _stacked(tables)
    sx, sy = x[y > 0], exact[y > 0]
    generator = torch.Generator().manual_seed(seed)
    gene_opt = torch.optim.Adam(out.gene.parameters(), lr=lr)
    start_opt = torch.optim.Adam(out.start.parameters(), lr=lr)
    offsets = [(s, s.offset.detach().clone()) for s in (out.gene, out.start)]
    with torch.no_grad():
        for s, _ in offsets:
            s.offset.zero_()
    out.train()
    for _ in range(int(epochs)):
        train_epoch(out.gene, x, y, w, gene_opt, batch, generator)
        if start_scorer and len(sx):
            train_epoch(out.start, sx, sy, torch.ones(len(sx)), start_opt, batch, generator)
    with torch.no_grad():
        for s, offset in offsets:
            s.offset.copy_(offset)
    return out.eval()


def refit_last_layer(model, tables, *, penalty: float, iterations: int = 200, part: str = "gene"):
    """A copy of ``model`` whose gene scorer's last layer is refitted on ``tables``' labels (candidate ``last``):
    a logistic regression over the scorer's hidden activations (the parent's output plus a change of each weight
    and of the bias), the change penalised by ``penalty`` times its squared size on standardised activations.
    The hidden layer, the feature normalisation, the decision offset and the start scorer stay the parent's, so
    the genome's labels correct the parent's judgement instead of replacing it. Deterministic (L-BFGS over every
    row, no sampling). ``part="start"``: the start scorer's last layer instead, on the candidates of annotated
    genes, labelled by their annotated start (every row weighs the same, as the start scorer is trained)."""
    import torch

    out = copy.deepcopy(model)
    scorer = out.gene if part == "gene" else out.start
    x, w, y, exact = _stacked(tables)
    if part != "gene":
        x, y = x[y > 0], exact[y > 0]
        w = torch.ones(len(x))
    w = w / w.mean().clamp(min=1e-9)
    with torch.no_grad():
        hidden = torch.relu(scorer.hidden((x - scorer.mean) / scorer.std)).double()
        parent = scorer.out(hidden.float()).squeeze(-1).double()   # the parent's log-odds without its offset
    scale = hidden.std(0).clamp(min=1e-3)
    standard = hidden / scale
    y, w = y.double(), w.double()
    change = torch.zeros(hidden.shape[1], dtype=torch.float64, requires_grad=True)
    bias = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([change, bias], lr=1.0, max_iter=int(iterations), line_search_fn="strong_wolfe")

    def loss():
        opt.zero_grad()
        value = (torch.nn.functional.binary_cross_entropy_with_logits(parent + bias + standard @ change, y,
                                                                     reduction="none") * w).mean()
        value = value + float(penalty) * (change ** 2).sum()
        value.backward()
        return value

    opt.step(loss)
    with torch.no_grad():
        scorer.out.weight += (change / scale).float()[None, :]
        scorer.out.bias += bias.float()
    return out.eval()


def _refitted(model, parent_tables, tables, recipe, options, deadline):
    """A copy of ``model`` with its scorers refitted (refit_scorers) on the parent's tables plus ``tables``; the
    gene offset is the parent's times offset_scale, the start offset the parent's. Raises _OutOfTime."""
    import torch

    gene, start = refit_scorers(parent_tables, tables, hidden=int(model.config.hidden), epochs=recipe["epochs"],
                                seed=recipe["seed"], lr=recipe["lr"], genome_weight=options["genome_weight"],
                                deadline=deadline)
    out = copy.deepcopy(model)
    out.gene.load_state_dict(gene.state_dict())
    out.start.load_state_dict(start.state_dict())
    with torch.no_grad():
        out.gene.offset.copy_(model.gene.offset * options["offset_scale"])
        out.start.offset.copy_(model.start.offset)
    return out.eval()


def annotated_statistics(sequences: dict, features, scope: dict, scorer, genetic_code: int | None = None,
                         own_calls_elsewhere: bool = False, max_overlap=None,
                         start_background: float | None = None):
    """GenomeStatistics of ``sequences`` ({seqid: codes}) with the coding (hexamer, codon) and start/upstream
    statistics counted on the annotated CDS whose stop lies in ``scope`` ({seqid: (start, end)}) instead of on
    self-trained calls; genetic code, GC and the background (every hexamer of the genome) as self-training
    (guided by ``scorer``) has them.

    ``own_calls_elsewhere`` (candidate ``semi``): semi-supervised, the genes counted are the annotated ones inside
    ``scope`` plus the genome's own self-trained calls outside it (the genes of the part the annotation does not
    cover still count, so the statistics describe the whole genome, as self-training's do).

    ``max_overlap``/``start_background``: the model's (genecalls.max_overlap_of/start_background_of; None =
    genecalls.MAX_OVERLAP / the scorer's attribute), for self-training and the own calls alike."""
    from genoview.core import gene_level as gl
    from genoview.core import genecalls as gc

    code = genetic_code or gc.detect_genetic_code(sequences)
    seqs = gc.enumerate_candidates(sequences, code)
    overlap = gc.MAX_OVERLAP if max_overlap is None else max_overlap   # a number or genecalls.OverlapRules
    stats = gc.self_train(seqs, code, scorer, max_overlap=overlap, start_background=start_background)
    own = {}
    if own_calls_elsewhere:   # the calls self-training ends with (its last statistics, decoded once more)
        gc.score_coding(seqs, stats.coding, stats.codon_usage)
        own = gc._decode(seqs, gc._all_scored(seqs, stats, scorer), overlap)
    exact = {(sid, strand, a, b) for sid, a, b, strand in gl.annotated_cds(features)}
    chosen = {}
    for i, s in enumerate(seqs):
        lo, hi = scope.get(s.seqid, (0, -1))
        for strand in (1, -1):
            c = s.strands[strand]
            left, right = (c.start_nt, c.end_nt) if strand > 0 else (s.length - c.end_nt, s.length - c.start_nt)
            stop = right if strand > 0 else left
            inside = np.nonzero((stop >= lo) & (stop <= hi))[0]
            chosen[(i, strand)] = np.array([j for j in inside.tolist()
                                            if (s.seqid, strand, int(left[j]), int(right[j])) in exact], dtype=np.int64)
            if own_calls_elsewhere:
                called = np.asarray(own.get((i, strand), []), dtype=np.int64)
                elsewhere = called[(stop[called] < lo) | (stop[called] > hi)]
                chosen[(i, strand)] = np.union1d(chosen[(i, strand)], elsewhere).astype(np.int64)
    counts = gc._gene_hexamer_counts(seqs, chosen)
    background = gc._background_hexamers(seqs)
    stats.coding = np.append(gc._log_odds(counts, background), 0.0)
    stats.codon_usage = np.append(gc._log_odds(counts.reshape(64, 64).sum(1), background.reshape(64, 64).sum(1)), 0.0)
    gc._learn_starts(seqs, chosen, stats)
    return stats


def adapted_model(model, sequences: dict, genome_name: str, seed: int):
    """A copy of ``model`` adapted to one genome from its whole sequence, annotation-free (candidate ``adapt``,
    ``genoview adapt``'s fit.adapt): statistics self-trained and stored, the gene scorer fine-tuned on
    pseudo-labels from its confident calls. No label is read, so the part of the genome kept for testing may be
    read too, as at prediction time."""
    from genoview.core.models.geneorf.fit import adapt

    out = copy.deepcopy(model)
    adapt(out, sequences, genome_name, seed=seed)
    return out.eval()


def _with_statistics(model, tracks, groups, features, regions, name, semi: bool = False):
    """A copy of ``model`` storing the annotated statistics (annotated_statistics) of the one genome of the run,
    counted on the genes of ``regions`` (``semi``: plus its own calls elsewhere)."""
    from genoview.core import genecalls as gc

    (_, keys), = groups
    spans = _regions_by_seqid(regions)
    scope = {k: (min(a for a, _ in spans[k]), max(b for _, b in spans[k])) for k in keys if k in spans}
    out = copy.deepcopy(model)
    stats = annotated_statistics({k: tracks[k][0] for k in keys}, features, scope,
                                 own_columns(model.scorer(), int(model.config.n_features)), own_calls_elsewhere=semi,
                                 max_overlap=gc.max_overlap_of(model.config),
                                 start_background=gc.start_background_of(model.config))
    out.store_statistics(stats, name)
    return out.eval()


def _sum_confusions(confusions):
    from genoview.core.evaluation import Confusion

    return Confusion(*(sum(getattr(c, k) for c in confusions) for k in ("tp", "tn", "fp", "fn")))


def blocks_of(regions, n: int) -> list[list]:
    """``regions`` cut into ``n`` contiguous blocks of (nearly) equal total length, in order; a block may span
    the end of one sequence and the start of the next (so a genome of many contigs still gives ``n`` blocks)."""
    from dataclasses import replace

    regions = [r for r in regions if r.length]
    total = sum(r.length for r in regions)
    cuts = [total * i // n for i in range(n + 1)]
    out, at = [[] for _ in range(n)], 0
    for r in regions:
        for i in range(n):
            lo, hi = max(cuts[i] - at, 0), min(cuts[i + 1] - at, r.length)
            if hi > lo:
                out[i].append(replace(r, start=r.start + lo, end=r.start + hi))
        at += r.length
    return [b for b in out if b]


def _mcc_of_counts(counts):
    """MCC of confusion counts (..., 4: tp, tn, fp, fn) as evaluation.Confusion.mcc has it (0 when undefined)."""
    tp, tn, fp, fn = (counts[..., i] for i in range(4))
    den = np.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return np.where(den > 0, (tp * tn - fp * fn) / np.where(den > 0, den, 1.0), 0.0)


def lead_lower_bound(challenger: list, anchor: list, confidence: float, seed: int, resamples: int = 2000) -> float:
    """One-sided lower bound at ``confidence`` of MCC(challenger) - MCC(anchor) on the training part: a paired
    bootstrap over its contiguous blocks (both candidates' confusion counts of the same blocks, resampled together,
    pooled, MCC compared). Contiguous blocks, not bases or genes, because what varies between the training part
    and the part kept for testing is the genome's regions. Deterministic for a seed."""
    a = np.array([[c.tp, c.tn, c.fp, c.fn] for c in challenger], dtype=np.float64)
    b = np.array([[c.tp, c.tn, c.fp, c.fn] for c in anchor], dtype=np.float64)
    if len(a) != len(b) or not len(a):
        raise ValueError("lead_lower_bound: the two candidates need the counts of the same blocks")
    pick = np.random.default_rng(seed).integers(0, len(a), size=(int(resamples), len(a)))
    lead = _mcc_of_counts(a[pick].sum(1)) - _mcc_of_counts(b[pick].sum(1))
    return float(np.quantile(lead, 1.0 - float(confidence)))


def halves_lead(challenger: list, anchor: list, first: int) -> float:
    """The smaller of the challenger's two MCC leads over the anchor on the halves of the training part (the block
    counts of the first half are the first ``first``): above 0 only when it leads on both out-of-fold halves."""
    return min(_sum_confusions(challenger[:first]).mcc - _sum_confusions(anchor[:first]).mcc,
               _sum_confusions(challenger[first:]).mcc - _sum_confusions(anchor[first:]).mcc)


def anchor_order(anchor: str) -> tuple[str, ...]:
    """The anchors a select run tries, first one scored kept: the ``anchor`` option, then adapt, then the parent."""
    return tuple(dict.fromkeys((str(anchor), "adapt", "parent")))


def planned_anchor(options: dict) -> str:
    """The anchor a select run with these options keeps unless beaten, as far as its candidates tell (the parent is
    always one): its first message and the wizard say this one, not the ``anchor`` option left out of them."""
    wanted = {c.strip() for c in str(options.get("candidates") or "").split(",") if c.strip()} | {"parent"}
    return next(name for name in anchor_order(options.get("anchor") or "parent") if name in wanted)


def choose_candidate(scores: dict, anchor: tuple[str, float] | None = None, margin: float = 0.0,
                     lower_bound=None) -> tuple[str, float, float]:
    """(candidate, offset delta, MCC) with the best cross-fitted MCC; ties go to the earlier candidate of
    SELECT_CANDIDATES (the parent first) and, within one, to the smaller offset change.

    With an ``anchor`` (candidate, offset delta) that was scored, the anchor is kept unless the best of the others
    beats its MCC by at least ``margin`` and, given ``lower_bound`` (a function of the best's (candidate, delta):
    a pessimistic figure of its lead over the anchor, halves_lead or lead_lower_bound), that is above 0: on the tuning
    and leave-one-out genomes, cross-fitted differences of a few thousandths did not carry from the first 70 % to
    the last 30 %."""
    best = None
    for name in SELECT_CANDIDATES:
        for delta, mcc in sorted((scores.get(name) or {}).items(), key=lambda kv: (abs(kv[0]), kv[0])):
            if best is None or mcc > best[2]:
                best = (name, delta, mcc)
    if anchor is not None and anchor[1] in (scores.get(anchor[0]) or {}):
        kept = scores[anchor[0]][anchor[1]]
        if best is None or not (best[2] > kept and best[2] - kept >= margin):   # NaN never displaces the anchor
            return anchor[0], anchor[1], kept
        if lower_bound is not None and not lower_bound(best[0], best[1]) > 0:
            return anchor[0], anchor[1], kept
    return best


STAGE_LEAD = 0.002   # stage_refit: the pooled lead (cross-fitted MCC) a refitted call filter needs to be kept


def stage_rows(model, sequences: dict, features):
    """The chosen calls of ``model`` on ``sequences`` ({seqid: codes}, one genome) as the call filter sees them:
    (stops [(seqid, stop position)], call features (n, 19), labels (n,) 1.0 when the call's stop ends an annotated
    CDS of ``features``), the calls made as the model predicts (its self-training and offsets)."""
    from genoview.core import gene_level as gl, genecalls as gc
    from genoview.core.models.geneorf.precision import call_features

    scorer = own_columns(model.scorer(), int(model.config.n_features))
    kept: dict = {}
    _, stats = gc.call_genes(sequences, genetic_code=model.config.genetic_code, weights=scorer,
                             stats=model.stored_statistics(), **gc.self_training_of(model.config), keep=kept)
    keys, x = call_features(kept, stats.gc)
    annotated = {gl.stop_key(g) for g in gl.annotated_cds(features)}
    stops, y = [], []
    for i, strand, j in keys:
        _, _, left, right = kept["scored"][(i, strand)]
        call = (kept["seqs"][i].seqid, int(left[j]), int(right[j]), strand)
        key = gl.stop_key(call)
        stops.append((key[0], key[2]))
        y.append(1.0 if key in annotated else 0.0)
    return stops, x, np.asarray(y, dtype=np.float64)


def refit_call_filter(spec: dict, x: np.ndarray, y: np.ndarray, *, penalty: float, iterations: int = 200) -> dict:
    """A copy of the call filter ``spec`` (config.json call_filter: 19 -> 16 ReLU -> 1) with its weights refitted on
    calls ``x`` labelled ``y``: L-BFGS on the mean log-loss plus ``penalty`` times the squared change of every
    weight, from the parent's weights (its input normalisation, cut and track kept). Deterministic."""
    import torch

    z = torch.tensor((x - np.asarray(spec["mean"])) / np.asarray(spec["scale"]), dtype=torch.float64)
    target = torch.tensor(y, dtype=torch.float64)
    start = [torch.tensor(np.asarray(spec[k], dtype=np.float64)) for k in ("w1", "b1", "w2")]
    start.append(torch.tensor([float(spec["b2"])], dtype=torch.float64))
    params = [p.clone().requires_grad_(True) for p in start]
    opt = torch.optim.LBFGS(params, lr=1.0, max_iter=int(iterations), line_search_fn="strong_wolfe")

    def loss():
        opt.zero_grad()
        w1, b1, w2, b2 = params
        logit = torch.relu(z @ w1 + b1) @ w2 + b2
        value = torch.nn.functional.binary_cross_entropy_with_logits(logit, target)
        value = value + float(penalty) * sum(((p - p0) ** 2).sum() for p, p0 in zip(params, start))
        value.backward()
        return value

    if len(y):
        opt.step(loss)
    w1, b1, w2, b2 = (p.detach().numpy() for p in params)
    return {**spec, "w1": w1.tolist(), "b1": b1.tolist(), "w2": w2.tolist(), "b2": float(b2[0])}


def _with_call_filter(model, spec: dict | None):
    """A copy of ``model`` whose config's call filter is ``spec``."""
    out = copy.deepcopy(model)
    out.config.call_filter = spec
    return out.eval()


def _inside(stops, regions) -> np.ndarray:
    """Which (seqid, position) of ``stops`` lie in ``regions``."""
    by = _regions_by_seqid(regions)
    return np.array([any(a <= pos < b for a, b in by.get(sid, [])) for sid, pos in stops], dtype=bool)


def parent_floor(chosen: tuple[str, float, float], scores: dict, counts: dict, first: int
                 ) -> tuple[str, float, float, float | None]:
    """Option ``floor=parent``: ``chosen`` (candidate, offset delta, MCC) is kept only if it leads the parent (at
    its own offset) on each half of the training part (halves_lead over the block counts ``counts``, the first
    ``first`` blocks the first half); else the parent. Returns (candidate, delta, MCC, the smaller half lead or None
    when not compared: the parent was chosen or not scored)."""
    name, delta, mcc = chosen
    if name == "parent" or 0.0 not in (counts.get("parent") or {}) or delta not in (counts.get(name) or {}):
        return name, delta, mcc, None
    lead = halves_lead(counts[name][delta], counts["parent"][0.0], first)
    if lead > 0:
        return name, delta, mcc, lead
    return "parent", 0.0, scores["parent"][0.0], lead


def _train_select(run_spec, spec, work, model, options, *, genome, tracks, groups, split, scorer_of, progress,
                  cancel, on_log, say, started, budget):
    """Recipe ``select`` (module docstring): the candidates cross-fitted on the two halves of the training part,
    each with a few gene decision offsets; the best out-of-fold MCC is fitted on the whole training part."""
    parent_dir = Path(run_spec.init_from)
    wanted = [c.strip() for c in str(options["candidates"]).split(",") if c.strip()]
    unknown = [c for c in wanted if c not in SELECT_CANDIDATES]
    if unknown:
        raise GenoViewInputError(f"geneorf option candidates: unknown candidate(s) {', '.join(unknown)}; choose from "
                                 f"{', '.join(SELECT_CANDIDATES)}")
    recipe, left_out = None, {}
    if len(groups) != 1:
        left_out = {name: "the run has several genomes (stored statistics are one genome's)"
                    for name in ("adapt", "semi", "stats") + ADAPTED_BASE if name in wanted}
    # adapt is scored as the parent is (it reads no label); the others are fitted (cross-fitted)
    adapt_wanted = "adapt" in wanted and "adapt" not in left_out
    fitted = [c for c in SELECT_CANDIDATES[1:] if c in wanted and c != "adapt" and c not in left_out]
    if "refit" in fitted:
        recipe, why = parent_recipe(parent_dir)
        if recipe is None:
            fitted.remove("refit")
            left_out["refit"] = why
            say(f"candidate 'refit' left out: it needs the parent's training genomes, but {why}")
    n_folds = int(options["folds"])
    if n_folds > 2 and len(groups) != 1:
        say(f"folds {n_folds}: the run has several genomes, so the training part is cut into its two halves")
        n_folds = 2
    if n_folds > 2:   # their statistics are counted on one span per sequence, which the other folds are not
        for name in ("semi", "stats"):
            if name in fitted:
                fitted.remove(name)
                left_out[name] = f"folds {n_folds}: its statistics need one span per sequence to fit on"
    n_features = int(model.config.n_features)
    step = float(options["offset_step"])
    reach = int(round(float(options["offset_range"]) / step)) if step > 0 else 0
    parent_deltas = [k * step for k in range(-reach, reach + 1)] if reach > 0 else [0.0]
    fitted_deltas = [k * step for k in (-2, 0, 2)] if step > 0 else [0.0]
    # the statistics candidates and the last-layer refit are cheap to fit (no epochs): the parent's offsets
    deltas_of = {name: parent_deltas if name in ("semi", "stats", "last", "last_start") + ADAPTED_BASE else fitted_deltas
                 for name in fitted}
    training = _merged(split.train + split.valid)
    # the folds of the cross-fit: two = each region cut at its middle (the halves); more = contiguous blocks of the
    # whole training part. Fold i is scored by the model fitted on the other folds (fit_regions[i])
    folds = list(_halves(training)) if n_folds == 2 else blocks_of(training, n_folds)
    fit_regions = [[r for j, fold in enumerate(folds) if j != i for r in fold] for i in range(len(folds))]
    # each fold cut into contiguous blocks: every candidate's counts per block, for the confidence bound of a lead
    n_blocks = int(options["blocks"])
    fold_blocks = [blocks_of(fold, n_blocks) for fold in folds]
    # the blocks of the first half of the folds (lead_check halves compares the two halves)
    first_half = (sum(len(b) for b in fold_blocks[:len(folds) // 2]) if len(folds) % 2 == 0
                  else sum(len(b) for b in fold_blocks) // 2)
    # RNA references out of fold (own_rna): each fold of the training part is read with the parent's references
    # plus the RNA genes annotated in the other folds, as the child reads the test part with the training part's;
    # a candidate fitted on the other folds is scored on this one with their RNA genes
    fold_references = [None] * len(folds)
    if options["own_rna"]:
        from genoview.core.models.geneorf.rna_homology import ReferenceList

        fold_references = [ReferenceList(list(scorer_of.parent_references or [])
                                         + own_rna_references(genome, tracks, groups, regions))
                           for regions in fit_regions]
    counts: dict[str, dict[float, list]] = {}   # per candidate and offset: the confusion of each block, in order
    base = float(model.gene.offset[0])
    history: list[dict[str, Any]] = []
    total = len(parent_deltas) * (1 + adapt_wanted) + sum(len(d) for d in deltas_of.values())
    deadline = started + budget - max(SELECT_RESERVE, 0.15 * budget) if budget else None
    scores: dict[str, dict[float, float]] = {}
    stopped = "finished"
    timings: dict[str, float] = {}
    cpu = time.process_time()   # this process's CPU seconds: about the wall time on an idle machine

    def lap(what):
        timings[what] = round(time.monotonic() - started, 1)

    def out_of_time() -> bool:
        return deadline is not None and time.monotonic() > deadline

    def record(name, delta, per_block):
        counts.setdefault(name, {})[delta] = per_block
        confusion = _sum_confusions(per_block)
        scores.setdefault(name, {})[delta] = confusion.mcc
        entry = {"step": len(history) + 1, "epoch": float(len(history) + 1), "candidate": name,
                 "offset_delta": delta, "eval_mcc": round(confusion.mcc, 5)}
        history.append(entry)
        if on_log:
            on_log({**entry, "total_steps": total,
                    "eta_seconds": round(max(0.0, budget - (time.monotonic() - started)), 1) if budget else None})
        progress(0.05 + 0.7 * len(history) / max(total, 1), f"{name}, offset {delta:+g}: cross-fitted MCC "
                 f"{confusion.mcc:.4f}")

    def out_of_fold(models, offset) -> list:
        """The confusion of each block of the training part, fold by fold: fold i scored by ``models[i]``, fitted
        on the other folds (a candidate that read no label: the same model each time), at gene offset ``offset``,
        its RNA genes found with the other folds' references (fold_references)."""
        if all(m is models[0] for m in models) and all(r is fold_references[0] for r in fold_references):
            return scorer_of.confusions(_with_offset(models[0], offset), [b for bl in fold_blocks for b in bl],
                                        fold_references[0])   # one call of the genes for every fold
        out = []
        for m, blocks, references in zip(models, fold_blocks, fold_references):
            out += scorer_of.confusions(_with_offset(m, offset), blocks, references)
        return out

    def score_label_free(name, candidate, offset) -> bool:
        """A candidate that read no label: each offset scored on the whole training part; False when time ran out."""
        for delta in parent_deltas:
            if out_of_time():
                return False
            record(name, delta, out_of_fold([candidate] * len(folds), offset + delta))
        return True

    # 1. the parent never saw this genome: each offset is scored on the whole training part
    if not score_label_free("parent", model, base):
        stopped = "time limit"
    lap("parent")
    genome_name = groups[0][0]
    # the parent adapted to the whole genome from its sequence (annotation-free, as `genoview adapt`): like the
    # parent it read no label, so it too is scored on the whole training part
    adapted, adapt_seeds = None, []
    if (adapt_wanted or any(name in ADAPTED_BASE for name in fitted)) and stopped == "finished":
        (_, keys), = groups
        # a soup of seeds (option adapt_seeds): the seed changes only fit.adapt's pseudo-label sample and batch order
        members = []
        for seed in range(spec.seed, spec.seed + int(options["adapt_seeds"])):
            if members and out_of_time():
                break
            cancel.check()
            progress(0.05, f"adapting the parent to {genome_name} (annotation-free"
                     + (f", seed {seed})" if int(options["adapt_seeds"]) > 1 else ")"))
            members.append(adapted_model(model, {k: tracks[k][0] for k in keys}, genome_name, seed))
            adapt_seeds.append(seed)
        adapted = members[0] if len(members) == 1 else soup_of(members, base=members[0])
        lap("adapt")
    if adapt_wanted and adapted is not None:
        if not score_label_free("adapt", adapted, float(adapted.gene.offset[0])):
            stopped = "time limit"
        lap("adapt scored")
    # 2. the fitted candidates: fit on one half, score the other, both ways; the two halves' counts pooled
    # each candidate's tables as the model it refits predicts (fit.genome_table(model=...)): the parent's from
    # its own self-training (its config's overlap and start background), the adapted candidates' from the
    # adapted model's stored statistics
    parent_tables, cached, names = [], 0, []
    if "refit" in fitted and stopped == "finished":
        names = [g["name"] for g in recipe["genomes"]]
        for i, entry in enumerate(recipe["genomes"]):
            progress(0.05, f"the parent's training genome {entry['name']} ({i + 1}/{len(names)})")
            table, hit = _parent_table(entry, parent_dir, model, recipe["seed"], cancel)
            cached += hit
            parent_tables.append(table)
        parent_tables = _own_columns(parent_tables, n_features)
        say(f"the parent's {len(names)} training genomes ({cached} from the cache): "
            f"{sum(len(t['x']) for t in parent_tables):,} candidate ORFs")
    lap("parent tables")
    fold_tables = {"parent": [None] * len(folds), "adapt": [None] * len(folds)}
    if adapted is None:
        fitted = [name for name in fitted if name not in ADAPTED_BASE]
    try:
        for base_name, base_model in (("parent", model), ("adapt", adapted)):
            wants = [name for name in fitted if name in ("last", "last_start", "continue", "refit") + ADAPTED_BASE
                     and (name in ADAPTED_BASE) == (base_name == "adapt")]
            if wants and stopped == "finished":
                per_fold = [_own_columns(_tables(genome, tracks, groups, split, None, spec.seed, cancel, say,
                                                 regions=fold, model=base_model), n_features) for fold in folds]
                # the tables fold i's model is fitted on: the other folds' (two folds: the other half's)
                fold_tables[base_name] = [joined_tables([t for j, t in enumerate(per_fold) if j != i])
                                          for i in range(len(folds))]
    except GenoViewInputError as exc:   # a fold without annotated genes: only the unfitted candidates' offsets
        part = "a half" if len(folds) == 2 else "a fold"
        say(f"the fitted candidates are left out: {part} of the training part has no annotated genes ({exc})")
        left_out.update({name: f"{part} of the training part has no annotated genes" for name in fitted
                         if name not in ("semi", "stats")})
        fitted = [name for name in fitted if name in ("semi", "stats")]
    lap("fold tables")

    def fit(name, tables, regions, until=deadline):
        if name in ("semi", "stats"):
            return _with_statistics(model, tracks, groups, genome.features, regions, genome_name, semi=name == "semi")
        if name in SOUP_MEMBERS or name == "soup_greedy":   # the members fitted on these tables, weights averaged
            members = [model if m == "parent" else adapted if m == "adapt" else fit(m, tables, regions, until)
                       for m in (greedy["ingredients"] if name == "soup_greedy" else SOUP_MEMBERS[name])]
            return soup_of(members, base=adapted)
        if name in ("last", "last_start") + ADAPTED_BASE:   # the parent's or the adapted model's last layer(s)
            out = adapted if name in ADAPTED_BASE else model
            if name != "adapt_start":
                out = refit_last_layer(out, tables, penalty=options["last_penalty"])
            if name.endswith("start"):
                out = refit_last_layer(out, tables, penalty=options["last_penalty"], part="start")
            return out
        if name == "continue":
            return continue_scorers(model, tables, epochs=options["continue_epochs"], seed=spec.seed,
                                    start_scorer=options["start_scorer"])
        return _refitted(model, parent_tables, tables, recipe, options, until)

    greedy: dict[str, Any] = {}

    def greedy_ingredients(halves) -> bool:
        """soup_greedy's ingredients (greedy), chosen by cross-fitted MCC at the adapted offset; False if none."""
        start = [m for m in GREEDY_START if 0.0 in (scores.get(m) or {})]
        if not start:
            return False
        start.sort(key=lambda m: -scores[m][0.0])   # stable: ties keep GREEDY_START's order
        rest = [m for m in start[1:] + ["parent"] if 0.0 in (scores.get(m) or {})]
        rest.sort(key=lambda m: -scores[m][0.0])
        member = {m: [model if m == "parent" else adapted if m == "adapt" else fit(m, halves[i], fit_regions[i])
                      for i in range(len(folds))] for m in [start[0]] + rest}
        ingredients, kept = [start[0]], scores[start[0]][0.0]
        trials = {start[0]: round(kept, 5)}
        offset = float(adapted.gene.offset[0])
        for m in rest:
            if out_of_time():
                break
            trial = ingredients + [m]
            pair = [soup_of([member[x][i] for x in trial], base=adapted) for i in range(len(folds))]
            mcc = _sum_confusions(out_of_fold(pair, offset)).mcc
            trials["+".join(trial)] = round(mcc, 5)
            if mcc >= kept:
                ingredients, kept = trial, mcc
        greedy.update(ingredients=ingredients, order=[start[0]] + rest, trials=trials)
        return True

    for name in fitted:
        if stopped != "finished" or out_of_time():
            stopped = "time limit"
            break
        try:
            halves = fold_tables["adapt" if name in ADAPTED_BASE else "parent"]
            if name == "soup_greedy" and not greedy_ingredients(halves):
                left_out[name] = "none of adapt, adapt_last, adapt_start, adapt_last_start was scored"
                continue
            pair = [fit(name, halves[i], fit_regions[i]) for i in range(len(folds))]
        except _OutOfTime:
            stopped = "time limit"
            break
        own = float(pair[0].gene.offset[0])   # the candidate's own offset (refit: the parent's x offset_scale)
        for delta in deltas_of[name]:
            if out_of_time():
                stopped = "time limit"
                break
            # each fold scored by the model fitted on the other folds
            record(name, delta, out_of_fold(pair, own + delta))
        lap(name)
    if not scores:
        scores["parent"] = {0.0: float("nan")}
    # an anchor not scored (left out of the candidates, several genomes, a half without annotated genes): adapt, then
    # the parent
    anchor = next(((n, 0.0) for n in anchor_order(options["anchor"]) if 0.0 in (scores.get(n) or {})), ("parent", 0.0))
    margin = float(options["margin"])
    confidence, check = float(options["confidence"]), str(options["lead_check"])

    def bound(name, delta):
        mine, kept = counts[name][delta], counts[anchor[0]][anchor[1]]
        if check == "halves":
            return halves_lead(mine, kept, first_half)
        return lead_lower_bound(mine, kept, confidence, spec.seed)

    lower = bound if check != "none" else None
    name, delta, cross_mcc = choose_candidate(scores, anchor, margin, lower)
    floor_lead = None
    if options.get("floor", "none") == "parent":
        name, delta, cross_mcc, floor_lead = parent_floor((name, delta, cross_mcc), scores, counts, first_half)
        if floor_lead is not None and name == "parent":
            say(f"floor: the chosen candidate does not lead the parent on each half of the training part (smaller "
                f"half lead {floor_lead:+.4f}): the parent is kept")
    best = choose_candidate(scores)   # the best MCC, for the record: how sure its lead over the anchor was
    best_bound = (round(bound(best[0], best[1]), 5) if lower is not None and best[:2] != anchor
                  and anchor[0] in counts and anchor[1] in counts[anchor[0]] else None)
    sure = {"halves": "smaller lead of the two halves", "bootstrap": f"lower bound ({confidence:g})"}.get(check)
    say(f"chosen: {name} with gene offset {delta:+g} (cross-fitted MCC {cross_mcc:.4f} on the training part; "
        + ", ".join(f"{n} {max(v.values()):.4f}" for n, v in scores.items()) + ")"
        + (f"; best {best[0]} {best[1]:+g}: lead over the anchor {anchor[0]} {best[2] - scores[anchor[0]][anchor[1]]:+.4f}, "
           f"{sure} {best_bound:+.4f}" if best_bound is not None else ""))
    # 3. the chosen candidate fitted on the whole training part, with its offset moved by the chosen delta
    progress(0.8, f"fitting {name} on the whole training part")
    if name == "parent":
        final = _with_offset(model, base + delta)
    elif name == "adapt":
        final = _with_offset(adapted, float(adapted.gene.offset[0]) + delta)
    else:
        base_model = adapted if name in ADAPTED_BASE else model
        tables = None if name in ("semi", "stats") else _own_columns(
            _tables(genome, tracks, groups, split, None, spec.seed, cancel, say, regions=training, model=base_model),
            n_features)
        try:
            # the final fit may use the time kept for it, up to the bound less the scoring of the test part
            fitted_model = fit(name, tables, training, until=started + budget - 20.0 if budget else None)
            final = _with_offset(fitted_model, float(fitted_model.gene.offset[0]) + delta)
        except _OutOfTime:
            stopped = "time limit"
            parent_best = choose_candidate({"parent": scores.get("parent") or {0.0: 0.0}}, ("parent", 0.0), margin)
            say(f"the final {name} fit did not finish within --max-minutes: the parent with offset "
                f"{parent_best[1]:+g} is kept")
            name, delta, cross_mcc = parent_best
            final = _with_offset(model, base + delta)
    lap("final fit")
    wise = None
    alpha = float(options.get("wise") or 0.0)
    if alpha > 0 and name != "parent":   # WiSE-FT: the kept candidate's scorers moved toward the parent's
        wise = {"alpha": alpha, "applied": False}
        try:
            final = soup_of([final, model], base=final, weights=[1.0 - alpha, alpha])
            wise["applied"] = True
            say(f"wise {alpha:g}: the scorers' weights of {name} moved {alpha:g} of the way toward the parent's")
        except ValueError as exc:
            wise["why"] = str(exc)
            say(f"wise {alpha:g}: not applied ({exc})")
    model.load_state_dict(final.state_dict())
    model.config.adapted_to = final.config.adapted_to
    model.config.genetic_code = final.config.genetic_code   # adapt stores the code it detected with its statistics
    model.eval()
    stage = None
    if options.get("stage_refit") and len(groups) == 1 and stopped == "finished" and not out_of_time():
        progress(0.85, "refitting the call filter on the training part's calls")
        stage = {"kept": False}
        spec_now = getattr(model.config, "call_filter", None)
        if not spec_now:
            stage["why"] = "the parent has no call filter"
        else:
            (_, keys), = groups
            stops, x, y = stage_rows(model, {k: tracks[k][0] for k in keys}, genome.features)
            in_fold = [_inside(stops, fold) for fold in folds]
            in_training = np.any(in_fold, axis=0) if in_fold else np.zeros(len(stops), dtype=bool)
            refitted, unchanged = [], []
            for i, (blocks, references) in enumerate(zip(fold_blocks, fold_references)):
                rows = in_training & ~in_fold[i]   # fitted on the other folds' calls, scored on this fold
                spec_i = refit_call_filter(spec_now, x[rows], y[rows], penalty=float(options["stage_penalty"]))
                refitted += scorer_of.confusions(_with_call_filter(model, spec_i), blocks, references)
                unchanged += scorer_of.confusions(model, blocks, references)
            lead = _sum_confusions(refitted).mcc - _sum_confusions(unchanged).mcc
            half = halves_lead(refitted, unchanged, first_half)
            stage.update(calls=int(in_training.sum()), true_calls=int(y[in_training].sum()),
                         cross_fitted_mcc=round(_sum_confusions(refitted).mcc, 5),
                         unchanged_mcc=round(_sum_confusions(unchanged).mcc, 5), lead=round(lead, 5),
                         half_lead=round(half, 5), needed=STAGE_LEAD, penalty=float(options["stage_penalty"]))
            if lead >= STAGE_LEAD and half > 0:
                model.config.call_filter = refit_call_filter(spec_now, x[in_training], y[in_training],
                                                             penalty=float(options["stage_penalty"]))
                stage["kept"] = True
            say(f"call filter refitted on {stage['calls']} calls of the training part: cross-fitted MCC "
                f"{stage['cross_fitted_mcc']:.4f} vs {stage['unchanged_mcc']:.4f} unchanged (smaller half lead "
                f"{half:+.4f}): " + ("kept" if stage["kept"] else "the parent's call filter kept"))
        lap("stage refit")
    progress(0.9, "scoring the validation and test parts")
    # the validation part is inside the training part the choice was made on: in-sample, for the record only
    valid, test = scorer_of.metrics_of(model, [split.valid, split.test])
    seconds = time.monotonic() - started
    _save_run(model, work, history, spec, steps=len(history), total=total, best_step=len(history), stopped=stopped,
              seconds=seconds, validation=valid,
              unit="candidate/offset pairs scored by two-fold cross-fitting on the training part")
    relearned = {
        "parent": "nothing of the scorers: the parent's gene and start scorers scored best",
        "adapt": f"adapted to {genome_name} from its whole sequence without the annotation (as `genoview adapt`): "
                 "codon/dicodon, start codon and upstream statistics self-trained and stored in the model, the gene "
                 "scorer fine-tuned on pseudo-labels from its confident calls",
        "adapt_last": f"adapted to {genome_name} from its whole sequence without the annotation (as `genoview adapt`: "
                      "statistics stored, gene scorer fine-tuned on pseudo-labels), then the gene scorer's last layer "
                      "refitted on the annotated genes of this run's training part (a logistic regression over the "
                      f"adapted scorer's hidden activations, its change penalised by {options['last_penalty']:g})",
        "adapt_start": f"adapted to {genome_name} from its whole sequence without the annotation (as `genoview adapt`), "
                       "then the start scorer's last layer refitted on the annotated starts of this run's training "
                       f"part (penalty {options['last_penalty']:g})",
        "adapt_last_start": f"adapted to {genome_name} from its whole sequence without the annotation (as `genoview "
                            "adapt`), then the last layers of the gene and the start scorer refitted on the annotated "
                            f"genes and starts of this run's training part (penalty {options['last_penalty']:g})",
        "soup": f"adapted to {genome_name} from its whole sequence without the annotation (as `genoview adapt`), "
                "then a model soup: the gene and start scorers' weights of adapt, adapt_last, adapt_start and "
                "adapt_last_start (last layers refitted on the annotated genes and starts of this run's training part, "
                f"penalty {options['last_penalty']:g}) averaged",
        "soup_parent": f"adapted to {genome_name} from its whole sequence without the annotation (as `genoview "
                       "adapt`), then a model soup: the gene and start scorers' weights of the parent, adapt, "
                       "adapt_last, adapt_start and adapt_last_start (last layers refitted on the annotated genes and "
                       f"starts of this run's training part, penalty {options['last_penalty']:g}) averaged",
        "soup_greedy": f"adapted to {genome_name} from its whole sequence without the annotation (as `genoview "
                       "adapt`), then a greedy model soup: the gene and start scorers' weights of "
                       f"{', '.join(greedy.get('ingredients') or [])} averaged (chosen by cross-fitted MCC on the "
                       "training part, best first, each added when the soup's MCC did not drop)",
        "semi": f"codon/dicodon, start codon and upstream statistics: counted on the annotated genes of this run's "
                f"training part plus the genome's own self-trained calls elsewhere (semi-supervised) and stored in the "
                f"model (adapted to {genome_name}, as `genoview adapt` stores self-trained ones); the parent's scorers "
                "kept",
        "stats": f"codon/dicodon, start codon and upstream statistics: counted on the annotated genes of this run's "
                 f"training part and stored in the model (adapted to {genome_name}, as `genoview adapt` stores "
                 "self-trained ones); the parent's scorers kept",
        "last_start": "the last layers of the gene and the start scorer: refitted on the annotated genes and starts of "
                      f"this run's training part (penalty {options['last_penalty']:g}); the parent's hidden layers kept",
        "last": "the gene scorer's last layer: refitted on the annotated genes of this run's training part (a "
                "logistic regression over the parent's hidden activations, its change from the parent's weights "
                f"penalised by {options['last_penalty']:g}); the parent's hidden layer and start scorer kept",
        "continue": f"gene and start scorers: the parent's trained further for {options['continue_epochs']} epochs "
                    "on this run's training part",
        "refit": (f"gene and start scorers: refitted as the parent was (fit.py: {recipe['epochs']} + "
                  f"{2 * recipe['epochs']} epochs, seed {recipe['seed']}) on the parent's training genomes "
                  f"({', '.join(names)}) plus this run's training part, this weighing {options['genome_weight']:g} "
                  "times all the others together") if recipe else "",
    }[name]
    table = {n: {f"{d:+g}": round(v, 5) for d, v in sorted(values.items())} for n, values in scores.items()}
    offset_moved = float(model.gene.offset[0]) != base   # "re-learned" only when it changed (offset_range 0: kept)
    metadata = {
        "description": "GeneORF (self-training ORF gene finder) fine-tuned on the genomes of this run: "
                       + {"parent": "the parent's scorers", "stats": "statistics counted on the annotated genes",
                          "adapt": "adapted to its whole sequence without the annotation",
                          "adapt_last": "adapted to its whole sequence without the annotation, the gene scorer's "
                                        "last layer then refitted on its annotated genes",
                          "adapt_start": "adapted to its whole sequence without the annotation, the start scorer's "
                                         "last layer then refitted on its annotated starts",
                          "adapt_last_start": "adapted to its whole sequence without the annotation, the gene and "
                                              "start scorers' last layers then refitted on its annotated genes",
                          "soup": "adapted to its whole sequence without the annotation, then the scorers' "
                                  "weights of its four adapted candidates averaged (a model soup)",
                          "soup_parent": "adapted to its whole sequence without the annotation, then the scorers' "
                                         "weights of the parent and its four adapted candidates averaged (a model "
                                         "soup)",
                          "soup_greedy": "adapted to its whole sequence without the annotation, then a greedy "
                                         "soup of the scorers' weights of its adapted candidates (and the parent's)",
                          "semi": "statistics counted on the annotated genes and its own calls elsewhere",
                          "last": "the gene scorer's last layer refitted on its annotated genes",
                          "last_start": "the gene and start scorers' last layers refitted on its annotated genes",
                          "continue": "scorers trained further",
                          "refit": "scorers refitted with the parent's training genomes"}[name]
                       + f" with a gene decision offset chosen on its training part ({delta:+g})",
        "fine_tuning": {
            "recipe": "select", "chosen": name, "offset_delta": delta, "gene_offset": float(model.gene.offset[0]),
            "parent_gene_offset": base, "cross_fitted_mcc": round(cross_mcc, 5), "candidates": table,
            "left_out": left_out, "anchor": f"{anchor[0]} {anchor[1]:+g}", "margin": margin,
            "lead_check": check, "confidence": confidence, "blocks": n_blocks, "best_by_mcc": f"{best[0]} {best[1]:+g}",
            "lead_lower_bound": best_bound, "floor": options.get("floor", "none"),
            "floor_lead": None if floor_lead is None else round(floor_lead, 5),
            **({"stage_refit": stage} if stage is not None else {}),
            **({"wise": wise} if wise is not None else {}),
            "why": (f"The anchor ({anchor[0]} at its own gene offset) unless the candidate or gene decision offset "
                    "with the best nucleotide MCC (threshold 0.5) on this run's training part beats it"
                    + (f" by at least the margin {margin:g}" if margin > 0 else "")
                    + {"halves": " and leads it on each half of the training part (both out-of-fold halves of "
                                 "the cross-fit; lead_lower_bound is the smaller of the two leads)",
                       "bootstrap": f" and the {confidence:g} lower confidence bound of its lead (a paired bootstrap "
                                    f"over {sum(map(len, fold_blocks))} contiguous blocks of the training part, "
                                    f"{n_blocks} per {'half' if len(folds) == 2 else 'fold'}) "
                                    "is above 0",
                       "none": ""}[check] + "; then that best wins. ")
                   + ("Scored out of fold: each fitted candidate is fitted on one half of the training part and "
                      "scored on the other, both ways, counts pooled; " if len(folds) == 2 else
                      f"Scored out of fold: the training part cut into {len(folds)} contiguous folds, each fitted "
                      f"candidate fitted on all but one and scored on that one, each in turn, counts pooled (the "
                      f"halves of lead_check: the first {len(folds) // 2 if len(folds) % 2 == 0 else 'half'} "
                      f"{'folds' if len(folds) % 2 == 0 else 'of the blocks'} and the rest); ")
                   + "the parent, which never saw this genome, and the "
                   "parent adapted to it without the annotation (adapt) on the whole training part. A tie with the anchor keeps "
                   "it; among the others ties go to the parent, then to the smaller offset change. The test part "
                   "is never read for the choice."
                   + ((" RNA genes by homology: each half of the training part is read with the parent's references "
                       "plus the RNA genes annotated in the other half (own_rna); the child has those of the whole "
                       "training part." if len(folds) == 2 else
                       " RNA genes by homology: each fold of the training part is read with the parent's references "
                       "plus the RNA genes annotated in the other folds (own_rna); the child has those of the whole "
                       "training part.") if options["own_rna"] else ""),
            "folds": [[{"seqid": r.seqid, "start": r.start, "end": r.end} for r in fold] for fold in folds],
            "relearned": [relearned] + ([f"then its gene and start scorers' weights moved {wise['alpha']:g} of the "
                                         "way toward the parent's (option wise, WiSE-FT)"]
                                        if wise and wise.get("applied") else []) + ([f"adapted with {len(adapt_seeds)} seeds ({', '.join(map(str, adapt_seeds))}):"
                                         " the gene scorers' weights of the adapted models averaged (a model soup "
                                         "of seeds)"] if len(adapt_seeds) > 1 and name in ("adapt",) + ADAPTED_BASE
                                        else []) + ([f"gene decision offset: {base:g} -> {float(model.gene.offset[0]):g}"]
                                        if offset_moved else []) + (
                [] if name in ("semi", "stats", "adapt") + ADAPTED_BASE else ["codon/dicodon, start and upstream statistics: self-trained on every "
                                            "genome read (annotation-free, as always)"]),
            "kept": ["the scorers' size", "the RNA-gene head"]
                    + ([] if offset_moved else [f"the gene decision offset ({base:g})"])
                    + ["the start scorer's decision offset"],
            "continue_epochs": options["continue_epochs"], "last_penalty": options["last_penalty"],
            "offset_step": step, "offset_range": float(options["offset_range"]),
            "genome_weight": options["genome_weight"], "offset_scale": options["offset_scale"],
            "parent_genomes": names, "epochs": recipe["epochs"] if recipe else None,
            "tables_from_cache": cached, "stopped_because": stopped, "fold_count": len(folds),
            "adapt_seeds": adapt_seeds,
            **({"soup_greedy": greedy} if greedy else {}),
            "seconds_at": {**timings, "done": round(time.monotonic() - started, 1)},
            "cpu_seconds": round(time.process_time() - cpu, 1)}}
    progress(1.0, "done")
    return TrainingResult(history, valid, work, len(history), stopped), test, metadata


def train_geneorf(run_spec, spec, work: Path, *, genome, tracks, split, progress, cancel, on_log, should_stop,
                  say) -> tuple[TrainingResult, dict[str, Any], dict[str, Any]]:
    """Fit or fine-tune GeneORF's scorers (module docstring); returns (result, test metrics, metadata)."""
    import torch

    from genoview.core.models.geneorf import GeneORFConfig, GeneORFModel
    from genoview.core.models.geneorf.fit import fit_scorers
    from genoview.core.training.options import with_defaults

    started = time.monotonic()
    options = with_defaults("geneorf", spec.model_options)
    budget = spec.max_minutes * 60.0 if spec.max_minutes else None
    max_epochs = int(spec.epochs) if spec.epochs is not None else MAX_EPOCHS
    max_epochs = max(0, min(max_epochs, spec.max_steps or max_epochs))
    torch.manual_seed(spec.seed)
    used = [r.seqid for r in split.train + split.valid + split.test]
    groups = genome_groups(genome, used)
    references = parent_references = None
    own: list = []
    if run_spec.init_from:
        import shutil

        from genoview.core.models.geneorf.rna_homology import (REFERENCES_FILE, ReferenceList, model_references,
                                                               write_references)

        # a child calls RNA genes by homology with its parent's references (the file travels with the weights),
        # plus (own_rna) the RNA genes annotated in this run's training part, appended to the parent's file
        references = parent_references = model_references(run_spec.init_from)
        if options["own_rna"]:
            # recipe continue keeps the round with the best MCC on the validation part, which it never trains on:
            # that part's RNA genes are not read (select and refit fit on training + validation, in-sample)
            continues = options["recipe"] == "continue" or (options["recipe"] == "refit"
                                                            and parent_recipe(run_spec.init_from)[0] is None)
            own = own_rna_references(genome, tracks, groups, _merged(split.train if continues
                                                                     else split.train + split.valid))
        if references is not None or own:
            work.mkdir(parents=True, exist_ok=True)
            target = work / REFERENCES_FILE
            if references is not None:
                shutil.copy2(Path(run_spec.init_from) / REFERENCES_FILE, target)
            if own:
                mine = work / (REFERENCES_FILE + ".own")
                write_references(mine, own)
                # a parent's file need not end with a line break (one put there by hand): the first own record
                # would then join its last sequence line
                ends_open = target.is_file() and not target.read_bytes().endswith(b"\n") and target.stat().st_size
                with open(target, "a") as handle:
                    handle.write(("\n" if ends_open else "") + mine.read_text())
                mine.unlink()
                references = ReferenceList(list(references or []) + own)
        say(f"RNA references: the parent's {len(parent_references or [])}"
            + (f" plus {len(own)} RNA genes annotated in this run's training part ("
               + ", ".join(f"{n} {t}" for t, n in _type_counts(own)) + ")" if options["own_rna"] else
               " (own_rna false: none of this genome's)"))
    scorer_of = _Scorer(genome, tracks, groups, cancel, references, parent_references)

    def rna_note(result, test, metadata):
        """The fine-tune's record says what it did with the RNA memory (re-learnt / kept lists, own_rna)."""
        tuning = metadata.get("fine_tuning")
        if tuning is None or not run_spec.init_from:
            return result, test, metadata
        counts = ", ".join(f"{n} {t}" for t, n in _type_counts(own))
        if own:
            tuning.setdefault("relearned", []).append(
                f"RNA genes by homology (own_rna): the {len(own)} rRNA/tRNA genes annotated in this run's training "
                f"part ({counts}) "
                + (f"added to the parent's {len(parent_references)} RNA references" if parent_references is not None
                   else "as the RNA references (the parent had none)")
                + " (rna_references.fasta), so their copies and near-copies elsewhere in the genome are called")
        if parent_references is not None:
            tuning.setdefault("kept", []).append(
                f"the parent's RNA references ({len(parent_references)} RNA genes of other genomes)"
                + ("" if own else " only: own_rna is false" if not options["own_rna"] else
                   " only: no complete rRNA or tRNA gene is annotated inside the training part"))
        tuning["own_rna"] = bool(options["own_rna"])
        tuning["own_rna_genes"] = {t: n for t, n in _type_counts(own)}
        return result, test, metadata
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
        if options["recipe"] == "select":
            return rna_note(*_train_select(run_spec, spec, work, model, options, genome=genome, tracks=tracks, groups=groups,
                                 split=split, scorer_of=scorer_of, progress=progress, cancel=cancel, on_log=on_log,
                                 say=say, started=started, budget=budget))
        if options["recipe"] == "refit":
            recipe, why = parent_recipe(run_spec.init_from)
            if recipe is not None:
                return rna_note(*_train_refit(run_spec, spec, work, recipe, model, options, genome=genome, tracks=tracks,
                                    groups=groups, split=split, scorer_of=scorer_of, progress=progress,
                                    cancel=cancel, on_log=on_log, say=say, started=started, budget=budget))
            say(f"recipe 'refit' needs the parent's training genomes, but {why}: falling back to recipe "
                "'continue' (train the parent's scorers further, keep the best round on the validation part)")
        tables = _tables(genome, tracks, groups, split, None, spec.seed, cancel, say, model=model)
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

        model = GeneORFModel(GeneORFConfig(n_features=len(gc.FEATURES), hidden=options["hidden"], rna_threshold=1.01,
                                           partial_as_complete=True))
        model.gene.load_state_dict(gene.state_dict())
        model.start.load_state_dict(start.state_dict())
        model.eval()
        relearned, kept = ["gene and start scorers: learnt from scratch on the training part"], []
        say("from scratch: the RNA-gene head is untrained and switched off (start from geneorf-bacteria to keep it)")
    x, w, y, exact = _stacked(tables)
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
            loss = train_epoch(model.gene, x, y, w, gene_opt, batch, generator)
            if options["start_scorer"] and len(sx):
                train_epoch(model.start, sx, sy, sw, start_opt, batch, generator)
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
    _save_run(model, work, history, spec, steps=epoch, total=max_epochs, best_step=best_epoch, stopped=stopped,
              seconds=seconds, validation=best_metrics,
              unit="epochs of the gene/start scorers over the training part's candidate ORFs")
    if run_spec.init_from:
        say(f"kept the weights after {best_epoch} epoch(s) (validation MCC {best_metrics.get('mcc', float('nan')):.4f})"
            + ("; no round beat the parent on the validation part, so its scorers are kept" if best_epoch == 0 else ""))
    metadata = {"description": "GeneORF (self-training ORF gene finder) with scorers "
                               + ("fine-tuned" if run_spec.init_from else "trained") + " on the genomes of this run",
                "fine_tuning": {"recipe": "continue", "relearned": relearned, "kept": kept,
                                "best_epoch": best_epoch}}
    progress(1.0, "done")
    return rna_note(TrainingResult(history, best_metrics, work, epoch, stopped), test, metadata)


def _prepare_refused(*args, **kwargs):
    raise GenoViewInputError("GeneORF trains through the runner's own path (train_geneorf), not window datasets")


register_architecture(Architecture(
    name="geneorf",
    description="Self-training ORF gene finder (bacteria): fine-tunes its gene/start scorers on annotated genomes.",
    prepare=_prepare_refused,
    defaults=DEFAULTS,
    # fits its scorers for whole epochs over the genome's ORFs (Adam, no weight decay, warm-up or clipping) and
    # checks the validation MCC after every epoch
    ignored_settings=("weight_decay", "warmup_fraction", "eval_every", "eval_windows", "windows_per_epoch",
                      "class_weighting", "metric", "grad_clip"),
    ignored_why="GeneORF fits its gene and start scorers for whole epochs over the genome's ORFs and checks the "
                "validation MCC after each, so the window, warm-up, evaluation-window, weight-decay, clipping, "
                "class-weighting and metric settings do not apply and are hidden.",
))
