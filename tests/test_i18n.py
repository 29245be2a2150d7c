"""Khmer and English: the catalogue is complete, every key the code asks for exists in both languages with the
same placeholders, numbers and dates follow each language, and every page runs in Khmer."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from core import i18n
from core.i18n import CatalogueError, read_catalogue
from core.site import PAGES
from tests.conftest import ROOT
from tests.framed_page import framed_app
from tests.helpers import open_filters

CODE_FILES = sorted([ROOT / "dashboard.py", *(ROOT / "core").glob("*.py"), *(ROOT / "components").glob("*.py"),
                     *(ROOT / "app_pages").glob("*.py")])
KHMER = re.compile(r"[\u1780-\u17FF]")
HEADER = "key,en,km,km_status,note\n"
# Keys built by a helper rather than written out (checked by test_computed_keys_resolve_for_every_page_and_filter
# and by the data-label test): data labels, filter options (core.sectors.option_key), menu sections.
COMPUTED = ("label.", "site.section.", *(f"filters.{key}.option." for key in
                                          ("stage", "actor", "material", "wsource", "geo", "conf")))


def _calls(path: Path):
    """(line, key node, keyword names or None when **kwargs is passed) of every `_(...)` / `tr()(...)` call."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        named = isinstance(func, ast.Name) and func.id in {"_", "t", "tr"}
        chained = isinstance(func, ast.Call) and isinstance(func.func, ast.Name) and func.func.id == "tr"
        if not (named or chained):
            continue
        keywords = None if any(k.arg is None for k in node.keywords) else {k.arg for k in node.keywords}
        key = node.args[0]
        for branch in (key.body, key.orelse) if isinstance(key, ast.IfExp) else (key,):
            yield node.lineno, branch, keywords


def _pattern(node: ast.JoinedStr) -> re.Pattern:
    parts = [re.escape(v.value) if isinstance(v, ast.Constant) else r"[a-z0-9_.]+" for v in node.values]
    return re.compile("^" + "".join(parts) + "$")


def _usages():
    literal, patterns = [], []
    for path in CODE_FILES:
        for line, key, keywords in _calls(path):
            where = f"{path.relative_to(ROOT)}:{line}"
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                literal.append((where, key.value, keywords))
            elif isinstance(key, ast.JoinedStr):
                patterns.append((where, _pattern(key)))
    return literal, patterns


def test_catalogue_reads_and_is_not_empty():
    entries = i18n.catalogue()
    assert len(entries) > 80
    assert all(e.en.strip() and e.km.strip() for e in entries.values())
    assert {e.km_status for e in entries.values()} <= set(i18n.STATUSES)


def test_every_key_used_in_the_code_exists_in_both_languages_with_its_placeholders():
    entries = i18n.catalogue()
    literal, patterns = _usages()
    assert literal, "the scan found no translated text: has the call convention changed?"
    missing = [f"{where}: {key}" for where, key, _ in literal if key not in entries]
    assert not missing, "keys used in the code but missing from locales/:\n" + "\n".join(missing)
    wrong = []
    for where, key, keywords in literal:
        wanted = i18n.placeholders(entries[key].en)
        if keywords is not None and keywords != wanted:
            wrong.append(f"{where}: {key} takes {sorted(wanted)}, the call passes {sorted(keywords)}")
    assert not wrong, "placeholders differ between the code and the catalogue:\n" + "\n".join(wrong)
    unmatched = [f"{where}: {pattern.pattern}" for where, pattern in patterns
                 if not any(pattern.match(key) for key in entries)]
    assert not unmatched, "computed keys that match no catalogue entry:\n" + "\n".join(unmatched)


def test_no_catalogue_entry_is_unused():
    entries = i18n.catalogue()
    literal, patterns = _usages()
    used = {key for _, key, _ in literal}
    unused = [key for key in entries if key not in used and not key.startswith(COMPUTED)
              and not any(pattern.match(key) for _, pattern in patterns)]
    assert not unused, f"catalogue entries no code asks for (remove them or use them): {unused[:20]}"


def test_computed_keys_resolve_for_every_page_and_filter():
    from core.sectors import FILTERS, option_key

    entries = i18n.catalogue()
    needed = [f"site.page.{spec.url_path}" for spec in PAGES] + [spec.section_key for spec in PAGES]
    for spec in FILTERS:
        needed += [f"filters.{spec.key}.label", f"filters.{spec.key}.help"]
        needed += [option_key(spec.key, code) for code in spec.options]
    assert [key for key in needed if key not in entries] == []


def test_english_filter_labels_match_the_vocabulary():
    """core.sectors keeps the English words for the data side; the catalogue must say the same."""
    from core.sectors import FILTERS, option_key

    for spec in FILTERS:
        assert i18n.text("en", f"filters.{spec.key}.label") == spec.label
        for code, word in spec.options.items():
            assert i18n.text("en", option_key(spec.key, code)) == word


