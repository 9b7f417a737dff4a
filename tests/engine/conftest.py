"""Engine tests: these tests do not require Qt."""

import pytest
import torch


@pytest.fixture(autouse=True)
def _one_thread():
    """The 2x2 models train fastest (and most repeatably timed) on one thread."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
