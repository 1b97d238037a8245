"""`genoview adapt`: fit a gene model to one genome from its own sequence (no annotation needed)."""
from __future__ import annotations

import argparse
import os
import shlex
import sys
import time
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
    p.add_argument("--name", help="library name of the adapted model (default: the --out folder's name)")
    p.add_argument("--genetic-code", type=int, choices=(4, 11), help="genetic code (default: detected)")
    p.add_argument("--seed", type=seed_number, default=0,
                   help="seed of the scorers' fine-tuning on the pseudo-labels (default 0; same seed, same model)")
    p.set_defaults(run=run)
    return p


def adapt_model(model_name: str, fasta: str, out: str | os.PathLike, name: str | None = None,
                genetic_code: int | None = None, seed: int = 0, command: str | None = None,
                progress=None, cancel=None) -> Path:
    """Adapt ``model_name`` to the genome in ``fasta``, save it in ``out`` and register it; returns ``out``."""
    from genoview.core.genome import encode, open_genome
    from genoview.core.models import load_model
    from genoview.core.models.geneorf import GeneORFTrackModel
    from genoview.core.models.geneorf.fit import adapt
    from genoview.core.store import open_store

    started = time.time()
    parent = load_model(model_name)
    if not isinstance(parent, GeneORFTrackModel):
        raise GenoViewInputError(f"{parent.name} is not a GeneORF model; adaptation works on GeneORF models "
                                 "(e.g. geneorf-bacteria)")
    out = Path(out)
    if out.exists() and not out.is_dir():   # e.g. --out genome.fa: was a NotADirectoryError traceback
        raise GenoViewInputError("is a file, not a folder; --out names a new folder for the model", out)
    if out.exists() and any(out.iterdir()):
        raise GenoViewInputError("already exists and is not empty; choose a new folder", out)
    from genoview.core.prediction import check_output_place

    check_output_place(out, "model (--out)")   # no missing folders made above it (the one rule of every command)
    with open_genome(fasta) as genome:
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

    tmp = out.with_name(f".part-{os.getpid()}-{out.name}")   # per process; never a crashed run's leftovers
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    parent_model.save_pretrained(str(tmp))
    from genoview.core.models.geneorf.rna_homology import REFERENCES_FILE

    if parent.path is not None and (Path(parent.path) / REFERENCES_FILE).is_file():   # RNA genes by homology
        shutil.copy2(Path(parent.path) / REFERENCES_FILE, tmp / REFERENCES_FILE)
    from genoview.core.models.metadata import ModelMetadata

    ModelMetadata().update(**info).save(tmp)
    (tmp / "README.md").write_text(
        f"# {name}\n\n{info['description']}.\n\nStarted from `{parent.name}`; made with\n\n```\n{command or ''}\n```\n")
    if out.exists():
        out.rmdir()
    os.replace(tmp, out)
    open_store().add_model(name, out.resolve(), "geneorf", "gene-probability", info)
    return out


def run(args: argparse.Namespace) -> int:
    from genoview.core.jobs import TextProgressBar

    command = "genoview " + " ".join(shlex.quote(a) for a in sys.argv[1:]) if sys.argv[1:2] == ["adapt"] else None
    out = adapt_model(args.model, args.fasta, args.out, args.name, args.genetic_code, args.seed,
                      command=command, progress=TextProgressBar("adapt"))
    print(f"adapted model saved to {out} and added to the library", file=sys.stderr)
    return 0
