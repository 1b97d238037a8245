"""k-mer BERT models (DNABERT layout) as GenoView gene tracks: build, load, save, predict per base.

A model directory is a plain Hugging Face BERT directory: ``config.json``, ``model.safetensors`` (or a
downloaded DNABERT's ``pytorch_model.bin``), DNABERT's ``vocab.txt``, ``tokenizer_config.json`` and,
for GenoView's own models, ``genoview.json``. The head says the task: BertForTokenClassification
labels every k-mer, BertForSequenceClassification labels windows, BertForMaskedLM is a pre-trained
language model that must be fine-tuned before it can draw a gene track.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from genoview.core.errors import GenoViewInputError
from genoview.core.genome import CODING_FRAME_CLASSES, CODING_FRAME_REVERSE
from genoview.core.models.base import TrackModel, fold_threshold
from genoview.core.models.kmer_bert.data import (
    reverse_complement_codes, token_probs_to_bases, window_probs_to_bases, window_starts,
)
from genoview.core.models.kmer_bert.tokenization_kmer import VOCAB_FILE, DNAKmerTokenizer, KmerVocab

ARCHITECTURE = "kmer-bert"
TASK_TOKENS = "token-classification"
TASK_WINDOWS = "window-classification"
TASK_MASKED_LM = "masked-lm"
HEADS = {
    "BertForTokenClassification": TASK_TOKENS,
    "BertForSequenceClassification": TASK_WINDOWS,
    "BertForMaskedLM": TASK_MASKED_LM,
    "BertForPreTraining": TASK_MASKED_LM,
}
DNABERT_WINDOW = 75  # the thesis fine-tuned DNABERT on 75-nt windows; used when a directory names none
TOKEN_CONTEXT = 64
FRAME_INPUTS_PER_CHUNK = 8  # BERT inputs per inference chunk when decoding reading frames
FRAME_EPSILON = 1e-3        # floor of the class probabilities in the frame decoder's log-odds
FRAME_WINDOW_CHOICES = (31, 61, 91, 121, 181)   # frame-decoder windows `genoview calibrate` tries


def build_config(vocab: KmerVocab, *, hidden_size: int = 128, num_layers: int = 4, num_heads: int = 4,
                 intermediate_size: int | None = None, max_tokens: int = 512, num_labels: int = 2,
                 dropout: float = 0.1, phase_types: bool = False):
    """A small BertConfig for a k-mer vocabulary (DNABERT uses 768/12/12; a CPU wants far less).

    With ``phase_types`` the token-type (segment) embeddings, unused by DNABERT, carry each token's codon
    phase (its position mod 3, see :func:`phase_type_ids`): three extra vectors let attention compare
    tokens in the same reading frame, which learned absolute positions find only slowly.
    """
    from transformers import BertConfig

    return BertConfig(vocab_size=len(vocab), hidden_size=hidden_size, num_hidden_layers=num_layers,
                      num_attention_heads=num_heads, intermediate_size=intermediate_size or 4 * hidden_size,
                      max_position_embeddings=max_tokens, pad_token_id=vocab.pad_id, num_labels=num_labels,
                      hidden_dropout_prob=dropout, attention_probs_dropout_prob=dropout,
                      type_vocab_size=3 if phase_types else 2, codon_phase_types=bool(phase_types))


def uses_phase_types(config) -> bool:
    """Whether a model's token types are codon phases (GenoView's ``codon_phase_types``; DNABERT: no)."""
    return bool(getattr(config, "codon_phase_types", False))


def phase_type_ids(input_ids):
    """Token-type ids of a (batch, tokens) id tensor: each position mod 3."""
    import torch

    return (torch.arange(input_ids.shape[-1], device=input_ids.device) % 3).expand_as(input_ids)


def with_phase_types(collate):
    """A collate function that also returns ``token_type_ids`` = codon phases."""
    def collate_with_phases(examples):
        batch = collate(examples)
        batch["token_type_ids"] = phase_type_ids(batch["input_ids"]).contiguous()
        return batch
    return collate_with_phases


def model_class(task: str):
    """The transformers class for a task."""
    import transformers

    names = {TASK_TOKENS: "BertForTokenClassification", TASK_WINDOWS: "BertForSequenceClassification",
             TASK_MASKED_LM: "BertForMaskedLM"}
    if task not in names:
        raise GenoViewInputError(f"unknown k-mer BERT task {task!r}; use one of {sorted(names)}")
    return getattr(transformers, names[task])


def read_metadata(path: str | Path) -> dict[str, Any]:
    """genoview.json of a model directory (ModelMetadata's layout), or {} for a directory downloaded elsewhere."""
    from genoview.core.models.metadata import ModelMetadata

    return ModelMetadata.load(path).to_dict() if ModelMetadata.exists(path) else {}


def is_kmer_bert_dir(path: str | Path) -> bool:
    """True for a BERT directory with a DNABERT k-mer vocab.txt (cheap: reads only small files)."""
    path = Path(path)
    config, vocab = path / "config.json", path / VOCAB_FILE
    if not (config.is_file() and vocab.is_file()):
        return False
    try:
        if json.loads(config.read_text(encoding="utf-8")).get("model_type", "bert") != "bert":
            return False
        lines = vocab.read_text(encoding="utf-8").split()
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return lines[:5] == ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] and len(lines) - 5 in (4 ** k for k in range(3, 7))


