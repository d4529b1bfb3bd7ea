"""Which text HarfBuzz must shape, the shaped paragraph style, and the settings around a render.

ReportLab only shapes text inside a `Paragraph` whose style has `shaping=1`;
`canvas.drawString` silently does not, and draws Thai tone marks in the wrong place.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle

__all__ = ["NEEDS_SHAPING", "paragraph_style", "reportlab_settings"]

# Characters that need HarfBuzz: anything beyond Latin letters and general punctuation
# (Thai above all; also combining marks, which only shaping places correctly).
NEEDS_SHAPING = re.compile(r"[^\u0000-\u024F\u2000-\u206F\u20AC]")


@lru_cache(maxsize=256)
def paragraph_style(
    font_name: str, size: float, leading: float, colour: str, alignment: int, shaping: int
) -> ParagraphStyle:
    """A `Paragraph` style for lines already broken by `thai_lines` (`colour` is "#rrggbb")."""
    return ParagraphStyle(
        name=f"{font_name}-{size}-{colour}-{alignment}",
        fontName=font_name,
        fontSize=size,
        leading=leading,
        textColor=HexColor(colour),
        alignment=alignment,
        shaping=shaping,
        # Lines arrive already broken at word boundaries; ReportLab must never cut one.
        splitLongWords=0,
    )


_render_lock = threading.Lock()


@contextmanager
def reportlab_settings() -> Iterator[None]:
    """ReportLab settings for one render, restored afterwards.

    ASCII85-encoding streams only serves 7-bit mail transport; without it the file is a
    quarter smaller and a render 1.5 ms faster. ReportLab reads this from process-wide
    configuration, hence the lock (ReportLab's font objects are shared state as well).
    """
    with _render_lock:
        use_a85 = rl_config.useA85
        rl_config.useA85 = 0
        try:
            yield
        finally:
            rl_config.useA85 = use_a85
