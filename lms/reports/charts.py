"""Charts as inline SVG, drawn on the server: no JavaScript, a few hundred bytes, readable on a phone.

Each function returns markup that is safe to embed (every label is escaped).
"""
from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH = 320
COLOURS = ["#b5452b", "#2b6cb5", "#3f8f4a", "#c28a1e", "#6b4fa3"]


def _num(value) -> str:
    return f"{value:,.0f}" if isinstance(value, (int, float)) or hasattr(value, "as_tuple") else "—"


def bars(rows: list[tuple[str, float]], *, title: str, limit: int = 12) -> str:
    """Horizontal bars, longest first; labels sit above their bar so long Chinese names fit."""
    rows = rows[:limit]
    peak = max((v for _, v in rows if v), default=0) or 1
    height = 30 * len(rows) + 10
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>"]
    for i, (label, value) in enumerate(rows):
        y = 10 + 30 * i
        width = max(1, round((WIDTH - 60) * (value or 0) / peak))
        parts.append(f'<text x="0" y="{y + 8}" font-size="11">{escape(label)}</text>')
        parts.append(f'<rect x="0" y="{y + 11}" width="{width}" height="12" fill="{COLOURS[0]}"/>')
        parts.append(f'<text x="{width + 4}" y="{y + 21}" font-size="11">{_num(value)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def trend(points: list[dict], series: list[tuple[str, str]], *, title: str) -> str:
    """One polyline per series over time buckets, with a legend."""
    height, left, bottom = 170, 36, 20
    if not points:
        return ""
    peak = max((p.get(key) or 0 for p in points for key, _ in series), default=0) or 1
    step = (WIDTH - left - 8) / max(1, len(points) - 1)

    def xy(i, value):
        return f"{left + i * step:.1f},{height - bottom - (height - bottom - 24) * (value or 0) / peak:.1f}"

    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>",
             f'<line x1="{left}" y1="{height - bottom}" x2="{WIDTH}" y2="{height - bottom}" stroke="#999"/>',
             f'<text x="0" y="28" font-size="10">{_num(peak)}</text>',
             f'<text x="0" y="{height - bottom}" font-size="10">0</text>']
    for n, (key, label) in enumerate(series):
        colour = COLOURS[n % len(COLOURS)]
        line = " ".join(xy(i, p.get(key)) for i, p in enumerate(points))
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{line}"/>')
        parts.append(f'<rect x="{left + n * 95}" y="4" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{left + 14 + n * 95}" y="13" font-size="11">{escape(label)}</text>')
    first, last = points[0]["bucket"], points[-1]["bucket"]
    parts.append(f'<text x="{left}" y="{height - 4}" font-size="10">{escape(str(first)[:10])}</text>')
    parts.append(f'<text x="{WIDTH - 70}" y="{height - 4}" font-size="10">{escape(str(last)[:10])}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def funnel(stages: list[tuple[str, int]], *, title: str) -> str:
    """Centred bars narrowing from enrolled to credited, each with its share of the first stage."""
    top = stages[0][1] or 1
    height = 34 * len(stages)
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>"]
    for i, (label, value) in enumerate(stages):
        width = max(2, round(WIDTH * 0.6 * (value or 0) / top))
        x = (WIDTH * 0.6 - width) / 2
        share = f"{100 * (value or 0) / top:.0f}%" if stages[0][1] else "—"
        parts.append(f'<rect x="{x:.0f}" y="{i * 34 + 4}" width="{width}" height="24" '
                     f'fill="{COLOURS[i % len(COLOURS)]}"/>')
        parts.append(f'<text x="{WIDTH * 0.62:.0f}" y="{i * 34 + 20}" font-size="11">'
                     f"{escape(label)} {_num(value)} ({share})</text>")
    parts.append("</svg>")
    return mark_safe("".join(parts))
