"""Bar charts as inline SVG, made at build time: no JavaScript, nothing loaded from elsewhere.

Each chart is drawn for a phone first: 340 units wide, labels above their bars, 14-unit text, so on a
390-px screen text stays at least 12 px tall; on a desktop CSS caps its width. Each comes with a
text alternative (<title> and <desc>) and a table of the same numbers, so nothing is only a picture.
"""
from __future__ import annotations

import textwrap
from html import escape

WIDTH, FONT, PAD = 340, 14, 4
_LINE, _BAR, _GAP = 18, 16, 10
_VALUE_ROOM = 56  # room right of the longest bar for its value


def _lines(label: str) -> list[str]:
    lines = textwrap.wrap(label, 40) or [""]
    return lines[:1] + [lines[1] + ("…" if len(lines) > 2 else "")] if len(lines) > 1 else lines


def _shown(value: float | None, unit: str, minimum: int) -> str:
    return f"< {minimum}" if value is None else f"{value:g}{unit}"


def bar_chart(chart_id: str, title: str, rows: list[tuple[str, float | None]], unit: str = "", minimum: int = 3) -> str:
    """An <svg> bar chart; every text is escaped. `chart_id` must be unique on the page.
    A value of None is a suppressed small cell: no bar, written as '< minimum'."""
    peak = max((value or 0 for _, value in rows), default=0) or 1
    room = WIDTH - 2 * PAD - _VALUE_ROOM
    parts, y = [], PAD
    for label, value in rows:
        for line in _lines(label):
            y += _LINE
            parts.append(f'<text x="{PAD}" y="{y - 4}">{escape(line)}</text>')
        length = max(1, round(room * value / peak)) if value else 0
        parts += [f'<rect x="{PAD}" y="{y}" width="{length}" height="{_BAR}" fill="#8b1a1a"/>',
                  f'<text x="{PAD + length + 6}" y="{y + _BAR - 3}" font-weight="bold">'
                  f'{escape(_shown(value, unit, minimum))}</text>']
        y += _BAR + _GAP
    described = "; ".join(f"{label}: {_shown(value, unit, minimum)}" for label, value in rows)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {y + PAD}" role="img" '
            f'aria-labelledby="{chart_id}-judul {chart_id}-isi" font-family="sans-serif" font-size="{FONT}" '
            f'fill="#1a1a1a"><title id="{chart_id}-judul">{escape(title)}</title>'
            f'<desc id="{chart_id}-isi">{escape(described)}</desc>' + "".join(parts) + "</svg>")


def html_table(headers: list[str], rows: list[list]) -> str:
    head = "".join(f'<th scope="col">{escape(str(h))}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def figure(chart_id: str, title: str, rows: list[tuple[str, float | None]], headers: list[str], unit: str = "",
           minimum: int = 3) -> str:
    """The chart and a table of the same numbers, as one HTML block for a Markdown page."""
    table = html_table(headers, [[label, _shown(value, unit, minimum)] for label, value in rows])
    return f'<figure class="grafik" id="{chart_id}">{bar_chart(chart_id, title, rows, unit, minimum)}{table}</figure>'

