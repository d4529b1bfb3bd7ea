"""The largest font size at which a text fits a box of lines."""

from __future__ import annotations

from dataclasses import dataclass

from lms.thai_pdf.line_breaking import break_lines, line_width

__all__ = ["Fitted", "fit"]


@dataclass(frozen=True)
class Fitted:
    size: float
    lines: tuple[str, ...]


def fit(
    text: str,
    font_name: str,
    *,
    largest: float,
    smallest: float,
    width: float,
    max_lines: int,
) -> Fitted:
    """The largest size in [smallest, largest] (in half points) at which `text` fits in
    `max_lines` lines.

    If even `smallest` needs more lines, more lines it gets (the page layout then shrinks
    everything a little). Only a single word wider than the whole width pushes the size
    below `smallest`, because the alternative is ink outside the page. The fonts must be
    registered already (`register_fonts`).
    """

    def attempt(size: float) -> tuple[bool, tuple[str, ...], float]:
        lines = break_lines(text, font_name, size, width)
        widest = max((line_width(line, font_name, size) for line in lines), default=0.0)
        return len(lines) <= max_lines and widest <= width + 1e-6, lines, widest

    fits, lines, widest = attempt(largest)
    size = largest
    if not fits:
        # Fewer lines and narrower words as the size drops: binary search on half points.
        steps = max(0, int((largest - smallest) / 0.5))
        sizes = [largest - 0.5 * step for step in range(1, steps + 1)] + [smallest]
        low, high = 0, len(sizes) - 1
        found = None
        while low <= high:
            middle = (low + high) // 2
            if attempt(sizes[middle])[0]:
                found, high = middle, middle - 1
            else:
                low = middle + 1
        size = sizes[found] if found is not None else smallest
        fits, lines, widest = attempt(size)
    if widest > width + 1e-6:
        size = max(4.0, size * width / widest)
        lines = break_lines(text, font_name, size, width)
    return Fitted(size, lines)
