"""Small-group suppression that cannot be undone: the linear-programming attack as tests.

The attack here is written independently of :mod:`workbench.core.disclosure`: every cell of
the department table is an unknown, published cells and totals are equations, and two
``linprog`` calls per hidden figure give the range an attacker can narrow it to.
"""

from __future__ import annotations

import random

import numpy as np
import openpyxl
import pytest
from scipy.optimize import linprog
from scipy.sparse import block_diag

from workbench.core.disclosure import (
    CELL,
    COLUMN_TOTAL,
    ROW_TOTAL,
    exposed_cells,
    pooled_groups,
    protect_table,
)
from workbench.core.model import Person, Tie
from workbench.core.network.explain import label
from workbench.core.project import Project
from workbench.core.report.assemble import export_workbook
from workbench.core.report.data import POOLED_LABEL, GroupTies, suppress_groups

MIN = 5
SMALL_DEPARTMENTS = {"Board": 1, "Legal": 2, "Audit": 4}


# -- the attack -----------------------------------------------------------------------------

def attack(n: int, cells: dict, rows: dict, cols: dict, grand: float | None,
           extra: list[tuple[np.ndarray, float]] = ()) -> dict:
    """Feasible range of every figure not published.

    ``cells``/``rows``/``cols`` map (i, j) / i / j to a number when published; ``extra`` are
    further public sums (a 0/1 mask over the n x n cells and its value). Returns
    {("cell", i, j) | ("row", i) | ("col", j): (low, high)} for everything not published.
    """
    A, b = [], []

    def equation(mask: np.ndarray, value: float) -> None:
        A.append(mask.ravel().astype(float))
        b.append(float(value))

    for (i, j), value in cells.items():
        mask = np.zeros((n, n))
        mask[i, j] = 1
        equation(mask, value)
    for i, value in rows.items():
        mask = np.zeros((n, n))
        mask[i] = 1
        equation(mask, value)
    for j, value in cols.items():
        mask = np.zeros((n, n))
        mask[:, j] = 1
        equation(mask, value)
    if grand is not None:
        equation(np.ones((n, n)), grand)
    for mask, value in extra:
        equation(mask, value)
    targets = {}
    for i in range(n):
        for j in range(n):
            if (i, j) not in cells:
                mask = np.zeros((n, n))
                mask[i, j] = 1
                targets[("cell", i, j)] = mask
        if i not in rows:
            mask = np.zeros((n, n))
            mask[i] = 1
            targets[("row", i)] = mask
        if i not in cols:
            mask = np.zeros((n, n))
            mask[:, i] = 1
            targets[("col", i)] = mask
    masks = [mask.ravel() for mask in targets.values()]
    lows = smallest(np.array(A), np.array(b), masks)
    highs = smallest(np.array(A), np.array(b), [-mask for mask in masks])
    return {key: (low, -high) for key, low, high in zip(targets, lows, highs, strict=True)}


def smallest(A: np.ndarray, b: np.ndarray, objectives: list[np.ndarray]) -> list[float]:
    """The minimum of each objective over {x >= 0 : A x = b} (-inf where unbounded).

    All are found by one linear programme with a copy of the unknowns per objective: the
    copies share no equation, so the sum of the objectives is at its minimum exactly when each
    one is (one programme instead of one per objective: a quarter of the time).
    """
    k = len(objectives)
    if not k:
        return []
    result = linprog(np.concatenate(objectives), A_eq=block_diag([A] * k, format="csr"),
                     b_eq=np.tile(b, k), bounds=(0, None), method="highs")
    if result.status == 3:  # unbounded: which objective, one at a time
        return [-np.inf] if k == 1 else [low for c in objectives for low in smallest(A, b, [c])]
    assert result.status == 0, result.message  # the published figures are consistent
    return [float(c @ x) for c, x in zip(objectives, result.x.reshape(k, -1), strict=True)]


def narrow(ranges: dict, width: float) -> dict:
    return {k: r for k, r in ranges.items() if r[1] - r[0] < width - 1e-6}


def published(table) -> tuple[int, dict, dict, dict, float | None]:
    """What a reader of a :class:`SuppressedGroups` (or the Groups sheet) sees."""
    n = len(table.departments)
    v, h = table.values, table.hidden
    cells = {(i, j): v[i][j] for i in range(n) for j in range(n) if h[i][j] is None}
    rows = {i: v[i][n] for i in range(n) if h[i][n] is None}
    cols = {j: v[n][j] for j in range(n) if h[n][j] is None}
    return n, cells, rows, cols, (v[n][n] if h[n][n] is None else None)


