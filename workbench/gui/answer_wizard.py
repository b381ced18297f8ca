"""Guided answering: one question per page, a section overview, keyboard-only use.

Keys: the digit shown beside an option picks it (the level 0-4 on ratings, 1-5 on scales, the
step number where options are numbered steps, else 1-9 in order), Enter =
next, Backspace or Alt+Left = back, Ctrl+Enter = finish, Ctrl+G = overview. Every answer is
saved as it is given (one undoable edit each), with the question reached, so a respondent
resumes where they stopped even after the project is closed and reopened.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.core.questionnaire import rounds as R
from workbench.core.questionnaire.keys import option_keys
from workbench.core.questionnaire.schema import Question
from workbench.core.wording import count
from workbench.gui.style import ACCENT, SPACING
from workbench.gui.widgets import label

OVERVIEW = "overview"
_ENTER = (Qt.Key_Return, Qt.Key_Enter)


class OptionButton(QPushButton):
    """A large, selectable answer option whose text wraps."""

    def __init__(self, key: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCheckable(True)
        self.setAutoDefault(False)
        self.setMinimumHeight(48)
        self.setStyleSheet(f"QPushButton {{ text-align: left; padding: 4px; }}"
                           f"QPushButton:checked {{ background: {ACCENT}; }}")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(SPACING * 1.5, SPACING, SPACING * 1.5, SPACING)
        layout.setSpacing(SPACING * 2)
        self.key_label = QLabel(key)
        self.key_label.setStyleSheet("font-size: 16pt; font-weight: 600;")
        self.key_label.setFixedWidth(28)
        self.text_label = QLabel(text)
        self.text_label.setWordWrap(True)
        for widget in (self.key_label, self.text_label):
            widget.setAttribute(Qt.WA_TransparentForMouseEvents)
            layout.addWidget(widget)
        layout.setStretch(1, 1)
        self.toggled.connect(self._recolour)

    def _recolour(self, checked: bool) -> None:
        colour = "color: white;" if checked else ""
        self.text_label.setStyleSheet(colour)
        self.key_label.setStyleSheet(f"font-size: 16pt; font-weight: 600; {colour}")

    def sizeHint(self):  # noqa: N802 - Qt override: room for wrapped text
        hint = super().sizeHint()
        hint.setHeight(max(48, self.layout().sizeHint().height()))
        return hint


class AnswerWizard(QDialog):
    """Answer one respondent's questionnaire, one question per page."""

    def __init__(self, project, round_id: int, respondent_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.round_id = round_id
        self.respondent_id = respondent_id
        self.template = R.round_template(project, round_id)
        self.respondent = project.assessments.respondent(respondent_id)
        self.answers: dict[str, Any] = project.assessments.respondent_answers(respondent_id)
        self.current: str = OVERVIEW
        self.editor: QWidget | None = None
        self.option_buttons: list[QPushButton] = []
        who = self.respondent.name or self.respondent.code
        self.setWindowTitle(f"{self.template.title} — {who}")
        self.resize(960, 640)
        self._build()
        self.show_question(self._resume_position())

    # -- layout -----------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(SPACING * 3, SPACING * 2, SPACING * 3, SPACING * 2)
        outer.setSpacing(SPACING)
        self.where = label("", "hint")
        self.counter = label("", "section")
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.setToolTip("Questions answered out of those this person sees.")
        head = QHBoxLayout()
        head.addWidget(self.counter)
        head.addStretch(1)
        head.addWidget(self.where)
        outer.addLayout(head)
        outer.addWidget(self.progress)
        self.pages = QStackedWidget()
        outer.addWidget(self.pages, 1)
        self.question_page = QWidget()
        body = QHBoxLayout(self.question_page)
        body.setContentsMargins(0, SPACING, 0, 0)
        body.setSpacing(SPACING * 3)
        left = QVBoxLayout()
        left.setSpacing(SPACING * 2)
        self.question_text = label("", "title", wrap=True)
        self.question_text.setStyleSheet("font-size: 15pt;")
        left.addWidget(self.question_text)
        self.answer_area = QWidget()
        self.answer_layout = QVBoxLayout(self.answer_area)
        self.answer_layout.setContentsMargins(0, 0, 0, 0)
        self.answer_layout.setSpacing(SPACING)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.NoFrame)
        scroll.setWidget(self.answer_area)
        left.addWidget(scroll, 1)
        self.message = label("", None, wrap=True)
        self.message.setProperty("role", "error")
        left.addWidget(self.message)
        body.addLayout(left, 3)
        self.help = label("", "hint", wrap=True)
        self.help.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        self.help.setMinimumWidth(220)
        body.addWidget(self.help, 1)
        self.pages.addWidget(self.question_page)
        self.overview_page = QScrollArea()
        self.overview_page.setWidgetResizable(True)
        self.pages.addWidget(self.overview_page)

        buttons = QHBoxLayout()
        buttons.setSpacing(SPACING)
        self.back_button = QPushButton("← &Back")
        self.overview_button = QPushButton("&Overview")
        self.next_button = QPushButton("&Next →")
        self.finish_button = QPushButton("&Finish")
        self.finish_button.setProperty("role", "primary")
        for button, tip in ((self.back_button, "Backspace or Alt+Left"),
                            (self.overview_button, "Ctrl+G: every section at a glance"),
                            (self.next_button, "Enter"),
                            (self.finish_button, "Ctrl+Enter: check required answers and close")):
            button.setAutoDefault(False)
            button.setToolTip(tip)
        self.back_button.clicked.connect(self.go_back)
        self.overview_button.clicked.connect(lambda: self.show_question(OVERVIEW))
        self.next_button.clicked.connect(self.go_next)
        self.finish_button.clicked.connect(self.finish)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.overview_button)
        buttons.addStretch(1)
        buttons.addWidget(label("Keys: digits choose · Enter next · Backspace back · "
                                "Ctrl+Enter finish", "hint"))
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.finish_button)
        outer.addLayout(buttons)

    # -- navigation -------------------------------------------------------------------------

    def visible(self) -> list[Question]:
        return R.visible_questions(self.template, self.answers)

    def _resume_position(self) -> str:
        ids = [q.id for q in self.visible()]
        if self.respondent.position in ids or self.respondent.position == OVERVIEW:
            return self.respondent.position
        unanswered = [qid for qid in ids if self.answers.get(qid) is None]
        return unanswered[0] if unanswered else OVERVIEW

    def show_question(self, question_id: str) -> None:
        self.message.clear()
        self.current = question_id
        if question_id == OVERVIEW:
            self._fill_overview()
            self.pages.setCurrentWidget(self.overview_page)
        else:
            self._fill_question(self.template.question(question_id))
            self.pages.setCurrentWidget(self.question_page)
        self._update_header()

    def _update_header(self) -> None:
        visible = self.visible()
        answered = sum(1 for q in visible if self.answers.get(q.id) is not None)
        self.progress.setRange(0, max(len(visible), 1))
        self.progress.setValue(answered)
        self.progress.setFormat(f"{answered} of {len(visible)} answered")
        ids = [q.id for q in visible]
        if self.current == OVERVIEW:
            self.counter.setText("Overview")
            self.where.setText(count(len(self.template.sections), "section"))
        else:
            self.counter.setText(f"Question {ids.index(self.current) + 1} of {len(ids)}")
            self.where.setText(self._section_of(self.current).title)
        self.back_button.setEnabled(self.current != (ids[0] if ids else OVERVIEW))
        self.next_button.setEnabled(self.current != OVERVIEW)

    def _section_of(self, question_id: str):
        return next(s for s in self.template.sections
                    if any(q.id == question_id for q in s.questions))

    def go_next(self) -> bool:
        """Keep the answer, check a required one, move on; the last question leads to the
        overview. Returns whether it moved."""
        if self.current == OVERVIEW:
            return False
        self._take_editor_answer()
        if not self._check_current():
            return False
        ids = [q.id for q in self.visible()]
        index = ids.index(self.current)
        self.show_question(ids[index + 1] if index + 1 < len(ids) else OVERVIEW)
        return True

    def go_back(self) -> None:
        ids = [q.id for q in self.visible()]
        if self.current == OVERVIEW:
            if ids:
                self.show_question(ids[-1])
            return
        self._take_editor_answer()
        index = ids.index(self.current)
        if index > 0:
            self.show_question(ids[index - 1])

    def finish(self) -> bool:
        """Check every visible required question; close when all are answered."""
        if self.current != OVERVIEW:
            self._take_editor_answer()
        missing = [q for q in self.visible()
                   if q.required and self.answers.get(q.id) is None]
        if missing:
            self.show_question(missing[0].id)
            still = count(len(missing), "required question still needs",
                          "required questions still need")
            self.message.setText(f"{still} an answer; this is the first.")
            return False
        self.current = OVERVIEW
        self.accept()
        return True

    def _check_current(self) -> bool:
        question = self.template.question(self.current)
        if question.required and self.answers.get(question.id) is None:
            self.message.setText("This question needs an answer before you go on.")
            return False
        return True

    def done(self, result: int) -> None:  # noqa: D401 - Qt override: keep the place on close
        if self.current != OVERVIEW:
            self._take_editor_answer()
        if self.current != self.project.assessments.respondent(self.respondent_id).position:
            self.project.assessments.set_answers(self.respondent_id, {}, position=self.current,
                                                 label="Keep place in questionnaire")
        super().done(result)

    # -- answers ----------------------------------------------------------------------------

    def set_answer(self, value: Any) -> None:
        """Save one answer of the current question at once (an undoable edit)."""
        question = self.template.question(self.current)
        if value is not None and question.answer_error(value):
            self.message.setText(question.answer_error(value))
            return
        if self.answers.get(question.id) == value:
            return
        self.message.clear()
        self.answers[question.id] = value
        self.project.assessments.set_answers(self.respondent_id, {question.id: value},
                                             position=question.id,
                                             label=f"Answer {question.id}")
        self._update_header()

    def _take_editor_answer(self) -> None:
        question = self.template.question(self.current)
        editor = self.editor
        if isinstance(editor, QPlainTextEdit):
            text = editor.toPlainText().strip()
            self.set_answer(text or None)
        elif isinstance(editor, QLineEdit):
            text = editor.text().strip().replace(",", ".")
            if not text:
                self.set_answer(None)
                return
            try:
                number = float(text)
            except ValueError:
                self.message.setText(f"{text!r} is not a number.")
                return
            self.set_answer(int(number) if number.is_integer() else number)
        elif isinstance(editor, QListWidget) and question.kind == "ranking":
            self.set_answer([editor.item(i).data(Qt.UserRole) for i in range(editor.count())])

    def _fill_question(self, question: Question) -> None:
        while self.answer_layout.count():
            item = self.answer_layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.editor = None
        self.option_buttons = []
        required = "  (required)" if question.required else ""
        self.question_text.setText(question.text + required)
        section = self._section_of(question.id)
        self.help.setText("\n\n".join(t for t in (question.help, section.help) if t)
                          or "No extra guidance for this question.")
        value = self.answers.get(question.id)
        kind = question.kind
        if kind in ("rating_0_4", "scale_1_5", "single_choice"):
            self._option_group(question, value)
        elif kind == "multiple_choice":
            for digit, text, option_value in option_keys(question):
                box = QCheckBox(text if digit is None else f"{digit}  {text}")
                box.setChecked(option_value in (value or []))
                box.toggled.connect(lambda _checked: self.set_answer(self._checked_values()))
                box.setProperty("value", option_value)
                box.setProperty("digit", digit)
                self.answer_layout.addWidget(box)
                self.option_buttons.append(box)
        elif kind == "ranking":
            self.editor = QListWidget()
            self.editor.setDragDropMode(QListWidget.InternalMove)
            order = value or [o.value for o in question.options]
            labels = {o.value: o.label for o in question.options}
            for option_value in order:
                self.editor.addItem(labels.get(option_value, option_value))
                self.editor.item(self.editor.count() - 1).setData(Qt.UserRole, option_value)
            self.answer_layout.addWidget(label("Drag into your order, most important first.",
                                               "hint"))
            self.answer_layout.addWidget(self.editor)
        elif kind == "number":
            self.editor = QLineEdit("" if value is None else f"{value:g}")
            bounds = [f"from {question.min:g}" if question.min is not None else "",
                      f"to {question.max:g}" if question.max is not None else ""]
            self.editor.setPlaceholderText(("A number " + " ".join(b for b in bounds if b))
                                           .strip())
            self.answer_layout.addWidget(self.editor)
        else:
            self.editor = QPlainTextEdit(value or "")
            self.editor.setPlaceholderText("Type your answer. Shift+Enter starts a new line.")
            self.editor.installEventFilter(self)
            self.answer_layout.addWidget(self.editor)
        self.answer_layout.addStretch(1)
        focus = self.editor or (self.option_buttons[0] if self.option_buttons else self)
        focus.setFocus()

    def _option_group(self, question: Question, value: Any) -> None:
        group = QButtonGroup(self.answer_area)
        for digit, text, option_value in option_keys(question):
            button = OptionButton("" if digit is None else str(digit), text)
            button.setProperty("digit", digit)
            button.setChecked(value is not None and str(value) == str(option_value))
            button.clicked.connect(lambda _=False, v=option_value: self.set_answer(v))
            group.addButton(button)
            self.answer_layout.addWidget(button)
            self.option_buttons.append(button)

    def _checked_values(self) -> list[str] | None:
        chosen = [b.property("value") for b in self.option_buttons if b.isChecked()]
        return chosen or None

    def _fill_overview(self) -> None:
        page = QWidget()
        grid = QGridLayout(page)
        grid.setSpacing(SPACING)
        grid.setContentsMargins(SPACING, SPACING, SPACING, SPACING)  # clear of the frame
        visible = {q.id for q in self.visible()}
        for row, section in enumerate(self.template.sections):
            shown = [q for q in section.questions if q.id in visible]
            done = sum(1 for q in shown if self.answers.get(q.id) is not None)
            heading = label(f"{section.title}\n{done} of {len(shown)} answered", None)
            heading.setToolTip(section.help)
            grid.addWidget(heading, row, 0)
            cells = QHBoxLayout()
            cells.setSpacing(SPACING // 2)
            for number, question in enumerate(shown, start=1):
                answered = self.answers.get(question.id) is not None
                button = QPushButton(f"{'✓' if answered else '·'} {number}")
                button.setAutoDefault(False)
                button.setToolTip(question.text)
                button.setMinimumWidth(48)
                if question.required and not answered:
                    button.setStyleSheet("font-weight: 600;")
                button.clicked.connect(lambda _=False, q=question.id: self.show_question(q))
                cells.addWidget(button)
            cells.addStretch(1)
            grid.addLayout(cells, row, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(len(self.template.sections), 1)
        self.overview_page.setWidget(page)
        self.setFocus()

    # -- keyboard ---------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if self._handle_key(event):
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (event.type() == QEvent.KeyPress and event.key() in _ENTER
                and not event.modifiers() & Qt.ShiftModifier):
            return self._handle_key(event)
        return super().eventFilter(watched, event)

    def _handle_key(self, event: QKeyEvent) -> bool:
        key, mods = event.key(), event.modifiers()
        if key in _ENTER and mods & Qt.ControlModifier:
            self.finish()
        elif key in _ENTER:
            self.go_next()
        elif key == Qt.Key_Backspace or (key == Qt.Key_Left and mods & Qt.AltModifier):
            self.go_back()
        elif key == Qt.Key_G and mods & Qt.ControlModifier:
            self.show_question(OVERVIEW)
        elif Qt.Key_0 <= key <= Qt.Key_9 and self.option_buttons and not mods & ~Qt.KeypadModifier:
            return self._pick_digit(key - Qt.Key_0)
        else:
            return False
        return True

    def _pick_digit(self, digit: int) -> bool:
        """Choose the option shown with this digit (the level, step or number beside it)."""
        button = next((b for b in self.option_buttons if b.property("digit") == digit), None)
        if button is None:
            return False
        button.click()
        return True
