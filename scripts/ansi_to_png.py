#!/usr/bin/env python3
"""Renders a terminal capture with SGR escapes (`tmux capture-pane -e -p`) into a PNG.

Understands SGR: reset, bold, dim, italic, underline, reverse, their resets, the 16 ANSI colours
(30-37, 90-97, 40-47, 100-107), 256 colours (38;5;N / 48;5;N) and truecolour (38;2;R;G;B, also
the colon forms), default colours (39/49). Other escape sequences are skipped. Wide characters
(East Asian Wide/Fullwidth) take two cells, as in the terminal.

usage: ansi_to_png.py INPUT.ans OUTPUT.png [--cols N] [--rows N] [--font-size PX] [--title TEXT]
"""
import argparse
import re
import sys
import unicodedata

from PIL import Image, ImageDraw, ImageFont

FONT_DIRS = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/local/share/fonts"]

# The terminal's default colours and 16-colour palette (a dark scheme close to xterm's).
DEFAULT_FG = (0xD0, 0xD0, 0xD0)
DEFAULT_BG = (0x1C, 0x1C, 0x1C)
ANSI16 = [
    (0x00, 0x00, 0x00), (0xCD, 0x31, 0x31), (0x0D, 0xBC, 0x79), (0xE5, 0xE5, 0x10),
    (0x24, 0x72, 0xC8), (0xBC, 0x3F, 0xBC), (0x11, 0xA8, 0xCD), (0xE5, 0xE5, 0xE5),
    (0x66, 0x66, 0x66), (0xF1, 0x4C, 0x4C), (0x23, 0xD1, 0x8B), (0xF5, 0xF5, 0x43),
    (0x3B, 0x8E, 0xEA), (0xD6, 0x70, 0xD6), (0x29, 0xB8, 0xDB), (0xFF, 0xFF, 0xFF),
]