# -- the auditor and the suppression routine -------------------------------------------------

def test_auditor_finds_a_cell_pinned_by_its_row_total():
    table = [[3, 4], [5, 6]]
    hidden = [[True, False], [False, False]]
    (found,) = exposed_cells(table, hidden, width=1)
    assert (found.kind, found.key, found.low, found.high) == (CELL, (0, 0), 3, 3)
    # without the totals the cell could be anything; a withheld total whose cells are all
    # shown is no secret though
    found = exposed_cells(table, hidden, published_totals=([False, False], [False, False]),
                          grand_total_published=False)
    assert [(e.kind, e.key, e.low) for e in found] == [(ROW_TOTAL, (1, None), 11),
                                                       (COLUMN_TOTAL, (None, 1), 10)]


def test_auditor_sees_through_hiding_two_cells_of_one_row_only():
    # hiding a second cell in the same row does not help: its column total pins it
    table = [[3, 4, 1], [5, 6, 2], [7, 8, 9]]
    hidden = [[True, True, False], [False, False, False], [False, False, False]]
    assert {e.key for e in exposed_cells(table, hidden, width=1)} == {(0, 0), (0, 1)}
    # a rectangle of hidden cells leaves each one free by min(3, 6) + min(4, 5)
    hidden = [[True, True, False], [True, True, False], [False, False, False]]
    assert exposed_cells(table, hidden, width=7) == []
    found = exposed_cells(table, hidden, width=8)
    assert [(e.key, e.low, e.high) for e in found] == [
        ((0, 0), 0, 7), ((0, 1), 0, 7), ((1, 0), 1, 8), ((1, 1), 3, 10)]


def test_auditor_uses_public_upper_bounds_and_symmetry():
    table = [[0, 2], [2, 1]]
    hidden = [[True, True], [True, True]]
    rows = ([False, False], [False, False])
    assert exposed_cells(table, hidden, published_totals=rows, width=1) == []
    pinned = exposed_cells(table, hidden, published_totals=rows, width=1,
                           upper=[[0, np.inf], [np.inf, np.inf]])
    assert [e.key for e in pinned] == [(0, 0)]  # a one-person group has no inner ties
    sym = exposed_cells([[1, 2], [2, 3]], [[False, True], [False, False]], width=1,
                        published_totals=rows, grand_total_published=False, symmetric=True,
                        figures=[(0, 1)])
    assert [(e.key, e.low, e.high) for e in sym] == [((0, 1), 2, 2)]


def test_a_lone_small_group_needs_a_second_withheld_total():
    table = np.array([[2, 3, 4], [5, 6, 7], [8, 9, 10]], dtype=float)
    primary = np.zeros((3, 3), dtype=bool)
    primary[0] = primary[:, 0] = True
    result = protect_table(table, primary, 3, withheld_rows=[0], withheld_cols=[0], linked=True)
    assert not result.rows_published[0] and (~result.rows_published).sum() >= 2
    assert result.exposures == ()
    assert exposed_cells(table, result.hidden != 0, published_totals=(
        result.rows_published, result.cols_published), width=3) == []
    assert protect_table(table, primary, 3, withheld_rows=[0], withheld_cols=[0],
                         linked=True).hidden.tolist() == result.hidden.tolist()  # repeatable


def test_pooled_groups_reach_the_minimum_together():
    assert pooled_groups({"A": 1, "B": 7, "C": 6}, ["A"], 5) == ["A", "C"]
    sizes = {"A": 1, "B": 7, "C": 6, "D": 2}
    assert pooled_groups(sizes, ["A", "D"], 5) == ["A", "D", "C"]  # smallest first, by size
    assert pooled_groups(sizes, [], 5) == []
    assert pooled_groups({"A": 1, "B": 2}, ["A", "B"], 5) == ["A", "B"]


def _random_groups(rng: random.Random) -> GroupTies:
    n = rng.randint(3, 9)
    names = tuple(f"D{i}" for i in range(n))
    sizes = {d: rng.randint(1, 4) if rng.random() < 0.35 else rng.randint(5, 25) for d in names}
    if all(s < MIN for s in sizes.values()):
        sizes[names[0]] = 12
    ties = {}
    for a in names:
        for b in names:
            rate = sizes[a] * (1.5 if a == b else 0.4) * rng.random()
            value = sum(rng.random() < rate / 8 for _ in range(8)) * rng.randint(0, 3)
            if value:
                ties[(a, b)] = value
    return GroupTies(names, sizes, ties, {d: None for d in names})


