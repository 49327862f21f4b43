"""The scoped torch thread count: set inside the block, the caller's back afterwards, even after an error."""

import pytest
import torch

from saga.threads import torch_threads


def test_torch_threads_sets_and_restores_even_on_error():
    previous = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        with torch_threads(1):
            assert torch.get_num_threads() == 1
        assert torch.get_num_threads() == 2
        with torch_threads(None):
            assert torch.get_num_threads() == 2
        with pytest.raises(RuntimeError, match="boom"), torch_threads(1):
            raise RuntimeError("boom")
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(previous)
