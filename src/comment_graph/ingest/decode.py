"""Turn an input file's bytes into text, with errors that say where it went wrong."""

from __future__ import annotations

import codecs
import hashlib
import io
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _check_file(path: Path) -> None:
    if not path.exists():
        raise InputError("no such file", path=str(path))
    if path.is_dir():
        raise InputError("is a directory, not a file", path=str(path))


def read_head(path: Path, size: int = 1 << 16) -> str:
    """The start of a file as text, for guessing its format (a character cut at the end is dropped)."""
    _check_file(path)
    with path.open("rb") as f:
        data = f.read(size)
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), "utf-8")
    return data.decode(encoding, errors="ignore").replace("\r\n", "\n").replace("\r", "\n")


def iter_lines(path: Path, max_chars: int) -> Iterator[str]:
    """A file's lines, decoded one at a time (the file is never read whole): UTF-8, or UTF-16
    with a BOM; newlines made `\\n`; a NUL, a bad byte or an over-long line is an error naming
    the line."""
    _check_file(path)
    if path.stat().st_size == 0:
        raise InputError("the file is empty", path=str(path))
    with path.open("rb") as raw:
        bom = raw.read(4)
        raw.seek(0)
        encoding = next((enc for b, enc in _BOMS if bom.startswith(b)), "utf-8-sig")
        n = 0
        try:
            for n, line in enumerate(io.TextIOWrapper(raw, encoding=encoding, newline=None), start=1):
                if "\x00" in line:
                    raise InputError("binary data, not text: a NUL character", path=str(path), line=n)
                if len(line) > max_chars and len(line.rstrip("\n")) > max_chars:
                    raise InputError(f"line is {len(line.rstrip(chr(10))):,} characters long; the limit is {max_chars:,} "
                                     "(BuildConfig.max_comment_chars)", path=str(path), line=n)
                yield line
        except UnicodeDecodeError as e:
            line = _first_bad_line(path) if encoding == "utf-8-sig" else n + 1
            raise InputError("not valid UTF-8: a bad byte" if encoding == "utf-8-sig" else "not valid UTF-16",
                             path=str(path), line=line) from e


def _first_bad_line(path: Path) -> int:
    """The decoder reads ahead in blocks; find the line that holds the bad byte."""
    with path.open("rb") as f:
        for n, raw in enumerate(f, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                return n
    return 1


def sha256_of(path: Path) -> str:
    """The file's SHA-256, read in blocks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_text(path: Path) -> str:
    """Read a file as text: UTF-8 (or UTF-16 with a BOM), newlines made `\\n`."""
    _check_file(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror or e}", path=str(path)) from e
    if not data:
        raise InputError("the file is empty", path=str(path))
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), "utf-8")
    if encoding != "utf-16" and b"\x00" in data:
        raise InputError(f"binary data, not text: NUL byte at offset {data.index(0)}", path=str(path))
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as e:
        raise InputError(f"not valid {encoding.upper()}: bad byte at offset {e.start}", path=str(path)) from e
    if "\x00" in text:
        raise InputError(f"binary data, not text: NUL character at offset {text.index(chr(0))}", path=str(path))
    return text.replace("\r\n", "\n").replace("\r", "\n")
