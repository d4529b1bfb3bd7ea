"""Spreadsheets in and out: `writing` guards every CSV/XLSX the platform hands out against
formula injection; `reading` reads every CSV/XLSX people upload, with one set of limits.

Exporters import the writer's names from here (`from lms.spreadsheets import csv_bytes`);
importers import from `lms.spreadsheets.reading`.
"""

from lms.spreadsheets.writing import (
    FORMULA_TRIGGERS,
    GUARD,
    XLSX_CELL_TEXT_LIMIT,
    csv_bytes,
    formula_guard,
    formula_unguard,
    xlsx_cell,
    xlsx_workbook,
)

__all__ = [
    "FORMULA_TRIGGERS",
    "GUARD",
    "XLSX_CELL_TEXT_LIMIT",
    "csv_bytes",
    "formula_guard",
    "formula_unguard",
    "xlsx_cell",
    "xlsx_workbook",
]
