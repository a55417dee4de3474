"""The message catalog: every message in English and Russian, and every call site renders."""

from __future__ import annotations

import ast
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

from forms.errors import PollcheckError, Problem
from forms.messages import CATALOG, LANGUAGES, Items, Phrase, place, plural, render

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(p for d in ("forms", "db", "exports", "cli") for p in (ROOT / d).rglob("*.py"))
PROBLEM_CODE = "[A-Z][0-9][0-9][0-9]"


def _fields(template: str) -> set[str]:
    names = set()
    for _text, name, spec, _conversion in string.Formatter().parse(template):
        if name is not None:
            # No format specs but plural forms ({n:|problem|problems}): values are shown as given.
            assert not spec or spec.startswith("|"), f"a format spec in {template!r}"
            names.add(name)
    return names


def _placeholders(key: str) -> set[str]:
    entry = CATALOG[key]
    return _fields(entry["en"][0]) | _fields(entry["en"][1])


def test_catalog__every_entry__in_every_language_with_the_same_placeholders() -> None:
    for key, entry in CATALOG.items():
        assert set(entry) == set(LANGUAGES), key
        en_text, en_fix = entry["en"]
        for language in LANGUAGES:
            text, fix = entry[language]
            assert text, (key, language)
            assert bool(fix) == bool(en_fix), (key, language)
            # Same facts in every language: the same values, in the text and in the fix.
            assert _fields(text) == _fields(en_text), (key, language)
            assert _fields(fix) == _fields(en_fix), (key, language)
        assert "ё" not in "".join(entry["ru"]), key  # the program writes е, as in "отчет"
        for language, forms in (("en", 2), ("ru", 3)):  # one, other; one, few, many
            for template in entry[language]:
                for _text, _name, spec, _conversion in string.Formatter().parse(template):
                    if spec:
                        assert len(spec[1:].split("|")) == forms, (key, language, spec)


# -- every call site -------------------------------------------------------------------------------


def _literal_keys(node: ast.expr | None, code: str) -> set[str] | None:
    """The catalog keys a variant argument can make; None when it is not literal."""
    if node is None or (isinstance(node, ast.Constant) and node.value is None):
        return {code}
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {f"{code}.{node.value}"}
    if isinstance(node, ast.IfExp):
        body, other = _literal_keys(node.body, code), _literal_keys(node.orelse, code)
        return None if body is None or other is None else body | other
    return None


