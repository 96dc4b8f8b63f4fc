"""Connected accounts, authorization links and user verification against the live gateway."""

from __future__ import annotations

import json
import unittest
import urllib.parse

import _support as s
from agentgate import (
    AccountNotActiveError,
    BadRequestError,
    ConflictError,
    ConnectedAccount,
    ConnectedAccountPage,
    ForbiddenError,
    NotFoundError,
    is_not_found_error,
)

ACCOUNT_FIELDS = {
    "id", "identifier", "connection_name", "connection_id", "provider", "status", "authorization_type", "scopes",
    "token_expires_at", "api_config", "organization_id", "user_id", "created_at", "updated_at", "last_used_at",
}


@s.live
class ConnectedAccounts(unittest.TestCase):
    def setUp(self) -> None:
        self.client = s.new_client()
        self.actions = self.client.actions

    def static_account(self, identifier: str) -> ConnectedAccount:
        return self.actions.get_or_create_connected_account(
            connection_name=s.GMAIL, identifier=identifier, authorization_details={"oauth_token": {"access_token": s.GMAIL_TOKEN}}
        )

    def test_get_or_create_makes_a_pending_account_once_then_returns_it(self) -> None:
        identifier = s.unique("alice")
        first = self.actions.get_or_create_connected_account(connection_name=s.GMAIL, identifier=identifier)
        self.assertIsInstance(first, ConnectedAccount)
        self.assertRegex(first.id, r"^ca_")
        self.assertEqual(
            (first.status, first.identifier, first.connection_name, first.provider, first.authorization_type, first.scopes, first.token_expires_at),
            ("PENDING_AUTH", identifier, s.GMAIL, "gmail", "OAUTH", [], None),
        )
        self.assertTrue(ACCOUNT_FIELDS <= set(first.keys()), set(first.keys()))
        again = self.actions.get_or_create_connected_account(connection_name=s.GMAIL, identifier=identifier)
        self.assertEqual(again.id, first.id)
        json.dumps(again.to_dict())

    def test_get_or_create_with_credentials_applies_them_to_the_existing_account(self) -> None:
        identifier = s.unique("bob")
        pending = self.actions.get_or_create_connected_account(connection_name=s.GMAIL, identifier=identifier)
        active = self.static_account(identifier)
        self.assertEqual((active.id, active.status), (pending.id, "ACTIVE"))
        self.assertEqual(self.actions.upsert_connected_account(connection_name=s.GMAIL, identifier=identifier).id, pending.id)

    def test_create_twice_is_a_conflict(self) -> None:
        identifier = s.unique("carol")
        created = self.actions.create_connected_account(s.GMAIL, identifier, {"oauth_token": {"access_token": s.GMAIL_TOKEN, "scopes": [s.GMAIL_READONLY]}})
        self.assertEqual((created.status, created.scopes), ("ACTIVE", [s.GMAIL_READONLY]))
        with self.assertRaises(ConflictError) as caught:
            self.actions.create_connected_account(s.GMAIL, identifier)
        self.assertEqual((caught.exception.status, caught.exception.code), (409, "already_exists"))

    def test_an_unknown_account_is_a_typed_not_found_with_the_request_id(self) -> None:
        with self.assertRaises(NotFoundError) as caught:
            self.actions.get_connected_account(connection_name=s.GMAIL, identifier=s.unique("nobody"))
        error = caught.exception
        self.assertEqual((error.status, error.code), (404, "connected_account_not_found"))
        self.assertTrue(is_not_found_error(error))
        self.assertTrue(error.request_id)
        with self.assertRaises(NotFoundError):
            self.actions.get_connected_account(connected_account_id="ca_doesnotexist")

    def test_get_returns_redacted_credentials_and_details_none(self) -> None:
        identifier = s.unique("dave")
        account_id = self.static_account(identifier).id
        account = self.actions.get_connected_account(connected_account_id=account_id)
        self.assertEqual(account.authorization_details.redacted, "token_access_disabled")
        self.assertNotIn(s.GMAIL_TOKEN, json.dumps(account))
        details = self.actions.get_connected_account_details(connection_name=s.GMAIL, identifier=identifier)
        self.assertEqual((details.id, details.authorization_details), (account_id, None))
        self.assertNotIn("authorization_details", details)

    def test_update_sets_api_config(self) -> None:
        identifier = s.unique("erin")
        self.static_account(identifier)
        updated = self.actions.update_connected_account(connection_name=s.GMAIL, identifier=identifier, api_config={"region": "eu", "Keep_Case": 1})
        self.assertEqual(updated.api_config.to_dict(), {"region": "eu", "Keep_Case": 1})

    def test_list_filters_and_pages(self) -> None:
        identifier = s.unique("frank")
        first = self.static_account(identifier)
        page = self.actions.list_connected_accounts(connection_name=s.GMAIL, identifier=identifier)
        self.assertIsInstance(page, ConnectedAccountPage)
        self.assertEqual(([a.id for a in page.connected_accounts], page.total_size, page.next_page_token), ([first.id], 1, ""))
        self.assertIsInstance(page.connected_accounts[0], ConnectedAccount)
        self.assertNotIn("authorization_details", page.connected_accounts[0])
        self.assertEqual(self.actions.list_connected_accounts(identifier=identifier, status="PENDING_AUTH").connected_accounts, [])
        one = self.actions.list_connected_accounts(connection_names=[s.GMAIL], page_size=1)
        self.assertEqual(len(one.connected_accounts), 1)
        self.assertTrue(one.next_page_token)
        following = self.actions.list_connected_accounts(connection_names=[s.GMAIL], page_size=1, page_token=one.next_page_token)
        self.assertNotEqual(following.connected_accounts[0].id, one.connected_accounts[0].id)
        found = self.actions.search_connected_accounts(query=identifier)
        self.assertEqual([a.id for a in found.connected_accounts], [first.id])

    def test_an_invalid_filter_is_a_validation_error_naming_the_field(self) -> None:
        with self.assertRaises(BadRequestError) as caught:
            self.actions.list_connected_accounts(page_size=0)
        error = caught.exception
        self.assertEqual((error.status, error.code), (400, "validation_failed"))
        self.assertEqual([issue.path for issue in error.issues], ["query.page_size"])
        self.assertTrue(error.issues[0].message)
        with self.assertRaises(BadRequestError) as short:
            self.actions.search_connected_accounts(query="ab")
        self.assertEqual([issue.path for issue in short.exception.issues], ["query.query"])

    def test_delete_then_not_found(self) -> None:
        identifier = s.unique("gina")
        account_id = self.static_account(identifier).id
        self.assertIsNone(self.actions.delete_connected_account(connection_name=s.GMAIL, identifier=identifier))
        with self.assertRaises(NotFoundError):
            self.actions.get_connected_account(connected_account_id=account_id)
        with self.assertRaises(NotFoundError):
            self.actions.delete_connected_account(connected_account_id=account_id)

    def test_a_disconnected_account_refuses_tools_with_the_link_to_send(self) -> None:
        identifier = s.unique("hank")
        self.static_account(identifier)
        disconnected = self.actions.disconnect_connected_account(connection_name=s.GMAIL, identifier=identifier)
        self.assertEqual((disconnected.status, disconnected.status == "REVOKED"), ("DISCONNECTED", True))
        with self.assertRaises(AccountNotActiveError) as caught:
            self.actions.execute_tool(tool_name="gmail_get_profile", tool_input={}, connection_name=s.GMAIL, identifier=identifier)
        error = caught.exception
        self.assertEqual((error.status, error.account_status, error.connected_account_id), (409, "DISCONNECTED", disconnected.id))
        self.assertTrue(error.fix)
        link = self.actions.get_authorization_link(**error.authorization_link.body)
        self.assertTrue(link.link.startswith(f"{s.URL}/connect/link/"))
        self.assertEqual(link.connected_account_id, disconnected.id)

    def test_authorization_link_by_account_id_with_state(self) -> None:
        account = self.actions.get_or_create_connected_account(connection_name=s.GMAIL, identifier=s.unique("ivy"))
        link = self.actions.get_authorization_link(connected_account_id=account.id, state="session-42")
        self.assertTrue(link.link.startswith(f"{s.URL}/connect/link/"))
        self.assertRegex(link.expiry, r"^\d{4}-\d\d-\d\dT")
        with self.assertRaises(ValueError):
            self.actions.get_authorization_link(identifier="only-an-identifier")

    def test_refresh_by_id_renews_the_tokens(self) -> None:
        identifier = s.unique("jack")
        account = s.connect(self.client, identifier)
        grants = s.control.refresh_grants()
        refreshed = self.actions.refresh_connected_account(connected_account_id=account.id)
        self.assertEqual((refreshed.id, refreshed.status), (account.id, "ACTIVE"))
        self.assertEqual(s.control.refresh_grants(), grants + 1)

    def test_refreshing_an_account_without_a_refresh_token_is_a_conflict(self) -> None:
        identifier = s.unique("kate")
        self.static_account(identifier)
        with self.assertRaises(ConflictError) as caught:
            self.actions.refresh_connected_account(identifier=identifier, connection_name=s.GMAIL)
        self.assertIn(caught.exception.code, ("account_not_refreshable", "token_refresh_rejected"))


