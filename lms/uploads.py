"""Files people upload to the admin's images and documents are hostile until made otherwise.

- **Images** (course covers, the branding logo, certificate logos and signatures, pictures in
  lesson text: everything in Wagtail's image library) are decoded and encoded again by Pillow
  when they are uploaded, in the format they claim and that Willow found inside them. Only
  the pixels survive: no EXIF (a phone's GPS position, the camera's serial number), no
  comments, no colour profile, nothing appended after the picture, so a file that is both a
  JPEG and an HTML page or a script (a polyglot) comes out as a JPEG only. SVG is not
  accepted at all (it is a document that runs scripts); a page or SVG renamed to .png is
  refused because no picture is inside.
- **Names** are never the uploader's: every stored image and document is named by 32 random
  hexadecimal digits and the extension Thaksa checked (`stored_name`), so `../../evil.html`,
  a Thai name or a name that collides with another file cannot choose where or as what the
  file is stored; the title keeps what the uploader called it. A document downloads under
  that safe name.
- **Sizes** are limited by `WAGTAILIMAGES_MAX_UPLOAD_SIZE`, `WAGTAILIMAGES_MAX_IMAGE_PIXELS`
  and `WAGTAILDOCS_MAX_UPLOAD_SIZE`, with a message that says what to do, in the person's
  language.

Wagtail builds its image and document forms on the two form bases below
(`WAGTAILIMAGES_IMAGE_FORM_BASE`, `WAGTAILDOCS_DOCUMENT_FORM_BASE`), so the single upload, the
multiple upload and the choosers' upload all pass through them. How documents are served
(always through Wagtail's view, as attachments unless PDF or plain text, with `nosniff` and
a `default-src 'none'` policy) is set in `lms/settings/base.py`.
"""

import io
import os
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, ImageSequence
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

# Pillow's format → (the extension it is stored under, its content type). Wagtail's
# WAGTAILIMAGES_EXTENSIONS admits these only.
IMAGE_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "GIF": ("gif", "image/gif"),
    "WEBP": ("webp", "image/webp"),
}
# What an animation needs to play as before; every other key of `Image.info` (exif, comment,
# icc_profile, xmp, dpi, text chunks...) is dropped.
_ANIMATION_KEYS = ("duration", "loop", "disposal", "background")

TOO_LARGE = _(
    "This file is %(file_size)s; files here may be at most %(max_filesize)s. Make it smaller "
    "(for a picture, save it at a lower resolution) and upload it again."
)
TOO_LARGE_UNKNOWN = _(
    "This file is too large; files here may be at most %(max_filesize)s. Make it smaller and upload it again."
)
NOT_A_PICTURE = _(
    "This file is not a picture Thaksa can use. Upload a JPEG, PNG, GIF or WebP image (SVG "
    "and other drawings that can carry scripts are not accepted)."
)


class ImageRefused(ValueError):
    """The data holds no picture in a format Thaksa keeps."""


def stored_name(extension: str) -> str:
    """A stored file's name that owes nothing to the uploader: 32 random hexadecimal digits and
    the (checked) extension, in lower case."""
    extension = extension.lower().lstrip(".")
    token = secrets.token_hex(16)
    return f"{token}.{extension}" if extension else token


def _without_metadata(frame: Image.Image, keep: tuple[str, ...] = ()) -> Image.Image:
    clean = frame.copy()
    clean.info = {key: frame.info[key] for key in (*keep, "transparency") if key in frame.info}
    return clean


def image_reencode(data: bytes) -> tuple[bytes, str, str]:
    """The picture in `data` decoded and encoded again in its own format, as (bytes, extension,
    content type): the pixels (turned upright as the EXIF orientation said) and, for an
    animation, its timing; nothing else. Raises ImageRefused for anything else."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in IMAGE_FORMATS:
                raise ImageRefused(image.format)
            extension, content_type = IMAGE_FORMATS[image.format]
            output = io.BytesIO()
            frames = getattr(image, "n_frames", 1)
            if frames > 1:
                sequence = [
                    _without_metadata(frame, _ANIMATION_KEYS) for frame in ImageSequence.Iterator(image)
                ]
                first, rest = sequence[0], sequence[1:]
                params: dict[str, Any] = {
                    key: first.info[key] for key in _ANIMATION_KEYS if key in first.info
                }
                first.save(output, format=image.format, save_all=True, append_images=rest, **params)
            else:
                upright = ImageOps.exif_transpose(image) or image
                upright.load()
                clean = _without_metadata(upright)
                params = {"quality": 90} if image.format in ("JPEG", "WEBP") else {}
                clean.save(output, format=image.format, **params)
    except ImageRefused:
        raise
    except Exception as exc:
        raise ImageRefused(str(exc)) from exc
    return output.getvalue(), extension, content_type


def _size_messages(form: Any) -> None:
    field = form.fields.get("file")
    if field is not None:
        field.error_messages["file_too_large"] = TOO_LARGE
        field.error_messages["file_too_large_unknown_size"] = TOO_LARGE_UNKNOWN % {
            "max_filesize": field.max_upload_size_text
        }


class UploadedImageForm(BaseImageForm):
    """Wagtail's image form (WAGTAILIMAGES_IMAGE_FORM_BASE): a new file is re-encoded and
    renamed before it is stored."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _size_messages(self)
        if "file" in self.fields:
            self.fields["file"].error_messages["invalid_image"] = NOT_A_PICTURE

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if not isinstance(upload, UploadedFile):
            return upload  # the image kept as it is (an edit without a new file)
        upload.seek(0)
        try:
            content, extension, content_type = image_reencode(upload.read())
        except ImageRefused:
            raise ValidationError(NOT_A_PICTURE, code="invalid_image") from None
        return SimpleUploadedFile(stored_name(extension), content, content_type=content_type)


class UploadedDocumentForm(BaseDocumentForm):
    """Wagtail's document form (WAGTAILDOCS_DOCUMENT_FORM_BASE): a new file is stored under a
    generated name with its extension (which WAGTAILDOCS_EXTENSIONS then checks)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _size_messages(self)

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            upload.name = stored_name(os.path.splitext(upload.name or "")[1])
        return upload
