"""Library ▸ Use in Real vs mutated fills the language-model field: the caption under it said nothing (blank) and a
genome opened afterwards replaced the chosen model with its suggestion. Now the caption says where the name came from
and what to do next, and the choice is kept as a typed one is."""
from __future__ import annotations

from genoview.gui.panels.mutation import MutationModelNames


def test_a_model_from_the_library_is_captioned_and_kept(qtbot, open_example_window):
    window = open_example_window()
    panel = window.mutation_panel
    qtbot.waitUntil(lambda: panel.names_loaded, timeout=20000)
    library = window.open_model_library()
    library.quiet = True
    library.language_model_requested.emit("kn-human-genes")   # what Use in Real vs mutated sends
    assert panel.lm_names.text() == "kn-human-genes"
    hint = panel.lm_hint.text()
    assert hint.startswith("kn-human-genes: chosen in the model library")
    assert "Mutate & compare" in hint and "paste" in hint
    panel.suggest_lm()   # what opening another genome (or its annotation) runs
    assert panel.lm_names.text() == "kn-human-genes" and panel.lm_hint.text() == hint
    library.close()


def test_names_read_after_the_library_choice_keep_its_caption(qtbot, open_example_window):
    panel = open_example_window().mutation_panel
    qtbot.waitUntil(lambda: panel.names_loaded, timeout=20000)
    panel.use_language_models("kn-human-genes")
    panel.use_model_names(MutationModelNames("other-lm", "geneorf-bacteria", None, []))   # a late read
    assert panel.lm_names.text() == "kn-human-genes" and "chosen in the model library" in panel.lm_hint.text()
    panel.lm_names.setText("")
    panel._lm_edited("")   # cleared by the user: back to the suggestion, with its own caption
    assert panel.lm_names.text() == "other-lm" and "chosen" not in panel.lm_hint.text() and panel.lm_hint.text()


def test_a_name_set_while_reading_is_not_left_blank(qtbot, open_example_window):
    panel = open_example_window().mutation_panel
    qtbot.waitUntil(lambda: panel.names_loaded, timeout=20000)
    panel.lm_names.setText("kn-human-genes")   # set by code, before the names came
    panel.use_model_names(MutationModelNames("other-lm", "geneorf-bacteria", None, []))
    assert panel.lm_hint.text() != ""
