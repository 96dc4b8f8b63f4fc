"""Results, statuses, error mapping and client construction: no network."""

from __future__ import annotations

import json
import unittest

import _support  # noqa: F401  (puts the package on sys.path)
from agentgate import (
    AccountNotActiveError,
    AgentgateClient,
    AgentgateError,
    BadRequestError,
    ConflictError,
    ConnectedAccount,
    ConnectedAccountPage,
    ConnectedAccountStatus,
    ExecuteToolResult,
    ForbiddenError,
    NotFoundError,
    RateLimitedError,
    Record,
    ServerError,
    ServiceUnavailableError,
    ToolError,
    ToolForbiddenError,
    ToolRateLimitError,
    ToolUnauthorizedError,
    UnauthorizedError,
    __version__,
    is_not_found_error,
    is_tool_error,
)
from agentgate._response_errors import error_from_response


def error(status: int, body: object, headers: "dict[str, str] | None" = None) -> AgentgateError:
    return error_from_response(status, "", {"x-request-id": "req-1", **(headers or {})}, json.dumps(body))


class Results(unittest.TestCase):
    def test_a_record_reads_keys_as_attributes_nested_too_and_stays_a_dict(self) -> None:
        record = Record({"a": 1, "nested": {"b": [{"c": 2}]}})
        self.assertEqual((record.a, record.nested.b[0].c, record["nested"]["b"][0]["c"]), (1, 2, 2))
        self.assertIsInstance(record, dict)
        self.assertEqual(json.loads(json.dumps(record)), {"a": 1, "nested": {"b": [{"c": 2}]}})
        self.assertEqual(repr(record), "{'a': 1, 'nested': {'b': [{'c': 2}]}}")
        with self.assertRaisesRegex(AttributeError, "no field 'missing'"):
            record.missing  # noqa: B018

    def test_to_dict_returns_plain_containers(self) -> None:
        plain = ConnectedAccount({"status": "ACTIVE", "scopes": ["x"], "api_config": {"k": {"v": 1}}}).to_dict()
        self.assertIs(type(plain), dict)
        self.assertIs(type(plain["api_config"]["k"]), dict)
        self.assertEqual(plain, {"status": "ACTIVE", "scopes": ["x"], "api_config": {"k": {"v": 1}}})

    def test_documented_fields_read_as_their_default_when_absent(self) -> None:
        account = ConnectedAccount({"id": "ca_1"})
        self.assertEqual((account.scopes, account.authorization_details, account.status), ([], None, None))
        self.assertEqual(ExecuteToolResult({"data": {"x": 1}}).execution_id, "")

    def test_typed_results_print_with_their_fields(self) -> None:
        result = ExecuteToolResult({"data": {"email_address": "ada@example.com"}, "execution_id": "exec_1"})
        self.assertEqual(str(result), "ExecuteToolResult(data={'email_address': 'ada@example.com'}, execution_id='exec_1')")
        self.assertEqual(str(result.data), "{'email_address': 'ada@example.com'}")


    def test_credentials_print_masked_and_read_in_full(self) -> None:
        secrets = ("ya29.secret-at", "1//secret-rt", "eyJ.secret-id", "sk_live_secret", "hdr-secret", "pw-secret")
        account = ConnectedAccount(
            {
                "id": "ca_1",
                "authorization_details": {
                    "oauth_token": {"access_token": "ya29.secret-at", "refresh_token": "1//secret-rt", "id_token": "eyJ.secret-id", "token_type": "Bearer", "scopes": ["x"]},
                    "static_auth": {"api_key": "sk_live_secret", "custom_header": "hdr-secret", "basic": {"username": "ada", "password": "pw-secret"}},
                },
            }
        )
        details = account.authorization_details
        page = ConnectedAccountPage({"connected_accounts": [account.to_dict()], "total_size": 1})
        for shown in (repr(account), str(account), repr(details), str(details.oauth_token), repr(details.static_auth), str(details.static_auth.basic), repr(page), f"{account}"):
            for secret in secrets:
                self.assertNotIn(secret, shown)
            self.assertIn("'***'", shown)
        self.assertIn("'token_type': 'Bearer'", repr(account))
        self.assertIn("'scopes': ['x']", repr(account))
        self.assertIn("id='ca_1'", repr(account))
        self.assertEqual((details.oauth_token.access_token, details.static_auth.custom_header, details["static_auth"]["basic"]["password"]), ("ya29.secret-at", "hdr-secret", "pw-secret"))
        plain = account.to_dict()
        self.assertEqual(plain["authorization_details"]["oauth_token"]["refresh_token"], "1//secret-rt")
        self.assertEqual(json.loads(json.dumps(account))["authorization_details"]["static_auth"]["api_key"], "sk_live_secret")
        self.assertEqual(
            repr(Record({"password": "p", "secret": "s", "client_secret": "c", "secret_key": "k", "api_key": None, "name": "n"})),
            "{'password': '***', 'secret': '***', 'client_secret': '***', 'secret_key': '***', 'api_key': None, 'name': 'n'}",
        )


