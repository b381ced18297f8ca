"""HMAC-SHA256 signatures for the workbooks a project sends out and reads back.

Survey and questionnaire workbooks carry who they are for (the respondent) and what they belong
to in a hidden sheet. A plain checksum over that sheet only detects accidents: anyone can change
the respondent and compute the checksum again. The signature is keyed with a secret that only
the project file holds (:meth:`~workbench.core.services.settings.SettingsService.signing_key`),
so a workbook relabelled to someone else, or one signed by another project, is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

KEY_BYTES = 32
SIGNING_KEY_SETTING = "workbooks.signing_key"
RE_EXPORT = "re-export the workbooks from this project and send them out again"


def canonical(payload: Any) -> bytes:
    """The bytes a signature covers: ``payload`` as JSON with sorted keys, ASCII only."""
    return json.dumps(payload, sort_keys=True, ensure_ascii=True).encode("ascii")


def sign(key: bytes, payload: Any) -> str:
    """Hex HMAC-SHA256 of ``payload`` (see :func:`canonical`) under the project ``key``."""
    if len(key) < 16:
        raise ValueError("the signing key is too short")
    return hmac.new(key, canonical(payload), hashlib.sha256).hexdigest()


def verify(key: bytes, payload: Any, signature: object) -> bool:
    """Whether ``signature`` (as read from a workbook, any type) signs ``payload`` under ``key``."""
    if not isinstance(signature, str):
        return False
    return hmac.compare_digest(sign(key, payload).encode("ascii"),
                               signature.strip().encode("utf-8", "replace"))
