"""Is the open genome a prokaryote (bacterium, archaeon) or a eukaryote? One guess for the window and the CLI.

GenoView's gene models are gene finders for bacteria and archaea (genes without introns): on a eukaryotic
sequence their calls are open reading frames, not genes; and the language model suggested for a genome follows
its kind (the bacterial-gene model for a prokaryote, the human-gene default otherwise). Both read
:func:`genome_kind`. Evidence, cheapest first: the annotation's feature types (introns or UTRs: a
eukaryote), the size (over 20 Mb: a eukaryote), then how much of it lies in long open reading frames
(:func:`long_orf_share`; bacteria and archaea are ~90 % coding, in long ORFs).
"""
from __future__ import annotations

import logging
import os
import threading

import numpy as np

# bases: over this a genome is a eukaryote's by its size (unless a metagenome's many contigs). The largest known
# bacterial genomes come near 16 Mb (Minicystis rosea 16.0 Mb, Sorangium cellulosum So0157-2 14.8 Mb: single
# chromosomes); at 15 Mb, session 16's limit, such a chromosome was called a eukaryote by its size alone (one
# 19.5 Mb sequence of 5 bacteria of ../shared joined, 81 % in long ORFs: "eukaryote", /tmp/H-core/kinds.py,
# session 17). Under this limit the bases decide (long_orf_share), as for any genome.
PROKARYOTE_GENOME_MAX = 20_000_000
EUKARYOTE_FEATURES = frozenset({"intron", "five_prime_UTR", "three_prime_UTR"})   # splicing, UTRs: a eukaryote
# transcripts say less: Ensembl's bacterial GFF3 has an mRNA under every gene and any GTF a transcript, so with them
# the bases decide; only a sequence whose bases are not read is taken for a eukaryote's by its mRNAs
TRANSCRIPT_FEATURES = frozenset({"mRNA", "transcript"})
SMALLEST_GENOME = 100_000   # bases: the smallest cellular genomes (insect endosymbionts) are over 100 kb
# one sequence without annotation under this is as likely a human gene locus (one in ten human genes spans over
# 100 kb with its introns) as a bacterial genome (the smallest free-living ones, Mycoplasma, are ~0.6 Mb): told
# apart by its long ORFs when the sequence can be read, else not
LOCUS_OR_GENOME_MAX = 600_000
# bases: under this the share of long ORFs says too little: of 20 kb pieces of 8 bacterial/archaeal genomes 3.3 %
# fall under PROKARYOTE_ORF_SHARE (S. aureus 13 of 140) and 11 of 83 pieces of joined human genes over it; of 50 kb
# pieces 0.2 % (1 of 501) and 1 of 33 (session 16 review, /tmp/rev16c/windows.py, human.py)
SHORTEST_READ = 50_000

LONG_ORF = 600   # bases, stop to stop
# share of bases in a stop-to-stop ORF of LONG_ORF+ bases (any of the six frames; genetic code 11 or 4, the larger):
# E. coli 0.88, S. aureus 0.76, M. maripaludis 0.80, B. melitensis 0.97; 300 human gene sequences of
# ../shared/data/human-genes joined (98.7 kb, GC 49 %) 0.49 (session 16, /tmp/H-fix/orfstat2.py)
PROKARYOTE_ORF_SHARE = 0.6
SAMPLE_PIECES, SAMPLE_PIECE = 8, 50_000   # a longer genome is read in 8 evenly spaced 50 kb pieces (~40 ms)

BACTERIAL_LM = "kn-ecoli-genes"   # the language model of bacterial genes suggested for a prokaryote

log = logging.getLogger("genoview")


