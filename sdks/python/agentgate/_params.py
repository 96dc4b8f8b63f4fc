"""Argument helpers of the facade: account references, required and optional strings, wire bodies.

Every helper checks the type of what the caller passed and raises ``TypeError`` naming the argument,
so a wrong type fails before any network call instead of being dropped silently or failing deep
inside ``json.dumps`` or the query encoder."""

from __future__ import annotations

import math
import urllib.parse
from typing import Any, Dict, List, Mapping, Optional, Sequence

REF_REQUIRED = "either connected_account_id or connection_name + identifier is required"


def ref_query(
    connection_name: Optional[str],
    identifier: Optional[str],
    connected_account_id: Optional[str],
    organization_id: Optional[str],
    user_id: Optional[str],
) -> Dict[str, str]:
    account_id = optional(connected_account_id, "connected_account_id")
    name, who = optional(connection_name, "connection_name"), optional(identifier, "identifier")
    narrowing = {"organization_id": optional(organization_id, "organization_id"), "user_id": optional(user_id, "user_id")}
    if account_id:
        return {"id": account_id}
    if not name or not who:
        raise ValueError(REF_REQUIRED)
    return drop_none({"connection_name": name, "identifier": who, **narrowing})


def required(value: Optional[str], name: str) -> str:
    text = optional(value, name)
    if not text:
        raise ValueError(f"{name} is required")
    return text


def optional(value: Optional[str], name: str) -> Optional[str]:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, not {type(value).__name__}")
    return value.strip() or None


def optional_int(value: Optional[int], name: str) -> Optional[int]:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise TypeError(f"{name} must be an integer, not {type(value).__name__}")
    return value


def string_list(values: Optional[Sequence[str]], name: str) -> Optional[List[str]]:
    # A bare string is a sequence too; list("github") would silently send one filter per letter.
    if values is None:
        return None
    if isinstance(values, (str, bytes)) or not isinstance(values, (list, tuple, set, frozenset)):
        raise TypeError(f"{name} must be a list of strings, not {type(values).__name__}")
    return [required(value, f"{name} item") for value in values]


def segment(value: str) -> str:
    return urllib.parse.quote(value, safe="")


def drop_none(values: Dict[str, Any]) -> Dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


def plain_mapping(value: Optional[Mapping[str, Any]], name: str) -> Optional[Dict[str, Any]]:
    # Records are dicts already; a plain copy keeps a caller's Mapping subclass out of json.dumps.
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping (dict), not {type(value).__name__}")
    return dict(value)


# A zero, negative or infinite timeout would either fail every call at once or never give up on a
# hung one; both are configuration mistakes better reported at start-up than at the first call.
def positive_seconds(value: float, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number of seconds > 0, got {value!r}")
    return float(value)
