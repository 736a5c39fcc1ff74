"""Where file contents live, by SHA-256. The local store writes under var/files; any store with
these four operations (an S3-compatible bucket keyed by the same names) can take its place."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

from yiwang.config import get_settings
from yiwang.kit.fileio import write_atomic


class BlobStore(Protocol):
    def put(self, sha256: str, data: bytes) -> None: ...

    def get(self, sha256: str) -> bytes: ...

    def exists(self, sha256: str) -> bool: ...

    def delete(self, sha256: str) -> None: ...

    def names(self) -> list[tuple[str, float]]:
        """Every stored name with its modification time (seconds since the epoch)."""
        ...


class LocalBlobStore:
    """var/files/ab/cd/abcd…: two directory levels keep directories small at millions of files."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, sha256: str) -> Path:
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise ValueError("not a SHA-256 name")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, sha256: str, data: bytes) -> None:
        path = self._path(sha256)
        if path.exists():
            # Fresh again: an old orphan about to be referenced must outlive the collector's
            # age cut-off until the row that refers to it commits.
            os.utime(path)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write aside, fsync, then rename: a reader never sees half a file, and the bytes are
        # on disk before the database row that refers to them commits.
        write_atomic(path, data)
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    def get(self, sha256: str) -> bytes:
        return self._path(sha256).read_bytes()

    def exists(self, sha256: str) -> bool:
        return self._path(sha256).exists()

    def delete(self, sha256: str) -> None:
        self._path(sha256).unlink(missing_ok=True)

    def names(self) -> list[tuple[str, float]]:
        if not self.root.exists():
            return []
        return [
            (p.name, p.stat().st_mtime)
            for p in self.root.glob("??/??/*")
            if p.is_file() and not p.name.startswith(".")
        ]


def default_store() -> BlobStore:
    return LocalBlobStore(get_settings().var_dir / "files")