def test_random_tables_leave_no_hidden_figure_narrower_than_the_minimum():
    """The old rule leaked a small group in most of these tables; now none may."""
    rng = random.Random(20261127)
    checked = hidden_cells = 0
    for _ in range(100):
        groups = _random_groups(rng)
        table = suppress_groups(groups, MIN)
        n, cells, rows, cols, grand = published(table)
        assert grand is not None  # every network here has at least MIN people
        ranges = attack(n, cells, rows, cols, grand)
        need = min(MIN, grand)
        assert narrow(ranges, need) == {}, (groups, table.hidden)
        small = [i for i, d in enumerate(groups.departments) if groups.sizes[d] < MIN]
        for i in small:  # a small group's figures are never shown
            assert all(table.hidden[i][j] is not None for j in range(n + 1))
            assert all(table.hidden[j][i] is not None for j in range(n + 1))
            assert table.sizes[groups.departments[i]] is None
        checked += bool(small)
        hidden_cells += len(ranges)
    assert checked > 50 and hidden_cells > 1000


# -- the plan workbook of a real project ---------------------------------------------------

def _small_group_project(path) -> None:
    rng = random.Random(5)
    sizes = {"Sales": 14, "Service": 11, "Product": 9, "Finance": 6, **SMALL_DEPARTMENTS}
    people = [Person(f"E{d[:2].upper()}{i}", f"{d} person {i}", department=d, role="Staff")
              for d, size in sizes.items() for i in range(size)]
    ties = []
    for a in people:
        for b in people:
            chance = 0.3 if a.department == b.department else 0.06
            if a.id != b.id and rng.random() < chance:
                ties.append(Tie(a.id, b.id))
    with Project.create(path, client="Small groups Ltd") as project:
        project.people.add_many(people)
        project.networks.add("collaboration", ties, type="collaboration")


def _read_groups_sheet(book) -> tuple[list[str], dict, dict, dict, float | None, list]:
    rows = [list(r) for r in book["Groups"].iter_rows(values_only=True)]
    header = rows[0]
    n = header.index("Total") - 1
    names = header[1:n + 1]
    body = rows[1:n + 2]
    assert body[n][0] == "Total"

    def number(value):
        return value if isinstance(value, int | float) and not isinstance(value, bool) else None

    cells = {(i, j): body[i][1 + j] for i in range(n) for j in range(n)
             if number(body[i][1 + j]) is not None}
    row_totals = {i: body[i][1 + n] for i in range(n) if number(body[i][1 + n]) is not None}
    col_totals = {j: body[n][1 + j] for j in range(n) if number(body[n][1 + j]) is not None}
    grand = number(body[n][1 + n])
    return names, cells, row_totals, col_totals, grand, rows


def _degree_sums(book, names: list[str]) -> list[tuple[np.ndarray, float]]:
    """What the Network sheet adds: per shown department label (and for the pooled label,
    per set of departments not shown as a label) the sums of ties out and in."""
    rows = [list(r) for r in book["Network"].iter_rows(values_only=True)]
    header = rows[0]
    dept, out, into = (header.index(h) for h in ("Department", label("out_degree"),
                                                 label("in_degree")))
    n = len(names)
    sums: dict[str, list[float]] = {}
    for row in rows[1:]:
        total = sums.setdefault(row[dept] or "(not set)", [0.0, 0.0])
        total[0] += row[out]
        total[1] += row[into]
    extra = []
    pooled = [i for i, name in enumerate(names) if name not in sums]
    for name, (ties_out, ties_in) in sums.items():
        members = [names.index(name)] if name in names else pooled
        out_mask, in_mask = np.zeros((n, n)), np.zeros((n, n))
        out_mask[members] = 1
        in_mask[:, members] = 1
        extra += [(out_mask, ties_out), (in_mask, ties_in)]
    return extra


