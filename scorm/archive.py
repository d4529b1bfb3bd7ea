"""Opening an uploaded SCORM package without trusting it, and writing its files to storage.

A package is a zip made by someone else's tool, or, for `manage.py scorm_import`, an unpacked
folder. Before a single byte is extracted, every entry is checked: only regular files with
relative, normalised paths stay inside the package; names are unique even ignoring case (S3
keys and Windows disagree on case); counts and sizes stay within `ArchiveLimits`; no entry
inflates more than `max_compression_ratio` times. Headers can lie, so the streams handed out
count the bytes really produced and stop at the declared size.

Everything wrong is reported at once as `Problem`s in a `PackageRejected`, naming the entry,
what was expected and what the author should do. Files are written only through Django's
storage API (so S3 works) into a fresh, empty prefix per package version, all or nothing.
"""

import abc
import copy
import errno
import hashlib
import io
import logging
import os
import posixpath
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import IO, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.core.files.storage import Storage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from scorm.problems import PackageRejected, Problem

logger = logging.getLogger(__name__)

MIB = 1024**2
# Beyond this many problems the author learns nothing new from the list; the rest are counted.
PROBLEMS_SHOWN = 20
# A real central directory entry is under 200 bytes (fixed part, name, a few extra fields);
# zipfile reads the whole directory into memory and builds an object per entry, so a directory
# far larger than the entry limit needs is refused before zipfile parses it.
DIRECTORY_BYTES_PER_ENTRY = 1024
# zipfile inflates Deflate in bounded steps, but bzip2 and LZMA without an output limit, so one
# read of a crafted entry could fill memory. Authoring tools write Deflate (or store).
SUPPORTED_COMPRESSION = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
# What zipfile raises for damaged entry data (bad CRC, truncated or invalid compressed stream).
ZIP_DATA_ERRORS = (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError)
# zipfile cuts an entry at its declared size and then fails on the checksum of the cut data. It
# is opened declaring this much more (zipfile inflates at most a few KiB ahead of a read), so the
# reader sees the first byte beyond the real declared size and can name the problem.
_OVERRUN_MARGIN = MIB

_DRIVE_LETTER = re.compile(r"^[A-Za-z]:")
# Control characters have no place in a URL path or an S3 key, and NUL truncates names in C code.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")

_END_RECORD = struct.Struct("<4s4H2LH")
_END_RECORD_SIGNATURE = b"PK\x05\x06"
_ZIP64_LOCATOR_SIZE = 20
_ZIP64_END_RECORD = struct.Struct("<4sQ2H2L4Q")
_ZIP64_END_RECORD_SIGNATURE = b"PK\x06\x06"


@dataclass(frozen=True)
class ArchiveLimits:
    """How large a package may be. Sizes are uncompressed bytes; entries count folders too."""

    max_entries: int = 10_000
    max_total_bytes: int = 2 * 1024**3
    max_file_bytes: int = 1024**3
    max_compression_ratio: int = 100
    # Small files legitimately compress far better than 100:1 (a blank page, padded JSON); the
    # ratio only says "bomb" once the inflated size is worth worrying about.
    ratio_min_bytes: int = MIB

    @classmethod
    def from_settings(cls) -> "ArchiveLimits":
        """The limits in `settings.SCORM_ARCHIVE_LIMITS` (a dict of field names), else the defaults."""
        configured = getattr(settings, "SCORM_ARCHIVE_LIMITS", None) or {}
        unknown = set(configured) - {limit.name for limit in fields(cls)}
        if unknown:
            # A misspelt limit silently falling back to the default would hide a configuration error.
            raise ImproperlyConfigured(f"SCORM_ARCHIVE_LIMITS has unknown keys: {', '.join(sorted(unknown))}")
        return cls(**configured)


class PackageSource(Protocol):
    """A checked package: only the regular files in `names` can be read."""

    names: list[str]  # normalised relative paths with forward slashes, in archive (or walk) order
    total_bytes: int  # declared uncompressed size of all files

    def read(self, name: str, *, max_bytes: int) -> bytes: ...

    def open(self, name: str) -> "_CheckedReader": ...


