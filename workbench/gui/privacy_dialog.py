"""Privacy: pseudonyms instead of names, attribute columns left out, minimum group size.

Turning pseudonyms on converts the project file itself (one way, after a plain confirmation):
see :func:`workbench.core.pseudonymise.convert_to_pseudonyms`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.privacy import (
    PrivacySettings,
    attribute_names,
    key_dir,
    privacy_settings,
    save_privacy,
    stores_pseudonyms,
)
from workbench.core.services.engagement import MIN_GROUP_FLOOR
from workbench.core.wording import count
from workbench.gui.context import dialog_parent
from workbench.gui.style import SPACING
from workbench.gui.widgets import label

if TYPE_CHECKING:
    from workbench.gui.context import AppContext


class PrivacyDialog(QDialog):
    """Edits the project's privacy choices; OK stores them as one undoable change."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(dialog_parent(context, parent))
        if context.session is None:
            raise RuntimeError("the privacy dialog needs an open project")
        self.context = context
        self.project = context.session.project
        self.setWindowTitle("Privacy")
        project = self.project
        settings = privacy_settings(project)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACING * 2, SPACING * 2, SPACING * 2, SPACING * 2)
        layout.setSpacing(SPACING)
        layout.addWidget(label("Privacy", "title"))
        self.stored = stores_pseudonyms(project)
        layout.addWidget(label(
            "Choose what others may see in charts, tables and exports. Pseudonyms replace names "
            "and e-mail addresses in the project file itself, for good.", "subtitle",
            wrap=True))
        self.pseudonymise = QCheckBox("Use &pseudonyms instead of names and e-mail addresses")
        self.pseudonymise.setChecked(settings.pseudonymise or self.stored)
        self.pseudonymise.setEnabled(not self.stored)
        self.pseudonymise.setToolTip(
            "This file holds pseudonyms only; the names cannot come back into it." if self.stored
            else "Each person gets a stable code such as P-7K2M9Q, in every output and in the "
            "project file itself (names and e-mail addresses are removed from it; you are asked "
            f"first). The secret that makes the codes is kept on this computer ({key_dir()}), "
            "not in the project file, so the file alone cannot reveal who is behind a code.")
        layout.addWidget(self.pseudonymise)
        self.name_labels = QCheckBox(
            "Show individual &labels (peripheral, overloaded, key-person risk…) next to real "
            "names")
        self.name_labels.setChecked(settings.name_individual_labels)
        self.name_labels.setToolTip(
            "Off: the plan workbook, the analysis CSV, the projected map and the map exports "
            "describe a person by department (\u201ca person in Operations\u201d) instead of "
            "naming them beside a network label; only your own screen names them. Next to "
            "pseudonyms the labels are always shown.")
        layout.addWidget(self.name_labels)
        layout.addWidget(label("Leave these columns out", "section"))
        self.columns = QListWidget()
        for name in attribute_names(project.people.list()):
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Checked if name in settings.drop_attributes else Qt.Unchecked)
            self.columns.addItem(item)
        self.columns.setToolTip("Checked columns are blanked in views and exports.")
        layout.addWidget(self.columns, 1)
        form = QFormLayout()
        self.min_group = QSpinBox(minimum=MIN_GROUP_FLOOR, maximum=1000)
        self.min_group.setValue(project.engagement.get().min_group_size)
        self.min_group.setToolTip(
            "Figures about a group (a department, a team) are only shown when the group has at "
            f"least this many people, so no individual can be singled out. Never below "
            f"{MIN_GROUP_FLOOR}.")
        form.addRow("Minimum &group size", self.min_group)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.Ok)
        self.ok_button.setToolTip("Store the choices (one undoable change).")
        context.tasks.writing_changed.connect(self._writing_changed)
        self._writing_changed(context.busy_writing)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, 520)

    def chosen(self) -> PrivacySettings:
        dropped = tuple(self.columns.item(i).text() for i in range(self.columns.count())
                        if self.columns.item(i).checkState() == Qt.Checked)
        return PrivacySettings(self.pseudonymise.isChecked(), dropped,
                               self.name_labels.isChecked())

    def confirm_conversion(self, warning: str) -> bool:
        """Ask before names leave the file for good (``warning`` says what will happen)."""
        answer = QMessageBox.question(
            self, "Replace names by pseudonyms", f"{warning}\n\nReplace them now?",
            QMessageBox.Yes | QMessageBox.Cancel, QMessageBox.Cancel)
        return answer == QMessageBox.Yes

    def _writing_changed(self, busy: bool) -> None:
        """OK would wait for a background task writing to the project: offer it afterwards."""
        self.ok_button.setEnabled(not busy)

    def accept(self) -> None:
        if self.context.busy_writing:
            return
        chosen = self.chosen()
        convert = chosen.pseudonymise and not self.stored
        if convert:
            from workbench.core.pseudonymise import conversion_warning

            if not self.confirm_conversion(conversion_warning(self.project)):
                return
        try:
            save_privacy(self.project, chosen, self.min_group.value())
            if convert:
                from workbench.core.pseudonymise import convert_to_pseudonyms

                done = convert_to_pseudonyms(self.project)
                self.context.show_status(
                    f"Names of {count(done.people, 'person', 'people')} replaced by pseudonyms; "
                    f"who is behind them is kept in {done.identities_path}.", 12000)
        except WorkbenchError as exc:
            self.context.show_error(str(exc))
            return
        super().accept()
