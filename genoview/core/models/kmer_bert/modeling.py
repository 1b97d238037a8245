"""k-mer BERT models (DNABERT layout) as GenoView gene tracks: build, load, save, predict per base.

A model directory is a plain Hugging Face BERT directory: ``config.json``, ``model.safetensors`` (or a
downloaded DNABERT's ``pytorch_model.bin``), DNABERT's ``vocab.txt``, ``tokenizer_config.json`` and,
for GenoView's own models, ``genoview.json``. The head says the task: BertForTokenClassification
labels every k-mer, BertForSequenceClassification labels windows, BertForMaskedLM is a pre-trained
language model that must be fine-tuned before it can draw a gene track.
"""
from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import numpy as np

from genoview.core.errors import GenoViewInputError
from genoview.core.genome import CODING_FRAME_CLASSES, CODING_FRAME_REVERSE
from genoview.core.models.base import TrackModel, fold_threshold
from genoview.core.models.registry import MODEL_TYPES
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
RULE_SAMPLE_BASES = 300_000      # bases a per-genome threshold rule decodes (spread over the genome)
GENETIC_CODE_MAX_BASES = 30_000_000   # genomes up to this size are read whole to detect genetic code 4
ORF_GENOME_MAX_BASES = 16_000_000     # the ORF decoder reads a genome up to this size whole (else one record)
# this process's last ORF-decoder calls: (model folder, decoder settings) -> {genome key: (calls by seqid, code)}
# (one genome): another load of the same model (the GUI's gene-calls row) finds the genes the prediction made.
# GUI worker threads read and merge it: only under _LAST_ORF_CALLS_LOCK.
_LAST_ORF_CALLS: dict = {}
_LAST_ORF_CALLS_LOCK = threading.Lock()


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


# stop codons as codon indices 16*b0 + 4*b1 + b2 (A0 C1 G2 T3) read on the + strand: TAA TAG TGA, and as the
# reverse complements (TTA CTA TCA) the - strand's stops show on the + strand; code 4 reads TGA as Trp
PLUS_STOPS = {11: (48, 50, 56), 4: (48, 50)}
MINUS_STOPS = {11: (60, 28, 52), 4: (60, 28)}


def frame_evidence(classes: np.ndarray) -> np.ndarray:
    """(batch, 7, n) log-odds evidence from (batch, n, 8) class probabilities: tracks 0..5 are the six reading
    frames (2r: + strand frame r, codon position of base p = (p - r) % 3; 2r + 1: - strand frame r, codon
    position (r - p) % 3 counted from the - strand's 5' end), track 6 "genic, no CDS" (RNA genes)."""
    position = np.arange(classes.shape[1])
    tracks = []   # class layout: genoview.core.genome.CODING_FRAME_CLASSES
    for r in range(3):
        tracks.append(classes[:, position, 2 + (position - r) % 3])
        tracks.append(classes[:, position, 5 + (r - position) % 3])
    tracks.append(classes[:, :, 1])
    return np.log(np.stack(tracks, axis=1) + FRAME_EPSILON) - np.log(classes[:, None, :, 0] + FRAME_EPSILON)


def stop_segments(codes: np.ndarray, genetic_code: int = 11) -> np.ndarray:
    """(batch, 6, n) open-reading-frame ids of every base for the six frame tracks of :func:`frame_evidence`:
    the id grows by one past each stop codon in that frame. A + strand stop ends the ORF on its left (its
    bases belong to it); a - strand stop (reverse complement on the + strand) ends the ORF on its right."""
    from genoview.core.genecalls import codon_indices

    codes = np.asarray(codes, dtype=np.uint8)
    batch, n = codes.shape
    marks = np.zeros((batch, 6, n + 3), dtype=np.int32)
    plus, minus = PLUS_STOPS[genetic_code], MINUS_STOPS[genetic_code]
    for b in range(batch):
        codon = codon_indices(codes[b])
        for s in np.nonzero(np.isin(codon, plus))[0]:
            marks[b, 2 * (s % 3), s + 3] += 1                      # + frame r with (s - r) % 3 == 0
        for s in np.nonzero(np.isin(codon, minus))[0]:
            marks[b, 2 * ((s + 2) % 3) + 1, s] += 1                # - frame r: codons start at s = r + 1 (mod 3)
    return np.cumsum(marks, axis=-1)[..., :n]


