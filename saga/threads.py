"""A scoped torch intra-op thread count, for the stages that pin one and must hand the caller's back."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def torch_threads(count: int | None) -> Iterator[None]:
    """Run the block with `count` torch threads (the current count when `None` or 0), then restore the caller's.

    Why: `torch.set_num_threads` is process-wide; a stage that pins it for speed or for stable float sums must not
    leave the next stage, or a library user's code, with its setting.

    Args:
        count (`int`, *optional*): intra-op threads inside the block.
    """
    import torch  # here, so that importing this module does not load torch

    previous = torch.get_num_threads()
    torch.set_num_threads(count or previous)
    try:
        yield
    finally:
        torch.set_num_threads(previous)
