# Step 1: Verify account status
account = actions.get_connected_account(
    identifier="user_123",
    connection_name="gmail"
)
print(f"Status: {account.status}")
# Step 2: Try to refresh tokens
try:
    account = actions.refresh_connected_account(
        identifier="user_123",
        connection_name="gmail"
    )
    print("✓ Token refresh successful")
except Exception as e:
    print(f"✗ Token refresh failed: {e}")
# Step 3: Check granted scopes
print(f"Granted scopes: {account.scopes}")
# Verify the required scope for your tool is included
# Step 4: Try a simple read-only tool
try:
    result = actions.execute_tool(
        identifier="user_123",
        tool_name='gmail_get_profile',
        tool_input={}
    )
    print("✓ Read operation successful")
except Exception as e:
    print(f"✗ Read operation failed: {e}")
