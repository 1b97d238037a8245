"""k-mer BERT: DNABERT tokens, span masking, pre-training, fine-tuning, track models, DNABERT directories."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest
import torch

from genoview.core.errors import GenoViewInputError
from genoview.core.models.kmer_bert import (
    TASK_MASKED_LM, TASK_TOKENS, TASK_WINDOWS, DNAKmerTokenizer, FineTuneCollator, KmerBertTrackModel, KmerVocab,
    MaskedLMWindows, SpanMaskingCollator, TokenLabelWindows, WindowLabelSet, build_config, is_kmer_bert_dir,
    load_hf_model, load_track_model, save_model_dir, span_offsets, token_probs_to_bases, window_probs_to_bases,
)
from genoview.core.models.kmer_bert.masking import IGNORE_INDEX
from genoview.core.models.kmer_bert.tokenization_kmer import codes_from_text, dnabert_kmers
from genoview.core.training import TrainingSpec, train_model

TINY = {"hidden_size": 32, "num_layers": 1, "num_heads": 2, "max_tokens": 66, "dropout": 0.0}


def synthetic_genome(length: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """GC-rich 'genes' between AT-rich spacers: base codes and the genic mask."""
    rng = np.random.default_rng(seed)
    codes, labels = [], []
    genic = True
    while sum(len(c) for c in codes) < length:
        n = int(rng.integers(150, 400) if genic else rng.integers(60, 150))
        p = [0.15, 0.35, 0.35, 0.15] if genic else [0.4, 0.1, 0.1, 0.4]
        codes.append(rng.choice(4, size=n, p=p).astype(np.uint8))
        labels.append(np.full(n, genic))
        genic = not genic
    return np.concatenate(codes)[:length], np.concatenate(labels)[:length]


def mcc(labels: np.ndarray, predicted: np.ndarray) -> float:
    tp = float(np.sum(labels & predicted)); tn = float(np.sum(~labels & ~predicted))
    fp = float(np.sum(~labels & predicted)); fn = float(np.sum(labels & ~predicted))
    d = math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return (tp * tn - fp * fn) / d if d else 0.0


def tiny_spec(**changes) -> TrainingSpec:
    values = {"architecture": "kmer-bert", "batch_size": 8, "learning_rate": 3e-3, "warmup_fraction": 0.0,
              "num_threads": 1, "log_every": 5, "seed": 3, "max_steps": 40}
    values.update(changes)
    return TrainingSpec(**values)


# -- tokens -------------------------------------------------------------------------------------

def test_vocabulary_is_dnabert_vocab_txt(data_dir):
    lines = (data_dir / "bert_dnabert_vocab3.txt").read_text().splitlines()
    assert KmerVocab.for_k(3).tokens == lines
    for k in range(3, 7):
        vocab = KmerVocab.for_k(k)
        assert len(vocab) == 4 ** k + 5 and vocab.k == k
        assert vocab.tokens[:5] == ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    assert len(dnabert_kmers(6)) == 4096


def test_kmer_ids_are_vocab_lines_and_n_is_unknown(data_dir):
    path = data_dir / "bert_dnabert_vocab3.txt"
    lines = path.read_text().splitlines()
    vocab = KmerVocab.from_file(path)
    sequence = "".join(np.random.default_rng(1).choice(list("ACGT"), 300)) + "ACNGT"
    ids = vocab.encode_codes(codes_from_text(sequence))
    expected = [lines.index(sequence[i:i + 3]) if "N" not in sequence[i:i + 3] else lines.index("[UNK]")
                for i in range(len(sequence) - 2)]
    assert ids.tolist() == expected
    assert ids[-3:].tolist() == [vocab.unk_id] * 3   # CNG, NGT and ACN hold the N
    batch = vocab.encode_codes(np.stack([codes_from_text(sequence)] * 2))
    assert batch.shape == (2, len(sequence) - 2)


def test_shuffled_vocabulary_still_maps_kmers_to_their_lines(tmp_path):
    tokens = KmerVocab.for_k(4).tokens
    shuffled = tokens[:5] + list(np.random.default_rng(0).permutation(tokens[5:]))
    (tmp_path / "vocab.txt").write_text("\n".join(shuffled) + "\n")
    vocab = KmerVocab.from_file(tmp_path / "vocab.txt")
    ids = vocab.encode_codes(codes_from_text("GATTACA"))
    assert [shuffled[i] for i in ids] == ["GATT", "ATTA", "TTAC", "TACA"]


def test_hf_tokenizer_round_trip_and_reload(tmp_path):
    vocab = KmerVocab.for_k(5)
    vocab.write(tmp_path / "vocab.txt")
    tokenizer = DNAKmerTokenizer(str(tmp_path / "vocab.txt"))
    sequence = "ACGTTGCAAGGCTTACG"
    encoded = tokenizer(sequence)["input_ids"]
    assert encoded == vocab.with_specials(vocab.encode_codes(codes_from_text(sequence))).tolist()
    spaced = " ".join(sequence[i:i + 5] for i in range(len(sequence) - 4))
    assert tokenizer(spaced)["input_ids"] == encoded   # DNABERT's space-separated k-mer input
    assert tokenizer.decode(encoded, skip_special_tokens=True) == sequence
    tokenizer.save_pretrained(tmp_path / "saved")
    assert json.loads((tmp_path / "saved" / "tokenizer_config.json").read_text())["k"] == 5
    again = DNAKmerTokenizer.from_pretrained(tmp_path / "saved")
    assert again.k == 5 and again(sequence)["input_ids"] == encoded and len(again) == 1029


@pytest.mark.parametrize("tokens", [["[PAD]", "AAA"], KmerVocab.for_k(3).tokens[:-1],
                                    KmerVocab.for_k(3).tokens[:-1] + ["AAX"]])
def test_bad_vocabulary_is_an_input_error(tmp_path, tokens):
    (tmp_path / "vocab.txt").write_text("\n".join(tokens))
    with pytest.raises(GenoViewInputError, match="vocab"):
        KmerVocab.from_file(tmp_path / "vocab.txt")


# -- span masking ---------------------------------------------------------------------------------

@pytest.mark.parametrize("k", [3, 4, 6])
def test_span_masking_masks_contiguous_k_spans_at_about_15_percent(k):
    vocab = KmerVocab.for_k(k)
    assert span_offsets(k).tolist() == {3: [-1, 0, 1], 4: [-1, 0, 1, 2], 6: [-2, -1, 0, 1, 2, 3]}[k]
    ids = vocab.with_specials(vocab.encode_codes(np.random.default_rng(0).integers(0, 4, (64, 513), dtype=np.uint8)))
    collator = SpanMaskingCollator(vocab, 0.15, seed=1)
    batch = collator([{"input_ids": row} for row in ids])
    labels, masked_ids = batch["labels"].numpy(), batch["input_ids"].numpy()
    masked = labels != IGNORE_INDEX
    assert abs(masked[:, 1:-1].mean() - 0.15) < 0.02
    assert not masked[:, 0].any() and not masked[:, -1].any()          # [CLS] and [SEP] stay
    assert (labels[masked] == ids[masked]).all()
    for row in masked:                                                 # runs are unions of k-spans
        edges = np.flatnonzero(np.diff(np.concatenate([[0], row.astype(int), [0]])))
        for start, end in zip(edges[::2], edges[1::2]):
            if start > 1 and end < len(row) - 1:
                assert end - start >= k
    replaced = masked_ids[masked]
    assert 0.75 < np.mean(replaced == vocab.mask_id) < 0.85
    assert 0.06 < np.mean(replaced == ids[masked]) < 0.16              # 10% kept (+ random picks of itself)
    assert batch["attention_mask"].all()


def test_masked_lm_pretraining_reduces_loss(tmp_path):
    codes = np.random.default_rng(0).choice(4, size=4000, p=[0.85, 0.05, 0.05, 0.05]).astype(np.uint8)  # A-rich
    vocab = KmerVocab.for_k(3)
    model = model_for(TASK_MASKED_LM, vocab)
    train = MaskedLMWindows(codes, vocab, 64, stride=32)
    result = train_model(model, train, None, tiny_spec(max_steps=20), output_dir=tmp_path,
                         collate_fn=SpanMaskingCollator(vocab, 0.15, seed=0))
    losses = [r["loss"] for r in result.history if "loss" in r]
    assert losses[-1] < losses[0] - 0.5


# -- fine-tuning and track models -----------------------------------------------------------------

def model_for(task: str, vocab: KmerVocab, **shape):
    from genoview.core.models.kmer_bert.modeling import model_class

    torch.manual_seed(0)
    return model_class(task)(build_config(vocab, **{**TINY, **shape}))


def test_token_labels_follow_the_centre_base():
    vocab = KmerVocab.for_k(5)
    codes = np.zeros(80, np.uint8)
    labels = np.arange(80) % 7 == 0
    item = TokenLabelWindows(codes, labels, vocab, 20, stride=20)[1]
    assert item["labels"][0] == item["labels"][-1] == IGNORE_INDEX
    assert item["labels"][1:-1].tolist() == labels[22:42].astype(int).tolist()   # token 20 covers bases 20..24


def test_window_labels_majority_all_any():
    vocab = KmerVocab.for_k(3)
    labels = np.zeros(30, bool)
    labels[4:10] = True   # window 0 (0..10): 6 genic; window 1 (10..20): none; window 2 (20..30): none
    labels[20:30] = True
    got = {rule: WindowLabelSet(np.zeros(30, np.uint8), labels, vocab, 10, rule=rule).labels.tolist()
           for rule in ("majority", "all", "any")}
    assert got == {"majority": [1, 0, 1], "all": [0, 0, 1], "any": [1, 0, 1]}
    item = WindowLabelSet(np.zeros(30, np.uint8), labels, vocab, 10, stride=5)[1]
    assert len(item["input_ids"]) == 10 - 3 + 1 + 2


def test_probabilities_map_back_to_bases():
    mapped = token_probs_to_bases(np.array([[1.0, 0.0, 0.0, 1.0]]), 3)
    assert np.allclose(mapped, [[1.0, 0.5, 1 / 3, 1 / 3, 0.5, 1.0]])
    starts = np.array([0, 2, 4])
    bases = window_probs_to_bases(np.array([1.0, 0.0, 0.5]), starts, 4, 9)
    assert np.allclose(bases[:8], [1, 1, 0.5, 0.5, 0.25, 0.25, 0.5, 0.5]) and np.isnan(bases[8])


def test_per_token_fine_tuning_learns_synthetic_genes(tmp_path):
    codes, labels = synthetic_genome(12000)
    vocab = KmerVocab.for_k(3)
    train = TokenLabelWindows(codes[:9000], labels[:9000], vocab, 64, stride=32)
    valid = TokenLabelWindows(codes[9000:], labels[9000:], vocab, 64)
    model = model_for(TASK_TOKENS, vocab)
    from genoview.core.models.kmer_bert.training import genic_metrics

    result = train_model(model, train, valid, tiny_spec(max_steps=60, eval_every=30), output_dir=tmp_path,
                         collate_fn=FineTuneCollator(vocab.pad_id), compute_metrics=genic_metrics)
    assert result.best_metrics["mcc"] > 0.6
    track = KmerBertTrackModel(model, vocab, TASK_TOKENS)
    assert (track.context, track.chunk_size) == (8, 66 - 16)   # 64 tokens cover 66 bases
    starts = range(9000, 12000 - track.chunk_size - 2 * track.context, track.chunk_size)
    chunks = np.stack([codes[s:s + track.chunk_size + 2 * track.context] for s in starts])
    probs = track.predict_chunk(chunks)
    assert probs.shape == (len(starts), track.chunk_size) and probs.dtype == np.float32
    centre = np.stack([labels[s + track.context:s + track.context + track.chunk_size] for s in starts])
    assert mcc(centre.ravel(), probs.ravel() > 0.5) > 0.5
    with pytest.raises(ValueError, match="chunks must hold"):
        track.predict_chunk(chunks[:, :-1])


def test_window_fine_tuning_and_sliding_prediction(tmp_path):
    codes, labels = synthetic_genome(12000, seed=2)
    vocab = KmerVocab.for_k(3)
    train = WindowLabelSet(codes[:9000], labels[:9000], vocab, 40, stride=10)
    model = model_for(TASK_WINDOWS, vocab)
    train_model(model, train, None, tiny_spec(max_steps=60, batch_size=16), output_dir=tmp_path,
                collate_fn=FineTuneCollator(vocab.pad_id))
    track = KmerBertTrackModel(model, vocab, TASK_WINDOWS, window=40, stride=8)
    assert track.context == 40 and track.chunk_size % 8 == 0
    start = 9000
    chunk = codes[start:start + track.chunk_size + 2 * track.context][None]
    probs = track.predict_chunk(chunk)
    assert probs.shape == (1, track.chunk_size) and np.isfinite(probs).all()
    centre = labels[start + track.context:start + track.context + track.chunk_size]
    assert mcc(centre, probs[0] > 0.5) > 0.4


def test_threshold_is_folded_into_the_output():
    vocab = KmerVocab.for_k(3)
    track = KmerBertTrackModel(model_for(TASK_TOKENS, vocab), vocab, TASK_TOKENS, threshold=0.8)
    assert np.allclose(track._apply_threshold(np.array([0.8, 0.5, 0.95])), [0.5, 0.2, 0.8261], atol=1e-3)


def test_codon_phase_token_types_reach_the_model_in_training_and_prediction(tmp_path):
    from genoview.core.models.kmer_bert.modeling import (
        model_class, phase_type_ids, uses_phase_types, with_phase_types)

    vocab = KmerVocab.for_k(3)
    config = build_config(vocab, hidden_size=16, num_layers=1, num_heads=2, max_tokens=64, phase_types=True)
    assert config.type_vocab_size == 3 and uses_phase_types(config)
    assert not uses_phase_types(build_config(vocab, hidden_size=16, num_layers=1, num_heads=2, max_tokens=64))
    assert phase_type_ids(torch.zeros(2, 7, dtype=torch.long)).tolist() == [[0, 1, 2, 0, 1, 2, 0]] * 2
    codes, labels = synthetic_genome(3000, seed=3)
    collate = with_phase_types(FineTuneCollator(vocab.pad_id))
    batch = collate([TokenLabelWindows(codes, labels, vocab, 62, stride=31)[i] for i in range(2)])
    assert batch["token_type_ids"].tolist()[0][:4] == [0, 1, 2, 0]
    model = model_class(TASK_TOKENS)(config)
    model.save_pretrained(tmp_path)
    from transformers import AutoConfig

    assert uses_phase_types(AutoConfig.from_pretrained(tmp_path, local_files_only=True))
    track = KmerBertTrackModel(model, vocab, TASK_TOKENS)
    seen = []
    model.bert.embeddings.token_type_embeddings.register_forward_hook(lambda m, args, out: seen.append(args[0]))
    track.predict_chunk(codes[None, :track.chunk_size + 2 * track.context])
    assert seen and int(seen[0].max()) == 2


# -- model directories ----------------------------------------------------------------------------

def dnabert_dir(root, task: str, weights: str):
    """A randomly initialised tiny BERT in a downloaded DNABERT's layout (no genoview.json)."""
    vocab = KmerVocab.for_k(3)
    model = model_for(task, vocab, max_tokens=128)
    model.config.architectures = [type(model).__name__]
    root.mkdir()
    model.config.save_pretrained(root)
    if weights == "safetensors":
        model.save_pretrained(root, safe_serialization=True)
    else:
        torch.save(model.state_dict(), root / "pytorch_model.bin")
    vocab.write(root / "vocab.txt")
    (root / "tokenizer_config.json").write_text(json.dumps({"do_lower_case": False, "max_len": 512}))
    return root, model


