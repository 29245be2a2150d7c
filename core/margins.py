"""Margins sized before Plotly draws: a chart drawn once instead of twice.

Every axis in the shared template has `automargin` on, and the template's margins are small (10 px): Plotly draws
the chart, measures its tick labels, axis titles and legend, finds that they do not fit, widens the margins and
draws the whole chart again. The second draw is 30-45 % of a chart's time in Chromium (measured on every chart of
the eight chart pages), on every page load and every filter change.

`presized_margins` estimates, from the figure's own text and fonts, the margins Plotly will need, and returns them
as the layout's margins. `automargin` stays on: where the estimate falls short (another font, a narrower window
that wraps the legend onto more lines), Plotly widens the margins as before, so a label is never cut off; where
it is enough, the chart is drawn once. Text widths come from core/glyph_widths.json: the advance of each
character in the template's fonts (Source Sans, Noto Sans Khmer) at 100 px, measured in Chromium by
bench/measure_glyphs.py. The constants below were fitted on every chart of the eight chart pages (English, Khmer,
presentation mode, a filtered view) drawn at the reference width; tests/test_browser.py checks in Chromium that no
chart of any page needs wider margins. Figures this module does not understand (maps, Sankey diagrams, log axes,
axes that may tilt their labels) are left as they are.
"""

from __future__ import annotations

import base64
import datetime
import json
import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

_GLYPHS = json.loads(Path(__file__).with_name("glyph_widths.json").read_text(encoding="utf-8"))
_DEFAULT_ADVANCE = 60.0  # per 100 px, for a character missing from the table (wider than most)
_COENG = "\u17d2"  # Khmer sign coeng: the consonant after it is written below the line (no advance of its own)
_KHMER = re.compile("[\u1780-\u17ff]")
CARTESIAN = ("scatter", "bar", "scattergl")  # the trace types whose figures are estimated

# A chart's width in the main column at a 1400 px wide window, where the benchmark draws it; a legend's line
# breaks are estimated at this width (wider windows leave a little room unused, narrower ones let Plotly widen).
REFERENCE_WIDTH = 908
LINE_HEIGHT = 1.3  # Plotly's line spacing, in font sizes
SLACK = 4  # px added to every estimate: rounding, kerning and anti-aliasing
SCALE = 1.03  # and 3 % more for text widths


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Width in px of one line of text (markup removed) at font size `size`."""
    table = _GLYPHS["bold" if bold else "regular"]
    total = 0.0
    previous = ""
    for char in text:
        if not (previous == _COENG and "\u1780" <= char <= "\u17a2"):
            total += table.get(char, _DEFAULT_ADVANCE)
        previous = char
    # Khmer clusters come out a little wider than the sum of their parts (measured: up to 5 %).
    return total * size / 100.0 * (1.06 if _KHMER.search(text) else 1.0)


def _lines(text: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", line) for line in re.split(r"<br\s*/?>", str(text), flags=re.I)]


def label_size(text: str, size: float) -> tuple[float, int]:
    """(widest line in px, number of lines) of a label that may hold <br> and simple markup."""
    lines = _lines(text)
    bold = "<b>" in str(text)
    return max(text_width(line, size, bold=bold) for line in lines), len(lines)


class Unsupported(Exception):
    """A figure whose margins are not estimated here (left to Plotly)."""


def _lookup(node: Any, path: Iterable[str]) -> Any:
    for key in path:
        if not isinstance(node, Mapping) or node.get(key) is None:
            return None
        node = node[key]
    return node


class _Layout:
    """The layout with the template's layout under it (an axis of any number falls back to the template's first)."""

    def __init__(self, layout: Mapping[str, Any]) -> None:
        self.layout = layout
        self.template = _lookup(layout, ("template", "layout")) or {}

    def get(self, *path: str, default: Any = None) -> Any:
        value = _lookup(self.layout, path)
        if value is None:
            generic = (re.sub(r"\d+$", "", path[0]),) + tuple(path[1:])
            value = _lookup(self.template, generic)
        return default if value is None else value

    @property
    def font_size(self) -> float:
        return float(self.get("font", "size", default=12))


def _values(array: Any) -> list:
    """A trace's x or y as a list (Plotly 6 writes numeric arrays as {'dtype', 'bdata'})."""
    if array is None:
        return []
    if isinstance(array, np.ndarray):  # Figure.to_dict() keeps numpy arrays
        return array.ravel().tolist()
    if isinstance(array, Mapping) and "bdata" in array:
        raw = np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"]))
        shape = array.get("shape")
        return raw.reshape([int(n) for n in str(shape).split(",")]).ravel().tolist() if shape else raw.tolist()
    if isinstance(array, list | tuple):
        flat: list = []
        for item in array:
            flat.extend(item if isinstance(item, list | tuple) else [item])
        return flat
    return [array]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _axis_values(data: list[Mapping[str, Any]], letter: str, axis_id: str) -> list:
    values: list = []
    for trace in data:
        if trace.get("visible") is False or trace.get(f"{letter}axis", letter) != axis_id:
            continue
        values.extend(_values(trace.get(letter)))
    return [v for v in values if v is not None]


