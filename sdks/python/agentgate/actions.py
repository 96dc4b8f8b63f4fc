"""``client.actions``: the documented entry point — connected accounts, authorization links, user
verification, token refresh, tools and the API proxy. Mirrors ``packages/sdk/src/actions.ts`` with
the reference product's Python names and keyword arguments.

Methods that name one account take ``connected_account_id``, or ``connection_name`` +
``identifier`` (optionally narrowed by ``organization_id`` / ``user_id``). Account methods return
the account itself (a :class:`~agentgate.models.ConnectedAccount`), so ``account.status`` works
directly.
"""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional, Sequence, Union

from ._params import drop_none, optional, optional_int, plain_mapping, positive_seconds, ref_query, required, segment, string_list
from ._proxy import ProxyResponse, proxy_request
from ._transport import QueryValue, Transport
from .errors import is_not_found_error
from .models import (
    AuthorizationLink,
    ConnectedAccount,
    ConnectedAccountPage,
    ExecuteToolResult,
    Record,
    UserVerification,
    account_of,
)

_ACCOUNTS = "/api/v1/connected_accounts"


class ActionsClient:
    """The facade over the gateway. Built by :class:`~agentgate.AgentgateClient`; use ``client.actions``.

    Example::

        account = client.actions.get_or_create_connected_account(connection_name="gmail", identifier="user_42")
        if account.status != "ACTIVE":
            print("authorize at", client.actions.get_authorization_link(connected_account_id=account.id).link)
        result = client.actions.execute_tool(tool_name="gmail_fetch_mails", tool_input={"max_results": 5}, connected_account_id=account.id)
        print(result.data)
    """

    def __init__(self, transport: Transport, tool_timeout: float) -> None:
        self._transport = transport
        self._tool_timeout = tool_timeout

    # ------------------------------------------------------------------ connected accounts

    def get_connected_account(
        self,
        connection_name: Optional[str] = None,
        identifier: Optional[str] = None,
        connected_account_id: Optional[str] = None,
        organization_id: Optional[str] = None,
        user_id: Optional[str] = None,
    ) -> ConnectedAccount:
        """Reads an account with ``authorization_details`` (the gateway's ``auth`` call; the tokens are
        redacted unless the environment allows token retrieval). ``NotFoundError`` when missing."""
        query = ref_query(connection_name, identifier, connected_account_id, organization_id, user_id)
        return account_of(self._transport.json("GET", f"{_ACCOUNTS}/auth", query=query))

    def get_connected_account_details(
        self,
        connection_name: Optional[str] = None,
        identifier: Optional[str] = None,
        connected_account_id: Optional[str] = None,
        organization_id: Optional[str] = None,
        user_id: Optional[str] = None,
    ) -> ConnectedAccount:
        """Reads an account without credentials."""
        query = ref_query(connection_name, identifier, connected_account_id, organization_id, user_id)
        return account_of(self._transport.json("GET", f"{_ACCOUNTS}/details", query=query))

    def create_connected_account(
        self,
        connection_name: str,
        identifier: str,
        authorization_details: Optional[Mapping[str, Any]] = None,
        organization_id: Optional[str] = None,
        user_id: Optional[str] = None,
        api_config: Optional[Mapping[str, Any]] = None,
    ) -> ConnectedAccount:
        """Creates an account (``PENDING_AUTH`` without credentials); ``ConflictError``
        ``already_exists`` when one exists for the same keys. ``authorization_details`` is
        ``{"oauth_token": {...}}`` or ``{"static_auth": {<the connector's fields>}}``."""
        body = drop_none(
            {
                "connection_name": required(connection_name, "connection_name"),
                "identifier": required(identifier, "identifier"),
                "organization_id": optional(organization_id, "organization_id"),
                "user_id": optional(user_id, "user_id"),
                "authorization_details": plain_mapping(authorization_details, "authorization_details"),
                "api_config": plain_mapping(api_config, "api_config"),
            }
        )
        return account_of(self._transport.json("POST", _ACCOUNTS, json_body=body))

    def update_connected_account(
        self,
        connection_name: Optional[str] = None,
        identifier: Optional[str] = None,
        authorization_details: Optional[Mapping[str, Any]] = None,
        organization_id: Optional[str] = None,
        user_id: Optional[str] = None,
        connected_account_id: Optional[str] = None,
        api_config: Optional[Mapping[str, Any]] = None,
    ) -> ConnectedAccount:
        """Updates credentials (applied whatever the status; the account becomes ``ACTIVE``) and/or ``api_config``."""
        changes = {"authorization_details": plain_mapping(authorization_details, "authorization_details"), "api_config": plain_mapping(api_config, "api_config")}
        body = self._ref_body(connection_name, identifier, connected_account_id, organization_id, user_id)
        body.update(drop_none(changes))
        return account_of(self._transport.json("PUT", _ACCOUNTS, json_body=body))

    def get_or_create_connected_account(
        self,
        connection_name: str,
        identifier: str,
        authorization_details: Optional[Mapping[str, Any]] = None,
        organization_id: Optional[str] = None,
        user_id: Optional[str] = None,
        api_config: Optional[Mapping[str, Any]] = None,
    ) -> ConnectedAccount:
        """Returns the account, creating it if missing (``PENDING_AUTH`` when no credentials are
        given). Given credentials are applied to an existing account whatever its status: a true
        upsert, as in the TypeScript SDK."""
        connection_name = required(connection_name, "connection_name")
        identifier = required(identifier, "identifier")
        try:
            existing = self.get_connected_account(connection_name, identifier, None, organization_id, user_id)
        except Exception as error:
            if not is_not_found_error(error):
                raise
            # An empty OAuth token makes the account exist (PENDING_AUTH) before the user authorizes.
            return self.create_connected_account(
                connection_name, identifier, authorization_details or {"oauth_token": {}}, organization_id, user_id, api_config
            )
        if authorization_details is None:
            return existing
        # By id: the update body cannot carry organization/user, and the id is exactly the account found.
        return self.update_connected_account(
            authorization_details=authorization_details, connected_account_id=existing.id, api_config=api_config
        )

    upsert_connected_account = get_or_create_connected_account

    def list_connected_accounts(
        self,
        connection_name: Optional[str] = None,
        identifier: Optional[str] = None,
        provider: Optional[str] = None,
        *,
        connection_names: Optional[Sequence[str]] = None,
        status: Optional[str] = None,
        query: Optional[str] = None,
        organization_id: Optional[str] = None,
        user_id: Optional[str] = None,
        page_size: Optional[int] = None,
        page_token: Optional[str] = None,
    ) -> ConnectedAccountPage:
        """Lists accounts, oldest first (never with credentials)."""
        params: Dict[str, QueryValue] = {
            "connection_name": optional(connection_name, "connection_name"),
            "connection_names": string_list(connection_names, "connection_names"),
            "identifier": optional(identifier, "identifier"),
            "provider": optional(provider, "provider"),
            "status": optional(status, "status"),
            "query": optional(query, "query"),
            "organization_id": optional(organization_id, "organization_id"),
            "user_id": optional(user_id, "user_id"),
            "page_size": optional_int(page_size, "page_size"),
            "page_token": optional(page_token, "page_token"),
        }
        return ConnectedAccountPage(self._transport.json("GET", _ACCOUNTS, query=params))

    def search_connected_accounts(
        self, query: str, connection_name: Optional[str] = None, page_size: Optional[int] = None, page_token: Optional[str] = None
    ) -> ConnectedAccountPage:
        """Searches accounts by text (at least 3 characters over identifier, connection name, provider)."""
        params: Dict[str, QueryValue] = {
            "query": required(query, "query"),
            "connection_name": optional(connection_name, "connection_name"),
            "page_size": optional_int(page_size, "page_size"),
            "page_token": optional(page_token, "page_token"),
        }
        return ConnectedAccountPage(self._transport.json("GET", f"{_ACCOUNTS}:search", query=params))

    def delete_connected_account(
        self,
        connection_name: Optional[str] = None,
        identifier: Optional[str] = None,
        connected_account_id: Optional[str] = None,
        organization_id: Optional[str] = None,
        user_id: Optional[str] = None,
    ) -> None:
        """Deletes an account for good, erasing its credentials (and revoking the grant at the provider)."""
        body = self._ref_body(connection_name, identifier, connected_account_id, organization_id, user_id)
        self._transport.json("POST", f"{_ACCOUNTS}:delete", json_body=body)

    def disconnect_connected_account(
        self,
        connection_name: Optional[str] = None,
        identifier: Optional[str] = None,
        connected_account_id: Optional[str] = None,
        organization_id: Optional[str] = None,
        user_id: Optional[str] = None,
    ) -> ConnectedAccount:
        """Marks an account ``DISCONNECTED`` and erases its credentials, keeping the record."""
        account_id = self._account_id(connection_name, identifier, connected_account_id, organization_id, user_id)
        return account_of(self._transport.json("POST", f"{_ACCOUNTS}/{segment(account_id)}:disconnect"))

    def refresh_connected_account(
        self,
        identifier: Optional[str] = None,
        connection_name: Optional[str] = None,
        connected_account_id: Optional[str] = None,
        organization_id: Optional[str] = None,
        user_id: Optional[str] = None,
    ) -> ConnectedAccount:
        """Refreshes the account's OAuth token now. ``ConflictError`` ``token_refresh_rejected`` when
        the provider refused (the account is then ``EXPIRED``); a transient provider failure
        (``503 token_refresh_unavailable``) is retried after its ``Retry-After``."""
        account_id = self._account_id(connection_name, identifier, connected_account_id, organization_id, user_id)
        return account_of(self._transport.json("POST", f"{_ACCOUNTS}/{segment(account_id)}:refresh"))

    # ------------------------------------------------------------------ authorization

    def get_authorization_link(
        self,
        identifier: Optional[str] = None,
        connection_name: Optional[str] = None,
        connected_account_id: Optional[str] = None,
        state: Optional[str] = None,
        user_verify_url: Optional[str] = None,
        organization_id: Optional[str] = None,
        user_id: Optional[str] = None,
    ) -> AuthorizationLink:
        """Creates a one-time link where the end user authorizes (OAuth) or enters credentials; the
        account is created in ``PENDING_AUTH`` when missing. ``link.link`` is the URL to send."""
        body: Dict[str, Any] = ref_query(connection_name, identifier, connected_account_id, organization_id, user_id)
        body.update(drop_none({"state": optional(state, "state"), "user_verify_url": optional(user_verify_url, "user_verify_url")}))
        return AuthorizationLink(self._transport.json("POST", f"{_ACCOUNTS}/magic_link", json_body=body))

    def verify_connected_account_user(self, auth_request_id: str, identifier: str) -> UserVerification:
        """Confirms, from your ``user_verify_url`` handler, that the user who authorized is
        ``identifier``; redirect the browser to ``post_user_verify_redirect_url``.
        ``ForbiddenError`` ``verification_identifier_mismatch`` on a mismatch, ``NotFoundError``
        ``auth_request_not_found`` for an unknown or used id."""
        body = {"auth_request_id": required(auth_request_id, "auth_request_id"), "identifier": required(identifier, "identifier")}
        return UserVerification(self._transport.json("POST", f"{_ACCOUNTS}/user/verify", json_body=body))

    # ------------------------------------------------------------------ tools

    def execute_tool(
        self,
        tool_input: Optional[Mapping[str, Any]] = None,
        tool_name: Optional[str] = None,
        identifier: Optional[str] = None,
        connected_account_id: Optional[str] = None,
        connection_name: Optional[str] = None,
        *,
        params: Optional[Mapping[str, Any]] = None,
        agent_run_id: Optional[str] = None,
        tool_version: Optional[str] = None,
    ) -> ExecuteToolResult:
        """Runs a tool with an account's credentials (timeout: ``tool_timeout``). The input
        (``tool_input``, or ``params``) is sent verbatim. The account is named by
        ``connected_account_id``, or ``connection_name`` + ``identifier``, or ``identifier`` alone
        when exactly one account of the tool's connector has it.

        Failures: the provider failed → :class:`~agentgate.ToolError` or its kind-specific classes,
        never retried; the account is not ``ACTIVE`` → :class:`~agentgate.AccountNotActiveError`;
        unknown tool → ``NotFoundError`` ``tool_not_found``; invalid input → ``BadRequestError``
        ``validation_failed`` with ``issues`` (``path`` like ``params.max_results``)."""
        if tool_input is not None and params is not None and tool_input is not params:
            raise ValueError("give tool_input or params, not both")
        body = drop_none(
            {
                "tool_name": required(tool_name, "tool_name"),
                "params": plain_mapping(params, "params") if params is not None else plain_mapping(tool_input, "tool_input") or {},
                "connected_account_id": optional(connected_account_id, "connected_account_id"),
                "connection_name": optional(connection_name, "connection_name"),
                "identifier": optional(identifier, "identifier"),
                "agent_run_id": optional(agent_run_id, "agent_run_id"),
                "tool_version": optional(tool_version, "tool_version"),
            }
        )
        answer = self._transport.json("POST", "/api/v1/execute_tool", json_body=body, timeout=self._tool_timeout)
        answer = answer if isinstance(answer, dict) else {}
        return ExecuteToolResult({"data": answer.get("data", {}), "execution_id": answer.get("execution_id", "")})

    def list_scoped_tools(
        self,
        identifier: str,
        providers: Optional[Sequence[str]] = None,
        tool_names: Optional[Sequence[str]] = None,
        connection_names: Optional[Sequence[str]] = None,
        page_size: Optional[int] = None,
        page_token: Optional[str] = None,
    ) -> Record:
        """The tools an end user can run now (connections where they have an ``ACTIVE`` account):
        ``tools`` = ``[{tool, identifier, connected_account_id}]``, plus the page fields."""
        params: Dict[str, QueryValue] = {
            "identifier": required(identifier, "identifier"),
            "providers": string_list(providers, "providers"),
            "tool_names": string_list(tool_names, "tool_names"),
            "connection_names": string_list(connection_names, "connection_names"),
            "page_size": optional_int(page_size, "page_size"),
            "page_token": optional(page_token, "page_token"),
        }
        return Record(self._transport.json("GET", "/api/v1/tools/scoped", query=params))

    def get_tool_call_log(self, execution_id: str) -> Record:
        """One logged tool call, by the ``execution_id`` of a result or a :class:`~agentgate.ToolError`."""
        path = f"/api/v1/agentkit/tool_call_logs/{segment(required(execution_id, 'execution_id'))}"
        answer = self._transport.json("GET", path)
        return Record(answer.get("tool_call_log", answer) if isinstance(answer, dict) else {})

    def list_connections(self, provider: Optional[str] = None, page_size: Optional[int] = None, page_token: Optional[str] = None) -> Record:
        """The environment's connections: ``connections``, plus the page fields."""
        params: Dict[str, QueryValue] = {
            "provider": optional(provider, "provider"),
            "page_size": optional_int(page_size, "page_size"),
            "page_token": optional(page_token, "page_token"),
        }
        return Record(self._transport.json("GET", "/api/v1/connections", query=params))

    def request(
        self,
        connection_name: str,
        identifier: str,
        path: str,
        method: str = "GET",
        query_params: Optional[Mapping[str, QueryValue]] = None,
        body: Any = None,
        form_data: Optional[Mapping[str, Any]] = None,
        raw_body: Optional[Union[bytes, str]] = None,
        headers: Optional[Mapping[str, str]] = None,
        timeout: Optional[float] = None,
    ) -> ProxyResponse:
        """Calls the provider's own API through the gateway (``{env_url}/proxy{path}``), which injects
        the account's credentials (the environment needs ``proxy_enabled``). HTTP error answers are
        raised as typed errors; the provider's own 401 or 503 never renews the SDK's token nor is retried."""
        return proxy_request(
            self._transport,
            connection_name=connection_name,
            identifier=identifier,
            path=path,
            method=method,
            query_params=query_params,
            body=body,
            form_data=form_data,
            raw_body=raw_body,
            headers=headers,
            timeout=positive_seconds(timeout, "timeout") if timeout is not None else self._tool_timeout,
        )

    # ------------------------------------------------------------------ helpers

    def _account_id(
        self,
        connection_name: Optional[str],
        identifier: Optional[str],
        connected_account_id: Optional[str],
        organization_id: Optional[str],
        user_id: Optional[str],
    ) -> str:
        account_id = optional(connected_account_id, "connected_account_id")
        if account_id:
            return account_id
        return str(self.get_connected_account_details(connection_name, identifier, None, organization_id, user_id).id)

    # Update and delete bodies name an account by id or by connection + identifier only; when the
    # caller narrows by organization or user, find the id first so the right account is changed.
    def _ref_body(
        self,
        connection_name: Optional[str],
        identifier: Optional[str],
        connected_account_id: Optional[str],
        organization_id: Optional[str],
        user_id: Optional[str],
    ) -> Dict[str, Any]:
        query = ref_query(connection_name, identifier, connected_account_id, organization_id, user_id)
        if "id" in query:
            return {"id": query["id"]}
        if "organization_id" in query or "user_id" in query:
            return {"id": self._account_id(connection_name, identifier, None, organization_id, user_id)}
        return {"connection_name": query["connection_name"], "identifier": query["identifier"]}
