"""Build small git histories with pygit2 in a temporary folder: each commit names its author, time and the
files it writes (content), deletes (None) or renames."""

from __future__ import annotations

from pathlib import Path

import pygit2

BASE_TIME = 1_600_000_000  # 2020-09-13


class RepoBuilder:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.repo = pygit2.init_repository(str(path), bare=False, initial_head="main")
        self.clock = BASE_TIME

    def commit(
        self,
        author: str,
        email: str,
        files: dict[str, str | None] | None = None,
        *,
        renames: dict[str, str] | None = None,
        message: str = "change",
        at: int | None = None,
        parents: list[str] | None = None,
        ref: str | None = "HEAD",
    ) -> str:
        workdir = Path(self.repo.workdir)
        for old, new in (renames or {}).items():
            (workdir / new).parent.mkdir(parents=True, exist_ok=True)
            (workdir / old).rename(workdir / new)
        for name, content in (files or {}).items():
            target = workdir / name
            if content is None:
                target.unlink()
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(content, encoding="utf-8")
        index = self.repo.index
        index.add_all()
        for entry in list(index):
            if not (workdir / entry.path).exists():
                index.remove(entry.path)
        index.write()
        tree = index.write_tree()
        self.clock = at if at is not None else self.clock + 3600
        signature = pygit2.Signature(author, email, self.clock, 0)
        if parents is None:
            parents = [] if self.repo.head_is_unborn else [str(self.repo.head.target)]
        oid = self.repo.create_commit(ref, signature, signature, message + "\n", tree, parents)
        return str(oid)

    def reset_hard(self, sha: str) -> None:
        """Move the branch back (a force-push) and the work tree with it."""
        self.repo.reset(pygit2.Oid(hex=sha), pygit2.enums.ResetMode.HARD)


def body(n: int, tag: str = "x") -> str:
    """File content distinct enough that git's rename detection treats edits as modifications."""
    return "".join(f"{tag} line {i}\n" for i in range(n))
