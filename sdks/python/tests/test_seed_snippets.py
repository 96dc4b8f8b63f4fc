"""The seeds' Python snippets (seed_snippets/README.md) run unchanged against the live gateway.

Each snippet runs in its own Python process with one line prepended, the one that constructs the
client, and every test puts the account ``user_123`` of the ``gmail`` connection into the state
the snippet's section of the page is about before running it.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import os
import re
import subprocess
import sys
import unittest
from typing import Dict, List, Sequence, Tuple

import _support as s
from agentgate import ConflictError

HERE = os.path.dirname(os.path.abspath(__file__))
SNIPPET_DIR = os.path.join(HERE, "seed_snippets")
SDK_DIR = os.path.dirname(HERE)
SEEDS = {"003": "003_692881f73fdfa504.txt", "004": "004_83ae3fbb12a6238d.txt"}
#: sha256 of the seed copies, so an edit to a copy (not only to a snippet) is noticed too.
SEED_SHA256 = {
    "003_692881f73fdfa504.txt": "eca37e46941a9525e4be0de8978edf884b1fc1f6dc0ee9c0380ff3ab4f8bbf9b",
    "004_83ae3fbb12a6238d.txt": "8c8cb94fc757d6263b2386871169aeb3a7de303ae6d5e8ca5ce097e45f32d8fb",
}
#: snippet file -> (seed, first line, last line) of its code block in the seed (1-based, inclusive).
SNIPPETS: Dict[str, Tuple[str, int, int]] = {
    "003_status_check.py": ("003", 15, 20),
    "003_pending_auth_link.py": ("003", 34, 39),
    "003_expired_manual_refresh.py": ("003", 53, 65),
    "003_auth_error_checklist.py": ("003", 119, 132),
    "004_quick_status_check.py": ("004", 11, 25),
    "004_quick_tool_check.py": ("004", 29, 39),
    "004_pending_link.py": ("004", 55, 65),
    "004_manual_refresh.py": ("004", 79, 91),
    "004_reauthorization_link.py": ("004", 95, 101),
    "004_revoked_link.py": ("004", 109, 124),
    "004_debugging_steps.py": ("004", 245, 272),
    "004_scope_check.py": ("004", 284, 297),
    "004_retry_with_backoff.py": ("004", 353, 383),
}
#: The one line each seed's snippets get in front: the client construction the pages leave out.
CLIENT_LINE = {
    "003": 'import os; from agentgate import AgentgateClient; scalekit_client = AgentgateClient(os.environ["AGENTGATE_URL"], os.environ["AGENTGATE_CLIENT_ID"], os.environ["AGENTGATE_CLIENT_SECRET"])',
    "004": 'import os; from agentgate import AgentgateClient; actions = AgentgateClient(os.environ["AGENTGATE_URL"], os.environ["AGENTGATE_CLIENT_ID"], os.environ["AGENTGATE_CLIENT_SECRET"]).actions',
}
USER = "user_123"


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def run_snippets(names: Sequence[str], timeout: float = 120) -> "subprocess.CompletedProcess[str]":
    """Runs the snippets, in order, as one script after the client line of their seed."""
    seeds = {SNIPPETS[name][0] for name in names}
    assert len(seeds) == 1, f"snippets of one seed at a time: {names}"
    script = "\n".join([CLIENT_LINE[seeds.pop()], *(_read(os.path.join(SNIPPET_DIR, name)) for name in names)])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([SDK_DIR, os.environ.get("PYTHONPATH", "")]), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, encoding="utf-8", env=env, timeout=timeout)


def lines_of(names: Sequence[str]) -> List[str]:
    """The snippets' printed lines; fails with their stderr when they did not exit 0."""
    done = run_snippets(names)
    if done.returncode != 0:
        raise AssertionError(f"{' + '.join(names)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done.stdout.splitlines()


LINK = re.compile(r"(https?://\S+/connect/link/[A-Za-z0-9_-]+)")


def link_in(text: str) -> str:
    found = LINK.search(text)
    assert found is not None and found.group(1).startswith(f"{s.URL}/connect/link/"), f"no authorization link of {s.URL} in {text!r}"
    return found.group(1)


class SnippetsAreTheSeeds(unittest.TestCase):
    """The snippet files are the seeds' code blocks (no network)."""

    def test_every_snippet_is_its_seed_block_with_only_indentation_restored(self) -> None:
        for name, (seed, first, last) in SNIPPETS.items():
            with self.subTest(snippet=name):
                seed_lines = _read(os.path.join(SNIPPET_DIR, SEEDS[seed])).split("\n")[first - 1 : last]
                snippet_lines = _read(os.path.join(SNIPPET_DIR, name)).rstrip("\n").split("\n")
                self.assertEqual([line.lstrip() for line in snippet_lines], [line.lstrip() for line in seed_lines])
                ast.parse("\n".join(snippet_lines))

    def test_every_snippet_file_is_listed(self) -> None:
        files = {name for name in os.listdir(SNIPPET_DIR) if name.endswith(".py")}
        self.assertEqual(files, set(SNIPPETS))

    def test_the_seed_copies_are_unchanged(self) -> None:
        for name in SEEDS.values():
            with self.subTest(seed=name):
                copy = _read(os.path.join(SNIPPET_DIR, name))
                self.assertEqual(hashlib.sha256(copy.encode("utf-8")).hexdigest(), SEED_SHA256[name])
                original = os.path.join("/work/shared/seeds", name)
                if os.path.exists(original):  # only where the seeds are (not in CI)
                    self.assertEqual(copy, _read(original))


@s.live
class Seed003TroubleshootConnectionErrors(unittest.TestCase):
    """Seed 003, "Troubleshoot connection errors"."""

    def setUp(self) -> None:
        self.client = s.new_client()
        s.reset(self.client, USER)

    def test_status_check_then_link_for_a_pending_account_which_the_user_completes(self) -> None:
        self.client.actions.get_or_create_connected_account(connection_name=s.GMAIL, identifier=USER)
        out = lines_of(["003_status_check.py", "003_pending_auth_link.py"])
        self.assertEqual(out[:2], ["PENDING_AUTH", "[]"])
        self.assertEqual(len(out), 3, out)
        link = link_in(out[2])
        # "Status changes to ACTIVE after the user completes OAuth"
        answer = s.control.flow(link)
        self.assertEqual(answer["status"], 303, answer)
        self.assertEqual(lines_of(["003_status_check.py"]), ["ACTIVE", str(["openid", "offline_access", s.GMAIL_READONLY])])

    def test_manual_refresh_brings_an_expired_account_back_to_active(self) -> None:
        s.connect(self.client, USER)
        s.expire(self.client, USER)
        grants = s.control.refresh_grants()
        out = lines_of(["003_status_check.py", "003_expired_manual_refresh.py"])
        # EXPIRED before; the refresh succeeded, so no link is printed.
        self.assertEqual(out, ["EXPIRED", str(["openid", "offline_access", s.GMAIL_READONLY])])
        self.assertEqual(s.control.refresh_grants(), grants + 1)
        self.assertEqual(self.client.actions.get_connected_account(connection_name=s.GMAIL, identifier=USER).status, "ACTIVE")

    def test_manual_refresh_the_provider_refuses_prints_the_typed_error(self) -> None:
        s.connect(self.client, USER)
        s.control.fail_next_token(400, s.INVALID_GRANT)
        out = lines_of(["003_expired_manual_refresh.py"])
        self.assertEqual(len(out), 1, out)
        self.assertIn("EXPIRED", out[0])
        self.assertIn("(token_refresh_rejected, HTTP 409", out[0])
        self.assertEqual(self.client.actions.get_connected_account(connection_name=s.GMAIL, identifier=USER).status, "EXPIRED")

    def test_auth_error_checklist_refreshes_and_runs_the_read_only_tool(self) -> None:
        s.connect(self.client, USER)
        grants, seen = s.control.refresh_grants(), len(s.control.requests())
        out = lines_of(["003_auth_error_checklist.py"])
        self.assertEqual(len(out), 1, out)
        self.assertEqual(ast.literal_eval(out[0]), s.PROFILE)
        self.assertEqual(s.control.refresh_grants(), grants + 1)
        calls = s.gmail_requests_since(seen)
        self.assertEqual([(c["method"], c["path"]) for c in calls], [("GET", "/gmail/v1/users/me/profile")])


@s.live
class Seed004AuthenticationTroubleshooting(unittest.TestCase):
    """Seed 004, "Authentication Troubleshooting"."""

    def setUp(self) -> None:
        self.client = s.new_client()
        self.addCleanup(s.control.clear)
        s.reset(self.client, USER)

    def test_quick_checks_on_an_active_account(self) -> None:
        account = s.connect(self.client, USER)
        out = lines_of(["004_quick_status_check.py", "004_quick_tool_check.py"])
        self.assertEqual(out[:4], ["Status: ACTIVE", "Provider: gmail", f"Created: {account.created_at}", f"Updated: {account.updated_at}"])
        self.assertEqual(len(out), 5, out)
        self.assertTrue(out[4].startswith("✓ Connection working: ExecuteToolResult(data="), out[4])
        self.assertIn(repr(s.PROFILE), out[4])
        self.assertRegex(out[4], r"execution_id='exec_[0-9a-z]+'\)$")

    def test_quick_tool_check_on_a_pending_account_names_the_cause(self) -> None:
        self.client.actions.get_or_create_connected_account(connection_name=s.GMAIL, identifier=USER)
        out = lines_of(["004_quick_tool_check.py"])
        self.assertEqual(len(out), 1, out)
        self.assertTrue(out[0].startswith("✗ Connection failed: "), out[0])
        self.assertIn("account_not_active", out[0])

    def test_pending_account_gets_a_link_through_the_legacy_status_name(self) -> None:
        self.client.actions.get_or_create_connected_account(connection_name=s.GMAIL, identifier=USER)
        out = lines_of(["004_quick_status_check.py", "004_pending_link.py"])
        self.assertEqual(out[0], "Status: PENDING_AUTH")
        self.assertEqual(len(out), 5, out)
        self.assertTrue(out[4].startswith("Send this link to user: "), out[4])
        self.assertEqual(s.control.flow(link_in(out[4]))["status"], 303)
        self.assertEqual(self.client.actions.get_connected_account(connection_name=s.GMAIL, identifier=USER).status, "ACTIVE")

    def test_manual_refresh_of_an_expired_account_then_a_reauthorization_link(self) -> None:
        s.connect(self.client, USER)
        s.expire(self.client, USER)
        out = lines_of(["004_manual_refresh.py", "004_reauthorization_link.py"])
        self.assertEqual(out[0], "✓ Refresh successful")
        self.assertEqual(len(out), 2, out)
        self.assertTrue(out[1].startswith("Please re-authorize: "), out[1])
        link_in(out[1])

    def test_manual_refresh_the_provider_refuses_prints_the_error(self) -> None:
        s.connect(self.client, USER)
        s.control.fail_next_token(400, s.INVALID_GRANT)
        out = lines_of(["004_manual_refresh.py"])
        self.assertEqual(len(out), 1, out)
        self.assertTrue(out[0].startswith("✗ Refresh error: "), out[0])
        self.assertIn("token_refresh_rejected", out[0])

    def test_disconnected_account_gets_the_revoked_message_and_can_reconnect(self) -> None:
        s.connect(self.client, USER)
        self.client.actions.disconnect_connected_account(connection_name=s.GMAIL, identifier=USER)
        done = run_snippets(["004_quick_status_check.py", "004_revoked_link.py"])
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertTrue(done.stdout.startswith("Status: DISCONNECTED\n"), done.stdout)
        self.assertIn("\nYour Gmail connection was disconnected.\nThis may have happened if you:\n", done.stdout)
        self.assertIn("\nPlease reconnect: ", done.stdout)
        self.assertEqual(s.control.flow(link_in(done.stdout.split("Please reconnect: ")[1]))["status"], 303)
        self.assertEqual(self.client.actions.get_connected_account(connection_name=s.GMAIL, identifier=USER).status, "ACTIVE")

    def test_debugging_steps_on_an_active_account(self) -> None:
        s.connect(self.client, USER)
        out = lines_of(["004_debugging_steps.py"])
        self.assertEqual(
            out,
            [
                "Status: ACTIVE",
                "✓ Token refresh successful",
                f"Granted scopes: {['openid', 'offline_access', s.GMAIL_READONLY]}",
                "✓ Read operation successful",
            ],
        )

    def test_debugging_steps_on_a_revoked_grant_report_each_failure(self) -> None:
        s.connect(self.client, USER)
        s.control.fail_next_token(400, s.INVALID_GRANT)
        out = lines_of(["004_debugging_steps.py"])
        self.assertEqual(len(out), 4, out)
        self.assertEqual(out[0], "Status: ACTIVE")
        self.assertTrue(out[1].startswith("✗ Token refresh failed: ") and "token_refresh_rejected" in out[1], out[1])
        # The failed refresh left `account` as read in step 1, so its scopes are still printed.
        self.assertEqual(out[2], f"Granted scopes: {['openid', 'offline_access', s.GMAIL_READONLY]}")
        self.assertTrue(out[3].startswith("✗ Read operation failed: ") and "account_not_active" in out[3], out[3])

    def test_scope_check_finds_the_send_scope_missing(self) -> None:
        s.connect(self.client, USER)
        out = lines_of(["004_scope_check.py"])
        self.assertEqual(out[0], "⚠ Missing required scope: https://www.googleapis.com/auth/gmail.send")
        self.assertEqual(len(out), 2, out)
        self.assertTrue(out[1].startswith("User must re-authorize with additional permissions: "), out[1])
        link_in(out[1])

    def test_retry_with_backoff_retries_a_rate_limited_send_once(self) -> None:
        s.connect(self.client, USER)
        seen = len(s.control.requests())
        # Longer than the gateway waits out itself, so the 429 reaches the caller.
        s.control.enqueue(RATE_LIMITED)
        out = lines_of(["004_retry_with_backoff.py"])
        self.assertEqual(out, ["Rate limited, retrying in 1s..."])
        sends = s.gmail_requests_since(seen)
        self.assertEqual([(c["method"], c["path"]) for c in sends], [("POST", "/gmail/v1/users/me/messages/send")] * 2)
        message = base64.urlsafe_b64decode(sends[1]["body"]["raw"] + "==").decode("utf-8")
        self.assertIn("To: user@example.com\r\n", message)
        self.assertIn("Subject: Test\r\n", message)

    def test_retry_with_backoff_gives_up_after_three_rate_limits_with_the_typed_error(self) -> None:
        s.connect(self.client, USER)
        seen = len(s.control.requests())
        s.control.enqueue(RATE_LIMITED, RATE_LIMITED, RATE_LIMITED)
        done = run_snippets(["004_retry_with_backoff.py"])
        self.assertEqual(done.returncode, 1, done.stdout)
        self.assertEqual(done.stdout.splitlines(), ["Rate limited, retrying in 1s...", "Rate limited, retrying in 2s..."])
        self.assertIn("agentgate.tool_errors.ToolRateLimitError: ", done.stderr)
        self.assertEqual(len(s.gmail_requests_since(seen)), 3)


#: Gmail's 429, in Google's error shape, with a Retry-After longer than the gateway waits itself.
RATE_LIMITED = {
    "status": 429,
    "headers": {"retry-after": "120"},
    "json": {"error": {"code": 429, "message": "Resource has been exhausted (e.g. check quota).", "status": "RESOURCE_EXHAUSTED"}},
}
