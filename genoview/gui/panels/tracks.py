"""The track list: every probability track of the session, to show or hide, reorder, rename, recolour or remove.

A small dock (IGV's track names, JBrowse's track selector): tick to show, drag or Move up/down to reorder,
double-click to rename, a right-click menu for the rest. It changes tracks only through the session
(``set_track_style``, ``move_track``, ``remove_track``) and redraws from its signals.
"""
from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QAction, QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QColorDialog,
    QDockWidget,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from genoview.gui.session import Session
from genoview.gui.theme import note_style

KEY_ROLE = Qt.ItemDataRole.UserRole
MANY_SEQUENCES = 3   # tracks on more sequences than this: the list shows the shown sequence's (a draft's contigs)


def color_icon(color: str, size: int = 14) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


class TrackListPanel(QDockWidget):
    """Dock listing the session's tracks, in drawing order."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__("Tracks", parent)
        self.setObjectName("TrackListDock")
        self.session = session
        self.ask_before_removing = True   # tests and scripts turn the confirmation off
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 2, 4, 4)
        self.list = QListWidget(body)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._show_menu)
        self.list.itemChanged.connect(self._on_item_changed)
        self.list.setTextElideMode(Qt.TextElideMode.ElideMiddle)   # a narrow list keeps "(NC_003318)" in view
        self.list.model().rowsMoved.connect(self._on_rows_moved)
        self.list.currentRowChanged.connect(lambda row: self._update_buttons())
        self.list.setToolTip("Tick to show a track; drag to reorder; double-click to rename; right-click for more")
        # a draft predicted "All sequences" has a track per contig (87 for the Paracoccus draft): list the shown
        # sequence's tracks unless asked for all of them
        self.all_sequences = QCheckBox("All sequences")
        self.all_sequences.setToolTip("List the tracks of every sequence, not only of the sequence shown")
        self.all_sequences.toggled.connect(lambda _checked: self.refresh())
        self.others_label = QLabel("")
        self.others_label.setWordWrap(True)
        self.others_label.setStyleSheet(note_style(self))
        self.empty_label = QLabel("No tracks yet: Tools ▸ Predict… adds one.")
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet(note_style(self))
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        self.up_button = self._button("▲", "Move the track up", lambda: self.move_current(-1))
        self.down_button = self._button("▼", "Move the track down", lambda: self.move_current(1))
        self.color_button = self._button("Colour…", "Choose the track's colour", self.choose_color)
        self.remove_button = self._button("Remove", "Remove the track from the view", self.remove_current)
        for button in (self.up_button, self.down_button, self.color_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.list)
        layout.addWidget(self.others_label)
        layout.addWidget(self.all_sequences)   # its own row: beside the buttons it widened the dock by 100 px
        layout.addLayout(buttons)
        self.setWidget(body)
        session.tracks_changed.connect(self.refresh)
        session.track_style_changed.connect(lambda key: self.refresh())
        sequence_changed = getattr(session, "sequence_changed", None)
        if sequence_changed is not None:
            sequence_changed.connect(lambda seqid: self.refresh())
        self.refresh()

    def _button(self, text: str, tip: str, slot) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    # --- session -> list ---------------------------------------------------------------------------
    def refresh(self) -> None:
        current = self.current_key()
        blocker = QSignalBlocker(self.list)
        self.list.clear()
        sequences = {t.seqid for t in self.session.tracks.values()}
        several_sequences = len(sequences) > 1
        many = len(sequences) > MANY_SEQUENCES
        self.all_sequences.setVisible(many)
        hidden = 0
        for key, track in self.session.tracks.items():
            if many and not self.all_sequences.isChecked() and track.seqid != self.session.seqid:
                hidden += 1
                continue
            # two chromosomes predicted by one model read the same: the sequence tells them apart
            text = f"{track.label}  ({track.seqid})" if several_sequences else track.label
            item = QListWidgetItem(color_icon(track.color), text)
            item.setData(KEY_ROLE, key)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable
                          | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsDragEnabled)
            item.setCheckState(Qt.CheckState.Checked if getattr(track, "visible", True) else Qt.CheckState.Unchecked)
            source = getattr(track, "source_path", "")   # File ▸ Open track…: the file, not a model
            tip = (f"{track.label}: file {source}, sequence {track.seqid}" if source
                   else f"{track.label}: model {track.model_name or track.label}, sequence {track.seqid}")
            item.setToolTip(tip)
            if several_sequences:
                item.setStatusTip(track.seqid)
            self.list.addItem(item)
            if key == current:
                self.list.setCurrentItem(item)
        del blocker
        self.others_label.setText(f"{hidden:,} more tracks on the other {len(sequences) - 1:,} sequences: they follow "
                                  "the sequence shown (tick All sequences to list them)" if hidden else "")
        self.others_label.setVisible(bool(hidden))
        self.empty_label.setVisible(not self.session.tracks)
        self.list.setVisible(bool(self.session.tracks))
        self._update_buttons()

    def _update_buttons(self) -> None:
        row, count = self.list.currentRow(), self.list.count()
        for button in (self.color_button, self.remove_button):
            button.setEnabled(row >= 0)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < count - 1)

    def current_key(self) -> str | None:
        item = self.list.currentItem()
        return item.data(KEY_ROLE) if item is not None else None

    # --- list -> session ---------------------------------------------------------------------------
    def _on_item_changed(self, item: QListWidgetItem) -> None:
        key = item.data(KEY_ROLE)
        track = self.session.tracks.get(key)
        if track is None:
            return
        label = item.text().strip()
        suffix = f"({track.seqid})"
        if label.endswith(suffix):   # the shown "(seqid)" is not part of the name
            label = label[: -len(suffix)].strip()
        visible = item.checkState() == Qt.CheckState.Checked
        if label and label != track.label:
            self.session.set_track_style(key, label=label)
        elif not label:
            self.refresh()   # an empty name is not a name: put the old one back
        if visible != getattr(track, "visible", True):
            self.session.set_track_style(key, visible=visible)

    def _on_rows_moved(self, *args) -> None:
        listed = [self.list.item(row).data(KEY_ROLE) for row in range(self.list.count())]
        # the listed tracks take, in their new order, the places they held among all tracks (some may be unlisted)
        order = list(self.session.tracks)
        places = sorted(order.index(key) for key in listed if key in order)
        for place, key in zip(places, listed):
            order[place] = key
        for position, key in enumerate(order):
            self.session.move_track(key, position)

    def move_current(self, offset: int) -> None:
        key = self.current_key()
        row = self.list.currentRow() + offset
        if key is None or not 0 <= row < self.list.count():
            return
        # past the listed neighbour (tracks of other sequences may sit between them, unlisted)
        self.session.move_track(key, list(self.session.tracks).index(self.list.item(row).data(KEY_ROLE)))

    def choose_color(self) -> None:
        key = self.current_key()
        track = self.session.tracks.get(key) if key else None
        if track is None:
            return
        color = QColorDialog.getColor(QColor(track.color), self, f"Colour of {track.label}")
        if color.isValid():
            self.session.set_track_style(key, color=color.name())

    def remove_current(self) -> None:
        key = self.current_key()
        track = self.session.tracks.get(key) if key else None
        if track is None:
            return
        if self.ask_before_removing:
            answer = QMessageBox.question(
                self, "Remove track",
                f"Remove the track {track.label!r}?\n\nIts prediction stays in the cache: predicting again with the "
                "same model reopens it at once.")
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.session.remove_track(key)

    def rename_current(self) -> None:
        key = self.current_key()
        track = self.session.tracks.get(key) if key else None
        if track is None:
            return
        name, ok = QInputDialog.getText(self, "Rename track", "Name", text=track.label)
        if ok and name.strip():
            self.session.set_track_style(key, label=name.strip())

    def _show_menu(self, position) -> None:
        item = self.list.itemAt(position)
        if item is None:
            return
        self.show_menu_for(item.data(KEY_ROLE), self.list.viewport().mapToGlobal(position))

    def show_menu_for(self, key: str, global_position) -> None:
        """The track's menu (also a right-click on its row's label in the genome view)."""
        menu = self.track_menu(key)
        if menu is not None:
            menu.exec(global_position)
            menu.deleteLater()

    def track_menu(self, key: str) -> QMenu | None:
        """The menu of one track (it becomes the current one): hide/show, rename, colour, move, remove."""
        track = self.session.tracks.get(key)
        if track is None:
            return None
        for row in range(self.list.count()):
            if self.list.item(row).data(KEY_ROLE) == key:
                self.list.setCurrentRow(row)
        menu = QMenu(self)
        actions = [
            ("Hide" if getattr(track, "visible", True) else "Show", lambda: self.session.set_track_style(key, visible=not getattr(track, "visible", True))),
            ("Rename…", self.rename_current),
            ("Colour…", self.choose_color),
            ("Move up", lambda: self.move_current(-1)),
            ("Move down", lambda: self.move_current(1)),
            ("Remove…", self.remove_current),
        ]
        call_genes = getattr(self.parent(), "call_genes", None)   # the Gene calls row and disagreements of this track
        if callable(call_genes):
            actions.insert(1, ("Show its gene calls", lambda: call_genes(key)))
        for text, slot in actions:
            action = QAction(text, menu)
            action.triggered.connect(slot)
            menu.addAction(action)
        return menu
