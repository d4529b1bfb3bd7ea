"""Reading a framework file: JSON, or a row-typed CSV sheet (decoded and split as every
uploaded spreadsheet is, by `lms.spreadsheets.reading`)."""

import json
from pathlib import PurePath

from django.utils.translation import gettext as _

from competencies.importing.checks import document_check
from competencies.importing.document import WHOLE_FILE, FrameworkDocument, Where
from competencies.importing.records import CSV_COLUMNS, RECORD_READERS, RECORD_TYPES, record_add, record_read
from lms.spreadsheets.reading import (
    MAX_FILE_BYTES,
    SURROUNDING_BLANKS,
    ZIP_SIGNATURE,
    SheetRow,
    SpreadsheetRejected,
    column_token,
    csv_text_decode,
    file_too_large_message,
    spreadsheet_rows,
)

# Reading a file -----------------------------------------------------------------------------


def framework_file_read(*, name: str, data: bytes) -> FrameworkDocument:
    """Read a framework file (.json or .csv, told apart by its name, else by its content).

    The document holds what could be read and every problem found; the import refuses it
    unless `problems` is empty.
    """
    document = FrameworkDocument(source=PurePath(name).name)
    if len(data) > MAX_FILE_BYTES:
        document.problem(WHOLE_FILE, "", file_too_large_message(len(data)))
        return document
    if data.startswith(ZIP_SIGNATURE):
        document.problem(
            WHOLE_FILE,
            "",
            _(
                "This is an Excel workbook. Save it from Excel as “CSV UTF-8 (Comma delimited)” "
                "and upload that file."
            ),
        )
        return document
    text = csv_text_decode(data)
    if text is None:
        document.problem(
            WHOLE_FILE,
            "",
            _("The file is not readable text. Save it as UTF-8 (in Excel: “CSV UTF-8”) and upload it again."),
        )
        return document
    extension = PurePath(name).suffix.lower()
    if extension == ".json" or (extension != ".csv" and text.lstrip().startswith("{")):
        try:
            data_read = json.loads(text)
        except json.JSONDecodeError as error:
            document.problem(
                Where(
                    path=_("line %(line)s, column %(column)s") % {"line": error.lineno, "column": error.colno}
                ),
                "",
                _("This is not valid JSON (%(error)s). Check for a missing comma, quote or bracket there.")
                % {"error": error.msg},
            )
            return document
        return _from_data(document, data_read)
    try:
        # Read as every uploaded sheet is: encodings, delimiter, limits, spreadsheet row numbers.
        rows = spreadsheet_rows(name="framework.csv", data=data, columns=CSV_COLUMNS)
    except SpreadsheetRejected as rejected:
        document.problem(Where(row=rejected.row) if rejected.row else WHOLE_FILE, "", rejected.message)
        return document
    return _from_csv(document, rows)


def framework_document_from_data(data: object, *, source: str = "") -> FrameworkDocument:
    """Read a framework already parsed from JSON (a dict), e.g. written in a test or a script."""
    return _from_data(FrameworkDocument(source=source), data)


# JSON ---------------------------------------------------------------------------------------

# The lists of records in a JSON document, and the fields each entry may have.
_JSON_LISTS = {
    "node": "nodes",
    "descriptor": "descriptors",
    "role_group": "role_groups",
    "requirement": "requirements",
    "mapping": "mappings",
}
_JSON_KEYS = ("framework", "scale", *_JSON_LISTS.values())
_JSON_FIELDS = {
    "framework": (
        "code",
        "version",
        "name_th",
        "name_en",
        "publisher",
        "status",
        "supersedes",
        "source_url",
        "published_on",
        "description_th",
        "description_en",
    ),
    "scale": ("name_th", "name_en", "levels"),
    "level": ("value", "code", "name_th", "name_en", "band_th", "band_en"),
    "node": tuple(RECORD_READERS["node"]),
    "descriptor": tuple(RECORD_READERS["descriptor"]),
    "role_group": tuple(RECORD_READERS["role_group"]),
    "requirement": tuple(RECORD_READERS["requirement"]),
    "mapping": ("node", "target", "relation"),
    "supersedes": ("code", "version"),
    "target": ("framework", "version", "node"),
}


