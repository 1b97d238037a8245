"""The session-16 column renames are said where a user whose script reads the old names looks: CHANGELOG.md (old and
new name) and the command's --help (the new name). The headers themselves: test_atomic_write_helper,
test_cli_newcomer_saturation_positions, test_vcf_variant_effects."""
from __future__ import annotations

from pathlib import Path

import pytest

from genoview.cli import main

ROOT = Path(__file__).resolve().parents[2]
RENAMES = [("saturation", "effect", "effect_alt_minus_ref"),
           ("variant-effects", "log_likelihood_ratio", "llr_alt_minus_ref"),
           ("score-pairs", None, "mean_logprob_mutated_minus_real")]


@pytest.mark.parametrize("command, old, new", RENAMES)
def test_a_renamed_column_is_in_the_changelog_and_the_help(command, old, new, capsys):
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"`{new}`" in changelog and (old is None or f"`{old}`" in changelog)
    with pytest.raises(SystemExit):
        main([command, "--help"])
    assert new in "".join(capsys.readouterr().out.split())   # argparse wraps lines, never inside a name

