"""Uploaded files: the type is sniffed from the content, never trusted from the name.

Pure module (no Django). An allow-list of document and image types partners use as evidence.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass


@dataclass(frozen=True)
class SniffedType:
    content_type: str
    extension: str
    label: str


PDF = SniffedType("application/pdf", "pdf", "PDF")
PNG = SniffedType("image/png", "png", "PNG image")
JPEG = SniffedType("image/jpeg", "jpg", "JPEG image")
DOCX = SniffedType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "docx",
    "Word document",
)
XLSX = SniffedType(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "Excel spreadsheet"
)
TEXT = SniffedType("text/plain", "txt", "text file")
CSV = SniffedType("text/csv", "csv", "CSV file")

ALLOWED_LABELS = "PDF, Word, Excel, CSV, text, PNG or JPEG"


class UploadRejected(ValueError):
    pass


def sniff(content: bytes, filename: str) -> SniffedType:
    """Identify an upload by its bytes. Raises UploadRejected for anything not on the list."""
    if not content:
        raise UploadRejected("The selected file is empty")
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(content)).namelist())
        except zipfile.BadZipFile as exc:
            raise UploadRejected("The selected file is damaged") from exc
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
        raise UploadRejected(f"The selected file must be a {ALLOWED_LABELS} file")
    if b"\x00" not in content[:8192]:
        try:
            content[:65536].decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return CSV if filename.lower().endswith(".csv") else TEXT
    raise UploadRejected(f"The selected file must be a {ALLOWED_LABELS} file")
