"""Tiny hostile files and malformed values: refused early with file, line/row and field.

The bombs (YAML aliases, a UCINET DL header declaring 100 million matrices, a workbook of 1,000
empty sheets) run in a forked child limited in address space and time, so on a version that
does not refuse them early the test fails within seconds instead of using gigabytes or minutes.
"""

from __future__ import annotations

import datetime as dt
import math
import multiprocessing
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from test_report_workbook import make_report_data

from workbench.core.errors import WorkbenchError
from workbench.core.network.formats import read_network_file
from workbench.core.network.ties_import import import_ties
from workbench.core.network.weights import MAX_WEIGHT
from workbench.core.plan.library import LibraryError, load_library
from workbench.core.questionnaire.loader import TemplateError, check_template, load_template
from workbench.core.report.plan_reader import read_plan_workbook
from workbench.core.report.workbook_writer import MARKER_SHEET, PLAN_COLUMNS, write_plan_workbook

COL = {f: i + 1 for i, (f, _h, _w) in enumerate(PLAN_COLUMNS)}
fork_only = pytest.mark.skipif(sys.platform != "linux", reason="uses fork and RLIMIT_AS")


def _vm_bytes() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmSize")


def bounded(func: Callable[..., Any], *args: Any, seconds: float = 30.0,
            extra_memory: int = 512 * 2**20) -> tuple[str, Any, float, int]:
    """Run ``func(*args)`` in a forked child with at most ``extra_memory`` more address space
    and ``seconds`` of time. Returns ("ok", result) or ("raised", "Type: message"), the child's
    run time in seconds and its peak resident memory in MB; fails the test on a timeout."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def child() -> None:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (_vm_bytes() + extra_memory, hard))
        start = time.perf_counter()
        try:
            outcome: tuple[str, Any] = ("ok", func(*args))
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            outcome = ("raised", f"{type(exc).__name__}: {exc}")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        send.send((*outcome, time.perf_counter() - start, peak))

    process = context.Process(target=child)
    process.start()
    try:
        if not receive.poll(seconds):
            pytest.fail(f"{func.__name__} still ran after {seconds:.0f} s; not refused early")
        return receive.recv()
    finally:
        process.kill()
        process.join()


# --------------------------------------------------------------------------- YAML

def billion_laughs(levels: int = 10) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def _problems(path: Path) -> list[tuple[str, int | None, str]]:
    return [(p.kind, p.row, p.message) for p in check_template(path)]


@fork_only
def test_yaml_alias_bomb_is_refused_before_anything_is_built(tmp_path):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(billion_laughs())
    assert bomb.stat().st_size < 600  # 9**10 "lol"s once expanded
    status, problems, _seconds, _peak = bounded(_problems, bomb)
    assert status == "ok"
    [(kind, line, message)] = problems
    assert kind == "alias_expansion" and line is not None and 1 <= line <= 10
    assert "aliases expand" in message
    with pytest.raises(TemplateError, match=rf"{bomb.name}:{line}: .*aliases expand"):
        load_template(bomb)


@fork_only
def test_yaml_doubling_aliases_and_loops_and_alias_counts(tmp_path):
    doubling = tmp_path / "doubling.yaml"  # 98 aliases, 2**49 values once expanded
    doubling.write_text("a0: &a0 [1, 2]\n" + "".join(
        f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]\n" for i in range(1, 50)))
    status, [(kind, line, _m)], _s, _p = bounded(_problems, doubling)
    assert (status, kind) == ("ok", "alias_expansion") and line is not None
    loop = tmp_path / "loop.yaml"
    loop.write_text("id: x\nversion: 1\nitems: &x [1, *x]\n")
    assert [(k, r) for k, r, _m in _problems(loop)] == [("alias_loop", 3)]
    many = tmp_path / "many.yaml"
    many.write_text("base: &b 1\n" + "".join(f"k{i}: *b\n" for i in range(150)))
    [(kind, line, message)] = _problems(many)
    assert (kind, line) == ("too_many_aliases", 102) and "more than 100 aliases" in message


@fork_only
def test_yaml_nested_50000_deep_is_refused_not_a_traceback(tmp_path):
    flow = tmp_path / "flow.yaml"
    flow.write_text("a: " + "[" * 50_000 + "]" * 50_000 + "\n")
    status, problems, _seconds, _peak = bounded(_problems, flow)
    assert status == "ok" and [(k, r) for k, r, _m in problems] == [("too_deep", 1)]
    block = tmp_path / "block.yaml"
    block.write_text("".join(" " * i + "k:\n" for i in range(200)))
    [(kind, line, message)] = _problems(block)
    assert (kind, line) == ("too_deep", 65) and "64 levels" in message


def test_action_library_refuses_an_alias_bomb_with_its_line(tmp_path):
    bomb = tmp_path / "actions.yaml"
    bomb.write_text(billion_laughs(6))  # 9**6 values: refused long before they are built
    with pytest.raises(LibraryError, match=r"actions\.yaml:\d+: .*aliases expand") as caught:
        load_library(bomb)
    assert caught.value.problems[0].kind == "alias_expansion"


def test_ordinary_anchors_and_the_shipped_templates_still_load(tmp_path):
    from workbench.core.questionnaire.loader import builtin_templates

    assert len(builtin_templates()) == 4
    load_library()
    shared = tmp_path / "shared.yaml"  # a few anchors, as people write them, are fine
    shared.write_text(
        "id: t\nversion: 1\ntitle: T\nsections:\n  - id: s\n    title: S\n    questions:\n"
        "      - &q {id: a, kind: rating_0_4, text: A?, anchors: &levels [n, f, s, m, a]}\n"
        "      - {id: b, kind: rating_0_4, text: B?, anchors: *levels}\n")
    assert check_template(shared) == []


# --------------------------------------------------------------------------- UCINET DL, Pajek

def _read(path: Path) -> tuple[list[str], list[tuple[str, int | None, str | None]]]:
    result = read_network_file(path)
    return result.people_ids, [(p.kind, p.row, p.column) for p in result.problems]


@fork_only
def test_dl_header_declaring_100_million_matrices_is_refused_before_allocating(tmp_path):
    bomb = tmp_path / "nm.dl"
    bomb.write_text("dl n=3 nm=100000000 format=fullmatrix\ndata:\n0 1 0\n1 0 1\n0 1 0\n")
    assert bomb.stat().st_size < 80
    status, message, _seconds, _peak = bounded(_read, bomb)
    assert status == "raised" and message.startswith("WorkbenchError: nm.dl, line 1:")
    assert "nm=100000000" in message and "holds at most" in message
    edge_list = tmp_path / "el.dl"
    edge_list.write_text("dl n=3 format=edgelist1\nnm=100000000\ndata:\n1 2\n")
    status, message, _s, _p = bounded(_read, edge_list)
    assert status == "raised" and "el.dl, line 2: " in message and "nm=100000000" in message


@fork_only
def test_declared_sizes_a_tiny_file_cannot_describe_are_refused(tmp_path):
    square = tmp_path / "square.dl"
    square.write_text("dl n=1000000\ndata:\n0 1\n")
    status, message, _s, _p = bounded(_read, square)
    assert status == "raised" and "square.dl, line 1: " in message and "1000000×1000000" in message
    pajek = tmp_path / "isolates.net"
    pajek.write_text("*Vertices 2000000\n*Arcs\n1 2\n")
    status, message, _s, _p = bounded(_read, pajek)
    assert status == "raised" and "isolates.net, line 1: *Vertices 2000000" in message
    numbered = tmp_path / "numbered.dl"
    numbered.write_text("dl n=2000000 format=edgelist1\ndata:\n1 2\n")
    status, message, _s, _p = bounded(_read, numbered)
    assert status == "raised" and "numbered.dl, line 1: n=2000000" in message
    small = tmp_path / "small.net"  # unlisted vertices in a small network are still fine
    small.write_text("*Vertices 50\n*Edges\n1 2\n")
    people, problems = _read(small)
    assert len(people) == 50 and problems == [("vertex_count", 1, None)]


# --------------------------------------------------------------------------- tie weights

def _ties(path: Path, known: list[str] | None = None):
    result = import_ties(path, known)
    return ({(t.source, t.target): t.weight for t in result.ties},
            {(p.row, p.column): p.message for p in result.problems if p.kind == "bad_weight"})


def test_csv_weights_must_be_finite_positive_and_sums_cannot_overflow(tmp_path):
    path = tmp_path / "ties.csv"
    path.write_text("source,target,weight\n"
                    "a,b,-1\n"       # 2
                    "a,c,0\n"        # 3
                    "a,d,nan\n"      # 4
                    "a,e,inf\n"      # 5
                    "a,f,1e400\n"    # 6
                    "b,c,1e308\n"    # 7: two of these summed to infinity
                    "b,c,1e308\n"    # 8
                    "c,d,2.5\n"      # 9
                    "c,d,4\n")       # 10: a duplicate within bounds is summed
    weights, bad = _ties(path)
    assert weights == {("c", "d"): 6.5}
    assert set(bad) == {(row, "weight") for row in (2, 3, 4, 5, 6, 7, 8)}
    assert "'-1' is negative" in bad[2, "weight"] and "'0' is zero" in bad[3, "weight"]
    assert "'nan' is not a number" in bad[4, "weight"]
    assert "'inf' is infinite" in bad[5, "weight"] and "'1e400' is infinite" in bad[6, "weight"]
    assert "'1e308' is larger than 1e+15" in bad[7, "weight"]


def test_matrix_and_xlsx_weights_are_checked_by_cell(tmp_path):
    matrix = tmp_path / "matrix.csv"
    matrix.write_text(",a,b,c\na,,-2,nan\nb,1e300,,3\nc,inf,0,\n")
    weights, bad = _ties(matrix, ["a", "b", "c"])
    assert weights == {("b", "c"): 3.0}
    assert set(bad) == {(2, "b"), (2, "c"), (3, "a"), (4, "a")}
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (("source", "target", "weight"), ("a", "b", -3), ("a", "c", 1e308),
                ("b", "c", 2)):
        sheet.append(row)
    book.save(tmp_path / "ties.xlsx")
    weights, bad = _ties(tmp_path / "ties.xlsx")
    assert weights == {("b", "c"): 2.0} and set(bad) == {(2, "weight"), (3, "weight")}


GRAPHML = """<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="w" for="edge" attr.name="weight" attr.type="double"/>
  <key id="n" for="edge" attr.name="count" attr.type="long"/>
  <graph edgedefault="directed">
    <node id="a"/><node id="b"/><node id="c"/>
    <edge source="a" target="b"><data key="w">-1</data></edge>
    <edge source="a" target="c"><data key="w">0</data></edge>
    <edge source="b" target="a"><data key="w">NaN</data></edge>
    <edge source="b" target="c"><data key="w">1e400</data></edge>
    <edge source="c" target="a"><data key="w">INF</data></edge>
    <edge source="c" target="b"><data key="w">2</data></edge>
  </graph>