@s.live
class UserVerification(unittest.TestCase):
    """The hosted flow with user verification on: the developer's server confirms the user."""

    def setUp(self) -> None:
        self.client = s.new_client()
        s.control.settings(user_verification="custom")
        self.addCleanup(s.control.settings, user_verification="none")

    def authorize(self, identifier: str) -> str:
        """The user authorizes through a link with a user_verify_url; the auth_request_id the browser brings back."""
        verify_url = f"{s.CONTROL_URL}/verify"
        link = self.client.actions.get_authorization_link(connection_name=s.GMAIL, identifier=identifier, user_verify_url=verify_url, state="st-1")
        answer = s.control.flow(link.link)
        self.assertEqual(answer["status"], 303, answer)
        self.assertTrue(answer["location"].startswith(f"{verify_url}?"), answer)
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(answer["location"]).query)
        self.assertEqual(query["state"], ["st-1"])
        self.assertEqual(self.status(identifier), "PENDING_VERIFICATION")
        return query["auth_request_id"][0]

    def status(self, identifier: str) -> str:
        return str(self.client.actions.get_connected_account(connection_name=s.GMAIL, identifier=identifier).status)

    def test_the_matching_identifier_activates_the_account_once(self) -> None:
        identifier = s.unique("verified")
        auth_request_id = self.authorize(identifier)
        verified = self.client.actions.verify_connected_account_user(auth_request_id=auth_request_id, identifier=identifier)
        self.assertTrue(verified.post_user_verify_redirect_url.startswith("http"), verified)
        self.assertEqual(self.status(identifier), "ACTIVE")
        with self.assertRaises(NotFoundError) as reused:
            self.client.actions.verify_connected_account_user(auth_request_id=auth_request_id, identifier=identifier)
        self.assertEqual(reused.exception.code, "auth_request_not_found")

    def test_another_identifier_is_refused_and_nothing_is_connected(self) -> None:
        identifier = s.unique("verified")
        auth_request_id = self.authorize(identifier)
        with self.assertRaises(ForbiddenError) as mismatch:
            self.client.actions.verify_connected_account_user(auth_request_id=auth_request_id, identifier="someone-else")
        self.assertEqual((mismatch.exception.status, mismatch.exception.code), (403, "verification_identifier_mismatch"))
        self.assertNotEqual(self.status(identifier), "ACTIVE")
        # The auth request is used up: the right identifier cannot complete it afterwards either.
        with self.assertRaises(NotFoundError):
            self.client.actions.verify_connected_account_user(auth_request_id=auth_request_id, identifier=identifier)
