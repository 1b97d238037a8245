"""rev13: the Review page read the unfinished-run record (a folder listing and the newest checkpoint's JSON) on the
GUI thread at every keystroke of the model name, and a damaged record raised in that slot. Now each name is read
once, on a worker, after a pause in typing; Next before the answer reads it then, so a run is never discarded
unseen."""
from __future__ import annotations

import threading


def _counting(monkeypatch, record):
    import genoview.core.training.runner as runner

    calls = []

    def unfinished_run(out):
        calls.append((out.name, threading.current_thread() is threading.main_thread()))
        if isinstance(record, Exception):
            raise record
        return record

    monkeypatch.setattr(runner, "unfinished_run", unfinished_run)
    return calls


def test_typing_a_name_reads_it_once_off_the_gui_thread(qtbot, tmp_path, resumable_wizard, monkeypatch):
    wizard, _, _ = resumable_wizard(None)
    calls = _counting(monkeypatch, {"folder": str(tmp_path), "step": 100, "total_steps": 600, "seconds": 60.0,
                                    "spec": None})
    page = wizard.review_page
    page.name_edit.clear()
    for end in range(1, len("my-run") + 1):
        page.name_edit.setText("my-run"[:end])
    qtbot.waitUntil(lambda: page.unfinished_known("my-run"))
    assert calls == [("my-run", False)]
    assert page.resume_check.isVisibleTo(page) and "step 100 of 600, 1 min 00 s" in page.resume_check.text()
    # on two lines: one line ran past the 900-pixel wizard's edge ("...training starts ane")
    assert page.resume_check.sizeHint().width() < 760
    page.name_edit.setText("my-ru")   # back to a name not read: hidden until read
    page.name_edit.setText("my-run")   # a name read before: shown at once, not read again
    assert page.resume_check.isVisibleTo(page) and len(calls) == 1
    wizard.reject()


def test_a_damaged_record_offers_nothing(qtbot, tmp_path, resumable_wizard, monkeypatch):
    wizard, _, _ = resumable_wizard(None)
    _counting(monkeypatch, ValueError("Expecting value: line 1 column 1 (char 0)"))
    page = wizard.review_page
    page.name_edit.setText("broken-run")
    qtbot.waitUntil(lambda: page.unfinished_known("broken-run"))
    assert not page.resume_check.isVisibleTo(page)
    wizard.reject()


def test_next_before_the_answer_shows_the_run_first(qtbot, tmp_path, resumable_wizard, monkeypatch):
    wizard, _, _ = resumable_wizard(None)
    calls = _counting(monkeypatch, {"folder": str(tmp_path), "step": 50, "total_steps": None, "seconds": None,
                                    "spec": None})
    page = wizard.review_page
    page.name_edit.setText("fast-click")
    assert not page.unfinished_known("fast-click") and not page.resume_check.isVisibleTo(page)
    assert page.validatePage() is False   # the box is shown, ticked: not discarded unseen
    assert page.resume_check.isVisibleTo(page) and page.resume_check.isChecked()
    assert page.validatePage() is True and wizard.values["resume"] is True
    assert len(calls) == 1
    wizard.reject()
