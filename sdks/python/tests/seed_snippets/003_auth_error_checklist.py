account = scalekit_client.actions.get_connected_account(
    identifier="user_123",
    connection_name="gmail",
)
scalekit_client.actions.refresh_connected_account(
    identifier="user_123",
    connection_name="gmail",
)
result = scalekit_client.actions.execute_tool(
    identifier="user_123",
    tool_name="gmail_get_profile",
    tool_input={},
)
print(result.data)
