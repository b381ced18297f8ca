"""Plain-language labels and one-sentence explanations for every figure the app shows."""

from __future__ import annotations

EXPLANATIONS: dict[str, tuple[str, str]] = {
    "in_degree": (
        "Sought out by",
        "How many people name this person as someone they go to.",
    ),
    "out_degree": (
        "Reaches out to",
        "How many people this person says they go to.",
    ),
    "weighted_in_degree": (
        "Sought out (strength)",
        "Like 'sought out by', but stronger or more frequent ties count for more.",
    ),
    "weighted_out_degree": (
        "Reaches out (strength)",
        "Like 'reaches out to', but stronger or more frequent ties count for more.",
    ),
    "betweenness": (
        "Bridge score",
        "How often this person lies on the shortest route between two other people; "
        "high means others depend on them to connect.",
    ),
    "closeness_harmonic": (
        "Reach",
        "How few steps it takes the rest of the organisation to get to this person: each "
        "person adds 1 / steps, so the highest possible value is everyone else, one step away.",
    ),
    "eigenvector": (
        "Influence",
        "High when this person is tied to people who are themselves well connected.",
    ),
    "pagerank": (
        "Standing",
        "The share of attention that would end up with this person if requests kept "
        "being passed along the network.",
    ),
    "burt_constraint": (
        "Closed circle",
        "High when this person's contacts all know each other; low means they link "
        "groups that would otherwise stay apart.",
    ),
    "effective_size": (
        "Distinct contacts",
        "How many of this person's contacts bring something new rather than "
        "repeating each other's circles.",
    ),
    "clustering": (
        "Tight-knit circle",
        "The share of this person's contacts who are also connected to one another.",
    ),
    "reciprocity": (
        "Two-way ties",
        "The share of this person's ties that go both ways.",
    ),
    "community": (
        "Community",
        "A group of people more tied to each other than to the rest, found from the "
        "ties alone, whatever the organisation chart says.",
    ),
    "role": (
        "Role",
        "The most important pattern this person shows, such as broker or customer champion.",
    ),
    "density": (
        "Density",
        "The share of all possible ties that actually exist.",
    ),
    "ei_index": (
        "Silo score",
        "Ties to other groups minus ties inside the group, divided by all of them: "
        "-1 means every tie stays inside, +1 means every tie goes outside.",
    ),
    "modularity": (
        "Community strength",
        "How clearly the network splits into communities; above about 0.3 the split is marked.",
    ),
    "key_person_risk": (
        "Key-person risk",
        "The share of people who can reach each other today who would be cut off if "
        "this person left.",
    ),
    "coordinator": (
        "Coordinator",
        "Passes things along between two people of their own group.",
    ),
    "gatekeeper": (
        "Gatekeeper",
        "Lets things from another group into their own group.",
    ),
    "representative": (
        "Representative",
        "Carries things from their own group out to another group.",
    ),
    "consultant": (
        "Consultant",
        "An outsider who links two people of the same other group.",
    ),
    "liaison": (
        "Liaison",
        "Links two people from two different groups, neither of them their own.",
    ),
}


def label(key: str) -> str:
    """Short display name of a figure (the key itself when unknown)."""
    return EXPLANATIONS.get(key, (key, ""))[0]


def sentence(key: str) -> str:
    """One plain-language sentence about a figure ("" when unknown)."""
    return EXPLANATIONS.get(key, ("", ""))[1]
