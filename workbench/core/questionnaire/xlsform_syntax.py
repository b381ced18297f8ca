"""The small parts of XLSForm syntax the app reads and writes: column headers with a language
(``label::English (en)``, ``label:English``), question types (``select_one LIST``, the legacy
``select one from LIST``, ``or_other``), branching (``relevant``), number ranges
(``constraint``), ``required`` and ``default``.

Branching the app understands is one earlier answer compared with values:
``${q} = 'a'``, ``(${q} = 'a' or ${q} = 'b')``, ``selected(${q}, 'a')`` (for select_multiple)
and the app's older ``${q} in ('a', 'b')``. A number range is ``. >= 0 and . <= 10``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from workbench.core.questionnaire.schema import CHOICE_KINDS, NUMERIC_KINDS, ShowIf

# Translatable columns (a language may follow ``::``) and the other names XLSForm tools use.
TRANSLATABLE = frozenset({"label", "hint", "constraint_message"})
_HEADER_ALIASES = {
    "caption": "label", "relevance": "relevant", "jr:constraintmsg": "constraint_message",
    "constraining_message": "constraint_message", "value": "name", "list": "list_name",
    "set_form_id": "form_id", "set_form_title": "form_title", "id_string": "form_id",
}
_SELECT_WORDS = {
    "select_one": "single_choice", "select one": "single_choice", "select1": "single_choice",
    "select one from": "single_choice", "add select one prompt using": "single_choice",
    "select_multiple": "multiple_choice", "select all that apply": "multiple_choice",
    "select all that apply from": "multiple_choice", "select multiple": "multiple_choice",
    "add select multiple prompt using": "multiple_choice", "rank": "ranking",
}
_SELECT = re.compile(
    r"^(?P<word>" + "|".join(sorted(map(re.escape, _SELECT_WORDS), key=len, reverse=True))
    + r")\s+(?P<list>\S+)(?:\s+(?P<other>or_other|or specify other|or other))?$",
    re.IGNORECASE)
SELECT_WORD = {"single_choice": "select_one", "multiple_choice": "select_multiple",
               "ranking": "rank"}

_REF = r"\$\{\s*(?P<q>[^}\s]+)\s*\}"
_LIT = r"(?P<lit>'[^']*(?:''[^']*)*'|\"[^\"]*\"|-?\d+(?:\.\d+)?)"
_ATOMS = (re.compile(rf"^{_REF}\s*==?\s*{_LIT}"),
          re.compile(rf"^selected\s*\(\s*{_REF}\s*,\s*{_LIT}\s*\)"))
_OR = re.compile(r"^\s+or\s+")
_LEGACY_IN = re.compile(rf"^{_REF}\s*in\s*\((?P<in>.*)\)$")
_LEGACY_LITERAL = re.compile(r"'((?:[^']|'')*)'|(-?\d+(?:\.\d+)?)")
_BOUND = re.compile(r"^\.\s*(?P<op>>=|<=)\s*(?P<n>-?\d+(?:\.\d+)?)$"
                    r"|^(?P<n2>-?\d+(?:\.\d+)?)\s*(?P<op2><=|>=)\s*\.$")
_YES = frozenset({"yes", "true", "true()", "1"})
_NO = frozenset({"no", "false", "false()", "0", ""})


@dataclass(frozen=True)
class Header:
    """One column heading: the column it means and the language after ``::`` ("" for none)."""

    column: str
    language: str = ""


def parse_header(text: Any) -> Header | None:
    """``label::English (en)`` -> Header("label", "English (en)"); None for an empty cell.

    Case, spaces and the usual aliases (``caption``, ``relevance``, ``list name``) are
    tolerated; ``label:English`` (one colon, an older spelling) names a language too.
    """
    raw = str(text).strip() if text is not None else ""
    if not raw:
        return None
    base, language = raw, ""
    if "::" in raw:
        base, _, language = raw.partition("::")
    elif ":" in raw and raw.lower() not in _HEADER_ALIASES:
        head, _, tail = raw.partition(":")
        if _normal(head) in TRANSLATABLE:
            base, language = head, tail
    column = _normal(base)
    column = _HEADER_ALIASES.get(column, column)
    if language and column not in TRANSLATABLE:
        column = f"{column}::{language.strip()}"  # media::image and the like: not read
        language = ""
    return Header(column, language.strip())


def _normal(text: str) -> str:
    return re.sub(r"\s+", "_", text.strip().lower())


@dataclass(frozen=True)
class SelectType:
    kind: str
    list_name: str
    or_other: bool


def parse_select(type_text: str) -> SelectType | None:
    """``select_one yes_no or_other`` -> SelectType("single_choice", "yes_no", True)."""
    match = _SELECT.match(" ".join(type_text.split()))
    if match is None:
        return None
    kind = _SELECT_WORDS[" ".join(match["word"].lower().split())]
    return SelectType(kind, match["list"], match["other"] is not None)


# -- branching ---------------------------------------------------------------------------------

def parse_relevant(text: str) -> dict[str, Any]:
    """The ``show_if`` data of a condition; ValueError when the app cannot follow it.

    The question named is the XLSForm name as written (the caller maps it to the id).
    """
    text = " ".join(text.split())
    legacy = _LEGACY_IN.match(text)
    if legacy:
        return {"question": legacy["q"],
                "in": [_legacy_literal(m) for m in _LEGACY_LITERAL.finditer(legacy["in"])]}
    grouped = text.startswith("(") and text.endswith(")") and _closes_at_end(text)
    rest = text[1:-1].strip() if grouped else text
    questions: list[str] = []
    values: list[Any] = []
    while True:
        match = next((m for m in (a.match(rest) for a in _ATOMS) if m), None)
        if match is None:
            raise ValueError(_CONDITION_HELP)
        questions.append(match["q"])
        values.append(_literal(match["lit"]))
        rest = rest[match.end():]
        if not rest.strip():
            break
        joint = _OR.match(rest)
        if joint is None:
            raise ValueError(_CONDITION_HELP)
        rest = rest[joint.end():]
    if len(set(questions)) > 1:
        raise ValueError("the condition looks at more than one question; the app shows a "
                         "question after one earlier answer only")
    if len(values) == 1 and not grouped:
        return {"question": questions[0], "equals": values[0]}
    return {"question": questions[0], "in": values}


_CONDITION_HELP = ("the app follows conditions on one earlier answer only: "
                   "${question} = 'value', (${question} = 'a' or ${question} = 'b') "
                   "or selected(${question}, 'value')")


def _closes_at_end(text: str) -> bool:
    """Whether the opening parenthesis of ``text`` closes at its last character."""
    depth, quote = 0, ""
    for position, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return position == len(text) - 1
    return False


def _literal(text: str) -> str | int | float:
    if text[0] == "'":
        return text[1:-1].replace("''", "'")
    if text[0] == '"':
        return text[1:-1]
    number = float(text)
    return int(number) if "." not in text else number


def _legacy_literal(match: re.Match[str]) -> str | int | float:
    if match[1] is not None:
        return match[1].replace("''", "'")
    return _literal(match[2])


def relevant_text(show_if: ShowIf, target_kind: str | None) -> str:
    """The XLSForm condition for ``show_if``; a list of values is written in parentheses."""
    def atom(value: Any) -> str:
        if target_kind in ("multiple_choice", "ranking"):
            return f"selected(${{{show_if.question}}}, {xpath_literal(value)})"
        return f"${{{show_if.question}}} = {xpath_literal(value)}"

    if show_if.in_ is None:
        return atom(show_if.equals)
    return "(" + " or ".join(atom(v) for v in show_if.in_) + ")"


def xpath_literal(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number_text(value)
    text = str(value)
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    return "'" + text.replace("'", "''") + "'"


def number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


# -- constraint, required, default -------------------------------------------------------------

def parse_constraint(text: str) -> tuple[float | None, float | None]:
    """``. >= 0 and . <= 10`` -> (0, 10); ValueError for anything else."""
    low = high = None
    for part in re.split(r"\s+and\s+", " ".join(text.split())):
        match = _BOUND.match(part.strip("() "))
        if match is None:
            raise ValueError("the app keeps a number range only, written as "
                             "'. >= lowest and . <= highest'")
        op = match["op"] or {"<=": ">=", ">=": "<="}[match["op2"]]
        number = float(match["n"] or match["n2"])
        if op == ">=":
            low = number
        else:
            high = number
    return low, high


def constraint_text(minimum: float | None, maximum: float | None) -> str | None:
    parts = ([f". >= {number_text(minimum)}"] if minimum is not None else []) + (
        [f". <= {number_text(maximum)}"] if maximum is not None else [])
    return " and ".join(parts) or None


def parse_required(value: Any) -> bool | None:
    """True/False for yes/no spellings (yes, TRUE(), 1 ...); None for an expression."""
    if value is None or isinstance(value, bool):
        return bool(value)
    text = str(value).strip().lower()
    return True if text in _YES else False if text in _NO else None


def parse_range_parameters(text: str) -> tuple[float, float]:
    """``start=1 end=5 step=1`` -> (1, 5) (XLSForm's defaults: start 1, end 10);
    ValueError when start or end is not a number."""
    values = dict(part.split("=", 1) for part in str(text).replace(";", " ").split()
                  if "=" in part)
    values = {k.strip().lower(): v.strip() for k, v in values.items()}
    return float(values.get("start", 1)), float(values.get("end", 10))


def default_text(kind: str, value: Any) -> Any:
    """An answer written the XLSForm way: options of a multiple answer separated by spaces."""
    if kind in ("multiple_choice", "ranking"):
        values = [str(v) for v in value]
        return json.dumps(value) if any(" " in v or not v for v in values) else " ".join(values)
    return value


def parse_default(kind: str | None, value: Any) -> Any:
    """A ``default`` cell as an answer of ``kind``; the app's older JSON cells are read too."""
    if isinstance(value, str) and value[:1] in ('"', "["):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            pass
    if kind in ("multiple_choice", "ranking"):
        return str(value).split()
    if kind in NUMERIC_KINDS and isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return value
        return int(number) if number.is_integer() else number
    if kind in CHOICE_KINDS or kind == "text":
        return plain_text(value)
    return value


def plain_text(value: Any) -> str | None:
    """A cell as text: whole numbers without ".0"; None when empty."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None
