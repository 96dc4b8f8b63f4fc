import time
from typing import Any, Dict
def execute_tool_with_retry(
    identifier: str,
    tool_name: str,
    tool_input: Dict[str, Any],
    max_retries: int = 3
):
    """Execute tool with exponential backoff retry logic"""
    for attempt in range(max_retries):
        try:
            result = actions.execute_tool(
                identifier=identifier,
                tool_name=tool_name,
                tool_input=tool_input
            )
            return result
        except Exception as e:
            if "rate limit" in str(e).lower() and attempt < max_retries - 1:
                # Exponential backoff: 1s, 2s, 4s
                wait_time = 2 ** attempt
                print(f"Rate limited, retrying in {wait_time}s...")
                time.sleep(wait_time)
            else:
                raise
# Usage
result = execute_tool_with_retry(
    identifier="user_123",
    tool_name="gmail_send_email",
    tool_input={"to": "user@example.com", "subject": "Test", "body": "Hello"}
)
