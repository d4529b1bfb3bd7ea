"""Competency framework files: one framework as a JSON document or a row-typed CSV sheet.

A framework file holds one framework in one version: its proficiency scale and levels, its
tree of areas, competences and skills, what each competency means at each level (where the
framework says), the role groups it defines, what each role group requires, and how its
competencies map to those of other frameworks. The same content can be written as JSON
(for programs and people who read code) or as one CSV sheet in which a `record` column says
what each row is (for people who edit in Excel or Google Sheets). The format is described
for people in competencies/data/README.md; keep the two in step.

Reading never stops at the first mistake: every problem is reported with where it is (the
spreadsheet's row number, or the JSON path), the column or field, and what to write instead.
Nothing is imported while any problem remains (competencies.services.frameworks).

This package turns bytes into a `FrameworkDocument` (`document`: the plain structure;
`records`: one record's fields; `reading`: JSON and CSV files; `checks`: across records) and
checks everything that can be checked inside one file. It reads no database: what depends
on the database (mapping targets, the framework a file supersedes, role groups defined
elsewhere, competencies in use) is checked by competencies.services.frameworks, which
reports in the same `Problem` form.
"""

from competencies.importing.document import WHOLE_FILE, FrameworkDocument, Problem, Where
from competencies.importing.reading import framework_document_from_data, framework_file_read

__all__ = [
    "WHOLE_FILE",
    "FrameworkDocument",
    "Problem",
    "Where",
    "framework_document_from_data",
    "framework_file_read",
]
