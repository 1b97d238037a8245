"""GeneORF's learnt parts read for prediction without transformers: the gene and start scorers run in
numpy, the RNA head is built in torch only when it first runs (so loading a GeneORF model imports neither).

The values are those of :class:`~genoview.core.models.geneorf.modeling_geneorf.GeneORFModel` loaded with
``AutoModel.from_pretrained`` (the same safetensors tensors, the same arithmetic); training and adaptation
use that class (:meth:`GeneORFWeights.to_model`).
"""
from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np

# config.json keys and defaults, as GeneORFConfig.__init__ has them
_CONFIG_DEFAULTS = {"n_features": 13, "hidden": 32, "rna_channels": 24, "rna_dilations": [1, 2, 4, 8, 16, 32],
                    "genetic_code": None, "adapted_to": None, "rna_threshold": 0.5, "partial_as_complete": False,
                    "start_background": 0.0, "call_filter": None, "max_overlap": None,
                    "overlap_rules": None}


SCORE_ROWS = 8192   # candidates scored at a time


def _numpy_scorer(tensors: dict, prefix: str):
    """GeneScorer.numpy_scorer over the stored tensors (the same dtypes, so the same float64 results)."""
    mean = tensors[f"{prefix}.mean"].astype(np.float64)
    std = tensors[f"{prefix}.std"].astype(np.float64)
    w1 = tensors[f"{prefix}.hidden.weight"].T.astype(np.float64)
    b1 = tensors[f"{prefix}.hidden.bias"]
    w2 = tensors[f"{prefix}.out.weight"][0].astype(np.float64)
    b2 = float(tensors[f"{prefix}.out.bias"][0])
    offset = float(tensors[f"{prefix}.offset"][0]) if f"{prefix}.offset" in tensors else 0.0

    def block(feats: np.ndarray) -> np.ndarray:   # GeneScorer.numpy_scorer's arithmetic, without temporaries
        z = feats - mean
        z /= std
        h = z @ w1
        h += b1
        np.maximum(h, 0.0, out=h)
        out = h @ w2
        out += b2
        out += offset
        return out

    def score(feats: np.ndarray) -> np.ndarray:
        # SCORE_ROWS candidates at a time: the hidden layer (rows x hidden float64) stays in the CPU cache
        # instead of ~100 MB per call for E. coli (6x faster; the same values, as BLAS sums each row alike)
        if len(feats) <= SCORE_ROWS:
            return block(feats)
        out = np.empty(len(feats))
        for a in range(0, len(feats), SCORE_ROWS):
            out[a:a + SCORE_ROWS] = block(feats[a:a + SCORE_ROWS])
        return out
    return score


def partial_as_complete(scorer):
    """``scorer`` (features -> (gene, start) log-odds) reading a partial candidate (one running off a sequence
    edge) as the complete gene of its length: its ``partial`` feature set to 0. Complete training genomes
    show almost no partial genes (the feature's spread there is ~0.005), so a 1 lies hundreds of spreads
    outside what the scorers learnt: cutting a tuning genome (B. melitensis) into 87 contigs cost 0.035 MCC
    with the feature read as is and 0.002 without it. Only the few partial rows are copied."""
    from genoview.core.genecalls import FEATURES

    column = FEATURES.index("partial")

    def score(feats):
        out = scorer(feats)
        rows = np.nonzero(feats[:, column] != 0)[0]
        if len(rows):
            complete = feats[rows].copy()
            complete[:, column] = 0.0
            again = scorer(complete)
            if isinstance(out, tuple):
                for whole, part in zip(out, again):
                    whole[rows] = part
            else:
                out[rows] = again
        return out
    return score


STATISTICS = ("coding", "codon_usage", "start_codon", "upstream", "scalars")


def adapted_statistics(config, array):
    """GenomeStatistics stored in an adapted model (``array(name)`` gives the numpy array "stats_<part>"), or None
    for a model that self-trains on each genome."""
    from genoview.core.genecalls import GenomeStatistics

    if not config.adapted_to:
        return None
    return GenomeStatistics.from_arrays({part: array(f"stats_{part}") for part in STATISTICS})


