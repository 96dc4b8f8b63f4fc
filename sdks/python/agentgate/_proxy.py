"""``actions.request``: calls a provider's own API through the gateway's ``/proxy`` with an
account's credentials (mirrors ``proxy.ts``)."""

from __future__ import annotations

import json
import urllib.parse
from typing import Any, Dict, Mapping, Optional, Union

from ._params import optional, plain_mapping, required
from ._transport import EXECUTION_ID_HEADER, QueryValue, Response, Transport


class ProxyResponse:
    """The provider's answer, read completely, shaped like ``requests.Response``: ``status_code``,
    ``reason``, ``headers`` (lower-case names), ``content`` (bytes), ``text``, ``json()``, ``ok``,
    and ``execution_id`` (the call in the tool call log)."""

    def __init__(self, response: Response) -> None:
        self.status_code = response.status
        self.reason = response.reason
        self.headers: Dict[str, str] = dict(response.headers)
        self.content = response.body
        self.url = response.url
        self.execution_id: Optional[str] = response.headers.get(EXECUTION_ID_HEADER)

    @property
    def ok(self) -> bool:
        return 200 <= self.status_code < 400

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        """The body parsed as JSON (``ValueError`` when it is not JSON)."""
        return json.loads(self.text)

    def __repr__(self) -> str:
        return f"<ProxyResponse [{self.status_code}] execution_id={self.execution_id!r}>"


def proxy_request(
    transport: Transport,
    *,
    connection_name: str,
    identifier: str,
    path: str,
    method: str = "GET",
    query_params: Optional[Mapping[str, QueryValue]] = None,
    body: Any = None,
    form_data: Optional[Mapping[str, Any]] = None,
    raw_body: Optional[Union[bytes, str]] = None,
    headers: Optional[Mapping[str, str]] = None,
    timeout: float,
) -> ProxyResponse:
    """Sends one proxied request. ``raw_body`` (bytes or str, e.g. SOAP XML; set ``content-type``
    yourself) wins over ``form_data`` (form-encoded), which wins over ``body`` (JSON, keys unchanged).
    Upstream 4xx/5xx answers are raised as typed errors; 2xx and 3xx answers are returned. A
    provider's 401 never renews the SDK's token and its 503 is not retried."""
    connection_name = required(connection_name, "connection_name")
    identifier = required(identifier, "identifier")
    path = required(path, "path")
    verb = (optional(method, "method") or "GET").upper()
    has_body = raw_body is not None or form_data is not None or body is not None
    if verb in ("GET", "HEAD") and has_body:
        raise ValueError(f"a {verb} request cannot have a body")
    # The gateway picks the account from these two headers; set last so caller headers cannot
    # point the call at another user's account by accident.
    sent_headers = {name.lower(): value for name, value in (plain_mapping(headers, "headers") or {}).items()}
    sent_headers.update({"connection_name": connection_name, "identifier": identifier})
    payload: Optional[bytes] = None
    json_body: Any = None
    if raw_body is not None:
        # bytes(5) would be five zero bytes, not an error: check the type first.
        if not isinstance(raw_body, (bytes, bytearray, str)):
            raise TypeError(f"raw_body must be bytes or str, not {type(raw_body).__name__}")
        payload = raw_body.encode("utf-8") if isinstance(raw_body, str) else bytes(raw_body)
    elif form_data is not None:
        payload = urllib.parse.urlencode(plain_mapping(form_data, "form_data") or {}, doseq=True).encode("utf-8")
        sent_headers.setdefault("content-type", "application/x-www-form-urlencoded")
    else:
        json_body = body
    response = transport.send(
        verb,
        f"/proxy{path if path.startswith('/') else '/' + path}",
        query=query_params,
        json_body=json_body,
        body=payload,
        headers=sent_headers,
        timeout=timeout,
        pass_redirects=True,
    )
    return ProxyResponse(response)

