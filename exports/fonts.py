"""The fonts of Pollcheck's PDFs: DejaVu Sans, shipped in resources/fonts, as one family."""

from __future__ import annotations

import threading

from db.errors import Phrase
from exports.errors import FontMissingError
from resources import resource

FAMILY = "DejaVuSans"
REGULAR, BOLD, ITALIC, BOLD_ITALIC = (
    FAMILY,
    f"{FAMILY}-Bold",
    f"{FAMILY}-Oblique",
    f"{FAMILY}-BoldOblique",
)
# Font name -> file in resources/fonts. Reportlab's own fonts print Cyrillic as black boxes
# without any error, so there is no fallback: a missing file stops the export.
FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}
_lock = threading.Lock()
_registered = False


def register_fonts() -> str:
    """Register DejaVu Sans (regular, bold, oblique, bold-oblique) with reportlab, once.

    Returns the family name, for styles and ``<b>``/``<i>`` in paragraphs.

    Raises:
        FontMissingError: a font file is missing or unreadable (a broken installation).
    """
    global _registered
    with _lock:
        if _registered:
            return FAMILY
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        for name, filename in FILES.items():
            node = resource("fonts", filename)
            try:
                data = node.read_bytes()
                font = TTFont(name, _BytesFile(data, filename))
            except Exception as exc:  # OSError, or reportlab's TTFError on a damaged file
                raise FontMissingError(
                    Phrase("export.font_missing", file=filename, reason=str(exc))
                ) from None
            pdfmetrics.registerFont(font)
        addMapping(FAMILY, 0, 0, REGULAR)
        addMapping(FAMILY, 1, 0, BOLD)
        addMapping(FAMILY, 0, 1, ITALIC)
        addMapping(FAMILY, 1, 1, BOLD_ITALIC)
        _registered = True
    return FAMILY


class _BytesFile:
    """A font file's bytes where reportlab expects a file name (works from a zip or bundle)."""

    def __init__(self, data: bytes, name: str) -> None:
        self._data = data
        self.name = name

    def read(self) -> bytes:
        return self._data
