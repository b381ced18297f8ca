"""Privacy: pseudonyms instead of names, attribute columns left out, minimum group size."""

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
    QSpinBox,
    QVBoxLayout,
)

from workbench.core.errors import WorkbenchError
from workbench.core.privacy import (
    PrivacySettings,
    attribute_names,
    key_dir,
    privacy_settings,
    save_privacy,
)
from workbench.core.services.engagement import MIN_GROUP_FLOOR
from workbench.gui.style import SPACING
from workbench.gui.widgets import label

if TYPE_CHECKING:
    from workbench.gui.main_window import MainWindow


class PrivacyDialog(QDialog):
    """Edits the project's privacy choices; OK stores them as one undoable change."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("Privacy")
        project = window.session.project
        settings = privacy_settings(project)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACING * 2, SPACING * 2, SPACING * 2, SPACING * 2)
        layout.setSpacing(SPACING)
        layout.addWidget(label("Privacy", "title"))
        layout.addWidget(label(
            "Choose what others may see in charts, tables and exports. The project file keeps "
            "the real data; only what is shown and exported changes.", "subtitle", wrap=True))
        self.pseudonymise = QCheckBox("Show &pseudonyms instead of names and e-mail addresses")
        self.pseudonymise.setChecked(settings.pseudonymise)
        self.pseudonymise.setToolTip(
            "Each person gets a stable code such as P-7K2M9Q. The secret that makes the codes is "
            f"kept on this computer ({key_dir()}), not in the project file, so the file alone "
            "cannot reveal who is behind a code.")
        layout.addWidget(self.pseudonymise)
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
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, 520)

    def chosen(self) -> PrivacySettings:
        dropped = tuple(self.columns.item(i).text() for i in range(self.columns.count())
                        if self.columns.item(i).checkState() == Qt.Checked)
        return PrivacySettings(self.pseudonymise.isChecked(), dropped)

    def accept(self) -> None:
        try:
            save_privacy(self.window_.session.project, self.chosen(), self.min_group.value())
        except WorkbenchError as exc:
            self.window_.show_error(str(exc))
            return
        super().accept()
