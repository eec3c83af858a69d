"""Format detection from content, and the one line for files socle does not read."""

from __future__ import annotations

from pathlib import Path

import pytest

from collectors.errors import InputError
from collectors.inventory.detect import FORMATS, detect_format
from tests.inventory.helpers import FIXTURES

JS, PY = FIXTURES / "js", FIXTURES / "python"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (JS / "pnpm9" / "pnpm-lock.yaml", "pnpm-lock"),
        (JS / "pnpm8" / "pnpm-lock.yaml", "pnpm-lock"),
        (JS / "yarn1" / "yarn.lock", "yarn-lock"),
        (JS / "berry" / "yarn.lock", "yarn-lock"),
        (JS / "shrinkwrap" / "npm-shrinkwrap.json", "npm-lock"),
        (JS / "npm-workspace" / "package-lock.json", "npm-lock"),
        (PY / "pipenv" / "Pipfile.lock", "pipfile-lock"),
        (PY / "pylock" / "pylock.toml", "pylock"),
        (PY / "uv-workspace" / "uv.lock", "uv-lock"),
        (PY / "conda" / "environment.yml", "conda-env"),
        (PY / "conda" / "conda-lock.yml", "conda-lock"),
        (PY / "pip-compile" / "requirements.txt", "requirements"),
    ],
    ids=lambda p: str(p).split("fixtures/")[-1] if isinstance(p, Path) else p,
)
def test_real_files_are_detected_from_content(tmp_path: Path, path: Path, expected: str) -> None:
    renamed = tmp_path / "input"  # the name only breaks ties: content decides
    renamed.write_bytes(path.read_bytes())
    assert detect_format(path) == expected
    assert detect_format(renamed) == expected


SUPPORTED = ", ".join(f.label for f in FORMATS)


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("Podfile.lock", "PODS:\n  - Alamofire (5.9.1)\n", "a CocoaPods Podfile.lock"),
        ("pubspec.lock", "packages:\n  path:\n    version: '1.9.0'\n", "a Dart pubspec.lock"),
        ("mkdocs.yml", "site_name: docs\nnav:\n  - index.md\n", "a YAML document of no known kind"),
        ("app.xml", "<?xml version='1.0'?>\n<settings></settings>\n", "an XML document of no known kind"),
        ("config.toml", "[server]\nport = 8080\n", "a TOML document of no known kind"),
        ("other.json", '{"hello": "world"}', "a JSON document of no known kind"),
        ("notes", "Some notes: not a list of packages.\nSecond line!\n", "a text file of no known kind"),
    ],
)
def test_anything_else_is_one_line_naming_what_it_looks_like(
    tmp_path: Path, name: str, content: str, kind: str
) -> None:
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(InputError) as caught:
        detect_format(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: socle takes this for {kind}")
    assert message.endswith(f"that format is not supported (supported: {SUPPORTED})")
    assert "\n" not in message
    assert "pip would reject" not in message and "TOML" not in message.split(";")[0].replace(kind, "")


def test_yaml_keys_are_found_after_a_long_comment_header(tmp_path: Path) -> None:
    # conda-lock writes a header of about 25 comment lines before `version:`; keys are read anywhere in
    # the first 64 KB, at column 0 only.
    header = "".join(f"# header line {i}\n" for i in range(120))
    path = tmp_path / "conda-lock.yml"
    path.write_text(header + (PY / "conda" / "conda-lock.yml").read_text())
    assert detect_format(path) == "conda-lock"
