"""A validation part too short for one window is refused with the numbers and a window that fits (the example
genome's 7 kb validation stretch against GeneCNN's 4 kb window and 2.1 kb of context each side: the message used to
say only "use a smaller --window")."""
from __future__ import annotations

from types import SimpleNamespace

from genoview.core.training.datasets import Region, TiledWindows, no_validation_window_message


def test_names_the_stretch_the_need_and_a_window_that_fits():
    valid = [Region("chrEx", 63_000, 70_000), Region("plasmidEx", 5_040, 5_600)]
    dataset = SimpleNamespace(chunk=4000, context=2143, __len__=lambda: 0)
    message = no_validation_window_message(valid, dataset)
    assert "holds no whole window" in message
    assert "longest stretch is 7,000 bases" in message and "needs 8,286" in message
    assert "--window 2700 (or less)" in message and "--valid-fraction" in message
    # the window it names does fit: one tiled validation window
    codes = {"chrEx": (None, None), "plasmidEx": (None, None)}
    assert len(TiledWindows(codes, valid, 2700, 2143)) == 1
    wizard = no_validation_window_message(valid, dataset, wizard=True)
    assert "a window of 2,700 bases or less (Task page)" in wizard and "validation fraction (Data page)" in wizard
    assert "--" not in wizard


def test_context_wider_than_the_stretch_and_unknown_windows():
    narrow = no_validation_window_message([Region("s", 0, 4000)], SimpleNamespace(chunk=4000, context=2143))
    assert "raise --valid-fraction (the context alone is wider" in narrow and "--window" not in narrow
    other = no_validation_window_message([Region("s", 0, 500)], None)   # a dataset without chunk/context
    assert other.endswith("raise --valid-fraction or use a smaller --window")


def test_genoview_train_names_the_validation_fraction_that_fits(tmp_path, capsys):
    """`genoview train` on the example genome names the fraction the wizard's Data page names (0.12), not only
    "raise --valid-fraction"; the refusal comes before any model folder is made."""
    from pathlib import Path

    from genoview.cli import main

    example = Path(__file__).resolve().parents[2] / "resources" / "example"
    out = tmp_path / "m"
    code = main(["train", "--architecture", "genecnn", "--fasta", str(example / "example.fa"),
                 "--gff", str(example / "example.gff3"), "--max-steps", "1", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and not out.exists()
    assert "--window 2700 (or less), or raise --valid-fraction to 0.12 or more" in err


def test_the_wizard_preview_offers_the_window_the_message_names():
    """One rule (datasets.window_that_fits) for the refusal's "--window N" and the Data page's "use a window that
    fits" button (training_plan.data_preview's window_fits): session 16's review found two copies of the formula."""
    from pathlib import Path

    from genoview.core.training.datasets import window_that_fits
    from genoview.core.training.spec import TrainingSpec
    from genoview.core.training_plan import data_preview

    assert window_that_fits(7000, 2143) == 2700
    assert window_that_fits(2400, 1150) == 100 and window_that_fits(2399, 1150) is None
    example = Path(__file__).resolve().parents[2] / "resources" / "example"
    spec = TrainingSpec(fasta=str(example / "example.fa"), annotation=str(example / "example.gff3"),
                        architecture="genecnn")
    preview = data_preview(spec)
    assert preview["window_fits"] == 2700 and "a window of 2,700 bases or less" in preview["valid_too_short"]
