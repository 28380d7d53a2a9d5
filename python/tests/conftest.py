import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True, scope="session")
def binary():
    """The binary under test: SGN_BINARY (make test sets .build/debug/sgn), else the debug build."""
    if not os.environ.get("SGN_BINARY"):
        os.environ["SGN_BINARY"] = str(ROOT / ".build/debug/sgn")
    return os.environ["SGN_BINARY"]


@pytest.fixture
def examples():
    return ROOT / "examples"
