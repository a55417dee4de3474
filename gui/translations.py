"""Keeps the interface translations in step with the code: ``.ts`` sources and compiled ``.qm``.

    python -m gui.translations

runs ``pyside6-lupdate`` over the windows' modules (new texts appear in the ``.ts`` files,
untranslated; texts gone from the code are dropped) and ``pyside6-lrelease`` to compile them.
Translate new texts in ``resources/translations/pollcheck_ru.ts`` (with ``pyside6-linguist`` or
any editor), then run it again. ``pollcheck_en.ts`` holds only English plural forms.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from gui.settings import LANGUAGES  # the interface languages, each with its .ts

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "resources" / "translations"
# Modules with no text for people (entry points, scripts for tests and docs).
_WITHOUT_TEXTS = {"__init__.py", "launcher.py", "scripted.py", "screenshots.py", "translations.py"}


def sources(root: Path = ROOT) -> list[Path]:
    """The modules whose texts are translated."""
    return sorted(p for p in (root / "gui").glob("*.py") if p.name not in _WITHOUT_TEXTS)


def tool(name: str) -> str:
    """A Qt tool installed with PySide6, beside this Python (or on the PATH)."""
    here = Path(sys.executable).parent
    for candidate in (here / name, here / f"{name}.exe"):
        if candidate.is_file():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"{name} not found: install PySide6-Essentials in this Python.")
    return found


def update(ts: Path, language: str, root: Path = ROOT) -> str:
    """Run lupdate for ``language`` into ``ts``; returns what it printed."""
    args = [tool("pyside6-lupdate"), *map(str, sources(root)), "-ts", str(ts)]
    args += ["-no-obsolete", "-locations", "none"]
    if language == "en":
        args.append("-pluralonly")  # English is the source: only its plural forms
    done = subprocess.run(args, capture_output=True, text=True, check=True)  # noqa: S603
    return done.stdout + done.stderr


def release(ts: Path, qm: Path) -> str:
    done = subprocess.run(  # noqa: S603 - Qt's own tool on our own files
        [tool("pyside6-lrelease"), str(ts), "-qm", str(qm)],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout + done.stderr


def main() -> int:
    for language in LANGUAGES:
        ts = FOLDER / f"pollcheck_{language}.ts"
        print(update(ts, language).strip())
        print(release(ts, ts.with_suffix(".qm")).strip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
