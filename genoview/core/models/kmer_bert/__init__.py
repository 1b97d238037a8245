"""DNABERT-style k-mer BERT: overlapping k-mer tokens, span-masked LM pre-training, gene fine-tuning.

The model registry calls :func:`is_kmer_bert_dir` and :func:`load_track_model`; training uses the
datasets, collators and :func:`build_config` re-exported here.
"""
from genoview.core.models.kmer_bert.data import (
    WINDOW_RULES,
    FineTuneCollator,
    MaskedLMWindows,
    TokenLabelWindows,
    WindowLabelSet,
    token_probs_to_bases,
    window_probs_to_bases,
)
from genoview.core.models.kmer_bert.masking import SpanMaskingCollator, span_offsets
from genoview.core.models.kmer_bert.modeling import (
    ARCHITECTURE,
    TASK_MASKED_LM,
    TASK_TOKENS,
    TASK_WINDOWS,
    KmerBertTrackModel,
    build_config,
    is_kmer_bert_dir,
    load_hf_model,
    load_track_model,
    save_model_dir,
)
from genoview.core.models.kmer_bert.tokenization_kmer import DNAKmerTokenizer, KmerVocab, dnabert_kmers

__all__ = [
    "ARCHITECTURE", "TASK_MASKED_LM", "TASK_TOKENS", "TASK_WINDOWS", "WINDOW_RULES",
    "DNAKmerTokenizer", "FineTuneCollator", "KmerBertTrackModel", "KmerVocab", "MaskedLMWindows",
    "SpanMaskingCollator", "TokenLabelWindows", "WindowLabelSet", "build_config", "dnabert_kmers",
    "is_kmer_bert_dir", "load_hf_model", "load_track_model", "save_model_dir", "span_offsets",
    "token_probs_to_bases", "window_probs_to_bases",
]