def _number_text(value: float, decimals: int, fmt: str) -> str:
    if "%" in fmt:
        value, suffix = value * 100, "%"
    else:
        suffix = ""
    grouping = "," if (abs(value) >= 10000 or "," in fmt) and fmt not in ("d",) else ""
    return f"{value:{grouping}.{decimals}f}" + suffix


def _numeric_labels(values: list, lay: _Layout, name: str) -> list[str]:
    """The widest tick labels a numeric axis can show: its ends, the upper one rounded out to the next tick."""
    limits = [v for v in lay.get(name, "range", default=[]) if _is_number(v)]
    numbers = [float(v) for v in values if _is_number(v)] + limits
    if not numbers:
        return ["0"]
    low, high = min(numbers), max(numbers)
    if lay.get(name, "rangemode") == "tozero":
        low, high = min(low, 0.0), max(high, 0.0)
    span = (high - low) or abs(high) or 1.0
    fmt = str(lay.get(name, "tickformat", default=""))
    match = re.search(r"\.(\d+)", fmt)
    if match:
        decimals = int(match.group(1))
    elif fmt == "d":
        decimals = 0
    else:
        dtick = 10 ** math.floor(math.log10(span / 4))  # ticks are at most about this far apart
        decimals = max(0, -int(math.floor(math.log10(dtick))))
    # Plotly rounds the axis out to the next tick: 950 can end on a "1,000" label.
    step = 10 ** (-decimals) if decimals else 10 ** max(0, math.floor(math.log10(span / 4)))
    high = math.ceil(high * 1.05 / step) * step
    return [_number_text(v, decimals, fmt) for v in (low, high)]


def _tick_labels(data: list, lay: _Layout, name: str, letter: str) -> tuple[list[str], str]:
    """(labels, kind): kind 'category', 'number' or 'date'."""
    axis_id = letter + name[5:]
    ticktext = lay.get(name, "ticktext")
    values = _axis_values(data, letter, axis_id)
    kind = lay.get(name, "type", default="-")
    if kind == "-":
        kind = "number" if all(_is_number(v) for v in values) else "category"
        if kind == "category" and values and all(
                isinstance(v, datetime.date) or (isinstance(v, str) and re.match(r"\d{4}-\d\d", v)) for v in values):
            kind = "date"
    elif kind == "linear":
        kind = "number"
    if kind == "log":
        raise Unsupported("log axis")
    if ticktext:
        return [str(t) for t in ticktext], "category" if kind == "category" else kind
    if kind == "category":
        seen = dict.fromkeys(str(v) for v in values)
        return list(seen), kind
    if kind == "date":
        fmt = str(lay.get(name, "tickformat", default=""))
        if fmt != "%Y":
            raise Unsupported("date axis without a year format")
        return ["2000"], kind
    return _numeric_labels(values, lay, name), kind


