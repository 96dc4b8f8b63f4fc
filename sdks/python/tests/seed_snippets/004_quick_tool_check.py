# Test with a simple read operation
try:
    result = actions.execute_tool(
        identifier="user_123",
        tool_name='gmail_get_profile', # Simple read-only operation
        tool_input={}
    )
    print("✓ Connection working:", result)
except Exception as e:
    print("✗ Connection failed:", str(e))
    # Error message provides clues about the issue
