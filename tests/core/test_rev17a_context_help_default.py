"""The context setting's help names the flank a GeneCNN run really gets (rev17a, session 17 review of 5874cd9): with
no context it said "GeneCNN's orf_reach option, 2,000 by default", but the flank is orf_reach plus the convolutions'
reach, 2,143 bases (the number the validation-window refusal names), and --context N gives N plus that reach."""
from __future__ import annotations

from genoview.cli import build_parser
from genoview.core.models.genecnn.configuration_genecnn import GeneCNNConfig
from genoview.core.models.genecnn.training import window_context
from genoview.core.training.spec import TrainingSpec, spec_schema


def test_the_help_says_the_flank_genecnn_gets():
    flank = window_context(TrainingSpec(architecture="genecnn"))
    reach = flank - GeneCNNConfig().orf_reach
    assert (flank, reach) == (2143, 143)
    assert window_context(TrainingSpec(architecture="genecnn", context=3000)) == 3000 + reach
    help_ = next(r["help"] for r in spec_schema() if r["name"] == "context")
    assert f"{flank:,} for GeneCNN" in help_ and f"reach, {reach} by default" in help_
    train = next(a for a in build_parser()._subparsers._group_actions[0].choices["train"]._actions
                 if "--context" in a.option_strings)
    assert f"{flank:,} for GeneCNN" in train.help and "N plus that reach" in train.help
