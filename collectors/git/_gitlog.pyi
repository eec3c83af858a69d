from typing import Any

def parse(
    block: bytes, columns: tuple[list[Any], ...], seen: set[str], /
) -> tuple[str | None, list[tuple[int, str]]]: ...
