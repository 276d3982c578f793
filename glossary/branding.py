"""Branding from site.yaml: the accent colour (checked for WCAG AA contrast), its stylesheet, and the logo.

The theme's light and dark palettes are written in static/style.css; the backgrounds that links sit on are
named here once (a test checks they match the stylesheet), so the load stage can check an accent colour
without reading the theme. The site's Content-Security-Policy allows no inline style, so the accent
reaches pages as a small generated stylesheet (`accent.css`), linked after style.css.
"""

from __future__ import annotations

import colorsys
import hashlib
import math
import re
from dataclasses import dataclass

from .problems import Problem, did_you_mean

HEX_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
SHORT_HEX_RE = re.compile(r"^#[0-9a-fA-F]{3}$")
AA = 4.5  # WCAG 2 AA contrast for text of normal size
DARK_TARGET = 7.0  # a derived dark-mode accent aims for AAA, so it reads as easily as the built-in one
ACCENT_CSS = "accent.css"
LOGO_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif")
TINT = 0.12  # how much accent the pale accent background (--accent-bg) holds at most


@dataclass(frozen=True)
class Palette:
    """One colour scheme of the built-in theme: the backgrounds accent-coloured text is shown on."""

    name: str  # "light" or "dark"
    bg: str  # --bg: the page
    surface: str  # --surface: the header and footer
    panel: str  # --panel: the search results

    @property
    def backgrounds(self) -> tuple[str, ...]:
        return (self.bg, self.surface, self.panel)


# The values of --bg, --surface and --panel in static/style.css (tests/build/test_branding.py compares them).
LIGHT = Palette("light", bg="#ffffff", surface="#f5f7fa", panel="#ffffff")
DARK = Palette("dark", bg="#121519", surface="#181c22", panel="#1b2027")


def rgb(colour: str) -> tuple[float, float, float]:
    """'#0b5cad' -> its red, green and blue channels from 0 to 1."""
    return (int(colour[1:3], 16) / 255, int(colour[3:5], 16) / 255, int(colour[5:7], 16) / 255)


def hex_of(channels: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(min(max(c, 0.0), 1.0) * 255):02x}" for c in channels)


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb(colour)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two colours, from 1 (the same) to 21 (black on white)."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def ratio_text(ratio: float) -> str:
    """'2.6:1': rounded down, so a ratio just under 4.5 never reads as 4.5."""
    return f"{math.floor(ratio * 10) / 10:.1f}:1"


def worst_contrast(colour: str, palette: Palette) -> float:
    return min(contrast(colour, bg) for bg in palette.backgrounds)


def with_lightness(colour: str, lightness: float) -> str:
    """The colour with the same hue and saturation at another HLS lightness."""
    hue, _, saturation = colorsys.rgb_to_hls(*rgb(colour))
    return hex_of(colorsys.hls_to_rgb(hue, lightness, saturation))


def shade_for(colour: str, palette: Palette, target: float = AA) -> str:
    """The shade of `colour` nearest to it (darker on light, lighter on dark) that reaches `target` on
    every background of `palette`."""
    _, start, _ = colorsys.rgb_to_hls(*rgb(colour))
    steps = range(round(start * 1000), -1, -1) if palette is LIGHT else range(round(start * 1000), 1001)
    for step in steps:
        if worst_contrast(shade := with_lightness(colour, step / 1000), palette) >= target:
            return shade
    return "#000000" if palette is LIGHT else "#ffffff"


def mix(colour: str, other: str, amount: float) -> str:
    """`amount` of `colour` blended into `other` (sRGB, as CSS color-mix does by default)."""
    return hex_of(tuple(a * amount + b * (1 - amount) for a, b in zip(rgb(colour), rgb(other), strict=True)))  # type: ignore[arg-type]


def tint_for(accent: str, palette: Palette) -> str:
    """A pale accent background (--accent-bg) on which the accent itself still reaches AA."""
    for percent in range(round(TINT * 100), -1, -1):
        if contrast(accent, tint := mix(accent, palette.bg, percent / 100)) >= AA:
            return tint
    return palette.bg


