"""Authenticated HTTP to the gateway: bearer token, retries, timeouts, typed errors.

Behaves like the TypeScript SDK's ``transport.ts``:

- The bearer token comes from ``POST {env_url}/oauth/token`` (client credentials), fetched on the
  first call, cached until shortly before ``expires_in``, shared by every thread of the client.
- A 401 answer renews the token once and repeats the call once; a second 401 is raised. A
  ``tool_error`` 401 is the provider refusing the END USER's token: no renewal, no repeat.
- A 503 answer is retried up to 3 times with jittered exponential backoff (or after
  ``Retry-After``); for a method other than GET/HEAD only when it is the gateway's own ``not_ready``
  or ``token_refresh_unavailable`` (answered before any work), since another 503 (a reverse proxy's)
  may come after the call ran. Nothing else is retried: a 429 means "slow down", and a tool error
  means the provider failed, which a repeat would only make worse (the gateway already retried what
  was safe).
- Neither is done for a provider's answer the proxy relays (marked ``x-agentgate-execution-id``).
- Every failure becomes an :class:`~agentgate.errors.AgentgateError` subclass.
"""

from __future__ import annotations

import json
import platform
import random
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple, Union

from ._response_errors import error_from_response, parse_retry_after
from ._version import __version__
from .errors import AgentgateConnectionError, AgentgateError, AgentgateTimeoutError

USER_AGENT = f"agentgate-sdk-python/{__version__} python/{platform.python_version()}"

#: Header the gateway puts on a provider's answer it relays through ``/proxy`` (never on its own).
EXECUTION_ID_HEADER = "x-agentgate-execution-id"

QueryValue = Union[str, int, float, bool, None, List[Union[str, int, float, bool]], Tuple[Union[str, int, float, bool], ...]]


@dataclass(frozen=True)
class RetryPolicy:
    """Tuning of the 503 retry loop: retry n waits ``min(base·2^n, maximum) × [0.5, 1)`` seconds."""

    max_retries: int = 3
    base: float = 1.0
    #: Upper bound of one delay before jitter, and of an acceptable ``Retry-After``.
    maximum: float = 30.0
    random: Callable[[], float] = field(default=random.random, compare=False)

    def delay(self, attempt: int) -> float:
        # Jitter keeps many clients that saw the same outage from coming back in lockstep.
        ceiling = min(self.base * 2**attempt, self.maximum)
        return ceiling * (0.5 + self.random() * 0.5)


@dataclass
class Response:
    """An answer whose body has been read completely (within the timeout). Header names are lower-case."""

    status: int
    reason: str
    headers: Dict[str, str]
    body: bytes
    url: str

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # Redirects are not followed: the bearer token must only ever go to the configured env URL.
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None


class _TokenCache:
    """Holds the bearer token; threads that find none share one fetch (the endpoint is rate limited)."""

    def __init__(self, fetch: Callable[[], Tuple[str, float]], now: Callable[[], float] = time.monotonic) -> None:
        self._fetch = fetch
        self._now = now
        self._lock = threading.Lock()
        self._token: Optional[str] = None
        self._renew_at = 0.0

    def get(self) -> str:
        with self._lock:
            if self._token is not None and self._now() < self._renew_at:
                return self._token
            token, lifetime = self._fetch()
            # Renew a little early (10% of the lifetime, at most a minute) so a token does not
            # expire between being read here and being checked by the server.
            margin = min(60.0, lifetime * 0.1)
            self._token, self._renew_at = token, self._now() + max(0.0, lifetime) - margin
            return token

    def invalidate(self, token: str) -> None:
        """Forgets ``token`` if it is still the cached one, so threads that raced on the same 401
        share one renewal instead of each throwing away the token another just fetched."""
        with self._lock:
            if self._token == token:
                self._token = None


