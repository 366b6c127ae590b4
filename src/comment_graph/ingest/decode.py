"""Turn an input's bytes into text, with errors that say where it went wrong.

An input is read once: a regular file is streamed (JSON Lines never whole), anything else
(`-` for standard input, /dev/stdin, a pipe from `<(...)`, a FIFO) can be read only once and
is kept in memory. Its SHA-256 is taken from the very bytes the reader decoded."""

from __future__ import annotations

import codecs
import hashlib
import io
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError, NoCommentsError

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
HEAD_SIZE = 1 << 16
STDIN = "-"


class Source:
    """One input as the user named it: `given` for messages, `name` (the file name) for outputs,
    which must not depend on where the file sits; `sha256` once its bytes have been read."""

    def __init__(self, given: str | Path) -> None:
        self.given = "<stdin>" if str(given) == STDIN else str(given)
        self.name = _output_name(str(given))
        self._hash = hashlib.sha256()
        self.path: Path | None = None   # a regular file: streamed, and opened again when needed
        self.data: bytes | None = None  # anything else: read once, kept
        if str(given) == STDIN:
            self.data = _read_once(sys.stdin.buffer, self.given)
        else:
            self._open_path(Path(given))
        self.head = self.data[:HEAD_SIZE] if self.data is not None else self._read_head()
        if self.data is not None:
            self._hash.update(self.data)

    def _open_path(self, path: Path) -> None:
        if not path.exists():
            raise InputError("no such file", path=self.given)
        if path.is_dir():
            raise InputError("is a directory, not a file", path=self.given)
        try:
            regular = stat.S_ISREG(os.stat(path).st_mode)
            if not regular:  # a pipe or FIFO: a second open would wait for a writer that never comes
                with path.open("rb") as f:
                    self.data = _read_once(f, self.given)
        except OSError as e:
            raise InputError(f"cannot read: {e.strerror or e}", path=self.given) from e
        self.path = path if regular else None

    def _read_head(self) -> bytes:
        with self.open() as f:
            return f.read(HEAD_SIZE)

    def open(self) -> BinaryIO:
        """The bytes from the start: the file again, or what was read of the pipe."""
        if self.data is not None:
            return io.BytesIO(self.data)
        try:
            return self.path.open("rb")
        except OSError as e:
            raise InputError(f"cannot read: {e.strerror or e}", path=self.given) from e

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()

    def read_all(self) -> bytes:
        """Every byte, hashed as read."""
        if self.data is not None:
            return self.data
        with self.open() as f:
            try:
                data = f.read()
            except OSError as e:
                raise InputError(f"cannot read: {e.strerror or e}", path=self.given) from e
        self._hash.update(data)
        return data

    def stream(self) -> BinaryIO:
        """A buffered stream of every byte, hashed as read (the data of a pipe is hashed already)."""
        if self.data is not None:
            return io.BytesIO(self.data)
        return io.BufferedReader(_Hashing(self.open(), self._hash))


def _output_name(given: str) -> str:
    """How outputs name an input: its file name; standard input 'stdin', and a pipe the shell
    made ('<(cat page.txt)' is /dev/fd/63, a number that changes from run to run) 'pipe'."""
    if given in (STDIN, "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"):
        return "stdin"
    if given.startswith(("/dev/fd/", "/proc/self/fd/")):
        return "pipe"
    return Path(given).name or given


class _Hashing(io.RawIOBase):
    """A file whose bytes are hashed as they are read, so streaming needs no second pass."""

    def __init__(self, f: BinaryIO, digest) -> None:
        self.f, self.digest = f, digest

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        n = self.f.readinto(b)
        self.digest.update(memoryview(b)[:n])
        return n

    def close(self) -> None:
        self.f.close()
        super().close()


def _read_once(f: BinaryIO, given: str) -> bytes:
    """Everything a pipe holds. Its first block is looked at before the rest is read: a stream of
    binary data (`/dev/zero`, `/dev/urandom`) may never end, so it is refused at once."""
    try:
        first = f.read(HEAD_SIZE)
        if b"\x00" in first and _encoding(first, "") != "utf-16":
            raise InputError(f"binary data, not text: NUL byte at offset {first.index(0)}", path=given)
        return first + f.read() if first else first
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror or e}", path=given) from e


def _encoding(data: bytes, default: str) -> str:
    return next((enc for bom, enc in _BOMS if data.startswith(bom)), default)


def read_head(src: Source) -> str:
    """The start of an input as text, for guessing its format (a character cut at the end is dropped)."""
    return src.head.decode(_encoding(src.head, "utf-8"), errors="ignore").replace("\r\n", "\n").replace("\r", "\n")


def iter_lines(src: Source, max_chars: int) -> Iterator[str]:
    """An input's lines, decoded one at a time (a file is never read whole): UTF-8, or UTF-16
    with a BOM; newlines made `\\n`; a NUL, a bad byte or an over-long line is an error naming
    the line."""
    if not src.head:
        raise NoCommentsError("the file is empty", path=src.given)
    encoding = _encoding(src.head, "utf-8-sig")
    n = 0
    with src.stream() as raw:
        try:
            for n, line in enumerate(io.TextIOWrapper(raw, encoding=encoding, newline=None), start=1):
                if "\x00" in line:
                    raise InputError("binary data, not text: a NUL character", path=src.given, line=n)
                if len(line) > max_chars and len(line.rstrip("\n")) > max_chars:
                    raise InputError(f"line is {len(line.rstrip(chr(10))):,} characters long; the limit is "
                                     f"{max_chars:,} (BuildConfig.max_comment_chars)", path=src.given, line=n)
                yield line
        except UnicodeDecodeError as e:
            line = _first_bad_line(src) if encoding == "utf-8-sig" else n + 1
            raise InputError("not valid UTF-8: a bad byte" if encoding == "utf-8-sig" else "not valid UTF-16",
                             path=src.given, line=line) from e


def _first_bad_line(src: Source) -> int:
    """The decoder reads ahead in blocks; find the line that holds the bad byte."""
    with src.open() as f:
        for n, raw in enumerate(f, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                return n
    return 1


def read_text(src: Source) -> str:
    """An input as text: UTF-8 (or UTF-16 with a BOM), newlines made `\\n`."""
    data = src.read_all()
    if not data:
        raise NoCommentsError("the file is empty", path=src.given)
    encoding = _encoding(data, "utf-8")
    if encoding != "utf-16" and b"\x00" in data:
        raise InputError(f"binary data, not text: NUL byte at offset {data.index(0)}", path=src.given)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as e:
        raise InputError(f"not valid {encoding.upper()}: bad byte at offset {e.start}", path=src.given) from e
    if "\x00" in text:
        raise InputError(f"binary data, not text: NUL character at offset {text.index(chr(0))}", path=src.given)
    return text.replace("\r\n", "\n").replace("\r", "\n")
