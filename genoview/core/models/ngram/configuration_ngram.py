"""Configuration of the Kneser-Ney nucleotide n-gram language model."""
from __future__ import annotations

from transformers import PretrainedConfig

MODEL_TYPE = "genoview-ngram-lm"


class NgramLmConfig(PretrainedConfig):
    """``order``: n (longest context n - 1 tokens, n <= 23); ``contexts``: the context lengths of the
    interpolation chain (default 0..n-1); ``reverse``: reads genes right to left; ``table_contexts``: levels up
    to this context length are stored as count tables, longer ones are counted at load from the stored
    training tokens (their tables would take tens of MB; the tokens take one byte each)."""

    model_type = MODEL_TYPE

    def __init__(self, order: int = 8, reverse: bool = False, discount_scale: float = 1.0,
                 contexts: list[int] | None = None, table_contexts: int | None = None,
                 smoothing: str = "interpolated-modified-kneser-ney", **kwargs):
        self.order = order
        self.contexts = list(contexts) if contexts is not None else list(range(order))
        self.table_contexts = order - 1 if table_contexts is None else table_contexts
        self.reverse = reverse
        self.discount_scale = discount_scale
        self.smoothing = smoothing
        super().__init__(**kwargs)
