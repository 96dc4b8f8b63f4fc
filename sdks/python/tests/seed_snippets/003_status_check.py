account = scalekit_client.actions.get_connected_account(
    identifier="user_123",
    connection_name="gmail",
)
print(account.status) # ACTIVE, EXPIRED, PENDING_AUTH, PENDING_VERIFICATION, or DISCONNECTED
print(account.scopes)
