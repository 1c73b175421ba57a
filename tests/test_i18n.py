"""English and 简体中文 (issue 29): the catalogs are complete, consistent and use the course's terms; every page speaks
Chinese in Chinese, keeps ``lang`` in its URL, and keeps its view when the language is switched.

The checks on the pages read what the visitor reads (AppTest): every text element, every widget's label, options
and help, table headers, figure titles, axes and legends, and the player's own strings.  "No English left" means:
no run of three or more English words, once LaTeX, code, URLs and the names kept as they are (Adam, RMSProp,
optax's function names, …) are set aside.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from babel.messages.pofile import read_po
from streamlit.testing.v1 import AppTest

from components import i18n

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
APP = str(ROOT / "app.py")
TIMEOUT = 300
PLACEHOLDER = re.compile(r"(?<!\{)\{(\w+)(?:[:!][^{}]*)?\}(?!\})")


def zh_catalogs():
    for po in sorted((LOCALES / "zh" / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as f:
            yield po.stem, read_po(f, locale="zh_Hans_CN")


def messages():
    """(domain, msgid, msgstr) for every message of the Chinese catalogs (each plural form on its own)."""
    for domain, cat in zh_catalogs():
        for m in cat:
            if not m.id:
                continue
            ids = m.id if isinstance(m.id, tuple) else (m.id,)
            strs = m.string if isinstance(m.string, tuple) else (m.string,)
            for i, s in enumerate(strs):
                yield domain, ids[min(i, len(ids) - 1)], s, m


def glossary() -> list[tuple[str, str]]:
    rows = []
    for line in (LOCALES / "glossary.tsv").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            english, chinese = line.split("\t")
            rows.append((english, chinese))
    return sorted(rows, key=lambda r: -len(r[0]))  # longest first: "local minimum" before "minimum"


# ------------------------------------------------------------------------------------------------ the catalogs
def test_the_catalogs_hold_every_message_of_the_code():
    from tools import messages as tool

    assert tool.update(check=True) == [], "run `make messages`"




def test_every_message_has_a_chinese_translation_and_none_is_fuzzy():
    missing = [(d, i) for d, i, s, m in messages() if not s.strip()]
    fuzzy = [(d, m.id) for d, cat in zh_catalogs() for m in cat if m.id and m.fuzzy]
    assert missing == [] and fuzzy == []


def test_placeholders_are_the_same_in_both_languages():
    wrong = [(d, i, s) for d, i, s, m in messages()
             if sorted(PLACEHOLDER.findall(i)) != sorted(PLACEHOLDER.findall(s))]
    assert wrong == []


def test_the_translations_use_the_glossarys_terms():
    terms = glossary()
    assert len(terms) >= 40
    wrong = []
    for domain, english, chinese, _ in messages():
        if not chinese.strip():
            continue  # not translated yet: the completeness test speaks of it
        text = english.lower()
        for term, zh in terms:
            pattern = rf"(?<![\w-]){re.escape(term.lower())}(?:s|es)?(?![\w-])"
            if re.search(pattern, text):
                if zh not in chinese:
                    wrong.append((domain, term, zh, english, chinese))
                text = re.sub(pattern, " ", text)  # a longer term covers its parts ("local minimum")
    assert wrong == [], wrong[:10]


def test_the_chinese_catalog_compiles_and_translates():
    cat = i18n.catalog("zh")
    assert cat.gettext("Compare optimizers") != "Compare optimizers"
    assert i18n.catalog("en").gettext("Compare optimizers") == "Compare optimizers"


# ------------------------------------------------------------------------------------------------ what a page says
ALLOWED = re.compile(
    r"\b(Adam\w*|AdaGrad|RMSProp|LAMB|Nesterov|Lion|SGD|Newton|AMSGrad|AdaBelief|AdaDelta|Adafactor|Adamax\w*|Adan|"
    r"NAdam\w*|RAdam|Rprop|SM3|Yogi|Fromage|LARS|L-BFGS|SAM|Sophia|MADGRAD|COCOB|Prodigy|DoG|DoWG|Momo\w*|Mechanize|"
    r"AdEMAMix|ADOPT|optax(\.\w+)*|[a-z]+(_[a-z]+)+|JAX|NumPy|SciPy|Plotly|Streamlit|CSV|JSON|GIF|WebM|URL|MLP|"
    r"PCA|SLQ|Lanczos|Glorot|Krawczyk|Hessian|float64|cs231n|NTU|ML|XOR|tanh|relu|gelu|softplus|sigmoid|"
    r"et al|arXiv|Kingma|Ba|Polyak|Hinton|Duchi|Hazan|Singer|Sutskever|Rosenbrock|Himmelblau|Rastrigin|Ackley|"
    r"Beale|Booth|Matyas|Goldstein|Price|Styblinski|Tang|Jamil|Yang|Dauphin|Li|Rump|Moore|Kearfott|Cloud|"
    r"Deuflhard|Dormand|Prince)\b")


def english_runs(text: str) -> list[str]:
    """Runs of three or more English words in ``text``, once LaTeX, code, links and kept names are removed."""
    text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$|\\\(.*?\\\)|`[^`]*`|https?://\S+", " ", text, flags=re.S)
    text = ALLOWED.sub(" ", text)
    return re.findall(r"\b[A-Za-z]{2,}(?:[ ,'’-]+[A-Za-z]{2,}){2,}\b", text)


def test_the_english_detector_finds_sentences_and_spares_names():
    assert english_runs("梯度下降 zig-zags across the ravine") == ["zig-zags across the ravine"]
    assert english_runs("Adam 与 RMSProp（optax.scale_by_adam）在 $x_t = x_{t-1} - \\eta g$ 上") == []
    assert english_runs("学习率 η = 0.3，收敛于第 196 步") == []


def _texts_of_chart(spec: dict) -> list[str]:
    out = []
    layout = spec.get("layout", {})
    for key, value in layout.items():
        if isinstance(value, dict):
            title = value.get("title")
            out.append(title.get("text", "") if isinstance(title, dict) else str(title or ""))
            if key.startswith("scene"):
                out += [str((value.get(a) or {}).get("title", {}).get("text", "")) for a in ("xaxis", "yaxis", "zaxis")]
    for trace in spec.get("data", []):
        out += [str(trace.get("name", "")), str(trace.get("hovertemplate", "")).replace("<br>", " ")]
        bar = (trace.get("colorbar") or {}).get("title")
        out.append(bar.get("text", "") if isinstance(bar, dict) else "")
        text = trace.get("text")  # a list, a string, or a typed array ({"dtype", "bdata"}: numbers, no words)
        out += [str(t) for t in (text if isinstance(text, list) else [text])[:20] if isinstance(t, str)]
    for annotation in layout.get("annotations", []):
        out.append(str(annotation.get("text", "")))
    return out


def visible_texts(at: AppTest) -> list[str]:
    """Every text the visitor reads on the page AppTest ran (see the module docstring)."""
    out = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        out += [str(e.value) for e in getattr(at, kind)]
    for kind in ("selectbox", "multiselect", "radio", "select_slider", "slider", "number_input", "text_input",
                 "toggle", "checkbox", "button", "text_area"):
        for w in getattr(at, kind):
            out += [str(w.label), str(getattr(w, "help", "") or "")]
            out += [str(o) for o in getattr(w, "options", [])][:60]
    out += [str(t.label) for t in at.tabs] + [str(e.label) for e in at.expander]
    for df in at.dataframe:
        out += [str(c) for c in getattr(df.value, "columns", [])]
    for el in at.get("plotly_chart"):
        out += _texts_of_chart(json.loads(el.proto.spec))
    for el in at.get("component_instance"):
        args = json.loads(el.proto.json_args)
        out += [str(v) for v in (args.get("strings") or {}).values()]
        out += [str(p.get("label", "")) + " " + str(p.get("status", "")) for p in args.get("paths", [])]
        out += [str(m.get("label", "")) for m in args.get("markers", [])] + [str(args.get("title", "")),
                                                                            str(args.get("pending", ""))]
    return [t for t in out if t.strip()]


def english_left(at: AppTest) -> list[str]:
    """The page's texts that still hold English sentences (with the runs found), for an assertion message."""
    left = []
    for text in visible_texts(at):
        if runs := english_runs(text):
            left.append(f"{runs} in {text[:120]!r}")
    return left


def open_page(page: str = "", lang: str = "zh", **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update({"lang": lang, **query})
    if page:
        at.switch_page(f"app_pages/{page}.py")
    at.run()
    assert not at.exception, at.exception
    return at
