"""The transport: bearer token, one renewal on 401, 503 retries, timeouts, typed failures.

Against the live gateway where the gateway can produce the situation on demand (bad credentials,
a token it no longer accepts, a transient 503); against a scripted local HTTP server for what it
cannot (a hung server, an endless 503, a redirect).
"""

from __future__ import annotations

import json
import socket
import threading
import time
import unittest
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Optional, Tuple

import _support as s
from agentgate import (
    AgentgateClient,
    AgentgateConnectionError,
    AgentgateTimeoutError,
    RateLimitedError,
    ServiceUnavailableError,
    ToolUnauthorizedError,
    UnauthorizedError,
)

Answer = Tuple[int, Dict[str, str], Any]


class _QuietServer(ThreadingHTTPServer):
    # A client that gave up (the timeout test) makes the late write fail; that is expected here.
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


class ScriptedGateway:
    """A local HTTP server: ``/oauth/token`` issues ``tok-1``, ``tok-2``...; every other request gets
    the next scripted answer (the last one repeats) unless ``hang`` is set."""

    def __init__(self, *answers: Answer, hang: float = 0.0) -> None:
        self.answers: List[Answer] = list(answers)
        self.hang = hang
        self.tokens_issued = 0
        self.seen: List[Dict[str, Any]] = []
        script = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                if self.path == "/oauth/token":
                    script.tokens_issued += 1
                    return self._send(200, {}, {"access_token": f"tok-{script.tokens_issued}", "token_type": "Bearer", "expires_in": 3600})
                script.seen.append({"method": self.command, "path": self.path, "authorization": self.headers.get("authorization"), "body": body})
                if script.hang:
                    time.sleep(script.hang)
                status, headers, payload = script.answers[0] if len(script.answers) == 1 else script.answers.pop(0)
                self._send(status, headers, payload)

            def _send(self, status: int, headers: Dict[str, str], payload: Any) -> None:
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode("utf-8")
                self.send_response(status)
                for name, value in {"content-type": "application/json", **headers}.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _handle

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def client(self, **options: Any) -> AgentgateClient:
        options.setdefault("retry_base", 0.01)
        return AgentgateClient(self.url, "cli_x", "sec_x", **options)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def gateway_error(code: str, message: str = "x", details: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    return {"error": {"code": code, "message": message, **({"details": details} if details else {})}}


class AgainstAScriptedServer(unittest.TestCase):
    def serve(self, *answers: Answer, hang: float = 0.0) -> ScriptedGateway:
        server = ScriptedGateway(*answers, hang=hang)
        self.addCleanup(server.close)
        return server

    def test_a_rejected_token_is_renewed_once_and_a_second_rejection_is_raised(self) -> None:
        server = self.serve((401, {}, gateway_error("invalid_token", "The bearer token expired.")))
        with self.assertRaises(UnauthorizedError) as caught:
            server.client().actions.list_connected_accounts()
        self.assertEqual(caught.exception.code, "invalid_token")
        self.assertEqual(server.tokens_issued, 2)
        self.assertEqual([seen["authorization"] for seen in server.seen], ["Bearer tok-1", "Bearer tok-2"])

    def test_a_renewed_token_is_used_from_then_on(self) -> None:
        server = self.serve((401, {}, gateway_error("invalid_token")), (200, {}, {"connected_accounts": []}))
        client = server.client()
        client.actions.list_connected_accounts()
        client.actions.list_connected_accounts()
        self.assertEqual(server.tokens_issued, 2)
        self.assertEqual([seen["authorization"] for seen in server.seen], ["Bearer tok-1", "Bearer tok-2", "Bearer tok-2"])

    def test_a_tool_error_401_neither_renews_the_token_nor_repeats_the_call(self) -> None:
        tool_401 = gateway_error("tool_error", "Invalid Credentials", {"tier": "provider", "tool_error": {"kind": "unauthorized", "execution_id": "exec_1"}})
        server = self.serve((401, {}, tool_401))
        with self.assertRaises(ToolUnauthorizedError):
            server.client().actions.execute_tool(tool_name="gmail_get_profile", tool_input={}, identifier="u")
        self.assertEqual((server.tokens_issued, len(server.seen)), (1, 1))

    def test_503_is_retried_three_times_with_backoff_then_raised(self) -> None:
        server = self.serve((503, {}, gateway_error("not_ready", "Not ready.")))
        started = time.monotonic()
        with self.assertRaises(ServiceUnavailableError) as caught:
            server.client(retry_base=0.05).actions.list_connected_accounts()
        self.assertEqual((caught.exception.code, len(server.seen)), ("not_ready", 4))
        # Jittered delays of at least half of 0.05, 0.1 and 0.2 s.
        self.assertGreaterEqual(time.monotonic() - started, 0.175)

    def test_503_honours_retry_after_and_then_succeeds(self) -> None:
        server = self.serve((503, {"retry-after": "1"}, gateway_error("token_refresh_unavailable")), (200, {}, {"connected_accounts": []}))
        started = time.monotonic()
        page = server.client().actions.list_connected_accounts()
        self.assertEqual(page.connected_accounts, [])
        self.assertGreaterEqual(time.monotonic() - started, 0.95)
        self.assertEqual(len(server.seen), 2)

    def test_a_retry_after_longer_than_the_backoff_cap_is_raised_at_once(self) -> None:
        server = self.serve((503, {"retry-after": "120"}, gateway_error("token_refresh_unavailable")))
        with self.assertRaises(ServiceUnavailableError) as caught:
            server.client().actions.list_connected_accounts()
        self.assertEqual((caught.exception.retry_after, len(server.seen)), (120, 1))

    def test_a_provider_503_relayed_by_the_proxy_is_not_retried(self) -> None:
        server = self.serve((503, {"x-agentgate-execution-id": "exec_7"}, b"upstream busy"))
        with self.assertRaises(ServiceUnavailableError) as caught:
            server.client().actions.request(connection_name="gmail", identifier="u", path="/gmail/v1/users/me/profile")
        self.assertEqual((caught.exception.code, len(server.seen)), ("http_503", 1))
        self.assertEqual(server.seen[0]["path"], "/proxy/gmail/v1/users/me/profile")

    def test_a_write_is_not_repeated_after_a_503_the_gateway_did_not_send_before_work(self) -> None:
        # A reverse proxy's page after it forwarded the call: the tool may have run, so no second run.
        proxy_page = b"<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>"
        for answer in ((503, {"content-type": "text/html"}, proxy_page), (503, {}, gateway_error("unavailable", "try later"))):
            server = self.serve(answer)
            with self.assertRaises(ServiceUnavailableError):
                server.client().actions.execute_tool(tool_name="gmail_send_email", tool_input={"to": "a@example.com"}, identifier="u")
            self.assertEqual([seen["method"] for seen in server.seen], ["POST"])

    def test_a_write_is_retried_after_the_gateways_own_503_before_work(self) -> None:
        for code in ("not_ready", "token_refresh_unavailable"):
            server = self.serve((503, {}, gateway_error(code)), (200, {}, {"data": {"id": "m1"}, "execution_id": "exec_1"}))
            result = server.client().actions.execute_tool(tool_name="gmail_send_email", tool_input={"to": "a@example.com"}, identifier="u")
            self.assertEqual((result.execution_id, len(server.seen)), ("exec_1", 2))

    def test_a_read_is_retried_after_any_503_that_is_not_a_tool_error(self) -> None:
        server = self.serve((503, {"content-type": "text/html"}, b"<html>503</html>"), (200, {}, {"connected_accounts": []}))
        server.client().actions.list_connected_accounts()
        self.assertEqual([seen["method"] for seen in server.seen], ["GET", "GET"])

    def test_429_is_never_retried(self) -> None:
        server = self.serve((429, {"retry-after": "1"}, gateway_error("rate_limited", "Too many requests.")))
        with self.assertRaises(RateLimitedError) as caught:
            server.client().actions.list_connected_accounts()
        self.assertEqual((caught.exception.retry_after, len(server.seen)), (1, 1))

    def test_redirects_are_not_followed_by_api_calls_and_handed_back_by_the_proxy(self) -> None:
        server = self.serve((302, {"location": "http://127.0.0.1:9/steal"}, b""))
        client = server.client()
        with self.assertRaises(Exception) as caught:
            client.actions.list_connected_accounts()
        self.assertEqual(getattr(caught.exception, "status", None), 302)
        response = client.actions.request(connection_name="gmail", identifier="u", path="/x")
        self.assertEqual((response.status_code, response.headers["location"]), (302, "http://127.0.0.1:9/steal"))
        self.assertEqual(len(server.seen), 2)

    def test_a_server_that_does_not_answer_times_out(self) -> None:
        server = self.serve((200, {}, {}), hang=2.0)
        started = time.monotonic()
        with self.assertRaises(AgentgateTimeoutError) as caught:
            server.client(timeout=0.3).actions.list_connected_accounts()
        self.assertEqual((caught.exception.status, caught.exception.code), (0, "timeout"))
        self.assertLess(time.monotonic() - started, 1.5)

    def test_threads_share_one_token_fetch(self) -> None:
        server = self.serve((200, {}, {"connected_accounts": []}))
        client = server.client()
        threads = [threading.Thread(target=client.actions.list_connected_accounts) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual((server.tokens_issued, len(server.seen)), (1, 8))

    def test_query_parameters_are_encoded_as_the_gateway_reads_them(self) -> None:
        server = self.serve((200, {}, {"connected_accounts": []}))
        server.client().actions.list_connected_accounts(identifier=" u 1 ", connection_names=["a", "b"], provider="  ", page_size=5)
        self.assertEqual(server.seen[0]["path"], "/api/v1/connected_accounts?connection_names=a&connection_names=b&identifier=u+1&page_size=5")

    def test_nothing_listening_is_a_connection_error(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        with self.assertRaises(AgentgateConnectionError) as caught:
            AgentgateClient(f"http://127.0.0.1:{port}", "cli", "sec").actions.list_connected_accounts()
        self.assertEqual((caught.exception.status, caught.exception.code), (0, "connection_failed"))


@s.live
class AgainstTheLiveGateway(unittest.TestCase):
    def test_a_wrong_secret_is_a_typed_unauthorized_error(self) -> None:
        client = AgentgateClient(s.URL, s.CLIENT_ID, "sec_wrong")
        with self.assertRaises(UnauthorizedError) as caught:
            client.actions.list_connected_accounts()
        self.assertEqual((caught.exception.status, caught.exception.code), (401, "invalid_client"))
        self.assertNotIn("sec_wrong", str(caught.exception))

    def test_a_token_the_gateway_no_longer_accepts_is_renewed_once(self) -> None:
        client = s.new_client()
        client.actions.list_connected_accounts(page_size=1)
        stale = client.actions._transport._tokens._token
        self.assertIsInstance(stale, str)
        # A day later for the gateway: the cached token expired there, not in the SDK's clock.
        s.control.clock(86400 + 600)
        try:
            request = urllib.request.Request(f"{s.URL}/api/v1/connected_accounts", headers={"authorization": f"Bearer {stale}"})
            with self.assertRaises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(request, timeout=10)
            self.assertEqual(refused.exception.code, 401)
            page = client.actions.list_connected_accounts(page_size=1)
            self.assertIsInstance(page.connected_accounts, list)
            self.assertNotEqual(client.actions._transport._tokens._token, stale)
        finally:
            s.control.clock(0)

    def test_a_transient_refresh_failure_503_is_retried_after_retry_after(self) -> None:
        client = s.new_client()
        identifier = s.unique("retry")
        s.connect(client, identifier)
        grants = s.control.refresh_grants()
        # The gateway tries the provider three times itself before it answers 503.
        for _ in range(3):
            s.control.fail_next_token(503, {"error": "temporarily_unavailable"})
        started = time.monotonic()
        account = client.actions.refresh_connected_account(identifier=identifier, connection_name=s.GMAIL)
        self.assertEqual(account.status, "ACTIVE")
        # The gateway answered 503 token_refresh_unavailable with Retry-After: 5, and the SDK waited it out.
        self.assertGreaterEqual(time.monotonic() - started, 4.5)
        self.assertEqual(s.control.refresh_grants(), grants + 1)
