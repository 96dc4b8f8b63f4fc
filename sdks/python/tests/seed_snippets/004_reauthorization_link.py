# If refresh fails, generate new authorization link
link_response = actions.get_authorization_link(
    connection_name="gmail",
    identifier="user_123"
)
# Notify user to re-authenticate
print(f"Please re-authorize: {link_response.link}")
