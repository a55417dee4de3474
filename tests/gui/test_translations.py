"""The interface translations: complete, in step with the code, compiled, with sound placeholders."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from defusedxml.ElementTree import parse
from PySide6.QtWidgets import QApplication

from gui import translations

RU = translations.FOLDER / "pollcheck_ru.ts"
PLACEHOLDER = re.compile(r"\{[0-9]*(?::[^}]*)?\}|%n")


def _messages(ts: Path) -> list[tuple[str, str, list[str]]]:
    out = []
    for context in parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            if message.get("numerus") == "yes":
                forms = [f.text or "" for f in translation.iter("numerusform")]
            else:
                forms = [translation.text or ""]
            assert translation.get("type") not in ("unfinished", "obsolete", "vanished"), (
                name,
                message.findtext("source"),
            )
            out.append((name, message.findtext("source") or "", forms))
    return out


def test_translations__russian__every_text_translated_with_its_placeholders() -> None:
    messages = _messages(RU)
    assert len(messages) > 250
    for context, source, forms in messages:
        assert all(f.strip() for f in forms), (context, source)
        if "%n" in source:
            assert len(forms) == 3, (context, source)  # Russian: one, few, many
        for form in forms:
            assert sorted(PLACEHOLDER.findall(form)) == sorted(PLACEHOLDER.findall(source)), (
                context,
                source,
                form,
            )
        if "&" in source.replace("&&", ""):  # a menu mnemonic stays a mnemonic
            assert all("&" in f for f in forms), (context, source)


def test_translations__code_changed__no_text_missing_from_the_sources(tmp_path: Path) -> None:
    for language in translations.LANGUAGES:
        committed = translations.FOLDER / f"pollcheck_{language}.ts"
        copy = tmp_path / committed.name
        shutil.copyfile(committed, copy)
        printed = translations.update(copy, language)
        if language != "en":  # English keeps only plural forms: its other texts count as new
            assert re.search(r"\(0 new and \d+ already existing\)", printed), printed
        assert copy.read_bytes() == committed.read_bytes(), (
            f"{committed.name} is not up to date: run python -m gui.translations"
        )


@pytest.mark.parametrize("language", translations.LANGUAGES)
def test_translations__compiled__qm_made_from_the_ts(tmp_path: Path, language: str) -> None:
    ts = translations.FOLDER / f"pollcheck_{language}.ts"
    qm = tmp_path / "out.qm"
    translations.release(ts, qm)
    assert qm.read_bytes() == ts.with_suffix(".qm").read_bytes(), (
        f"{ts.with_suffix('.qm').name} is not compiled from {ts.name}: run python -m gui.translations"
    )


def test_translations__plural_phrases_outside_windows__russian_forms_by_count(
    qapp: QApplication,
) -> None:
    from gui.app import install_translators
    from gui.dialog_windows import Errors, History

    try:
        install_translators(qapp, "ru")
        assert [History().rows(n) for n in (1, 3, 5, 21)] == [
            "1 строка",
            "3 строки",
            "5 строк",
            "21 строка",
        ]
        assert Errors().problems(2).startswith("2 проблемы")
    finally:
        install_translators(qapp, "en")
    assert History().rows(3) == "3 rows"
