"""Numbers with their meaning: plain names of the measures and figures in words.

Names and definitions come from :mod:`workbench.core.network.glossary`; this module turns a
value into words a leader reads without a key ("1 in 69 possible ties exist", "on 7.4% of the
routes between others").
"""

from __future__ import annotations

from collections.abc import Mapping

from workbench.core.network import glossary
from workbench.core.wording import count


def label(key: str) -> str:
    """Short display name of a figure (the key itself when unknown)."""
    return glossary.label(key)


def sentence(key: str) -> str:
    """One plain-language sentence about a figure ("" when unknown)."""
    return glossary.definition(key)


def value_text(key: str, value: float | None) -> str:
    """One person's value of a measure in words ("–" when undefined)."""
    if value is None:
        return "–"
    v = float(value)
    words = {
        "in_degree": lambda: f"named by {count(round(v), 'person', 'people')}",
        "out_degree": lambda: f"goes to {count(round(v), 'person', 'people')}",
        "betweenness": lambda: f"on {percent(v)} of the routes between others",
        "pagerank": lambda: f"{percent(v)} of the attention",
        "closeness_harmonic": lambda: f"reach {v:,.1f}",
        "burt_constraint": lambda: f"{v:.2f} (1 = a closed circle)",
        "effective_size": lambda: f"{v:,.1f} distinct contacts",
        "clustering": lambda: f"{v:.0%} of contacts know each other",
        "reciprocity": lambda: f"{v:.0%} of ties two-way",
    }
    return words[key]() if key in words else f"{v:,.3g}"


def figure_text(key: str, network: Mapping[str, float | int]) -> str:
    """A whole-network figure (a key of ``MetricsResult.network``) in words."""
    value = network.get(key)
    if value is None:
        return "–"
    if key == "density":
        return density_text(float(value))
    if key == "reciprocity":
        return f"{float(value):.0%} of ties go both ways"
    if key == "modularity":
        return split_text(float(value), int(network.get("communities", 0)))
    if key == "components":
        return parts_text(int(value), int(network.get("largest_component", 0)))
    nouns = {"people": ("person", "people"), "ties": ("tie", "ties"),
             "communities": ("community", "communities")}
    if key in nouns:
        return count(int(value), *nouns[key])
    return f"{value:,.3g}"


def density_text(density: float) -> str:
    """``0.0145`` -> "1 in 69 possible ties exist"."""
    if density <= 0:
        return "No ties between people"
    if density >= 0.5:
        return f"{density:.0%} of possible ties exist"
    return f"1 in {round(1 / density):,} possible ties exist"


def split_text(modularity: float, communities: int) -> str:
    """How clearly the network splits into its communities, in words."""
    strength = ("sharply" if modularity >= 0.5 else "clearly" if modularity >= 0.3
                else "only loosely")
    return (f"{count(communities, 'community', 'communities')}, {strength} separate "
            f"({modularity:.2f}, where 0.3 is a visible split)")


def parts_text(components: int, largest: int) -> str:
    """Whether everyone can reach everyone, in words."""
    if components <= 1:
        return "Everyone is connected"
    return f"{components:,} separate parts; the largest has {count(largest, 'person', 'people')}"


def crossing_text(observed: float | None, expected: float | None) -> str:
    """The network's share of ties between departments beside what random mixing gives."""
    if observed is None:
        return "–"
    text = f"{percent(observed)} of ties link two departments"
    return text if expected is None else f"{text}; random mixing would give {percent(expected)}"


def agreement_text(agreement: float) -> str:
    """Adjusted Rand index of communities vs departments, in words."""
    words = ("Communities largely follow the departments" if agreement >= 0.7 else
             "Communities partly follow the departments" if agreement >= 0.3 else
             "Communities cut across the departments")
    return f"{words} ({agreement:.2f}; 1 = exactly the departments)"


def percent(share: float) -> str:
    """A share as a percentage with the precision small shares need (0.04%, 0.4%, 7%, 62%)."""
    if 0 < share < 0.0001:
        return "less than 0.01%"
    return (f"{share:.2%}" if 0 < share < 0.001 else f"{share:.1%}" if 0 < share < 0.095
            else f"{share:.0%}")
