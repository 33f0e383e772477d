"""Horizontal bar charts as plain SVG (no plotting library): one bar per server, Sluice's in one
colour and the peers' in another."""
from xml.sax.saxutils import escape

SLUICE_COLOUR, PEER_COLOUR = "#2b6cb0", "#a0aec0"
STACK_COLOURS = ("#2b6cb0", "#ed8936")
LABEL_W, BAR_W, VALUE_W, ROW_H, TOP = 230, 420, 190, 24, 40


def _frame(title, rows, legend=None):
    height = TOP + rows * ROW_H + (30 if legend else 12)
    width = LABEL_W + BAR_W + VALUE_W
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="10" y="22" font-size="14" font-weight="bold">{escape(title)}</text>']
    if legend:
        y = TOP + rows * ROW_H + 16
        x = LABEL_W
        for colour, name in legend:
            out.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{colour}"/>')
            out.append(f'<text x="{x + 16}" y="{y}">{escape(name)}</text>')
            x += 30 + 7 * len(name)
    return out


def bars(path, title, rows):
    """rows: (label, value, is_sluice, value_text); NaN values are drawn as 'n/a'."""
    vals = [v for _, v, _, _ in rows if v == v]
    top = max(vals) if vals and max(vals) > 0 else 1
    out = _frame(title, len(rows), [(SLUICE_COLOUR, "Sluice"), (PEER_COLOUR, "peers")])
    for i, (label, v, sluice, text) in enumerate(rows):
        y = TOP + i * ROW_H
        out.append(f'<text x="{LABEL_W - 8}" y="{y + 15}" text-anchor="end">{escape(label)}</text>')
        w = BAR_W * v / top if v == v and v > 0 else 0
        out.append(f'<rect x="{LABEL_W}" y="{y + 3}" width="{w:.1f}" height="{ROW_H - 6}" '
                   f'fill="{SLUICE_COLOUR if sluice else PEER_COLOUR}"/>')
        out.append(f'<text x="{LABEL_W + w + 6:.1f}" y="{y + 15}">{escape(text if v == v else "n/a")}</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def stacked(path, title, rows, names):
    """rows: (label, first, second, is_sluice): two segments per bar, the total written after it."""
    totals = [a + b for _, a, b, _ in rows if a == a and b == b]
    top = max(totals) if totals and max(totals) > 0 else 1
    out = _frame(title, len(rows), list(zip(STACK_COLOURS, names)))
    for i, (label, a, b, sluice) in enumerate(rows):
        y = TOP + i * ROW_H
        weight = ' font-weight="bold"' if sluice else ""
        out.append(f'<text x="{LABEL_W - 8}" y="{y + 15}" text-anchor="end"{weight}>{escape(label)}</text>')
        x = LABEL_W
        for v, colour in ((a, STACK_COLOURS[0]), (b, STACK_COLOURS[1])):
            w = BAR_W * max(0.0, v) / top if v == v else 0
            out.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{ROW_H - 6}" fill="{colour}"/>')
            x += w
        total = (a if a == a else 0) + (b if b == b else 0)
        out.append(f'<text x="{x + 6:.1f}" y="{y + 15}">{total:.2f} KiB</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
