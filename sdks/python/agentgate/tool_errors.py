"""The typed errors of a tool call the provider (or the way to it) failed: ``tool_error`` answers,
and ``account_not_active``. Mirrors ``packages/sdk/src/tool-errors.ts``.

Python has multiple inheritance, so unlike the TypeScript SDK every tool error class really is a
:class:`ToolError` AND the matching plain class: ``except RateLimitedError`` written for the
gateway's own 429 also catches the provider's (:class:`ToolRateLimitError`).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from .errors import AgentgateError, ConflictError, ForbiddenError, RateLimitedError, UnauthorizedError
from .models import Record

#: Tool error kind derived from the HTTP status when the body did not say.
_KIND_BY_STATUS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    409: "conflict",
    429: "rate_limited",
    504: "timeout",
}


def tool_error_kind_of(status: int, details: Optional[Dict[str, Any]]) -> str:
    """``details.tool_error.kind``, else the kind the HTTP status mirrors (``upstream_error`` by default)."""
    wire = (details or {}).get("tool_error")
    kind = wire.get("kind") if isinstance(wire, dict) else None
    if isinstance(kind, str) and kind:
        return kind
    return _KIND_BY_STATUS.get(status, "upstream_error")


class ToolError(AgentgateError):
    """A tool run failed upstream: any answer whose code is ``tool_error``, whatever its HTTP status
    (401, 403, 429, 400, 404, 409, 502, 504 mirror the failure). Never retried by the SDK and never
    renews the SDK's token: the gateway's own credentials were fine, and the gateway already retried
    what was safe to retry.

    Attributes: ``execution_id`` (look the call up in the tool call log), ``kind`` (also
    ``tool_error_kind``: ``unauthorized``, ``forbidden``, ``rate_limited``, ``not_found``,
    ``bad_request``, ``conflict``, ``upstream_error``, ``timeout``, ``network``, ``tls``,
    ``response_too_large``, ``blocked``), ``tier`` (``provider`` or ``platform``),
    ``tool_error_code`` (the provider's own code), ``tool_error_message``, ``upstream_status``
    (``None`` when no answer came) and ``fix`` (the next step).

    Example::

        try:
            client.actions.execute_tool(tool_name="gmail_fetch_mails", tool_input={}, connected_account_id=account_id)
        except ToolUnauthorizedError:
            send_reauthorization_link()
        except ToolError as err:
            print(err.kind, err.upstream_status, err.fix, err.execution_id)
    """

    execution_id: str
    kind: str
    tool_error_kind: str
    tool_error_code: Optional[str]
    tool_error_message: str
    upstream_status: Optional[int]
    tier: Optional[str]
    fix: str

    def __init__(self, **init: Any) -> None:
        details = dict(init.pop("details", None) or {})
        raw = details.get("tool_error")
        # `details["tool_error"]` is always a dict afterwards, so reading it never raises.
        details["tool_error"] = dict(raw) if isinstance(raw, dict) else {}
        super().__init__(details=details, **init)
        wire = self.details["tool_error"]
        tier = self.details.get("tier")
        self.execution_id = _string(wire.get("execution_id")) or ""
        self.kind = tool_error_kind_of(self.status, self.details)
        self.tool_error_kind = self.kind
        self.tool_error_code = _string(wire.get("provider_code"))
        self.tool_error_message = _string(wire.get("message")) or self.message
        upstream = wire.get("upstream_status")
        self.upstream_status = upstream if isinstance(upstream, int) and not isinstance(upstream, bool) else None
        self.tier = tier if tier in ("provider", "platform") else None
        self.fix = _string(self.details.get("fix")) or ""

    def _labels(self) -> List[str]:
        labels = [*super()._labels(), f"kind {self.kind}"]
        if self.execution_id:
            labels.append(f"execution {self.execution_id}")
        return labels


class ToolUnauthorizedError(ToolError, UnauthorizedError):
    """The provider refused the end user's authorization (kind ``unauthorized``, HTTP 401): the token
    was revoked or expired beyond refresh. Re-authorize the connected account
    (``get_authorization_link``); the SDK's own credentials are fine and are NOT renewed."""


class ToolForbiddenError(ToolError, ForbiddenError):
    """The provider refused the call (kind ``forbidden``, HTTP 403), typically for a missing scope:
    ``missing_scopes`` lists what the account lacks, ``required_scopes`` what the tool needs (any one
    of them suffices)."""

    required_scopes: List[str]
    missing_scopes: List[str]

    def __init__(self, **init: Any) -> None:
        super().__init__(**init)
        wire = self.details["tool_error"]
        self.required_scopes = _strings(wire.get("required_scopes"))
        self.missing_scopes = _strings(wire.get("missing_scopes"))


class ToolRateLimitError(ToolError, RateLimitedError):
    """The provider rate-limited the call (kind ``rate_limited``, HTTP 429) and the gateway's own
    retries did not get through. Not retried by the SDK: wait ``retry_after_seconds`` first."""

    retry_after_seconds: Optional[float]

    def __init__(self, *, retry_after: Optional[float] = None, **init: Any) -> None:
        details = init.get("details") or {}
        wire = details.get("tool_error") if isinstance(details, dict) else None
        from_body = wire.get("retry_after_seconds") if isinstance(wire, dict) else None
        if isinstance(from_body, (int, float)) and not isinstance(from_body, bool):
            retry_after = from_body
        super().__init__(retry_after=retry_after, **init)
        self.retry_after_seconds = retry_after


class AccountNotActiveError(ConflictError):
    """409 ``account_not_active``: the tool run or proxied call names an account that is not
    ``ACTIVE`` (``PENDING_AUTH``, ``EXPIRED``, ``DISCONNECTED``...). Send the end user an
    authorization link: ``authorization_link.body`` holds the arguments of ``get_authorization_link``.

    Example::

        except AccountNotActiveError as err:
            link = client.actions.get_authorization_link(**err.authorization_link.body)
    """

    connected_account_id: Optional[str]
    account_status: Optional[str]
    fix: str
    authorization_link: Optional[Record]

    def __init__(self, **init: Any) -> None:
        super().__init__(**init)
        self.connected_account_id = _string(self.details.get("connected_account_id"))
        self.account_status = _string(self.details.get("status"))
        self.fix = _string(self.details.get("fix")) or ""
        link = self.details.get("authorization_link")
        if isinstance(link, dict) and isinstance(link.get("path"), str):
            body = link.get("body")
            self.authorization_link = Record(
                {"method": _string(link.get("method")) or "POST", "path": link["path"], "body": body if isinstance(body, dict) else {}}
            )
        else:
            self.authorization_link = None


def is_tool_error(value: object) -> bool:
    """True for every tool error (:class:`ToolError` and its kind-specific classes)."""
    return isinstance(value, ToolError)


def _string(value: object) -> Optional[str]:
    return value if isinstance(value, str) else None


def _strings(value: object) -> List[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []
