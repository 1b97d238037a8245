"""LSTM language model over nucleotides: next-token log-probabilities for every base and the end marker."""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn
from transformers import PreTrainedModel

from genoview.core.models.lstm_lm.configuration_lstm_lm import LstmLmConfig


class LstmLmModel(PreTrainedModel):
    """tokens (batch, length) codes of ``<ACGT>``/pad -> log-probabilities (batch, length, 5) of the next token."""

    config_class = LstmLmConfig
    base_model_prefix = "lstm_lm"
    main_input_name = "input_ids"

    def __init__(self, config: LstmLmConfig):
        super().__init__(config)
        self.embedding = nn.Embedding(config.vocab_size, config.embedding_size)
        self.lstm = nn.LSTM(config.embedding_size, config.hidden_size, config.num_layers, batch_first=True,
                            dropout=config.dropout if config.num_layers > 1 else 0.0)
        self.drop = nn.Dropout(config.dropout)
        self.head = nn.Linear(config.hidden_size, config.n_outputs)
        self.post_init()

    def _init_weights(self, module):
        if isinstance(module, nn.Linear):
            nn.init.normal_(module.weight, std=0.02)
            nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            nn.init.normal_(module.weight, std=0.1)

    def forward(self, input_ids: torch.Tensor, labels: torch.Tensor | None = None):
        hidden, _ = self.lstm(self.embedding(input_ids))
        logits = self.head(self.drop(hidden))
        if labels is None:
            return F.log_softmax(logits, dim=-1)
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=-100)
