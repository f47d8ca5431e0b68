"""SVG bar charts, made at build time: no JavaScript, nothing loaded from elsewhere.

`bar_chart` is a standalone SVG file for documents (the yearly evaluation). `figure` is for the public
site: an inline chart drawn for a phone first (340 units wide, labels above their bars, 14-unit text,
so on a 390-px screen text stays at least 12 px tall; on a desktop CSS caps its width), with a text
alternative (<title> and <desc>) and a table of the same numbers, so nothing is only a picture.
"""
from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from html import escape as html_escape
from xml.sax.saxutils import escape

_ROW, _LABEL, _BAR, _PAD = 26, 300, 300, 8
WIDTH, FONT, PAD = 340, 14, 4
_LINE, _BAR_HEIGHT, _GAP = 18, 16, 10
_VALUE_ROOM = 56  # room right of the longest bar for its value


def bar_chart(title: str, rows: list[tuple[str, float]], unit: str = "",
              shown: Callable[[float], str] | None = None) -> str:
    """A horizontal bar chart; every text is escaped. `shown` writes a value (e.g. with a decimal comma)."""
    peak = max((value for _, value in rows), default=0) or 1
    height = _PAD * 2 + _ROW * (len(rows) + 1)
    width = _LABEL + _BAR + 90
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
             f'role="img" aria-label="{escape(title, {chr(34): "&quot;"})}" font-family="sans-serif" font-size="13">',
             f"<title>{escape(title)}</title>",
             f'<text x="{_PAD}" y="{_PAD + 14}" font-weight="bold">{escape(title)}</text>']
    for index, (label, value) in enumerate(rows):
        y = _PAD + _ROW * (index + 1)
        length = round(_BAR * value / peak)
        text = (shown(value) if shown else f"{value:g}") + unit
        parts += [f'<text x="{_LABEL - 6}" y="{y + 17}" text-anchor="end">{escape(label[:48])}</text>',
                  f'<rect x="{_LABEL}" y="{y + 4}" width="{length}" height="{_ROW - 8}" fill="#8b1a1a"/>',
                  f'<text x="{_LABEL + length + 6}" y="{y + 17}">{escape(text)}</text>']
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _lines(label: str) -> list[str]:
    lines = textwrap.wrap(label, 40) or [""]
    return lines[:1] + [lines[1] + ("…" if len(lines) > 2 else "")] if len(lines) > 1 else lines


def _shown(value: float | None, unit: str, minimum: int) -> str:
    return f"< {minimum}" if value is None else f"{value:g}{unit}"


def inline_bar_chart(chart_id: str, title: str, rows: Sequence[tuple[str, float | None]], unit: str = "",
                     minimum: int = 3) -> str:
    """An <svg> for inside a page; every text is escaped. `chart_id` must be unique on the page.
    A value of None is a suppressed small cell: no bar, written as '< minimum'."""
    peak = max((value or 0 for _, value in rows), default=0) or 1
    room = WIDTH - 2 * PAD - _VALUE_ROOM
    parts, y = [], PAD
    for label, value in rows:
        for line in _lines(label):
            y += _LINE
            parts.append(f'<text x="{PAD}" y="{y - 4}">{html_escape(line)}</text>')
        length = max(1, round(room * value / peak)) if value else 0
        parts += [f'<rect x="{PAD}" y="{y}" width="{length}" height="{_BAR_HEIGHT}" fill="#8b1a1a"/>',
                  f'<text x="{PAD + length + 6}" y="{y + _BAR_HEIGHT - 3}" font-weight="bold">'
                  f'{html_escape(_shown(value, unit, minimum))}</text>']
        y += _BAR_HEIGHT + _GAP
    described = "; ".join(f"{label}: {_shown(value, unit, minimum)}" for label, value in rows)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {y + PAD}" role="img" '
            f'aria-labelledby="{chart_id}-judul {chart_id}-isi" font-family="sans-serif" font-size="{FONT}" '
            f'fill="#1a1a1a"><title id="{chart_id}-judul">{html_escape(title)}</title>'
            f'<desc id="{chart_id}-isi">{html_escape(described)}</desc>' + "".join(parts) + "</svg>")


def html_table(headers: list[str], rows: Sequence[Sequence[object]]) -> str:
    head = "".join(f'<th scope="col">{html_escape(str(h))}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html_escape(str(v))}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def figure(chart_id: str, title: str, rows: Sequence[tuple[str, float | None]], headers: list[str], unit: str = "",
           minimum: int = 3) -> str:
    """The chart and a table of the same numbers, as one HTML block for a Markdown page."""
    table = html_table(headers, [[label, _shown(value, unit, minimum)] for label, value in rows])
    chart = inline_bar_chart(chart_id, title, rows, unit, minimum)
    return f'<figure class="grafik" id="{chart_id}">{chart}{table}</figure>'
