"""Bar charts drawn as inline SVG on the server: no chart library, no JavaScript, nothing fetched.

Readable without colour: a second series is hatched as well as lighter, review states carry their
icon and word, bars that fit one carry their value, and each bar is a link with a tooltip giving
its exact figure. Every text goes through ``escape``; the template also shows each chart's data
as a table.
"""

import math

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from claims.selectors.dashboard import Chart

FONT = 12
SERIES_CLASSES = ("series-0", "series-1")
STATE_ICONS = {"state-unverified": "?", "state-corroborated": "✓", "state-disputed": "✗"}


def nice_ticks(largest: int, count: int = 5) -> list[int]:
    """Round axis steps (1, 2 or 5 times a power of ten) from 0 to at least ``largest``."""
    if largest <= 0:
        return [0, 1]
    raw = largest / count
    power = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(int(step), 1)
    top = step * math.ceil(largest / step)
    return list(range(0, top + 1, step))


def _number(value: int) -> str:
    return intcomma(value)


def _tip(series: str, category: str, value: int) -> str:
    return _("%(series)s, %(category)s: %(value)s") % {
        "series": series,
        "category": category,
        "value": _number(value),
    }


def _patterns(chart_id: str) -> str:
    """A diagonal hatch for the second series, so the two series differ without colour."""
    return (
        f'<defs><pattern id="{chart_id}-hatch" width="6" height="6" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="6" height="6" class="hatch-ground"/>'
        '<line x1="0" y1="0" x2="0" y2="6" class="hatch-line"/></pattern></defs>'
    )


def _fill(chart_id: str, series: int) -> str:
    return f' fill="url(#{chart_id}-hatch)"' if series == 1 else ""


def _legend(chart: Chart, chart_id: str, x: float, y: float) -> str:
    if len(chart.series) < 2:
        return ""
    parts = []
    for index, name in enumerate(chart.series):
        parts.append(
            f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="14" height="12" '
            f'class="bar {SERIES_CLASSES[index]}"{_fill(chart_id, index)}/>'
            f'<text x="{x + 19:.1f}" y="{y:.1f}" class="legend">{escape(name)}</text>'
        )
        x += 26 + len(name) * FONT * 0.56
    return "".join(parts)


def _svg(chart: Chart, chart_id: str, width: int, height: float, body: str) -> SafeString:
    # Every interpolated text above and below was escaped; numbers are formatted here.
    # A group, not an img: an image's children are hidden from assistive technology, and the
    # bars are links that must stay reachable.
    return mark_safe(  # noqa: S308
        f'<svg class="chart" id="{chart_id}" viewBox="0 0 {width} {height:.0f}" '
        f'role="group" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(chart.title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(chart.description)}</desc>'
        f"{_patterns(chart_id)}{body}</svg>"
    )


def _bar(x, y, w, h, *, series: int, chart_id: str, tone: str, url: str, tip: str) -> str:
    tone_class = f" {tone}" if tone else ""
    return (
        f'<a href="{escape(url)}"><rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" '
        f'height="{max(h, 0):.1f}" class="bar {SERIES_CLASSES[series]}{tone_class}"'
        f"{_fill(chart_id, series)}><title>{escape(tip)}</title></rect></a>"
    )


def column_chart(chart: Chart, chart_id: str, *, width: int = 640, height: int = 280) -> str:
    """Vertical bars per category (one per series, side by side), values on a left axis."""
    left, right, top, bottom = 56, 10, 30 if len(chart.series) > 1 else 14, 52
    plot_w, plot_h = width - left - right, height - top - bottom
    largest = max((v for bar in chart.bars for v in bar.values), default=0)
    ticks = nice_ticks(largest)
    scale = plot_h / ticks[-1]
    parts = [_legend(chart, chart_id, left, 14)]
    for tick in ticks:
        y = top + plot_h - tick * scale
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" class="tick" text-anchor="end">'
            f"{_number(tick)}</text>"
        )
    parts += _columns(
        chart, chart_id, left=left, top=top, plot_w=plot_w, plot_h=plot_h, scale=scale
    )
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" '
        'class="axis"/>'
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 8}" class="axis-label" '
        f'text-anchor="middle">{escape(chart.category_label)}</text>'
        f'<text transform="translate(14 {top + plot_h / 2:.1f}) rotate(-90)" '
        f'class="axis-label" text-anchor="middle">{escape(chart.value_label)}</text>'
    )
    return _svg(chart, chart_id, width, height, "".join(parts))


