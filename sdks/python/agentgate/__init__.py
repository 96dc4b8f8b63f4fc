"""Python client of Agentgate, the auth and tool-execution gateway for AI agents.

Standard library only. Start with :class:`AgentgateClient` and its ``actions``::

    from agentgate import AgentgateClient

    client = AgentgateClient("http://localhost:8080", "cli_...", "sec_...")
    account = client.actions.get_connected_account(connection_name="gmail", identifier="user_42")
    print(account.status)
"""

from ._version import __version__
from .actions import ActionsClient
from ._proxy import ProxyResponse
from .client import AgentgateClient
from .errors import (
    AgentgateConnectionError,
    AgentgateError,
    AgentgateTimeoutError,
    BadRequestError,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    PayloadTooLargeError,
    RateLimitedError,
    ServerError,
    ServiceUnavailableError,
    UnauthorizedError,
    is_agentgate_error,
    is_not_found_error,
)
from .models import (
    AuthorizationLink,
    ConnectedAccount,
    ConnectedAccountPage,
    ConnectedAccountStatus,
    ExecuteToolResult,
    Record,
    UserVerification,
)
from .tool_errors import (
    AccountNotActiveError,
    ToolError,
    ToolForbiddenError,
    ToolRateLimitError,
    ToolUnauthorizedError,
    is_tool_error,
)

__all__ = [
    "__version__",
    "AgentgateClient",
    "ActionsClient",
    "ProxyResponse",
    "AgentgateError",
    "BadRequestError",
    "UnauthorizedError",
    "ForbiddenError",
    "NotFoundError",
    "ConflictError",
    "PayloadTooLargeError",
    "RateLimitedError",
    "ServerError",
    "ServiceUnavailableError",
    "AgentgateTimeoutError",
    "AgentgateConnectionError",
    "AccountNotActiveError",
    "ToolError",
    "ToolUnauthorizedError",
    "ToolForbiddenError",
    "ToolRateLimitError",
    "is_agentgate_error",
    "is_not_found_error",
    "is_tool_error",
    "Record",
    "ConnectedAccount",
    "ConnectedAccountStatus",
    "ConnectedAccountPage",
    "AuthorizationLink",
    "UserVerification",
    "ExecuteToolResult",
]
