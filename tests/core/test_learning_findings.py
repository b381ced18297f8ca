"""Findings of the customer-learning lab: the hand-worked engagement of learning_fixture, people
named only as privacy allows, and the patterns planted in the demo found."""

from __future__ import annotations

from learning_fixture import BREAK

from workbench.core.demo_learning import SLOW_DEPARTMENT
from workbench.core.learning.findings import KINDS, learning_findings
from workbench.core.privacy import PrivacySettings, save_privacy, shown_people


def _by_kind(found):
    return {f.kind: f for f in found}


def test_every_rule_fires_on_the_hand_worked_log(lab):
    found = learning_findings(lab)
    assert [f.kind for f in found] == [k for k in KINDS if k != "none_scaled"]  # E-04 scales
    f = _by_kind(found)
    # days 2 4 6 10 20 30 40 50: median (10 + 20) / 2
    assert f["slow_to_action"].headline == ("Insights wait a median of 15 days before anyone "
                                            "acts on them")
    assert "Complaint insights are the slowest (median 30 days)" in f["slow_to_action"].detail
    assert f["source_never_acted"].headline == "None of the 3 partner insights has led to an action"
    # Service receives 9 of 12; its people are never the ones who can act
    assert f["cannot_act"].headline == ("Service receives 75% of all insights and none of its "
                                        "people can act on them")
    assert "acted on 5 and 4 were never acted on" in f["cannot_act"].detail
    assert f["cannot_act"].departments == ("Service",)
    assert f["loop_open"].headline == "Customers heard back on 3 of 7 insights acted on"
    # through a gatekeeper: 10 20 30 40 50 days; straight: 2 4 6
    assert f["gatekeeping"].headline.startswith("67% of insights pass a gatekeeper")
    assert "median of 30 days" in f["gatekeeping"].detail and "4 days" in f["gatekeeping"].detail
    # no path joins Service and Billing: 8 of the 11 insights with both people on the network
    assert f["receivers_far"].headline.startswith("8 of 11 insights land 3 or more ties away")
    assert "8 have no path at all" in f["receivers_far"].detail
    assert f["experiments_stuck"].headline.startswith("3 of 4 live experiments")
    assert f["scaling_unowned"].headline == "1 change that scaling needs has no owner"
    assert "Pay the retention bonus" in f["scaling_unowned"].detail
    handoff = f["handoff_untied"]
    assert handoff.headline.startswith("Service and Billing hand customers over at "
                                       "'Payment set-up'")
    assert handoff.departments == ("Service", "Billing") and BREAK in handoff.detail


def test_people_are_named_only_as_privacy_allows(lab, tmp_path, monkeypatch):
    room = _by_kind(learning_findings(lab))["receivers_far"]
    assert room.person_ids == ("s1", "s2")
    # departments below the smallest group shown are pooled, so nobody is placed either
    assert "Ann Archer" not in room.detail and "received in" not in room.detail
    analyst = _by_kind(learning_findings(lab, "analyst"))["receivers_far"]
    assert "Ann Archer and Bob Baker receive the most" in analyst.detail  # 3 far insights each

    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "data"))
    save_privacy(lab, PrivacySettings(pseudonymise=True))
    shown = shown_people(lab)
    text = " ".join(f"{f.headline} {f.detail}" for f in learning_findings(lab, "analyst"))
    assert shown.label("s1") in text and shown.label("s1") != "Ann Archer"
    assert not any(p.name in text for p in lab.people.list())


def test_an_empty_lab_has_no_findings(project):
    assert learning_findings(project) == []


def test_the_demo_patterns_are_found(demo):
    f = _by_kind(learning_findings(demo))
    assert "partner insights has led to an action" in f["source_never_acted"].headline
    assert f["cannot_act"].departments == (SLOW_DEPARTMENT,)
    assert f["cannot_act"].headline.startswith(f"{SLOW_DEPARTMENT} receives ")
