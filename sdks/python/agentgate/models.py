"""Results of the API: JSON objects with attribute access.

The wire is snake_case JSON and so is Python, so answers are kept as they came: a :class:`Record`
is a ``dict`` (``account["status"]``, ``json.dumps(account)`` and ``print`` work as for any dict)
that also reads its keys as attributes (``account.status``, ``link.link``, ``result.data``), nested
objects included. ``to_dict()`` returns plain dicts and lists.

``repr``/``str`` (what ``print``, logs and tracebacks show) render credentials as ``'***'``: the
values of ``access_token``, ``refresh_token``, ``id_token``, ``api_key``, ``password``, ``secret``,
``client_secret``, ``secret_key`` and everything under ``static_auth``. Reading them (``record[key]``,
attributes, ``to_dict()``, ``json.dumps``) gives the real values.

Keys that are also ``dict`` methods (``items``, ``keys``, ``values``, ``get``...) read as the
method; use ``record["items"]`` for those (a tool's ``data`` may well have an ``items`` key).
"""

from __future__ import annotations

from typing import Any, ClassVar, Dict, Iterable, List, Optional, Tuple


def _wrap(value: Any) -> Any:
    if isinstance(value, Record):
        return value
    if isinstance(value, dict):
        return Record(value)
    if isinstance(value, list):
        return [_wrap(item) for item in value]
    return value


#: Keys whose values are credentials: ``repr``/``str`` show them as ``'***'`` (reading them does not).
SECRET_KEYS = frozenset({"access_token", "refresh_token", "id_token", "api_key", "password", "secret", "client_secret", "secret_key"})
#: Keys under which every value is a credential (static credentials have free-form keys).
SECRET_CONTAINERS = frozenset({"static_auth"})
_MASK = "***"


def _mark_secret(value: Any) -> None:
    """Flags the Records under a secret container, so they print masked even on their own."""
    if isinstance(value, Record):
        object.__setattr__(value, "_secret_values", True)
        for item in dict.values(value):
            _mark_secret(item)
    elif isinstance(value, list):
        for item in value:
            _mark_secret(item)


def _masked(value: Any, secret: bool) -> Any:
    if isinstance(value, Record):
        return value._shown(secret)
    if isinstance(value, list):
        return [_masked(item, secret) for item in value]
    return _MASK if secret and value is not None else value


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, str):
        return str(value)
    return value


