"""GeneORF's learnt parts: the gene scorer (an MLP over self-trained candidate features) and the RNA head."""
from __future__ import annotations

import numpy as np
import torch
from torch import nn
from transformers import PreTrainedModel

from genoview.core.models.geneorf.configuration_geneorf import GeneORFConfig


class GeneScorer(nn.Module):
    """Log-odds that a candidate ORF (start to stop) is a gene, from genecalls.FEATURES."""

    def __init__(self, n_features: int, hidden: int = 32):
        super().__init__()
        self.register_buffer("mean", torch.zeros(n_features))
        self.register_buffer("std", torch.ones(n_features))
        self.hidden = nn.Linear(n_features, hidden)
        self.out = nn.Linear(hidden, 1)
        self.register_buffer("offset", torch.zeros(1))   # decision shift chosen on tuning genomes

    def set_normalisation(self, mean, std) -> None:
        self.mean.copy_(mean)
        self.std.copy_(std)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = torch.relu(self.hidden((x - self.mean) / self.std))
        return self.out(h).squeeze(-1) + self.offset

    def numpy_scorer(self):
        """A numpy callable with the same output (prediction needs no autograd and stays light)."""
        mean, std = self.mean.detach().numpy().astype(np.float64), self.std.detach().numpy().astype(np.float64)
        w1, b1 = self.hidden.weight.detach().numpy().T.astype(np.float64), self.hidden.bias.detach().numpy()
        w2, b2 = self.out.weight.detach().numpy()[0].astype(np.float64), float(self.out.bias.detach()[0])
        offset = float(self.offset[0])

        def score(feats: np.ndarray) -> np.ndarray:
            h = np.maximum(((feats - mean) / std) @ w1 + b1, 0.0)
            return h @ w2 + b2 + offset
        return score


class GeneORFModel(PreTrainedModel):
    """The learnt parts of GeneORF in one Hugging Face model (safetensors): gene scorer, start scorer,
    RNA head, and, for a model adapted to one genome, that genome's statistics."""

    config_class = GeneORFConfig
    base_model_prefix = "geneorf"

    def __init__(self, config: GeneORFConfig):
        super().__init__(config)
        from genoview.core.genecalls import CONTEXT, N_HEX
        from genoview.core.models.geneorf.rna_head import RNAHead

        self.gene = GeneScorer(config.n_features, config.hidden)
        self.start = GeneScorer(config.n_features, config.hidden)
        self.rna = RNAHead(config.rna_channels, tuple(config.rna_dilations))
        self.register_buffer("stats_coding", torch.zeros(N_HEX + 1))
        self.register_buffer("stats_codon_usage", torch.zeros(65))
        self.register_buffer("stats_start_codon", torch.zeros(4))
        self.register_buffer("stats_upstream", torch.zeros(len(CONTEXT), 5))
        self.register_buffer("stats_scalars", torch.zeros(4))
        self.post_init()

    def _init_weights(self, module):   # weights come from training or the checkpoint
        pass

    def scorer(self):
        g, s = self.gene.numpy_scorer(), self.start.numpy_scorer()

        def score(feats):
            return g(feats), s(feats)
        out = score
        if getattr(self.config, "partial_as_complete", False):
            from genoview.core.models.geneorf.weights import partial_as_complete

            out = partial_as_complete(score)
        out.start_background = float(getattr(self.config, "start_background", 0.0) or 0.0)   # genecalls.self_train
        return out

    def stored_statistics(self):
        """The adapted genome's GenomeStatistics, or None for a model that self-trains on each genome."""
        from genoview.core.models.geneorf.weights import adapted_statistics

        return adapted_statistics(self.config, lambda name: getattr(self, name).numpy())

    def store_statistics(self, stats, genome_name: str) -> None:
        arrays = stats.to_arrays()
        with torch.no_grad():
            self.stats_coding.copy_(torch.from_numpy(arrays["coding"]))
            self.stats_codon_usage.copy_(torch.from_numpy(arrays["codon_usage"]))
            self.stats_start_codon.copy_(torch.from_numpy(arrays["start_codon"]))
            self.stats_upstream.copy_(torch.from_numpy(arrays["upstream"]))
            self.stats_scalars.copy_(torch.from_numpy(arrays["scalars"]))
        self.config.adapted_to = genome_name
