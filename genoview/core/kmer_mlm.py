"""The k-mer BERT as a language model (masked-LM pseudo-log-likelihood) and its attention view.

DNABERT reads overlapping k-mers, so one base is hidden only when all k tokens containing it are masked.
:class:`KmerMlmLM` scores base i by masking those tokens and reading each masked token's predicted k-mer
distribution at the offset of base i (the k marginals are averaged, a mixture). Bases 2k + 1 apart are
scored in the same pass (their masked spans never touch), so a gene costs 2k + 1 passes per window, not n.
Sequences longer than the model's positions are read in overlapping windows; each base is scored in the
window where it sits most centrally.

The end-of-gene slot of :meth:`token_logprobs` (a masked LM does not predict the end) holds the mean of the
gene's base scores, so its perplexity is the per-base pseudo-perplexity.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from genoview.core.errors import GenoViewInputError
from genoview.core.jobs import ensure_cancel, ensure_progress
from genoview.core.lm import LanguageModel
from genoview.core.lm_data import strip_markers

MLM_HEAD_KEY = "cls.predictions.transform.dense.weight"


def has_mlm_head(directory: str | Path) -> bool:
    """True when the directory's weights hold a trained masked-LM head (fine-tuned gene models drop it)."""
    from safetensors import safe_open

    path = Path(directory) / "model.safetensors"
    if not path.is_file():
        return False
    with safe_open(str(path), "np") as handle:
        return MLM_HEAD_KEY in handle.keys()


def _windows(n_tokens: int, width: int, step: int) -> list[tuple[int, int]]:
    if n_tokens <= width:
        return [(0, n_tokens)]
    starts = list(range(0, n_tokens - width, step)) + [n_tokens - width]
    return [(s, s + width) for s in starts]


class KmerMlmLM(LanguageModel):
    """Pseudo-log-likelihood of a k-mer BERT with a masked-LM head (``network``: BertForMaskedLM)."""

    causal = False

    def __init__(self, network, vocab, name: str = "kmer-bert", info: dict | None = None, device: str = "cpu"):
        import torch

        self.network = network.eval()
        self.vocab = vocab
        self.k = vocab.k
        self.name = name
        self.info = dict(info or {})
        self.device = device
        self.max_tokens = int(network.config.max_position_embeddings) - 2
        # base at each offset of each vocabulary k-mer: (k, 4, vocab) 0/1 matrices for the marginals
        letters = np.zeros((self.k, 4, len(vocab.tokens)), dtype=np.float32)
        for token, index in vocab.ids.items():
            if len(token) == self.k and set(token) <= set("ACGT"):
                for offset, base in enumerate(token):
                    letters[offset, "ACGT".index(base), index] = 1.0
        self.letters = torch.from_numpy(letters).to(device)

    def base_logprobs(self, bases: str) -> np.ndarray:
        """log P(base i | the rest), one per base (natural log)."""
        from genoview.core.models.kmer_bert.tokenization_kmer import codes_from_text

        marginals = self.masked_marginals(bases)
        codes = codes_from_text(bases)
        return marginals[np.arange(len(codes)), np.minimum(codes, 3)]

    def masked_marginals(self, bases: str) -> np.ndarray:
        """(n, 4) log P(base i = A/C/G/T | the rest, base i masked): the masked-marginal scores of DNA LMs."""
        import torch

        from genoview.core.models.kmer_bert.tokenization_kmer import codes_from_text

        codes = codes_from_text(bases)
        n, k = len(codes), self.k
        if n < k:
            return np.full((n, 4), np.log(0.25))
        ids = self.vocab.encode_codes(codes)
        n_tokens = ids.size
        width = min(self.max_tokens, n_tokens)
        windows = _windows(n_tokens, width, max(1, width - 4 * k))
        centres = np.array([(a + b - 1) / 2 for a, b in windows])
        # each base's own window: the one whose centre is nearest its tokens' centre
        base_centre = np.clip(np.arange(n) - (k - 1) / 2, 0, n_tokens - 1)
        owner = np.abs(base_centre[:, None] - centres[None, :]).argmin(axis=1)
        out = np.full((n, 4), np.nan)
        stride = 2 * k + 1
        with torch.inference_mode():
            for w, (a, b) in enumerate(windows):
                mine = np.flatnonzero(owner == w)
                if mine.size == 0:
                    continue
                rows, targets = [], []
                for phase in range(stride):
                    chosen = mine[mine % stride == phase]
                    if chosen.size == 0:
                        continue
                    masked = ids[a:b].copy()
                    for i in chosen:
                        lo, hi = max(i - k + 1, a), min(i, b - 1)
                        masked[lo - a:hi - a + 1] = self.vocab.mask_id
                    rows.append(self.vocab.with_specials(masked))
                    targets.append(chosen)
                batch = torch.from_numpy(np.stack(rows)).to(self.device)
                probs = torch.softmax(self.network(input_ids=batch).logits.float(), dim=-1)   # (r, T+2, V)
                for r, chosen in enumerate(targets):
                    for i in chosen:
                        lo, hi = max(i - k + 1, a), min(i, b - 1)
                        toks = np.arange(lo, hi + 1)
                        p = probs[r, toks - a + 1]                                   # (m, V)
                        offsets = torch.from_numpy(i - toks).to(self.device)
                        marg = torch.einsum("mv,mbv->mb", p, self.letters[offsets])  # (m, 4)
                        marg = marg / marg.sum(dim=1, keepdim=True).clamp(min=1e-12)
                        out[i] = torch.log(marg.mean(dim=0).clamp(min=1e-12)).double().cpu().numpy()
        return out

    def token_logprobs(self, genes, progress=None, cancel=None):
        progress, cancel = ensure_progress(progress), ensure_cancel(cancel)
        out = []
        for j, gene in enumerate(genes):
            cancel.check()
            lp = self.base_logprobs(strip_markers(gene))
            out.append(np.concatenate([lp, [lp.mean() if lp.size else 0.0]]))
            progress((j + 1) / len(genes), None)
        return out


