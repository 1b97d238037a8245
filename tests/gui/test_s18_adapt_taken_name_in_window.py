"""Models ▸ Adapt to this genome and a name another model has (3f37b52 made `adapt` refuse one): the window checked
its library folder only, so a shipped, built-in or registered model's name started the job, which then failed with
the command line's words ("give --name NEW"). The window now refuses it before any job, in its own words, and
suggests only names no model has (rev18b)."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("name", ["geneorf-bacteria", "prodigal", "my-registered"])
def test_a_name_another_model_has_is_refused_before_any_job(qtbot, open_example_window, tmp_path, name):
    import shutil

    from genoview import paths
    from genoview.core.models import register_model_dir
    from genoview.gui.dialogs.adapt import start_adaptation, suggested_name

    registered = tmp_path / "elsewhere" / "my-registered"   # a model registered in place, outside the library
    shutil.copytree(paths.SHIPPED_MODELS_DIR / "geneorf-bacteria", registered)
    register_model_dir(registered)
    window = open_example_window()
    said = []
    window.report_error = lambda title, message: said.append(message)
    submitted = []
    window.runner.submit = lambda job: submitted.append(job)
    assert start_adaptation(window, "geneorf-bacteria", name, offer_prediction=lambda n: False) is None
    assert not submitted
    (message,) = said
    assert "Choose another name" in message and repr(name) in message and "--name" not in message
    # the dialog never suggests such a name: a genome file named like a registered model's suffix gets a number
    assert suggested_name("my", str(tmp_path / "registered.fa")) == "my-registered"
    from genoview.gui.dialogs import adapt

    assert suggested_name("my", str(tmp_path / "registered.fa"), adapt._in_library) == "my-registered-2"
