"""Nucleotide language models: KN n-gram probabilities, verdict rules, save/load without pickle, ensembles,
directions, the split by gene, scoring commands and variant effects."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from genoview.cli import main as cli_main
from genoview.core.lm import EnsembleLM, GeneScore, LanguageModel, perplexity
from genoview.core.lm_data import Gene, shared_fraction, split_genes
from genoview.core.lm_scoring import PairScores
from genoview.core.models.ngram import build_model, fit_ngram, load as load_ngram

RNG = np.random.default_rng(0)
MOTIFS = ["ATGGCCAAGT", "TTAGGCTACG", "CCGATAGCAT"]
TRAIN = ["".join(MOTIFS[i] for i in RNG.integers(0, 3, 8)) for _ in range(40)]
VALID = ["".join(MOTIFS[i] for i in RNG.integers(0, 3, 8)) for _ in range(10)]


def test_a_hand_computed_unigram():
    # genes A and AC: predicted tokens A, >, A, C, > ; counts A2 C1 >2; counts of counts too few -> D = .5/1/1.5
    # gamma = (1 + .5 + 1) / 5 = .5; p(A) = (2 - 1)/5 + .5/5 = .3; p(C) = .5/5 + .1 = .2; p(G) = .1; p(>) = .3
    model = build_model(["A", "AC"], contexts=[0])
    lp = model.token_logprobs(["G"])[0]
    assert np.allclose(np.exp(lp), [0.1, 0.3])
    assert np.allclose(np.exp(model.token_logprobs(["AC"])[0]), [0.3, 0.2, 0.3])


@pytest.mark.parametrize("contexts", [[0, 1, 2], [0, 1, 2, 3, 5, 9], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 13]])
def test_every_next_token_distribution_sums_to_one(contexts):
    model = build_model(TRAIN, contexts=contexts, factors=[0.7] * len(contexts))
    for context in ["", "A", "ATGGCC", VALID[0][:25], "GGGGGGGGGGGGGGG"]:
        probs = [np.exp(model.token_logprobs([context + b])[0][len(context)]) for b in "ACGT"]
        probs.append(np.exp(model.token_logprobs([context])[0][-1]))
        assert math.isclose(sum(probs), 1.0, rel_tol=1e-9)


def test_fit_chooses_on_validation_and_saves_without_pickle(tmp_path):
    out = tmp_path / "kn"
    report = fit_ngram(TRAIN, VALID, out, contexts=[0, 1, 2, 3, 5, 7, 11], table_contexts=5, sweeps=1,
                       log=lambda text: None)
    assert (out / "model.safetensors").is_file() and (out / "config.json").is_file()
    assert not list(out.glob("*.bin")) and not list(out.glob("*.pkl"))
    with open(out / "model.safetensors", "rb") as handle:
        assert b"train.tokens" in handle.read(4096)     # long levels are recounted from the stored tokens
    model = load_ngram(out)
    fresh = build_model(TRAIN, contexts=[0, 1, 2, 3, 5, 7, 11], factors=report["chosen"]["discount_factors"])
    for a, b in zip(model.token_logprobs(VALID), fresh.token_logprobs(VALID)):
        assert np.allclose(a, b)
    assert perplexity(model, VALID) == pytest.approx(report["best_valid_perplexity"], rel=1e-3)
    assert perplexity(model, VALID) < 2.0     # the motifs are easy to learn


def test_reverse_models_score_in_gene_order_and_ensembles_average():
    forward = build_model(TRAIN, contexts=[0, 1, 2, 3])
    backward = build_model(TRAIN, contexts=[0, 1, 2, 3], reverse=True)
    gene = VALID[1]
    f, b = forward.token_logprobs([gene])[0], backward.token_logprobs([gene])[0]
    assert len(f) == len(b) == len(gene) + 1
    # the backward model's first base is scored last in its reading; in gene order it is entry 0
    from genoview.core.lm import gene_tokens

    read_order = backward.tables.logprobs([gene_tokens(gene, reverse=True)])
    assert b[len(gene) - 1] == read_order[0] and b[0] == read_order[len(gene) - 1] and b[-1] == read_order[-1]
    both = EnsembleLM([forward, backward]).token_logprobs([gene])[0]
    assert np.allclose(both, (f + b) / 2)


def test_verdict_rules_on_hand_made_scores():
    # real: -10 over 5 tokens (mean -2); mutated: -11 over 6 tokens (mean -1.83): longer but likelier per token
    s = PairScores("m", ["g"], np.array([-10.0]), np.array([5]), np.array([-11.0]), np.array([6]))
    assert s.accuracy("probability") == 1.0      # total log-likelihood: real wins
    assert s.accuracy("perplexity") == 0.0       # perplexity: the mutated copy is lower
    tie = PairScores("m", ["g"], np.array([-10.0]), np.array([5]), np.array([-10.0]), np.array([5]))
    assert tie.accuracy("perplexity") == 0.0     # a tie is not a win
    assert GeneScore(-10.0, 5).perplexity == pytest.approx(math.exp(2))


def test_split_by_gene_moves_near_copies_to_training():
    genes = [Gene(f"g{i}", s) for i, s in enumerate(TRAIN)]
    unrelated = ["".join("ACGT"[j] for j in np.random.default_rng(i).integers(0, 4, 120)) for i in range(30)]
    genes += [Gene(f"u{i}", s) for i, s in enumerate(unrelated)]
    genes += [Gene(f"copy{i}", s[:-3] + "A") for i, s in enumerate(unrelated[:10])]
    split = split_genes(genes, test_fraction=0.3, valid_fraction=0.2, seed=3, k=32)
    test_ids = {g.id for g in split.test}
    assert not test_ids & {g.id for g in split.train}
    assert (shared_fraction(split.test, split.train + split.valid) < 0.5).all()
    assert (shared_fraction(split.valid, split.train) < 0.5).all()
    assert len(split.train) + len(split.valid) + len(split.test) == len(genes)


def test_lstm_and_gpt_train_save_and_load_from_safetensors(tmp_path):
    torch = pytest.importorskip("torch")
    from genoview.core.lm_models import load_language_model
    from genoview.core.lm_training import train_causal_lm
    from genoview.core.models import gpt_lm, lstm_lm

    torch.manual_seed(0)
    for name, module in (("lstm", lstm_lm.build(hidden_size=16, num_layers=1, embedding_size=8)),
                         ("gpt", gpt_lm.build(n_embd=16, n_layer=1, n_head=2, n_positions=128))):
        out = tmp_path / name
        report = train_causal_lm(module, TRAIN, VALID, out, max_epochs=2, log=lambda text: None)
        assert (out / "model.safetensors").is_file() and report["epochs"] == 2
        model = load_language_model(out)
        lp = model.token_logprobs([VALID[0], "ACG"])
        assert [len(x) for x in lp] == [len(VALID[0]) + 1, 4] and all(np.all(x < 0) for x in lp)
        assert perplexity(model, VALID) == pytest.approx(report["best_valid_perplexity"], rel=1e-3)


def _ngram_dir(tmp_path):
    out = tmp_path / "kn"
    fit_ngram(TRAIN, VALID, out, contexts=[0, 1, 2, 3, 4, 5], sweeps=1, log=lambda text: None)
    from genoview.core.lm_models import write_metadata

    write_metadata(out, name="kn", architecture="ngram-lm", task="language-model")
    return out


def test_score_pairs_cli_prints_accuracy_json_and_writes_scores(tmp_path, capsys):
    model_dir = _ngram_dir(tmp_path)
    genes = tmp_path / "genes.csv"
    genes.write_text("NCBIGeneID,NucleotideSequence\n" + "\n".join(f"v{i},<{g}>" for i, g in enumerate(VALID)))
    pairs = tmp_path / "pairs.csv"
    assert cli_main(["mutate", "--genes", str(genes), "--max-changes", "5", "--n", "200", "--seed", "0",
                     "--out", str(pairs)]) == 0
    capsys.readouterr()
    assert cli_main(["score-pairs", "--model", f"{model_dir},{model_dir}", "--pairs", str(pairs), "--json",
                     "--out", str(tmp_path / "scores.csv")]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["n"] == 200 and result["accuracy"] > 0.8 and result["rule"] == "perplexity"
    assert len((tmp_path / "scores.csv").read_text().splitlines()) == 201


def test_saturation_mutagenesis_grid_and_gene_model_tile(tmp_path):
    from genoview.core.lm_models import load_language_model
    from genoview.core.variant_effects import saturation_gene_model, saturation_lm

    model = load_language_model(_ngram_dir(tmp_path))
    gene = VALID[2]
    result = saturation_lm(model, gene, 5, 15, deletions=True)
    assert result.effects.shape == (10, 5)
    ref_cols = ["ACGT".index(gene[i]) for i in range(5, 15)]
    assert np.isnan(result.effects[np.arange(10), ref_cols]).all()
    assert np.isfinite(np.delete(result.effects, ref_cols, axis=1)[:, :3]).sum() >= 10
    mutated = gene[:7] + ("A" if gene[7] != "A" else "C") + gene[8:]
    expected = float(np.sum(model.token_logprobs([mutated])[0]) - np.sum(model.token_logprobs([gene])[0]))
    assert result.effects[2, "ACGT".index(mutated[7])] == pytest.approx(expected)
    result.write_csv(tmp_path / "sat.csv")
    assert len((tmp_path / "sat.csv").read_text().splitlines()) == 1 + 10 * 4

    class GCContent:     # a fake gene model: P(genic) = GC share of a 5-base neighbourhood, context 4
        context, name = 4, "gc"

        def predict_chunk(self, codes):
            gc = ((codes == 1) | (codes == 2)).astype(float)
            kernel = np.ones(5) / 5
            out = np.stack([np.convolve(row, kernel, mode="same") for row in gc])
            return out[:, self.context:-self.context].astype(np.float32)

    seq = "AAAAAAAAAACCCCCCCCCC"
    gm = saturation_gene_model(GCContent(), seq, 5, 15, flank_left="GG", flank_right="TT")
    assert gm.effects.shape == (10, 5) and gm.max_effect().shape == (10,)
    assert gm.effects[0, 1] > 0 and gm.effects[9, 0] < 0     # A->C adds GC, C->A removes it


def test_gene_model_mutagenesis_with_the_shipped_genecnn_matches_full_tiles(monkeypatch):
    import genoview.core.variant_effects as effects
    from genoview.core.models import load_model

    model = load_model("genecnn-ecoli", device="cpu")
    rng = np.random.default_rng(5)
    text = "".join("ACGT"[i] for i in rng.integers(0, 4, 2 * model.context + 6))
    window = text[model.context:model.context + 6]
    kwargs = dict(flank_left=text[:model.context], flank_right=text[model.context + 6:])
    fast = effects.saturation_gene_model(model, window, **kwargs)
    monkeypatch.setattr(effects, "_cropped_genecnn", lambda *args: None)
    full = effects.saturation_gene_model(model, window, **kwargs)
    assert np.allclose(fast.effects, full.effects, atol=1e-6, equal_nan=True)


def test_kmer_bert_pseudo_log_likelihood_and_masked_marginals(tmp_path):
    torch = pytest.importorskip("torch")
    from transformers import BertForMaskedLM, BertForTokenClassification

    from genoview.core.errors import GenoViewInputError
    from genoview.core.lm_models import load_language_model
    from genoview.core.models.kmer_bert import KmerVocab, build_config, save_model_dir
    from genoview.core.variant_effects import saturation_lm

    torch.manual_seed(0)
    vocab = KmerVocab.for_k(3)
    config = build_config(vocab, hidden_size=16, num_layers=1, num_heads=2, max_tokens=34)
    mlm_dir = save_model_dir(BertForMaskedLM(config), vocab, tmp_path / "mlm", {"task": "masked-language-model"})
    model = load_language_model(mlm_dir)
    gene = VALID[0][:70]                          # longer than the 32 token positions: read in windows
    lp = model.token_logprobs([gene, "ACGTA"])
    assert [len(x) for x in lp] == [71, 6] and np.isfinite(lp[0]).all() and lp[0][-1] == pytest.approx(lp[0][:-1].mean())
    marginals = model.masked_marginals(gene)
    assert np.allclose(np.exp(marginals).sum(axis=1), 1.0, atol=1e-5)
    result = saturation_lm(model, gene, 3, 9)
    assert result.measure == "masked-marginal log-ratio" and np.isnan(result.effects[:, 4]).all()
    tuned = save_model_dir(BertForTokenClassification(config), vocab, tmp_path / "tuned", {"task": "gene-probability"})
    with pytest.raises(GenoViewInputError, match="no masked-LM head"):
        load_language_model(tuned)
