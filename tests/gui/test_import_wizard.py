"""The import wizard driven like a user: preview, map columns, read the report, import, undo."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt

from workbench.core.project import Project
from workbench.gui.import_wizard import ImportWizard

ROSTER = ("Staff code;Full name;Dept;Line manager;Notes\n"
          "e1;Ann Lee;Sales;;founder\n"
          "e2;Bo Chen;Sales;e1;\n"
          ";Nobody;IT;e1;\n"
          "e2;Bo Again;IT;e1;\n"
          "e3;Cy Díaz;Service;e1;\n")
SHOTS = os.environ.get("WIZARD_SHOTS")  # folder for screenshots of each page, when set


def shot(widget, name: str) -> None:
    if SHOTS:
        widget.grab().save(os.path.join(SHOTS, f"{name}.png"))


@pytest.fixture
def empty_project(window, tmp_path):
    path = tmp_path / "client.owb"
    Project.create(path, client="Client").close()
    assert window.open_path(path)
    return window.session.project


def test_wizard_maps_reports_imports_the_valid_part_and_undoes(window, empty_project, qtbot,
                                                               tmp_path):
    csv = tmp_path / "people.csv"
    csv.write_bytes(ROSTER.encode("cp1252"))
    wizard = ImportWizard(window, "people", csv)
    qtbot.addWidget(wizard)
    wizard.resize(880, 600)
    wizard.show()
    shot(wizard, "1_file")

    qtbot.mouseClick(wizard.next_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: wizard.pages.currentWidget() is wizard.preview_page)
    assert wizard.preview_table.columnCount() == 5
    assert wizard.preview_table.item(4, 1).text() == "Cy Díaz"  # cp1252 detected
    assert "separator ';'" in wizard.detected.text()
    shot(wizard, "2_preview")

    qtbot.mouseClick(wizard.next_button, Qt.LeftButton)
    assert wizard.pages.currentWidget() is wizard.columns_page
    boxes = wizard.field_boxes
    assert boxes["name"].currentText() == "Full name"
    assert boxes["manager_id"].currentText() == "Line manager"
    assert boxes["id"].currentText() != "Staff code"  # not a name the guesser knows
    qtbot.mouseClick(wizard.next_button, Qt.LeftButton)
    assert "id" in wizard.status.text() and wizard.pages.currentWidget() is wizard.columns_page
    boxes["id"].setFocus()
    qtbot.keyClicks(boxes["id"], "Staff")
    assert boxes["id"].currentText() == "Staff code"
    shot(wizard, "3_columns")

    qtbot.mouseClick(wizard.next_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: wizard.pages.currentWidget() is wizard.check_page, timeout=5000)
    assert "3 to add" in wizard.summary.text()
    groups = {wizard.problems.topLevelItem(i).text(0): wizard.problems.topLevelItem(i)
              for i in range(wizard.problems.topLevelItemCount())}
    assert "blank id — 1 (rows left out)" in groups
    duplicate = groups["duplicate id — 1 (rows left out)"]
    assert duplicate.child(0).text(1) == "people.csv, row 5, column 'Staff code'"
    assert wizard.import_button.text() == "&Import valid part"
    assert empty_project.people.count() == 0  # nothing written before Import
    shot(wizard, "4_check")

    qtbot.mouseClick(wizard.import_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: empty_project.people.count() == 3, timeout=5000)
    qtbot.waitUntil(lambda: not wizard.isVisible())
    people = {p.id: p for p in empty_project.people.list()}
    assert people["e3"].name == "Cy Díaz" and people["e1"].attributes == {"Notes": "founder"}
    qtbot.waitUntil(lambda: "Ctrl+Z" in window.statusBar().currentMessage())

    assert window.act_undo.text() == "&Undo Import people.csv"
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(window, Qt.Key_Z, Qt.ControlModifier)
    assert empty_project.people.count() == 0


def test_reimport_shows_added_changed_removed(window, empty_project, qtbot, tmp_path):
    first = tmp_path / "first.csv"
    first.write_text("id,name,department\ne1,Ann,Sales\ne2,Bo,Sales\n", encoding="utf-8")
    second = tmp_path / "second.csv"
    second.write_text("id,name,department\ne1,Ann,Service\ne3,Cy,IT\n", encoding="utf-8")
    for path, step in ((first, "import"), (second, "check")):
        wizard = ImportWizard(window, "people", path)
        qtbot.addWidget(wizard)
        wizard.show()
        wizard.next()
        qtbot.waitUntil(lambda w=wizard: w.pages.currentWidget() is w.preview_page)
        wizard.next()
        wizard.next()
        qtbot.waitUntil(lambda w=wizard: w.pages.currentWidget() is w.check_page)
        if step == "import":
            qtbot.mouseClick(wizard.import_button, Qt.LeftButton)
            qtbot.waitUntil(lambda: empty_project.people.count() == 2)
    shot(wizard, "5_reimport")
    tops = [wizard.changes.topLevelItem(i) for i in range(wizard.changes.topLevelItemCount())]
    assert [t.text(0) for t in tops] == ["Added — 1", "Changed — 1", "Removed — 1"]
    assert tops[1].child(0).text(1) == "department: Sales -> Service"
    assert "1 to add, 1 to change, 1 to remove" in wizard.summary.text()


def test_privacy_dialog_switches_pseudonyms_and_refuses_nothing_below_floor(
        window, empty_project, qtbot):
    from workbench.core.model import Person
    from workbench.core.privacy import load_privacy
    from workbench.gui.privacy_dialog import PrivacyDialog

    empty_project.people.add(Person("e1", "Ann Lee", "ann@client.com",
                                    attributes={"tenure": "3"}))
    dialog = PrivacyDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.min_group.minimum() == 3
    assert not dialog.name_labels.isChecked()  # individual labels beside names: off by default
    qtbot.mouseClick(dialog.pseudonymise, Qt.LeftButton)
    names = [dialog.columns.item(i).text() for i in range(dialog.columns.count())]
    dialog.columns.item(names.index("tenure")).setCheckState(Qt.Checked)
    dialog.min_group.setValue(2)  # clamped to the floor
    shot(dialog, "6_privacy")
    asked = []
    dialog.confirm_conversion = lambda warning: asked.append(warning) or False
    dialog.accept()  # declined: nothing changes, the dialog stays open
    assert dialog.isVisible() and empty_project.people.get("e1").name == "Ann Lee"
    assert asked[0].startswith("Names and e-mail addresses of 1 person will be replaced by "
                               "pseudonyms in this file. This cannot be undone; the key to "
                               "re-identify stays on this computer in ")
    dialog.confirm_conversion = lambda warning: True
    dialog.accept()
    privacy = load_privacy(empty_project)
    assert privacy.settings.drop_attributes == ("tenure",) and privacy.stored
    (person,) = empty_project.people.list()
    assert person.id.startswith("P-") and person.name == person.id
    assert person.email.endswith("@example.invalid")
    assert empty_project.engagement.get().min_group_size == 3
    window.undo()  # one way: nothing to undo
    assert empty_project.people.list() == [person]
    assert b"Ann Lee" not in empty_project.path.read_bytes()
    again = PrivacyDialog(window)
    qtbot.addWidget(again)
    assert again.pseudonymise.isChecked() and not again.pseudonymise.isEnabled()
    again.name_labels.setChecked(True)
    again.accept()
    assert load_privacy(empty_project).settings.name_individual_labels


@pytest.fixture
def roster_project(empty_project):
    from workbench.core.model import Person

    empty_project.people.add_many([Person(f"e{i}", f"Person {i}", department=("Sales",
                                                                               "Service")[i % 2])
                                   for i in range(1, 5)])
    return empty_project


def _to_relation_page(wizard, qtbot):
    """Click Next from the file page until the relation page shows."""
    for _ in range(4):
        qtbot.waitUntil(lambda: not wizard.busy, timeout=5000)
        if wizard.pages.currentWidget() is wizard.relation_page:
            return
        qtbot.mouseClick(wizard.next_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: wizard.pages.currentWidget() is wizard.relation_page)


def _import(wizard, qtbot, project, networks: int) -> None:
    qtbot.mouseClick(wizard.next_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not wizard.busy and wizard.pages.currentWidget() is wizard.check_page,
                    timeout=5000)
    qtbot.mouseClick(wizard.import_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: len(project.networks.list()) == networks, timeout=5000)


def test_ties_relation_is_chosen_from_the_list_with_what_it_enables(window, roster_project,
                                                                     qtbot, tmp_path):
    from workbench.core.network.relations import CHOICES

    path = tmp_path / "advice survey.csv"
    path.write_text("source,target\ne1,e2\ne2,e3\n", encoding="utf-8")
    wizard = ImportWizard(window, "ties", path)
    qtbot.addWidget(wizard)
    wizard.show()
    _to_relation_page(wizard, qtbot)
    box = wizard.relation_box
    assert [box.itemText(i) for i in range(box.count())] == [
        "Advice", "Collaboration", "Customer insight", "Trust / friendship", "Reports to",
        "Other"]
    assert [box.itemData(i, Qt.ToolTipRole) for i in range(box.count())] == [
        r.enables for r in CHOICES]
    assert box.currentText() == "Advice"  # from the file name
    assert wizard.relation_help.text().startswith("Enables: Who people turn to for advice")
    assert "no relation column: every tie takes the relation chosen here" in \
        wizard.relation_source.text()
    assert box.hasFocus()
    qtbot.keyClicks(box, "Cust")
    assert box.currentText() == "Customer insight"
    assert "customer champions, say-vs-show step 1" in wizard.relation_help.text()
    shot(wizard, "7_relation")
    _import(wizard, qtbot, roster_project, 1)
    (network,) = roster_project.networks.list()
    assert (network.name, network.type, network.tie_count) == ("customer_insight",
                                                               "customer_insight", 2)


def test_blank_relation_cells_take_the_relation_preselected_from_the_column(
        window, roster_project, qtbot, tmp_path):
    path = tmp_path / "ties.csv"
    path.write_text("from,to,relation\ne1,e2,Collaboration\ne2,e3,\ne3,e4,advice\n"
                    "e4,e1,collaboration\n", encoding="utf-8")
    wizard = ImportWizard(window, "ties", path)
    qtbot.addWidget(wizard)
    wizard.show()
    _to_relation_page(wizard, qtbot)
    assert wizard.relation_box.currentText() == "Collaboration"  # the commonest in the column
    assert wizard.relation_source.text() == (
        "The column 'relation' gives each tie its relation (the first rows: collaboration, "
        "advice); the relation chosen here is used where that column is blank.")
    qtbot.mouseClick(wizard.back_button, Qt.LeftButton)  # a choice survives going back
    assert wizard.pages.currentWidget() is wizard.columns_page
    qtbot.mouseClick(wizard.next_button, Qt.LeftButton)
    assert wizard.relation_box.currentText() == "Collaboration"
    qtbot.mouseClick(wizard.next_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: wizard.pages.currentWidget() is wizard.check_page, timeout=5000)
    networks = wizard.changes.topLevelItem(0)
    assert [networks.child(i).text(1) for i in range(networks.childCount())] == [
        "3 ties, relation collaboration", "1 tie, relation advice"]
    assert wizard.problems.topLevelItemCount() == 0
    qtbot.mouseClick(wizard.import_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: len(roster_project.networks.list()) == 2, timeout=5000)
    stored = {n.name: (n.type, n.tie_count) for n in roster_project.networks.list()}
    assert stored == {"collaboration": ("collaboration", 3), "advice": ("advice", 1)}


def test_a_network_file_goes_to_the_relation_page(window, roster_project, qtbot, tmp_path):
    import networkx as nx

    G = nx.DiGraph([("e1", "e2"), ("e2", "e3")])
    path = tmp_path / "q3.graphml"
    nx.write_graphml(G, path)
    wizard = ImportWizard(window, "network", path)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.mouseClick(wizard.next_button, Qt.LeftButton)
    assert wizard.pages.currentWidget() is wizard.relation_page
    assert wizard.relation_box.currentText() == "Other"  # nothing to go by: never blank
    assert "Mapped and analysed on its own" in wizard.relation_help.text()
    qtbot.keyClicks(wizard.relation_box, "Rep")
    assert "formal structure" in wizard.relation_help.text()
    _import(wizard, qtbot, roster_project, 1)
    (network,) = roster_project.networks.list()
    assert (network.name, network.type) == ("reporting", "reporting")
