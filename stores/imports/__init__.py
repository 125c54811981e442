"""The parsing layer of the 生意参谋 import: bytes of an .xlsx or .csv export → checked rows.

Pure (no database): `parse_metrics_file` returns a ParsedFile whose rows carry canonical
metric codes, and whose errors and warnings name file, row and column. The database side
(upsert, audit, undo) builds on this API.
"""

from stores.imports.headers import AD_SPEND_CHANNELS
from stores.imports.parse import ImportIssue, ParsedFile, ParsedRow, parse_metrics_file

__all__ = ["AD_SPEND_CHANNELS", "ImportIssue", "ParsedFile", "ParsedRow", "parse_metrics_file"]