def _columns(chart: Chart, chart_id: str, *, left, top, plot_w, plot_h, scale) -> list[str]:
    """Each category's bars side by side, with values where they fit and the category labels."""
    parts = []
    slot = plot_w / max(len(chart.bars), 1)
    series = len(chart.series)
    bar_w = min(slot * 0.8 / series, 48)
    label_every = 1 if slot >= 40 else 2
    show_values = bar_w >= 30
    for index, bar in enumerate(chart.bars):
        x0 = left + index * slot + (slot - bar_w * series) / 2
        for s, value in enumerate(bar.values):
            h = value * scale
            x, y = x0 + s * bar_w, top + plot_h - h
            tip = _tip(chart.series[s], bar.long_label or bar.label, value)
            parts.append(
                _bar(
                    x,
                    y,
                    bar_w - 1,
                    h,
                    series=s,
                    chart_id=chart_id,
                    tone=bar.tone,
                    url=bar.urls[s],
                    tip=tip,
                )
            )
            if show_values:
                parts.append(
                    f'<text x="{x + bar_w / 2:.1f}" y="{y - 5:.1f}" class="value" '
                    f'text-anchor="middle">{_number(value)}</text>'
                )
        # Every other label on a crowded axis, always the latest.
        if (len(chart.bars) - 1 - index) % label_every == 0:
            parts.append(
                f'<text x="{left + index * slot + slot / 2:.1f}" y="{top + plot_h + 16:.1f}" '
                f'class="tick" text-anchor="middle">{escape(bar.label)}</text>'
            )
    return parts


def bar_chart(chart: Chart, chart_id: str, *, width: int = 480, label_width: int = 130) -> str:
    """Horizontal bars, a row per category (one bar per series), each with its value."""
    series = len(chart.series)
    bar_h = 18 if series == 1 else 12
    row_h = bar_h * series + 12
    top = 30 if series > 1 else 8
    bottom = 44
    value_room = 54
    plot_w = width - label_width - value_room
    rows = max(len(chart.bars), 1)
    height = top + rows * row_h + bottom
    largest = max((v for bar in chart.bars for v in bar.values), default=0)
    ticks = nice_ticks(largest)
    scale = plot_w / ticks[-1]
    plot_bottom = top + rows * row_h
    parts = [_legend(chart, chart_id, label_width, 14)]
    for tick in ticks:
        x = label_width + tick * scale
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{plot_bottom}" class="grid"/>'
            f'<text x="{x:.1f}" y="{plot_bottom + 15}" class="tick" text-anchor="middle">'
            f"{_number(tick)}</text>"
        )
    if not chart.bars:
        nothing = escape(_("Nothing to show."))
        parts.append(f'<text x="{label_width}" y="{top + 20}" class="tick">{nothing}</text>')
    for index, bar in enumerate(chart.bars):
        parts.append(
            _bar_row(chart, chart_id, bar, top + index * row_h + 6, bar_h, label_width, scale)
        )
    parts.append(
        f'<line x1="{label_width}" x2="{label_width}" y1="{top}" y2="{plot_bottom}" '
        'class="axis"/>'
        f'<text x="{label_width + plot_w / 2:.1f}" y="{height - 8}" class="axis-label" '
        f'text-anchor="middle">{escape(chart.value_label)}</text>'
        f'<text x="4" y="{height - 8}" class="axis-label">{escape(chart.category_label)}</text>'
    )
    return _svg(chart, chart_id, width, height, "".join(parts))


def _bar_row(chart: Chart, chart_id: str, bar, y0: float, bar_h: int, label_width: int, scale):
    """One category: its label (with a state's icon), then one bar and value per series."""
    series = len(chart.series)
    icon = STATE_ICONS.get(bar.tone, "")
    label = f"{icon} {bar.label}" if icon else bar.label
    if len(label) > 20:
        label = label[:19] + "…"
    parts = [
        f'<text x="{label_width - 8}" y="{y0 + bar_h * series / 2 + 4:.1f}" '
        f'class="category" text-anchor="end">{escape(label)}</text>'
    ]
    for s, value in enumerate(bar.values):
        y = y0 + s * bar_h
        w = value * scale
        parts.append(
            _bar(
                label_width,
                y,
                w,
                bar_h - 1,
                series=s,
                chart_id=chart_id,
                tone=bar.tone,
                url=bar.urls[s],
                tip=_tip(bar.label, chart.series[s].lower(), value),
            )
            + f'<text x="{label_width + w + 5:.1f}" y="{y + bar_h / 2 + 4:.1f}" '
            f'class="value">{_number(value)}</text>'
        )
    return "".join(parts)
