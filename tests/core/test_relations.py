"""The relation list: loose parsing, what each relation enables, preselection, `--type`."""

from __future__ import annotations

import pytest

from workbench.cli import main
from workbench.core.errors import WorkbenchError
from workbench.core.network.relations import (
    ADVICE,
    CHOICES,
    COLLABORATION,
    CUSTOMER_INSIGHT,
    OTHER,
    REPORTS_TO,
    TRUST,
    describe,
    guess_relation,
    parse_relation,
    relation_key,
    relation_label,
)
from workbench.core.project import Project


@pytest.mark.parametrize(("text", "key"), [
    ("Advice", "advice"), (" advice ", "advice"), ("Customer insight", "customer_insight"),
    ("customer-insight", "customer_insight"), ("CUSTOMER_INSIGHT", "customer_insight"),
    ("Reports to", "reporting"), ("reports-to", "reporting"), ("Reporting lines", "reporting"),
    ("Trust / friendship", "trust"), ("friendship", "trust"), ("Collaboration", "collaboration"),
    ("Other", "other"), ("Energy", "energy"), ("e-mail", "email"), ("Extra mile", "extra_mile"),
    ("Mentoring pairs", "mentoring_pairs"), ("", ""),
])
def test_relation_key(text, key):
    assert relation_key(text) == key


def test_the_six_choices_each_say_what_they_enable():
    assert [r.label for r in CHOICES] == ["Advice", "Collaboration", "Customer insight",
                                          "Trust / friendship", "Reports to", "Other"]
    for relation in CHOICES:
        assert relation.enables.endswith(".") and "\n" not in relation.enables
        assert describe(relation.key) is relation
    assert describe("mentoring") is describe(OTHER)
    assert relation_label("customer_insight") == "Customer insight"
    assert relation_label("mentoring_pairs") == "mentoring pairs" and relation_label("") == "none"


def test_what_each_relation_enables_matches_the_types_the_exercises_read():
    """The descriptions promise what the code does: the tie types the reveal, champions,
    say-vs-show and the formal comparison read (their own constants, not copies)."""
    from workbench.core.analysis import INFORMAL_TYPES, INSIGHT_TYPES
    from workbench.core.network.hierarchy import REPORTING
    from workbench.core.report.assemble import CUSTOMER_TIE_TYPES, MAIN_TIE_TYPES

    assert CUSTOMER_INSIGHT in INSIGHT_TYPES and CUSTOMER_INSIGHT in CUSTOMER_TIE_TYPES
    assert "customer champions" in describe(CUSTOMER_INSIGHT).enables
    assert "say-vs-show step 1" in describe(CUSTOMER_INSIGHT).enables
    assert MAIN_TIE_TYPES[:2] == (COLLABORATION, ADVICE)  # advice only without collaboration
    assert "say-vs-show steps 2 and 3" in describe(COLLABORATION).enables
    assert "when there is no collaboration network" in describe(ADVICE).enables
    assert ADVICE in INFORMAL_TYPES  # set against the reporting lines
    assert REPORTS_TO == REPORTING  # the type of the reporting lines built from the roster
    for key in (TRUST, OTHER):
        assert key not in (*INSIGHT_TYPES, *CUSTOMER_TIE_TYPES, *MAIN_TIE_TYPES)
        assert "say-vs-show" in describe(key).enables and "do not use" in describe(key).enables


def test_preselection_from_the_relation_column_then_the_file_name_never_blank():
    assert guess_relation(["advice", "Customer insight", "customer-insight", ""]) == \
        CUSTOMER_INSIGHT
    assert guess_relation(["energy", ""], "collaboration 2024.csv") == COLLABORATION
    assert guess_relation([], "Q3 reports-to export.xlsx") == REPORTS_TO
    assert guess_relation([], "advice_survey.csv") == ADVICE
    assert guess_relation([], "adviceless.csv") == OTHER  # whole words only
    assert guess_relation([], "") == OTHER


def test_parse_relation_names_the_choices():
    assert parse_relation("Reports to") == REPORTS_TO
    with pytest.raises(WorkbenchError) as refused:
        parse_relation("custmer insight")
    message = str(refused.value)
    assert "'custmer insight'" in message
    assert ("advice, collaboration, customer insight, trust / friendship, reports to, other"
            in message)


PEOPLE = "id,name,department,manager_id\ne1,Ann,Sales,\ne2,Bo,Sales,e1\ne3,Cy,Service,e1\n"


def test_cli_type_is_checked_against_the_list_and_stored_by_key(tmp_path, capsys):
    people, ties = tmp_path / "people.csv", tmp_path / "contacts.csv"
    people.write_text(PEOPLE, encoding="utf-8")
    ties.write_text("source,target,type\ne1,e2,\ne2,e3,advice\n", encoding="utf-8")
    out = tmp_path / "p.owb"
    assert main(["import", str(out), "--people", str(people), "--ties", str(ties),
                 "--type", "custmer insight"]) == 2
    err = capsys.readouterr().err
    assert "--type: unknown relation 'custmer insight'" in err and "reports to" in err
    assert not out.exists()
    # without --type a blank relation cell is a located error: nothing is imported
    assert main(["import", str(out), "--people", str(people), "--ties", str(ties)]) == 1
    assert "contacts.csv, row 2, column 'type': no relation" in capsys.readouterr().err
    assert main(["import", str(out), "--people", str(people), "--ties", str(ties),
                 "--type", "Customer insight"]) == 0
    capsys.readouterr()
    with Project.open(out) as project:
        assert {n.name: (n.type, n.tie_count) for n in project.networks.list()} == {
            "customer_insight": ("customer_insight", 1), "advice": ("advice", 1)}
