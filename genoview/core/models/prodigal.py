"""Prodigal (through pyrodigal) as a classic baseline gene track, next to the language models.

The track value of a base is the confidence of the Prodigal gene covering it, ``confidence() / 100``
(the highest one where genes overlap, either strand), and 0 outside genes. Prodigal reports genes with
a confidence of at least 50 %, so at the default threshold 0.5 the track marks exactly the called
genes, while the confidence still ranks them for ROC and PR curves.

Prodigal learns its gene model from the sequence itself: single mode trained on the whole record when
it has at least 20 kb (Prodigal's minimum), metagenomic mode (pre-trained profiles) otherwise.
"""
from __future__ import annotations

import numpy as np

from genoview.core.jobs import ensure_cancel, ensure_progress
from genoview.core.models.base import TrackModel

MIN_TRAINING_LENGTH = 20_000
# genes are called on the requested region plus this much flank, so genes crossing its edges are whole
FLANK = 5_000

# The built-in model's card (it has no folder, so no README.md): THE words `genoview models prodigal`, the library's
# Model card tab and the Predict dialog's note show (core.library.model_details gives it as a folder's card).
CARD = """# prodigal

<!-- plain-words summary -->
- **What it is:** Prodigal (through pyrodigal), built into GenoView: the standard gene finder for bacteria and \
archaea, to compare the models with.
- **What it is for:** A baseline beside the models (the Prodigal column of the gene disagreements); it learns its \
gene model from each genome's own sequence, no annotation needed.
"""


class ProdigalModel(TrackModel):
    """The built-in "prodigal" model: a whole-sequence TrackModel, no weights, CPU only."""

    name = "prodigal"
    whole_sequence = True

    def __init__(self) -> None:
        import pyrodigal

        self.info = {
            "name": self.name,
            "architecture": "pyrodigal",
            "task": "gene-probability",
            "description": "Prodigal gene finder (pyrodigal), trained on the sequence itself; "
                           "value = confidence of the covering gene / 100, 0 outside genes",
            "version": pyrodigal.__version__,
        }
        self.device = "cpu"
        self._trained: tuple[object, object] | None = None   # (record, GeneFinder) of the last record

    def _gene_finder(self, record):
        """A GeneFinder for this record: trained on it once (single mode), or metagenomic when short."""
        import pyrodigal

        if record.length < MIN_TRAINING_LENGTH:
            return pyrodigal.GeneFinder(meta=True)
        if self._trained is None or self._trained[0] is not record:
            finder = pyrodigal.GeneFinder(meta=False)
            finder.train(record.fetch(0, record.length).tobytes())
            self._trained = (record, finder)
        return self._trained[1]

    def predict_record(self, record, start: int = 0, end: int | None = None, progress=None, cancel=None) -> np.ndarray:
        """float32 per-base gene confidence for record[start:end] (0-based half-open)."""
        progress, cancel = ensure_progress(progress), ensure_cancel(cancel)
        end = record.length if end is None else end
        cancel.check()
        progress(0.0, "training Prodigal on the sequence")
        finder = self._gene_finder(record)
        cancel.check()
        progress(0.5, "finding genes")
        lo, hi = max(0, start - FLANK), min(record.length, end + FLANK)
        genes = finder.find_genes(record.fetch(lo, hi).tobytes())
        cancel.check()
        probs = np.zeros(end - start, dtype=np.float32)
        for gene in genes:
            a, b = max(gene.begin - 1 + lo, start) - start, min(gene.end + lo, end) - start
            if a < b:
                np.maximum(probs[a:b], np.float32(gene.confidence() / 100.0), out=probs[a:b])
        progress(1.0, f"{len(genes)} genes")
        return probs


def load(directory=None, *, device: str = "cpu", task=None) -> ProdigalModel:
    """The model registry's hook (registry.BUILTIN_MODELS): Prodigal has no directory and runs on the CPU."""
    return ProdigalModel()