def _edge(lay: _Layout, name: str) -> str | None:
    """The margin an axis's labels push ('l', 'r', 't', 'b'), or None when it is inside the plot area."""
    letter = name[0]
    side = lay.get(name, "side", default="bottom" if letter == "x" else "left")
    anchor = lay.get(name, "anchor", default="y" if letter == "x" else "x")
    if anchor == "free":
        raise Unsupported("free axis")
    other = ("yaxis" if letter == "x" else "xaxis") + anchor[1:]
    domain = lay.get(other, "domain", default=[0, 1])
    if side in ("bottom", "left"):
        return side[0] if domain[0] <= 0.001 else None
    return side[0] if domain[1] >= 0.999 else None


def _axis_push(data: list, lay: _Layout, name: str) -> dict[str, float]:
    """{margin side: px the axis needs beyond the plot area} for one axis with automargin."""
    if lay.get(name, "visible") is False:
        return {}
    edge = _edge(lay, name)
    if edge is None or not lay.get(name, "automargin", default=False):
        return {}
    pushes: dict[str, float] = {}
    letter = name[0]
    size = float(lay.get(name, "tickfont", "size", default=lay.font_size))
    push = 0.0
    if lay.get(name, "showticklabels", default=True):
        labels, kind = _tick_labels(data, lay, name, letter)
        prefix = str(lay.get(name, "tickprefix", default=""))
        suffix = str(lay.get(name, "ticksuffix", default=""))
        sized = [label_size(prefix + label + suffix, size) for label in labels] or [(0.0, 1)]
        ticklen = float(lay.get(name, "ticklen", default=5)) if lay.get(name, "ticks", default="") else 0.0
        if letter == "y":
            push = ticklen + 3 + max(w for w, _ in sized) * SCALE
        else:
            if kind == "category" and lay.get(name, "tickangle") in (None, "auto"):
                # Plotly tilts crowded category labels; too many or too long to sit side by side: not estimated.
                room = REFERENCE_WIDTH * 0.7 / max(len(sized), 1)
                if max(w for w, _ in sized) + 8 > room:
                    raise Unsupported("category labels that may tilt")
            elif lay.get(name, "tickangle") not in (None, "auto", 0):
                raise Unsupported("tilted labels")
            # Khmer script, with its marks above and below, needs a taller line (measured).
            line = LINE_HEIGHT + (0.9 if any(_KHMER.search(label) for label in labels) else 0)
            push = ticklen + 10 + max(n for _, n in sized) * size * line
            if kind in ("number", "date"):  # the last label, centred on the plot's right edge, reaches past it
                pushes["r"] = max(w for w, _ in sized) * SCALE / 2 + 4
    title = lay.get(name, "title", "text")
    if title is not None:  # an empty title is given room too
        title_size = float(lay.get(name, "title", "font", "size", default=lay.font_size))
        standoff = float(lay.get(name, "title", "standoff", default=10))
        _, lines = label_size(title, title_size)
        push += standoff + lines * title_size * LINE_HEIGHT
    pushes[edge] = max(pushes.get(edge, 0.0), push)
    return pushes


