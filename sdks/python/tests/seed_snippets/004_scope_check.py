# Check if specific scope is granted
required_scope = "https://www.googleapis.com/auth/gmail.send"
account = actions.get_connected_account(
    identifier="user_123",
    connection_name="gmail"
)
if required_scope not in account.scopes:
    print(f"⚠ Missing required scope: {required_scope}")
    # Generate new authorization link with required scopes
    link_response = actions.get_authorization_link(
        connection_name="gmail",
        identifier="user_123"
    )
    print(f"User must re-authorize with additional permissions: {link_response.link}")
