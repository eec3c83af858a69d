"""pip requirements files (https://pip.pypa.io/en/stable/reference/requirements-file-format/).

Every requirement is a direct runtime dependency: a pin (``==1.2``) gives the version, anything else is
kept as a specifier with an empty version. Extras, environment markers and ``--hash`` options are read;
``-r``/``--requirement`` includes are followed (relative to the including file, loops refused).
Documented skips: editable installs and bare URLs or paths (no package name), ``-c`` constraint files.
A line pip would reject is a fatal error naming the file and line.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement

from collectors.errors import InputError
from collectors.inventory.model import Component, Inventory, InventoryBuilder
from collectors.inventory.textfile import read_text
from collectors.purls import package_id

#: Options pip accepts on their own line that say nothing about which packages are used.
_GLOBAL_OPTIONS = {
    "-i", "--index-url", "--extra-index-url", "--no-index", "-f", "--find-links", "--trusted-host",
    "--pre", "--prefer-binary", "--require-hashes", "--only-binary", "--no-binary", "--use-feature",
    "--config-settings", "--global-option",
}  # fmt: skip
#: Options a requirement line may carry after the requirement.
_LINE_OPTIONS = ("--hash", "--global-option", "--config-settings")


def _logical_lines(path: Path, source: str) -> Iterator[tuple[int, str]]:
    """Lines with ``\\`` continuations joined and comments removed, with their first line number."""
    text = read_text(path, what="a requirements file")  # UTF-8 with or without a BOM, UTF-16: as pip
    buffer, start = "", 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not buffer:
            start = number
        if line.endswith("\\"):
            buffer += line[:-1] + " "
            continue
        buffer += line
        content = buffer
        if content.lstrip().startswith("#"):
            content = ""
        elif " #" in content or "\t#" in content:
            content = content[: min(i for i in (content.find(" #"), content.find("\t#")) if i >= 0)]
        buffer = ""
        if content.strip():
            yield start, content.strip()
    if buffer.strip():
        yield start, buffer.strip()


def _read(path: Path, builder: InventoryBuilder, chain: tuple[Path, ...]) -> None:
    source = str(path)
    for number, line in _logical_lines(path, source):
        where = str(number)
        if line.startswith("-"):
            option, _, value = line.replace("=", " ", 1).partition(" ")
            value = value.strip()
            if option in ("-r", "--requirement"):
                _include(path, value, where, builder, chain)
            elif option in ("-c", "--constraint"):
                builder.skip(
                    f"{source}:{where}", f"constraints file {value} not read (constraints add no dependency)"
                )
            elif option in ("-e", "--editable"):
                builder.skip(
                    f"{source}:{where}", f"editable install {value} left out (no package name to identify)"
                )
            elif option not in _GLOBAL_OPTIONS:
                raise InputError(source, f"pip would reject this line: unknown option {option}", where=where)
            continue
        _requirement(line, source, where, builder)


def _include(path: Path, value: str, where: str, builder: InventoryBuilder, chain: tuple[Path, ...]) -> None:
    source = str(path)
    if not value:
        raise InputError(source, "-r needs a file name", where=where)
    target = path.parent / value
    if target.resolve() in chain:
        loop = " -> ".join(p.name for p in (*chain, target))
        raise InputError(source, f"include loop: {loop}", where=where)
    if not target.exists():
        raise InputError(source, f"included file {value} does not exist", where=where)
    if not target.is_file():
        raise InputError(source, f"included file {value} is not a regular file; refused", where=where)
    _read(target, builder, (*chain, target.resolve()))


def _requirement(line: str, source: str, where: str, builder: InventoryBuilder) -> None:
    text, options = line, ""
    for option in _LINE_OPTIONS:
        at = text.find(f" {option}")
        if at >= 0:
            text, options = text[:at], text[at:] + options
    if options:
        try:
            shlex.split(options)
        except ValueError as exc:
            raise InputError(source, f"pip would reject this line: {exc}", where=where) from exc
    text = text.strip()
    if (
        "://" in text.split("@", 1)[0]
        or text.startswith((".", "/"))
        or text.endswith((".whl", ".zip", ".tar.gz"))
    ):
        builder.skip(f"{source}:{where}", f"{text!r} is a URL or path without a package name; left out")
        return
    try:
        req = Requirement(text)
    except InvalidRequirement as exc:
        reason = str(exc).splitlines()[0]
        raise InputError(source, f"pip would reject this requirement: {reason}", where=where) from exc
    specs = list(req.specifier)
    pinned = len(specs) == 1 and specs[0].operator in ("==", "===") and "*" not in specs[0].version
    builder.root(
        builder.add(
            Component(
                package=package_id("pypi", req.name),
                version=specs[0].version if pinned else "",
                specifier=str(req.specifier) or None,
                marker=str(req.marker) if req.marker else None,
            )
        )
    )


def parse(path: Path) -> Inventory:
    builder = InventoryBuilder(str(path), "requirements")
    _read(path, builder, (path.resolve(),))
    return builder.build()
