"""Long core operations run off the GUI thread, behind a modal progress dialog.

The core takes ``progress(done, total)`` and ``cancelled()`` callbacks (see STYLE.md); this is
the one place where the program turns them into a progress dialog with Cancel.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

Progress = Callable[[int, int], None]


class _Job:
    """Runs ``job(progress)`` on a plain Python thread; the GUI thread polls it.

    No Qt object is touched off the GUI thread (a QThread running Python code crashed PySide
    now and then when the GUI thread collected garbage meanwhile).
    """

    def __init__(self, job: Callable[[Callable[[int, int], None]], object]) -> None:
        self.job = job
        self.error: BaseException | None = None
        self.progress = (0, 0)
        self.done = threading.Event()

    def start(self) -> None:
        threading.Thread(target=self._run, name="pollcheck-job", daemon=True).start()

    def _run(self) -> None:
        try:
            self.job(self._report)
        except BaseException as exc:  # handed to the GUI thread, which shows it
            self.error = exc
        finally:
            self.done.set()

    def _report(self, done: int, total: int) -> None:
        self.progress = (done, total)


def run_job(
    parent: QWidget,
    text: str,
    job: Callable[[Progress, Callable[[], bool]], object],
    *,
    cancellable: bool = True,
    progress: QProgressDialog | None = None,
) -> tuple[object, BaseException | None]:
    """Run ``job(progress, cancelled)`` on a worker thread behind a modal progress dialog.

    Returns the job's result and the exception it raised (or None). Cancel sets what
    ``cancelled()`` returns; the job decides where to stop.
    """
    cancel = threading.Event()
    if progress is None:
        progress = QProgressDialog(parent)
    progress.setLabelText(text)
    progress.setRange(0, 0)
    if cancellable:
        progress.setCancelButtonText(QCoreApplication.translate("ExportDialog", "Cancel"))
    else:
        progress.setCancelButton(None)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(300)
    progress.setAutoClose(False)
    progress.setAutoReset(False)
    progress.canceled.connect(cancel.set)
    if progress.wasCanceled():
        cancel.set()
    result: list[object] = []
    worker = _Job(lambda report: result.append(job(report, cancel.is_set)))
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(50)

    def check() -> None:
        done, total = worker.progress
        if total and progress.maximum() != total:
            progress.setRange(0, total)
        if total:
            progress.setValue(min(done, total))
        if worker.done.is_set():
            loop.quit()

    poll.timeout.connect(check)
    # The garbage collector stays off while the job runs: with PySide6 6.12 on Python 3.11,
    # a collection on the GUI thread while the job parsed a workbook crashed the process
    # (about one run in six of the tests).
    collecting = gc.isenabled()
    gc.disable()
    try:
        worker.start()
        poll.start()
        if not worker.done.is_set():
            loop.exec()
        poll.stop()
        worker.done.wait()
    finally:
        if collecting:
            gc.enable()
    progress.close()
    return (result[0] if result else None), worker.error