@dataclass(frozen=True)
class ExtractedFile:
    """A file written by `package_extract`: its package path, storage name, size and SHA-256."""

    name: str
    storage_name: str
    size: int
    sha256: str


def _shown(name: str) -> str:
    """The name as an author can read it (and a JSON column can store it): control characters
    and undecodable bytes escaped."""
    visible = _CONTROL_CHARACTERS.sub(lambda match: f"\\x{ord(match.group()):02x}", name)
    return visible.encode("utf-8", "backslashreplace").decode("utf-8")


def _size(size: int) -> str:
    return str(filesizeformat(size))


def _texts(code: str) -> tuple[str, str, str]:
    """(message, expected, advice) for a problem code, translated now for the reader."""
    relative = _("A path relative to the package root, such as “content/index.html”.")
    reexport = _(
        "Re-export the package from your authoring tool; a SCORM zip holds only relative paths "
        "inside the package."
    )
    reupload = _("Re-export the package from your authoring tool and upload the new zip.")
    texts = {
        "not-a-zip": (
            _("“%(name)s” is not a zip file."),
            _("A SCORM package: a .zip file with imsmanifest.xml at its root."),
            _("Export the course from your authoring tool as a SCORM package and upload that zip file."),
        ),
        "archive-corrupt": (
            _("“%(name)s” is damaged and cannot be read as a zip file (%(reason)s)."),
            _("A complete, undamaged zip file."),
            _("Upload the file again; if it still fails, re-export the package from your authoring tool."),
        ),
        "directory-too-large": (
            _("The table of contents of “%(name)s” is %(size)s, far more than %(max)s entries need."),
            _("At most %(max)s files and folders."),
            reupload,
        ),
        "too-many-entries": (
            _("“%(name)s” holds %(count)s files and folders, more than the %(max)s allowed."),
            _("At most %(max)s files and folders."),
            _(
                "Remove files the course does not use (sources, unused media) or split the course "
                "into several packages."
            ),
        ),
        "package-too-large": (
            _("“%(name)s” unpacks to %(size)s, more than the %(max)s allowed for a package."),
            _("At most %(max)s of files in total."),
            _(
                "Remove files the course does not use, compress large media, or split the course "
                "into several packages."
            ),
        ),
        "entry-too-large": (
            _("“%(name)s” is %(size)s when unpacked, more than the %(max)s allowed for one file."),
            _("Files of at most %(max)s."),
            _(
                "Compress the file further (for a video, lower its bit rate) or host large media "
                "outside the package."
            ),
        ),
        "zip-bomb": (
            _(
                "“%(name)s” inflates %(ratio)s times when unpacked, more than the %(max)s times "
                "allowed: it looks like a zip bomb."
            ),
            _("Files larger than %(min)s compressed at most %(max)s:1."),
            _("Re-export the package from your authoring tool; real course files never compress this much."),
        ),
        "entry-size-mismatch": (
            _("“%(name)s” does not unpack to the %(size)s its zip header declares."),
            _("Each file unpacks to exactly the size recorded in the zip."),
            _("The zip is damaged or was altered: re-export the package and upload it again."),
        ),
        "entry-corrupt": (
            _("“%(name)s” cannot be unpacked: its data is damaged (%(reason)s)."),
            _("An undamaged zip file."),
            _("Upload the file again; if it still fails, re-export the package from your authoring tool."),
        ),
        "entry-encrypted": (
            _("“%(name)s” is protected with a password."),
            _("Files stored without a password or encryption."),
            _("Export or zip the package again without a password."),
        ),
        "compression-unsupported": (
            _("“%(name)s” is compressed with a method this platform cannot unpack (method %(method)s)."),
            _("Files stored uncompressed or compressed with Deflate, the usual zip method."),
            _("Zip the package again with standard settings, or re-export it from your authoring tool."),
        ),
        "path-invalid": (
            _("The name “%(name)s” is empty or contains control characters or undecodable text."),
            relative,
            reexport,
        ),
        "path-absolute": (_("“%(name)s” is an absolute path."), relative, reexport),
        "path-drive-letter": (_("“%(name)s” starts with a Windows drive letter."), relative, reexport),
        "path-backslash": (
            _("“%(name)s” separates folders with backslashes (\\)."),
            _("Folders separated by forward slashes (/), as the zip format requires."),
            reexport,
        ),
        "zip-slip": (
            _("“%(name)s” points outside the package with “..”."),
            relative,
            reexport,
        ),
        "entry-symlink": (
            _("“%(name)s” is a symbolic link."),
            _("Only regular files and folders."),
            _("Replace the link with a copy of the file or folder it points to, then zip the package again."),
        ),
        "entry-not-regular": (
            _("“%(name)s” is not a regular file (it is a device, pipe or socket)."),
            _("Only regular files and folders."),
            _("Remove it and zip the package again."),
        ),
        "entry-duplicate": (
            _("“%(name)s” is in the package more than once (also as “%(other)s”)."),
            _("Each file stored once."),
            _("Zip the package folder again so that every file is stored once."),
        ),
        "entry-duplicate-case": (
            _("“%(name)s” and “%(other)s” differ only in upper and lower case."),
            _(
                "File names that differ in more than case: storage and browsers on some systems "
                "treat them as the same file."
            ),
            _("Rename one of the files (and the links to it), then re-export the package."),
        ),
        "path-conflict": (
            _("“%(name)s” is inside “%(other)s”, which is also a file."),
            _("Each name is either a file or a folder, not both."),
            _("Rename the file or the folder (and the links to it), then re-export the package."),
        ),
        "entry-unreadable": (
            _("“%(name)s” cannot be read (%(reason)s)."),
            _("Files and folders the import can read."),
            _("Check that the file still exists and that its permissions allow reading, then import again."),
        ),
        "package-not-folder": (
            _("“%(name)s” is not a folder."),
            _("The folder of an unpacked SCORM package, with imsmanifest.xml at its root."),
            _("Give the path of the unpacked package folder, or of the zip file."),
        ),
        "storage-name-changed": (
            _("“%(name)s” could not be stored under its own name (the storage chose “%(other)s”)."),
            _("Names the file storage keeps unchanged."),
            _(
                "Rename the file using letters, digits, “-”, “_” and “.” (and update the links "
                "to it), then re-export the package."
            ),
        ),
        "more-problems": (
            _("… and %(count)s more problems."),
            _("A package without the problems listed above."),
            _("Fix the problems listed above and upload the package again to see the rest."),
        ),
    }
    return texts[code]


