"""Keyed pseudonyms (HMAC-SHA256) for people; the key lives outside the project file.

The key is kept in the user's data folder, one file per project, readable by the user only.
Anyone holding the project file but not the key cannot recompute who is behind a pseudonym
by hashing candidate ids.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import hmac
import json
import os
import secrets
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.core.errors import WorkbenchError
from workbench.core.model import Person
from workbench.paths import user_data_dir

KEY_BYTES = 32
SHORT_LENGTH = 6
LONG_LENGTH = 12
PREFIX = "P-"
EMAIL_DOMAIN = "example.invalid"
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
BLANKABLE_FIELDS = ("department", "role", "location", "segment")


def default_key_dir() -> Path:
    """``<user data dir>/keys`` (``WORKBENCH_DATA_DIR`` overrides the user data dir)."""
    return user_data_dir() / "keys"


def key_file(project_uuid: str, directory: str | os.PathLike[str] | None = None) -> Path:
    """Where the key of a project is (or will be) stored; nothing is created."""
    folder = Path(directory) if directory is not None else default_key_dir()
    return folder / f"{uuid.UUID(str(project_uuid))}.key"


@dataclass(frozen=True)
class PseudonymKey:
    """The secret of one project; ``path`` is where it is stored (``None`` if in memory)."""

    secret: bytes
    path: Path | None = None

    def __repr__(self) -> str:  # never print the secret
        return f"PseudonymKey(path={self.path!s})"

    @classmethod
    def load_or_create(cls, project_uuid: str, directory: str | os.PathLike[str] | None = None
                       ) -> PseudonymKey:
        """The key of a project, created (mode 0600) on first use.

        ``directory`` defaults to :func:`default_key_dir`. A damaged key file is never
        replaced silently: :class:`WorkbenchError` says where it is.
        """
        try:
            name = str(uuid.UUID(str(project_uuid)))
        except ValueError as exc:
            raise WorkbenchError(f"not a project id: {project_uuid!r}.") from exc
        folder = Path(directory) if directory is not None else default_key_dir()
        path = folder / f"{name}.key"
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            return cls(_create_key_file(path), path)
        except FileExistsError:
            return cls(_read_key_file(path), path)
        except OSError as exc:
            raise WorkbenchError(f"cannot store the pseudonym key in {folder} "
                                 f"({exc.strerror or exc}).") from exc


def _create_key_file(path: Path) -> bytes:
    secret = secrets.token_bytes(KEY_BYTES)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secret.hex() + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return secret


def _read_key_file(path: Path) -> bytes:
    try:
        text = path.read_text(encoding="ascii").strip()
        secret = bytes.fromhex(text)
    except (OSError, ValueError) as exc:
        raise WorkbenchError(f"the pseudonym key {path} cannot be read ({exc}); restore it "
                             "from a backup, or remove it to start new pseudonyms.") from exc
    if len(secret) != KEY_BYTES:
        raise WorkbenchError(f"the pseudonym key {path} is damaged (wrong length); restore it "
                             "from a backup, or remove it to start new pseudonyms.")
    return secret


def pseudonym(key: PseudonymKey, person_id: str, length: int = SHORT_LENGTH) -> str:
    """``P-`` and ``length`` base32 characters of HMAC-SHA256(key, id): stable per key."""
    digest = hmac.new(key.secret, person_id.encode("utf-8"), hashlib.sha256).digest()
    number = int.from_bytes(digest, "big")
    chars = []
    for _ in range(length):
        number, digit = divmod(number, 32)
        chars.append(_ALPHABET[digit])
    return PREFIX + "".join(chars)


def pseudonyms_for(key: PseudonymKey, ids: Iterable[str]) -> dict[str, str]:
    """Pseudonym of each id; ids whose short pseudonyms collide get the long form instead."""
    ids = set(ids)
    short = {person_id: pseudonym(key, person_id) for person_id in ids}
    holders: defaultdict[str, list[str]] = defaultdict(list)
    for person_id, name in short.items():
        holders[name].append(person_id)
    for clashing in (group for group in holders.values() if len(group) > 1):
        for person_id in clashing:
            short[person_id] = pseudonym(key, person_id, LONG_LENGTH)
    return short


def pseudonymise_people(people: Iterable[Person], key: PseudonymKey,
                        drop_attributes: Iterable[str] = ()) -> list[Person]:
    """People with name = pseudonym, email = ``<pseudonym>@example.invalid`` (blank stays blank).

    ``drop_attributes`` names extra attribute columns to remove; the standard text fields
    department, role, location and segment may be named too and are then blanked. Ids and
    manager ids stay as they are (ties refer to them).
    """
    people = list(people)
    drop = set(drop_attributes)
    blank: dict[str, Any] = {name: "" for name in BLANKABLE_FIELDS if name in drop}
    names = pseudonyms_for(key, (p.id for p in people))
    result = []
    for person in people:
        alias = names[person.id]
        result.append(dataclasses.replace(
            person, name=alias,
            email=f"{alias.lower()}@{EMAIL_DOMAIN}" if person.email.strip() else "",
            attributes={k: v for k, v in person.attributes.items() if k not in drop},
            **blank,
        ))
    return result


def identities_path(key: PseudonymKey) -> Path:
    """Where the pseudonym -> person table of a converted project is kept: beside its key."""
    if key.path is None:
        raise WorkbenchError("this pseudonym key is not stored in a file; it has no identities.")
    return key.path.with_name(key.path.stem + ".identities.json")


def load_identities(key: PseudonymKey) -> dict[str, dict[str, str]]:
    """Pseudonym -> {"id", "name", "email"} from the key's identities file ({} when none)."""
    path = identities_path(key)
    if not path.exists():
        return {}
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise WorkbenchError(f"the identities file {path} cannot be read ({exc}); restore it "
                             "from a backup.") from exc


def save_identities(key: PseudonymKey, identities: Iterable[tuple[str, str, str, str]]) -> Path:
    """Add ``(pseudonym, id, name, e-mail)`` rows to the key's identities file (mode 0600).

    The file stays beside the key, outside the project, so the consultant holding the key can
    tell who is behind a pseudonym after the project file was converted. Written atomically;
    rows already there are kept (a later row for the same pseudonym replaces an earlier one).
    """
    path = identities_path(key)
    known = load_identities(key)
    for alias, person_id, name, email in identities:
        known[alias] = {"id": person_id, "name": name, "email": email}
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(known, handle, ensure_ascii=False, indent=1, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise WorkbenchError(f"cannot write the identities file {path} "
                             f"({exc.strerror or exc}).") from exc
    return path