def detect_task(path: str | Path, config) -> str:
    """The head a directory was trained with, from config.json (genoview.json's task is the registry's Task,
    which does not tell token from window heads)."""
    for name in config.architectures or []:
        if name in HEADS:
            return HEADS[name]
    raise GenoViewInputError(f"config.json names no BERT head GenoView knows ({config.architectures}); "
                             f"expected one of {sorted(HEADS)}", Path(path) / "config.json")


def genic_probability(logits):
    """P(genic) = 1 - P(class 0) from (..., classes) logits (numpy or torch), for 2 or more classes.

    Class 0 is "non-genic" in GenoView's models and in the usual 2-label DNABERT heads; with GenoView's
    frame classes (``labels=frame``) every other class is genic.
    """
    import torch

    if isinstance(logits, torch.Tensor):
        return 1.0 - torch.softmax(logits.float(), dim=-1)[..., 0]
    logits = np.asarray(logits, dtype=np.float64)
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return 1.0 - shifted[..., 0] / shifted.sum(axis=-1)


def load_hf_model(path: str | Path, task: str | None = None, num_labels: int | None = None, **head):
    """(transformers model, KmerVocab, task) from a k-mer BERT directory, weights read without unpickling.

    ``task`` other than the directory's own starts a new head on its encoder (fine-tuning a pre-trained model);
    ``head`` (``id2label``, ``label2id``) names its classes.
    """
    from transformers import BertConfig

    path = Path(path)
    if not path.is_dir() or not (path / "config.json").is_file():
        raise GenoViewInputError("not a model directory: config.json is missing", path)
    if not (path / "model.safetensors").is_file() and not (path / "pytorch_model.bin").is_file():
        raise GenoViewInputError("no weights: expected model.safetensors or pytorch_model.bin", path)
    vocab = KmerVocab.from_file(path / VOCAB_FILE)
    config = BertConfig.from_pretrained(path, local_files_only=True)
    if config.vocab_size != len(vocab):
        raise GenoViewInputError(f"config.json says vocab_size {config.vocab_size}, but vocab.txt holds "
                                 f"{len(vocab)} tokens; they must come from the same model", path / "config.json")
    own_task = detect_task(path, config)
    task = task or own_task
    extra = {"num_labels": num_labels, **head} if num_labels else {}
    new_head = task != own_task or bool(num_labels and num_labels != config.num_labels)
    if task == own_task and new_head:  # same head type, other classes: a fresh head of the new size
        extra["ignore_mismatched_sizes"] = True
    from transformers.utils import logging as hf_logging

    verbosity, bars = hf_logging.get_verbosity(), hf_logging.is_progress_bar_enabled()
    if new_head:  # a new head on a pre-trained encoder: the missing/unused/resized weights are expected
        hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()  # loading takes a blink; callers show their own progress
    try:
        model = model_class(task).from_pretrained(path, local_files_only=True, weights_only=True, **extra)
    finally:
        hf_logging.set_verbosity(verbosity)
        if bars:
            hf_logging.enable_progress_bar()
    return model, vocab, task


