"""The desktop program on the election-day template: opening a report, saving an answer, starting.

Medians of many runs, offscreen. Start-up is compared with a bare PySide6 window started the same
way in the same run (interleaved), because this machine is shared and absolute times are noisy.

    .venv/bin/python bench/bench_gui.py [RUNS]

Targets (issue): open a report <= 150 ms; one answer to committed <= 20 ms; program start to a
usable window <= 1.5 x a bare PySide6 window.

With valgrind installed, start-up is also counted in instructions (callgrind), bare window and
Pollcheck each up to the moment it says ``ready``: the count does not depend on what else the
machine is doing, so it shows what a change to start-up gained even on a busy machine.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1200, 720)
window.show()
QTimer.singleShot(0, lambda: (print("ready", flush=True), app.quit()))
app.exec()
"""


# Runs the bare window (``-c CODE``) or a module (``-m MODULE ARGS``) and ends the process the
# moment it prints ``ready``: what callgrind counts is the start-up alone, not the way out.
UNTIL_READY = """
import os, runpy, sys
class Out:
    def write(self, text):
        if text.startswith("ready"):
            os._exit(0)
        return len(text)
    def flush(self):
        pass
sys.stdout = Out()
if sys.argv[1] == "-c":
    code, sys.argv = sys.argv[2], ["-c"]
    exec(compile(code, "<bare>", "exec"), {"__name__": "__main__"})
else:
    sys.argv = sys.argv[2:]
    runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
"""


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _spawn_until_ready(args: list[str], env: dict[str, str]) -> float:
    """Seconds from starting the process to its line ``ready`` (a usable window)."""
    start = time.perf_counter()
    proc = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        args, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("ready"):
            elapsed = time.perf_counter() - start
            break
    else:
        raise RuntimeError(f"{args} never said ready")
    proc.stdout.read()  # until it quits
    proc.stdout.close()
    proc.wait(30)
    return elapsed


def _start_env(folder: Path) -> dict[str, str]:
    """The environment both programs start in: offscreen, settings and caches in ``folder``."""
    config = folder / "config"
    config.mkdir(exist_ok=True)
    script = folder / "start.json"
    script.write_text(json.dumps({"quit": True}), encoding="utf-8")
    env = {
        **os.environ,
        # As installed (pip or the frozen bundle): modules come from compiled bytecode. The
        # caches go to a temporary folder, not beside the sources.
        "PYTHONPYCACHEPREFIX": str(folder / "pycache"),
        "QT_QPA_PLATFORM": "offscreen",
        "POLLCHECK_CONFIG_DIR": str(config),
        "POLLCHECK_TEST_SCRIPT": str(script),
        "POLLCHECK_NO_ERR_WINDOWS": "1",
    }
    from gui.settings import Settings

    settings = Settings(config / "settings.ini")
    settings.observer = "Bench"
    settings.language = "en"
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def bench_start(demo: Path, folder: Path, runs: int) -> tuple[float, float]:
    env = _start_env(folder)
    bare_args = [sys.executable, "-c", BARE]
    ours_args = [sys.executable, "-m", "gui.launcher", str(demo)]
    for args in (bare_args, ours_args):  # warm the disk cache and .pyc files
        _spawn_until_ready(args, env)
    bare: list[float] = []
    ours: list[float] = []
    for _ in range(runs):
        bare.append(_spawn_until_ready(bare_args, env))
        ours.append(_spawn_until_ready(ours_args, env))
    return statistics.median(bare), statistics.median(ours)


