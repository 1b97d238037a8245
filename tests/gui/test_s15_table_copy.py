"""Ctrl+C and right-click Copy on GenoView's tables (Qt's views copy nothing themselves): the evaluation's numbers,
the gene disagreements, the language models' verdicts and the library's runs paste into a spreadsheet as cells."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

from genoview.core.genome import open_genome
from genoview.gui.panels.evaluation import EvaluationPanel
from genoview.gui.session import ProbabilityTrack, Session
from genoview.gui.table_copy import make_copyable
from genoview.gui.workers import wait_for_background


def test_rows_cells_and_the_whole_table(qtbot):
    table = QTableWidget(3, 2)
    qtbot.addWidget(table)
    table.setHorizontalHeaderLabels(["gene", "score"])
    table.verticalHeader().hide()
    for row, (gene, score) in enumerate((("thrA", "0.9"), ("thr\tB", "0.8"), ("thrC", "0.7"))):
        table.setItem(row, 0, QTableWidgetItem(gene))
        table.setItem(row, 1, QTableWidgetItem(score))
    make_copyable(table)
    assert [a.text() for a in table.actions()] == ["Copy", "Copy the whole table"]
    assert table.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    table.show()
    table.setFocus()
    table.setCurrentCell(1, 1)
    qtbot.keyClick(table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "0.8"   # one cell: its text alone
    table.selectRow(2)
    table.selectionModel().select(table.model().index(1, 0), QItemSelectionModel.SelectionFlag.Select
                                  | QItemSelectionModel.SelectionFlag.Rows)
    table.copy_action.trigger()
    assert QGuiApplication.clipboard().text() == "gene\tscore\nthr B\t0.8\nthrC\t0.7\n"   # a tab in a cell: a space
    table.copy_table_action.trigger()
    assert QGuiApplication.clipboard().text().splitlines() == ["gene\tscore", "thrA\t0.9", "thr B\t0.8", "thrC\t0.7"]


def test_the_evaluation_numbers_copy_with_their_names(qtbot, data_dir):
    genome = open_genome(data_dir / "guib_small.fa", data_dir / "guib_small.gff3")
    session = Session()
    session.set_genome(genome)
    values = genome.label_mask("chrA").astype(np.float32) * 0.8 + 0.1
    session.add_track(ProbabilityTrack("toy @ chrA", "toy", "chrA", values, model_name=""))
    panel = EvaluationPanel(session, None)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.evaluated, timeout=10000):
        panel.show()
    panel.metrics_table.copy_table_action.trigger()
    lines = QGuiApplication.clipboard().text().splitlines()
    mcc = next(line for line in lines if line.startswith("MCC\t"))   # the row's name in front of its number
    assert abs(float(mcc.split("\t")[1]) - panel.current_metrics()["mcc"]) < 1e-4
    wait_for_background()
    genome.close()
