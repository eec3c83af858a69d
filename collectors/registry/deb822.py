"""Streaming reader of Debian's archive indices (``Sources.xz``, ``Packages.xz``): xz is decompressed a
chunk at a time and deb822 paragraphs (https://www.debian.org/doc/debian-policy/ch-controlfields.html)
are yielded as they complete, so a 45 MB index never sits whole in memory.

Only the fields asked for are kept (continuation lines folded with newlines); a paragraph larger than
``MAX_PARAGRAPH`` is refused, as is an index that decompresses past ``MAX_INDEX``.

python-debian's deb822 reads paragraphs from a file object too, but parses every field of every
paragraph; keeping a handful of fields is several times faster here, and the format is small.
"""

from __future__ import annotations

import lzma
from collections.abc import Iterable, Iterator

from collectors.errors import InputError

CHUNK = 1024 * 1024
#: The largest paragraphs (sources building hundreds of binaries) are about 200 kB.
MAX_PARAGRAPH = 4 * 1024 * 1024
#: bookworm's main Sources is about 45 MB decompressed, Packages about 47 MB.
MAX_INDEX = 1024 * 1024 * 1024


def decompress_xz(chunks: Iterable[bytes], source: str) -> Iterator[bytes]:
    """Decompressed bytes of an xz stream, in pieces of at most ``CHUNK`` bytes."""
    decompressor = lzma.LZMADecompressor(format=lzma.FORMAT_XZ)
    total = 0
    try:
        for chunk in chunks:
            data = chunk
            while True:
                out = decompressor.decompress(data, max_length=CHUNK)
                total += len(out)
                if total > MAX_INDEX:
                    raise InputError(source, f"index decompresses past {MAX_INDEX} bytes")
                if out:
                    yield out
                data = b""
                if decompressor.eof or decompressor.needs_input:
                    break
            if decompressor.eof:
                return
    except lzma.LZMAError as exc:
        raise InputError(source, f"not a valid xz stream ({exc})") from exc
    if not decompressor.eof:
        raise InputError(source, "the xz stream is truncated")


def _parse(paragraph: str, wanted: frozenset[str]) -> dict[str, str]:
    fields: dict[str, str] = {}
    key: str | None = None
    for line in paragraph.split("\n"):
        if not line:
            continue
        if line[0] in " \t":
            if key is not None:
                fields[key] += "\n" + line.strip()
            continue
        name, sep, value = line.partition(":")
        key = name if sep and name in wanted else None
        if key is not None:
            fields[key] = value.strip()
    return fields


def paragraphs(pieces: Iterable[bytes], wanted: Iterable[str], source: str) -> Iterator[dict[str, str]]:
    """The ``wanted`` fields of each paragraph of decompressed deb822 text."""
    keys = frozenset(wanted)
    pending = ""
    for piece in pieces:
        text = pending + piece.decode("utf-8", "replace")
        blocks = text.split("\n\n")
        pending = blocks.pop()
        if len(pending) > MAX_PARAGRAPH:
            raise InputError(source, f"a paragraph exceeds {MAX_PARAGRAPH} bytes")
        for block in blocks:
            if block.strip():
                yield _parse(block, keys)
    if pending.strip():
        yield _parse(pending, keys)


def people(value: str | None) -> list[tuple[str, str | None]]:
    """``Name <email>, Other <email>`` (Maintainer, Uploaders) as (name, email) pairs."""
    out: list[tuple[str, str | None]] = []
    for part in (value or "").replace("\n", " ").split(">,"):
        name, _, email = part.partition("<")
        name = name.strip().strip(",").strip()
        if name:
            out.append((name[:200], email.strip(" >")[:200] or None))
    return out
