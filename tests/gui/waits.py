"""How long GUI tests wait for work on a worker before failing: always on a condition (qtbot.waitUntil/waitSignal),
never a fixed sleep, so an idle machine is not slowed; a hang still stops at pytest's 600 s per test."""

# the training wizard's first Data-page preview imports torch and transformers for the model's context: 10.5 s of CPU
# idle, 58-84 s measured at load ~7 on 2 cores, where the 60 s these tests allowed failed 3 runs of 5 (session 18)
PREVIEW_MS = 300_000


def fill_data_page(qtbot, wizard, fasta, annotation, until=None):
    """Show ``wizard``, give its Data page a genome and an annotation, and wait for the preview (or ``until(page)``,
    a condition on the page); returns the Data page. One copy of the steps most wizard tests start with."""
    wizard.show()
    page = wizard.data_page
    page.fasta_edit.setText(str(fasta))
    page.annotation_edit.setText(str(annotation))
    page.refresh_preview()
    qtbot.waitUntil((lambda: until(page)) if until else (lambda: page.preview is not None), timeout=PREVIEW_MS)
    return page