def _problem(code: str, file: str, **params: object) -> Problem:
    message, expected, advice = _texts(code)
    params = {"name": file, **params}
    return Problem(
        code=code,
        message=message % params,
        file=file,
        expected=expected % params,
        advice=advice % params,
    )


def _rejected(code: str, file: str, **params: object) -> PackageRejected:
    return PackageRejected([_problem(code, file, **params)])


class _Findings:
    """Problems found so far; past `PROBLEMS_SHOWN` they are only counted."""

    def __init__(self, label: str):
        self.label = label
        self.problems: list[Problem] = []
        self.more = 0

    def add(self, code: str, file: str, **params: object) -> None:
        if len(self.problems) < PROBLEMS_SHOWN:
            self.problems.append(_problem(code, file, **params))
        else:
            self.more += 1

    def raise_if_any(self) -> None:
        if self.more:
            self.problems.append(_problem("more-problems", self.label, count=self.more))
        if self.problems:
            raise PackageRejected(self.problems)


def _path_normalised(raw: str) -> tuple[str, str]:
    """(normalised relative path, "") for a safe file name, else ("", problem code)."""
    if not raw or _CONTROL_CHARACTERS.search(raw):
        return "", "path-invalid"
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes from a folder on disk (surrogate escapes)
        return "", "path-invalid"
    if _DRIVE_LETTER.match(raw):
        return "", "path-drive-letter"
    if raw.startswith("/"):
        return "", "path-absolute"
    if "\\" in raw:
        return "", "path-backslash"
    name = posixpath.normpath(raw)
    if name == ".." or name.startswith("../"):
        return "", "zip-slip"
    if name == ".":  # e.g. "a/..": names no file at all
        return "", "path-invalid"
    return name, ""


