"""Reading a vulnerability file: bounded in size and depth, one clear error naming the file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from collectors.errors import InputError

#: A scanner's report of a large estate stays well under this; larger is refused rather than read whole.
MAX_BYTES = 256 * 1024 * 1024


def read_json(path: Path) -> Any:
    try:
        if not path.is_file():
            raise InputError(str(path), "not a regular file")
        if path.stat().st_size > MAX_BYTES:
            raise InputError(str(path), f"larger than {MAX_BYTES // (1024 * 1024)} MB")
        text = path.read_bytes().decode("utf-8-sig")
        return json.loads(text)
    except OSError as exc:
        raise InputError(str(path), f"cannot read it ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise InputError(str(path), "not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise InputError(str(path), f"invalid JSON at line {exc.lineno}: {exc.msg}") from exc
    except RecursionError as exc:
        raise InputError(str(path), "JSON nested too deeply") from exc
