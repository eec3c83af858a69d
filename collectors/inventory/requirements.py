"""pip requirements files (https://pip.pypa.io/en/stable/reference/requirements-file-format/).

Every requirement is a direct runtime dependency: a pin (``==1.2``) gives the version, anything else is
kept as a specifier with an empty version. Except in pip-compile (and ``uv pip compile``) output, whose
``# via`` annotations say why each pin is there (https://pip-tools.readthedocs.io/en/latest/#example-usage-for-pip-compile):
a pin ``# via -r requirements.in`` is direct, a pin ``# via requests`` is requests' dependency (an edge
from requests), so the file gives the graph the resolver found. Extras, environment markers and ``--hash`` options are read;
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
from collectors.inventory.model import Component, ComponentKey, Inventory, InventoryBuilder
from collectors.inventory.textfile import read_text
from collectors.purls import PurlError, package_id

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


def via_annotations(text: str) -> dict[int, list[str]]:
    """pip-compile's ``# via`` comments: the line number of each annotated requirement -> its reasons."""
    found: dict[int, list[str]] = {}
    current: int | None = None
    collecting: list[str] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            if not line[0].isspace() and not stripped.startswith("-"):
                current = number  # a requirement line (continuations start with spaces)
            collecting = None
            continue
        comment = stripped.lstrip("#").strip()
        if comment == "via" and current is not None:
            collecting = found.setdefault(current, [])
        elif comment.startswith("via ") and current is not None:
            found.setdefault(current, []).append(comment[4:].strip())
            collecting = None
        elif collecting is not None and comment:
            collecting.append(comment)
    return found


def _read(path: Path, builder: InventoryBuilder, chain: tuple[Path, ...], parents: _Parents) -> None:
    source = str(path)
    try:
        annotations = via_annotations(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, OSError):
        annotations = {}  # _logical_lines reports it
    for number, line in _logical_lines(path, source):
        where = str(number)
        if line.startswith("-"):
            option, _, value = line.replace("=", " ", 1).partition(" ")
            value = value.strip()
            if option in ("-r", "--requirement"):
                _include(path, value, where, builder, chain, parents)
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
        reasons = annotations.get(number) if annotations else None
        key = _requirement(line, source, where, builder, direct=reasons is None or _is_direct(reasons))
        if key is not None and reasons is not None:
            parents.append((key, [r for r in reasons if not r.startswith("-")]))


_Parents = list[tuple[ComponentKey, list[str]]]


def _is_direct(reasons: list[str]) -> bool:
    """Direct when an input file asked for it (``-r requirements.in``), not a constraint or a package."""
    return any(r.startswith(("-r ", "--requirement ")) for r in reasons)


def _include(
    path: Path, value: str, where: str, builder: InventoryBuilder, chain: tuple[Path, ...], parents: _Parents
) -> None:
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
    _read(target, builder, (*chain, target.resolve()), parents)


def _requirement(
    line: str, source: str, where: str, builder: InventoryBuilder, *, direct: bool = True
) -> ComponentKey | None:
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
        return None
    try:
        req = Requirement(text)
    except InvalidRequirement as exc:
        reason = str(exc).splitlines()[0]
        raise InputError(source, f"pip would reject this requirement: {reason}", where=where) from exc
    specs = list(req.specifier)
    pinned = len(specs) == 1 and specs[0].operator in ("==", "===") and "*" not in specs[0].version
    key = builder.add(
        Component(
            package=package_id("pypi", req.name),
            version=specs[0].version if pinned else "",
            specifier=str(req.specifier) or None,
            marker=str(req.marker) if req.marker else None,
        )
    )
    if direct:
        builder.root(key)
    return key


def parse(path: Path) -> Inventory:
    builder = InventoryBuilder(str(path), "requirements")
    parents: _Parents = []
    _read(path, builder, (path.resolve(),), parents)
    by_name = {key.purl: key for key in builder.components}
    for child, reasons in parents:
        for reason in reasons:
            name = reason.split("[", 1)[0].split(" ", 1)[0]
            try:
                parent = by_name.get(package_id("pypi", name).purl)
            except PurlError:
                parent = None
            if parent is None:
                builder.skip(f"{child.purl}", f"'# via {reason}' names no package of the file; edge left out")
                continue
            builder.edge(parent, child)
    return builder.build()