def decode_frames(classes: np.ndarray, frame_window: int, codes: np.ndarray | None = None,
                  genetic_code: int = 11) -> np.ndarray:
    """(batch, n - frame_window + 1) decoded log-odds of the centre bases of (batch, n, 8) class probabilities.

    Each evidence track (:func:`frame_evidence`) is averaged over ``frame_window`` bases around each base and
    the base gets the best track. With ``codes`` (the same n bases) a reading frame's window stops at that
    frame's stop codons (``genetic_code`` 11 or 4): evidence is averaged only inside the base's own open
    reading frame (over at least half a window, so a short ORF cannot score high on a few bases), as
    a gene cannot run through a stop in its frame.
    """
    evidence = frame_evidence(classes)
    batch, tracks, n = evidence.shape
    half = frame_window // 2
    window = 2 * half + 1
    cumulative = np.concatenate([np.zeros((batch, tracks, 1)), np.cumsum(evidence, axis=-1)], axis=-1)
    if codes is None:
        return ((cumulative[..., window:] - cumulative[..., :-window]) / window).max(axis=1)
    seg = stop_segments(codes, genetic_code)                               # (batch, 6, n)
    index = np.broadcast_to(np.arange(n), seg.shape)
    new = np.concatenate([np.ones(seg.shape[:2] + (1,), bool), seg[..., 1:] != seg[..., :-1]], axis=-1)
    first = np.maximum.accumulate(np.where(new, index, 0), axis=-1)        # first base of each base's ORF
    ends = np.concatenate([seg[..., 1:] != seg[..., :-1], np.ones(seg.shape[:2] + (1,), bool)], axis=-1)
    last = np.minimum.accumulate(np.where(ends, index, n - 1)[..., ::-1], axis=-1)[..., ::-1]
    centre = np.arange(half, n - half)
    left = np.maximum(centre - half, first[..., centre])
    right = np.minimum(centre + half, last[..., centre])
    sums = np.take_along_axis(cumulative[:, :6], right + 1, axis=-1) - np.take_along_axis(cumulative[:, :6], left, axis=-1)
    coding = sums / np.maximum(right - left + 1, half + 1)
    rna = (cumulative[:, 6, window:] - cumulative[:, 6, :-window]) / window
    return np.maximum(coding.max(axis=1), rna)


