"""Whatever bytes a file holds, the importers answer with data, problems or a WorkbenchError."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.core.errors import WorkbenchError
from workbench.core.network.people_import import import_people
from workbench.core.network.tabular import read_table
from workbench.core.network.ties_import import TiesOptions, import_ties

CSV_TEXT = st.lists(
    st.sampled_from(list("ab1 ,;|\t\"\n\r\x00éΩ-.") + ["id", "source", "target", "manager_id",
                                                       "weight", "type", "1e400", "nan"]),
    max_size=120,
).map("".join)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "latin-1"])


def run_all_importers(content: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(content)
        for attempt in (
            lambda: list(read_table(path).rows),
            lambda: import_people(path),
            lambda: import_ties(path, {"a", "b", "1"}),
            lambda: import_ties(path, None, options=TiesOptions(layout="matrix")),
        ):
            try:
                attempt()
            except WorkbenchError as exc:
                assert str(exc)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_as_csv(content):
    run_all_importers(content, ".csv")


@settings(max_examples=150, deadline=None)
@given(CSV_TEXT, ENCODINGS)
def test_random_delimited_text(text, encoding):
    run_all_importers(text.encode(encoding, errors="replace"), ".csv")


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_as_xlsx(content):
    run_all_importers(b"PK\x03\x04" + content, ".xlsx")
