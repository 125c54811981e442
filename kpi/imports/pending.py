"""Holding an upload between its preview and its apply (docs/targets.md#import): the bytes travel in a
signed, timestamped field of the preview page. Small files (MAX_BYTES), no table to keep them in, and
what is applied is exactly what was checked; the signature also binds the uploader, the year and the
versions shown."""

import base64
from dataclasses import dataclass

from django.core import signing

from kpi.imports import messages
from kpi.imports.services import MonthsImport, MonthsImportRefused

TOKEN_SALT = "kpi.imports.months"
TOKEN_MAX_AGE = 4 * 60 * 60  # seconds a preview can be applied for


@dataclass(frozen=True)
class PendingImport:
    user_id: int | None
    file_name: str
    year: int | None
    versions: dict[int, int]
    content: bytes


def pending_import_sign(*, preview: MonthsImport, content: bytes, user) -> str:
    """The checked file, its uploader, year and versions, signed for the apply form."""
    payload = {
        "user": user.pk if user is not None else None,
        "file": preview.file_name,
        "year": preview.year,
        "versions": {str(plan_id): version for plan_id, version in preview.versions.items()},
        "content": base64.b64encode(content).decode("ascii"),
    }
    return signing.dumps(payload, salt=TOKEN_SALT, compress=True)


def pending_import_read(*, token: str) -> PendingImport:
    """The file of a preview (MonthsImportRefused when the token is forged or too old)."""
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        raise MonthsImportRefused([messages.preview_expired()]) from None
    return PendingImport(
        user_id=payload["user"],
        file_name=payload["file"],
        year=payload["year"],
        versions={int(plan_id): version for plan_id, version in payload["versions"].items()},
        content=base64.b64decode(payload["content"]),
    )
