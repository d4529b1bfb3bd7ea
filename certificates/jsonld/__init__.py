"""The JSON-LD context documents Thaksa's credentials name, served from local files.

A Data Integrity proof signs the RDF dataset a credential expands to, and what a term expands to is
decided by the context documents. They are therefore part of what is signed: a verifier that fetched
them at run time would depend on a remote host (and let it change the meaning of every signature, or
learn who verifies what), and a copy that differs by one term definition from the official document
makes every signature disagree with other verifiers. So the official documents are shipped byte for
byte (see README.md for where they come from) and the document loader refuses every other URL,
without ever touching the network.
"""

import copy
import functools
import json
from datetime import UTC, datetime
from importlib import resources
from typing import Any

from pyld.jsonld import JsonLdError

#: Every context URL a Thaksa credential may name, and the shipped file that answers to it. The URLs are
#: the ones openbadgeslib 4.6.3 (the wheel these files are copied from) maps the same files to.
CONTEXTS: dict[str, str] = {
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-context-3.0.3.json",
    "https://w3id.org/security/data-integrity/v2": "security-data-integrity-v2.json",
    "https://w3id.org/security/multikey/v1": "security-multikey-v1.json",
}

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3P0 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


class ContextNotShipped(JsonLdError):
    """A document names a JSON-LD context Thaksa does not ship; it is refused, never fetched."""

    def __init__(self, url: str) -> None:
        super().__init__(
            f"JSON-LD context {url!r} is not shipped with Thaksa; contexts are never fetched from the"
            " network",
            "jsonld.LoadDocumentError",
            {"url": url},
            code="loading document failed",
        )
        self.url = url


@functools.cache
def _parsed(url: str) -> dict[str, Any]:
    """Read and parse one shipped context once per process."""
    name = CONTEXTS[url]
    return json.loads(resources.files(__name__).joinpath(name).read_text(encoding="utf-8"))


def context_document(url: str) -> dict[str, Any]:
    """The parsed context document shipped for `url`.

    Parsed once and cached; each caller gets its own copy, because the JSON-LD processor resolves
    relative URLs inside a context in place and a shared document must not change under other callers.
    Raises ContextNotShipped (a pyld JsonLdError) for any other URL.
    """
    if not isinstance(url, str) or url not in CONTEXTS:
        raise ContextNotShipped(str(url))
    return copy.deepcopy(_parsed(url))


def document_loader(url: str, options: object = None) -> dict[str, Any]:
    """A pyld document loader that answers only with the shipped contexts.

    The answer is tagged "static" so pyld may keep the processed context for the life of the process:
    the shipped documents never change while it runs. Every other URL raises ContextNotShipped; nothing
    is ever fetched.
    """
    return {"contextUrl": None, "documentUrl": url, "document": context_document(url), "tag": "static"}


def xsd_datetime(value: datetime) -> str:
    """`value` as an XSD dateTimeStamp in UTC with "Z" and whole seconds, e.g. "2025-05-01T03:00:00Z".

    One spelling for every date a credential carries, so equal instants always sign the same way. A
    naive datetime is refused: its instant is unknown, and guessing would move dates by hours.
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("a credential date needs a timezone-aware datetime")
    return value.astimezone(UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"
