"""The parsers of git's output, the Python one and the compiled one (collectors/git/_gitlog.c), on output
written here byte by byte where git itself rarely writes it: invalid UTF-8, copies, ids to strip, a file
status cut short. The real output of real histories goes through both in test_mining.py."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from collectors.errors import TerminalError
from collectors.git import git_engine
from tests.git.builder import RepoBuilder, body

SHA_A, SHA_B, SHA_C = "a" * 40, "b" * 40, "c" * 64  # a 64-digit id: a SHA-256 repository


def _commit(sha: str, name: bytes, email: bytes, message: bytes, files: bytes) -> bytes:
    """One commit as the engine's ``git log -z`` format writes it."""
    return (
        git_engine._MARK
        + b"\0".join([sha.encode(), name, email, b"1600000000", b"1600000100", message])
        + (b"\0\0" + files)
    )


def _parse(blocks: list[bytes]) -> tuple[git_engine._TwoEnds, list[bool]]:
    ends = git_engine._TwoEnds(Path("repo"), 1)
    return ends, [ends.add(0, block) for block in blocks]


def test_both_parsers_read_invalid_utf8_copies_renames_and_trailers_alike(parser: str) -> None:
    first = _commit(
        SHA_A,
        b"Ren\xe9 \xff",  # Latin-1 and a stray byte: each replaced, as decoding the whole block replaces them
        b"rene@example.org",
        b"Fix\n\nCO-AUTHORED-BY: Zo\xe9 <zoe@example.org>\nco-authored-by: Al <al@example.org>\n",
        b"\nM\0src/caf\xc3\xa9.py\0R087\0old name.py\0new\tname.py\0C075\0a.py\0copy of a.py\0D\0gone\xe9\0",
    )
    second = _commit("  " + SHA_B + "\n", b"Bo", b"bo@example.org", b"Empty, no trailer\n", b"")
    third = _commit(SHA_C, b"Cy", b"cy@example.org", b"co-authored by nobody\n", b"\nA\0new.py\0")
    ends, met = _parse([first + second, third])
    out = ends.history()
    assert met == [False, False]
    assert out.sha == [SHA_A, SHA_B, SHA_C]
    assert out.author_name == ["Ren\ufffd \ufffd", "Bo", "Cy"]
    assert out.authored_at == [1_600_000_000] * 3 and out.committed_at == [1_600_000_100] * 3
    assert out.co_authors == [["Zo\ufffd <zoe@example.org>", "Al <al@example.org>"], None, None]
    # a copy is an addition of its new path; a rename keeps both paths
    assert out.file_status == ["M", "R", "A", "D", "A"]
    assert out.file_path == ["src/café.py", "new\tname.py", "copy of a.py", "gone\ufffd", "new.py"]
    assert out.file_old_path == [None, "old name.py", None, None, None]
    assert out.file_sha == [SHA_A] * 4 + [SHA_C]
    assert ends.file_counts[0] == [4, 0, 1]
    # names and paths are one string each, however often they occur
    assert sys.intern(out.author_name[0]) is out.author_name[0]
    assert sys.intern(out.file_path[1]) is out.file_path[1]


def test_a_repeated_commit_stops_the_reading_where_the_ends_meet(parser: str) -> None:
    newest = [_commit(sha, b"N", b"n@example.org", b"m\n", b"\nM\0f\0") for sha in (SHA_A, SHA_B)]
    ends = git_engine._TwoEnds(Path("repo"), 2)
    assert not ends.add(0, newest[0])
    # the oldest end reads SHA_B, then SHA_A: the newest end's last commit, where they meet
    assert ends.add(1, newest[1] + newest[0]) is True
    history = ends.history()
    assert history.sha == [SHA_A, SHA_B]
    assert history.file_sha == [SHA_A, SHA_B]


@pytest.mark.parametrize(
    ("output", "why"),
    [
        (git_engine._MARK + SHA_A.encode() + b"\0Ann\0ann@example.org\0", "a commit of 4 fields near 'a"),
        (
            _commit(SHA_A, b"N", b"n@example.org", b"m\n", b"\nR100\0only-one-path\0"),
            r"a file status without its path \('R100'",
        ),
        (_commit(SHA_A, b"N", b"n@example.org", b"m\n", b"\nM\0"), r"a file status without its path \('M'\)"),
        (_commit(SHA_A, b"N", b"n@example.org", b"m\n", b"\nM"), r"a file status without its path \('M'\)"),
        (
            _commit(SHA_A, b"N", b"n@example.org", b"m\n", b"\n\n\0f\0"),
            r"a file status without its path \(''\)",
        ),
    ],
)
def test_output_cut_short_is_an_error_naming_the_repository(parser: str, output: bytes, why: str) -> None:
    with pytest.raises(TerminalError, match=f"repo: unexpected git output \\({why}"):
        _parse([output])


def test_a_date_that_is_not_a_number_is_an_error(parser: str) -> None:
    output = _commit(SHA_A, b"N", b"n@example.org", b"m\n", b"").replace(b"1600000000", b"16x")
    with pytest.raises(TerminalError, match="unexpected git output"):
        _parse([output])


def test_both_parsers_give_the_same_columns_for_a_real_history_read_in_any_pieces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if git_engine._TwoEnds.compiled is None:
        pytest.skip("the compiled parser was not built (the parser fixture says whether it should have been)")
    b = RepoBuilder(tmp_path / "r")
    b.commit("Ann", "ann@example.org", {"a.py": body(30, "a"), "naïve/été.py": body(5, "u")})
    b.commit(
        "Bo", "bo@example.org", renames={"a.py": "lib/a.py"}, message="Move\n\nCo-Authored-By: Ann <ann@x>"
    )
    for i in range(20):
        b.commit(f"Dev {i % 4}", f"dev{i % 4}@example.org", {f"m{i % 3}.py": body(4 + i, "m")})
    path = tmp_path / "r" / ".git"
    argv = git_engine._log_argv("git", path, str(b.repo.head.target), None, 0, reverse=False)
    out = subprocess.run(argv, capture_output=True, check=True).stdout
    columns = {}
    for name, compiled in (("compiled", git_engine._TwoEnds.compiled), ("python", None)):
        monkeypatch.setattr(git_engine._TwoEnds, "compiled", compiled)
        for size in (len(out), 300, 7):
            ends = git_engine._TwoEnds(path, 1)
            # cut where the reader cuts: before a marker
            rest = b""
            for i in range(0, len(out), size):
                data = rest + out[i : i + size]
                cut = data.rfind(git_engine._MARK)
                if cut > 0:
                    ends.add(0, data[:cut])
                    rest = data[cut:]
                else:
                    rest = data
            ends.add(0, rest)
            columns[name, size] = (ends.history().rows(), ends.file_counts[0])
    assert len(set(map(repr, columns.values()))) == 1
    assert len(columns["python", 7][0][0]) == 22