def genome_kind(genome, read_sequence: bool = True) -> tuple[str | None, str]:
    """("prokaryote" | "eukaryote" | None, why) from what is known of ``genome``: the annotation's feature types,
    its size, and (``read_sequence``, or already measured) its share of long ORFs. None: too short to tell, or an
    unannotated sequence under 0.6 Mb whose bases were not read."""
    if genome is None:
        return None, "no genome open"
    size = genome.total_length
    mb = f"{size / 1e6:.3g} Mb" if size >= 100_000 else f"{size:,}-base"
    types = getattr(genome.features, "types", None)   # made with the FeatureTable on the loader's thread
    if types is None:   # another container of features
        types = {f.type for f in genome.features} if genome.features else set()
    found = sorted(types & EUKARYOTE_FEATURES)
    if found:
        return "eukaryote", f"its annotation has {', '.join(found)} features"
    if size >= PROKARYOTE_GENOME_MAX:   # a eukaryote, unless its bases are a prokaryote's: a metagenome's contigs
        share = long_orf_share(genome) if read_sequence else getattr(genome, "_long_orf_share", None)
        if share is not None and share >= PROKARYOTE_ORF_SHARE and len(genome.sequences) > 1:
            return "prokaryote", (f"a {mb} assembly of {len(genome.sequences):,} sequences (a metagenome's?); "
                                  f"{share:.0%} of its bases lie in open reading frames of {LONG_ORF}+ bases")
        return "eukaryote", f"a {mb} genome (over {PROKARYOTE_GENOME_MAX // 1_000_000} Mb)"
    # the bases before an annotation without mRNA: a gene finder's GFF3 (gene and CDS only) of a eukaryote says nothing
    share = None if size < SHORTEST_READ else long_orf_share(genome) if read_sequence else \
        getattr(genome, "_long_orf_share", None)
    transcripts = sorted(types & TRANSCRIPT_FEATURES)
    what = (f"annotation with {', '.join(transcripts)} but no introns or UTRs" if transcripts else
            "annotation without introns or mRNA" if types else "no annotation")
    if share is not None:
        said = f"{share:.0%} of its bases lie in open reading frames of {LONG_ORF}+ bases"
        if share < PROKARYOTE_ORF_SHARE:
            return "eukaryote", f"a {mb} sequence, {what}: only {said}, where bacteria and archaea have over 70 %"
        return "prokaryote", f"a {mb} genome, {what}; {said}"
    if transcripts:   # mRNAs and bases not read (too short, unreadable): a eukaryote's, as the annotation says
        return "eukaryote", f"its annotation has {', '.join(transcripts)} features"
    if types:   # an annotation without mRNA, introns or UTRs
        return "prokaryote", f"a {mb} genome, {what}"
    if size < SMALLEST_GENOME:   # one gene opened as a FASTA (a human gene got the E. coli model)
        return None, f"a {mb} sequence without annotation: too short to be a whole genome"
    if size < LOCUS_OR_GENOME_MAX and len(genome.sequences) == 1:
        # a 200 kb human gene opened as a FASTA got the E. coli gene model ("this looks like a prokaryote")
        return None, f"a {mb} sequence without annotation: a gene locus or a small genome, not told apart"
    return "prokaryote", f"a {mb} genome, no annotation"


def long_orf_share(genome) -> float | None:
    """Share of the genome's bases inside a stop-to-stop open reading frame of at least LONG_ORF bases on either
    strand (genetic code 11 or 4, whichever covers more), read from up to 8 evenly spaced 50 kb pieces; kept on
    the genome (read once). None when its bases cannot be read."""
    cached = getattr(genome, "_long_orf_share", None)
    if cached is not None:
        return cached
    from genoview.core.genome import encode

    try:
        pieces = [encode(rec.fetch(a, b)) for rec, a, b in _sample(genome)]
    except Exception:   # noqa: BLE001 - a record without readable bases (tests' stand-ins): no evidence
        return None
    total = sum(len(p) for p in pieces)
    if not total:
        return None
    covered = max(sum(_covered(p, stops) for p in pieces) for stops in (_STOPS_11, _STOPS_4))
    share = covered / total
    try:
        genome._long_orf_share = share
    except AttributeError:
        pass
    return share


def _sample(genome):
    """(record, start, end) pieces: every base of a genome up to 8 x 50 kb, else 8 evenly spaced 50 kb pieces."""
    records = [r for r in genome.sequences.values() if r.length]
    total = sum(r.length for r in records)
    if total <= SAMPLE_PIECES * SAMPLE_PIECE:
        return [(r, 0, r.length) for r in records]
    pieces, offset, k = [], 0, 0
    marks = [int(i * (total - SAMPLE_PIECE) / (SAMPLE_PIECES - 1)) for i in range(SAMPLE_PIECES)]
    for rec in records:   # each mark's piece, cut at its record's end
        while k < len(marks) and marks[k] < offset + rec.length:
            start = marks[k] - offset
            pieces.append((rec, start, min(rec.length, start + SAMPLE_PIECE)))
            k += 1
        offset += rec.length
    return pieces


def _codon_table(stops) -> np.ndarray:
    table = np.zeros(125, bool)
    for codon in stops:
        a, b, c = ("ACGT".index(x) for x in codon)
        table[a * 25 + b * 5 + c] = True
    return table


_STOPS_11, _STOPS_4 = _codon_table(("TAA", "TAG", "TGA")), _codon_table(("TAA", "TAG"))


def _covered(codes: np.ndarray, stops: np.ndarray) -> int:
    """Bases of ``codes`` (0-4) inside a stop-to-stop ORF of LONG_ORF+ bases, any frame, either strand."""
    n = len(codes)
    if n < 3:
        return 0
    cover = np.zeros(n + 1, np.int32)
    for strand in (codes, np.where(codes < 4, 3 - codes, 4)[::-1]):
        c = strand.astype(np.int32)
        is_stop = stops[c[:-2] * 25 + c[1:-1] * 5 + c[2:]]   # codon starting at each base
        marks = np.zeros(n + 1, np.int32)
        for frame in range(3):
            bounds = np.concatenate(([frame - 3], np.flatnonzero(is_stop[frame::3]) * 3 + frame, [n]))
            keep = np.diff(bounds) >= LONG_ORF
            starts, ends = np.clip(bounds[:-1][keep] + 3, 0, n), np.clip(bounds[1:][keep] + 3, 0, n)
            np.add.at(marks, starts, 1)
            np.add.at(marks, ends, -1)
        inside = np.cumsum(marks[:-1]) > 0
        cover[:-1] += inside if strand is codes else inside[::-1]
    return int(np.count_nonzero(cover[:-1]))


