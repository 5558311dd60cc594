"""Uploaded files are kept in memory, and a request stops being read once its files pass the limit."""

from django.conf import settings
from django.core.files.uploadhandler import MemoryFileUploadHandler, StopUpload


class LimitedMemoryUploadHandler(MemoryFileUploadHandler):
    """The only upload handler: every file in memory, none on disk, at most FILE_UPLOAD_MAX_MEMORY_SIZE in all.

    Past the limit it stops reading the request (the fields before the file, such as the CSRF
    token, are already read) and marks it: `request.upload_too_large`, which a view turns into a
    clear message. Django's own memory handler gives way to a temporary file on disk for a large
    request instead, so a 200 MB upload was written in full before the import refused it.
    """

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.activated = True  # whatever the request's length: nothing goes to disk
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > settings.FILE_UPLOAD_MAX_MEMORY_SIZE:
            request = self.request
            assert request is not None, "Django hands a request's upload handlers the request"
            request.upload_too_large = True  # type: ignore[attr-defined]  # our mark, read with getattr
            # Read no further; the server closes the connection after the answer.
            raise StopUpload(connection_reset=True)
        return super().receive_data_chunk(raw_data, start)
