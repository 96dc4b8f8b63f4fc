# Attempt manual token refresh
try:
    account = actions.refresh_connected_account(
        identifier="user_123",
        connection_name="gmail"
    )
    if account.status == "ACTIVE":
        print("✓ Refresh successful")
    else:
        print("⚠ Refresh failed, user re-authentication needed")
except Exception as e:
    print(f"✗ Refresh error: {e}")
    # Proceed to Option 2