class Statuses(unittest.TestCase):
    def test_a_status_is_its_name(self) -> None:
        status = ConnectedAccount({"status": "PENDING_AUTH"}).status
        self.assertIsInstance(status, ConnectedAccountStatus)
        self.assertEqual((status, str(status), f"{status}"), ("PENDING_AUTH", "PENDING_AUTH", "PENDING_AUTH"))
        self.assertEqual({status: 1}["PENDING_AUTH"], 1)
        self.assertNotEqual(status, "ACTIVE")
        self.assertTrue(status != "ACTIVE")

    def test_a_status_equals_the_legacy_name_of_older_guides(self) -> None:
        self.assertEqual(ConnectedAccountStatus("PENDING_AUTH"), "PENDING")
        self.assertEqual(ConnectedAccountStatus("DISCONNECTED"), "REVOKED")
        self.assertFalse(ConnectedAccountStatus("DISCONNECTED") != "REVOKED")
        self.assertNotEqual(ConnectedAccountStatus("EXPIRED"), "PENDING")
        self.assertNotEqual(ConnectedAccountStatus("ACTIVE"), "REVOKED")


class ErrorMapping(unittest.TestCase):
    def test_statuses_map_to_their_classes_with_code_message_details_and_request_id(self) -> None:
        cases = [
            (400, BadRequestError), (401, UnauthorizedError), (403, ForbiddenError), (404, NotFoundError),
            (409, ConflictError), (429, RateLimitedError), (500, ServerError), (503, ServiceUnavailableError), (418, AgentgateError),
        ]
        for status, cls in cases:
            with self.subTest(status=status):
                err = error(status, {"error": {"code": "some_code", "message": "Said the server.", "details": {"k": "v"}}})
                self.assertIs(type(err), cls)
                self.assertEqual((err.status, err.code, err.message, err.details, err.request_id), (status, "some_code", "Said the server.", {"k": "v"}, "req-1"))

    def test_a_body_that_is_not_the_gateway_shape_still_gives_a_typed_error(self) -> None:
        err = error_from_response(502, "Bad Gateway", {}, "<html>nginx</html>")
        self.assertIsInstance(err, ServerError)
        self.assertEqual((err.code, err.message, err.details, err.request_id), ("http_502", "Agentgate answered HTTP 502 Bad Gateway", {}, None))
        oauth = error(401, {"error": "invalid_client", "error_description": "Client authentication failed."})
        self.assertEqual((type(oauth), oauth.code, oauth.message), (UnauthorizedError, "invalid_client", "Client authentication failed."))

    def test_str_carries_the_message_code_status_and_request_id(self) -> None:
        err = error(404, {"error": {"code": "connected_account_not_found", "message": "No connected account."}})
        self.assertEqual(str(err), "No connected account. (connected_account_not_found, HTTP 404, request req-1)")
        limited = error(429, {"error": {"code": "rate_limited", "message": "Slow down."}}, {"retry-after": "7"})
        self.assertEqual(str(limited), "Slow down. (rate limited, rate_limited, HTTP 429, request req-1, retry after 7 s)")
        self.assertEqual(limited.retry_after, 7)

    def test_tool_errors_are_tool_errors_and_their_plain_class(self) -> None:
        def tool(status: int, kind: str, **extra: object) -> AgentgateError:
            wire = {"execution_id": "exec_9", "kind": kind, "upstream_status": status, "provider_code": "PERMISSION_DENIED", "message": "Nope.", **extra}
            return error(status, {"error": {"code": "tool_error", "message": "Nope.", "details": {"tier": "provider", "fix": "Do X.", "tool_error": wire}}})

        unauthorized = tool(401, "unauthorized")
        self.assertIsInstance(unauthorized, ToolUnauthorizedError)
        self.assertIsInstance(unauthorized, UnauthorizedError)
        self.assertIsInstance(unauthorized, ToolError)
        forbidden = tool(403, "forbidden", required_scopes=["a", "b"], missing_scopes=["a"])
        self.assertIsInstance(forbidden, ToolForbiddenError)
        self.assertIsInstance(forbidden, ForbiddenError)
        self.assertEqual((forbidden.required_scopes, forbidden.missing_scopes), (["a", "b"], ["a"]))
        limited = tool(429, "rate_limited", retry_after_seconds=30)
        self.assertIsInstance(limited, ToolRateLimitError)
        self.assertIsInstance(limited, RateLimitedError)
        self.assertEqual((limited.retry_after_seconds, limited.retry_after), (30, 30))
        self.assertIn("rate limited", str(limited))
        upstream = tool(502, "upstream_error")
        self.assertIs(type(upstream), ToolError)
        self.assertEqual(
            (upstream.execution_id, upstream.kind, upstream.tool_error_kind, upstream.tier, upstream.tool_error_code, upstream.tool_error_message, upstream.upstream_status, upstream.fix),
            ("exec_9", "upstream_error", "upstream_error", "provider", "PERMISSION_DENIED", "Nope.", 502, "Do X."),
        )
        self.assertEqual(str(upstream), "Nope. (tool_error, HTTP 502, request req-1, kind upstream_error, execution exec_9)")
        self.assertTrue(all(is_tool_error(e) for e in (unauthorized, forbidden, limited, upstream)))
        self.assertFalse(is_tool_error(error(401, {"error": {"code": "invalid_token", "message": "x"}})))

    def test_a_tool_error_without_details_derives_its_kind_from_the_status(self) -> None:
        err = error(404, {"error": {"code": "tool_error", "message": "Not there."}})
        self.assertEqual((type(err), err.kind, err.details["tool_error"], err.execution_id), (ToolError, "not_found", {}, ""))
        self.assertFalse(is_not_found_error(err))

    def test_account_not_active_carries_the_link_arguments(self) -> None:
        link = {"method": "POST", "path": "/api/v1/connected_accounts/magic_link", "body": {"connection_name": "gmail", "identifier": "u"}}
        err = error(409, {"error": {"code": "account_not_active", "message": "x", "details": {"connected_account_id": "ca_1", "status": "EXPIRED", "fix": "Send a link.", "authorization_link": link}}})
        self.assertIsInstance(err, AccountNotActiveError)
        self.assertIsInstance(err, ConflictError)
        self.assertEqual((err.connected_account_id, err.account_status, err.fix, err.authorization_link.body), ("ca_1", "EXPIRED", "Send a link.", {"connection_name": "gmail", "identifier": "u"}))