@pytest.mark.parametrize("weights", ["safetensors", "bin"])
def test_dnabert_sequence_classifier_directory_loads_as_window_track(tmp_path, weights):
    root, model = dnabert_dir(tmp_path / "dnabert", TASK_WINDOWS, weights)
    assert is_kmer_bert_dir(root)
    track = load_track_model(root, "cpu")
    assert track.task == TASK_WINDOWS and track.window == 75 and track.vocab.k == 3
    for name, value in model.state_dict().items():
        assert torch.equal(track.model.state_dict()[name], value)
    codes = np.random.default_rng(0).integers(0, 5, (2, track.chunk_size + 2 * track.context), dtype=np.uint8)
    probs = track.predict_chunk(codes)
    assert probs.shape == (2, track.chunk_size) and ((probs >= 0) & (probs <= 1)).all()
    assert DNAKmerTokenizer.from_pretrained(root).k == 3


def test_dnabert_bin_directory_loads_through_the_registry(tmp_path):
    from genoview.core.models import load_model

    root, model = dnabert_dir(tmp_path / "dnabert", TASK_WINDOWS, "bin")
    track = load_model(root, device="cpu")
    assert isinstance(track, KmerBertTrackModel) and track.path == root
    for name, value in model.state_dict().items():
        assert torch.equal(track.model.state_dict()[name], value)


