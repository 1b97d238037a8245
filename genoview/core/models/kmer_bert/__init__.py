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
    read_metadata,
    save_model_dir,
)
from genoview.core.models.kmer_bert.tokenization_kmer import DNAKmerTokenizer, KmerVocab, dnabert_kmers



def load(directory, *, device: str, task=None):
    """The model registry's hook (registry.MODEL_TYPES "bert"): a gene-probability KmerBertTrackModel, or for
    Task.MASKED_LANGUAGE_MODEL a LoadedNetwork holding the BertForMaskedLM and its KmerVocab."""
    from pathlib import Path

    from genoview.core.errors import GenoViewInputError
    from genoview.core.models.base import LoadedNetwork
    from genoview.core.models.registry import Task

    directory = Path(directory)
    if not is_kmer_bert_dir(directory):
        raise GenoViewInputError(
            "config.json says model_type 'bert', but vocab.txt is missing or not a DNABERT k-mer vocabulary "
            "([PAD] [UNK] [CLS] [SEP] [MASK], then every k-mer, k = 3..6); GenoView runs BERT models only as "
            "k-mer BERTs: copy the model's vocab.txt next to config.json", directory / "vocab.txt")
    from genoview.core.models.metadata import ModelMetadata

    meta = ModelMetadata.load(directory)
    meta.threshold("kmer_bert")   # a bad stored threshold is a message naming the file and line
    if task == Task.MASKED_LANGUAGE_MODEL:
        model, vocab, _ = load_hf_model(directory, task=TASK_MASKED_LM)
        info = read_metadata(directory)
        return LoadedNetwork(model.to(device).eval(), vocab, Task.MASKED_LANGUAGE_MODEL.value,
                             info.get("name") or directory.name, directory, info, device)
    return load_track_model(directory, device)


__all__ = [
    "load", "ARCHITECTURE", "TASK_MASKED_LM", "TASK_TOKENS", "TASK_WINDOWS", "WINDOW_RULES",
    "DNAKmerTokenizer", "FineTuneCollator", "KmerBertTrackModel", "KmerVocab", "MaskedLMWindows",
    "SpanMaskingCollator", "TokenLabelWindows", "WindowLabelSet", "build_config", "dnabert_kmers",
    "is_kmer_bert_dir", "load_hf_model", "load_track_model", "save_model_dir", "span_offsets",
    "token_probs_to_bases", "window_probs_to_bases",
]
