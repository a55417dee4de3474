"""Writes an export atomically: a temporary file beside the target, renamed when complete; the
writer's own temporary files beside it too, removed at the end."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
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


# tempfile.tempdir is the process's: one export at a time redirects it.
_REDIRECT = threading.Lock()


@contextmanager
def temporary_files_beside(tmp: Path) -> Iterator[Path]:
    """Have the temporary files Python makes while the block runs go to a private folder
    beside ``tmp`` (an export being written), removed when the block ends, whatever happens.

    openpyxl writes each sheet of a write-only workbook to a temporary file until the workbook
    is saved. In the system's temporary folder, an export killed half-way (or a pulled plug)
    would leave the reports' answers there, on the laptop's disk, whatever medium the mission
    and the export were on; here they stay in the folder the user chose for the export.

    Raises:
        KnownError: the folder cannot be written to.
    """
    try:
        folder = Path(tempfile.mkdtemp(dir=tmp.parent, prefix=f"{tmp.name}.parts-"))
    except OSError as exc:
        raise cannot_write(tmp, exc) from None
    try:
        with _REDIRECT:
            before = tempfile.tempdir
            tempfile.tempdir = str(folder)
            try:
                yield folder
            finally:
                tempfile.tempdir = before
    finally:
        shutil.rmtree(folder, ignore_errors=True)