def test_registry_refuses_a_bin_directory_that_is_not_a_kmer_bert(tmp_path):
    from genoview.core.models import load_model

    root = tmp_path / "other"
    root.mkdir()
    (root / "config.json").write_text(json.dumps({"model_type": "gpt2"}))
    torch.save({"w": torch.zeros(1)}, root / "pytorch_model.bin")
    with pytest.raises(GenoViewInputError, match="pytorch_model.bin: holds only pickled weights"):
        load_model(root, device="cpu")


def test_dnabert_masked_lm_directory_loads_by_task_through_the_registry(tmp_path):
    from genoview.core.models import LoadedNetwork, Task, load_model

    root, model = dnabert_dir(tmp_path / "dnabert", TASK_MASKED_LM, "bin")
    with pytest.raises(GenoViewInputError, match="is a masked-language-model model, but a gene-probability"):
        load_model(root, task=Task.GENE_PROBABILITY, device="cpu")
    loaded = load_model(root, task=Task.MASKED_LANGUAGE_MODEL, device="cpu")
    assert isinstance(loaded, LoadedNetwork) and loaded.task == "masked-language-model" and loaded.tokenizer.k == 3
    for name, value in model.state_dict().items():
        assert torch.equal(loaded.network.state_dict()[name], value)


@pytest.mark.parametrize("weights", ["safetensors", "bin"])
def test_dnabert_masked_lm_directory_fine_tunes_but_draws_no_track(tmp_path, weights):
    root, _ = dnabert_dir(tmp_path / "dnabert", TASK_MASKED_LM, weights)
    assert is_kmer_bert_dir(root)
    with pytest.raises(GenoViewInputError, match="fine-tune it first"):
        load_track_model(root, "cpu")
    model, vocab, task = load_hf_model(root, task=TASK_TOKENS, num_labels=2)
    assert task == TASK_TOKENS and vocab.k == 3 and model.config.num_labels == 2


