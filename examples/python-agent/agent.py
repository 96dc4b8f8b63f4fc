"""Connect a user's account with Agentgate, then answer a model's tool call as that user.

Run (from the repository root, after ``pip install ./sdks/python``)::

    AGENTGATE_URL=http://localhost:8080 AGENTGATE_CLIENT_ID=cli_... AGENTGATE_CLIENT_SECRET=sec_... \\
      python examples/python-agent/agent.py --connection github --user user_42 --tool github_get_user

Exit codes: 0 the tool message was printed, 3 the user must open the printed authorization link first.
"""

import argparse
import json
import os
import sys
from typing import Any, Dict, List, Optional, Tuple

from agentgate import AccountNotActiveError, AgentgateClient, AgentgateError, ToolError


def connect_user(client: AgentgateClient, connection_name: str, identifier: str) -> Optional[str]:
    """None when the user's account is ACTIVE, otherwise the link they must open to connect it."""
    account = client.actions.get_or_create_connected_account(connection_name=connection_name, identifier=identifier)
    if account.status == "ACTIVE":
        return None
    return client.actions.get_authorization_link(connection_name=connection_name, identifier=identifier).link


def openai_tools(client: AgentgateClient, identifier: str) -> Tuple[List[Dict[str, Any]], Dict[str, str]]:
    """The user's tools as OpenAI Chat Completions ``tools``, and which account each name runs as.
    (Over HTTP, ``GET /api/v1/tools/scoped?identifier=...&format=openai`` returns both ready-made.)"""
    tools: List[Dict[str, Any]] = []
    accounts: Dict[str, str] = {}
    page_token = None
    while True:
        page = client.actions.list_scoped_tools(identifier, page_size=500, page_token=page_token)
        for entry in page["tools"]:
            definition = entry["tool"]["definition"]
            tools.append({"type": "function", "function": {"name": definition["name"], "description": definition["description"], "parameters": definition["input_schema"]}})
            accounts[definition["name"]] = entry["connected_account_id"]
        page_token = page.get("next_page_token")
        if not page_token:
            return tools, accounts


def answer_tool_call(client: AgentgateClient, accounts: Dict[str, str], tool_call: Dict[str, Any]) -> Dict[str, Any]:
    """Runs one entry of ``message.tool_calls`` and returns the ``role: tool`` message for the model.
    Failures become a result the model can read and act on (with the fix), never an exception."""
    name = tool_call["function"]["name"]
    try:
        arguments = json.loads(tool_call["function"]["arguments"] or "{}")
    except json.JSONDecodeError:
        arguments = None
    # A model can send valid JSON that is not an object ("[1]"); the SDK would refuse it with a TypeError.
    if not isinstance(arguments, dict):
        invalid = {"code": "validation_failed", "message": "The arguments are not one JSON object.", "fix": "Send the arguments as one JSON object."}
        return {"role": "tool", "tool_call_id": tool_call["id"], "content": json.dumps({"error": invalid})}
    try:
        result = client.actions.execute_tool(tool_input=arguments, tool_name=name, connected_account_id=accounts.get(name))
        content: Any = result.data
    except AccountNotActiveError as err:
        error: Dict[str, Any] = {"code": err.code, "message": err.message, "fix": err.fix}
        if err.authorization_link is not None and err.account_status != "PENDING_VERIFICATION":
            link = client.actions.get_authorization_link(**err.authorization_link.body).link
            error.update(authorization_link=link, fix=f"Send the user this link to connect their account, then call the tool again: {link}")
        content = {"error": error}
    except ToolError as err:
        content = {"error": {"code": err.code, "kind": err.kind, "message": err.tool_error_message, "fix": err.fix, "execution_id": err.execution_id}}
    except AgentgateError as err:
        content = {"error": {"code": err.code, "message": err.message, "issues": err.details.get("issues")}}
    return {"role": "tool", "tool_call_id": tool_call["id"], "content": json.dumps(content)}


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connection", default="github")
    parser.add_argument("--user", default="user_42")
    parser.add_argument("--tool", default="github_get_user")
    parser.add_argument("--input", default="{}", help="the tool's JSON arguments")
    args = parser.parse_args(argv)

    client = AgentgateClient(os.environ["AGENTGATE_URL"], os.environ["AGENTGATE_CLIENT_ID"], os.environ["AGENTGATE_CLIENT_SECRET"])
    link = connect_user(client, args.connection, args.user)
    if link is not None:
        print(f"Open this link to connect your {args.connection} account, then run again:\n  {link}")
        return 3

    tools, accounts = openai_tools(client, args.user)
    print(f"{len(tools)} tools for {args.user}", file=sys.stderr)
    # An agent sends `tools` to the model and gets tool calls back in `message.tool_calls`;
    # this script stands in for the model with the call given on the command line.
    tool_call = {"id": "call_1", "type": "function", "function": {"name": args.tool, "arguments": args.input}}
    print(json.dumps(answer_tool_call(client, accounts, tool_call)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
