"""Ctrl+C and a right-click Copy on GenoView's tables, as tab-separated text a spreadsheet pastes into cells.

Qt's item views copy nothing by themselves: the evaluation's numbers, the Genes tab, the language models' verdicts,
the gene disagreements and the library's runs could only be typed over by hand.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QAbstractItemView


def _cell(text) -> str:
    return " ".join(str("" if text is None else text).split())   # a tab or line break inside a cell splits it


def table_text(view: QAbstractItemView, rows: list[int] | None = None, columns: list[int] | None = None,
               header: bool = True) -> str:
    """``rows`` x ``columns`` (default: all, the hidden ones left out) as tab-separated lines; ``header``: the column
    titles first, and each row's title (a vertical header shown, as the evaluation's metric names) in front."""
    model = view.model()
    if model is None:
        return ""
    hidden = getattr(view, "isColumnHidden", lambda column: False)
    columns = [c for c in (range(model.columnCount()) if columns is None else columns) if not hidden(c)]
    rows = list(range(model.rowCount())) if rows is None else rows
    vertical = getattr(view, "verticalHeader", lambda: None)()
    titled = header and vertical is not None and vertical.isVisible()
    lines = []
    if header:
        titles = [_cell(model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)) for c in columns]
        lines.append("\t".join(([""] if titled else []) + titles))
    for row in rows:
        cells = [_cell(model.data(model.index(row, c), Qt.ItemDataRole.DisplayRole)) for c in columns]
        if titled:
            cells.insert(0, _cell(model.headerData(row, Qt.Orientation.Vertical, Qt.ItemDataRole.DisplayRole)))
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def selection_text(view: QAbstractItemView) -> str:
    """The selected cells: whole rows (or a table selecting rows) with the column titles; else the smallest
    rectangle holding the selected cells, without titles (one cell: its text alone)."""
    model, selection = view.model(), view.selectionModel()
    indexes = selection.selectedIndexes() if selection is not None else []
    if model is None or not indexes:
        return ""
    rows = sorted({i.row() for i in indexes})
    if (view.selectionBehavior() == QAbstractItemView.SelectionBehavior.SelectRows
            or all(selection.isRowSelected(row) for row in rows)):
        return table_text(view, rows)
    columns = sorted({i.column() for i in indexes})
    if len(rows) == 1 and len(columns) == 1:
        return _cell(model.data(indexes[0], Qt.ItemDataRole.DisplayRole))
    return table_text(view, rows, columns, header=False)


def make_copyable(view: QAbstractItemView) -> None:
    """Ctrl+C (the platform's Copy key) copies the selection; right-click offers Copy and Copy the whole table."""
    def copy(text: str) -> None:
        if text:
            QGuiApplication.clipboard().setText(text)

    selected = QAction("Copy", view)
    selected.setShortcut(QKeySequence.StandardKey.Copy)
    selected.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    selected.triggered.connect(lambda: copy(selection_text(view)))
    whole = QAction("Copy the whole table", view)
    whole.setToolTip("Every row with the column titles, tab-separated: paste into a spreadsheet")
    whole.triggered.connect(lambda: copy(table_text(view)))
    view.addAction(selected)
    view.addAction(whole)
    if view.contextMenuPolicy() == Qt.ContextMenuPolicy.DefaultContextMenu:   # a view with its own menu keeps it
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    view.copy_action, view.copy_table_action = selected, whole