class GeneORFWeights:
    """What GeneORFTrackModel needs of a GeneORF model (``config``, ``scorer()``, ``stored_statistics()``,
    ``rna``), read from a model directory with safetensors and json alone."""

    def __init__(self, directory: str | Path):
        from safetensors.numpy import load_file

        self.directory = Path(directory)
        raw = json.loads((self.directory / "config.json").read_text(encoding="utf-8"))
        self.config = SimpleNamespace(**{**_CONFIG_DEFAULTS, **{k: raw[k] for k in _CONFIG_DEFAULTS if k in raw}})
        if self.config.overlap_rules is not None:   # a wrong value is named with its file now, not at decode time
            from genoview.core.errors import GenoViewInputError
            from genoview.core.genecalls import OverlapRules, overlap_rules_message

            try:
                OverlapRules.from_value(self.config.overlap_rules)
            except (TypeError, ValueError) as exc:
                raise GenoViewInputError(overlap_rules_message(exc, self.directory),
                                         self.directory / "config.json") from None
        self.tensors = load_file(str(self.directory / "model.safetensors"))
        self._rna = None
        self._threads: int | None = None

    def eval(self) -> "GeneORFWeights":
        return self

    def scorer(self):
        g, s = _numpy_scorer(self.tensors, "gene"), _numpy_scorer(self.tensors, "start")

        def score(feats):
            return g(feats), s(feats)
        out = partial_as_complete(score) if self.config.partial_as_complete else score
        out.start_background = float(self.config.start_background or 0.0)   # read by genecalls.self_train
        return out

    def stored_statistics(self):
        """The adapted genome's GenomeStatistics, or None for a model that self-trains on each genome."""
        return adapted_statistics(self.config, self.tensors.__getitem__)

    def defer_threads(self, threads: int) -> None:
        """torch's thread count for the RNA head, set when it is built (prediction's --threads)."""
        self._threads = threads

    @property
    def rna(self):
        """The RNA head (torch, CPU), built on first use (torch is imported then, not when the model loads)."""
        if self._rna is None:
            import torch

            from genoview.core.models.geneorf.rna_head import RNAHead

            if self._threads:
                torch.set_num_threads(self._threads)
            head = RNAHead(int(self.config.rna_channels), tuple(self.config.rna_dilations))
            state = {k[len("rna."):]: torch.from_numpy(v) for k, v in self.tensors.items() if k.startswith("rna.")}
            head.load_state_dict(state, strict=True)
            self._rna = head.eval()
        return self._rna

    def to_model(self):
        """The same model as a transformers GeneORFModel (for adaptation and training)."""
        from transformers import AutoModel

        from genoview.core.models.geneorf import register_auto_classes

        register_auto_classes()

        model = AutoModel.from_pretrained(str(self.directory), local_files_only=True)
        for key, value in vars(self.config).items():   # settings changed on this object (e.g. the genetic code)
            setattr(model.config, key, value)
        return model


_ALLOCATOR_TUNED = False


def keep_freed_memory_for_reuse(limit: int = 256 << 20) -> None:
    """Ask glibc's malloc to serve arrays below ``limit`` bytes from its heap and keep up to ``limit`` freed
    bytes for reuse (M_MMAP_THRESHOLD, M_TRIM_THRESHOLD, M_TOP_PAD): GeneORF allocates and frees many arrays
    of 10-50 MB, and by default each comes from a fresh mmap whose pages the kernel zeroes again (E. coli:
    about 1 s of system time, 0.4 s with this; peak memory unchanged). Once per process; no-op off glibc."""
    global _ALLOCATOR_TUNED
    if _ALLOCATOR_TUNED:
        return
    _ALLOCATOR_TUNED = True
    try:
        import ctypes
        import sys

        if not sys.platform.startswith("linux"):
            return
        libc = ctypes.CDLL("libc.so.6")
        m_trim_threshold, m_top_pad, m_mmap_threshold = -1, -2, -3
        libc.mallopt(m_mmap_threshold, limit)
        libc.mallopt(m_trim_threshold, limit)
        libc.mallopt(m_top_pad, 64 << 20)
    except (OSError, AttributeError):
        pass


def release_freed_memory() -> None:
    """Hand the heap's free pages back to the system (glibc malloc_trim): called between GeneORF's ORF work
    and its RNA head, so the freed arrays of the one do not add to the peak of the other."""
    try:
        import ctypes
        import sys

        if sys.platform.startswith("linux"):
            ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
