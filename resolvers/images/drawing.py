"""The embedded image backend's picture: a deterministic PNG drawn from the prompt.

Everything is derived from the prompt's SHA-256: a palette (hues around one base hue), a
sky gradient, a sun or moon, layered hills, a few scattered shapes, and the prompt's words
as a caption on a band at the bottom when the picture is wide enough to read them. The
same prompt and size give the same bytes (Pillow and zlib are pinned; PNG carries no
timestamp), which makes tests and caches exact.

CPU-bound and synchronous: callers run `draw_png` in a thread (`asyncio.to_thread`) so
the event loop keeps serving requests while it draws.
"""

from __future__ import annotations

import colorsys
import hashlib
import io
import random

from PIL import Image, ImageDraw, ImageFont, ImageOps

Color = tuple[int, int, int]

# Below this width a caption would be unreadable: the picture goes without.
CAPTION_MIN_WIDTH = 160
CAPTION_MAX_LINES = 2


def _seed(prompt: str) -> random.Random:
    digest = hashlib.sha256(prompt.encode()).digest()
    return random.Random(int.from_bytes(digest[:16], "big"))


def _palette(chooser: random.Random) -> list[Color]:
    """Five colours: hues spread around a base hue, lightness from dark to light."""
    base = chooser.random()
    spread = chooser.uniform(0.05, 0.3)
    colors: list[Color] = []
    for step in range(5):
        hue = (base + spread * (step - 2) / 2) % 1.0
        lightness = 0.2 + 0.15 * step
        saturation = chooser.uniform(0.45, 0.85)
        red, green, blue = colorsys.hls_to_rgb(hue, lightness, saturation)
        colors.append((round(red * 255), round(green * 255), round(blue * 255)))
    return colors


def _sky(width: int, height: int, top: Color, bottom: Color) -> Image.Image:
    """A vertical gradient from `top` to `bottom`, computed in C (no per-row Python)."""
    ramp = Image.linear_gradient("L").resize((width, height))
    return ImageOps.colorize(ramp, black=top, white=bottom)


def _hills(
    draw: ImageDraw.ImageDraw, chooser: random.Random, width: int, height: int, colors: list[Color]
) -> None:
    layers = chooser.randint(2, 4)
    for layer in range(layers):
        baseline = height * (0.55 + 0.12 * layer)
        points = [(0.0, float(height))]
        steps = chooser.randint(4, 9)
        for step in range(steps + 1):
            x = width * step / steps
            y = baseline - chooser.uniform(0.0, height * 0.18)
            points.append((x, y))
        points.append((float(width), float(height)))
        draw.polygon(points, fill=colors[(layer + 1) % len(colors)])


def _shapes(
    draw: ImageDraw.ImageDraw, chooser: random.Random, width: int, height: int, colors: list[Color]
) -> None:
    side = min(width, height)
    sun = side * chooser.uniform(0.08, 0.16)
    cx, cy = width * chooser.uniform(0.15, 0.85), height * chooser.uniform(0.12, 0.35)
    draw.ellipse([cx - sun, cy - sun, cx + sun, cy + sun], fill=colors[4])
    for _ in range(chooser.randint(3, 8)):
        size = side * chooser.uniform(0.02, 0.07)
        x, y = width * chooser.random(), height * chooser.uniform(0.05, 0.5)
        color = colors[chooser.randrange(len(colors))]
        if chooser.random() < 0.5:
            draw.ellipse([x - size, y - size, x + size, y + size], outline=color, width=2)
        else:
            draw.regular_polygon((x, y, size), chooser.randint(3, 6), fill=color)


def _caption_lines(
    prompt: str,
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont,
    draw: ImageDraw.ImageDraw,
    room: float,
) -> list[str]:
    """The prompt's words wrapped to `room` pixels, at most two lines (… when cut)."""
    lines: list[str] = []
    current = ""
    for word in prompt.split():
        candidate = f"{current} {word}".strip()
        if draw.textlength(candidate, font=font) <= room or not current:
            current = candidate
            continue
        lines.append(current)
        current = word
        if len(lines) == CAPTION_MAX_LINES:
            break
    if current and len(lines) < CAPTION_MAX_LINES:
        lines.append(current)
    elif current:
        last = lines[-1]
        while last and draw.textlength(last + "…", font=font) > room:
            last = last[:-1]
        lines[-1] = last + "…"
    return lines


def _caption(draw: ImageDraw.ImageDraw, prompt: str, width: int, height: int, ink: Color) -> None:
    size = max(10, width // 24)
    font = ImageFont.load_default(size=size)
    margin = size
    lines = _caption_lines(prompt, font, draw, width - 2 * margin)
    if not lines:
        return
    band = len(lines) * round(size * 1.3) + margin
    draw.rectangle([0, height - band, width, height], fill=(16, 16, 20))
    for number, line in enumerate(lines):
        y = height - band + margin // 2 + number * round(size * 1.3)
        draw.text((margin, y), line, font=font, fill=ink)


def draw_png(prompt: str, width: int, height: int) -> bytes:
    """A `width`×`height` PNG for `prompt`; the same arguments give the same bytes."""
    chooser = _seed(prompt)
    colors = _palette(chooser)
    image = _sky(width, height, colors[chooser.choice((0, 1))], colors[chooser.choice((3, 4))])
    draw = ImageDraw.Draw(image)
    _shapes(draw, chooser, width, height, colors)
    _hills(draw, chooser, width, height, colors)
    if width >= CAPTION_MIN_WIDTH and height >= CAPTION_MIN_WIDTH // 2:
        _caption(draw, " ".join(prompt.split()), width, height, (240, 240, 236))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=6)
    return buffer.getvalue()