class _Inventory:
    """The regular files of a package being checked, with the rules zips and folders share:
    safe unique names (also ignoring case), no file inside a file, per-file and total sizes."""

    def __init__(self, limits: ArchiveLimits, findings: _Findings):
        self.limits = limits
        self.findings = findings
        self.sizes: dict[str, int] = {}
        self._by_folded: dict[str, str] = {}

    def add(self, raw: str, size: int, *, shown: str) -> str:
        """Record a file; return its normalised name, or "" if a problem was reported."""
        name, code = _path_normalised(raw)
        if code:
            self.findings.add(code, shown)
            return ""
        if name in self.sizes:
            self.findings.add("entry-duplicate", shown, other=name)
            return ""
        other = self._by_folded.get(name.casefold())
        if other is not None:
            self.findings.add("entry-duplicate-case", shown, other=other)
            return ""
        if size > self.limits.max_file_bytes:
            self.findings.add(
                "entry-too-large", shown, size=_size(size), max=_size(self.limits.max_file_bytes)
            )
            return ""
        self.sizes[name] = size
        self._by_folded[name.casefold()] = name
        return name

    @property
    def total_bytes(self) -> int:
        return sum(self.sizes.values())

    def finish(self) -> None:
        """Check what needs every file known, then raise if anything was found."""
        for name in self.sizes:
            folders = name.casefold().split("/")[:-1]
            for depth in range(1, len(folders) + 1):
                clash = self._by_folded.get("/".join(folders[:depth]))
                if clash is not None:
                    self.findings.add("path-conflict", name, other=clash)
                    break
        if self.total_bytes > self.limits.max_total_bytes:
            self.findings.add(
                "package-too-large",
                self.findings.label,
                size=_size(self.total_bytes),
                max=_size(self.limits.max_total_bytes),
            )
        self.findings.raise_if_any()


class _CheckedReader(io.RawIOBase):
    """A stream of one package file that produces exactly its declared size: more bytes (a header
    that lies about a bomb) or fewer (a damaged entry) stop the read with PackageRejected."""

    def __init__(self, raw: IO[bytes], *, name: str, size: int, data_errors: tuple[type[Exception], ...]):
        super().__init__()
        self._raw = raw
        self._name = name
        self._data_errors = data_errors
        self._count = 0
        # django.core.files.File takes the size from here instead of seeking, which we cannot do.
        self.size = size
        # Hashed as the bytes pass, so recording a file's digest costs no second read.
        self.sha256 = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            # One byte beyond the declared size is enough to know the header lied.
            data = self._raw.read(min(len(buffer), self.size + 1 - self._count))
        except self._data_errors as error:
            raise _rejected("entry-corrupt", self._name, reason=str(error)) from error
        self._count += len(data)
        ended_short = not data and len(buffer) > 0 and self._count < self.size
        if self._count > self.size or ended_short:
            raise _rejected("entry-size-mismatch", self._name, size=_size(self.size))
        self.sha256.update(data)
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._raw.close()
        super().close()


class _Source(abc.ABC):
    """What zip and folder sources share: the checked file list and whole-file reads."""

    def __init__(self, sizes: dict[str, int]):
        self._sizes = sizes
        self.names = list(sizes)
        self.total_bytes = sum(sizes.values())

    @abc.abstractmethod
    def open(self, name: str) -> _CheckedReader: ...

    def read(self, name: str, *, max_bytes: int) -> bytes:
        """The whole file `name`; refused if it is larger than `max_bytes`. KeyError if not in `names`."""
        size = self._sizes[name]
        if size > max_bytes:
            raise _rejected("entry-too-large", name, size=_size(size), max=_size(max_bytes))
        with self.open(name) as stream:
            return stream.read()

    @abc.abstractmethod
    def close(self) -> None:
        """Release what the source holds open."""

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


