"""The interface in the visitor's language, through Gradio's own mechanism.

Gradio picks the language from the browser (``zh-CN``, ``ar``, ``pt-BR`` falls back to ``pt``...;
anything else: English) and lets a visitor switch it under *Settings* at the foot of the page.

- :data:`I18N` is the ``gr.I18n`` the app launches with; :func:`t` makes a static string (a label,
  a button, a tab, fixed Markdown) translatable: the browser shows it in the current language.
- A hidden probe (:func:`locale_probe`), translated like any label into the language's code, tells
  the page's script (:func:`head`) which language is on: it sets ``<html lang dir>`` (right to left
  for Arabic), which shows that language's ``<span lang>`` of every server-built text
  (``strings.Localized.html``) and hides the others, and it names the one-click examples, which
  Gradio shows as given.
"""

from __future__ import annotations

import json
from typing import Any

import gradio as gr
from gradio.i18n import I18nData

from . import strings
from .strings import CODES, ENGLISH, LOCALES, interface

PROBE_KEY = "qwen3vl.locale"  # translated into each language's code
PROBE_ID = "locale-probe"
I18N = gr.I18n(**{code: {PROBE_KEY: code} for code in CODES})


def t(template: str, **values: Any) -> I18nData:
    """``template`` (an English key of the catalogue) as Gradio translates it in the browser, with
    ``values`` filled in now (a limit from the configuration); its key is the English text."""
    texts = strings.raw(template, **values)
    for code, text in texts.items():
        I18N.translations[code][texts[ENGLISH]] = text
    return I18nData(texts[ENGLISH])


def english(text: Any) -> str:
    """A label as the server and API callers read it: the English of a translatable one."""
    return text.key if isinstance(text, I18nData) else str(text)


def locale_probe() -> gr.HTML:
    """The hidden element whose text is the current language's code (see the module's note)."""
    return gr.HTML(I18nData(PROBE_KEY), elem_id=PROBE_ID, padding=False)


def english_api_labels(demo: gr.Blocks) -> None:
    """The API's description (``/gradio_api/info``, ``view_api``) names parameters by their English
    labels, not by Gradio's translation markers."""
    original = demo.get_api_info

    def get_api_info(*args: Any, **kwargs: Any) -> Any:
        info = original(*args, **kwargs)
        for endpoint in (info or {}).get("named_endpoints", {}).values():
            for entry in [*endpoint.get("parameters", []), *endpoint.get("returns", [])]:
                entry["label"] = english_marker(entry.get("label"))
        return info

    demo.get_api_info = get_api_info


def english_marker(label: Any) -> Any:
    """The key of a serialised ``I18nData`` (``__i18n__{"key": …}``); anything else as it is."""
    if isinstance(label, str) and label.startswith("__i18n__"):
        try:
            return json.loads(label[len("__i18n__"):])["key"]
        except (ValueError, KeyError):
            return label
    return label


def relabelled() -> dict[str, dict[str, str]]:
    """English -> {language code: text} of what the page's script names itself: the examples (Gradio
    shows their names as given) and the tabs (Gradio renames only the shown one on a switch)."""
    return {english_text: strings.raw(english_text) for english_text in [*interface.TABS, *interface.EXAMPLES]}


def span_rules() -> str:
    """CSS: a server-built text shows in the page's language only (English where it has none)."""
    rules = [".l10n:not([lang='en']) {display: none;}"]
    for code in CODES[1:]:
        rules.append(f"html[lang='{code}'] .l10n[lang='en'] {{display: none;}} "
                     f"html[lang='{code}'] .l10n[lang='{code}'] {{display: inline;}}")
    return "\n".join(rules)


RTL_RULES = """
#locale-probe {display: none !important;}
/* right to left: Gradio's labels, tables and Markdown align to the start of the line */
html[dir='rtl'] .gradio-container label, html[dir='rtl'] .gradio-container .prose,
html[dir='rtl'] .gradio-container th, html[dir='rtl'] .gradio-container td,
html[dir='rtl'] .gradio-container .html-container, html[dir='rtl'] .gradio-container .run-status
  {text-align: start;}
/* Gradio marks its Markdown, HTML and text boxes dir="ltr" (a static choice): right to left they
   follow the page, code excepted */
html[dir='rtl'] .gradio-container [dir='ltr'] {direction: rtl; text-align: start;}
/* what a visitor types, and the English instructions, read in their own direction */
html[dir='rtl'] .gradio-container input, html[dir='rtl'] .gradio-container textarea
  {unicode-bidi: plaintext; text-align: start;}
html[dir='rtl'] .gradio-container pre, html[dir='rtl'] .gradio-container code
  {direction: ltr; unicode-bidi: isolate; text-align: left;}
"""

SCRIPT = """
(() => {
  const NAMES = %(names)s;  // English -> {language: name}
  const RTL = %(rtl)s;
  const english = {};  // any language's name -> its English
  for (const [key, names] of Object.entries(NAMES)) for (const name of Object.values(names)) english[name] = key;
  let pending = false;
  function rename(element, code) {
    const text = [...element.childNodes].find((node) => node.nodeType === Node.TEXT_NODE && node.nodeValue.trim());
    const key = text && english[text.nodeValue.trim()];
    if (!key) return;
    const shown = NAMES[key][code] || key;
    if (text.nodeValue.trim() !== shown) text.nodeValue = shown;
  }
  function apply() {
    pending = false;
    const probe = document.getElementById('%(probe)s');
    const code = (probe && probe.textContent.trim()) || 'en';
    const root = document.documentElement;
    if (root.lang !== code) root.lang = code;
    const dir = RTL.includes(code) ? 'rtl' : 'ltr';
    if (root.dir !== dir) root.dir = dir;
    document.querySelectorAll('button.gallery-item > div, .tab-container button, .overflow-dropdown button')
      .forEach((element) => rename(element, code));
  }
  new MutationObserver(() => { if (!pending) { pending = true; requestAnimationFrame(apply); } })
    .observe(document.documentElement, {subtree: true, childList: true, characterData: true});
})();
"""


def head() -> str:
    """What the page's ``<head>`` gets: the language script and its CSS."""
    script = SCRIPT % {"names": json.dumps(relabelled(), ensure_ascii=False),
                       "rtl": json.dumps([locale.code for locale in LOCALES if locale.rtl]), "probe": PROBE_ID}
    return f"<style>{span_rules()}{RTL_RULES}</style><script>{script}</script>"
