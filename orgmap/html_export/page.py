"""The page: the template, filled in one pass, with vis-network, our script and style
inlined and hashed for the Content Security Policy."""

from __future__ import annotations

import base64
import hashlib
import html
import importlib.util
import json
import re
from pathlib import Path
from typing import Any

from orgmap.assets import resource_path
from orgmap.safety import clean_text


class HtmlExportError(ValueError):
    """A clear, user-facing reason the map could not be written."""


class UnknownFocus(HtmlExportError):
    """``focus`` matched nobody (or several people); ``suggestions`` lists close names."""

    def __init__(self, message: str, suggestions: list[str]) -> None:
        super().__init__(message)
        self.suggestions = suggestions


_RESOURCES = resource_path("html")


_JS_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def json_for_script(data: Any) -> str:
    """JSON safe inside ``<script>``: no ``</script>``, ``<!--``, or line separators.

    NaN and infinities raise (they are not JSON); callers clean numbers first.
    """
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.translate(_JS_ESCAPES)


def _vis_assets() -> str:
    """vis-network's standalone build as shipped in pyvis's package (no CSS needed: we
    use neither its tooltips nor its configurator).

    pyvis's folder is found without importing pyvis: its ``__init__`` imports IPython,
    which costs time here and would weigh down the PyInstaller bundle."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise HtmlExportError("pyvis is not installed (orgmap html needs it); reinstall orgmap")
    base = Path(list(spec.submodule_search_locations)[0]) / "templates" / "lib" / "vis-9.1.2"
    return (base / "vis-network.min.js").read_text(encoding="utf-8")


_asset_cache: dict[str, str] = {}


def _asset(name: str) -> str:
    if name not in _asset_cache:
        if name == "vis":
            _asset_cache[name] = _vis_assets()
        else:
            try:
                _asset_cache[name] = (_RESOURCES / name).read_text(encoding="utf-8")
            except OSError as exc:  # a broken install without its package data
                raise HtmlExportError(
                    f"orgmap's page resources are missing ({_RESOURCES / name}); reinstall orgmap"
                ) from exc
    return _asset_cache[name]


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


# -- value formatting for tooltips -------------------------------------------------------------
_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="orgmap">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<header>
  <div>
    <h1 id="title"></h1>
    <div class="meta" id="subtitle"></div>
  </div>
  <div class="controls">
    <div class="search">
      <input id="search" type="search" placeholder="Search names (/)" autocomplete="off"
        aria-label="Search" spellcheck="false">
      <ul id="results" hidden></ul>
    </div>
    <select id="dept" aria-label="Department filter"></select>
    <select id="team" aria-label="Team filter"></select>
    <label>Colour <select id="colorby"></select></label>
    <label>Light up <select id="depth"><option value="1">1 step</option>
      <option value="2" selected>2 steps</option><option value="3">3 steps</option></select></label>
    <label><input id="physics" type="checkbox"> Physics</label>
    <button id="fit" type="button">Fit</button>
    <span class="meta" id="shown"></span>
  </div>
</header>
<main id="map"><div id="notice" hidden></div><div id="network"></div></main>
<aside>
  <h2>Details</h2>
  <div id="details"></div>
  <h2 id="legend-colors-title">Colour</h2>
  <ul class="legend" id="legend-colors"></ul>
  <div id="legend-kinds-box"><h2>Nodes</h2><ul class="legend" id="legend-kinds"></ul></div>
  <div id="overlay-box" hidden><h2 id="overlay-title">Marked</h2><ul class="legend" id="legend-marks"></ul></div>
  <h2>Links</h2>
  <ul class="legend" id="legend-edges"></ul>
  <p class="meta" id="size-note"></p>
</aside>
<div id="tooltip" hidden></div>
<script type="application/json" id="orgmap-data">{data}</script>
<script>{vis}</script>
<script>{js}</script>
</body>
</html>
"""


_PLACEHOLDER = re.compile(r"\{(csp|title|css|data|vis|js)\}")


def render_html(payload: dict[str, Any], title: str) -> str:
    """The page for a payload (see :func:`write_html`); a string, nothing written."""
    vis_js, js, css = _asset("vis"), _asset("map.js"), _asset("map.css")
    # The policy: only our two scripts run (by hash), no connection of any kind, images
    # only from data: (vis-network draws on a canvas). Inline styles are allowed because
    # vis-network sets element styles.
    csp = (
        "default-src 'none'; "
        f"script-src 'sha256-{_sha256(vis_js)}' 'sha256-{_sha256(js)}'; "
        "style-src 'unsafe-inline'; img-src data: blob:; font-src data:; "
        "connect-src 'none'; form-action 'none'; base-uri 'none'"
    )
    parts = {
        "csp": csp,
        "title": html.escape(clean_text(title), quote=True),
        "css": css.replace("</", "<\\/"),
        "data": json_for_script(payload),
        "vis": vis_js,
        "js": js,
    }
    # One pass over the template's own placeholders: a value is never scanned again, so
    # a name or title holding "{data}" or "{js}" stays text (str.format would also choke
    # on the braces in the scripts).
    return _PLACEHOLDER.sub(lambda m: parts[m.group(1)], _TEMPLATE)
