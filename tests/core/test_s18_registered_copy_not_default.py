"""A registered copy of the shipped lm-human-genes is not the user's default language model (session 18, H-left18):
register_model_dir keeps a folder in place, so its copied "default": true (the shipped flag, never the user's choice)
made the copy the default for every genome, bacteria included, as an import did before 5322fe8. The same for a copy
put in the library folder by hand. A copy of another shipped model that the user flagged is their choice (abc45f3)."""
from __future__ import annotations

import json
import shutil

from genoview import paths
from genoview.core.genome_kind import language_model_for
from genoview.core.library import shipped_copy_of
from genoview.core.lm_models import language_model_default
from genoview.core.models import register_model_dir


def test_a_registered_copy_of_the_shipped_default_is_not_the_users_default(tmp_path):
    copy = tmp_path / "lm-copy"
    shutil.copytree(paths.SHIPPED_MODELS_DIR / "lm-human-genes", copy)
    register_model_dir(copy, "lm-copy")
    assert json.loads((copy / "genoview.json").read_text())["default"] is True   # the folder is left as it was
    assert shipped_copy_of(copy) == "lm-human-genes"
    assert language_model_default() == ("lm-human-genes", False)
    assert language_model_for("prokaryote", "lm-human-genes", "kn-ecoli-genes", False)[0] == "kn-ecoli-genes"


def test_a_copy_put_in_the_library_folder_by_hand_is_not_either():
    shutil.copytree(paths.SHIPPED_MODELS_DIR / "lm-human-genes", paths.model_library_dir() / "lm-mine")
    assert language_model_default() == ("lm-human-genes", False)


def test_a_registered_model_the_user_flagged_is_their_choice(tmp_path):
    own = tmp_path / "my-kn"
    shutil.copytree(paths.SHIPPED_MODELS_DIR / "kn-human-genes", own)   # not flagged where it was shipped
    info = json.loads((own / "genoview.json").read_text())
    (own / "genoview.json").write_text(json.dumps({**info, "default": True}))
    register_model_dir(own, "my-kn")
    assert shipped_copy_of(own) == "kn-human-genes"
    assert language_model_default() == ("my-kn", True)