def strong(accent: str, palette: Palette) -> str:
    """The hover colour (--accent-strong): a fifth further from the background than the accent."""
    _, lightness, _ = colorsys.rgb_to_hls(*rgb(accent))
    return with_lightness(accent, lightness * 0.8 if palette is LIGHT else lightness + (1 - lightness) * 0.4)


# --- checking site.yaml's colours --------------------------------------------------------------


def colour_problem(key: str, value: str) -> tuple[str, str] | None:
    """(message, hint) when `value` is not a colour written as #rrggbb."""
    if HEX_RE.match(value):
        return None
    if SHORT_HEX_RE.match(value):
        long = "#" + "".join(c * 2 for c in value[1:]).lower()
        return f"{key} '{value}' is not a colour written as #rrggbb", f"write all six digits: '{long}'"
    return f"{key} '{value}' is not a colour written as #rrggbb", "use a hex colour such as '#0b5cad'"


def contrast_problem(key: str, colour: str, palette: Palette) -> tuple[str, str] | None:
    """(message, hint) when `colour` is below AA on one of the palette's backgrounds."""
    ratio = worst_contrast(colour, palette)
    if ratio >= AA:
        return None
    direction = "darker" if palette is LIGHT else "lighter"
    hint = f"needs {AA}:1; try a {direction} shade such as '{shade_for(colour, palette)}'"
    if key == "accent" and palette is DARK:
        hint += ", or set accent_dark"
    return f"{key} '{colour}' has a contrast of {ratio_text(ratio)} on the {palette.name} background", hint


def accent_problems(accent: str, accent_dark: str, where: str, lines: dict[str, int]) -> list[Problem]:
    """Problems with the accent colours: their form, then their contrast (accent on the light palette,
    accent_dark on the dark one)."""
    problems = []
    for key, value, palette in (("accent", accent, LIGHT), ("accent_dark", accent_dark, DARK)):
        if value and (found := colour_problem(key, value) or contrast_problem(key, value.lower(), palette)):
            problems.append(Problem(where, lines.get(key, 1), *found))
    return problems


# --- the accent stylesheet ---------------------------------------------------------------------


def dark_accent(accent: str, accent_dark: str = "") -> str:
    """The dark-mode accent: accent_dark as given, else a lighter shade of accent that reads on dark."""
    return accent_dark.lower() if accent_dark else shade_for(accent.lower(), DARK, DARK_TARGET)


def accent_rules(accent: str, palette: Palette) -> str:
    return (f"--accent: {accent}; --accent-strong: {strong(accent, palette)}; "
            f"--accent-bg: {tint_for(accent, palette)};")


def accent_css(accent: str, accent_dark: str = "") -> bytes:
    """The stylesheet that sets the theme's accent custom properties, in light, dark and print."""
    if not accent:
        return b""
    light, dark = accent_rules(accent.lower(), LIGHT), accent_rules(dark_accent(accent, accent_dark), DARK)
    return (
        "/* The accent colour from site.yaml (generated): links, buttons and highlights. */\n"
        f":root {{ {light} }}\n"
        f"@media (prefers-color-scheme: dark) {{ :root {{ {dark} }} }}\n"
        f':root[data-theme="light"] {{ {light} }}\n'
        f':root[data-theme="dark"] {{ {dark} }}\n'
        "@media print { :root { --accent: #000000; --accent-strong: #000000; --accent-bg: #ffffff; } }\n"
    ).encode()


def accent_path(accent: str, accent_dark: str = "") -> str:
    """The stylesheet's fingerprinted output path ('' without an accent): a function of the settings alone,
    so every renderer links the same file."""
    data = accent_css(accent, accent_dark)
    return f"assets/accent.{hashlib.sha256(data).hexdigest()[:10]}.css" if data else ""


# --- the logo ----------------------------------------------------------------------------------


def logo_problem(logo: str, assets: dict[str, str], where: str, line: int) -> Problem | None:
    """A problem when the logo named in site.yaml is not one of the theme's static files."""
    if not logo or logo in assets:
        return None
    images = {name for name in assets if name.lower().endswith(LOGO_SUFFIXES)}
    hint = did_you_mean(logo, images) or "put the file in your static folder and build with --static PATH"
    return Problem(where, line, f"logo '{logo}' not found in static/", hint)