class Construction(unittest.TestCase):
    def test_the_env_url_is_normalized_and_checked(self) -> None:
        self.assertEqual(AgentgateClient("https://gw.example.com/base/", "cli", "sec").env_url, "https://gw.example.com/base")
        for bad in ("gw.example.com", "ftp://gw.example.com", "https://gw.example.com/?x=1", ""):
            with self.subTest(env_url=bad), self.assertRaises(ValueError):
                AgentgateClient(bad, "cli", "sec")

    def test_credentials_and_timeouts_are_checked_at_construction(self) -> None:
        with self.assertRaisesRegex(ValueError, "client_id is required"):
            AgentgateClient("http://localhost:8080", " ", "sec")
        with self.assertRaisesRegex(ValueError, "client_secret is required"):
            AgentgateClient("http://localhost:8080", "cli", "")
        for name, value in (("timeout", 0), ("timeout", float("inf")), ("tool_timeout", -1), ("retry_base", -1)):
            with self.subTest(option=name, value=value), self.assertRaisesRegex(ValueError, name):
                AgentgateClient("http://localhost:8080", "cli", "sec", **{name: value})

    def test_the_facade_is_also_reachable_as_connect(self) -> None:
        client = AgentgateClient("http://localhost:8080", "cli", "sec")
        self.assertIs(client.connect, client.actions)

    def test_arguments_are_checked_before_any_network_call(self) -> None:
        actions = AgentgateClient("http://127.0.0.1:9", "cli", "sec").actions
        with self.assertRaisesRegex(ValueError, "either connected_account_id or connection_name \\+ identifier is required"):
            actions.get_connected_account(connection_name="gmail")
        with self.assertRaisesRegex(ValueError, "tool_name is required"):
            actions.execute_tool(tool_input={}, identifier="u")
        with self.assertRaisesRegex(ValueError, "not both"):
            actions.execute_tool(tool_input={"a": 1}, params={"a": 2}, tool_name="t", identifier="u")
        with self.assertRaisesRegex(ValueError, "cannot have a body"):
            actions.request(connection_name="gmail", identifier="u", path="/x", body={"a": 1})

    def test_wrong_argument_types_raise_type_error_naming_the_argument(self) -> None:
        # Before any network call (port 9 refuses), and never silently dropped or sent half-encoded.
        actions = AgentgateClient("http://127.0.0.1:9", "cli", "sec").actions
        cases = [
            ("connection_name", lambda: actions.get_connected_account(connection_name=42, identifier="u")),
            ("connected_account_id", lambda: actions.get_connected_account_details(connected_account_id=7)),
            ("organization_id", lambda: actions.get_connected_account(connected_account_id="ca_1", organization_id=3)),
            ("identifier", lambda: actions.create_connected_account(connection_name="gmail", identifier=["u"])),
            ("authorization_details", lambda: actions.create_connected_account("gmail", "u", authorization_details="token")),
            ("api_config", lambda: actions.update_connected_account(connected_account_id="ca_1", api_config=[1])),
            ("page_size", lambda: actions.list_connected_accounts(page_size="10")),
            ("page_size", lambda: actions.list_connections(page_size=True)),
            ("connection_names", lambda: actions.list_connected_accounts(connection_names="gmail")),
            ("providers", lambda: actions.list_scoped_tools("u", providers="github")),
            ("query", lambda: actions.search_connected_accounts(query=123)),
            ("state", lambda: actions.get_authorization_link(connected_account_id="ca_1", state=5)),
            ("tool_input", lambda: actions.execute_tool(tool_input="hello", tool_name="t", identifier="u")),
            ("params", lambda: actions.execute_tool(params=[1], tool_name="t", identifier="u")),
            ("tool_name", lambda: actions.execute_tool(tool_input={}, tool_name=1, identifier="u")),
            ("execution_id", lambda: actions.get_tool_call_log(12)),
            ("auth_request_id", lambda: actions.verify_connected_account_user(auth_request_id=1, identifier="u")),
            ("method", lambda: actions.request("gmail", "u", "/x", method=1)),
            ("headers", lambda: actions.request("gmail", "u", "/x", headers=[("a", "b")])),
            ("raw_body", lambda: actions.request("gmail", "u", "/x", method="POST", raw_body=5)),
            ("form_data", lambda: actions.request("gmail", "u", "/x", method="POST", form_data="a=b")),
        ]
        for name, call in cases:
            with self.subTest(argument=name), self.assertRaisesRegex(TypeError, f"^{name} must be "):
                call()
        with self.assertRaisesRegex(ValueError, "query is required"):
            actions.search_connected_accounts(query="  ")
        with self.assertRaisesRegex(ValueError, "^timeout must be a finite number of seconds > 0"):
            actions.request("gmail", "u", "/x", timeout="5")

    def test_the_version_matches_pyproject(self) -> None:
        import os
        import re

        with open(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "pyproject.toml"), encoding="utf-8") as handle:
            declared = re.search(r'^version = "([^"]+)"', handle.read(), re.M)
        self.assertIsNotNone(declared)
        self.assertEqual(__version__, declared.group(1) if declared else None)
