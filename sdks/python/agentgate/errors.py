"""Typed errors for every failure the gateway (or the network) can produce.

Mirrors ``packages/sdk/src/errors.ts``: one base class, :class:`AgentgateError`, with the HTTP
``status`` (0 when no answer arrived), the server's stable snake_case ``code``, ``message``,
``details`` and ``request_id``; one subclass per kind of failure. The tool errors (the provider
failed a tool call) live in :mod:`agentgate.tool_errors`.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from .models import Record


class AgentgateError(Exception):
    """Base class of every error the SDK raises for a failed call.

    ``code`` is the server's stable error code (``http_<status>`` when the body was not the
    gateway's JSON error shape); ``details`` is the error's ``details`` object (``{}`` when none).

    Example::

        try:
            client.actions.get_connected_account(connection_name="gmail", identifier="user_42")
        except AgentgateError as err:
            print(err.status, err.code, err.request_id)
    """

    status: int
    code: str
    message: str
    details: Dict[str, Any]
    request_id: Optional[str]

    def __init__(
        self,
        *,
        status: int,
        code: str,
        message: str,
        details: Optional[Dict[str, Any]] = None,
        request_id: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = dict(details) if details else {}
        self.request_id = request_id

    def _labels(self) -> List[str]:
        """The bracketed facts ``str()`` appends to the message, most useful first."""
        labels = [self.code]
        if self.status:
            labels.append(f"HTTP {self.status}")
        if self.request_id:
            labels.append(f"request {self.request_id}")
        return labels

    def __str__(self) -> str:
        return f"{self.message} ({', '.join(self._labels())})"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status!r}, code={self.code!r}, message={self.message!r})"


class BadRequestError(AgentgateError):
    """400: the request was malformed or failed validation; :attr:`issues` lists what.

    Example::

        except BadRequestError as err:
            for issue in err.issues:
                print(issue.path, issue.message)
    """

    @property
    def issues(self) -> List[Record]:
        """``details.issues`` (``[{path, message, constraint?}]``), ``[]`` when the server gave none."""
        raw = self.details.get("issues")
        return [Record(item) for item in raw if isinstance(item, dict)] if isinstance(raw, list) else []


class UnauthorizedError(AgentgateError):
    """401: the client credentials were refused, or a renewed token was refused again.

    Its subclass :class:`~agentgate.tool_errors.ToolUnauthorizedError` is different: the provider
    refused the END USER's authorization during a tool run; the SDK's own credentials are fine.
    """


class ForbiddenError(AgentgateError):
    """403: authenticated but not allowed (``verification_identifier_mismatch``, ``proxy_disabled``...)."""


class NotFoundError(AgentgateError):
    """404: the object does not exist in this environment (ids of other environments answer the same)."""


class ConflictError(AgentgateError):
    """409: the object already exists or is in use, or a refresh was rejected (``token_refresh_rejected``).

    Its subclass :class:`~agentgate.tool_errors.AccountNotActiveError` is a tool run or proxied call
    on an account that is not ``ACTIVE``.
    """


class PayloadTooLargeError(AgentgateError):
    """413: the request body is larger than the gateway accepts."""


class RateLimitedError(AgentgateError):
    """429: too many requests. The SDK never retries these itself; wait :attr:`retry_after` seconds.

    ``str()`` always says "rate limited", whatever the server's message, so code that looks for
    "rate limit" in the text (as older troubleshooting guides do) recognises it.
    """

    retry_after: Optional[float]

    def __init__(self, *, retry_after: Optional[float] = None, **init: Any) -> None:
        super().__init__(**init)
        self.retry_after = retry_after

    def _labels(self) -> List[str]:
        labels = ["rate limited", *super()._labels()]
        if self.retry_after is not None:
            labels.append(f"retry after {_seconds(self.retry_after)} s")
        return labels


class ServerError(AgentgateError):
    """Any 5xx answer. 5xx bodies never carry server internals, so ``message`` is generic."""


class ServiceUnavailableError(ServerError):
    """503, raised once the SDK's retries (up to 3, jittered) are used up, or at once when the
    server asks for a longer pause than the SDK would ever back off (:attr:`retry_after`)."""

    retry_after: Optional[float]

    def __init__(self, *, retry_after: Optional[float] = None, **init: Any) -> None:
        super().__init__(**init)
        self.retry_after = retry_after

    def _labels(self) -> List[str]:
        labels = super()._labels()
        if self.retry_after is not None:
            labels.append(f"retry after {_seconds(self.retry_after)} s")
        return labels


class AgentgateTimeoutError(AgentgateError):
    """No complete answer arrived within the call's timeout (``timeout``, or ``tool_timeout`` for
    tools and the proxy)."""

    timeout: float

    def __init__(self, timeout: float) -> None:
        super().__init__(status=0, code="timeout", message=f"Agentgate did not answer within {_seconds(timeout)} s")
        self.timeout = timeout


class AgentgateConnectionError(AgentgateError):
    """The request never got an HTTP answer (DNS failure, refused connection, reset socket, TLS).

    Not retried: the SDK cannot know whether a non-idempotent call reached the server.
    """

    def __init__(self, url: str, reason: object) -> None:
        super().__init__(status=0, code="connection_failed", message=f"Could not reach Agentgate at {url}: {reason}")


def is_agentgate_error(value: object) -> bool:
    """True for every error raised by this SDK for a failed call (timeouts and tool errors too)."""
    return isinstance(value, AgentgateError)


def is_not_found_error(value: object) -> bool:
    """True for a gateway 404 (not for a tool whose upstream answered 404: that is a tool error)."""
    return isinstance(value, AgentgateError) and value.status == 404 and value.code != "tool_error"


def _seconds(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
