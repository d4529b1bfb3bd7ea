"""Thai text as search engines need it: words separated by spaces.

Thai is written without spaces between words, so a full-text index that splits on spaces
sees a whole phrase as one "word" and a search for any word inside it finds nothing. Index
text and query text both pass through `segment_words`, so they are cut the same way.
"""

import re
from functools import lru_cache

THAI_RUN = re.compile(r"[\u0E00-\u0E7F]+")


@lru_cache(maxsize=1)
def _tokenizer():
    # pythainlp loads its dictionary on first use (about a second); import it only when needed.
    from pythainlp.tokenize import word_tokenize

    return word_tokenize


def segment_words(text: str) -> str:
    """Return `text` with a space between every Thai word; other text is left as it is."""
    if not text or not THAI_RUN.search(text):
        return text
    word_tokenize = _tokenizer()
    return THAI_RUN.sub(lambda run: " ".join(word_tokenize(run.group(), engine="newmm")), text)
