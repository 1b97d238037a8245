"""Configuration of GeneCNN, the fast default per-nucleotide gene model."""
from __future__ import annotations

from transformers import PretrainedConfig

from genoview.core.models.genecnn.shape import receptive_radius, tiling

MODEL_TYPE = "genoview-genecnn"


class GeneCNNConfig(PretrainedConfig):
    """Shape of a GeneCNN: reading-frame features, then a residual dilated 1-D CNN with one logit per base.

    ``orf_reach``: how far (bases) the reading-frame features look up- and downstream of a base.
    ``context`` and ``chunk_size`` tell inference how to tile: each chunk is predicted with ``context``
    bases of flank on both sides; it is at least ``orf_reach`` plus the CNN's receptive radius, so every
    base is predicted exactly as if the whole sequence had been seen at once.
    ``rna_kmer_count`` k-mers of ``rna_kmer_size`` bases from known RNA genes (rna_memory.py) are kept
    in the weights; bases they cover are called genic.
    With ``downsample`` s > 1 the residual blocks run on s-base averages (s times fewer operations) and
    their output is added back to the per-base projection of the features before the per-base head.
    """

    model_type = MODEL_TYPE

    def __init__(self, hidden_size: int = 32, dilations: list[int] | None = None, kernel_size: int = 3,
                 separable: bool = False, score_dims: int = 2, downsample: int = 1, orf_reach: int = 2000,
                 context: int | None = None, chunk_size: int = 30000, rna_kmer_size: int = 24,
                 rna_kmer_count: int = 0, **kwargs):
        self.hidden_size = hidden_size
        self.dilations = list(dilations) if dilations is not None else [1, 3, 9, 27, 81, 1, 3, 9]
        self.kernel_size = kernel_size
        self.separable = separable
        self.score_dims = score_dims
        self.downsample = downsample
        self.orf_reach = orf_reach
        self.rna_kmer_size = rna_kmer_size
        self.rna_kmer_count = rna_kmer_count
        # pooled blocks see whole s-base cells: keep tiles on the cell grid by using multiples of s (shape.tiling,
        # which the prediction network's reader and the training wizard's window count use too)
        self.context, self.chunk_size = tiling(orf_reach, self.dilations, kernel_size, downsample, context, chunk_size)
        super().__init__(**kwargs)

    def receptive_radius(self) -> int:
        """Bases on each side the CNN blocks reach beyond a base's own features."""
        return receptive_radius(self.dilations, self.kernel_size, self.downsample)
