"""Configuration of the Kneser-Ney nucleotide n-gram language model."""
from __future__ import annotations

from transformers import PretrainedConfig

MODEL_TYPE = "genoview-ngram-lm"


class NgramLmConfig(PretrainedConfig):
    """``order``: n (context of n - 1 tokens, n <= 23); ``reverse``: reads genes right to left;
    ``discount_scale``: the counts-of-counts discounts are multiplied by it (chosen on validation genes)."""

    model_type = MODEL_TYPE

    def __init__(self, order: int = 8, reverse: bool = False, discount_scale: float = 1.0,
                 smoothing: str = "interpolated-modified-kneser-ney", **kwargs):
        self.order = order
        self.reverse = reverse
        self.discount_scale = discount_scale
        self.smoothing = smoothing
        super().__init__(**kwargs)
