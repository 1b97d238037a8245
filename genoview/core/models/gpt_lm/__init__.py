"""Small GPT-2-style causal transformer over nucleotides (task ``language-model``): transformers'
``GPT2LMHeadModel`` with a 7-token vocabulary (``<ACGT>`` + padding, :mod:`..tokenization_nt`).
Scores use the five predictable tokens (A, C, G, T, end), renormalised."""
from __future__ import annotations

from pathlib import Path

__all__ = ["build", "load", "CausalGpt"]


def _module_class():
    import torch.nn.functional as F
    from torch import nn
    from transformers import GPT2LMHeadModel

    class CausalGpt(nn.Module):
        """GPT2LMHeadModel -> log-probabilities over (A, C, G, T, end); ``labels`` -> mean cross-entropy."""

        def __init__(self, gpt: GPT2LMHeadModel):
            super().__init__()
            self.gpt = gpt
            self.config = gpt.config

        def forward(self, input_ids, labels=None):
            n = int(self.config.n_positions)
            if labels is None and input_ids.shape[1] > n:
                # longer than the position table: sliding windows, each base read with at least n/2 of context
                import torch

                stride, length = n // 2, input_ids.shape[1]
                parts, end = [self.forward(input_ids[:, :n])], n
                while end < length:
                    new_end = min(end + stride, length)
                    parts.append(self.forward(input_ids[:, new_end - n:new_end])[:, n - (new_end - end):])
                    end = new_end
                return torch.cat(parts, dim=1)
            pad = self.config.pad_token_id
            mask = (input_ids != pad).long()
            logits = self.gpt(input_ids=input_ids, attention_mask=mask).logits[..., 1:6]
            if labels is None:
                return F.log_softmax(logits, dim=-1)
            return F.cross_entropy(logits.reshape(-1, 5), labels.reshape(-1), ignore_index=-100)

        def save_pretrained(self, directory, **kwargs):
            from genoview.core.models.tokenization_nt import NucleotideTokenizer

            self.gpt.save_pretrained(directory, **kwargs)
            NucleotideTokenizer().save_pretrained(directory)

    return CausalGpt


def build(reverse: bool = False, n_embd: int = 128, n_layer: int = 4, n_head: int = 4, n_positions: int = 1024,
          dropout: float = 0.1, **kwargs):
    from transformers import GPT2Config, GPT2LMHeadModel

    config = GPT2Config(vocab_size=7, n_positions=n_positions, n_embd=n_embd, n_layer=n_layer, n_head=n_head,
                        resid_pdrop=dropout, embd_pdrop=dropout, attn_pdrop=dropout, bos_token_id=0,
                        eos_token_id=5, pad_token_id=6, **kwargs)
    config.genoview_reverse = bool(reverse)
    return _module_class()(GPT2LMHeadModel(config))


def load(directory: str | Path, *, device: str = "cpu", task=None):
    from transformers import GPT2LMHeadModel

    from genoview.core.lm import TorchCausalLM
    from genoview.core.lm_models import read_info

    directory = Path(directory)
    gpt = GPT2LMHeadModel.from_pretrained(directory, local_files_only=True).to(device)
    module = _module_class()(gpt)
    return TorchCausalLM(module, name=directory.name, info=read_info(directory), device=device,
                         reverse=bool(getattr(gpt.config, "genoview_reverse", False)), max_tokens=32768)