def encode_query(params: Optional[Mapping[str, QueryValue]]) -> str:
    """``params`` as a query string: lists become repeated keys; ``None`` and blank strings are left
    out (for the gateway an empty filter is a validation error, not "no filter"); booleans are
    ``true``/``false``."""
    pairs: List[Tuple[str, str]] = []
    for key, value in (params or {}).items():
        for item in value if isinstance(value, (list, tuple)) else [value]:
            text = _scalar(item)
            if text is not None:
                pairs.append((key, text))
    return urllib.parse.urlencode(pairs)


def _scalar(value: Any) -> Optional[str]:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, (int, float)):
        return str(value)
    return None


class Transport:
    """Sends authenticated requests to one gateway; shared by every namespace of a client."""

    def __init__(
        self,
        *,
        env_url: str,
        client_id: str,
        client_secret: str,
        timeout: float,
        retry: RetryPolicy,
        ssl_context: Optional[ssl.SSLContext],
    ) -> None:
        self.env_url = env_url
        self._client_id = client_id
        self._client_secret = client_secret
        self._timeout = timeout
        self._retry = retry
        self._opener = urllib.request.build_opener(
            _NoRedirect(), urllib.request.HTTPSHandler(context=ssl_context or ssl.create_default_context())
        )
        self._tokens = _TokenCache(self._fetch_token)

    def json(self, method: str, path: str, **request: Any) -> Any:
        """Sends the request and parses the JSON answer (an empty body reads as ``{}``)."""
        response = self.send(method, path, **request)
        text = response.text()
        if not text.strip():
            return {}
        try:
            return json.loads(text)
        except ValueError:
            raise AgentgateError(
                status=response.status,
                code="invalid_response",
                message=f"Agentgate answered {method} {path} with a body that is not JSON",
                request_id=response.headers.get("x-request-id"),
            ) from None

    def send(
        self,
        method: str,
        path: str,
        *,
        query: Optional[Mapping[str, QueryValue]] = None,
        json_body: Any = None,
        body: Optional[bytes] = None,
        headers: Optional[Mapping[str, str]] = None,
        timeout: Optional[float] = None,
        pass_redirects: bool = False,
    ) -> Response:
        """Sends the request with the bearer token and returns a 2xx answer (or a 3xx with
        ``pass_redirects``); raises the typed error of anything else."""
        query_string = encode_query(query)
        url = f"{self.env_url}{path}{'?' + query_string if query_string else ''}"
        sent_headers = {"accept": "application/json", "user-agent": USER_AGENT}
        sent_headers.update({name.lower(): value for name, value in (headers or {}).items()})
        payload = body
        if payload is None and json_body is not None:
            payload = json.dumps(json_body, separators=(",", ":")).encode("utf-8")
            sent_headers.setdefault("content-type", "application/json")
        per_attempt = timeout if timeout is not None else self._timeout

        def attempt(token: str) -> Response:
            authorized = {**sent_headers, "authorization": f"Bearer {token}"}
            return self._with_retries(lambda: self._fetch(method, url, payload, authorized, per_attempt), method.upper() in _SAFE_METHODS)

        token = self._tokens.get()
        response = attempt(token)
        if response.status == 401 and _is_gateway_failure(response):
            # The token may have been revoked or expired early on the server: renew once, and only
            # once, so bad credentials surface as an error instead of a loop.
            self._tokens.invalidate(token)
            response = attempt(self._tokens.get())
        if response.ok or (pass_redirects and 300 <= response.status < 400):
            return response
        raise _error_of(response)

    def _fetch_token(self) -> Tuple[str, float]:
        url = f"{self.env_url}/oauth/token"
        form = urllib.parse.urlencode(
            {"grant_type": "client_credentials", "client_id": self._client_id, "client_secret": self._client_secret}
        ).encode("ascii")
        headers = {"accept": "application/json", "user-agent": USER_AGENT, "content-type": "application/x-www-form-urlencoded"}
        # A client-credentials grant creates nothing but a token: repeating it is always safe.
        response = self._with_retries(lambda: self._fetch("POST", url, form, headers, self._timeout), True)
        if not response.ok:
            raise _error_of(response)
        try:
            parsed = json.loads(response.text())
        except ValueError:
            parsed = None
        access_token = parsed.get("access_token") if isinstance(parsed, dict) else None
        if not isinstance(access_token, str) or not access_token:
            raise AgentgateError(
                status=response.status, code="invalid_token_response", message="The token endpoint answered without an access_token"
            )
        expires_in = parsed.get("expires_in")
        # Without expires_in, assume an hour; a token that dies sooner is renewed by the 401 path.
        lifetime = float(expires_in) if isinstance(expires_in, (int, float)) and not isinstance(expires_in, bool) else 3600.0
        return access_token, lifetime

    def _with_retries(self, send: Callable[[], Response], repeatable: bool) -> Response:
        policy = self._retry
        attempt = 0
        while True:
            response = send()
            if response.status != 503 or attempt >= policy.max_retries or not _is_gateway_failure(response):
                return response
            # A write is repeated only after a 503 the gateway sends before doing any work: any other
            # (a reverse proxy's page after forwarding the call, say) may come after the tool ran.
            if not repeatable and _error_of(response).code not in _BEFORE_WORK_503:
                return response
            retry_after = parse_retry_after(response.headers)
            delay = policy.delay(attempt) if retry_after is None else retry_after
            # A server asking for a longer pause than we would ever back off gets its answer raised
            # now (with retry_after) instead of silently holding the caller for minutes.
            if delay > policy.maximum:
                return response
            time.sleep(delay)
            attempt += 1

    def _fetch(self, method: str, url: str, payload: Optional[bytes], headers: Mapping[str, str], timeout: float) -> Response:
        request = urllib.request.Request(url, data=payload, headers=dict(headers), method=method)
        deadline = time.monotonic() + timeout
        try:
            try:
                answer = self._opener.open(request, timeout=timeout)
            except urllib.error.HTTPError as error:
                # 4xx, 5xx and (redirects not being followed) 3xx: an answer like any other.
                answer = error
            with answer:
                status = answer.getcode() or 0
                reason = getattr(answer, "reason", "") or ""
                answer_headers = {name.lower(): value for name, value in answer.headers.items()}
                body = _read_within(answer, deadline, timeout)
        except AgentgateTimeoutError:
            raise
        except (socket.timeout, TimeoutError):
            raise AgentgateTimeoutError(timeout) from None
        except urllib.error.URLError as error:
            if isinstance(error.reason, (socket.timeout, TimeoutError)):
                raise AgentgateTimeoutError(timeout) from None
            raise AgentgateConnectionError(url, error.reason) from error
        except (OSError, ValueError) as error:
            raise AgentgateConnectionError(url, error) from error
        return Response(status=status, reason=str(reason), headers=answer_headers, body=body, url=url)


#: Methods a repeat cannot do twice: any 503 but a tool error is retried for them.
_SAFE_METHODS = frozenset({"GET", "HEAD"})
#: The gateway's 503 codes, both answered before any work is done (errors.ts): not_ready (the database
#: does not answer) and token_refresh_unavailable (the token could not be refreshed; no provider call).
_BEFORE_WORK_503 = frozenset({"not_ready", "token_refresh_unavailable"})


def _read_within(answer: Any, deadline: float, timeout: float) -> bytes:
    """Reads the whole body, giving up at ``deadline`` so a server that trickles also times out."""
    chunks: List[bytes] = []
    while True:
        if time.monotonic() > deadline:
            raise AgentgateTimeoutError(timeout)
        chunk = answer.read(65536)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _error_of(response: Response) -> AgentgateError:
    return error_from_response(response.status, response.reason, response.headers, response.text())


def _is_gateway_failure(response: Response) -> bool:
    """Whether a 401 or 503 is the gateway's own about this call, the only kind a token renewal or
    a retry can help: not a tool error and not a provider answer relayed by the proxy."""
    if EXECUTION_ID_HEADER in response.headers:
        return False
    return _error_of(response).code != "tool_error"
