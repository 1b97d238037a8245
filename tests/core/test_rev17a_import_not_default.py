"""An imported model is never the library's default (rev17a, session 17): since abc45f3 a model of the user's own
library flagged "default": true is the default language model for every genome, bacteria included, so the
documented Export zip… then Import zip… of the shipped lm-human-genes (or a colleague's default) silently replaced
the bacterial-gene model a prokaryote is given."""
from __future__ import annotations

import json

from genoview.core.genome_kind import language_model_for
from genoview.core.library import export_zip, import_model
from genoview.core.lm_models import language_model_default


def test_a_copy_of_the_shipped_default_language_model_is_not_the_users_default(tmp_path):
    export_zip("lm-human-genes", tmp_path / "lm.zip")
    target = import_model(tmp_path / "lm.zip", "lm-copy")
    assert json.loads((target / "genoview.json").read_text()).get("default") is not True
    assert language_model_default() == ("lm-human-genes", False)
    name, _ = language_model_for("prokaryote", "lm-human-genes", "kn-ecoli-genes", False)
    assert name == "kn-ecoli-genes"


def test_a_flag_set_by_hand_in_the_library_is_still_the_users_choice(tmp_path):
    target = import_model(export_zip("lm-human-genes", tmp_path / "lm.zip"), "mine")
    info = json.loads((target / "genoview.json").read_text())
    (target / "genoview.json").write_text(json.dumps({**info, "default": True}))
    assert language_model_default() == ("mine", True)