@pytest.mark.parametrize(("content", "message"), [
    ("x.a,Hello,,machine,\n", "common.csv row 2, column km"),
    ("x.a,,សួស្តី,machine,\n", "common.csv row 2, column en"),
    ("x.a,Hello {name},សួស្តី,machine,\n", "placeholders"),
    ("x.a,Hello,សួស្តី,guessed,\n", "column km_status"),
    ("x.a,Hello,សួស្តី,machine,\nx.a,Hi,សួស្តី,machine,\n", "already defined in common.csv row 2"),
    ("Bad Key,Hello,សួស្តី,machine,\n", "column key"),
    ("x.a,Hello,សួស្តី\n", "wrong number of cells"),
])
def test_a_broken_catalogue_names_file_row_and_column(tmp_path, content, message):
    (tmp_path / "common.csv").write_text(HEADER + content, encoding="utf-8")
    with pytest.raises(CatalogueError, match=re.escape(message)):
        read_catalogue(tmp_path)


def test_a_missing_key_raises():
    with pytest.raises(KeyError):
        i18n.text("km", "no.such.key")


def test_machine_drafts_are_marked_for_review():
    entries = i18n.catalogue().values()
    assert any(e.km_status == "machine" for e in entries)


@pytest.mark.parametrize(("value", "digits", "en", "km"), [
    (1234567.891, 2, "1,234,567.89", "1.234.567,89"),
    (2.85, None, "2.85", "2,85"),
    (6.3, 1, "6.3", "6,3"),
    (1500, None, "1,500", "1.500"),
    (0.456, None, "0.456", "0,456"),
])
def test_numbers_follow_the_language(value, digits, en, km):
    assert i18n.number(value, "en", digits) == en
    assert i18n.number(value, "km", digits) == km


def test_gaps_stay_visible_and_signs_and_dates_follow_the_language():
    assert i18n.number(None, "km") == "–"
    assert i18n.number(float("nan"), "en") == "–"
    assert i18n.translator("km").pct(6.3, 1, signed=True) == "+6,3%"
    assert i18n.date(2025, 3, 25, "en") == "25 March 2025"
    assert i18n.date(2025, 3, 25, "km") == "25 មីនា 2025"
    assert i18n.plotly_separators("km") == ",."
    assert i18n.translator("fr").lang == "en"
    assert i18n.normalise_lang(" KM ") == "km" and i18n.normalise_lang("<script>") is None


@pytest.mark.parametrize("url_path", [spec.url_path for spec in PAGES])
def test_every_page_runs_in_khmer_with_khmer_headings(url_path):
    app = framed_app(url_path, {"lang": "km"}).run()
    assert not app.exception, app.exception[0].value if app.exception else ""
    assert not app.error, app.error[0].value
    assert app.query_params.get("lang") in ("km", ["km"])
    headings = [t.value for t in app.title] + [m.value for m in app.markdown if str(m.value).startswith("####")]
    assert headings, f"{url_path}: no title or chart heading found"
    english_only = [h for h in headings if not KHMER.search(h)]
    assert not english_only, f"{url_path}: headings with no Khmer in the Khmer view: {english_only[:5]}"
    assert [e.label for e in app.sidebar.expander] == [i18n.text("km", "filters.heading")]
    sidebar = [w.label for w in open_filters(app).sidebar.multiselect]
    assert len(sidebar) == 6 and all(KHMER.search(label) for label in sidebar)


def test_the_link_holds_codes_in_both_languages():
    app = open_filters(framed_app("composition", {"lang": "km", "material": "plastic"}).run())
    assert not app.exception
    widget = app.multiselect(key="material")
    assert widget.value == ["plastic"]
    assert KHMER.search(widget.format_func("plastic"))
    assert app.query_params.get("material") in ("plastic", ["plastic"])
    widget.set_value(["plastic", "paper"]).run()
    assert list(app.query_params.get_all("material") if hasattr(app.query_params, "get_all")
                else app.query_params["material"]) == ["plastic", "paper"]


def test_an_unknown_language_falls_back_to_english_with_a_notice():
    app = framed_app("overview", {"lang": "<script>fr"}).run()
    assert not app.exception and not app.error
    assert app.segmented_control(key="lang").value == "en"
    assert any("lang" in str(c.value) for c in app.caption)


def test_ends_that_print_alike_are_one_value():
    """The shared rule every page uses to word a range: compare the ends as printed, and tell one figure, several of
    one value and a real range apart (a filtered view must never read "4% to 4%" or "2015–2015")."""
    two = lambda v: i18n.formatted(v, ".2f", "km")  # noqa: E731
    assert i18n.printed_ends([1.09, 4.78, 2.85], two) == ("range", "1,09", "4,78")
    assert i18n.printed_ends([4.001, 4.004], two) == ("same", "4,00", "4,00")
    assert i18n.printed_ends([2.8, float("nan")], two) == ("one", "2,80", "2,80")
    assert i18n.year_range(2015, 2015) == "2015" and i18n.year_range(1999, 2024) == "1999–2024"
