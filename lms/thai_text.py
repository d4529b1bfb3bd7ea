"""Thai text as search engines need it: words separated by spaces.

Thai is written without spaces between words, so a full-text index that splits on spaces
sees a whole phrase as one "word" and a search for any word inside it finds nothing. Index
text and query text both pass through `segment_words`, so they are cut the same way.
"""

import re
import unicodedata
from functools import lru_cache

THAI_RUN = re.compile(r"[\u0E00-\u0E7F]+")


@lru_cache(maxsize=1)
def word_tokenizer():
    """pythainlp's `word_tokenize` (call it with engine="newmm"), loaded on first use."""
    # pythainlp loads its dictionary on first use (about a second); import it only when needed.
    from pythainlp.tokenize import word_tokenize

    return word_tokenize


def segment_words(text: str) -> str:
    """Return `text` with a space between every Thai word; other text is left as it is."""
    if not text or not THAI_RUN.search(text):
        return text
    word_tokenize = word_tokenizer()
    return THAI_RUN.sub(lambda run: " ".join(word_tokenize(run.group(), engine="newmm")), text)


# Thai digits ๐–๙ (U+0E50–U+0E59) and the Arabic digits they stand for.
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

# Characters that take no room on screen, so a learner cannot see (or avoid) them. They
# arrive by copy and paste from web pages and word processors, and Thai input methods add
# zero-width spaces to mark word breaks. U+00AD (soft hyphen) shows only at a line break.
INVISIBLE_CHARACTERS = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))

# Nikhahit (U+0E4D) followed by sara aa (U+0E32) looks exactly like sara am (U+0E33).
NIKHAHIT_SARA_AA = "\u0e4d\u0e32"
SARA_AM = "\u0e33"

WHITESPACE_RUN = re.compile(r"\s+")
SPACE_BETWEEN_THAI = re.compile(r"(?<=[\u0E00-\u0E7F]) (?=[\u0E00-\u0E7F])")


def thai_digits_to_arabic(text: str) -> str:
    """Return `text` with Thai digits (๐๑๒…๙) replaced by Arabic digits (012…9).

    Thai keyboards offer both sets and official Thai documents often use Thai digits, so
    "๒๕๖๙" and "2569" are the same number typed two ways.
    """
    return text.translate(THAI_DIGITS)


def thai_text_normalise(text: str, *, case_sensitive: bool = False) -> str:
    """Return `text` in a form that compares equal to other ways of typing the same words.

    Used to check a typed short answer against the accepted answers: both sides pass
    through here, so differences the learner cannot see, or that Thai typing makes
    unavoidable, do not turn a right answer into a wrong one.
    """
    # The same letter with a tone mark can be stored in several code point orders; NFC
    # makes the stored order one and the same.
    text = unicodedata.normalize("NFC", text)
    text = _remove_invisible_characters(text)
    text = thai_digits_to_arabic(text)
    # Many keyboards and older fonts make sara am by typing nikhahit then sara aa; it
    # looks identical, so "ทํา" typed that way must match "ทำ".
    text = text.replace(NIKHAHIT_SARA_AA, SARA_AM)
    text = _collapse_whitespace(text)
    text = _remove_spaces_between_thai(text)
    if not case_sensitive:
        # casefold, not lower: it also folds letters such as German ß that lower() keeps.
        text = text.casefold()
    return text


def printable(text: str) -> str:
    """Text as it should be drawn: NFC, without zero-width characters or soft hyphens (which a
    PDF would print as a gap or a visible hyphen)."""
    return unicodedata.normalize("NFC", text).translate(INVISIBLE_CHARACTERS)


def _remove_invisible_characters(text: str) -> str:
    """Drop zero-width and other invisible characters (see INVISIBLE_CHARACTERS for why)."""
    return text.translate(INVISIBLE_CHARACTERS)


def _collapse_whitespace(text: str) -> str:
    """Turn every run of whitespace into one plain space and trim both ends.

    Tabs, newlines, no-break spaces (U+00A0, common in pasted text) and ideographic spaces
    (U+3000, from East Asian input methods) all look like "some space" to a learner.
    """
    return WHITESPACE_RUN.sub(" ", text).strip()


def _remove_spaces_between_thai(text: str) -> str:
    """Remove a space that sits between two Thai characters.

    Thai words are written without spaces, but learners often put one between words, so
    "ข้อมูล ส่วนบุคคล" should equal "ข้อมูลส่วนบุคคล". Spaces next to Latin letters or digits
    are kept: "personal data" is not "personaldata".
    """
    return SPACE_BETWEEN_THAI.sub("", text)
