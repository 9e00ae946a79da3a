"""Small helpers shared by the input tests (imported as ``from helpers import …``)."""

from __future__ import annotations

import pytest

from lagesbild.core.errors import InputError


def write(tmp_path, name: str, data: bytes):
    """Write ``data`` as bytes, so that the encoding under test is visible in the test."""
    p = tmp_path / name
    p.write_bytes(data)
    return p


def raises_input_error(call, *args, kind: type[InputError] = InputError, **kwargs) -> InputError:
    """Call and return the error (an InputError, or the subclass ``kind``) it must raise; every
    message must say how to fix it."""
    with pytest.raises(kind) as info:
        call(*args, **kwargs)
    assert "Fix:" in str(info.value)
    return info.value