def save_model_dir(model, vocab: KmerVocab, out_dir: str | Path, metadata: dict[str, Any]) -> Path:
    """Write a loadable directory: config.json, model.safetensors, vocab.txt, tokenizer_config.json, genoview.json."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out_dir, safe_serialization=True)
    vocab.write(out_dir / VOCAB_FILE)
    DNAKmerTokenizer(str(out_dir / VOCAB_FILE), model_max_length=model.config.max_position_embeddings) \
        .save_pretrained(out_dir)
    from genoview.core.models.metadata import ModelMetadata

    ModelMetadata().update(**metadata).save(out_dir)
    return out_dir


class KmerBertTrackModel(TrackModel):
    """A fine-tuned k-mer BERT as a gene track.

    Per-token models: each chunk (with ``context`` bases of flank a side) is one BERT input; each base gets
    the mean genic probability of the k-mers covering it. Window models slide ``window``-base windows
    with ``stride`` over the chunk; each base gets the mean probability of the windows covering it.
    ``threshold`` (chosen on validation data) is folded into the output so that 0.5 is the decision point.
    """

    settings_key = "kmer_bert"

    def __init__(self, model, vocab: KmerVocab, task: str, *, device: str = "cpu", window: int | None = None,
                 stride: int | None = None, threshold: float = 0.5, name: str = "kmer-bert",
                 path: Path | None = None, info: dict[str, Any] | None = None, frame_window: int | None = None,
                 both_strands: bool = False):
        if task not in (TASK_TOKENS, TASK_WINDOWS):
            raise GenoViewInputError(f"a {task} model draws no gene track; fine-tune it first", path)
        self.model = model.to(device).eval()
        self.vocab = vocab
        self.task = task
        self.device = device
        self.name = name
        self.path = path
        self.info = info or {}
        self.threshold = float(threshold)
        max_tokens = min(model.config.max_position_embeddings, 512) - 2
        self.frame_window = int(frame_window or 0)
        self.both_strands = bool(both_strands) and bool(self.frame_window)
        self.calibration_choices = {"frame_window": FRAME_WINDOW_CHOICES} if self.frame_window else {}
        if self.frame_window and (task != TASK_TOKENS or model.config.num_labels != len(CODING_FRAME_CLASSES)):
            raise GenoViewInputError(f"frame_window needs a per-token model with the {len(CODING_FRAME_CLASSES)} reading-frame "
                                     f"classes (labels=frame); this one has {model.config.num_labels}", path)
        if task == TASK_TOKENS:
            self.span = max_tokens + vocab.k - 1
            self.context = min(TOKEN_CONTEXT, self.span // 8)  # flank so every kept base sees context
            self.chunk_size = self.span - 2 * self.context
            self.default_batch_size = 16
            if self.frame_window:
                # several BERT inputs per chunk, plus half the decoding window of flank (see _frame_decoded)
                self.inner_context, self.n_tokens = self.context, max_tokens
                self.inner_keep = max_tokens - 2 * self.inner_context
                half = self.frame_window // 2
                self.chunk_size = FRAME_INPUTS_PER_CHUNK * self.inner_keep - 2 * half
                self.context = half + self.inner_context + vocab.k
                self.default_batch_size = 2
        else:
            self.window = int(window or DNABERT_WINDOW)
            self.stride = int(stride or max(1, self.window // 5))
            if not vocab.k <= self.window <= max_tokens + vocab.k - 1:
                raise GenoViewInputError(f"window {self.window} does not fit the model "
                                         f"({vocab.k}..{max_tokens + vocab.k - 1} bases)", path)
            self.context = self.window
            self.chunk_size = self.stride * max(1, 2048 // self.stride)
            self.default_batch_size = 4

    def predict_chunk(self, codes: np.ndarray) -> np.ndarray:
        codes = np.asarray(codes, dtype=np.uint8)
        if codes.ndim == 1:
            codes = codes[None]
        if codes.shape[1] != self.chunk_size + 2 * self.context:
            raise ValueError(f"chunks must hold {self.chunk_size + 2 * self.context} bases, not {codes.shape[1]}")
        if self.frame_window:
            probs = self._frame_decoded(codes)
        elif self.task == TASK_TOKENS:
            probs = token_probs_to_bases(self._genic_probs(self.vocab.with_specials(self.vocab.encode_codes(codes)),
                                                           per_token=True), self.vocab.k)
        else:
            probs = self._window_probs(codes)
        return self._apply_threshold(probs[:, self.context:self.context + self.chunk_size])

    def with_setting(self, name: str, value) -> "KmerBertTrackModel":
        if name not in ("frame_window", "both_strands", "threshold"):
            raise KeyError(name)
        settings = {"frame_window": self.frame_window, "both_strands": self.both_strands,
                    "threshold": self.threshold, name: value}
        return KmerBertTrackModel(self.model, self.vocab, self.task, device=self.device,
                                  window=getattr(self, "window", None), stride=getattr(self, "stride", None),
                                  name=self.name, path=self.path, info=self.info, **settings)

    def _frame_decoded(self, codes: np.ndarray) -> np.ndarray:
        """Genic probabilities of the chunk's bases from reading-frame-consistent evidence (frame models).

        Each token's 8 class probabilities belong to its k-mer's centre base. For each of the six reading
        frames (3 per strand) a base's evidence is the log-odds of the codon position that frame puts it at
        against non-genic, log((P(codon position) + e) / (P(non-genic) + e)) with e = 1e-3 (so one base adds
        at most about +-6.9); "genic, no CDS" (RNA genes) is a seventh track of evidence. Each is averaged over
        ``frame_window`` bases and the base gets the sigmoid of the best one: a frame called consistently
        along a gene adds up, scattered frame calls (the classifier's noise) do not. This is the per-frame
        log-likelihood window of classic gene finders (GeneMark's, over a codon model), here over the BERT's
        own frame calls. Returns the whole input's length (callers crop the chunk).
        """
        batch, length = codes.shape
        half = self.frame_window // 2
        needed = self.chunk_size + 2 * half
        classes = self._base_classes(codes)                      # bases context - half .. context + chunk + half
        if self.both_strands:   # the reverse complement read by the model, mapped back: + and - classes swap
            reverse = self._base_classes(reverse_complement_codes(codes))[:, ::-1]
            classes = 0.5 * (classes + reverse[..., CODING_FRAME_REVERSE])
        position = np.arange(needed)
        tracks = []   # class layout: genoview.core.genome.CODING_FRAME_CLASSES
        for r in range(3):
            tracks.append(classes[:, position, 2 + (position - r) % 3])    # + strand, codon position by frame r
            tracks.append(classes[:, position, 5 + (r - position) % 3])    # - strand (counted from its 5' end)
        tracks.append(classes[:, :, 1])
        evidence = np.log(np.stack(tracks, axis=1) + FRAME_EPSILON) - np.log(classes[:, None, :, 0] + FRAME_EPSILON)
        window = 2 * half + 1
        cumulative = np.concatenate([np.zeros(evidence.shape[:2] + (1,)), np.cumsum(evidence, axis=-1)], axis=-1)
        means = (cumulative[..., window:] - cumulative[..., :-window]) / window   # (batch, 7, chunk)
        out = np.zeros((batch, length), dtype=np.float32)
        out[:, self.context:self.context + self.chunk_size] = 1.0 / (1.0 + np.exp(-means.max(axis=1)))
        return out

    def _base_classes(self, codes: np.ndarray) -> np.ndarray:
        """(batch, chunk + frame_window - 1, 8) class probabilities of the bases the frame decoder reads,
        from ``FRAME_INPUTS_PER_CHUNK`` BERT inputs per row, each token's given to its k-mer's centre base."""
        batch = codes.shape[0]
        centre, half = (self.vocab.k - 1) // 2, self.frame_window // 2
        ids = self.vocab.encode_codes(np.ascontiguousarray(codes))      # (batch, length - k + 1)
        first = self.context - half - centre                      # token whose centre is the first base needed
        starts = first - self.inner_context + self.inner_keep * np.arange(FRAME_INPUTS_PER_CHUNK)
        inputs = np.stack([ids[:, s:s + self.n_tokens] for s in starts], axis=1).reshape(-1, self.n_tokens)
        probs = self._class_probs(self.vocab.with_specials(inputs))          # (batch * inputs, n_tokens, 8)
        kept = probs[:, self.inner_context:self.inner_context + self.inner_keep]
        return kept.reshape(batch, self.chunk_size + 2 * half, -1)

    def _class_probs(self, ids: np.ndarray) -> np.ndarray:
        """(inputs, tokens, classes) softmax probabilities of the per-token head, [CLS]/[SEP] dropped."""
        import torch

        with torch.inference_mode():
            input_ids = torch.from_numpy(ids).to(self.device)
            types = phase_type_ids(input_ids) if uses_phase_types(self.model.config) else None
            logits = self.model(input_ids=input_ids, token_type_ids=types).logits.float()[:, 1:-1]
            return torch.softmax(logits, dim=-1).cpu().numpy().astype(np.float64)

    def _window_probs(self, codes: np.ndarray) -> np.ndarray:
        batch, length = codes.shape
        starts = window_starts(length, self.window, self.stride)
        ids = self.vocab.encode_codes(codes)
        n_tokens = self.window - self.vocab.k + 1
        windows = np.stack([ids[:, s:s + n_tokens] for s in starts], axis=1).reshape(-1, n_tokens)
        flat = np.concatenate([self._genic_probs(self.vocab.with_specials(part), per_token=False)
                               for part in np.array_split(windows, max(1, len(windows) // 256))])
        return window_probs_to_bases(flat.reshape(batch, len(starts)), starts, self.window, length)

    def _genic_probs(self, ids: np.ndarray, per_token: bool) -> np.ndarray:
        import torch

        with torch.inference_mode():
            input_ids = torch.from_numpy(ids).to(self.device)
            types = phase_type_ids(input_ids) if uses_phase_types(self.model.config) else None
            logits = self.model(input_ids=input_ids, token_type_ids=types).logits.float()
            if per_token:
                logits = logits[:, 1:-1]
            return genic_probability(logits).cpu().numpy()

    def _apply_threshold(self, probs: np.ndarray) -> np.ndarray:
        """Shift log-odds so ``threshold`` maps to 0.5 (monotone: ranking metrics are unchanged)."""
        return fold_threshold(probs, self.threshold)


def load_track_model(path: str | Path, device: str = "cpu") -> KmerBertTrackModel:
    """Load a k-mer BERT directory (GenoView's or a downloaded DNABERT one) as a gene track."""
    path = Path(path)
    model, vocab, task = load_hf_model(path)
    if task == TASK_MASKED_LM:
        raise GenoViewInputError(
            "this is a pre-trained k-mer language model (masked LM) without a gene head; fine-tune it first: "
            f"genoview train --architecture {ARCHITECTURE} --stage finetune --init {path} ...", path)
    info = read_metadata(path)
    settings = info.get("kmer_bert", {})
    return KmerBertTrackModel(model, vocab, task, device=device, window=settings.get("window"),
                              stride=settings.get("stride"), threshold=settings.get("threshold", 0.5),
                              name=info.get("name", path.name), path=path, info=info,
                              frame_window=settings.get("frame_window"),
                              both_strands=settings.get("both_strands", False))
