"""Launch paths: where a resource's files are in the package, and the launch URL of an item.

A resource `href` is taken under the `xml:base` of manifest, `<resources>` and `<resource>`
(each base is a folder; a missing trailing slash is tolerated); the launch URL is that path
plus the item's `parameters`, joined as the SCORM CAM says (see `launch_url_join`).
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote

_WEB_URL = re.compile(r"^(https?:)?//", re.IGNORECASE)
_ANY_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def launch_url_join(href: str, parameters: str) -> str:
    """Append item `parameters` to a resource `href` as the SCORM CAM prescribes.

    A leading `?` or `&` of the parameters is dropped; the rest is appended with `&` when
    the href already has a query, `?` otherwise, before any `#fragment` of the href. A
    parameters value starting with `#` is a fragment: appended only when the href has none.
    """
    parameters = parameters.strip()
    if parameters.startswith("#"):
        return href if "#" in href else href + parameters
    parameters = parameters.lstrip("?&")
    if not parameters:
        return href
    query, _hash, fragment = parameters.partition("#")
    path, _href_hash, href_fragment = href.partition("#")
    if query:
        if path.endswith(("?", "&")):
            path += query
        else:
            path += ("&" if "?" in path else "?") + query
    fragment = href_fragment or fragment
    return f"{path}#{fragment}" if fragment else path


def _split_query(href: str) -> tuple[str, str]:
    """("a/b.html", "?x=1#f") from "a/b.html?x=1#f"."""
    cut = min((i for i in (href.find("?"), href.find("#")) if i >= 0), default=len(href))
    return href[:cut], href[cut:]


def href_under_bases(bases: list[str], href: str) -> str:
    """Resolve href under the xml:base chain, each base being a folder; normalise `.`/`..`."""
    if _ANY_SCHEME.match(href) or href.startswith("/"):
        return href
    prefix = ""
    for base in bases:
        if not base:
            continue
        folder = base if base.endswith("/") else base + "/"
        # An absolute base (a web address or a rooted path) replaces what came before it.
        prefix = folder if _ANY_SCHEME.match(folder) or folder.startswith("/") else prefix + folder
    joined = prefix + href
    if _ANY_SCHEME.match(joined):
        return joined
    path, rest = _split_query(joined)
    normalised = posixpath.normpath(path) if path else ""
    return ("" if normalised == "." else normalised) + rest


def package_path(href: str) -> str | None:
    """The file inside the package that a resolved href names, or None for a web address."""
    if _WEB_URL.match(href):
        return None
    path, _rest = _split_query(href)
    return unquote(path)


def is_outside_package(path: str) -> bool:
    """True for "..", "/x", "C:x", "file:x": paths that are not inside the package root."""
    return path == ".." or path.startswith(("../", "/", "\\")) or bool(_ANY_SCHEME.match(path))
