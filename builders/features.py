"""`datasets` feature types shared by several builders, and reading them."""

from __future__ import annotations

import datasets

# A chat as TRL's conversational format expects it: a list of {"role", "content"} messages.
MESSAGES = [{"role": datasets.Value("string"), "content": datasets.Value("string")}]


def prompt_text(messages: list[dict] | None) -> str | None:
    """The last user message of a conversational prompt: what the completion answers, and what copying or
    restating costs score (`saga.builders.scoring.rules.completion`).

    Args:
        messages (`list[dict]`, *optional*): the prompt's chat messages (`role`, `content`).

    Example:
        ```python
        >>> prompt_text([{"role": "system", "content": "Svar på norsk."}, {"role": "user", "content": "Hei?"}])
        'Hei?'
        ```
    """
    users = [m["content"] for m in messages or [] if m.get("role") == "user" and isinstance(m.get("content"), str)]
    return users[-1] if users else None