class ZipPackageSource(_Source):
    """A zip whose central directory passed every check. The file object stays the caller's."""

    def __init__(self, archive: zipfile.ZipFile, entries: dict[str, zipfile.ZipInfo]):
        super().__init__({name: info.file_size for name, info in entries.items()})
        self._archive = archive
        self._entries = entries

    def open(self, name: str) -> _CheckedReader:
        """A stream of `name` that stops with PackageRejected as soon as it would produce more (or
        ends with fewer) bytes than declared. KeyError if `name` is not in `names`."""
        info = self._entries[name]
        probe = copy.copy(info)
        probe.file_size = info.file_size + _OVERRUN_MARGIN
        try:
            raw = self._archive.open(probe)
        except ZIP_DATA_ERRORS as error:
            raise _rejected("entry-corrupt", name, reason=str(error)) from error
        return _CheckedReader(raw, name=name, size=info.file_size, data_errors=ZIP_DATA_ERRORS)

    def close(self) -> None:
        self._archive.close()


def _declared_directory(fileobj: IO[bytes]) -> tuple[int, int] | None:
    """(entry count, central directory bytes) as the zip's end record states them, or None when
    there is no end record (the file is not a zip)."""
    fileobj.seek(0, os.SEEK_END)
    end = fileobj.tell()  # not seek()'s result: storage file wrappers do not all return it
    start = max(0, end - _END_RECORD.size - 0xFFFF)  # the record, then a comment of up to 64 KiB
    fileobj.seek(start)
    tail = fileobj.read(end - start)
    # Like zipfile: the record without a comment ends the file; otherwise take the last signature.
    at = len(tail) - _END_RECORD.size
    if at < 0 or tail[at : at + 4] != _END_RECORD_SIGNATURE:
        at = tail.rfind(_END_RECORD_SIGNATURE)
    if at < 0 or len(tail) - at < _END_RECORD.size:
        return None
    *_, count, directory_bytes, _offset, _comment_length = _END_RECORD.unpack_from(tail, at)
    if count == 0xFFFF or directory_bytes == 0xFFFFFFFF:
        # Zip64: the real numbers are in the zip64 end record just before its locator.
        position = start + at - _ZIP64_LOCATOR_SIZE - _ZIP64_END_RECORD.size
        if position >= 0:
            fileobj.seek(position)
            record = fileobj.read(_ZIP64_END_RECORD.size)
            if len(record) == _ZIP64_END_RECORD.size and record[:4] == _ZIP64_END_RECORD_SIGNATURE:
                values = _ZIP64_END_RECORD.unpack(record)
                count, directory_bytes = values[7], values[8]
    return count, directory_bytes


def archive_open(
    fileobj: IO[bytes], *, limits: ArchiveLimits | None = None, label: str = ""
) -> ZipPackageSource:
    """Check a zip's whole central directory and return it as a package source.

    Refused, with every problem found: not a zip or damaged; too many entries, a file too large,
    too much in total, a file inflating more than the allowed ratio; encrypted files or unknown
    compression; absolute paths, drive letters, backslashes, ".." leaving the package, empty
    names or control characters; symbolic links and other non-regular files; names that repeat,
    also after normalising or ignoring case; a name that is both a file and a folder. Folder
    entries are skipped. `fileobj` must be seekable; `label` (the upload's name) names the
    package in problems about it as a whole."""
    limits = limits or ArchiveLimits.from_settings()
    label = label or _("the uploaded package")
    declared = _declared_directory(fileobj)
    if declared is None:
        raise _rejected("not-a-zip", label)
    count, directory_bytes = declared
    # Refused before zipfile reads the directory: it would build an object for every entry.
    if count > limits.max_entries:
        raise _rejected("too-many-entries", label, count=count, max=limits.max_entries)
    if directory_bytes > limits.max_entries * DIRECTORY_BYTES_PER_ENTRY:
        raise _rejected("directory-too-large", label, size=_size(directory_bytes), max=limits.max_entries)
    fileobj.seek(0)
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, EOFError, ValueError) as error:  # ValueError: undecodable UTF-8 names
        raise _rejected("archive-corrupt", label, reason=str(error)) from error
    try:
        entries = _entries_checked(archive.infolist(), limits, label)
    except PackageRejected:
        archive.close()
        raise
    return ZipPackageSource(archive, entries)