def palette256(n):
    if n < 16:
        return ANSI16[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    level = 8 + (n - 232) * 10
    return (level, level, level)


class Style:
    __slots__ = ("fg", "bg", "bold", "dim", "italic", "underline", "reverse")

    def __init__(self):
        self.reset()

    def reset(self):
        self.fg = None  # None = default, else (r, g, b)
        self.bg = None
        self.bold = self.dim = self.italic = self.underline = self.reverse = False

    def copy(self):
        s = Style()
        for k in self.__slots__:
            setattr(s, k, getattr(self, k))
        return s


def apply_sgr(style, params):
    # Colon sub-parameters (38:2::r:g:b) become a flat list like the semicolon form.
    codes = []
    for p in params.split(";") if params else ["0"]:
        if ":" in p:
            sub = p.split(":")
            if sub[0] in ("38", "48", "58") and len(sub) >= 2 and sub[1] == "2":
                rgb = [x for x in sub[2:] if x != ""][-3:]
                codes += [sub[0], "2"] + rgb
            else:
                codes += sub
        else:
            codes.append(p)
    nums = [int(c) if c.isdigit() else 0 for c in codes]
    i = 0
    while i < len(nums):
        n = nums[i]
        if n == 0:
            style.reset()
        elif n == 1:
            style.bold = True
        elif n == 2:
            style.dim = True
        elif n == 3:
            style.italic = True
        elif n in (4, 21):
            style.underline = True
        elif n == 7:
            style.reverse = True
        elif n == 22:
            style.bold = style.dim = False
        elif n == 23:
            style.italic = False
        elif n == 24:
            style.underline = False
        elif n == 27:
            style.reverse = False
        elif 30 <= n <= 37:
            style.fg = ANSI16[n - 30]
        elif 90 <= n <= 97:
            style.fg = ANSI16[n - 90 + 8]
        elif 40 <= n <= 47:
            style.bg = ANSI16[n - 40]
        elif 100 <= n <= 107:
            style.bg = ANSI16[n - 100 + 8]
        elif n == 39:
            style.fg = None
        elif n == 49:
            style.bg = None
        elif n in (38, 48, 58):
            color = None
            if i + 2 < len(nums) and nums[i + 1] == 5:
                color = palette256(nums[i + 2] & 0xFF)
                i += 2
            elif i + 4 < len(nums) and nums[i + 1] == 2:
                color = tuple(min(255, v) for v in nums[i + 2:i + 5])
                i += 4
            if n == 38:
                style.fg = color
            elif n == 48:
                style.bg = color
        i += 1


ESCAPE = re.compile(r"\x1b(?:\[([0-9;:?<=>]*)([@-~])|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][0-9A-Za-z]|.)")


def cell_width(ch):
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def parse(text):
    """Lines of (char, style, width) cells."""
    lines = []
    style = Style()
    for raw in text.split("\n"):
        cells = []
        pos = 0
        for m in ESCAPE.finditer(raw):
            for ch in raw[pos:m.start()]:
                if ch == "\r":
                    continue
                cells.append((ch, style.copy(), cell_width(ch)))
            pos = m.end()
            if m.group(2) == "m":
                apply_sgr(style, m.group(1) or "")
        for ch in raw[pos:]:
            if ch != "\r":
                cells.append((ch, style.copy(), cell_width(ch)))
        lines.append(cells)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def find_font(name):
    for d in FONT_DIRS:
        path = f"{d}/{name}"
        try:
            with open(path, "rb"):
                return path
        except OSError:
            continue
    return None


class Fonts:
    """Monospace faces with fallbacks for glyphs the monospace font lacks."""

    def __init__(self, size):
        regular = find_font("DejaVuSansMono.ttf")
        if regular is None:
            sys.exit("ansi_to_png: DejaVu Sans Mono not found (apt-get install -y fonts-dejavu-core)")
        self.size = size
        self.faces = {}
        names = {(False, False): "DejaVuSansMono.ttf", (True, False): "DejaVuSansMono-Bold.ttf",
                 (False, True): "DejaVuSansMono-Oblique.ttf", (True, True): "DejaVuSansMono-BoldOblique.ttf"}
        for key, name in names.items():
            path = find_font(name) or (find_font("DejaVuSansMono-Bold.ttf") if key[0] else None) or regular
            self.faces[key] = ImageFont.truetype(path, size)
        self.fallbacks = [ImageFont.truetype(p, size) for p in
                          (find_font("DejaVuSans.ttf"), find_font("DejaVuSans-Bold.ttf")) if p]
        base = self.faces[(False, False)]
        self.cell_w = round(base.getlength("M"))
        ascent, descent = base.getmetrics()
        self.cell_h = ascent + descent + 2
        self.baseline_pad = 1
        self._missing = {}
        self._notdef = {}

    def _notdef_mask(self, font):
        key = id(font)
        if key not in self._notdef:
            self._notdef[key] = bytes(font.getmask("\U0010FFFD"))
        return self._notdef[key]

    def has_glyph(self, font, ch):
        key = (id(font), ch)
        if key not in self._missing:
            if ch.isascii():
                self._missing[key] = False
            else:
                self._missing[key] = bytes(font.getmask(ch)) == self._notdef_mask(font)
        return not self._missing[key]

    def face(self, ch, bold, italic):
        font = self.faces[(bold, italic)]
        if self.has_glyph(font, ch):
            return font
        for f in self.fallbacks:
            if self.has_glyph(f, ch):
                return f
        return font


def blend(a, b, t):
    return tuple(round(x * (1 - t) + y * t) for x, y in zip(a, b))


BOX_CHARS = set("─│┌┐└┘├┤┬┴┼━┃╭╮╯╰▔▕▀▐⌛⏸") | {chr(c) for c in range(0x2581, 0x2590)}


def draw_box(draw, ch, x, y, w, h, color):
    """Box-drawing lines and block elements drawn as shapes, so borders join without gaps and
    blocks fill exactly their cell; also the few symbols DejaVu lacks."""
    o = ord(ch)
    if 0x2581 <= o <= 0x2588:  # ▁▂▃▄▅▆▇█: lower n/8 blocks
        top = y + h - round(h * (o - 0x2580) / 8)
        draw.rectangle([x, top, x + w - 1, y + h - 1], fill=color)
        return True
    if 0x2589 <= o <= 0x258F:  # ▉▊▋▌▍▎▏: left n/8 blocks
        right = x + max(1, round(w * (0x2590 - o) / 8))
        draw.rectangle([x, y, right - 1, y + h - 1], fill=color)
        return True
    if ch in "▀▔":
        draw.rectangle([x, y, x + w - 1, y + (h // 2 if ch == "▀" else max(1, h // 8)) - 1], fill=color)
        return True
    if ch in "▐▕":
        left = x + (w // 2 if ch == "▐" else w - max(1, w // 8))
        draw.rectangle([left, y, x + w - 1, y + h - 1], fill=color)
        return True
    if ch == "⌛":  # hourglass: two triangles meeting in the middle, with caps
        cx, m = x + w / 2, h * 0.18
        half = min(w, h) * 0.32
        top, bottom, mid = y + m, y + h - m, y + h / 2
        draw.line([cx - half, top, cx + half, top], fill=color, width=2)
        draw.line([cx - half, bottom, cx + half, bottom], fill=color, width=2)
        draw.polygon([(cx - half * 0.8, top + 2), (cx + half * 0.8, top + 2), (cx, mid)], fill=color)
        draw.polygon([(cx, mid), (cx - half * 0.8, bottom - 2), (cx + half * 0.8, bottom - 2)], outline=color)
        return True
    if ch == "⏸":  # pause: two bars
        bw = max(2, w // 5)
        draw.rectangle([x + w // 2 - bw - 1, y + h // 4, x + w // 2 - 2, y + h - h // 4], fill=color)
        draw.rectangle([x + w // 2 + 1, y + h // 4, x + w // 2 + bw, y + h - h // 4], fill=color)
        return True
    cx, cy = x + w // 2, y + h // 2
    t = max(1, round(w / 9))
    segments = {
        "─": "lr", "━": "lr", "│": "ud", "┃": "ud", "┌": "rd", "╭": "rd", "┐": "ld", "╮": "ld",
        "└": "ru", "╰": "ru", "┘": "lu", "╯": "lu", "├": "udr", "┤": "udl", "┬": "lrd", "┴": "lru", "┼": "lrud",
    }
    if ch in segments:
        width = t * 2 if ch in "━┃" else t
        for s in segments[ch]:
            if s == "l":
                draw.rectangle([x, cy, cx + width - 1, cy + width - 1], fill=color)
            elif s == "r":
                draw.rectangle([cx, cy, x + w - 1, cy + width - 1], fill=color)
            elif s == "u":
                draw.rectangle([cx, y, cx + width - 1, cy + width - 1], fill=color)
            elif s == "d":
                draw.rectangle([cx, cy, cx + width - 1, y + h - 1], fill=color)
        return True
    return False


def render(text, out, cols=None, rows=None, font_size=16, title=None, pad=10):
    lines = parse(text)
    fonts = Fonts(font_size)
    cw, ch_h = fonts.cell_w, fonts.cell_h
    ncols = cols or max((sum(c[2] for c in l) for l in lines), default=1)
    nrows = rows or len(lines)
    title_h = ch_h + 8 if title else 0
    img = Image.new("RGB", (ncols * cw + 2 * pad, nrows * ch_h + 2 * pad + title_h), DEFAULT_BG)
    draw = ImageDraw.Draw(img)
    if title:
        draw.rectangle([0, 0, img.width, title_h - 1], fill=(0x30, 0x30, 0x30))
        for i, color in enumerate([(0xFF, 0x5F, 0x56), (0xFF, 0xBD, 0x2E), (0x27, 0xC9, 0x3F)]):
            r = ch_h // 4
            cx = pad + r + i * (3 * r)
            draw.ellipse([cx - r, title_h // 2 - r, cx + r, title_h // 2 + r], fill=color)
        tw = fonts.faces[(False, False)].getlength(title)
        draw.text(((img.width - tw) / 2, 4), title, font=fonts.faces[(False, False)], fill=(0xB0, 0xB0, 0xB0))
    top = pad + title_h
    for row, cells in enumerate(lines[:nrows]):
        col = 0
        y = top + row * ch_h
        for ch, style, width in cells:
            if width == 0 or col >= ncols:
                continue
            fg = style.fg or DEFAULT_FG
            bg = style.bg or DEFAULT_BG
            if style.reverse:
                fg, bg = bg, fg
            if style.dim:
                fg = blend(fg, bg, 0.45)
            x = pad + col * cw
            w = cw * width
            if bg != DEFAULT_BG:
                draw.rectangle([x, y, x + w - 1, y + ch_h - 1], fill=bg)
            if ch != " " and not (ch in BOX_CHARS and draw_box(draw, ch, x, y, w, ch_h, fg)):
                font = fonts.face(ch, style.bold, style.italic)
                glyph_w = font.getlength(ch)
                # Centre glyphs from fallback fonts (wider or narrower than a cell) in their cells.
                gx = x + (w - glyph_w) / 2 if abs(glyph_w - w) > 0.5 else x
                draw.text((gx, y + fonts.baseline_pad), ch, font=font, fill=fg)
            if style.underline:
                draw.line([x, y + ch_h - 2, x + w - 1, y + ch_h - 2], fill=fg)
            col += width
    img.save(out, optimize=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--cols", type=int)
    ap.add_argument("--rows", type=int)
    ap.add_argument("--font-size", type=int, default=16)
    ap.add_argument("--title")
    a = ap.parse_args()
    with open(a.input, encoding="utf-8", errors="replace") as f:
        text = f.read()
    render(text, a.output, cols=a.cols, rows=a.rows, font_size=a.font_size, title=a.title)


if __name__ == "__main__":
    main()
