"""What the Python SDK's tests share: the live gateway's settings, a client, and the control
channel of the world around the gateway.

The tests run against a LIVE gateway named by environment variables:

- ``AGENTGATE_URL``, ``AGENTGATE_CLIENT_ID``, ``AGENTGATE_CLIENT_SECRET``: the gateway and an API
  credential of an environment with a connection named ``gmail`` whose OAuth endpoints are an
  authorization server the control channel drives and whose API base URL is a Gmail emulator;
- ``AGENTGATE_TEST_CONTROL_URL``: the control channel (``packages/server/test/helpers/python-sdk-control.ts``):
  the end user's browser, the provider failing on demand, the gateway's clock;
- ``AGENTGATE_TEST_GMAIL_TOKEN``: an access token the Gmail emulator accepts.

``packages/server/test/python-sdk.test.ts`` sets all of this up and runs these tests (``npm test``).
Without these variables the live tests are skipped with that explanation.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import unittest
import urllib.request
from typing import Any, Dict, List, Optional

# `python3 -m unittest discover -s sdks/python/tests` from anywhere: the package is next to this folder.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from agentgate import AgentgateClient, ConflictError, ConnectedAccount, is_not_found_error  # noqa: E402

LIVE_VARIABLES = ("AGENTGATE_URL", "AGENTGATE_CLIENT_ID", "AGENTGATE_CLIENT_SECRET", "AGENTGATE_TEST_CONTROL_URL", "AGENTGATE_TEST_GMAIL_TOKEN")
MISSING = [name for name in LIVE_VARIABLES if not os.environ.get(name)]
SKIP_REASON = (
    f"no live gateway: set {', '.join(MISSING)} (packages/server/test/python-sdk.test.ts does, through npm test)" if MISSING else ""
)

URL = os.environ.get("AGENTGATE_URL", "").rstrip("/")
CLIENT_ID = os.environ.get("AGENTGATE_CLIENT_ID", "")
CLIENT_SECRET = os.environ.get("AGENTGATE_CLIENT_SECRET", "")
CONTROL_URL = os.environ.get("AGENTGATE_TEST_CONTROL_URL", "").rstrip("/")
GMAIL_TOKEN = os.environ.get("AGENTGATE_TEST_GMAIL_TOKEN", "")

#: The connection every seed snippet names.
GMAIL = "gmail"
GMAIL_READONLY = "https://www.googleapis.com/auth/gmail.readonly"
#: What the Gmail emulator answers for users.getProfile, as gmail_get_profile shapes it.
PROFILE = {"email_address": "ada@example.com", "messages_total": 1234, "threads_total": 987, "history_id": "55501"}


def live(cls: type) -> type:
    """Class decorator: the tests need the live gateway."""
    return unittest.skipIf(bool(MISSING), SKIP_REASON)(cls)


def unique(prefix: str) -> str:
    """A fresh identifier, so tests sharing one gateway never see each other's accounts."""
    return f"{prefix}-{secrets.token_hex(5)}"


def new_client(**options: Any) -> AgentgateClient:
    options.setdefault("retry_base", 0.05)
    return AgentgateClient(URL, CLIENT_ID, CLIENT_SECRET, **options)


class Control:
    """The world around the gateway (see the module docstring)."""

    def call(self, method: str, path: str, body: Optional[Dict[str, Any]] = None) -> Any:
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(f"{CONTROL_URL}{path}", data=data, method=method, headers={"content-type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read().decode("utf-8"))

    def flow(self, link: str) -> Dict[str, Any]:
        """The end user opens ``link`` and approves at the authorization server; the gateway's callback answer."""
        return self.call("POST", "/flow", {"link": link})

    def fail_next_token(self, status: int, body: Optional[Dict[str, Any]] = None) -> None:
        self.call("POST", "/as/fail_next_token", {"status": status, **({"body": body} if body is not None else {})})

    def refresh_grants(self) -> int:
        return int(self.call("GET", "/as/refresh_grants")["count"])

    def settings(self, **settings: Any) -> Dict[str, Any]:
        return self.call("POST", "/settings", settings)

    def clock(self, offset_seconds: float) -> None:
        self.call("POST", "/clock", {"offset_seconds": offset_seconds})

    def enqueue(self, *replies: Dict[str, Any]) -> None:
        """Gmail's next answers (to authorized requests on its routes)."""
        self.call("POST", "/emulator/enqueue", {"replies": list(replies)})

    def clear(self) -> None:
        """Forgets Gmail answers still queued, so a failed test does not leave them to the next."""
        self.call("POST", "/emulator/clear", {})

    def requests(self) -> List[Dict[str, Any]]:
        """Every request Gmail received so far: ``{method, path, authorization, body}``."""
        return list(self.call("GET", "/emulator/requests")["requests"])


control = Control()


def reset(client: AgentgateClient, identifier: str) -> None:
    """Deletes the Gmail account of ``identifier`` if there is one."""
    try:
        client.actions.delete_connected_account(connection_name=GMAIL, identifier=identifier)
    except Exception as error:
        if not is_not_found_error(error):
            raise


def connect(client: AgentgateClient, identifier: str) -> ConnectedAccount:
    """Runs the hosted flow for ``identifier``: an ACTIVE Gmail account holding real tokens
    (refreshable at the authorization server)."""
    link = client.actions.get_authorization_link(connection_name=GMAIL, identifier=identifier)
    answer = control.flow(link.link)
    assert answer["status"] == 303 and "/connect/success" in (answer["location"] or ""), f"the flow did not succeed: {answer}"
    account = client.actions.get_connected_account(connection_name=GMAIL, identifier=identifier)
    assert account.status == "ACTIVE", account
    return account


INVALID_GRANT = {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}


def expire(client: AgentgateClient, identifier: str) -> ConnectedAccount:
    """Makes the account EXPIRED the way it happens: the provider refuses a refresh once. Its refresh
    token stays valid at the provider, so a later manual refresh succeeds."""
    control.fail_next_token(400, INVALID_GRANT)
    try:
        client.actions.refresh_connected_account(identifier=identifier, connection_name=GMAIL)
    except ConflictError as error:
        assert error.code == "token_refresh_rejected", error
    else:
        raise AssertionError("the refused refresh did not raise ConflictError")
    account = client.actions.get_connected_account(connection_name=GMAIL, identifier=identifier)
    assert account.status == "EXPIRED", account
    return account


def gmail_requests_since(count: int) -> List[Dict[str, Any]]:
    return control.requests()[count:]