def load_kmer_mlm(directory: str | Path, device: str = "cpu") -> KmerMlmLM:
    """A k-mer BERT directory as a pseudo-log-likelihood scorer; its weights must include the masked-LM head."""
    from genoview.core.models import load_model
    from genoview.core.models.registry import Task

    directory = Path(directory)
    if not has_mlm_head(directory):
        raise GenoViewInputError(
            "this k-mer BERT has no masked-LM head (fine-tuning for genes replaced it with a classifier), so it "
            "cannot score sequences; use a model with the head, e.g. kmer-bert-ecoli-mlm", directory)
    loaded = load_model(directory, task=Task.MASKED_LANGUAGE_MODEL, device=device)
    return KmerMlmLM(loaded.network, loaded.tokenizer, name=directory.name, info=loaded.info, device=device)


def attention_received(network, vocab, sequence: str, layer: int = -1, device: str = "cpu") -> np.ndarray:
    """Per-nucleotide attention received (DNABERT's view): one layer's attention, averaged over heads, summed
    over the attending tokens ([CLS]/[SEP] left out), each token's value spread over its k bases (mean)."""
    import torch

    from genoview.core.models.kmer_bert.tokenization_kmer import codes_from_text

    codes = codes_from_text(strip_markers(sequence))
    k = vocab.k
    ids = vocab.encode_codes(codes)
    if ids.size == 0:
        return np.zeros(len(codes))
    width = min(int(network.config.max_position_embeddings) - 2, ids.size)
    received = np.zeros(ids.size)
    weight = np.zeros(ids.size)
    if hasattr(network, "set_attn_implementation"):   # fused attention kernels do not return the weights
        try:
            network.set_attn_implementation("eager")
        except (ValueError, TypeError):
            pass
    layers = int(network.config.num_hidden_layers)
    if not -layers <= layer < layers:
        raise GenoViewInputError(f"layer {layer} does not exist; the model has layers 0..{layers - 1}")
    with torch.inference_mode():
        for a, b in _windows(ids.size, width, max(1, width // 2)):
            batch = torch.from_numpy(vocab.with_specials(ids[a:b])[None, :]).to(device)
            try:
                out = network(input_ids=batch, output_attentions=True)
            except TypeError:
                out = network(input_ids=batch)
            attentions = getattr(out, "attentions", None)
            if not attentions:
                raise GenoViewInputError("this model does not return attention weights")
            att = attentions[layer][0].float().mean(dim=0).cpu().numpy()     # (T+2, T+2) after head mean
            col = att[1:-1, 1:-1].sum(axis=0)
            received[a:b] += col
            weight[a:b] += 1
    received /= np.maximum(weight, 1)
    per_base = np.zeros(len(codes))
    cover = np.zeros(len(codes))
    for offset in range(k):
        per_base[offset:offset + ids.size] += received
        cover[offset:offset + ids.size] += 1
    return per_base / np.maximum(cover, 1)


def load_attention_network(name_or_dir: str | Path, device: str = "cpu"):
    """(network, vocab) of any k-mer BERT directory (any head) for :func:`attention_received`."""
    from genoview.core.models import resolve_model_dir
    from genoview.core.models.kmer_bert import is_kmer_bert_dir, load_hf_model

    directory = resolve_model_dir(name_or_dir)
    if directory is None or not is_kmer_bert_dir(directory):
        raise GenoViewInputError(f"{name_or_dir} is not a k-mer BERT model; the attention view needs one "
                                 "(e.g. kmer-bert-ecoli)")
    network, vocab, _ = load_hf_model(directory)
    return network.to(device).eval(), vocab


def fit_mlm_head(source_dir: str | Path, fasta: str | Path, out_dir: str | Path, *, frac_to: float = 0.7,
                 steps: int = 400, batch_size: int = 16, lr: float = 3e-3, seed: int = 0, log=print) -> dict:
    """Give a fine-tuned k-mer BERT (whose masked-LM head was replaced by a classifier) a masked-LM head again:
    the encoder stays frozen, the head (transform + bias; the decoder is tied to the token embeddings) is
    trained on masked k-mer spans of windows from the first ``frac_to`` of the genome. Writes a BertForMaskedLM
    directory; returns the training record (loss and masked-token accuracy on held-back windows)."""
    import torch
    from transformers import BertForMaskedLM

    from genoview.core.genome import open_genome, split_bounds
    from genoview.core.models.kmer_bert import load_hf_model, save_model_dir
    from genoview.core.models.kmer_bert.modeling import TASK_MASKED_LM

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    source, vocab, _ = load_hf_model(source_dir)
    mlm = BertForMaskedLM(source.config)
    mlm.bert.load_state_dict(source.bert.state_dict(), strict=False)
    mlm.tie_weights()
    for p in mlm.bert.parameters():
        p.requires_grad_(False)
    head = [p for p in mlm.cls.parameters() if p.requires_grad and p.data_ptr() != mlm.bert.embeddings.word_embeddings.weight.data_ptr()]
    optimizer = torch.optim.AdamW(head, lr=lr, weight_decay=0.0)
    genome = open_genome(fasta)
    record = next(iter(genome.sequences.values()))
    lo, hi = split_bounds(record.length, 0.0, frac_to)
    from genoview.core.genome import encode

    codes = encode(record.fetch(lo, hi))
    width = int(source.config.max_position_embeddings) - 2 + vocab.k - 1
    k = vocab.k

    def batch(n, held_back=False):
        # held-back windows come from the last tenth of the training part
        top = len(codes) - width
        starts = rng.integers(int(top * 0.9), top, n) if held_back else rng.integers(0, int(top * 0.9), n)
        ids = np.stack([vocab.encode_codes(codes[s:s + width]) for s in starts])
        labels = np.full(ids.shape, -100)
        masked = ids.copy()
        for row in range(n):
            centres = rng.choice(ids.shape[1], size=max(1, int(0.025 * ids.shape[1])), replace=False)
            for c in centres:
                a, b = max(0, c - k // 2), min(ids.shape[1], c - k // 2 + k)
                labels[row, a:b] = ids[row, a:b]
                masked[row, a:b] = vocab.mask_id
        pad = np.full((n, 1), -100)
        return (torch.from_numpy(vocab.with_specials(masked)), torch.from_numpy(np.concatenate([pad, labels, pad], 1)))

    def head_loss(inputs, labels):
        # the frozen encoder once without gradients; the head only at masked positions (the 4k-way softmax is
        # most of the cost)
        with torch.no_grad():
            hidden = mlm.bert(input_ids=inputs).last_hidden_state
        mask = labels >= 0
        logits = mlm.cls(hidden[mask])
        return torch.nn.functional.cross_entropy(logits, labels[mask]), logits, labels[mask]

    mlm.train()
    history = []
    for step in range(1, steps + 1):
        inputs, labels = batch(batch_size)
        loss, _, _ = head_loss(inputs, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step % 50 == 0 or step == steps:
            mlm.eval()
            with torch.inference_mode():
                inputs, labels = batch(32, held_back=True)
                held_loss, logits, targets = head_loss(inputs, labels)
                acc = float((logits.argmax(-1) == targets).float().mean())
            mlm.train()
            history.append({"step": step, "train_loss": round(loss.item(), 4), "held_back_loss": round(float(held_loss), 4),
                            "held_back_kmer_accuracy": round(acc, 4)})
            log(json.dumps(history[-1]))
    mlm.eval()
    save_model_dir(mlm, vocab, out_dir, {"task": "masked-language-model", "architecture": "kmer-bert"})
    return {"history": history, "steps": steps, "batch_size": batch_size, "lr": lr, "seed": seed,
            "frozen": "encoder (from the fine-tuned model)", "trained": "masked-LM head (transform + bias)",
            "masking": "2.5% of token positions as centres of k-token masked spans", "task_name": TASK_MASKED_LM}


if __name__ == "__main__":   # python -m genoview.core.kmer_mlm SOURCE_DIR FASTA OUT_DIR [STEPS]
    import json
    import sys

    args = sys.argv[1:]
    record = fit_mlm_head(args[0], args[1], args[2], steps=int(args[3]) if len(args) > 3 else 400)
    print(json.dumps(record)[:2000])