def _instructions(args: list[str], env: dict[str, str]) -> int:
    """Instructions the program runs until it says ``ready``, counted by callgrind."""
    valgrind = shutil.which("valgrind")
    assert valgrind is not None
    done = subprocess.run(  # noqa: S603 - valgrind on our own interpreter
        [valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    found = re.search(r"Collected\s*:\s*(\d+)", done.stderr)
    if found is None:
        raise RuntimeError(f"callgrind counted nothing: {done.stderr[-500:]}")
    return int(found.group(1))


def bench_start_instructions(demo: Path, folder: Path) -> tuple[int, int] | None:
    """Instructions to ``ready``: (bare window, Pollcheck on ``demo``); None without valgrind."""
    if shutil.which("valgrind") is None:
        return None
    env = _start_env(folder)
    bare = [sys.executable, "-c", UNTIL_READY, "-c", BARE]
    ours = [sys.executable, "-c", UNTIL_READY, "-m", "gui.launcher", str(demo)]
    for args in (bare, ours):  # compiled bytecode in place, as installed
        subprocess.run(args, env=env, capture_output=True, check=False)  # noqa: S603
    return _instructions(bare, env), _instructions(ours, env)


def bench_in_process(demo: Path, runs: int) -> dict[str, float]:
    from PySide6.QtWidgets import QApplication

    from db.reports import list_reports
    from gui.main_window import MainWindow
    from gui.settings import Settings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    settings = Settings()
    settings.observer = "Bench"
    settings.language = "en"

    def settle() -> None:
        for _ in range(3):
            app.processEvents()

    # Opening a report the first time in a window (the form's widgets are built then), at its
    # first section and, as after a crash, at its largest (Voting, 30 questions)...
    cold: list[float] = []
    cold_large: list[float] = []
    uuids: list[str] = []
    for i in range(2 * max(5, runs // 4)):
        window = MainWindow(settings)
        window.resize(1366, 768)
        window.show()
        window.open_file(demo)
        settle()
        if not uuids:
            assert window.session is not None
            uuids = [r.uuid for r in list_reports(window.session.mission, form_id="eday")]
        large = i % 2 == 1
        start = time.perf_counter()
        window.open_report(uuids[i], 3 if large else None)
        settle()
        (cold_large if large else cold).append(time.perf_counter() - start)
        window.report_page.close_report()
        window.close()
        window.deleteLater()
        settle()
    # ... and each later time (the widgets are reused, filled with the report's answers).
    window = MainWindow(settings)
    window.resize(1366, 768)
    window.show()
    window.open_file(demo)
    window.open_report(uuids[0])
    settle()
    warm: list[float] = []
    for uuid in uuids[1 : runs + 1]:
        start = time.perf_counter()
        window.open_report(uuid)
        settle()
        warm.append(time.perf_counter() - start)

    # One answer: the edit (validation, skip logic, messages) and the save to committed.
    page = window.report_page
    entry = page.entry
    assert entry is not None
    edit: list[float] = []
    commit: list[float] = []
    for i in range(runs):
        start = time.perf_counter()
        entry.set_answer(("comments",), f"Seen at {i}")
        middle = time.perf_counter()
        assert page.save_now()
        end = time.perf_counter()
        edit.append(middle - start)
        commit.append(end - middle)
    total = [a + b for a, b in zip(edit, commit, strict=True)]
    window.close()
    return {
        "open_cold": statistics.median(cold),
        "open_cold_large": statistics.median(cold_large),
        "open_warm": statistics.median(warm),
        "edit": statistics.median(edit),
        "commit": statistics.median(commit),
        "answer": statistics.median(total),
    }


def main(runs: int = 40) -> None:
    from db.demo import make_demo

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["POLLCHECK_CONFIG_DIR"] = str(folder / "inproc")
        demo = folder / "demo.pollcheck"
        make_demo(demo, stations=300, reports=400)
        figures = bench_in_process(demo, runs)
        bare, ours = bench_start(demo, folder, max(10, runs // 3))
        counted = bench_start_instructions(demo, folder)
    print(f"open a report, first in a window:  {_ms(figures['open_cold'])}  (target <= 150 ms)")
    print(f"  ... at its largest section:      {_ms(figures['open_cold_large'])}")
    print(f"open a report, later:              {_ms(figures['open_warm'])}")
    print(f"one answer: edit (validate, show)  {_ms(figures['edit'])}")
    print(f"one answer: save to committed      {_ms(figures['commit'])}")
    print(f"one answer: typed to committed     {_ms(figures['answer'])}  (target <= 20 ms)")
    print(f"start, bare PySide6 window:        {_ms(bare)}")
    print(f"start, Pollcheck on the demo:      {_ms(ours)}")
    print(f"start ratio:                       {ours / bare:.2f}x  (target <= 1.5x)")
    if counted is not None:
        bare_n, ours_n = counted
        counts = f"{bare_n / 1e6:.0f} M bare, {ours_n / 1e6:.0f} M ours"
        print(f"start, instructions (callgrind):   {counts}")
        print(f"start ratio, instructions:         {ours_n / bare_n:.2f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