class Record(dict):
    """A JSON object whose keys also read as attributes; nested objects are Records too.

    Typed subclasses list their documented fields in ``_fields``: those read as ``None`` (or the
    listed default) when the server left them out, instead of raising ``AttributeError``.

    Example::

        account = client.actions.get_connected_account(connection_name="gmail", identifier="user_42")
        account.status, account["status"], account.to_dict()
    """

    #: Documented fields and the value they read as when absent.
    _fields: ClassVar[Tuple[Tuple[str, Any], ...]] = ()
    #: True for a Record under a secret container: every value prints as ``'***'``.
    _secret_values: ClassVar[bool] = False

    def __init__(self, data: Optional[Dict[str, Any]] = None, **extra: Any) -> None:
        super().__init__()
        for key, value in (data or {}).items():
            self._put(key, value)
        for key, value in extra.items():
            self._put(key, value)

    def _put(self, key: str, value: Any) -> None:
        wrapped = _wrap(value)
        if key in SECRET_CONTAINERS:
            _mark_secret(wrapped)
        dict.__setitem__(self, key, wrapped)

    def _shown(self, secret: bool) -> "Record":
        """A copy for printing: credentials (by key, or anything under a secret container) masked."""
        shown = type(self).__new__(type(self))
        dict.__init__(shown)
        secret = secret or self._secret_values
        for key, value in dict.items(self):
            dict.__setitem__(shown, key, _masked(value, secret or key in SECRET_KEYS or key in SECRET_CONTAINERS))
        return shown

    def __getattr__(self, name: str) -> Any:
        # Only called when normal lookup failed, so methods and properties win over keys.
        if name.startswith("__"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            for field, default in type(self)._fields:
                if field == name:
                    return list(default) if isinstance(default, list) else default
            raise AttributeError(f"{type(self).__name__} has no field {name!r} (fields: {', '.join(self.keys()) or 'none'})") from None

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value

    def __setitem__(self, key: str, value: Any) -> None:
        self._put(key, value)

    def __dir__(self) -> Iterable[str]:
        return [*super().__dir__(), *(key for key in self.keys() if isinstance(key, str))]

    def __repr__(self) -> str:
        # Printed, logged or shown in a traceback: tokens and keys must not be readable there.
        shown = self._shown(False)
        if type(self) is Record:
            return dict.__repr__(shown)
        inner = ", ".join(f"{key}={value!r}" for key, value in dict.items(shown))
        return f"{type(self).__name__}({inner})"

    __str__ = __repr__

    def to_dict(self) -> Dict[str, Any]:
        """A deep copy made of plain ``dict``, ``list`` and ``str`` (JSON-ready)."""
        return _plain(self)


#: Status names of older documentation and the current status each stands for (reference §2.3).
LEGACY_STATUS_NAMES: Dict[str, str] = {"PENDING": "PENDING_AUTH", "REVOKED": "DISCONNECTED"}


class ConnectedAccountStatus(str):
    """A connected account's status: ``PENDING_AUTH``, ``PENDING_VERIFICATION``, ``ACTIVE``,
    ``EXPIRED`` or ``DISCONNECTED``.

    It is the status string, and it also compares equal to the names older guides use for the same
    state (``PENDING`` for ``PENDING_AUTH``, ``REVOKED`` for ``DISCONNECTED``), so code written
    against them keeps working. Hashing (dict keys, sets) uses the current name only.

    Example::

        account.status == "ACTIVE"
        account.status == "PENDING"  # True while PENDING_AUTH
    """

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            mine = str.__str__(self)
            return mine == str(other) or LEGACY_STATUS_NAMES.get(str(other)) == mine
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = str.__hash__


class ConnectedAccount(Record):
    """One end user's authorization on one connection.

    Fields: ``id``, ``identifier``, ``connection_name``, ``connection_id``, ``provider``, ``status``
    (a :class:`ConnectedAccountStatus`), ``authorization_type``, ``scopes``, ``token_expires_at``,
    ``api_config``, ``organization_id``, ``user_id``, ``created_at``, ``updated_at``,
    ``last_used_at``; ``authorization_details`` only from ``get_connected_account`` (redacted unless
    the environment allows token retrieval). Timestamps are RFC 3339 strings.
    """

    _fields = (
        ("id", None),
        ("identifier", None),
        ("connection_name", None),
        ("connection_id", None),
        ("provider", None),
        ("authorization_type", None),
        ("scopes", []),
        ("token_expires_at", None),
        ("api_config", None),
        ("organization_id", None),
        ("user_id", None),
        ("created_at", None),
        ("updated_at", None),
        ("last_used_at", None),
        ("authorization_details", None),
    )

    @property
    def status(self) -> Optional[ConnectedAccountStatus]:
        raw = self.get("status")
        return ConnectedAccountStatus(raw) if isinstance(raw, str) else None


class ConnectedAccountPage(Record):
    """A page of accounts: ``connected_accounts``, ``total_size``, ``next_page_token`` (``""`` on the
    last page), ``prev_page_token``."""

    _fields = (("connected_accounts", []), ("total_size", 0), ("next_page_token", ""), ("prev_page_token", ""))

    def __init__(self, data: Optional[Dict[str, Any]] = None) -> None:
        super().__init__(data)
        accounts = self.get("connected_accounts") or []
        dict.__setitem__(self, "connected_accounts", [ConnectedAccount(item) for item in accounts])


class AuthorizationLink(Record):
    """A one-time link where the end user authorizes: ``link``, ``expiry`` (RFC 3339), and
    ``connected_account_id``."""

    _fields = (("link", None), ("expiry", None), ("connected_account_id", None))


class UserVerification(Record):
    """Answer of ``verify_connected_account_user``: ``post_user_verify_redirect_url``."""

    _fields = (("post_user_verify_redirect_url", None),)


class ExecuteToolResult(Record):
    """Answer of ``execute_tool``: ``data`` (the tool's output, a dict for every catalog tool) and
    ``execution_id`` (the call in the tool call log)."""

    _fields = (("data", None), ("execution_id", ""))


def account_of(body: Any) -> ConnectedAccount:
    """The account of a ``{"connected_account": {...}}`` answer (or of a bare account)."""
    if isinstance(body, dict) and isinstance(body.get("connected_account"), dict):
        return ConnectedAccount(body["connected_account"])
    return ConnectedAccount(body if isinstance(body, dict) else {})


__all__: List[str] = [
    "Record",
    "ConnectedAccount",
    "ConnectedAccountStatus",
    "ConnectedAccountPage",
    "AuthorizationLink",
    "UserVerification",
    "ExecuteToolResult",
    "LEGACY_STATUS_NAMES",
]
