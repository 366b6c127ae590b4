"""Turn an input file's bytes into text, with errors that say where it went wrong."""

from __future__ import annotations

import codecs
from pathlib import Path

from ..errors import InputError

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def read_text(path: Path) -> str:
    """Read a file as text: UTF-8 (or UTF-16 with a BOM), newlines made `\\n`."""
    if not path.exists():
        raise InputError("no such file", path=str(path))
    if path.is_dir():
        raise InputError("is a directory, not a file", path=str(path))
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
