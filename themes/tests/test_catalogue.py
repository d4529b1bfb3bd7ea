"""The Thai catalogue is actually filled in and compiled."""

import gettext
import re
from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "th" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def po_entries() -> list[tuple[str, str, list[str], str | None]]:
    """(flags, msgid, msgstrs, context) for each entry, header excluded."""
    entries = []
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        flags = " ".join(line for line in block.splitlines() if line.startswith("#,"))
        parts = re.findall(
            r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) ((?:".*"\n?)+)', block + "\n", re.M
        )
        fields = {
            name: "".join(re.findall(r'"(.*)"', body))
            .encode()
            .decode("unicode_escape")
            .encode("latin-1")
            .decode()
            for name, body in parts
        }
        if fields.get("msgid"):
            strs = [v for k, v in fields.items() if k.startswith("msgstr")]
            entries.append((flags, fields["msgid"], strs, fields.get("msgctxt")))
    return entries


def test_every_message_has_a_thai_translation_and_none_is_fuzzy():
    entries = po_entries()

    assert len(entries) > 150
    untranslated = [msgid for _, msgid, strs, _context in entries if not all(strs)]
    fuzzy = [msgid for flags, msgid, _, _context in entries if "fuzzy" in flags]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalogue_matches_the_source():
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)

    stale = [
        msgid
        for _, msgid, strs, context in po_entries()
        if len(strs) == 1
        and (compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)) != strs[0]
    ]
    assert stale == [], "run `make messages` to recompile locale/th"
