"""Tools and the API proxy against the live gateway and the Gmail emulator: results, the typed
tool errors, and that neither the SDK nor the gateway repeats what must not be repeated."""

from __future__ import annotations

import base64
import unittest

import _support as s
from agentgate import (
    AccountNotActiveError,
    BadRequestError,
    ExecuteToolResult,
    ForbiddenError,
    NotFoundError,
    ProxyResponse,
    RateLimitedError,
    ToolError,
    ToolForbiddenError,
    ToolRateLimitError,
    ToolUnauthorizedError,
    UnauthorizedError,
    is_tool_error,
)

SEND = ("POST", "/gmail/v1/users/me/messages/send")
PROFILE_PATH = ("GET", "/gmail/v1/users/me/profile")


def google_error(status: int, message: str, reason: str) -> dict:
    return {"status": status, "json": {"error": {"code": status, "message": message, "status": reason}}}


@s.live
class Tools(unittest.TestCase):
    def setUp(self) -> None:
        self.client = s.new_client()
        self.actions = self.client.actions
        self.addCleanup(s.control.clear)
        self.identifier = s.unique("tools")
        self.account = self.actions.get_or_create_connected_account(
            connection_name=s.GMAIL,
            identifier=self.identifier,
            authorization_details={"oauth_token": {"access_token": s.GMAIL_TOKEN, "scopes": [s.GMAIL_READONLY]}},
        )
        self.seen = len(s.control.requests())

    def upstream(self) -> list:
        return [(c["method"], c["path"]) for c in s.gmail_requests_since(self.seen)]

    def test_execute_tool_by_id_by_connection_and_identifier_and_by_identifier_alone(self) -> None:
        results = [
            self.actions.execute_tool(tool_name="gmail_get_profile", tool_input={}, connected_account_id=self.account.id),
            self.actions.execute_tool(tool_name="gmail_get_profile", tool_input={}, connection_name=s.GMAIL, identifier=self.identifier),
            self.actions.execute_tool({}, "gmail_get_profile", self.identifier),
        ]
        for result in results:
            self.assertIsInstance(result, ExecuteToolResult)
            self.assertEqual(result.data, s.PROFILE)
            self.assertEqual(result.data.email_address, "ada@example.com")
            self.assertRegex(result.execution_id, r"^exec_")
        self.assertEqual(self.upstream(), [PROFILE_PATH] * 3)
        self.assertEqual(s.gmail_requests_since(self.seen)[0]["authorization"], f"Bearer {s.GMAIL_TOKEN}")

    def test_tool_input_reaches_the_provider_verbatim(self) -> None:
        result = self.actions.execute_tool(
            tool_name="gmail_send_email",
            params={"to": ["bob@example.com", "eve@example.com"], "subject": "Q3", "body": "Numbers attached."},
            identifier=self.identifier,
            agent_run_id="run-1",
        )
        self.assertEqual(result.data.to_dict(), {"id": "18d9", "thread_id": "18d9", "label_ids": ["SENT"]})
        sent = s.gmail_requests_since(self.seen)
        self.assertEqual([(c["method"], c["path"]) for c in sent], [SEND])
        message = base64.urlsafe_b64decode(sent[0]["body"]["raw"] + "==").decode("utf-8")
        self.assertIn("To: bob@example.com, eve@example.com\r\n", message)
        log = self.actions.get_tool_call_log(result.execution_id)
        self.assertEqual((log.status, log.tool_name, log.agent_run_id, log.connected_account_id), ("SUCCESS", "gmail_send_email", "run-1", self.account.id))

    def test_invalid_input_is_a_validation_error_naming_each_parameter(self) -> None:
        with self.assertRaises(BadRequestError) as caught:
            self.actions.execute_tool(tool_name="gmail_send_email", tool_input={"to": ["bob@example.com"], "body": "x", "bogus": 1}, identifier=self.identifier)
        error = caught.exception
        self.assertEqual((error.status, error.code), (400, "validation_failed"))
        self.assertEqual(sorted(issue.path for issue in error.issues), ["params.bogus", "params.subject"])
        self.assertEqual(self.upstream(), [])

    def test_an_unknown_tool_is_not_found(self) -> None:
        with self.assertRaises(NotFoundError) as caught:
            self.actions.execute_tool(tool_name="gmail_does_not_exist", tool_input={}, identifier=self.identifier)
        self.assertEqual(caught.exception.code, "tool_not_found")

    def test_a_revoked_token_is_a_tool_unauthorized_error_and_the_sdk_keeps_its_own_token(self) -> None:
        self.actions.update_connected_account(connected_account_id=self.account.id, authorization_details={"oauth_token": {"access_token": "ya29.revoked"}})
        self.actions.list_connected_accounts(page_size=1)
        own_token = self.actions._transport._tokens._token
        with self.assertRaises(ToolUnauthorizedError) as caught:
            self.actions.execute_tool(tool_name="gmail_get_profile", tool_input={}, connected_account_id=self.account.id)
        error = caught.exception
        self.assertIsInstance(error, UnauthorizedError)
        self.assertIsInstance(error, ToolError)
        self.assertTrue(is_tool_error(error))
        self.assertEqual((error.status, error.kind, error.tier, error.upstream_status), (401, "unauthorized", "provider", 401))
        self.assertEqual(error.tool_error_code, "UNAUTHENTICATED")
        self.assertRegex(error.execution_id, r"^exec_")
        self.assertTrue(error.fix)
        self.assertEqual(self.actions._transport._tokens._token, own_token)
        self.assertEqual(self.upstream(), [PROFILE_PATH])
        self.assertEqual(self.actions.get_connected_account(connected_account_id=self.account.id).status, "EXPIRED")

    def test_a_missing_scope_is_a_tool_forbidden_error_listing_the_scopes(self) -> None:
        s.control.enqueue(google_error(403, "Request had insufficient authentication scopes.", "PERMISSION_DENIED"))
        with self.assertRaises(ToolForbiddenError) as caught:
            self.actions.execute_tool(tool_name="gmail_send_email", tool_input={"to": "bob@example.com", "subject": "s", "body": "b"}, identifier=self.identifier)
        error = caught.exception
        self.assertIsInstance(error, ForbiddenError)
        self.assertEqual((error.status, error.kind, error.tool_error_code), (403, "forbidden", "PERMISSION_DENIED"))
        self.assertIn("https://www.googleapis.com/auth/gmail.send", error.required_scopes)
        self.assertEqual(error.missing_scopes, error.required_scopes)
        log = self.actions.get_tool_call_log(error.execution_id)
        self.assertEqual((log.status, log.error_tier, log.upstream_status), ("FAILED", "provider", 403))

    def test_a_rate_limit_is_a_tool_rate_limit_error_that_nobody_repeats(self) -> None:
        s.control.enqueue({**google_error(429, "Resource has been exhausted (e.g. check quota).", "RESOURCE_EXHAUSTED"), "headers": {"retry-after": "120"}})
        with self.assertRaises(ToolRateLimitError) as caught:
            self.actions.execute_tool(tool_name="gmail_get_profile", tool_input={}, identifier=self.identifier)
        error = caught.exception
        self.assertIsInstance(error, RateLimitedError)
        self.assertEqual((error.status, error.kind, error.retry_after_seconds, error.retry_after), (429, "rate_limited", 120, 120))
        self.assertIn("rate limited", str(error))
        self.assertEqual(self.upstream(), [PROFILE_PATH])

    def test_a_failed_write_is_a_tool_error_and_is_sent_once(self) -> None:
        s.control.enqueue(google_error(500, "Backend Error", "INTERNAL"))
        with self.assertRaises(ToolError) as caught:
            self.actions.execute_tool(tool_name="gmail_send_email", tool_input={"to": "bob@example.com", "subject": "s", "body": "b"}, identifier=self.identifier)
        error = caught.exception
        self.assertIs(type(error), ToolError)
        self.assertEqual((error.status, error.kind, error.upstream_status, error.tool_error_message), (502, "upstream_error", 500, "Backend Error"))
        self.assertEqual(self.upstream(), [SEND])

    def test_an_account_that_is_not_active_is_not_a_tool_error(self) -> None:
        pending = self.actions.get_or_create_connected_account(connection_name=s.GMAIL, identifier=s.unique("pending"))
        with self.assertRaises(AccountNotActiveError) as caught:
            self.actions.execute_tool(tool_name="gmail_get_profile", tool_input={}, connected_account_id=pending.id)
        self.assertFalse(is_tool_error(caught.exception))
        self.assertEqual((caught.exception.code, caught.exception.account_status), ("account_not_active", "PENDING_AUTH"))
        self.assertEqual(self.upstream(), [])

    def test_scoped_tools_list_what_the_user_can_run(self) -> None:
        scoped = self.actions.list_scoped_tools(self.identifier, connection_names=[s.GMAIL], page_size=100)
        names = {item.tool.definition.name: item for item in scoped.tools}
        self.assertIn("gmail_get_profile", names)
        self.assertEqual(names["gmail_get_profile"].connected_account_id, self.account.id)
        self.assertIn(s.GMAIL, {c.connection_name for c in self.actions.list_connections(provider="gmail").connections})