def _entries_checked(
    infos: list[zipfile.ZipInfo], limits: ArchiveLimits, label: str
) -> dict[str, zipfile.ZipInfo]:
    """The regular files of a central directory by normalised name; raises with every problem."""
    findings = _Findings(label)
    if len(infos) > limits.max_entries:  # the end record understated the count
        findings.add("too-many-entries", label, count=len(infos), max=limits.max_entries)
        findings.raise_if_any()
    inventory = _Inventory(limits, findings)
    entries: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        # zipfile cuts names at a NUL byte; the original name is what an extractor may see.
        raw = info.orig_filename
        shown = _shown(raw) or _("(an entry without a name)")
        mode = info.external_attr >> 16
        if raw.endswith("/") or stat.S_ISDIR(mode):
            continue  # folders are implied by the files' paths
        if stat.S_ISLNK(mode):
            findings.add("entry-symlink", shown)
            continue
        if stat.S_IFMT(mode) not in (0, stat.S_IFREG):  # 0: tools that record no Unix mode
            findings.add("entry-not-regular", shown)
            continue
        name = inventory.add(raw, info.file_size, shown=shown)
        if not name:
            continue
        if info.flag_bits & 0x1:
            findings.add("entry-encrypted", shown)
        elif info.compress_type not in SUPPORTED_COMPRESSION:
            findings.add("compression-unsupported", shown, method=info.compress_type)
        elif (
            info.file_size > limits.ratio_min_bytes
            and info.file_size > limits.max_compression_ratio * info.compress_size
        ):
            findings.add(
                "zip-bomb",
                shown,
                ratio=info.file_size // max(info.compress_size, 1),
                max=limits.max_compression_ratio,
                min=_size(limits.ratio_min_bytes),
            )
        entries[name] = info
    inventory.finish()
    return entries


class FolderPackageSource(_Source):
    """An unpacked package folder that passed the same checks as a zip."""

    def __init__(self, root: Path, sizes: dict[str, int]):
        super().__init__(sizes)
        self._root = root

    def close(self) -> None:
        """Nothing to release: each file is opened by its own stream."""

    def open(self, name: str) -> _CheckedReader:
        """A stream of `name` that stops with PackageRejected if the file changed since the check
        (grew, shrank, or was replaced by a link or something else). KeyError if not in `names`."""
        size = self._sizes[name]
        try:
            descriptor = _open_without_links(self._root, name)
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise _rejected("entry-symlink", name) from error
            raise _rejected("entry-unreadable", name, reason=error.strerror or str(error)) from error
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            os.close(descriptor)
            raise _rejected("entry-not-regular", name)
        raw = io.FileIO(descriptor, "rb")
        return _CheckedReader(raw, name=name, size=size, data_errors=())


def _open_without_links(root: Path, name: str) -> int:
    """A read descriptor for root/name, opened one folder at a time without following a link at
    any step, so a link swapped in after the check cannot lead outside the package."""
    *folders, filename = name.split("/")
    folder = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for part in folders:
            try:
                inner = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=folder)
            except NotADirectoryError:
                # Linux reports a folder that became a link as "not a directory"; say what it is.
                if stat.S_ISLNK(os.lstat(part, dir_fd=folder).st_mode):
                    raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), part) from None
                raise
            os.close(folder)
            folder = inner
        # O_NONBLOCK: opening a pipe swapped in for the file must not wait for a writer.
        return os.open(filename, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=folder)
    finally:
        os.close(folder)


