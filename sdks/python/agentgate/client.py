"""``AgentgateClient``, the SDK's entry point."""

from __future__ import annotations

import math
import ssl
import urllib.parse
from typing import Optional

from ._params import positive_seconds
from ._transport import RetryPolicy, Transport
from .actions import ActionsClient

DEFAULT_TIMEOUT = 20.0
DEFAULT_TOOL_TIMEOUT = 60.0


class AgentgateClient:
    """Client of one Agentgate environment. Construction does no I/O; the first call exchanges the
    client credentials for a bearer token at ``POST {env_url}/oauth/token``. One client may be
    shared by threads.

    :param env_url: the gateway's base URL, e.g. ``https://agentgate.example.com`` (a path prefix is kept).
    :param client_id: API client id (``cli_...``) of the environment.
    :param client_secret: its secret.
    :param timeout: seconds per attempt of control-plane calls (default 20).
    :param tool_timeout: seconds per attempt of tool runs and proxied requests (default 60).
    :param retry_base: base of the 503 backoff in seconds: retry n waits ``min(retry_base·2^n, 30) × [0.5, 1)``.
    :param ssl_context: TLS settings for an ``https`` gateway (e.g. a private CA); default: the system's.

    Example::

        import os
        from agentgate import AgentgateClient

        client = AgentgateClient(os.environ["AGENTGATE_URL"], os.environ["AGENTGATE_CLIENT_ID"], os.environ["AGENTGATE_CLIENT_SECRET"])
        account = client.actions.get_or_create_connected_account(connection_name="gmail", identifier="user_42")
    """

    env_url: str
    actions: ActionsClient

    def __init__(
        self,
        env_url: str,
        client_id: str,
        client_secret: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        tool_timeout: float = DEFAULT_TOOL_TIMEOUT,
        retry_base: float = 1.0,
        ssl_context: Optional[ssl.SSLContext] = None,
    ) -> None:
        self.env_url = _normalize_env_url(env_url)
        if not isinstance(retry_base, (int, float)) or not math.isfinite(retry_base) or retry_base < 0:
            raise ValueError(f"retry_base must be a finite number >= 0, got {retry_base!r}")
        transport = Transport(
            env_url=self.env_url,
            client_id=_required_credential(client_id, "client_id"),
            client_secret=_required_credential(client_secret, "client_secret"),
            timeout=positive_seconds(timeout, "timeout"),
            retry=RetryPolicy(base=float(retry_base)),
            ssl_context=ssl_context,
        )
        self.actions = ActionsClient(transport, positive_seconds(tool_timeout, "tool_timeout"))
        # The reference product exposes the same facade under both names.
        self.connect = self.actions

    def __repr__(self) -> str:
        return f"AgentgateClient({self.env_url!r})"


def _normalize_env_url(env_url: str) -> str:
    parts = urllib.parse.urlsplit(env_url.strip() if isinstance(env_url, str) else "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"env_url must be an absolute http(s) URL such as https://agentgate.example.com, got {env_url!r}")
    if parts.query or parts.fragment:
        raise ValueError("env_url must not contain a query or fragment")
    return f"{parts.scheme}://{parts.netloc}{parts.path}".rstrip("/")


def _required_credential(value: str, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} is required")
    return value