@s.live
class Proxy(unittest.TestCase):
    def setUp(self) -> None:
        self.actions = s.new_client().actions
        self.identifier = s.unique("proxy")
        self.actions.get_or_create_connected_account(
            connection_name=s.GMAIL, identifier=self.identifier, authorization_details={"oauth_token": {"access_token": s.GMAIL_TOKEN}}
        )
        self.seen = len(s.control.requests())

    def test_a_get_returns_the_provider_answer_with_the_execution_id(self) -> None:
        response = self.actions.request(connection_name=s.GMAIL, identifier=self.identifier, path="gmail/v1/users/me/messages", query_params={"q": "from:alice", "maxResults": 2})
        self.assertIsInstance(response, ProxyResponse)
        self.assertEqual((response.status_code, response.ok), (200, True))
        self.assertEqual(response.json()["nextPageToken"], "page-2")
        self.assertIn('"resultSizeEstimate"', response.text)
        self.assertRegex(response.execution_id or "", r"^exec_")
        sent = s.gmail_requests_since(self.seen)
        self.assertEqual([(c["method"], c["path"], c["query"]) for c in sent], [("GET", "/gmail/v1/users/me/messages", {"q": "from:alice", "maxResults": "2"})])
        self.assertEqual(sent[0]["authorization"], f"Bearer {s.GMAIL_TOKEN}")

    def test_json_and_form_bodies_are_sent_as_given(self) -> None:
        draft = {"message": {"raw": "VG86IGJvYkBleGFtcGxlLmNvbQ", "threadId": "t-1"}}
        self.assertEqual(self.actions.request(s.GMAIL, self.identifier, "/gmail/v1/users/me/drafts", method="post", body=draft).json()["message"]["threadId"], "t-1")
        self.actions.request(s.GMAIL, self.identifier, "/gmail/v1/users/me/messages/send", method="POST", form_data={"raw": "abc", "threadId": "t-2"})
        sent = s.gmail_requests_since(self.seen)
        self.assertEqual([c["body"] for c in sent], [draft, {"raw": "abc", "threadId": "t-2"}])

    def test_a_provider_error_is_raised_typed(self) -> None:
        with self.assertRaises(NotFoundError) as caught:
            self.actions.request(s.GMAIL, self.identifier, "/gmail/v1/users/me/messages/nope")
        self.assertEqual(caught.exception.status, 404)
        self.assertEqual(len(s.gmail_requests_since(self.seen)), 1)