def test_saved_model_directory_round_trips(tmp_path):
    vocab = KmerVocab.for_k(4)
    model = model_for(TASK_TOKENS, vocab)
    out = save_model_dir(model, vocab, tmp_path / "m", {"name": "m", "task": TASK_TOKENS,
                                                         "kmer_bert": {"threshold": 0.6}})
    assert {"config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json", "genoview.json"} <= \
        {p.name for p in out.iterdir()}
    track = load_track_model(out, "cpu")
    assert track.threshold == 0.6 and track.name == "m" and track.vocab.k == 4
    assert not is_kmer_bert_dir(tmp_path) and not is_kmer_bert_dir(tmp_path / "missing")


def test_cli_pretrains_then_fine_tunes_on_a_tiny_genome(tmp_path):
    from genoview.cli import main

    codes, labels = synthetic_genome(20000, seed=4)
    fasta, gff = tmp_path / "tiny.fa", tmp_path / "tiny.gff3"
    fasta.write_text(">chrT\n" + "".join("ACGT"[c] for c in codes) + "\n")
    edges = np.flatnonzero(np.diff(np.concatenate([[0], labels.astype(int), [0]])))
    gff.write_text("##gff-version 3\n" + "".join(f"chrT\tsim\tgene\t{s + 1}\t{e}\t.\t+\t.\tID=g{i}\n"
                                                  for i, (s, e) in enumerate(zip(edges[::2], edges[1::2]))))
    common = ["--architecture", "kmer-bert", "--fasta", str(fasta), "--gff", str(gff), "--feature-types", "gene",
              "--k", "3", "--batch-size", "8", "--threads", "1", "--seed", "2"]
    shape = [arg for key, value in TINY.items() for arg in ("--model-option", f"{key}={value}")]
    assert main(["train", *common, *shape, "--stage", "pretrain", "--valid-fraction", "0", "--max-steps", "3",
                 "--out", str(tmp_path / "pre")]) == 0
    assert main(["train", *common, "--stage", "finetune", "--init", str(tmp_path / "pre"), "--max-steps", "40",
                 "--lr", "3e-3", "--eval-every", "20", "--out", str(tmp_path / "ft")]) == 0
    info = json.loads((tmp_path / "ft" / "genoview.json").read_text())
    assert info["task"] == "gene-probability" and 0.05 <= info["kmer_bert"]["threshold"] <= 0.95
    assert info["metrics"]["test"]["mcc"] > 0.3
    assert load_track_model(tmp_path / "ft", "cpu").threshold == info["kmer_bert"]["threshold"]


