"""Models ▸ Adapt refuses a name exactly when `genoview adapt` does (core's check_library_name, which adapt_model
calls before any work): the window kept its own copy of that rule (_holder_of) until session 19."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("name", ["my-registered", "geneorf-bacteria", "prodigal", "a-fresh-name"])
def test_the_window_refuses_a_name_when_genoview_adapt_does(qtbot, open_example_window, tmp_path, name):
    import shutil

    from genoview import paths
    from genoview.core.errors import GenoViewInputError
    from genoview.core.models import check_library_name, register_model_dir
    from genoview.gui.dialogs.adapt import start_adaptation

    registered = tmp_path / "elsewhere" / "my-registered"   # another model's library entry (registered in place)
    shutil.copytree(paths.SHIPPED_MODELS_DIR / "geneorf-bacteria", registered)
    register_model_dir(registered)
    try:   # what `genoview adapt --out LIBRARY/NAME --name NAME` says before any work
        check_library_name(name, paths.model_library_dir() / name)
        cli_refuses = False
    except GenoViewInputError:
        cli_refuses = True
    window = open_example_window()
    said = []
    window.report_error = lambda title, message: said.append(message)
    submitted = []
    window.runner.submit = lambda job: submitted.append(job) or job
    start_adaptation(window, "geneorf-bacteria", name, offer_prediction=lambda n: False)
    window_refuses = not submitted
    assert window_refuses == cli_refuses == (name != "a-fresh-name")
    if window_refuses:
        assert "Choose another name" in said[0] and repr(name) in said[0]
