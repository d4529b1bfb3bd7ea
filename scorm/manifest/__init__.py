"""Reading `imsmanifest.xml`: what a SCORM package contains and how it is to be launched.

Pure parsing: bytes in, a `Manifest` out, no database and no Django models (only Django's
translation functions, so every message reaches the author in their language). A bad
manifest never raises: `Manifest.errors` says what is wrong and stops an import.

One module per concern, in the order a manifest is read:

* `elements` — the XML layer: defusedxml parsing with a depth limit, namespaces,
  `identifier_value` (IDs compared as XML Schema does), problems and typed attribute values;
* `reader` — `manifest_parse`: version and edition, resources, the default organisation and
  its items, launch files checked against the package's files, ADL item extensions;
* `sequencing_definition` — SCORM 2004 `imsss:sequencing` (and `adlseq:`) read into the
  sequencing definition stored on the package version and run by scorm.sequencing;
* `launch` — resource paths under `xml:base` and launch URLs (`launch_url_join`);
* `structure` — the result: `Manifest`, `Item`, `Resource`, and `Manifest.sequencing_settings`,
  the stored sequencing definition;
* `summary` — `manifest_summary_lines`, the text `scorm_inspect` prints.
"""

from scorm.manifest.elements import MANIFEST_FILE, identifier_value
from scorm.manifest.launch import launch_url_join, package_path
from scorm.manifest.reader import manifest_parse
from scorm.manifest.structure import Item, Manifest, Resource
from scorm.manifest.summary import manifest_summary_lines

__all__ = [
    "MANIFEST_FILE",
    "Item",
    "Manifest",
    "Resource",
    "identifier_value",
    "launch_url_join",
    "manifest_parse",
    "manifest_summary_lines",
    "package_path",
]
