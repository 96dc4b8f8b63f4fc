"""Turns a non-2xx HTTP answer into the matching typed error (mirrors ``response-errors.ts``)."""

from __future__ import annotations

import email.utils
import json
import math
import time
from typing import Any, Dict, Mapping, Optional, Tuple, Type

from .errors import (
    AgentgateError,
    BadRequestError,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    PayloadTooLargeError,
    RateLimitedError,
    ServerError,
    ServiceUnavailableError,
    UnauthorizedError,
)
from .tool_errors import (
    AccountNotActiveError,
    ToolError,
    ToolForbiddenError,
    ToolRateLimitError,
    ToolUnauthorizedError,
    tool_error_kind_of,
)

_BY_STATUS: Dict[int, Type[AgentgateError]] = {
    400: BadRequestError,
    401: UnauthorizedError,
    403: ForbiddenError,
    404: NotFoundError,
    409: ConflictError,
    413: PayloadTooLargeError,
}


def error_from_response(status: int, reason: str, headers: Mapping[str, str], body_text: str) -> AgentgateError:
    """The typed error of a failed answer. The gateway's shape is
    ``{"error": {"code", "message", "details"?}}``; the token endpoint may answer in OAuth's
    ``{"error": "invalid_client", "error_description"}``; anything else (a proxy's HTML page, an
    empty body) still gives a typed error with code ``http_<status>``.

    ``headers`` must have lower-case names.
    """
    parsed = _parse_error_body(body_text)
    code, message, details = parsed if parsed is not None else (None, None, None)
    init: Dict[str, Any] = {
        "status": status,
        "code": code or f"http_{status}",
        "message": message or f"Agentgate answered HTTP {status}{' ' + reason if reason else ''}",
        "details": details,
        "request_id": headers.get("x-request-id"),
    }
    # A tool error keeps its own type whatever status mirrors the upstream failure, so callers
    # (and the retry loop) can tell "the provider failed" from "the gateway failed".
    if init["code"] == "tool_error":
        kind = tool_error_kind_of(status, details)
        if kind == "unauthorized":
            return ToolUnauthorizedError(**init)
        if kind == "forbidden":
            return ToolForbiddenError(**init)
        if kind == "rate_limited":
            return ToolRateLimitError(retry_after=parse_retry_after(headers), **init)
        return ToolError(**init)
    if init["code"] == "account_not_active":
        return AccountNotActiveError(**init)
    if status == 429:
        return RateLimitedError(retry_after=parse_retry_after(headers), **init)
    if status == 503:
        return ServiceUnavailableError(retry_after=parse_retry_after(headers), **init)
    if status >= 500:
        return ServerError(**init)
    return _BY_STATUS.get(status, AgentgateError)(**init)


def parse_retry_after(headers: Mapping[str, str]) -> Optional[float]:
    """``Retry-After`` in seconds; accepts delta-seconds and an HTTP date."""
    raw = (headers.get("retry-after") or "").strip()
    if not raw:
        return None
    if raw.isdigit():
        return float(raw)
    try:
        at = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    if at is None:
        return None
    return float(max(0, math.ceil(at.timestamp() - time.time())))


def _parse_error_body(text: str) -> Optional[Tuple[str, Optional[str], Optional[Dict[str, Any]]]]:
    try:
        body = json.loads(text)
    except ValueError:
        return None
    if not isinstance(body, dict):
        return None
    error = body.get("error")
    if isinstance(error, dict) and isinstance(error.get("code"), str):
        message = error.get("message")
        details = error.get("details")
        return error["code"], message if isinstance(message, str) else None, details if isinstance(details, dict) else None
    if isinstance(error, str):
        description = body.get("error_description")
        return error, description if isinstance(description, str) else None, None
    return None
