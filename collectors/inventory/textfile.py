"""Opening inventory files safely: regular files only, bounded size, and the text encodings pip accepts.

A FIFO or a device given as an input would block the import forever (or read without end) while it holds
the store's write lock, so only regular files are opened. Text is UTF-8, with or without a byte-order mark;
UTF-16 and UTF-32 are read when a byte-order mark says so, as pip does for requirements files
(pip/_internal/utils/encoding.py ``auto_decode``).
"""

from __future__ import annotations

import codecs
import stat
from pathlib import Path

from collectors.errors import InputError

#: Largest file read whole as text (requirements, TOML, package.json); SBOMs are streamed instead.
MAX_TEXT_BYTES = 64 * 1024 * 1024

#: Byte-order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def check_regular(path: Path) -> None:
    """Refuse what is missing or not a regular file (a FIFO, a device, a socket), without opening it."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError as exc:
        raise InputError(str(path), "no such file or directory") from exc
    except OSError as exc:
        raise InputError(str(path), f"cannot read ({exc.strerror})") from exc
    if stat.S_ISDIR(mode):
        raise InputError(str(path), "is a directory")
    if not stat.S_ISREG(mode):
        raise InputError(str(path), "not a regular file (a pipe, device or socket); refused")


def bom_encoding(head: bytes) -> tuple[str, int] | None:
    """The encoding a byte-order mark at the start of ``head`` announces, and the mark's length."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding, len(bom)
    return None


def read_text(path: Path, *, what: str = "an SBOM or lockfile") -> str:
    """The text of a regular file of at most :data:`MAX_TEXT_BYTES`, decoded as described above."""
    source = str(path)
    check_regular(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_TEXT_BYTES + 1)
    except OSError as exc:
        raise InputError(source, f"cannot read ({exc.strerror})") from exc
    if len(data) > MAX_TEXT_BYTES:
        raise InputError(source, f"larger than {MAX_TEXT_BYTES // (1024 * 1024)} MB; refused")
    encoding, skip = bom_encoding(data) or ("utf-8", 0)
    try:
        return data[skip:].decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            source, f"not UTF-8 text: binary, or saved in another encoding (not {what})"
        ) from exc
