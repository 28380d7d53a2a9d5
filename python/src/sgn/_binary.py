"""Finding and running the ``sgn`` binary: all mathematics happens there."""
from __future__ import annotations

import os
import shutil
import subprocess
from typing import List, Optional, Sequence


class SGNBinaryNotFound(RuntimeError):
    """The ``sgn`` executable was not found on PATH nor through ``SGN_BINARY``."""


class SGNInputError(ValueError):
    """The binary rejected a game (exit code 2). ``message`` is the binary's own text: the file,
    the JSON path and what was expected."""

    def __init__(self, message: str, file: Optional[str] = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file


class SGNError(RuntimeError):
    """The binary failed in an unexpected way (a crash, unreadable output)."""


def find_binary(binary: Optional[str] = None) -> str:
    """The binary to run: ``binary`` if given, else ``$SGN_BINARY``, else ``sgn`` on PATH, else
    ``.build/release/sgn`` under the working directory (a repository checkout after ``make run``)."""
    candidate = binary or os.environ.get("SGN_BINARY")
    if candidate:
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
        found = shutil.which(candidate)
        if found:
            return found
        raise SGNBinaryNotFound(
            f"SGN_BINARY / binary={candidate!r} is not an executable file; build sgn with `make build` "
            "(binary at .build/release/sgn) or install it with `make install`")
    found = shutil.which("sgn")
    if found is None:
        # Run from a checkout of the repository after `make run` (which builds the release binary).
        local = os.path.join(os.getcwd(), ".build", "release", "sgn")
        if os.path.isfile(local) and os.access(local, os.X_OK):
            return local
        raise SGNBinaryNotFound(
            "the sgn binary was not found on PATH: in the sgn repository run `make install` "
            "(installs /usr/local/bin/sgn), or set SGN_BINARY to a built binary (e.g. .build/release/sgn)")
    return found


def run(arguments: Sequence[str], binary: Optional[str] = None, cwd: Optional[str] = None) -> "subprocess.CompletedProcess[str]":
    """Runs the binary with ``arguments``; stdout and stderr captured as text."""
    command: List[str] = [find_binary(binary), *arguments]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, stdin=subprocess.DEVNULL)


def error_message(stderr: str) -> str:
    """The binary's error text without the ``sgn: error: `` prefix (first error line)."""
    for line in stderr.splitlines():
        if line.startswith("sgn: error: "):
            return line[len("sgn: error: "):]
    return stderr.strip()
