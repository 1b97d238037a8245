"""`genoview adapt`: fit a gene model to one genome from its own sequence (no annotation needed)."""
from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from genoview.core.errors import GenoViewInputError
from genoview.cli import seed_number


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "adapt", help="adapt a gene model to a genome from its own sequence (no annotation)",
        description="Self-train a GeneORF gene model on one genome, as Prodigal trains itself: coding, start and "
                    "upstream statistics re-learnt on the genome's own genes, and the gene scorer fine-tuned on "
                    "pseudo-labels from its confident calls. The adapted model is saved to --out and "
                    "added to the library as a child of the model it started from.",
    )
    p.add_argument("--model", default="geneorf-bacteria", metavar="NAME|DIR",
                   help="the GeneORF model to start from (default geneorf-bacteria)")
    p.add_argument("--fasta", required=True, help="the genome: FASTA (plain, gzip, bgzip) or GenBank")
    p.add_argument("--out", required=True, metavar="DIR", help="where to save the adapted model (a new folder)")
    p.add_argument("--overwrite", action="store_true",
                   help="replace the model already in --out once the adapted one is finished (and clear what a run "
                        "toward --out that ended unfinished left)")
    p.add_argument("--name", help="library name of the adapted model (default: the --out folder's name; a name "
                   "another model has is refused)")
    p.add_argument("--genetic-code", type=int, choices=(4, 11), help="genetic code (default: detected)")
    p.add_argument("--seed", type=seed_number, default=0,
                   help="seed of the scorers' fine-tuning on the pseudo-labels (default 0; same seed, same model)")
    p.set_defaults(run=run, _parser=p)
    return p


@dataclass(frozen=True)
class AdaptedModel:
    """Where ``adapt_model`` saved the model, and the name the library lists it under (None: not added, because
    another model has the name or the library's database cannot be written; it is then used by its folder)."""

    path: Path
    listed_as: str | None


def adapt_model(model_name: str, fasta: str, out: str | os.PathLike, name: str | None = None,
                genetic_code: int | None = None, seed: int = 0, command: str | None = None,
                progress=None, cancel=None, overwrite: bool = False, clear_leftover: bool = False) -> AdaptedModel:
    """Adapt ``model_name`` to the genome in ``fasta``, save it in ``out`` and register it; returns where it was
    saved and whether (under which name) the library lists it.

    The model is written in the hidden ``.NAME.partial`` folder beside ``out``, which carries this process's owner
    record (as ``genoview train``'s): a second process toward the same ``out`` is refused naming the first, a
    crashed run's leftover is named with how to clear it, and ``out`` changes only when the model is finished
    (a model already there only with ``overwrite``). ``clear_leftover``: clear a crashed run's leftover (as
    ``overwrite`` does) without allowing a model in ``out`` to be replaced (the window asks first)."""
    from genoview.core.models import load_model
    from genoview.core.models.geneorf import GeneORFTrackModel
    from genoview.core.store import open_store

    started = time.time()
    parent = load_model(model_name)
    if not isinstance(parent, GeneORFTrackModel):
        raise GenoViewInputError(f"{parent.name} is not a GeneORF model; adaptation works on GeneORF models "
                                 "(e.g. geneorf-bacteria)")
    out = Path(out).expanduser().absolute()
    if out.exists() and not out.is_dir():   # e.g. --out genome.fa: was a NotADirectoryError traceback
        raise GenoViewInputError("is a file, not a folder; --out names a new folder for the model", out)
    from genoview.core.training.runner import check_model_out, claim_model_out, finish_model_out

    from genoview.core.models import check_library_name

    if name:   # a --name another model has: refused before the work (it replaced that model's library entry)
        check_library_name(name, out)

    # no missing folders made above it; a folder in use only with --overwrite, and then only a model folder
    check_model_out(out, overwrite, "already exists and is not empty; choose a new folder, or pass --overwrite to "
                    "replace the model there once the adapted one is finished")
    work = claim_model_out(out, "adapt", overwrite=overwrite or clear_leftover)
    from genoview.core.jobs import recorded_run

    try:
        # recorded as `genoview train` is (`genoview runs`, the library's Runs tab; the window's Adapt too): running
        # with its heartbeat beaten by its progress, then how it ended
        with recorded_run("adapt", name or out.name, {"parent": parent.name, "fasta": str(fasta), "output": str(out),
                                                      "genetic_code": genetic_code, "seed": seed,
                                                      "command": command}) as recorded:
            info = _adapt_into(work, out, parent, fasta, name, genetic_code, seed, command,
                               recorded.beating(progress), cancel, started)
            adapted = info["adapted_to"]
            recorded.metrics = {"genetic_code": adapted["genetic_code"], "gc": adapted["gc"],
                                "training_minutes": info["training_minutes"]}
            recorded.message = (f"{parent.name} adapted to {Path(fasta).name} (genetic code {adapted['genetic_code']}, "
                                f"GC {adapted['gc']:.1%})")
    except BaseException:
        import shutil

        shutil.rmtree(work, ignore_errors=True)   # this process's own folder (its owner record says so)
        raise
    finish_model_out(work, out, overwrite=overwrite)
    from genoview.cli import say_warning
    from genoview.core.store import writable_or_warn

    store = open_store()
    try:   # the --out folder's name another model has (a loop's `--out $g/adapted`): the model stays in its folder
        check_library_name(info["name"], out)
    except GenoViewInputError as exc:   # (it replaced that model's library entry without a word; H-cli18)
        say_warning("adapt", f"the model was saved but not added to the library: {exc}; use it as --model {out}")
        return AdaptedModel(out, None)
    if not writable_or_warn(store):   # the model is in its folder; the library (a database it cannot write) does not
        say_warning("adapt", f"{info['name']} is not in your library's list (its database cannot be written); use "
                             f"it as --model {out}")   # list it by name
        return AdaptedModel(out, None)
    store.add_model(info["name"], out.resolve(), "geneorf", "gene-probability", info)
    return AdaptedModel(out, info["name"])