def _from_data(document: FrameworkDocument, data: object) -> FrameworkDocument:
    if not isinstance(data, dict):
        document.problem(
            WHOLE_FILE, "", _("The file must hold one JSON object {…} with a “framework” in it.")
        )
        return document
    _unknown_keys(document, "", data, _JSON_KEYS)
    framework, scale = data.get("framework"), data.get("scale")
    if not isinstance(scale, dict):
        document.problem(
            Where(path="scale"),
            "",
            _("Add a “scale” object with a list of “levels”, each with its value (1, 2, 3 …) and Thai name."),
        )
        scale = {}
    if isinstance(framework, dict):
        _unknown_keys(document, "framework", framework, _JSON_FIELDS["framework"])
        _unknown_keys(document, "scale", scale, _JSON_FIELDS["scale"])
        raw = {**framework, "scale_name_th": scale.get("name_th"), "scale_name_en": scale.get("name_en")}
        labels = {
            "supersedes_code": "supersedes.code",
            "supersedes_version": "supersedes.version",
            "scale_name_th": "scale.name_th",
            "scale_name_en": "scale.name_en",
        }
        supersedes = raw.pop("supersedes", None)
        if isinstance(supersedes, dict):
            _unknown_keys(document, "framework.supersedes", supersedes, _JSON_FIELDS["supersedes"])
            raw |= {
                "supersedes_code": supersedes.get("code"),
                "supersedes_version": supersedes.get("version"),
            }
        elif supersedes is not None:
            document.problem(
                Where(path="framework"),
                "supersedes",
                _('Write supersedes as {"code": …, "version": …}, or leave it out.'),
            )
        _json_record(document, "framework", raw, "framework", labels)
    else:
        document.problem(
            Where(path="framework"),
            "",
            _("Add a “framework” object with its code, version and Thai name (name_th)."),
        )

    levels = scale.get("levels", [])
    if not isinstance(levels, list):
        document.problem(Where(path="scale"), "levels", _("Write “levels” as a list […]."))
        levels = []
    for index, level in enumerate(levels):
        path = f"scale.levels[{index}]"
        if not isinstance(level, dict):
            document.problem(Where(path=path), "", _("Write each level as an object {…}."))
            continue
        _unknown_keys(document, path, level, _JSON_FIELDS["level"])
        raw = {**level, "level": level.get("value")}
        _json_record(document, "level", raw, path, {"level": "value"})

    for record, key in _JSON_LISTS.items():
        entries = data.get(key, [])
        if not isinstance(entries, list):
            document.problem(Where(path=key), "", _("Write “%(key)s” as a list […].") % {"key": key})
            continue
        for index, entry in enumerate(entries):
            path = f"{key}[{index}]"
            if not isinstance(entry, dict):
                document.problem(Where(path=path), "", _("Write each entry of the list as an object {…}."))
                continue
            _unknown_keys(document, path, entry, _JSON_FIELDS[record])
            raw, labels = dict(entry), {}
            if record == "mapping":
                target = raw.pop("target", None)
                if isinstance(target, dict):
                    _unknown_keys(document, f"{path}.target", target, _JSON_FIELDS["target"])
                    raw |= {f"target_{name}": target.get(name) for name in _JSON_FIELDS["target"]}
                elif target is not None:
                    document.problem(
                        Where(path=path),
                        "target",
                        _('Write the target as {"framework": …, "version": …, "node": …}.'),
                    )
                labels = {f"target_{name}": f"target.{name}" for name in _JSON_FIELDS["target"]}
            _json_record(document, record, raw, path, labels)
    document_check(document)
    return document


def _unknown_keys(
    document: FrameworkDocument, path: str, raw: dict[str, object], allowed: tuple[str, ...]
) -> None:
    for key in raw:
        if key not in allowed:
            document.problem(
                Where(path=path or str(key)),
                str(key) if path else "",
                _("“%(key)s” does not belong here; remove it or check its spelling (allowed: %(keys)s).")
                % {"key": key, "keys": ", ".join(allowed)},
            )


def _json_record(
    document: FrameworkDocument, record: str, raw: dict[str, object], path: str, labels: dict[str, str]
) -> None:
    at = Where(path=path)
    values = record_read(document, record, raw, at, labels)
    if values is not None:
        record_add(document, record, values, at)


# CSV ----------------------------------------------------------------------------------------


def _from_csv(document: FrameworkDocument, rows: list[SheetRow]) -> FrameworkDocument:
    if not rows:
        document.problem(
            WHOLE_FILE, "", _("The file is empty. Start from one of the framework files Thaksa ships.")
        )
        return document
    header = [column_token(cell) for cell in rows[0].cells]
    header_at = Where(row=rows[0].number)
    if "record" not in header:
        document.problem(
            header_at,
            "record",
            _(
                "The first row must name the columns, with a “record” column saying what each "
                "row is (%(types)s)."
            )
            % {"types": ", ".join(RECORD_TYPES)},
        )
        return document
    seen: set[str] = set()
    for name in header:
        if name and name not in CSV_COLUMNS:
            document.problem(
                header_at,
                name,
                _(
                    "“%(column)s” is not a column of framework files; rename or delete it "
                    "(columns: %(columns)s)."
                )
                % {"column": name, "columns": ", ".join(CSV_COLUMNS)},
            )
        elif name in seen:
            document.problem(header_at, name, _("This column appears twice; delete one of them."))
        seen.add(name)

    for row in rows[1:]:
        cells = row.cells
        at = Where(row=row.number)
        if len(cells) > len(header) and any(cell.strip() for cell in cells[len(header) :]):
            document.problem(
                at,
                "",
                _(
                    "This row has more cells than the header has columns. Put text that contains "
                    "commas in quotes, or save the file again from Excel as CSV UTF-8."
                ),
            )
            continue
        raw = {name: cell for name, cell in zip(header, cells, strict=False) if name in CSV_COLUMNS}
        record = column_token(raw.pop("record", ""))
        if record not in RECORD_READERS:
            document.problem(
                at,
                "record",
                _("“%(record)s” is not a kind of row: write one of %(types)s.")
                % {"record": raw.get("record", "") or record, "types": ", ".join(RECORD_TYPES)},
            )
            continue
        for name, cell in raw.items():
            if name not in RECORD_READERS[record] and SURROUNDING_BLANKS.sub("", cell):
                document.problem(
                    at,
                    name,
                    _("%(record)s rows do not use the “%(column)s” column; leave it empty.")
                    % {"record": record, "column": name},
                )
        values = record_read(document, record, raw, at, {})
        if values is not None:
            record_add(document, record, values, at)
    if document.framework is None and not any(p.field == "record" and p.row == 1 for p in document.problems):
        document.problem(
            WHOLE_FILE,
            "record",
            _("Add a row with record “framework” giving the framework's code, version and Thai name."),
        )
    document_check(document)
    return document
