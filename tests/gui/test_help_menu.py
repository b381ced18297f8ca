"""Help: the bundled user guide, the glossary, the shortcut list read from the window, the
privacy note."""

from __future__ import annotations

from pathlib import Path

from driving import answer_modal
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices, QKeySequence

from workbench.core.network import glossary
from workbench.gui.help import GlossaryDialog, PrivacyNote, ShortcutsDialog
from workbench.gui.main_window import PANELS


def _help_menu(window):
    return next(a.menu() for a in window.menuBar().actions()
                if a.menu() is not None and a.menu().title() == "&Help")


def test_help_menu_offers_guide_shortcuts_privacy_and_about(window):
    texts = [a.text().replace("&", "") for a in _help_menu(window).actions()
             if not a.isSeparator()]
    assert texts[:4] == ["User guide", "Glossary…", "Keyboard shortcuts", "Privacy"]
    assert "About" in texts


def test_user_guide_opens_the_bundled_html(window, monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl",
                        staticmethod(lambda url: opened.append(url) or True))
    window.act_guide.trigger()
    (url,) = opened
    assert url.isLocalFile()
    path = Path(url.toLocalFile())
    assert path.name == "guide.html" and path.is_file()
    html = path.read_text(encoding="utf-8")
    for title, _module, _name in PANELS:  # every page of the app is explained
        assert f"<h3>{title.replace('&', '&amp;')}</h3>" in html, title
    for section in ("Running the workshop", "Bringing data in", "Privacy"):
        assert section in html
    assert window.act_guide.shortcut() == QKeySequence(QKeySequence.HelpContents)


def _shortcuts(window, qtbot):
    rows = []

    def read(dialog):
        assert isinstance(dialog, ShortcutsDialog)
        table = dialog.table
        rows.extend(tuple(table.item(r, c).text() for c in range(3))
                    for r in range(table.rowCount()))
        qtbot.keyClicks(dialog.filter, "plan workbook")
        shown = [r for r in range(table.rowCount()) if not table.isRowHidden(r)]
        assert [table.item(r, 1).text() for r in shown] == ["Plan workbook (.xlsx)…"]
        dialog.reject()

    seen = answer_modal(read)
    window.act_shortcuts.trigger()
    assert seen == ["Keyboard shortcuts"]
    return rows


def test_keyboard_shortcuts_are_read_from_the_real_actions(window, qtbot, demo_copy):
    assert window.open_path(demo_copy)
    window.act_library.setShortcut(QKeySequence("Ctrl+Alt+L"))  # a changed key is listed as is
    rows = _shortcuts(window, qtbot)
    native = lambda keys: QKeySequence(keys).toString(QKeySequence.NativeText)  # noqa: E731
    assert (native("Ctrl+E"), "Plan workbook (.xlsx)…", "File › Export") in rows
    assert (native("Ctrl+Alt+L"), "Action library…", "Edit") in rows
    assert not any(keys == native("Ctrl+L") for keys, _what, _where in rows)
    assert (native("Ctrl+2"), "Questionnaires", "View") in rows
    assert (native("Ctrl+Shift+N"), "New round…", "Questionnaires") in rows
    assert (native("Ctrl+F"), "Find a person on the map", "People & Network") in rows
    assert any(keys == "F5" and where == "Workshop" for keys, _what, where in rows)
    listed = {keys for keys, _what, _where in rows}
    for action in window.findChildren(type(window.act_new)):  # nothing is left out
        for sequence in action.shortcuts():
            if action.text():
                assert any(sequence.toString(QKeySequence.NativeText) in keys
                           for keys in listed), action.text()


def test_privacy_note_says_what_stays_and_the_group_size(window, qtbot, demo_copy):
    assert window.open_path(demo_copy)
    size = window.session.project.engagement.get().min_group_size
    texts = []

    def read(dialog):
        assert isinstance(dialog, PrivacyNote)
        texts.append(dialog.text.text())
        dialog.reject()

    answer_modal(read)
    window.act_privacy_note.trigger()
    (text,) = texts
    assert "stays on this computer" in text and "Pseudonyms" in text
    assert f"at least {size} people" in text and "never fewer than 3" in text


def test_glossary_opens_from_the_help_menu_and_filters_as_you_type(window, qtbot, demo_copy):
    assert window.open_path(demo_copy)
    window.act_glossary.trigger()
    dialog = window.findChild(GlossaryDialog)
    qtbot.waitUntil(dialog.isVisible)
    assert window.act_glossary.shortcut() == QKeySequence("Ctrl+Shift+G")
    terms = dialog.shown_terms()
    assert {t.label for t in glossary.terms()} <= set(terms)
    assert {"Gap", "Gate", "Bar"} <= set(terms)  # the method's terms too
    assert any("3 on the 0-4 scale" in dialog.table.item(r, 1).text()
               for r in range(dialog.table.rowCount()))
    qtbot.keyClicks(dialog.filter, "silo")
    shown = dialog.shown_terms()
    assert glossary.label("silo") in shown and len(shown) < len(terms)
    rows = dict(dialog.rows)
    assert rows[glossary.label("silo")] == glossary.definition("silo")
    assert all("silo" in f"{t} {rows[t]}".casefold() for t in shown)
    qtbot.keyClick(dialog.filter, Qt.Key_A, Qt.ControlModifier)
    qtbot.keyClick(dialog.filter, Qt.Key_Delete)
    assert dialog.shown_terms() == terms
    window.act_glossary.trigger()  # once more: the same dialog, not a second one
    assert window.findChildren(GlossaryDialog) == [dialog]