# ------------------------------------------------------------------------------------------- gene models
def for_prokaryotes(model) -> bool:
    """True for a gene model made for bacteria and archaea: Prodigal, any GeneORF, a model shipped with GenoView
    (all are), or one trained from a shipped model (genoview.json's parent). A model the user trained from
    scratch may have learnt another genome's genes: False."""
    from pathlib import Path

    from genoview import paths
    from genoview.core import models

    if not isinstance(model, (str, os.PathLike)):
        path = getattr(model, "path", None)
        if path is None:   # a built-in model (Prodigal) or a loaded one: its name says
            return str(getattr(model, "name", "")) in models.BUILTIN_MODELS or \
                "geneorf" in str(getattr(model, "architecture", "")).lower()
        model = path
    try:
        directory = models.resolve_model_dir(model)
    except Exception:   # noqa: BLE001 - the run itself reports an unknown model
        return False
    if directory is None:   # built-in
        return True
    shipped = paths.SHIPPED_MODELS_DIR.resolve()
    try:
        Path(directory).resolve().relative_to(shipped)
        return True
    except ValueError:
        pass
    try:
        from genoview.core.models.metadata import ModelMetadata

        meta = ModelMetadata.load(directory)
    except Exception:   # noqa: BLE001 - an unreadable card: the run reports it
        return False
    data = meta.to_dict()
    if "geneorf" in str(data.get("architecture", "")).lower():
        return True
    parent = data.get("parent")
    return isinstance(parent, str) and bool(parent) and (shipped / Path(parent).name).is_dir()


def eukaryote_warning(genome, model, name: str | None = None) -> str | None:
    """The one warning for a bacterial gene model run on what looks like a eukaryote, None otherwise."""
    if not for_prokaryotes(model):
        return None
    kind, why = genome_kind(genome)
    if kind != "eukaryote":
        return None
    label = name or (os.path.basename(os.fspath(model)) if isinstance(model, (str, os.PathLike))
                     else str(getattr(model, "name", "the model")))
    return (f"{label} is a gene model for bacteria and archaea (genes without introns, no splicing), and this "
            f"sequence looks like a eukaryote's ({why}): its calls here are open reading frames, not genes. GenoView "
            "ships no eukaryotic gene model (its human-gene language models score sequences, they do not find genes): "
            "use a eukaryotic gene finder (AUGUSTUS, BRAKER, GeneMark-ES) and open its GFF3 as the annotation")


_warned: set[tuple] = set()
_warned_lock = threading.Lock()


def warn_if_eukaryote(genome, model, name: str | None = None) -> str | None:
    """Log :func:`eukaryote_warning` once per opened genome and model in this process (the CLI prints it as
    ``genoview COMMAND: warning: ...``, the window in its status bar and warning mark, which it clears when another
    genome opens: the same file opened again warns again); returns it."""
    text = eukaryote_warning(genome, model, name)
    if text is None:
        return None
    key = (id(genome), getattr(genome, "path", None), text)
    with _warned_lock:
        if key in _warned:
            return text
        _warned.add(key)
    # mark: what a window shows for it; genome: it is about the open genome (a window drops it when another opens)
    log.warning(text, extra={"mark": "Bacterial gene model", "genome": True})
    return text


# ------------------------------------------------------------------------------------------- language models
def language_model_for(kind: str | None, default_lm: str | None, bacterial_lm: str | None,
                       users_default: bool = False) -> tuple[str | None, str]:
    """(name, why) of the language model for a genome of ``kind``: the bacterial-gene model for a prokaryote (when
    installed), else the default (human genes); ``users_default``: ``default_lm`` is one of the user's own models
    flagged default (``lm_models.language_model_default``), which then wins for every genome. The window's Real vs
    mutated field and the CLI's commands without --model both read this."""
    if users_default and default_lm:
        return default_lm, 'your default language model (its genoview.json says "default": true)'
    if kind == "prokaryote" and bacterial_lm:
        return bacterial_lm, "the bacterial-gene model: the sequence looks like a prokaryote's"
    if kind == "prokaryote":
        return default_lm, "the default language model; no bacterial-gene model is installed for this prokaryote"
    if kind == "eukaryote":
        return default_lm, "the default language model (human genes): the sequence looks like a eukaryote's"
    return default_lm, "the default language model (human genes)"


def installed_bacterial_lm() -> str | None:
    """BACTERIAL_LM when it is installed as a language model and loads, else None."""
    from genoview.core.models import list_models

    return BACTERIAL_LM if any(i.name == BACTERIAL_LM and not getattr(i, "broken", "")
                               for i in list_models(task="language-model")) else None
