"""Writes an export atomically: a temporary file beside the target, renamed when complete."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from exports.errors import cannot_write


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_output(out: Path) -> Iterator[Path]:
    """Yield a temporary path in ``out``'s folder; on success it becomes ``out``.

    Writers that stream to a file (openpyxl, reportlab) write to the yielded path. When the
    block raises (an error, a cancel, Ctrl+C) the temporary file is removed, so a failed export
    never leaves half a file under the final name, and an older ``out`` stays as it was.

    Raises:
        KnownError: the folder does not exist or cannot be written to.
    """
    out = Path(out)
    folder = out.parent if str(out.parent) else Path(".")
    try:
        fd, name = tempfile.mkstemp(dir=folder, prefix=f".{out.name}.", suffix=".tmp")
    except OSError as exc:
        raise cannot_write(out, exc) from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp's files are owner-only
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise cannot_write(out, exc) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
