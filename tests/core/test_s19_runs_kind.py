"""H-cli19 walk: `genoview runs --kind predict` (the command's name) said "no runs recorded that match" although
predictions were recorded, as "prediction" runs; a misspelt kind said the same. The commands' names stand for their
kinds, and a kind GenoView does not record (and no run has) is refused, naming the kinds."""
from __future__ import annotations

import json

from genoview.cli import main as cli_main
from genoview.core.store import open_store


def test_command_names_stand_for_their_kinds_and_a_wrong_kind_is_named(capsys):
    store = open_store()
    for kind in ("prediction", "evaluation", "mutate", "older-kind"):
        store.finish_run(store.start_run(kind, "m", {}), "finished")
    for given, kind in (("predict", "prediction"), ("evaluate", "evaluation"), ("prediction", "prediction"),
                        ("older-kind", "older-kind")):   # a kind of another version sharing the home: listed
        assert cli_main(["runs", "--kind", given, "--json"]) == 0
        assert [r["kind"] for r in json.loads(capsys.readouterr().out)] == [kind], given
    assert cli_main(["runs", "--kind", "predictions"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--kind predictions: no such kind of run; the kinds are train, " in err
    assert cli_main(["runs", "--kind", "saturation"]) == 0   # one of GenoView's, none recorded yet
    assert "no runs recorded that match" in capsys.readouterr().out