</graphml>
"""


def test_graphml_and_gexf_weights_are_refused_with_their_line(tmp_path):
    path = tmp_path / "w.graphml"
    path.write_text(GRAPHML)
    result = read_network_file(path)
    # a negative weight is a signed tie (dislike), kept with its sign and reported
    assert [(t.source, t.target, t.weight) for t in result.ties_by_relation["ties"]] == [
        ("a", "b", -1.0), ("c", "b", 2.0)]
    assert sorted((p.kind, p.row, p.column) for p in result.problems) == [
        ("bad_weight", line, "weight") for line in range(8, 12)] + [("signed_ties", 7, "weight")]
    huge = tmp_path / "huge.graphml"  # an integer weight of 400 digits: a traceback before
    huge.write_text(GRAPHML.replace('attr.name="weight" attr.type="double"',
                                    'attr.name="weight" attr.type="int"')
                    .replace(">-1<", ">1" + "0" * 400 + "<"))
    [problem, *_rest] = read_network_file(huge).problems
    assert (problem.kind, problem.row, problem.column) == ("bad_weight", 7, "weight")
    assert "is too large" in problem.message
    gexf = tmp_path / "w.gexf"
    gexf.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<gexf xmlns="http://gexf.net/1.2" '
        'version="1.2"><graph defaultedgetype="directed">\n<nodes><node id="a"/><node id="b"/>'
        '</nodes>\n<edges>\n<edge source="a" target="b" weight="-3"/>\n'
        '<edge source="b" target="a" weight="1e999"/>\n</edges></graph></gexf>\n')
    result = read_network_file(gexf)
    assert [(t.source, t.target, t.weight) for t in result.ties_by_relation["ties"]] == [
        ("a", "b", -3.0)]
    assert [(p.kind, p.row) for p in result.problems] == [("bad_weight", 6), ("signed_ties", 5)]


def test_pajek_and_dl_weights_are_refused_with_line_and_column(tmp_path):
    pajek = tmp_path / "w.net"
    pajek.write_text("*Vertices 3\n*Arcs\n1 2 -1\n1 3 0\n2 3 1e400\n3 1 nan\n2 1 4\n"
                     "*Matrix\n0 -1 0\n0 0 0\n0 0 0\n")
    result = read_network_file(pajek)
    # negative weights are signed ties, kept (tests/core/test_netformats_pajek.py)
    assert [(t.source, t.target, t.weight) for t in result.ties_by_relation["ties"]] == [
        ("1", "2", -1.0), ("2", "1", 4.0), ("1", "2", -1.0)]
    assert sorted((p.kind, p.row, p.column) for p in result.problems
                  if p.severity == "error") == [
        ("bad_weight", 4, "weight"), ("bad_weight", 5, "weight"), ("bad_weight", 6, "weight")]
    dl = tmp_path / "w.dl"
    dl.write_text("dl n=3\nlabels:\na b c\ndata:\n0 -1 2\n0 0 inf\n0 0 0\n")
    result = read_network_file(dl)
    assert [(t.source, t.target, t.weight) for t in result.ties_by_relation["ties"]] == [
        ("a", "b", -1.0), ("a", "c", 2.0)]
    assert [(p.kind, p.row, p.column) for p in result.problems] == [
        ("bad_weight", 6, "3"), ("signed_ties", 5, "weight")]
    assert all(math.isfinite(t.weight) and 0 < abs(t.weight) <= MAX_WEIGHT
               for ties in result.ties_by_relation.values() for t in ties)


# --------------------------------------------------------------------------- sheet search

def _workbook_of_empty_sheets(path: Path, count: int, last: list[tuple] | None = None) -> None:
    book = openpyxl.Workbook(write_only=True)
    for index in range(count):
        book.create_sheet(f"Empty {index + 1}")
    if last is not None:
        sheet = book.create_sheet("Ties")
        for row in last:
            sheet.append(row)
    book.save(path)


def _import_outcome(path: Path) -> list[tuple[str, str, float]]:
    return [(t.source, t.target, t.weight) for t in import_ties(path, None).ties]


@fork_only
def test_a_workbook_of_1000_empty_sheets_is_refused_in_linear_time(tmp_path):
    path = tmp_path / "sheets.xlsx"
    _workbook_of_empty_sheets(path, 1000)
    status, message, seconds, _peak = bounded(_import_outcome, path, seconds=20)
    # before: every sheet reopened the whole workbook (162 s for this file); now about 0.5 s
    assert status == "raised" and message == (
        "WorkbenchError: sheets.xlsx: the file holds no rows (no header found).")


def test_the_first_fitting_sheet_after_many_empty_ones_is_read(tmp_path):
    path = tmp_path / "late.xlsx"
    _workbook_of_empty_sheets(path, 300, [("source", "target", "weight"), ("a", "b", 2)])
    result = import_ties(path, None)
    assert [(t.source, t.target, t.weight) for t in result.ties] == [("a", "b", 2.0)]
    [warning] = [p for p in result.problems if p.kind == "sheet"]
    assert warning.severity == "warning" and "read sheet 'Ties'" in warning.message
    assert "'Empty 10' and 290 more" in warning.message  # the list of skipped sheets is cut


# --------------------------------------------------------------------------- plan re-import

@pytest.fixture
def exported_plan(tmp_path):
    data = make_report_data()
    path = tmp_path / "plan.xlsx"
    write_plan_workbook(data, path)
    return data, path


def test_formula_without_a_saved_result_keeps_the_owner_with_a_warning(exported_plan):
    data, path = exported_plan
    book = openpyxl.load_workbook(path)
    sheet = book["Plan"]
    sheet.cell(2, COL["owner"]).value = '=CONCAT("Jo", " Bloggs")'  # never calculated
    sheet.cell(3, COL["notes"]).value = "=1+1"
    book.save(path)
    result = read_plan_workbook(path, data.engagement.uuid, data.plan)
    assert result.changes == []  # before: the owner was cleared without a word
    assert sorted((p.kind, p.row, p.column, p.severity) for p in result.problems) == [
        ("formula_without_result", 2, "G (Owner)", "warning"),
        ("formula_without_result", 3, "Q (Notes)", "warning")]
    assert "owner in the project is kept" in result.problems[0].message


def test_implausible_dates_are_flagged_with_their_cell(exported_plan):
    data, path = exported_plan
    book = openpyxl.load_workbook(path)
    sheet = book["Plan"]
    sheet.cell(2, COL["start"]).value = dt.date(1999, 12, 31)
    sheet.cell(3, COL["due"]).value = "2205-01-01"
    sheet.cell(4, COL["start"]).value = 5  # a day number: 5 January 1900
    sheet.cell(5, COL["due"]).value = data.plan[3].due + dt.timedelta(days=7)  # plausible
    book.save(path)
    result = read_plan_workbook(path, data.engagement.uuid, data.plan)
    assert {(c.action_id, c.field) for c in result.changes} == {(data.plan[3].uid, "due")}
    located = {(p.kind, p.row, p.column) for p in result.problems}
    assert located == {("invalid_start", 2, "H (Start)"), ("invalid_due", 3, "I (Due)"),
                       ("invalid_start", 4, "H (Start)")}
    assert all("outside the years 2000 to 2100" in p.message for p in result.problems)


@pytest.mark.parametrize("version", ["1e400", "-1e400", "nan", "x"])
def test_unreadable_format_version_is_a_message_not_an_overflow(exported_plan, version):
    data, path = exported_plan
    book = openpyxl.load_workbook(path)
    for key, value in book[MARKER_SHEET].iter_rows(min_col=1, max_col=2):
        if key.value == "format_version":
            value.value = version
            value.data_type = "s"
    book.save(path)
    with pytest.raises(WorkbenchError, match=r"plan\.xlsx: .*format_version"):
        read_plan_workbook(path, data.engagement.uuid, data.plan)