@pytest.mark.realdata
def test_shipped_model_finds_ecoli_genes_in_the_test_part(ecoli_fasta, ecoli_gff):
    from genoview.core.evaluation import evaluate
    from genoview.core.genome import open_genome
    from genoview.core.inference import predict_region
    from genoview.paths import SHIPPED_MODELS_DIR

    track = load_track_model(SHIPPED_MODELS_DIR / "kmer-bert-ecoli", "cpu")
    genome = open_genome(ecoli_fasta, ecoli_gff)
    record = genome.sequences["NC_000913.3"]
    start = int(0.7 * record.length)                     # the first 40 kb of the test part (30% .. 100%)
    probs = predict_region(track, record, start, start + 40_000)
    labels = genome.label_mask("NC_000913.3", types=("gene",))[start:start + 40_000]
    report = evaluate(labels, probs)
    # whole test part: MCC 0.643, ROC AUC 0.955 (README.md); this slice (genic 0.875): MCC 0.663, ROC AUC 0.956
    assert report.mcc > 0.6 and report.roc_auc > 0.94
    assert track.model.config.num_labels == 8 and track.frame_window == 61 and track.both_strands


# -- reading-frame labels -----------------------------------------------------------------------------

def test_coding_frame_classes_follow_strand_codon_position_and_phase():
    from genoview.core.genome import CODING_FRAME_CLASSES, Feature, FeatureTable, Genome

    genome = Genome(None, {}, FeatureTable([
        Feature("s", 2, 11, 1, "CDS"),                 # + strand, codon positions 1 2 3 from base 2
        Feature("s", 14, 20, -1, "CDS"),               # - strand: its 5' end is base 19
        Feature("s", 22, 27, 1, "CDS", phase=2),       # starts with the last two bases of a codon
    ]))
    genic = np.zeros(30, dtype=bool)
    genic[1:28] = True                                 # a gene may be wider than its CDS (and RNA genes have none)
    genic[12] = False
    classes = genome.coding_frame_classes("s", genic)
    assert classes.tolist() == [0, 1, 2, 3, 4, 2, 3, 4, 2, 3, 4, 1, 0, 1,
                                7, 6, 5, 7, 6, 5, 1, 1, 3, 4, 2, 3, 4, 1, 0, 0]
    assert ((classes > 0) == genic).all() and len(CODING_FRAME_CLASSES) == 8


