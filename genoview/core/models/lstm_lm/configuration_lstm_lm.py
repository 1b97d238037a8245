"""Configuration of the LSTM nucleotide language model (the study's recurrent model, sized for a CPU)."""
from __future__ import annotations

from transformers import PretrainedConfig

MODEL_TYPE = "genoview-lstm-lm"


class LstmLmConfig(PretrainedConfig):
    """An embedding of the tokens ``<ACGT>`` (+ padding), stacked LSTM layers and a 5-way head (A, C, G, T, end).

    ``reverse``: the model reads genes right to left (trained on reversed genes); scores are still given
    per position of the gene as written.
    """

    model_type = MODEL_TYPE

    def __init__(self, vocab_size: int = 7, n_outputs: int = 5, embedding_size: int = 64, hidden_size: int = 192,
                 num_layers: int = 2, dropout: float = 0.1, reverse: bool = False, **kwargs):
        self.vocab_size = vocab_size
        self.n_outputs = n_outputs
        self.embedding_size = embedding_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.dropout = dropout
        self.reverse = reverse
        super().__init__(**kwargs)