def test_plan_workbook_hides_small_departments_beyond_recovery(tmp_path):
    path = tmp_path / "small.owb"
    _small_group_project(path)
    out = tmp_path / "plan.xlsx"
    with Project.open(path) as project:
        export_workbook(project, out)
    book = openpyxl.load_workbook(out)
    names, cells, row_totals, col_totals, grand, rows = _read_groups_sheet(book)
    n = len(names)
    for small in SMALL_DEPARTMENTS:
        i = names.index(small)
        assert all(v == f"hidden (< {MIN} people)" for v in rows[1 + i][1:n + 3])
        assert all(rows[1 + r][1 + i] == f"hidden (< {MIN} people)" for r in range(n + 1))
        assert rows[1 + i][n + 3] == "hidden"  # E-I
    assert any(str(r[0]).startswith("Privacy:") for r in rows if r and r[0])
    assert grand is not None and grand > 100
    ranges = attack(n, cells, row_totals, col_totals, grand)
    assert len(ranges) >= 2 * 3 * n - 3 * 3 + 2 * 3  # the small ones' cells and totals
    assert narrow(ranges, MIN) == {}
    # The Network sheet's ties in and out per department add equations; still nothing.
    assert narrow(attack(n, cells, row_totals, col_totals, grand,
                         _degree_sums(book, names)), MIN) == {}
    # No person-level sheet names a small department; they are pooled under one label.
    for sheet in ("Network", "Roster"):
        header, *people = [list(r) for r in book[sheet].iter_rows(values_only=True)]
        shown = {row[header.index("Department")] for row in people}
        assert not shown & set(SMALL_DEPARTMENTS), sheet
        pooled = [row for row in people if row[header.index("Department")] == POOLED_LABEL]
        assert len(pooled) >= MIN
    book.close()


def test_demo_workbook_one_person_group_cannot_be_recovered(demo, tmp_path):
    out = tmp_path / "demo-plan.xlsx"
    data, _notices = export_workbook(demo, out)
    assert data.groups is not None and data.groups.sizes["Executive"] == 1
    book = openpyxl.load_workbook(out)
    names, cells, row_totals, col_totals, grand, _rows = _read_groups_sheet(book)
    executive = names.index("Executive")
    assert executive not in row_totals and executive not in col_totals
    ranges = attack(len(names), cells, row_totals, col_totals, grand,
                    _degree_sums(book, names))
    assert narrow(ranges, MIN) == {}
    for sheet in ("Network", "Roster"):
        header, *people = [list(r) for r in book[sheet].iter_rows(values_only=True)]
        assert "Executive" not in {row[header.index("Department")] for row in people}
    book.close()


def test_whole_network_below_the_minimum_shows_no_group_figure():
    groups = GroupTies(("A", "B"), {"A": 2, "B": 2}, {("A", "B"): 3, ("B", "A"): 1},
                       {"A": 1.0, "B": 1.0})
    table = suppress_groups(groups, MIN)
    assert all(mark is not None for row in table.hidden for mark in row)
    assert table.pooled == {"A", "B"} and table.label("A") == POOLED_LABEL


@pytest.mark.parametrize("width", [1, MIN])
def test_suppression_is_deterministic(width):
    groups = _random_groups(random.Random(3))
    first, second = suppress_groups(groups, MIN, width), suppress_groups(groups, MIN, width)
    assert first.hidden == second.hidden and first.pooled == second.pooled


def test_row_total_exposure_is_reported_as_such():
    (found,) = exposed_cells([[1, 2], [3, 4]], [[True, True], [False, False]],
                             published_totals=([False, True], [True, True]),
                             figures=[(0, None)], width=1)
    assert found.kind == ROW_TOTAL and (found.low, found.high) == (3, 3)


def test_roster_without_network_pools_small_departments(tmp_path):
    from workbench.core.report.data import EngagementSummary, ReportData, RosterEntry
    from workbench.core.report.workbook_writer import write_plan_workbook

    sizes = {"Tiny": 2, "Mid": 6, "Big": 9}
    roster = [RosterEntry(f"{d}{i}", f"{d} {i}", d, "Staff") for d, n in sizes.items()
              for i in range(n)]
    data = ReportData(EngagementSummary("8d3c1c7e-0000-4000-8000-000000000009", "Client", 1, 0),
                      maturity={}, roster=roster)
    write_plan_workbook(data, tmp_path / "roster.xlsx")
    book = openpyxl.load_workbook(tmp_path / "roster.xlsx")
    header, *rows = [list(r) for r in book["Roster"].iter_rows(values_only=True)]
    shown = [row[header.index("Department")] for row in rows]
    # Tiny (2) alone would be the roster minus the shown ones: Mid (6) is pooled with it
    assert shown.count(POOLED_LABEL) == 8 and shown.count("Big") == 9
    assert "Tiny" not in shown and "Mid" not in shown
