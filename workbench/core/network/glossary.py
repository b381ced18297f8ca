"""Plain-language names and one-line definitions of every network term a leader sees.

One entry per term, keyed by the name the code uses (a measure such as ``betweenness``, a
finding kind such as ``overloaded``, a brokerage role such as ``go_between``). Screens use
:func:`label` for the visible name and :func:`definition` for the tooltip; the Help menu and
the workbook's glossary sheet list :func:`terms`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    key: str
    label: str  # what the leader reads
    definition: str  # one line, plain words


_TERMS: tuple[tuple[str, str, str], ...] = (
    # -- measures per person
    ("in_degree", "Sought out by",
     "How many people name this person as someone they go to."),
    ("out_degree", "Goes to",
     "How many people this person says they go to."),
    ("weighted_in_degree", "Sought out, by strength",
     "Like 'sought out by', but frequent or strong ties count for more."),
    ("weighted_out_degree", "Goes to, by strength",
     "Like 'goes to', but frequent or strong ties count for more."),
    ("betweenness", "Share of routes through them",
     "Of all the shortest routes between two other people, the share that pass through this "
     "person; the higher it is, the more others depend on them to connect."),
    ("closeness_harmonic", "Reach",
     "How near everyone else is: each person counts 1 when one step away, 1/2 when two steps "
     "away, 1/3 when three, and so on; the most possible is the number of other people."),
    ("eigenvector", "Tied to the well connected",
     "High when this person's contacts are themselves well connected; the best-connected "
     "person scores highest."),
    ("pagerank", "Share of attention",
     "The share of requests that would end up with this person if requests kept being passed "
     "along the ties; everyone's shares add up to 100%."),
    ("burt_constraint", "Closed circle",
     "From 0 to 1: high when this person's contacts all know each other, low when they link "
     "groups that would otherwise stay apart."),
    ("effective_size", "Distinct contacts",
     "How many of this person's contacts bring something new rather than repeating each "
     "other's circles."),
    ("clustering", "Contacts who know each other",
     "The share of this person's pairs of contacts who are tied to one another."),
    ("reciprocity", "Two-way ties",
     "The share of ties that go both ways."),
    ("community", "Community",
     "A group of people more tied to each other than to the rest, found from the ties alone, "
     "whatever the organisation chart says."),
    ("role", "Role in the network",
     "The most important pattern this person shows, such as key-person risk or customer "
     "champion; blank when none applies."),
    # -- the whole network
    ("people", "People",
     "Everyone in the roster, with or without ties."),
    ("ties", "Ties",
     "Nominations or contacts between two people in this network."),
    ("density", "Ties that exist",
     "How many of all possible ties between two people actually exist, as '1 in N'."),
    ("components", "Separate parts",
     "Groups of people with no path at all between them."),
    ("largest_component", "Largest connected part",
     "The most people who can all reach each other through the ties."),
    ("communities", "Communities",
     "How many groups of people are more tied to each other than to the rest."),
    ("modularity", "How clearly it splits",
     "How much more people's ties stay inside their community than chance would give: "
     "around 0.3 a split is visible, above 0.5 it is strong (the highest possible is 1)."),
    ("ei_index", "Ties across departments",
     "The share of ties that link two departments, beside the share random mixing of the "
     "same people would give; also called the silo score (E-I), -1 all inside, +1 all across."),
    ("agreement", "Communities match departments",
     "How closely the communities found from the ties follow the departments: 1 means "
     "exactly, around 0 means not at all (adjusted Rand index)."),
    ("resolution", "Community size setting",
     "Higher finds more, smaller communities; the same setting always gives the same result."),
    ("random_mixing", "Random mixing",
     "The same people, each with as many ties in and out as they really have, tied at random: "
     "what chance alone would give, the yardstick for every finding."),
    ("middle_spread", "Middle spread",
     "The range covered by the middle half of people (from the lower to the upper quartile); "
     "'far above the rest' is measured in these spreads."),
    # -- findings and per-person roles
    ("key_person_risk", "Key-person risk",
     "So much depends on this person that their leaving would cut people off from each other "
     "or from their usual source of help."),
    ("overloaded", "Possibly overloaded",
     "Sought out by far more people than anyone else in this network; requests may pile up."),
    ("central_connector", "Go-to person",
     "Sought out by clearly more people than most, though not far above everyone."),
    ("broker", "Broker",
     "Lies on many more of the routes between other people than random mixing would give "
     "someone with as many ties; links people who would otherwise be far apart."),
    ("peripheral", "On the edge",
     "Has at most one tie in or out; may miss what others know."),
    ("customer_champion", "Customer champion",
     "Named for customer insight or going the extra mile by people from other departments, "
     "far more often than most."),
    ("silo", "Possible silo",
     "A department with far fewer ties to other departments than random mixing gives, and "
     "than the other departments have."),
    ("cross_functional_team", "Candidate cross-functional team",
     "A small group (5 to 12 people by default) that already works closely together across "
     "at least three departments, with someone who faces customers."),
    ("coordinator_candidate", "Able to coordinate a team",
     "The member of a candidate team who most often links its departments where they have no "
     "direct tie; someone who could coordinate it, not an appointment."),
    # -- brokerage roles (who links whom, by department)
    ("go_between", "Go-between",
     "Links two people of their own department who have no direct tie."),
    ("receiver", "Receiver",
     "Brings things from another department to someone in their own department."),
    ("representative", "Representative",
     "Carries things from someone in their own department out to another department."),
    ("outside_adviser", "Outside adviser",
     "From another department, links two people of the same department who have no direct "
     "tie."),
    ("liaison", "Liaison",
     "Links two people of two different departments, neither of them their own."),
    # -- figures from the questionnaires and the workshop
    ("rank_agreement", "Same order?",
     "How alike two rankings are: +1 the same order, 0 unrelated, -1 the opposite order."),
    ("mean_of_cell_means", "Step average",
     "The average over a step's cells of the leaders' average rating in each cell (0-4)."),
)

GLOSSARY: dict[str, Term] = {key: Term(key, name, text) for key, name, text in _TERMS}


def label(key: str) -> str:
    """The plain name of a term (the key itself when unknown)."""
    term = GLOSSARY.get(key)
    return term.label if term else key


def definition(key: str) -> str:
    """The one-line definition of a term ("" when unknown)."""
    term = GLOSSARY.get(key)
    return term.definition if term else ""


def terms() -> list[Term]:
    """Every term in alphabetical order of its label (for the Help menu and the workbook)."""
    return sorted(GLOSSARY.values(), key=lambda t: t.label.casefold())
