"""Measure the advance width of every character core/margins.py estimates, in the fonts the charts use.

Writes core/glyph_widths.json: {"regular": {char: px at 100 px}, "bold": {...}}, measured in Chromium on a running
dashboard (its pages load Source Sans and, through the language switch's Khmer label, Noto Sans Khmer), in an SVG
text element with the Plotly template's font family, as Plotly measures its labels. A Latin character is measured
between two 'x' (so that spaces count); a Khmer one after the consonant KA (so that a vowel sign or a subscript
gets its width in context, usually none); a consonant after the coeng sign is written below the line and is
given no width of its own by core.margins.

    streamlit run dashboard.py --server.port 8501 &      # any running dashboard
    python -m bench.measure_glyphs --url http://localhost:8501

Re-run it when the theme's font family changes (core/theme.py FONT_FAMILY).
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from playwright.sync_api import sync_playwright

from core.theme import FONT_FAMILY

OUT = Path(__file__).resolve().parents[1] / "core" / "glyph_widths.json"
CHARS = ([chr(c) for c in range(0x20, 0x7F)] + [chr(c) for c in range(0xA0, 0x180)]
         + list("–—‘’“”…•→←×·₂₃₄⁰¹²³⁴⁵⁶⁷⁸⁹‰€≈≤≥−")
         + [chr(c) for c in range(0x1780, 0x1800)] + [chr(c) for c in range(0x19E0, 0x1A00)])

MEASURE_JS = """async ({chars, family}) => {
  await document.fonts.ready;
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  document.body.appendChild(svg);
  const text = document.createElementNS('http://www.w3.org/2000/svg', 'text');
  svg.appendChild(text);
  const width = (s) => { text.textContent = s; return text.getComputedTextLength(); };
  const result = {};
  for (const weight of ['regular', 'bold']) {
    const bold = weight === 'bold' ? 700 : 400;
    text.setAttribute('style', `font-family: ${family}; font-size: 100px; font-weight: ${bold}`);
    const xx = width('xx'), ka = width('\\u1780'), table = {};
    for (const c of chars) {
      const code = c.codePointAt(0);
      const khmer = (code >= 0x1780 && code < 0x1800) || (code >= 0x19E0 && code < 0x1A00);
      table[c] = Math.round((khmer ? width('\\u1780' + c) - ka : width('x' + c + 'x') - xx) * 100) / 100;
    }
    result[weight] = table;
  }
  result.fonts = [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family);
  return result;
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="a running dashboard, e.g. http://localhost:8501")
    args = parser.parse_args()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
                                             args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            page.goto(args.url.rstrip("/") + "/?lang=km")
            page.wait_for_selector(".main-svg", timeout=90_000)
            page.wait_for_timeout(2000)
            result = page.evaluate(MEASURE_JS, {"chars": CHARS, "family": FONT_FAMILY})
        finally:
            browser.close()
    fonts = set(result.pop("fonts"))
    missing = {"Source Sans", "Noto Sans Khmer"} - fonts
    if missing:
        raise SystemExit(f"fonts not loaded in the page: {sorted(missing)}; widths would be a fallback font's")
    OUT.write_text(json.dumps(result, ensure_ascii=False, separators=(",", ":"), sort_keys=True), encoding="utf-8")
    print(f"wrote {OUT} ({len(result['regular'])} characters)")


if __name__ == "__main__":
    main()
