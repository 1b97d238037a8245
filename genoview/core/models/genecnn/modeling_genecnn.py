"""GeneCNN: per-nucleotide gene probabilities from reading-frame features and a small dilated CNN."""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn
from transformers import PreTrainedModel
from transformers.utils import ModelOutput

from genoview.core.models.genecnn.configuration_genecnn import GeneCNNConfig
from genoview.core.models.genecnn.features import N_HEXAMER
from genoview.core.models.genecnn.network import GeneCNNLayers, ResidualBlock, masked_bce  # noqa: F401

IGNORE_LABEL = -100.0


@dataclass
class GeneCNNOutput(ModelOutput):
    """``logits``: (batch, length) genic logit per base; ``loss`` when labels were given."""

    loss: torch.Tensor | None = None
    logits: torch.Tensor | None = None


class GeneCNNModel(GeneCNNLayers, PreTrainedModel):
    """Reading-frame features (no grad except the learned hexamer scores) -> residual dilated CNN -> logits.

    ``inputs`` is a 1x1 convolution over the channels of
    :func:`~genoview.core.models.genecnn.features.frame_features`; :meth:`project_features` computes the
    same thing without building that wide tensor (each strand's features are projected once, then
    shifted into place for the three codon positions).
    """

    config_class = GeneCNNConfig
    base_model_prefix = "genecnn"
    main_input_name = "input_ids"

    def __init__(self, config: GeneCNNConfig):
        super().__init__(config)
        self.build_layers(config)
        self.post_init()

    def _init_weights(self, module: nn.Module) -> None:
        if module is getattr(self, "hexamer_scores", None):
            nn.init.normal_(module.weight, std=0.01)
            with torch.no_grad():
                module.weight[N_HEXAMER].zero_()

    def forward(self, input_ids: torch.Tensor | None = None, labels: torch.Tensor | None = None,
                features: torch.Tensor | None = None, **unused) -> GeneCNNOutput:
        """input_ids: (batch, length) base codes A0 C1 G2 T3 N4; labels: 0/1 per base, -100 = ignore.

        ``features`` (batch, length, n) from :meth:`feature_matrix` may replace ``input_ids`` (training
        with fixed dicodon scores reuses features computed once).
        """
        logits = self.compute_logits(input_ids, features)
        loss = masked_bce(logits, labels) if labels is not None else None
        return GeneCNNOutput(loss=loss, logits=logits)
