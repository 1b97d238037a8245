"""`genoview saturation --window` (session 15, H-q1): a 200 kb region with --length 20 re-read all 200 kb for every
change; each change is now scored in the window variant-effects scores the same single-base variant in
(`vcf_effects._window_of`, the one helper), a region no longer than the window exactly as before."""
from __future__ import annotations

import numpy as np

from genoview.cli import main as cli_main
from genoview.core.variant_effects import ALTERNATIVES, saturation_lm, saturation_windows
from genoview.core.vcf_effects import _window_of
from genoview.paths import RESOURCES_DIR

EXAMPLE = RESOURCES_DIR / "example"


class _LongMemory:
    """A toy left-to-right model whose every base's score depends on all bases before it (a change anywhere moves
    the whole rest of the sequence's score): windowing shows."""
    name = "long-memory"

    def token_logprobs(self, sequences, cancel=None):
        out = []
        for s in sequences:
            a = np.cumsum([b == "A" for b in s])
            out.append(-1.0 - 0.01 * a - 0.001 * np.arange(len(s)))
        return out


def test_each_change_is_scored_in_the_window_variant_effects_uses_and_a_short_sequence_is_unchanged():
    rng = np.random.default_rng(3)
    seq = "".join(rng.choice(list("ACGT"), 1000))
    model = _LongMemory()
    windowed = saturation_lm(model, seq, 530, 580, fast=False, window=200, deletions=True)
    pieces = saturation_windows(1000, 530, 580, 200)
    assert len(pieces) >= 2 and windowed.extra["windows"] == [p[:2] for p in pieces]
    assert pieces[0][2] == 530 and pieces[-1][3] == 580 and all(p[3] == q[2] for p, q in zip(pieces, pieces[1:]))
    for i in (530, 549, 550, 579):
        lo, hi = _window_of(i, i + 1, 1000, 200)
        ref = float(np.sum(model.token_logprobs([seq[lo:hi]])[0]))
        for j, alt in enumerate(ALTERNATIVES):
            if alt == seq[i]:
                assert np.isnan(windowed.effects[i - 530, j])
                continue
            changed = seq[lo:i] + ("" if alt == "del" else alt) + seq[i + 1:hi]
            assert np.isclose(windowed.effects[i - 530, j], np.sum(model.token_logprobs([changed])[0]) - ref)
    whole = saturation_lm(model, seq, 530, 580, fast=False, deletions=True)
    assert not np.allclose(np.nan_to_num(whole.effects), np.nan_to_num(windowed.effects))   # windowing did read less
    assert (windowed.sequence, windowed.start, windowed.end) == (whole.sequence, whole.start, whole.end)
    assert saturation_windows(1000, 10, 20, 1000) == [(0, 1000, 10, 20)] == saturation_windows(1000, 10, 20, 0)
    short = saturation_lm(model, seq, 530, 580, fast=False, window=1000, deletions=True)
    np.testing.assert_array_equal(short.effects, whole.effects)


def test_cli_windows_a_long_region_says_so_and_a_local_model_gives_the_same_rows(tmp_path, capsys):
    common = ["saturation", "--genome", str(EXAMPLE / "example.fa"), "--region", "chrEx:1-2000", "--from", "1000",
              "--length", "5", "--model", "kn-human-genes"]
    assert cli_main(common + ["--window", "300", "--out", str(tmp_path / "w.csv")]) == 0
    err = capsys.readouterr().err
    assert "the region is 2,000 bases: each change is scored in the 300-base window around it" in err
    assert cli_main(common + ["--window", "0", "--out", str(tmp_path / "all.csv")]) == 0
    assert "window around it" not in capsys.readouterr().err
    # an n-gram's effects reach a dozen bases: the window's rows are the whole region's, byte for byte
    assert (tmp_path / "w.csv").read_bytes() == (tmp_path / "all.csv").read_bytes()
    assert cli_main(common + ["--window", "50", "--out", str(tmp_path / "x.csv")]) == 2
    assert "--window 50: give at least 100 bases" in capsys.readouterr().err
