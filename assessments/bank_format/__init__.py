"""Question bank files: the CSV and XLSX format partners author in Excel or Google Sheets.

A university writes hundreds of questions in a spreadsheet, one question per row, and uploads
it; later it downloads the bank in the same format, edits it and uploads it again. So reading
and writing are exact inverses (`bank_file_read(bank_file_write_csv(rows))` gives `rows` back,
apart from the row numbers), and reading never stops at the first mistake: every problem in
every row is reported with the spreadsheet's own row number and the column, saying what is
wrong and what to write instead. The import service refuses the whole file if there is any
problem, so the author fixes the file and uploads it again; a half-imported bank helps nobody.

This package only turns bytes into `QuestionRow`s and back: `columns` (the columns, words
and row types), `reading`, `writing`. It touches no database: the service
that stores the questions is elsewhere. The format is documented for authors in
`docs/question-bank-format.md`; keep the two in step.
"""

from assessments.bank_format.columns import COLUMNS, MAX_ROWS, OptionRow, QuestionRow, RowProblem
from assessments.bank_format.reading import bank_file_read
from assessments.bank_format.writing import bank_file_write_csv, bank_file_write_xlsx

__all__ = [
    "COLUMNS",
    "MAX_ROWS",
    "OptionRow",
    "QuestionRow",
    "RowProblem",
    "bank_file_read",
    "bank_file_write_csv",
    "bank_file_write_xlsx",
]
