"""Keyed pseudonyms: key storage outside the project, stability, replacing personal data."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import stat
import uuid
from pathlib import Path

import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.model import Person
from workbench.core.network.pseudonyms import (
    PseudonymKey,
    default_key_dir,
    pseudonym,
    pseudonymise_people,
    pseudonyms_for,
)

PROJECT = str(uuid.UUID(int=42))


def test_key_is_created_private_and_reused(tmp_path):
    key = PseudonymKey.load_or_create(PROJECT, tmp_path / "keys")
    assert key.path == tmp_path / "keys" / f"{PROJECT}.key"
    if os.name == "posix":
        assert stat.S_IMODE(key.path.stat().st_mode) == 0o600
    again = PseudonymKey.load_or_create(PROJECT, tmp_path / "keys")
    assert again.secret == key.secret
    other = PseudonymKey.load_or_create(str(uuid.UUID(int=43)), tmp_path / "keys")
    assert other.secret != key.secret
    assert key.secret.hex() not in repr(key)


def test_default_key_dir_is_in_the_user_data_folder(monkeypatch, tmp_path):
    from platformdirs import user_data_dir

    monkeypatch.delenv("WORKBENCH_DATA_DIR", raising=False)
    expected = Path(user_data_dir("OrgDesignWorkbench", appauthor=False)) / "keys"
    assert default_key_dir() == expected
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path))
    assert default_key_dir() == tmp_path / "keys"


@pytest.mark.parametrize("bad", ["../../etc/passwd", "", "not-a-uuid"])
def test_project_id_must_be_a_uuid(tmp_path, bad):
    with pytest.raises(WorkbenchError):
        PseudonymKey.load_or_create(bad, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_damaged_key_is_reported_and_left_alone(tmp_path):
    path = tmp_path / f"{PROJECT}.key"
    path.write_text("not hex\n")
    with pytest.raises(WorkbenchError, match="cannot be read"):
        PseudonymKey.load_or_create(PROJECT, tmp_path)
    path.write_text("abcd\n")
    with pytest.raises(WorkbenchError, match="wrong length"):
        PseudonymKey.load_or_create(PROJECT, tmp_path)
    assert path.read_text() == "abcd\n"


def test_pseudonym_is_the_keyed_hmac_in_base32():
    key = PseudonymKey(bytes(range(32)))
    alias = pseudonym(key, "e1001")
    assert re.fullmatch(r"P-[0-9A-HJKMNP-TV-Z]{6}", alias)
    assert pseudonym(key, "e1001") == alias
    assert pseudonym(PseudonymKey(bytes(32)), "e1001") != alias
    number = int.from_bytes(hmac.new(key.secret, b"e1001", hashlib.sha256).digest(), "big")
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    assert alias[2:] == "".join(alphabet[(number >> (5 * i)) & 31] for i in range(6))


def test_colliding_short_pseudonyms_get_the_long_form():
    key = PseudonymKey(b"\x01" * 32)
    seen: dict[str, str] = {}
    pair = None
    for i in range(400_000):
        person_id = f"id{i}"
        alias = pseudonym(key, person_id)
        if alias in seen:
            pair = (seen[alias], person_id)
            break
        seen[alias] = person_id
    assert pair is not None
    names = pseudonyms_for(key, [*pair, "other"])
    assert names["other"] == pseudonym(key, "other")
    assert names[pair[0]] != names[pair[1]]
    assert names[pair[0]] == pseudonym(key, pair[0], 12)


def test_pseudonymise_people():
    key = PseudonymKey(b"k" * 32)
    people = [
        Person("1", "Zoë Müller", "zoe@client.com", "Sales", "Head", None, "Oslo", True, "SMB",
               {"Grade": "A", "Age": "41"}),
        Person("2", "Ann", "", "Ops", manager_id="1", attributes={"Age": "30"}),
    ]
    result = pseudonymise_people(people, key, drop_attributes=["Age", "location"])
    first, second = result
    assert first.name == pseudonym(key, "1")
    assert first.email == f"{pseudonym(key, '1').lower()}@example.invalid"
    assert second.email == ""
    assert first.attributes == {"Grade": "A"}
    assert second.attributes == {}
    assert first.location == ""
    assert (first.id, first.department, first.role, first.customer_facing, first.segment) == (
        "1", "Sales", "Head", True, "SMB")
    assert second.manager_id == "1"
    assert people[0].name == "Zoë Müller"  # input untouched