def sample_starts(lengths: dict[str, int], chunk: int, sample_bases: int) -> list[tuple[str, int]]:
    """(seqid, start) of about ``sample_bases / chunk`` chunks spread evenly over a genome's sequences (each
    sequence in proportion to its length; every chunk, the last partial ones included, when the genome is
    no larger than ``sample_bases``)."""
    positions = [(seqid, start) for seqid, length in lengths.items() for start in range(0, length, chunk)]
    if sum(lengths.values()) <= sample_bases:
        return positions
    picks = np.linspace(0, len(positions) - 1, max(1, int(sample_bases) // chunk)).round().astype(int)
    return [positions[i] for i in np.unique(picks)]


def padded_chunk(source, start: int, chunk: int, context: int) -> np.ndarray:
    """codes[start - context : start + chunk + context] of ``source`` (base codes, or a SequenceRecord, read
    only there), N (4) beyond the sequence's ends."""
    out = np.full(chunk + 2 * context, 4, dtype=np.uint8)
    lo, hi = max(0, start - context), min(len(source), start + chunk + context)
    part = source.codes(lo, hi) if hasattr(source, "codes") else source[lo:hi]
    out[lo - (start - context):hi - (start - context)] = part
    return out


def quantile_threshold(logodds: np.ndarray, genic_fraction: float) -> float:
    """The decoded log-odds above which ``genic_fraction`` of the sampled bases lie (a genome's own track ranks
    its bases, the expected genic fraction says where to cut)."""
    values = np.asarray(logodds, dtype=np.float64).ravel()
    values = values[np.isfinite(values)]
    if not len(values):
        return 0.0
    return float(np.quantile(values, 1.0 - float(genic_fraction)))


def rule_threshold(logodds: np.ndarray, rule: dict[str, Any]) -> float:
    """The decoded log-odds threshold a ``quantile`` rule gives a genome's sampled track.

    ``{"genic_fraction": f}``: call the top f of the bases genic. ``{"logodds": t, "min_fraction": a,
    "max_fraction": b}``: the fixed threshold t, moved just enough that between a and b of the bases are
    genic (a model that finds a genome of other GC all coding, or all non-coding, is held to a plausible
    gene density; prokaryotic genomes are 80-95 % genic).
    """
    if "genic_fraction" in rule:
        return quantile_threshold(logodds, float(rule["genic_fraction"]))
    values = np.asarray(logodds, dtype=np.float64).ravel()
    values = values[np.isfinite(values)]
    t = float(rule.get("logodds", 0.0))
    if not len(values):
        return t
    above = float((values > t).mean())
    fraction = min(max(above, float(rule.get("min_fraction", 0.0))), float(rule.get("max_fraction", 1.0)))
    return t if fraction == above else quantile_threshold(values, fraction)


class KmerBertTrackModel(TrackModel):
    """A fine-tuned k-mer BERT as a gene track.

    Per-token models: each chunk (with ``context`` bases of flank a side) is one BERT input; each base gets
    the mean genic probability of the k-mers covering it. Window models slide ``window``-base windows
    with ``stride`` over the chunk; each base gets the mean probability of the windows covering it.
    ``threshold`` (chosen on validation data) is folded into the output so that 0.5 is the decision point.
    """

    settings_key = MODEL_TYPES["bert"].settings_key   # "kmer_bert": the registry row says it

    def __init__(self, model, vocab: KmerVocab, task: str, *, device: str = "cpu", window: int | None = None,
                 stride: int | None = None, threshold: float = 0.5, name: str = "kmer-bert",
                 path: Path | None = None, info: dict[str, Any] | None = None, frame_window: int | None = None,
                 both_strands: bool = False, stop_aware: bool = False, genetic_code: int = 11,
                 threshold_rule: dict[str, Any] | None = None, orf_decoder: dict[str, Any] | None = None):
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
        self.stop_aware = bool(stop_aware) and bool(self.frame_window)
        if int(genetic_code) not in PLUS_STOPS:
            raise GenoViewInputError(f"genetic code {genetic_code} is not one the k-mer BERT decodes (11 or 4)", path)
        self.genetic_code = int(genetic_code)
        self.threshold_rule = dict(threshold_rule) if threshold_rule and self.frame_window else None
        if self.threshold_rule and self.threshold_rule.get("rule") != "quantile":
            raise GenoViewInputError(f"unknown k-mer BERT threshold rule {self.threshold_rule.get('rule')!r}; "
                                     "GenoView knows 'quantile'", path)
        # a per-genome threshold reads the genome first (a sample of it): the model then predicts whole records
        # the BERT as the coding scorer of an ORF gene finder (orfs.py): reads whole genomes, calls genes
        self.orf_decoder = dict(orf_decoder) if orf_decoder and self.frame_window else None
        self.whole_sequence = bool(self.threshold_rule or self.orf_decoder)
        self.calls_own_genes = bool(self.orf_decoder)   # a GFF3 holds the decoder's genes (own_gene_calls)
        self.adaptations: dict = {}   # genome key -> {"threshold", "logodds_threshold", "genetic_code", ...}
        self._orf_tracks: dict = {}   # (genome key, seqid) -> track of the ORF decoder (one genome kept)
        self._orf_calls: dict = {}    # genome key -> (its gene calls, genetic code) (the same genome)
        self.calibration_choices = ({"frame_window": FRAME_WINDOW_CHOICES}
                                    if self.frame_window and not self.orf_decoder else {})
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
        if name not in ("frame_window", "both_strands", "threshold", "stop_aware", "genetic_code", "threshold_rule",
                        "orf_decoder"):
            raise KeyError(name)
        settings = {"frame_window": self.frame_window, "both_strands": self.both_strands,
                    "threshold": self.threshold, "stop_aware": self.stop_aware, "genetic_code": self.genetic_code,
                    "threshold_rule": self.threshold_rule, "orf_decoder": self.orf_decoder, name: value}
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
        classes = self.strand_classes(codes)          # bases context - half .. context + chunk + half
        lo = self.context - half
        region = codes[:, lo:lo + classes.shape[1]] if self.stop_aware else None
        means = decode_frames(classes, self.frame_window, region, self.genetic_code)
        out = np.zeros((batch, length), dtype=np.float32)
        out[:, self.context:self.context + self.chunk_size] = 1.0 / (1.0 + np.exp(-means))
        return out

    # ------------------------------------------------------------------ per-genome threshold (threshold_rule)
    def predict_record(self, record, start: int = 0, end: int | None = None, progress=None, cancel=None) -> np.ndarray:
        """Whole-record prediction of a model with a ``threshold_rule``: the genome's threshold (and genetic
        code) first, from the genome alone (:meth:`adapt_to_genome`), then the usual chunked track with it."""
        from genoview.core.inference import predict_region

        end = record.length if end is None else end
        if self.orf_decoder:
            return self._orf_track(record, progress=progress, cancel=cancel)[start:end]
        key, path = self._genome_key(record)
        if key not in self.adaptations:
            genome = self._open_genome(path, record)
            try:
                records = genome.sequences if genome is not None else {record.id: record}
                self.adaptations = {key: self.adapt_to_genome(records, cancel=cancel)}
            finally:
                if genome is not None:
                    genome.close()
        chosen = self.adaptations[key]
        chunked = self.with_setting("threshold_rule", None)
        chunked.threshold, chunked.genetic_code = chosen["threshold"], chosen["genetic_code"]
        return predict_region(chunked, record, start, end, progress=progress, cancel=cancel)

    def adapt_to_genome(self, records: dict, cancel=None) -> dict[str, Any]:
        """The decision threshold of a genome ({seqid: SequenceRecord or base codes}) without its annotation.

        Rule ``quantile``: the decoded track of ``sample_bases`` bases spread evenly over the genome is cut so
        that ``genic_fraction`` of them are genic (the fraction chosen on the training and tuning genomes);
        the genetic code (11, or 4 when TGA reads as Trp) is detected as GenoView's gene calls detect it.
        """
        from genoview.core.genecalls import detect_genetic_code

        rule = self.threshold_rule or {}
        lengths = {seqid: len(r) for seqid, r in records.items()}
        code = self.genetic_code
        if rule.get("detect_genetic_code", True) and sum(lengths.values()) <= GENETIC_CODE_MAX_BASES:
            code = detect_genetic_code({seqid: (r.codes(0, len(r)) if hasattr(r, "codes") else r)
                                        for seqid, r in records.items()})
        decoder = self.with_setting("threshold_rule", None).with_setting("genetic_code", code)
        starts = sample_starts(lengths, decoder.chunk_size, int(rule.get("sample_bases", RULE_SAMPLE_BASES)))
        half = decoder.frame_window // 2
        values = []
        for i in range(0, len(starts), decoder.default_batch_size):
            if cancel is not None:
                cancel.check()
            part = starts[i:i + decoder.default_batch_size]
            batch = np.stack([padded_chunk(records[sid], st, decoder.chunk_size, decoder.context) for sid, st in part])
            classes = decoder.strand_classes(batch)
            lo = decoder.context - half
            region = batch[:, lo:lo + classes.shape[1]] if decoder.stop_aware else None
            x = decode_frames(classes, decoder.frame_window, region, code)
            for row, (sid, st) in zip(x, part):   # drop the padding past a sequence's end
                values.append(row[:max(0, min(decoder.chunk_size, lengths[sid] - st))])
        logodds = rule_threshold(np.concatenate(values), rule)
        return {"threshold": float(1.0 / (1.0 + np.exp(-logodds))), "logodds_threshold": logodds,
                "genetic_code": int(code), "sampled_bases": int(sum(len(v) for v in values))}

    def _orf_track(self, record, progress=None, cancel=None) -> np.ndarray:
        """The ORF decoder's track of a whole record (``orfs.py``; :meth:`_iter_orf_track` says how)."""
        steps = self._iter_orf_track(record, cancel=cancel)
        while True:
            try:
                fraction = next(steps)
            except StopIteration as done:
                return done.value
            if progress is not None:
                progress(fraction, None)   # a ProgressCallback: (fraction, message)

    def _iter_orf_track(self, record, cancel=None):
        """Generator of the ORF decoder's track of a whole record: yields the fraction done (batch by batch of
        the BERT pass, then the decoding) and returns the track. The genome (every sequence of the record's
        FASTA up to ``ORF_GENOME_MAX_BASES``; else the record alone) is read once: its genetic code is detected,
        the BERT labels every base (both strands), the per-genome centre of its coding log-odds is taken and
        genes are called on every sequence; the tracks and the calls are kept for the genome's other
        sequences and for :meth:`own_gene_calls` (``predict --gff-out``). A genome over the limit is called record
        by record, all with the one genetic code of the genome (:meth:`_genome_genetic_code`)."""
        from genoview.core.models.kmer_bert import orfs

        key, path = self._genome_key(record)
        if (key, record.id) in self._orf_tracks:
            return self._orf_tracks[(key, record.id)]
        genome = self._open_genome(path, record)
        try:
            every = genome.sequences if genome is not None else {record.id: record}
            records = every
            if sum(r.length for r in every.values()) > ORF_GENOME_MAX_BASES:
                records = {record.id: record}
            codes = {sid: r.codes(0, r.length) for sid, r in records.items()}
            code = self._genome_genetic_code(key, every, codes)
        finally:
            if genome is not None:
                genome.close()
        yield 0.0
        plain = self.with_setting("orf_decoder", None).with_setting("threshold_rule", None)
        total, done, classes = max(sum(map(len, codes.values())), 1), 0, {}
        for sid, c in codes.items():
            classes[sid] = np.zeros((len(c), 8), dtype=np.float32)
            for fraction in orfs.iter_record_classes(plain, c, classes[sid], cancel=cancel):
                yield 0.95 * (done + fraction * len(c)) / total
            done += len(c)
        if cancel is not None:
            cancel.check()
        decoder = orfs.OrfDecoder.from_dict(self.orf_decoder)
        shift = orfs.genome_shift(classes, decoder)
        taught: dict = {}
        calls = orfs.call_genes_bert(codes, classes, decoder, code, shift=shift, report=taught)
        self.adaptations = {key: {"genetic_code": int(code), "coding_shift": shift, "genes": len(calls), **taught}}
        yield 0.97
        by_seqid: dict = {}
        for c in calls:
            by_seqid.setdefault(c.seqid, []).append(c)
        tracks = {}
        for sid, cls in classes.items():
            if cancel is not None:
                cancel.check()
            fallback = orfs.decoded_fallback(cls, self.frame_window)
            tracks[(key, sid)] = orfs.calls_track(by_seqid.get(sid, []), len(cls), fallback)
        self._orf_tracks = tracks
        self._keep_orf_calls(key, {sid: by_seqid.get(sid, []) for sid in classes}, int(code))
        yield 1.0
        return self._orf_tracks[(key, record.id)]

    def _genome_genetic_code(self, key, records: dict, codes: dict) -> int:
        """The genetic code of the genome ``key`` (one per genome, whichever record is asked first): the code of
        calls already kept for it, else detected on the genome's sequence (``codes`` when they are the whole
        genome; else its records in file order up to ``GENETIC_CODE_MAX_BASES``)."""
        from genoview.core.genecalls import detect_genetic_code

        kept = self._kept_orf_calls().get(key)
        if kept is not None:
            return int(kept[1])
        if set(codes) != set(records):   # a genome over the ORF limit: read for its code alone, up to the cap
            codes, left = {}, GENETIC_CODE_MAX_BASES
            for sid, r in records.items():
                if left <= 0:
                    break
                codes[sid] = r.codes(0, min(r.length, left))
                left -= len(codes[sid])
        elif sum(map(len, codes.values())) > GENETIC_CODE_MAX_BASES:
            return 11
        return int(detect_genetic_code(codes))

    def _keep_orf_calls(self, key, by_seqid: dict, code: int) -> None:
        """Keep this genome's calls (merged with those of its records called before: a genome over the limit is
        called record by record) on the model and, for other loads of its folder, in ``_LAST_ORF_CALLS``; the
        read-merge-write is one step under the lock (GUI worker threads)."""
        with _LAST_ORF_CALLS_LOCK:
            kept = self._kept_orf_calls_unlocked().get(key, ({}, code))[0]
            self._orf_calls = {key: ({**kept, **by_seqid}, int(code))}
            if self.path is not None:
                _LAST_ORF_CALLS.clear()
                _LAST_ORF_CALLS[self._orf_calls_key()] = self._orf_calls

    def _orf_calls_key(self):
        return (str(self.path), json.dumps(self.orf_decoder, sort_keys=True))

    def _kept_orf_calls(self) -> dict:
        """{genome key: (calls by seqid, genetic code)} this model (or another load of its folder with the same
        decoder, in this process) made last."""
        with _LAST_ORF_CALLS_LOCK:
            return self._kept_orf_calls_unlocked()

    def _kept_orf_calls_unlocked(self) -> dict:
        if self.path is None:
            return self._orf_calls
        shared = _LAST_ORF_CALLS.get(self._orf_calls_key())
        if shared is not None and (not self._orf_calls or shared.keys() == self._orf_calls.keys()):
            return shared   # another load may have merged more records of the same genome since
        return self._orf_calls

    def iter_record(self, record, start: int = 0, end: int | None = None, progress=None, cancel=None):
        """(fraction, [(lo, hi, float32 track)]) over record[start:end] for the prediction service: an ORF
        decoder's whole-genome read reports its progress (no pieces) batch by batch, then yields the region;
        any other whole-sequence model yields :meth:`predict_record` at once."""
        end = record.length if end is None else end
        if not self.orf_decoder:
            yield 1.0, [(start, end, self.predict_record(record, start, end, progress=progress, cancel=cancel))]
            return
        steps = self._iter_orf_track(record, cancel=cancel)
        while True:
            try:
                fraction = next(steps)
            except StopIteration as done:
                track = done.value
                break
            if progress is not None:
                progress(fraction, None)
            if fraction < 1.0:
                yield fraction, []
        yield 1.0, [(start, end, np.asarray(track[start:end], dtype=np.float32).copy())]

    def own_gene_calls(self, genome, regions):
        """(calls, genetic code) of the ORF decoder for ``regions`` [(seqid, start, values or end)] of
        ``genome`` when this model just read that genome (``predict --gff-out`` writes them as they are: the
        decoder's genes, whole, that overlap a region); None when it has not (or has no ORF decoder)."""
        kept = self._kept_orf_calls()
        if not self.orf_decoder or not kept:
            return None
        wanted = {}
        for seqid, start, rest in regions:
            end = start + len(rest) if hasattr(rest, "__len__") else int(rest)
            wanted.setdefault(seqid, []).append((int(start), end))
        for seqid in wanted:
            key, _ = self._genome_key(genome.sequences[seqid])
            if key not in kept or seqid not in kept[key][0]:
                return None
        ((by_seqid, code),) = kept.values()
        chosen = [c for seqid, spans in wanted.items() for c in by_seqid[seqid]
                  if any(a < c.end and c.start < b for a, b in spans)]
        return sorted(chosen, key=lambda c: (c.seqid, c.start, c.end)), code

    @staticmethod
    def _genome_key(record):
        """(cache key, FASTA path or None) of the genome a record comes from (its file: a draft in contigs is
        one genome), or of the record alone when its file is unknown."""
        import os

        path = getattr(getattr(record, "_source", None), "path", None)
        if path and os.path.isfile(path):
            return (os.path.abspath(path), os.path.getsize(path), os.path.getmtime(path)), path
        return (id(record), record.id, record.length), None

    @staticmethod
    def _open_genome(path, record):
        """The Genome of every sequence in ``path`` when it holds ``record`` (same id and length), else None."""
        if path is None:
            return None
        from genoview.core.genome import open_genome

        genome = open_genome(path)
        if record.id in genome.sequences and genome.sequences[record.id].length == record.length:
            return genome
        genome.close()
        return None

    def strand_classes(self, codes: np.ndarray) -> np.ndarray:
        """(batch, chunk + frame_window - 1, 8) class probabilities of the bases the frame decoder reads, both
        strands averaged when ``both_strands`` (the reverse complement's + and - classes swapped back)."""
        classes = self._base_classes(codes)
        if self.both_strands:
            reverse = self._base_classes(reverse_complement_codes(codes))[:, ::-1]
            classes = 0.5 * (classes + reverse[..., CODING_FRAME_REVERSE])
        return classes

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
                              both_strands=settings.get("both_strands", False),
                              stop_aware=settings.get("stop_aware", False),
                              threshold_rule=settings.get("threshold_rule"),
                              orf_decoder=settings.get("orf_decoder"))
