"""An empty hyperparameter box says what it means, in the box and its tooltip, in a biologist's words: walked under
Xvfb (session 16, Fast CPU preset), "max minutes" read "default" (it means no time limit), "epochs" was blank (no
bound) and the tooltips said "null"."""
from __future__ import annotations

import dataclasses

from genoview.core.training.spec import TrainingSpec, spec_schema
from genoview.gui.wizard.fields import OptionForm


def test_empty_boxes_say_what_they_mean(qtbot):
    nullable = {f.name for f in dataclasses.fields(TrainingSpec) if "None" in str(f.type)}
    rows = [{**row, "nullable": row["name"] in nullable} for row in spec_schema()
            if row["name"] in ("epochs", "max_minutes", "patience", "eval_every", "batch_size")]
    form = OptionForm(rows)
    qtbot.addWidget(form)
    editor = {name: field.editor for name, field in form.fields.items()}
    assert editor["epochs"].placeholderText() == "no bound"
    assert editor["max_minutes"].placeholderText() == "no time limit"
    assert editor["patience"].placeholderText() == "never"
    assert editor["eval_every"].placeholderText() == "once per epoch"
    assert editor["batch_size"].placeholderText() == ""
    for name, widget in editor.items():
        assert "null" not in widget.toolTip(), name
    assert "leave empty for never" in editor["patience"].toolTip()
