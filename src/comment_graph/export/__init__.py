"""Exporters: RDF (Turtle), the HTML page, networkx. Each imports its heavy library lazily."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import IO
import tempfile
from pathlib import Path

from ..errors import ExportError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes) -> Path:
    """Write to a temporary file beside `path`, then move it into place: never a half-written output."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as e:
        raise ExportError(f"{path}: cannot write: {e.strerror or e}") from e
    return path


def write_all_atomic(files: dict[str, tuple[Path, bytes | Callable[[IO[bytes]], None]]]) -> dict[str, Path]:
    """Write every file to a temporary name first, then move them all into place: a failure or
    Ctrl-C while writing leaves every previous output as it was (only the renames remain).

    A file's content is bytes, or a function that writes it into the open file (streamed)."""
    staged: list[tuple[str, str, Path]] = []
    try:
        for kind, (path, data) in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged.append((kind, tmp, path))
            with os.fdopen(fd, "wb") as f:
                if callable(data):
                    data(f)
                else:
                    f.write(data)
            os.chmod(tmp, 0o666 & ~_umask())
        for _, tmp, path in staged:
            os.replace(tmp, path)
    except OSError as e:
        raise ExportError(f"cannot write: {e.strerror or e} ({e.filename or ''})") from e
    finally:
        for _, tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
    return {kind: path for kind, _, path in staged}