def _code_of(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _keys_of(node: ast.expr) -> set[str] | None:
    """A literal key, or the keys of a conditional between literals."""
    if isinstance(node, ast.IfExp):
        body, other = _keys_of(node.body), _keys_of(node.orelse)
        return None if body is None or other is None else body | other
    key = _code_of(node)
    return None if key is None else {key}


def _arg(call: ast.Call, index: int) -> ast.expr | None:
    return call.args[index] if index < len(call.args) else None


def _call_sites() -> Iterator[tuple[str, set[str], set[str] | None]]:
    """(where, the keys a call can use, the values it gives; None when it forwards **values)."""
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        name = path.relative_to(ROOT).as_posix()
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            func = call.func
            callee = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            given: set[str] | None = {k.arg for k in call.keywords if k.arg is not None}
            if any(k.arg is None for k in call.keywords):
                given = None
            where = f"{name}:{call.lineno}"
            if callee == "Phrase":
                phrase_keys = _keys_of(call.args[0])
                if phrase_keys is None and given is None:
                    continue  # Problem.of forwarding its code and values
                assert phrase_keys, f"{where}: a phrase's key is a literal"
                yield where, phrase_keys, given
                continue
            # Problem.of(code, where, variant), _problem(code, path, variant) in db/merge.py,
            # self._problem(code, row, column, variant) in forms/xlsform.py,
            # _fail(path, code, variant) in db/tables.py, and the row helpers named bad().
            if callee == "of" and getattr(func.value, "id", "") == "Problem":  # type: ignore[attr-defined]
                code_at, variant_at = 0, 2
            elif callee == "_problem" and isinstance(func, ast.Attribute):
                code_at, variant_at = 0, 3
            elif callee == "_problem":
                code_at, variant_at = 0, 2
            elif callee == "_fail":
                code_at, variant_at = 1, 2
            elif callee == "bad" and name == "db/reports_import.py":
                keys = _literal_keys(_arg(call, 1), "I105")
                assert keys is not None and "I105" not in keys, where
                yield where, keys, given
                continue
            elif callee == "bad" and name == "db/merge.py":
                code = _code_of(call.args[0])
                keys = _literal_keys(_arg(call, 1), str(code))
                value = _code_of(call.args[2])
                assert code and keys and value, where
                yield where, keys, {value}
                continue
            else:
                continue
            code = _code_of(call.args[code_at]) if len(call.args) > code_at else None
            if code is None:
                continue  # a helper forwarding its own arguments
            keys = _literal_keys(_arg(call, variant_at), code)
            if keys is None:  # a variant chosen at run time: the code's entries its values fit
                keys = {
                    k
                    for k in CATALOG
                    if (k == code or k.startswith(code + "."))
                    and (given is None or _placeholders(k) <= given)
                }
            yield where, keys, given


def test_catalog__every_call_site__its_keys_exist_and_render_with_its_values() -> None:
    sites = list(_call_sites())
    assert len(sites) > 150
    used: set[str] = set()
    for where, keys, given in sites:
        assert keys, where
        for key in keys:
            assert key in CATALOG, f"{where}: {key} is not in the catalog"
            used.add(key)
            if given is None:
                continue
            missing = _placeholders(key) - given
            assert not missing, f"{where}: {key} needs {missing}"
            values = dict.fromkeys(given, "x")
            for language in LANGUAGES:
                assert render(key, values, language)
                render(key, values, language, fix=True)
    assert set(CATALOG) - used == set(), "entries no code uses"


def test_catalog__codes__every_problem_code_has_its_plain_or_variant_entries() -> None:
    codes = {k.split(".")[0] for k in CATALOG if k[:1].isupper()}
    assert {c[0] for c in codes} == {"F", "T", "S", "I", "R", "M", "O"}
    assert len(codes) >= 60


# -- rendering -------------------------------------------------------------------------------


def test_render__value_with_braces__shown_as_given_never_formatted() -> None:
    problem = Problem.of("S206", place("x.csv", row=3, column="region"), "letters", region="{0}{x}")
    assert str(problem) == (
        "x.csv, row 3, column 'region': the region '{0}{x}' has no letters or digits to make a"
        " code from. Type the region, or add a 'code' column."
    )
    assert "«{0}{x}»" in problem.text("ru")


def test_render__unknown_language__english() -> None:
    problem = Problem.of("S205", place("x.csv", row=3, column="number"))
    assert problem.text("kk") == problem.text("en") == str(problem)


def test_render__translation_that_does_not_fit__english(monkeypatch: pytest.MonkeyPatch) -> None:
    broken = dict(CATALOG)
    broken["S205"] = {"en": CATALOG["S205"]["en"], "ru": ("нет {nothing}", "")}
    monkeypatch.setattr("forms.messages.CATALOG", broken)
    assert Phrase("S205").text("ru") == "the station number is missing."


def test_items__more_than_shown__the_rest_counted_in_the_language() -> None:
    items = Items([f"r{i}" for i in range(8)], shown=5)
    assert items.text("en") == "r0, r1, r2, r3, r4 and 3 more"
    assert items.text("ru") == "r0, r1, r2, r3, r4 и еще 3"


def test_problem__structured__english_text_location_equality_and_hash() -> None:
    problem = Problem.of("S205", place("stations.csv", row=3, column="number"))
    assert problem.text("en") == str(problem)
    assert problem.location() == {"file": "stations.csv", "row": 3, "column": "number"}
    assert problem.message == Phrase("S205")
    same = Problem(problem.code, problem.where, problem.what, problem.fix)
    assert same == problem and hash(same) == hash(problem)
    assert problem.text("ru") == (
        "stations.csv, строка 3, столбец «number»: не указан номер участка."
        " Введите номер или удалите строку."
    )


def test_error__phrase__english_message_code_values_and_russian_text() -> None:
    error = PollcheckError(Phrase("mission.no_record", path="/x/m.pollcheck"))
    assert error.message == str(error) == "/x/m.pollcheck: the mission file has no mission record."
    assert error.code == "mission.no_record"
    assert error.values == {"path": "/x/m.pollcheck"}
    assert error.text("ru") == "/x/m.pollcheck: в файле миссии нет записи о миссии."
    plain = PollcheckError("Something plain.")
    assert plain.text("ru") == "Something plain." and plain.code == ""


def test_problem_and_error__pickled__keep_their_phrases() -> None:
    import pickle

    problem = Problem.of("T107", place("s.xlsx"), sheet="Три", sheets=Items(["a", "b"]))
    error = PollcheckError(Phrase("table.file", problem=problem), [problem])
    again = pickle.loads(pickle.dumps(error))  # noqa: S301 (our own bytes)
    assert again.message == error.message
    assert again.text("ru") == error.text("ru") == again.problems[0].text("ru")
    assert again.text("ru").startswith("s.xlsx: в книге нет листа «Три».")


@pytest.mark.parametrize(
    ("n", "english", "russian"),
    [
        (1, "problem", "проблема"),
        (2, "problems", "проблемы"),
        (4, "problems", "проблемы"),
        (5, "problems", "проблем"),
        (11, "problems", "проблем"),
        (12, "problems", "проблем"),
        (21, "problems", "проблема"),
        (22, "problems", "проблемы"),
        (25, "problems", "проблем"),
        (111, "problems", "проблем"),
        (0, "problems", "проблем"),
    ],
)
def test_plural__by_each_language_rule(n: int, english: str, russian: str) -> None:
    assert plural(n, ["problem", "problems"], "en") == english
    assert plural(n, ["проблема", "проблемы", "проблем"], "ru") == russian


def test_render__plural_field__word_for_the_number_in_the_text() -> None:
    where = Items(["stations.csv"])
    one = Phrase("stations.problems", where=where, n=1)
    three = Phrase("stations.problems", where=where, n=3)
    five = Phrase("stations.problems", where=where, n=5)
    assert "1 problem in the station list" in one.text()
    assert "3 problems in the station list" in three.text()
    assert "в списке участков 1 проблема " in one.text("ru")
    assert "в списке участков 3 проблемы " in three.text("ru")
    assert "в списке участков 5 проблем " in five.text("ru")


def test_russian_everywhere__written_with_e_not_yo() -> None:
    # As in the catalog: "отчет", never "отчёт", in the exports' words and the interface too,
    # so that one product does not spell one word two ways.
    from exports.words import words

    assert "ё" not in "".join(words("ru").values()).lower()
    ts = (ROOT / "resources" / "translations" / "pollcheck_ru.ts").read_text(encoding="utf-8")
    translations = ts.split("<source>")  # each piece: a source, then its translation(s)
    assert not [t for t in translations if "ё" in t.split("</source>")[-1].lower()]
