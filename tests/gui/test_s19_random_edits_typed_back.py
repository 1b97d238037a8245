"""Real vs mutated's status line says random edits on the real sequence, so typed back into Typed edits they make
the same copy (README); the generator's own positions are each on the sequence the edits before made (H-walk19)."""
from __future__ import annotations

from tests.gui.test_mutation_panel import GENES, _run, ngram_dir, panel  # noqa: F401 - fixtures


def test_the_random_edits_said_type_back_to_the_same_copy(qtbot, panel):  # noqa: F811
    panel.pasted.setPlainText(GENES[4])
    made = None
    for seed in range(40):   # a seed whose edits shift one another (an indel left of a later edit)
        panel.seed.setValue(seed)
        panel.max_edits.setValue(6)
        _run(qtbot, panel, panel.run_compare)
        if panel.pair.edits_on_real() != sorted(panel.pair.edits, key=lambda e: (e.position, len(e.ref))):
            made = panel.pair.mutated
            break
    assert made is not None
    said = panel.status.text().split("edits: ", 1)[1]
    panel.mode.setCurrentText("Typed edits")
    panel.typed_edits.setText(said)
    _run(qtbot, panel, panel.run_compare)
    assert panel.pair.mutated == made, said
