"""Argument helpers of the facade: account references, required and optional strings, wire bodies."""

from __future__ import annotations

import urllib.parse
from typing import Any, Dict, Mapping, Optional

REF_REQUIRED = "either connected_account_id or connection_name + identifier is required"


def ref_query(
    connection_name: Optional[str],
    identifier: Optional[str],
    connected_account_id: Optional[str],
    organization_id: Optional[str],
    user_id: Optional[str],
) -> Dict[str, str]:
    account_id = optional(connected_account_id)
    if account_id:
        return {"id": account_id}
    name, who = optional(connection_name), optional(identifier)
    if not name or not who:
        raise ValueError(REF_REQUIRED)
    return drop_none({"connection_name": name, "identifier": who, "organization_id": optional(organization_id), "user_id": optional(user_id)})


def required(value: Optional[str], name: str) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise ValueError(f"{name} is required")
    return text


def optional(value: Optional[str]) -> Optional[str]:
    text = value.strip() if isinstance(value, str) else ""
    return text or None


def segment(value: str) -> str:
    return urllib.parse.quote(value, safe="")


def drop_none(values: Dict[str, Any]) -> Dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


def plain_mapping(value: Optional[Mapping[str, Any]]) -> Optional[Dict[str, Any]]:
    # Records are dicts already; a plain copy keeps a caller's Mapping subclass out of json.dumps.
    return None if value is None else dict(value)
