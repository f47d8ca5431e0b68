"""Static SVG bar charts, made at build time: no JavaScript, nothing loaded from elsewhere."""
from __future__ import annotations

from xml.sax.saxutils import escape

_ROW, _LABEL, _BAR, _PAD = 26, 300, 300, 8


def bar_chart(title: str, rows: list[tuple[str, float]], unit: str = "", shown=None) -> str:
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
