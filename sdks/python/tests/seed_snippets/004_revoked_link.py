# For revoked accounts, only re-authentication works
if account.status == "REVOKED":
    link_response = actions.get_authorization_link(
        connection_name="gmail",
        identifier="user_123"
    )
    # Explain to user why re-authentication is needed
    message = """
Your Gmail connection was disconnected.
This may have happened if you:
- Revoked access in your Google Account settings
- Changed your Google password
- Enabled 2FA on your Google account
Please reconnect: {link}
""".format(link=link_response.link)
    print(message)
