"""A patient's full data export: every CSV the app can write about them, in one zip."""

import io
import zipfile

from accounts.models import User
from symptoms.diary_csv import write_diary_csv
from symptoms.selectors import entries_for_export
from treatments.treatment_csv import adherence_csv, treatments_csv


def full_export_zip(patient: User) -> bytes:
    diary = io.StringIO()
    write_diary_csv(entries_for_export(patient), diary)
    files = {
        "diary.csv": diary.getvalue(),
        "treatments.csv": treatments_csv(patient),
        "medication-adherence.csv": adherence_csv(patient),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()