SHORTEST_TO_ADAPT = 20_000   # bases of A, C, G, T: Prodigal's floor for training on one genome


def _adapt_into(tmp: Path, out: Path, parent, fasta, name, genetic_code, seed, command, progress, cancel,
                started) -> dict:
    """The adapted model's files, written into ``tmp`` (the claimed work folder); returns its metadata."""
    from genoview.core.genome import encode, open_genome
    from genoview.core.models.geneorf.fit import adapt

    with open_genome(fasta) as genome:
        from genoview.core.genome_kind import warn_if_eukaryote

        warn_if_eukaryote(genome, parent, parent.name)   # a bacterial model adapted to a eukaryote: said once
        sequences = {sid: encode(r.fetch(0, r.length)) for sid, r in genome.sequences.items()}
    genome_name = Path(fasta).name
    parent_model = parent.torch_model()   # prediction loads GeneORF without transformers; adapting needs its classes
    if genetic_code:
        parent_model.config.genetic_code = genetic_code
    stats = adapt(parent_model, sequences, genome_name, seed=seed, progress=progress, cancel=cancel)
    import numpy as np

    if not np.any(stats.coding):   # an all-N file was "adapted" into statistics of zeros that call no gene anywhere
        known = sum(int((codes < 4).sum()) for codes in sequences.values())
        raise GenoViewInputError(f"self-training found no genes to learn from in its {known:,} bases of A, C, G, T; "
                                 "adapt to a genome (not a gene or a stretch of N)", fasta)
    known = sum(int((codes < 4).sum()) for codes in sequences.values())
    if known < SHORTEST_TO_ADAPT:   # three human genes (1.6 kb) were "adapted" without a word (H-cli18)
        import logging

        logging.getLogger("genoview").warning(
            f"{genome_name} holds {known:,} bases of A, C, G, T, under the {SHORTEST_TO_ADAPT:,} Prodigal needs to "
            f"train itself: the adapted model learnt from a few genes and may call worse than {parent.name}; on a "
            f"sequence this short, predict with {parent.name} itself", extra={"mark": "Adapted to little"})
    name = name or out.name
    info = {k: v for k, v in parent.info.items() if k not in ("metrics", "default", "history")}
    info.update({
        "name": name, "architecture": "geneorf", "task": "gene-probability",
        "description": f"{parent.name} adapted to {genome_name} (self-trained, no annotation)",
        "parent": parent.name, "adapted_to": {"fasta": os.path.abspath(fasta), "genetic_code": stats.genetic_code,
                                              "gc": round(stats.gc, 4)},
        "command": command, "seed": seed, "training_minutes": round((time.time() - started) / 60, 2),
    })
    import shutil

    parent_model.save_pretrained(str(tmp))
    from genoview.core.models.geneorf.rna_homology import REFERENCES_FILE

    if parent.path is not None and (Path(parent.path) / REFERENCES_FILE).is_file():   # RNA genes by homology
        shutil.copy2(Path(parent.path) / REFERENCES_FILE, tmp / REFERENCES_FILE)
    from genoview.core.models.metadata import ModelMetadata

    ModelMetadata().update(**info).save(tmp)
    (tmp / "README.md").write_text(
        f"# {name}\n\n{info['description']}.\n\nStarted from `{parent.name}`; made with\n\n```\n{command or ''}\n```\n")
    return info


def run(args: argparse.Namespace) -> int:
    from genoview.core.jobs import TextProgressBar

    from genoview.cli import command_line

    command = command_line(args)   # as train and train-lm record theirs (sys.argv was the caller's in-process)
    adapted = adapt_model(args.model, args.fasta, args.out, args.name, args.genetic_code, args.seed,
                          command=command, progress=TextProgressBar("adapt"), overwrite=args.overwrite)
    listed = f" and added to the library as {adapted.listed_as}" if adapted.listed_as else ""
    print(f"adapted model saved to {adapted.path}{listed}", file=sys.stderr)
    return 0
