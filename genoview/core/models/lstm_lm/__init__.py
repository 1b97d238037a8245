"""LSTM nucleotide language model (task ``language-model``): ``load(directory, device=..., task=...)`` gives a
:class:`~genoview.core.lm.LanguageModel`."""
from __future__ import annotations

from pathlib import Path

from genoview.core.models.lstm_lm.configuration_lstm_lm import MODEL_TYPE, LstmLmConfig

__all__ = ["MODEL_TYPE", "LstmLmConfig", "load", "build"]


def build(**config):
    """A new, untrained LSTM LM module."""
    from genoview.core.models.lstm_lm.modeling_lstm_lm import LstmLmModel

    return LstmLmModel(LstmLmConfig(**config))


def load(directory: str | Path, *, device: str = "cpu", task=None):
    from genoview.core.lm import TorchCausalLM
    from genoview.core.lm_models import read_info
    from genoview.core.models.lstm_lm.modeling_lstm_lm import LstmLmModel

    directory = Path(directory)
    module = LstmLmModel.from_pretrained(directory, local_files_only=True).to(device)
    return TorchCausalLM(module, name=directory.name, info=read_info(directory), device=device,
                         reverse=module.config.reverse, max_tokens=8192)   # small batches: 1.5x faster on CPU
