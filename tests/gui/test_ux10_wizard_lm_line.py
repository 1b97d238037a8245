"""The training wizard's language-model run reads its test perplexity from `genoview train-lm`'s output: the line
for people it now ends with (the JSON object with --json, as before)."""
from __future__ import annotations

from genoview.gui.wizard.run_page import lm_finished_words


def test_finished_words_read_the_line_for_people():
    log = ("train 3678 genes, validation 454, test 445\nsaved my-lm to /h/models/my-lm (in the library): validation "
           "perplexity 3.6914 (454 genes); test perplexity 3.6991 (445 genes) (per base, lower is better: 4 is a "
           "guess among A, C, G, T); genoview score-pairs --model my-lm PAIRS scores mutated copies with it\n")
    assert lm_finished_words(log) == ("Finished. Test perplexity 3.6991 on the held-out genes (lower is better; 1 to 4 "
                                      "for DNA).")