def folder_open(path: Path, *, limits: ArchiveLimits | None = None) -> FolderPackageSource:
    """Check an unpacked package folder and return it as a package source.

    The same rules as a zip (`archive_open`): symbolic links, to files or folders, are refused
    and never followed; other non-regular files and unreadable entries are refused; names,
    duplicates (also ignoring case) and sizes are checked. Nothing is skipped silently. `path`
    itself is what the administrator named and may be reached through a link."""
    limits = limits or ArchiveLimits.from_settings()
    root = Path(path)
    findings = _Findings(root.name or str(root))
    if not root.is_dir():
        raise _rejected("package-not-folder", str(root))
    inventory = _Inventory(limits, findings)
    count = 0
    pending = [""]  # folders still to list, relative to root; "" is root itself
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(root / folder) as listing:
                children = sorted(listing, key=lambda child: child.name)
        except OSError as error:
            findings.add("entry-unreadable", folder or ".", reason=error.strerror or str(error))
            continue
        subfolders = []
        for child in children:
            name = f"{folder}/{child.name}" if folder else child.name
            shown = _shown(name)
            count += 1
            if count > limits.max_entries:
                # Stop walking: a huge tree is refused whatever else it holds.
                findings.add(
                    "too-many-entries", findings.label, count=f"{limits.max_entries}+", max=limits.max_entries
                )
                findings.raise_if_any()
            try:
                if child.is_symlink():
                    findings.add("entry-symlink", shown)
                elif child.is_dir(follow_symlinks=False):
                    subfolders.append(name)
                elif not child.is_file(follow_symlinks=False):
                    findings.add("entry-not-regular", shown)
                else:
                    inventory.add(name, child.stat(follow_symlinks=False).st_size, shown=shown)
            except OSError as error:
                findings.add("entry-unreadable", shown, reason=error.strerror or str(error))
        # Reversed onto the stack so folders are visited in name order.
        pending.extend(reversed(subfolders))
    inventory.finish()
    return FolderPackageSource(root, inventory.sizes)


def _prefix_checked(prefix: str) -> str:
    """The prefix as a folder name ending in "/"; never the storage root."""
    folder = prefix.strip("/")
    if not folder:
        raise ValueError("A package prefix must name a folder, not the storage root.")
    return folder + "/"


def package_extract(
    source: PackageSource,
    *,
    storage: Storage,
    prefix: str,
    on_progress: Callable[[int, int], None] | None = None,
) -> list[ExtractedFile]:
    """Write every file of `source` to `storage` under `prefix`, all or nothing.

    `prefix` must be a new, empty folder (one per package version): it is checked before writing
    so a failure can remove everything under it. Each file is streamed in chunks and its size
    checked again while streaming; each must be stored under exactly prefix + name, otherwise
    the package is rejected. `on_progress(done, total)` is called after each file. On any failure
    the files written so far are deleted and the error re-raised. Returns what was written, with
    each file's SHA-256 computed from the bytes as they streamed to storage."""
    prefix = _prefix_checked(prefix)
    if _folder_listing(storage, prefix) != ([], []):
        raise ValueError(f"Storage prefix {prefix!r} is not empty; each package version needs a new folder.")
    written: list[ExtractedFile] = []
    total = len(source.names)
    try:
        for done, name in enumerate(source.names, start=1):
            wanted = prefix + name
            with source.open(name) as stream:
                saved = storage.save(wanted, File(stream, name=name))
                digest = stream.sha256.hexdigest()
            if saved != wanted:
                # Launch URLs are prefix + the manifest's href: a renamed file would never be found.
                raise _rejected("storage-name-changed", name, other=saved.removeprefix(prefix))
            written.append(ExtractedFile(name=name, storage_name=saved, size=stream.size, sha256=digest))
            if on_progress is not None:
                on_progress(done, total)
    except BaseException:
        try:
            package_files_delete(storage=storage, prefix=prefix)
        except Exception:
            # The original failure is what the caller must see; a leftover folder is only logged.
            logger.exception("Could not remove the partly extracted package under %s", prefix)
        raise
    return written


def _folder_listing(storage: Storage, folder: str) -> tuple[list[str], list[str]]:
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:  # local and in-memory storages have no folder until a file is saved
        return [], []
    return list(directories), list(files)


def package_files_delete(*, storage: Storage, prefix: str) -> None:
    """Remove every file and folder under `prefix`, walking the storage with listdir."""
    prefix = _prefix_checked(prefix)
    pending = [prefix]
    folders = []
    while pending:
        folder = pending.pop()
        folders.append(folder)
        directories, files = _folder_listing(storage, folder)
        for file_name in files:
            storage.delete(folder + file_name)
        pending.extend(f"{folder}{directory}/" for directory in directories)
    # Local storage keeps empty folders; remove them deepest first. Object stores have none.
    for folder in reversed(folders):
        if storage.exists(folder.rstrip("/")):
            storage.delete(folder.rstrip("/"))
