# Generate authorization link for pending account
if account.status == "PENDING":
    link_response = actions.get_authorization_link(
        connection_name="gmail",
        identifier="user_123"
    )
    print(f"Send this link to user: {link_response.link}")
    # In production:
    # - Send email with the link
    # - Show in-app notification
    # - Display in user's settings page
