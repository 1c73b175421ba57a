"""Keep the translation catalogs in step with the code: ``make messages`` (``python -m tools.messages``).

1. Extract every message the pages show: the calls ``t("…")``, ``tn("…", "…", n)`` and ``N_("…")`` in the Python
   files (Babel's extractor), and the texts the engine's registries carry (surface titles and descriptions,
   parameter help, optimizer titles, help, notes and measured misses, schedules, data sets, optimizer blocks),
   which the pages pass through `components.i18n.t` unchanged.
2. Group them in domains, one per page (``compare``, ``explore``, ``lab``, ``network``, ``learn``), the shared UI
   (``common``), the player (``player``) and the engine's registries (``engine``): a ``.po`` file per domain and
   language, so that the pages' catalogs can be translated side by side.
3. Write ``locales/<domain>.pot`` and bring every ``locales/<lang>/LC_MESSAGES/<domain>.po`` up to date (new
   messages added untranslated, removed ones dropped, translations kept).

``python -m tools.messages --check`` changes nothing and exits 1 when a catalog is out of date (the tests run it).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import warnings
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
KEYWORDS = {"t": None, "tn": (1, 2), "N_": None}
DOMAINS = {
    "compare": ("app_pages/compare.py", "components/builder_controls.py", "components/claim_words.py",
                "components/outcomes.py", "components/scrub.py"),
    "explore": ("app_pages/explore.py", "components/explore/"),
    "lab": ("app_pages/lab.py", "components/lab/"),
    "network": ("app_pages/network.py", "components/network/"),
    "learn": ("app_pages/learn.py", "components/learn/"),
    "player": ("components/player/",),
    "common": ("app.py", "components/"),
}
"""Which files' messages go to which domain: the first domain whose prefix matches a file's path."""


def domain_of(path: str) -> str:
    for domain, prefixes in DOMAINS.items():
        if any(path == p or (p.endswith("/") and path.startswith(p)) for p in prefixes):
            return domain
    raise ValueError(f"no domain for {path}")


def code_messages() -> dict[str, dict]:
    """{domain: {msgid or (singular, plural): [locations]}} from the Python files of the UI."""
    out: dict[str, dict] = {d: {} for d in DOMAINS}
    files = [ROOT / "app.py", *sorted((ROOT / "app_pages").glob("*.py")), *sorted((ROOT / "components").rglob("*.py"))]
    for path in files:
        rel = path.relative_to(ROOT).as_posix()
        if rel == "components/i18n.py":
            continue
        # Babel warns about every f-string argument, i.e. every placeholder's value: not a message, not a problem.
        with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
            warnings.simplefilter("ignore")
            found = list(extract_from_file("python", str(path), keywords=KEYWORDS, comment_tags=("i18n:",)))
        for lineno, message, comments, _context in found:
            out[domain_of(rel)].setdefault(message, []).append((rel, lineno))
    return out


def engine_messages() -> dict:
    """{msgid: [locations]}: the English texts of the engine's registries the pages show."""
    sys.path.insert(0, str(ROOT))
    import landscapes
    from landscapes import datasets, expression
    from optimizers import builder, catalog, schedules

    found: dict = {}

    def add(text, where):
        if isinstance(text, str) and text.strip():
            found.setdefault(text, []).append((where, 0))

    for name in landscapes.names():
        s = landscapes.get(name)
        where = f"landscapes/catalog.py:{name}"
        add(s.title, where)
        add(s.description, where)
        for p in landscapes.parameters(name):
            add(p.help, where)
    for spec in catalog.specs():
        where = f"optimizers/catalog:{spec.name}"
        for text in (spec.title, spec.why_not, spec.reference, *(why for _, why in spec.misses)):
            add(text, where)
        for h in spec.hyperparams:
            add(h.help, where)
    for name in schedules.names():
        spec = schedules.get(name)
        add(spec.title, f"optimizers/schedules.py:{name}")
        for h in spec.hyperparams:
            add(h.help, f"optimizers/schedules.py:{name}")
    for name in datasets.names():
        add(datasets.title(name), f"landscapes/datasets.py:{name}")
    for block in builder.BLOCKS.values():
        for h in block.hyperparams:
            add(h.help, f"optimizers/builder.py:{block.code}")
    for preset in builder.PRESETS.values():
        add(preset.title, "optimizers/builder.py:PRESETS")
    for code, message in expression.MESSAGES.items():
        add(message, f"landscapes/expression.py:{code}")
    for phrase in expression.PHRASES:
        add(phrase, "landscapes/expression.py:PHRASES")
    return found


def catalogs() -> dict[str, Catalog]:
    """The template catalog of every domain, from the code and the registries."""
    messages = code_messages()
    messages["engine"] = engine_messages()
    out = {}
    for domain, found in messages.items():
        cat = Catalog(project="loss-landscapes", domain=domain, header_comment="# Extracted by tools/messages.py",
                      fuzzy=False)
        for message, locations in found.items():
            cat.add(message, locations=locations, flags=("python-brace-format",) if _braced(message) else ())
        out[domain] = cat
    return out


def _braced(message) -> bool:
    texts = message if isinstance(message, tuple) else (message,)
    return any("{" in m for m in texts)


def _po(lang: str, domain: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES" / f"{domain}.po"


def languages() -> list[str]:
    from components.i18n import LANGUAGES, SOURCE

    return [lang for lang in LANGUAGES if lang != SOURCE]


def update(check: bool) -> list[str]:
    """Bring the catalogs up to date (or, with ``check``, list what is out of date); returns the changes."""
    changes = []
    for domain, template in catalogs().items():
        pot = LOCALES / f"{domain}.pot"
        for lang in languages():
            path = _po(lang, domain)
            if path.exists():
                with path.open("rb") as f:
                    po = read_po(f, locale=_locale(lang), domain=domain)
            else:
                po = Catalog(locale=_locale(lang), domain=domain, project="loss-landscapes", fuzzy=False)
            before = {m.id for m in po if m.id}
            after = {m.id for m in template if m.id}
            if before != after:
                changes.append(f"{path.relative_to(ROOT)}: +{len(after - before)} −{len(before - after)}")
            if not check:
                po.update(template, no_fuzzy_matching=True)
                po.obsolete.clear()
                path.parent.mkdir(parents=True, exist_ok=True)
                with path.open("wb") as f:
                    write_po(f, po, width=120, omit_header=False, sort_output=False, include_previous=False)
        if not check:
            with pot.open("wb") as f:
                write_po(f, template, width=120)
    return changes


def _locale(lang: str) -> str:
    return {"zh": "zh_Hans_CN"}.get(lang, lang)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a catalog is out of date")
    args = parser.parse_args()
    changes = update(args.check)
    for line in changes:
        print(line)
    if args.check and changes:
        print("catalogs out of date: run `make messages`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
