"""Which licence a LICENSE / COPYING file holds, for registries that ship files rather than licence fields
(the Go module proxy's ``.zip``).

A small matcher on the key phrases of the SPDX licence texts (https://spdx.org/licenses/; the matching
guidelines, https://spdx.github.io/spdx-spec/v2.3/license-matching-guidelines-and-templates/, compare
text after lower-casing and collapsing white space and punctuation, which is what :func:`normalise`
does). Each licence is recognised by phrases of its own text that the others lack: BSD-3-Clause by the
"neither the name" clause BSD-2-Clause has not, ISC by its one-sentence grant, 0BSD by that grant without
the notice condition. A text matching none is "not known": an unrecognised licence is never guessed.

Python bindings of askalono (a well-known Rust licence detector) exist on PyPI, but the binding reloads
its licence store on every call (about 0.4 s of CPU per file here) and is not kept by askalono's authors.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

#: (SPDX id, phrases that must all appear in the normalised text, phrases that must not). Licences that
#: other texts name (the GNU family, Apache, MPL) are recognised by their title line with its date, which a
#: mention ("Licensed under the Apache License, Version 2.0", MPL's list of secondary licences) lacks.
_LICENCES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("Apache-2.0", ("apache license version 2 0 january 2004",), ()),
    # The notice Apache's appendix asks to put in files applies the licence by reference.
    (
        "Apache-2.0",
        ("licensed under the apache license version 2 0 the license you may not use this file except in",),
        (),
    ),
    ("MPL-2.0", ("mozilla public license version 2 0", "1 1 contributor"), ()),
    ("AGPL-3.0", ("gnu affero general public license version 3 19 november 2007",), ()),
    ("LGPL-3.0", ("gnu lesser general public license version 3 29 june 2007",), ()),
    ("LGPL-2.1", ("gnu lesser general public license version 2 1 february 1999",), ()),
    ("GPL-3.0", ("gnu general public license version 3 29 june 2007",), ()),
    ("GPL-2.0", ("gnu general public license version 2 june 1991",), ()),
    ("EPL-2.0", ("eclipse public license v 2 0",), ()),
    ("BSL-1.0", ("boost software license version 1 0 august 17th 2003",), ()),
    ("Unlicense", ("this is free and unencumbered software released into the public domain",), ()),
    ("CC0-1.0", ("cc0 1 0 universal",), ()),
    (
        "MIT",
        (
            "permission is hereby granted free of charge to any person obtaining a copy",
            "the above copyright notice and this permission notice shall be included",
        ),
        (),
    ),
    (
        "BSD-3-Clause",
        (
            "redistribution and use in source and binary forms with or without modification are permitted",
            "neither the name of",
        ),
        ("all advertising materials mentioning",),
    ),
    (
        "BSD-2-Clause",
        ("redistribution and use in source and binary forms with or without modification are permitted",),
        ("neither the name of", "all advertising materials mentioning", "the names of its contributors"),
    ),
    (
        "ISC",
        (
            "permission to use copy modify and or distribute this software for any purpose with or without fee",
            "provided that the above copyright notice and this permission notice appear in all copies",
        ),
        (),
    ),
    (
        "0BSD",
        ("permission to use copy modify and or distribute this software for any purpose with or without fee",),
        ("provided that the above copyright notice and this permission notice appear in all copies",),
    ),
    (
        "Zlib",
        (
            "this software is provided as is without any express or implied warranty",
            "altered source versions must be plainly marked as such",
        ),
        (),
    ),
)  # fmt: skip

_NAMES = re.compile(r"^(licen[cs]e|copying|unlicense)([-._][a-z0-9._-]*)?$", re.IGNORECASE)
_NOT_WORD = re.compile(r"[^a-z0-9]+")
#: Only the head of a long file is compared (a file bundling several licences runs to about 30 kB).
MAX_TEXT = 128 * 1024


def is_licence_file(name: str) -> bool:
    """``LICENSE``, ``LICENCE.md``, ``COPYING``, ``LICENSE-MIT``, ``UNLICENSE``... (not ``license.go``)."""
    return bool(_NAMES.match(name)) and not name.lower().endswith((".go", ".sh", ".py", ".json"))


def normalise(text: str) -> str:
    """Lower case, every run of punctuation and white space one space (SPDX matching guidelines)."""
    return " " + _NOT_WORD.sub(" ", text[:MAX_TEXT].lower()).strip() + " "


def identify(text: str) -> tuple[str, ...]:
    """The SPDX ids of the licences ``text`` holds (a file may hold several: MIT and Apache-2.0), in the
    table's order; empty when none is recognised."""
    body = normalise(text)
    return tuple(
        dict.fromkeys(
            spdx
            for spdx, wanted, unwanted in _LICENCES
            if all(f" {p} " in body for p in wanted) and not any(f" {p} " in body for p in unwanted)
        )
    )


def licence_of(files: Sequence[tuple[str, str]]) -> tuple[str | None, str | None]:
    """(licences, None) or (None, why not known) for a module's top-level licence files (name, text).

    Several licences (files ``LICENSE-MIT`` and ``LICENSE-APACHE``, or one file holding both) are listed,
    comma separated: the files do not say whether both apply or either. One file of several not recognised
    makes the whole "not known", rather than a partial answer read as complete."""
    if not files:
        return None, "no LICENSE or COPYING file at the top of the module"
    named: list[str] = []
    for name, text in files:
        found = identify(text)
        if not found:
            return None, f"{name}: licence text not recognised"
        named.extend(found)
    return ", ".join(sorted(set(named))), None
