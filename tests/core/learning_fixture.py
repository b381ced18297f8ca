"""A small engagement with a customer-learning lab whose figures are worked out by hand.

Eight people: Service (s1 Ann, s2 Bob, s3 Cat), Billing (b1 Dan, b2 Eve), Sales (k1 Fay,
k2 Gus, k3 Hal). One collaboration network of six ties: s1-s2, s2-s3, b1-b2, k1-k2, k2-k3,
s3-k1 (no tie joins Service and Billing). Twelve insights (days to action in brackets):

 1 complaint  s1->b1 (10) told, gatekeeper       7 frontline  s2->b1 not acted, gatekeeper
 2 complaint  s2->b1 (30) not told, gatekeeper   8 partner    s1->"Head of Billing", gatekeeper
 3 complaint  s1->b2 (50) not told, gatekeeper   9 partner    s3->b1 not acted, direct
 4 survey     k1->k2 (4)  told, direct          10 partner    s2->b2 not acted, gatekeeper
 5 survey     k2->k3 (6)  not recorded, direct  11 data       k3->k1 (2)  told, direct
 6 frontline  s3->b2 (20) not told, gatekeeper  12 data       s1->b1 (40) not told, gatekeeper

Acted: 8 of 12, days 2 4 6 10 20 30 40 50, median 15; told 3 of the 7 acted with an answer;
8 of 12 through a gatekeeper. Service receives 9 of 12 and its people act on none of them.
Four experiments: E-01..E-03 in search, E-04 in scale with one change nobody owns.
Customer measure: Households, complaints unresolved 41 % against a target of 15 %.
Journey (Households): 1 Sign-up (Sales to Service, holds), 2 Payment set-up (Service to
Billing, breaks).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from workbench.core.learning.model import InsightDraft, MeasureDraft, ScalingChange
from workbench.core.model import Person, Tie
from workbench.core.project import Project

DAY = dt.date(2026, 3, 2)
PEOPLE = [Person("s1", "Ann Archer", department="Service"),
          Person("s2", "Bob Baker", department="Service"),
          Person("s3", "Cat Cole", department="Service"),
          Person("b1", "Dan Dale", department="Billing"),
          Person("b2", "Eve Eden", department="Billing"),
          Person("k1", "Fay Ford", department="Sales"),
          Person("k2", "Gus Gray", department="Sales"),
          Person("k3", "Hal Hill", department="Sales")]
TIES = [("s1", "s2"), ("s2", "s3"), ("b1", "b2"), ("k1", "k2"), ("k2", "k3"), ("s3", "k1")]
LOG = [  # source, received by, can act, days to action, loop closed, via gatekeeper
    ("complaint", "s1", "b1", 10, True, True),
    ("complaint", "s2", "b1", 30, False, True),
    ("complaint", "s1", "b2", 50, False, True),
    ("survey", "k1", "k2", 4, True, False),
    ("survey", "k2", "k3", 6, None, False),
    ("frontline conversation", "s3", "b2", 20, False, True),
    ("frontline conversation", "s2", "b1", None, None, True),
    ("partner", "s1", "Head of Billing", None, None, True),
    ("partner", "s3", "b1", None, None, False),
    ("partner", "s2", "b2", None, None, True),
    ("data", "k3", "k1", 2, True, False),
    ("data", "s1", "b1", 40, False, True),
]
BREAK = "Billing asks again for the bank details the customer already gave to Service"


def drafts() -> list[InsightDraft]:
    return [InsightDraft(source, "Households", f"Insight number {n}",
                         DAY + dt.timedelta(days=n), by, act,
                         acted_on=None if days is None else DAY + dt.timedelta(days=n + days),
                         loop_closed=loop, via_gatekeeper=gate)
            for n, (source, by, act, days, loop, gate) in enumerate(LOG, start=1)]


def build(path: Path) -> Path:
    """The engagement at ``path`` (see the module notes)."""
    with Project.create(path, client="Harbour Test Ltd") as project:
        project.people.add_many(PEOPLE)
        project.networks.add("Collaboration", [Tie(a, b, 1.0, "collaboration") for a, b in TIES],
                             type="collaboration", date=dt.date(2026, 2, 1))
        lab = project.learning
        lab.import_insights(drafts())
        for title in ("Invite lapsed small-business customers to a repair clinic",
                      "Pair new movers with a neighbour who switched last year",
                      "Let installers book follow-up visits themselves"):
            lab.add_experiment(title=title, stage="search", connects=("customers",),
                               value_kind="functional")
        lab.add_experiment(title="Partner with housing associations on prepaid meters",
                           stage="scale", connects=("partners",), value_kind="life-changing",
                           decision="scale", changes=(
                               ScalingChange("incentives", "Pay the retention bonus on "
                                             "association accounts too"),
                               ScalingChange("structures", "Give Billing one named contact "
                                             "per association", "b1")))
        lab.replace_measures([MeasureDraft("Households", "complaints unresolved", 41.0, "%",
                                           "2026-Q1", "complaints log", 15.0)])
        lab.add_stage("Households", "Sign-up", handoff_from="Sales", handoff_to="Service")
        lab.add_stage("Households", "Payment set-up", handoff_from="Service",
                      handoff_to="Billing", handoff_break=BREAK)
    return path