def test_frame_labels_train_an_eight_class_head_whose_track_is_one_minus_non_genic(tmp_path, capsys):
    from genoview.cli import main
    from genoview.core.models.kmer_bert.modeling import genic_probability

    logits = np.array([[2.0, 0.0, 1.0, -1.0, 0.0, 0.0, 0.0, 0.0]])
    p = np.exp(logits) / np.exp(logits).sum()
    assert np.allclose(genic_probability(logits), 1 - p[0, 0])
    assert np.allclose(genic_probability(torch.tensor(logits)).numpy(), 1 - p[0, 0])
    assert np.allclose(genic_probability(np.array([[0.3, 1.1]])), 1 / (1 + np.exp(-0.8)))  # two classes: softmax[1]

    codes, labels = synthetic_genome(20000, seed=5)
    fasta, gff = tmp_path / "tiny.fa", tmp_path / "tiny.gff3"
    fasta.write_text(">chrT\n" + "".join("ACGT"[c] for c in codes) + "\n")
    edges = np.flatnonzero(np.diff(np.concatenate([[0], labels.astype(int), [0]])))
    rows = []
    for i, (s, e) in enumerate(zip(edges[::2], edges[1::2])):
        strand = "+-"[i % 2]
        rows.append(f"chrT\tsim\tgene\t{s + 1}\t{e}\t.\t{strand}\t.\tID=g{i}\n")
        rows.append(f"chrT\tsim\tCDS\t{s + 1}\t{s + 3 * ((e - s) // 3)}\t.\t{strand}\t0\tID=c{i};Parent=g{i}\n")
    gff.write_text("##gff-version 3\n" + "".join(rows))
    shape = [arg for key, value in TINY.items() for arg in ("--model-option", f"{key}={value}")]
    assert main(["train", "--architecture", "kmer-bert", "--fasta", str(fasta), "--gff", str(gff),
                 "--feature-types", "gene", "--k", "3", "--batch-size", "8", "--threads", "1", "--seed", "2", *shape,
                 "--model-option", "labels=frame", "--model-option", "phase_types=true", "--class-weighting", "balanced",
                 "--max-steps", "40", "--lr", "3e-3", "--eval-every", "20", "--out", str(tmp_path / "ft")]) == 0
    info = json.loads((tmp_path / "ft" / "genoview.json").read_text())
    config = json.loads((tmp_path / "ft" / "config.json").read_text())
    assert info["kmer_bert"]["labels"] == "frame" and config["id2label"]["2"] == "CDS + codon position 1"
    assert len(config["id2label"]) == 8 and info["metrics"]["test"]["mcc"] > 0.3
    track = load_track_model(tmp_path / "ft", "cpu")
    assert track.model.config.num_labels == 8
    # the runner chose the frame decoder's window with the threshold on the validation slice
    from genoview.core.models.kmer_bert.modeling import FRAME_WINDOW_CHOICES

    assert info["kmer_bert"]["frame_window"] in FRAME_WINDOW_CHOICES and info["kmer_bert"]["both_strands"]
    assert (track.frame_window, track.threshold) == (info["kmer_bert"]["frame_window"], info["kmer_bert"]["threshold"])
    assert main(["calibrate", "--model", str(tmp_path / "ft"), "--fasta", str(fasta), "--gff", str(gff),
                 "--from", "0.6", "--to", "0.8", "--json"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert len(result["tried"]) == len(FRAME_WINDOW_CHOICES) and result["settings"]["frame_window"] in FRAME_WINDOW_CHOICES
    stored = json.loads((tmp_path / "ft" / "genoview.json").read_text())["kmer_bert"]
    assert stored["frame_window"] == result["settings"]["frame_window"] and stored["threshold"] == result["threshold"]
    # fine-tuning a 2-class model further with frame labels gives it a fresh 8-class head
    assert main(["train", "--architecture", "kmer-bert", "--fasta", str(fasta), "--gff", str(gff),
                 "--feature-types", "gene", "--threads", "1", "--init", str(tmp_path / "ft"), "--max-steps", "2",
                 "--model-option", "labels=genic", "--valid-fraction", "0", "--out", str(tmp_path / "again")]) == 0
    assert load_track_model(tmp_path / "again", "cpu").model.config.num_labels == 2


def test_frame_labels_need_per_token_task_and_cds_features(tmp_path):
    from genoview.cli import main

    codes, labels = synthetic_genome(6000, seed=6)
    fasta, gff = tmp_path / "tiny.fa", tmp_path / "tiny.gff3"
    fasta.write_text(">chrT\n" + "".join("ACGT"[c] for c in codes) + "\n")
    gff.write_text("##gff-version 3\nchrT\tsim\tgene\t100\t3000\t.\t+\t.\tID=g1\n")
    common = ["train", "--architecture", "kmer-bert", "--fasta", str(fasta), "--gff", str(gff), "--k", "3",
              "--threads", "1", "--max-steps", "1", "--model-option", "max_tokens=66", "--model-option", "labels=frame"]
    assert main([*common, "--out", str(tmp_path / "a")]) == 2                       # no CDS features
    assert main([*common, "--model-option", "task=windows", "--out", str(tmp_path / "b")]) == 2


def test_frame_decoding_rewards_one_reading_frame_held_along_the_chunk(monkeypatch):
    vocab = KmerVocab.for_k(3)
    config = build_config(vocab, hidden_size=16, num_layers=1, num_heads=2, max_tokens=66)
    config.num_labels = 8
    from genoview.core.models.kmer_bert.modeling import model_class

    model = model_class(TASK_TOKENS)(config)
    with pytest.raises(GenoViewInputError, match="frame_window needs"):
        KmerBertTrackModel(model_for(TASK_TOKENS, vocab), vocab, TASK_TOKENS, frame_window=31)
    track = KmerBertTrackModel(model, vocab, TASK_TOKENS, frame_window=31)
    assert track.inner_keep == 64 - 16 and track.chunk_size == 8 * 48 - 30 and track.context == 15 + 8 + 3
    codes = np.random.default_rng(0).integers(0, 4, size=(2, track.chunk_size + 2 * track.context)).astype(np.uint8)
    real = track.predict_chunk(codes)                    # the real (untrained) network runs end to end
    assert real.shape == (2, track.chunk_size) and (real >= 0).all() and (real <= 1).all()

    def one_frame(ids):                                  # every token sure of a + strand CDS in one frame
        probs = np.zeros(ids.shape[:1] + (ids.shape[1] - 2, 8))
        t = np.arange(ids.shape[1] - 2)
        probs[:, t, 2 + t % 3] = 1.0                      # inputs start 48 tokens apart: the frame holds across them
        return probs

    def frame_noise(ids):                                # as sure of coding, but of a random frame per token
        rng = np.random.default_rng(1)
        return np.eye(8)[rng.integers(2, 8, size=(ids.shape[0], ids.shape[1] - 2))]

    def non_genic(ids):
        return np.eye(8)[np.zeros((ids.shape[0], ids.shape[1] - 2), dtype=int)]

    monkeypatch.setattr(track, "_class_probs", one_frame)
    assert (track.predict_chunk(codes) > 0.99).all()
    monkeypatch.setattr(track, "_class_probs", frame_noise)
    noisy = track.predict_chunk(codes)
    assert 0.5 < noisy.mean() < 0.9                      # best of six frames holds about 1/6 of the bases
    monkeypatch.setattr(track, "_class_probs", non_genic)
    assert (track.predict_chunk(codes) < 0.01).all()


def test_reverse_complement_windows_are_the_other_strand_read_with_mapped_labels():
    from genoview.core.models.kmer_bert.data import reverse_complement_codes
    from genoview.core.genome import CODING_FRAME_REVERSE as REVERSE_CLASSES

    rng = np.random.default_rng(7)
    codes = rng.integers(0, 5, size=400).astype(np.uint8)
    classes = rng.integers(0, 8, size=400)
    vocab = KmerVocab.for_k(6)
    assert "".join("ACGTN"[c] for c in reverse_complement_codes(codes_from_text("AACGTN"))) == "NACGTT"
    both = TokenLabelWindows(codes, classes, vocab, 50, stride=25, reverse_complement=REVERSE_CLASSES)
    plain = TokenLabelWindows(codes, classes, vocab, 50, stride=25)
    n = len(plain)
    assert len(both) == 2 * n
    for i in range(n):
        start = plain.starts[i]
        window = slice(start, start + 55)                 # 50 six-mers cover 55 bases
        other = TokenLabelWindows(reverse_complement_codes(codes[window]), REVERSE_CLASSES[classes[window][::-1]],
                                  vocab, 50)
        assert np.array_equal(both[n + i]["input_ids"], other[0]["input_ids"])
        assert np.array_equal(both[n + i]["labels"], other[0]["labels"])
        assert np.array_equal(both[i]["labels"], plain[i]["labels"])
    # a + strand CDS read backwards is a - strand CDS with the same codon positions from its 5' end
    assert REVERSE_CLASSES[[0, 1, 2, 3, 4, 5, 6, 7]].tolist() == [0, 1, 5, 6, 7, 2, 3, 4]


def test_frame_decoding_on_both_strands_is_strand_symmetric():
    from genoview.core.models.kmer_bert.data import reverse_complement_codes
    from genoview.core.models.kmer_bert.modeling import model_class

    vocab = KmerVocab.for_k(3)
    config = build_config(vocab, hidden_size=16, num_layers=1, num_heads=2, max_tokens=66, dropout=0.0)
    config.num_labels = 8
    torch.manual_seed(0)
    track = KmerBertTrackModel(model_class(TASK_TOKENS)(config), vocab, TASK_TOKENS, frame_window=31,
                               both_strands=True)
    codes = np.random.default_rng(1).integers(0, 4, size=(1, track.chunk_size + 2 * track.context)).astype(np.uint8)
    forward = track.predict_chunk(codes)
    backward = track.predict_chunk(np.ascontiguousarray(reverse_complement_codes(codes)))
    assert np.allclose(forward, backward[:, ::-1], atol=1e-5)
