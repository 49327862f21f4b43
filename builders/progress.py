"""Progress bars: one per stage. `datasets` draws its own for every file it converts or writes; inside a stage
those are noise beside the stage's bar."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import datasets


@contextmanager
def quiet_datasets_progress() -> Iterator[None]:
    """`datasets`' progress bars off for the block, and back as they were after it."""
    was_on = not datasets.utils.are_progress_bars_disabled()
    datasets.utils.disable_progress_bars()
    try:
        yield
    finally:
        if was_on:
            datasets.utils.enable_progress_bars()