def _legend_items(data: list[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """(name, legend group) of each legend entry, in trace order."""
    items = []
    for trace in data:
        if trace.get("visible") is False or trace.get("showlegend") is False:
            continue
        items.append((str(trace.get("name") or ""), str(trace.get("legendgroup") or "")))
    return items


def _legend_push(data: list, lay: _Layout, margins: dict[str, float], height: float) -> dict[str, float]:
    """Margins a legend outside the plot area needs ({} when it has none or sits inside)."""
    items = _legend_items(data)
    shown = lay.get("showlegend")
    if shown is False or (shown is None and len(items) < 2) or not items:
        return {}
    if lay.get("legend", "title", "text"):
        raise Unsupported("legend title")
    size = float(lay.get("legend", "font", "size", default=lay.font_size))
    orientation = lay.get("legend", "orientation", default="v")
    x = float(lay.get("legend", "x", default=1.02 if orientation == "v" else 0))
    y = float(lay.get("legend", "y", default=1 if orientation == "v" else -0.1))
    xanchor = lay.get("legend", "xanchor", default="left")
    yanchor = lay.get("legend", "yanchor", default="top" if orientation == "h" or y >= 0.5 else "bottom")
    khmer = any(_KHMER.search(name) for name, _ in items)
    row = size * LINE_HEIGHT + (9 if khmer else 3)  # one legend line (Khmer's is taller: measured)
    gap = float(lay.get("legend", "tracegroupgap", default=10))
    width = {name: 44 + label_size(name, size)[0] * 1.05 for name, _ in items}  # symbol, gaps and text
    if orientation == "h":
        if not (0 <= x <= 0.01 and xanchor == "left" and y < 0 and yanchor == "top"):
            raise Unsupported("horizontal legend not under the plot")
        room = REFERENCE_WIDTH - margins["l"] - margins["r"]
        grouped = any(group for _, group in items)
        # Plotly lays out a grouped legend as blocks (a group's entries one under another) side by side, each
        # line of blocks as tall as its tallest block and a group gap under it; ungrouped entries flow in lines.
        blocks: dict[str, list[str]] = {}
        for index, (name, group) in enumerate(items):
            blocks.setdefault(group if grouped and group else f"\0{index}", []).append(name)
        lines: list[float] = []
        used = 0.0
        for names in blocks.values():
            block_width = max(width[name] for name in names)
            block_height = len(names) * row
            if not lines or (used and used + block_width > room):
                lines.append(0.0)
                used = 0.0
            lines[-1] = max(lines[-1], block_height)
            used += block_width
        legend_height = sum(lines) + (len(lines) * gap + 1 if grouped else 11)
        # The legend hangs |y| plot heights under the plot area (and 10 px lower still, measured):
        # b >= |y| (H - t - b) + legend height + 10.
        return {"b": (-y * (height - margins["t"]) + legend_height + 10) / (1 - y)}
    if 0 <= x <= 1 and 0 <= y <= 1:
        return {}  # inside the plot area
    if x >= 1 and xanchor == "left":
        legend_width = max(width.values())
        offset = x - 1
        # Its gap from the plot grows with the chart's width: taken at a wide 1400 px.
        return {"r": (offset * (1400 - margins["l"]) + legend_width) / (1 + offset)}
    raise Unsupported("legend position")


def presized_margins(figure: Mapping[str, Any]) -> dict[str, int] | None:
    """Margins (l, r, t, b in px) that hold the figure's axis labels, titles and legend, or None (left to Plotly).

    `figure` is a figure's dict (`go.Figure.to_dict()`), template included. Each margin is at least the layout's."""
    data = list(figure.get("data") or [])
    layout = figure.get("layout") or {}
    lay = _Layout(layout)
    if any(t.get("type", "scatter") not in CARTESIAN for t in data):
        return None
    if lay.get("margin", "autoexpand") is False:
        return None
    try:
        margins = {side: float(lay.get("margin", side, default=80 if side in "lr" else 100 if side == "t" else 80))
                   for side in "lrtb"}
        height = float(lay.get("height", default=450))
        pushes: dict[str, float] = {}
        for name in sorted(k for k in layout if re.fullmatch(r"[xy]axis\d*", k)) or ["xaxis", "yaxis"]:
            for side, px in _axis_push(data, lay, name).items():
                pushes[side] = max(pushes.get(side, 0.0), px)
        needed = {side: max(margins[side], pushes.get(side, 0.0) + SLACK) for side in "lrtb"}
        for side, px in _legend_push(data, lay, needed, height).items():
            needed[side] = max(needed[side], px + SLACK)
        return {side: int(math.ceil(px)) for side, px in needed.items()}
    except (Unsupported, ArithmeticError, LookupError, TypeError, ValueError):
        # Not understood, or odd values (a margin, a range or a size that is not a number): Plotly sizes the margins
        # itself, as it always could. An estimate must never stop a chart from being drawn.
        return None
