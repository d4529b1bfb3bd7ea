"""Opening and extracting SCORM packages safely (scorm.archive). No database: storages only.

The hostile zips are built here with zipfile, and where zipfile refuses to write something
(NUL in a name, encryption flags, a lying size), by patching the header bytes afterwards.
"""

import hashlib
import io
import os
import stat
import struct
import warnings
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, InMemoryStorage
from django.utils import translation

from scorm.archive import (
    ArchiveLimits,
    archive_open,
    folder_open,
    package_extract,
    package_files_delete,
)
from scorm.problems import PackageRejected


@pytest.fixture(autouse=True)
def _english():
    """These tests read the English messages; Thai is the site's default language."""
    with translation.override("en"):
        yield


MIB = 1024**2
LABEL = "course.zip"
PREFIX = "scorm/packages/1/v1/"
MANIFEST = b'<?xml version="1.0"?><manifest identifier="M"/>'
LOCAL_HEADER = b"PK\x03\x04"
CENTRAL_HEADER = b"PK\x01\x02"


# -- building zips --------------------------------------------------------------------------


def zip_bytes(entries, *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of (name or ZipInfo, data) pairs, in order; duplicates allowed."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate names we want
        with zipfile.ZipFile(buffer, "w", compression) as archive:
            for name, data in entries:
                archive.writestr(name, data)
    return buffer.getvalue()


def zip_info(name: str, mode: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3  # Unix, so the mode bits mean what they say
    info.external_attr = mode << 16
    return info


def header_positions(data: bytes, signature: bytes) -> list[int]:
    positions, at = [], data.find(signature)
    while at >= 0:
        positions.append(at)
        at = data.find(signature, at + 1)
    return positions


def patched(
    data: bytes, *, local: tuple[int, str, int], central: tuple[int, str, int], entry: int = 0
) -> bytes:
    """`data` with one field of the `entry`-th local and central header overwritten:
    (offset in the header, struct format, value)."""
    buffer = bytearray(data)
    for signature, (offset, fmt, value) in ((LOCAL_HEADER, local), (CENTRAL_HEADER, central)):
        struct.pack_into(fmt, buffer, header_positions(data, signature)[entry] + offset, value)
    return bytes(buffer)


def with_declared_size(data: bytes, size: int, *, entry: int = 0) -> bytes:
    """The uncompressed size the headers declare, changed to `size` (the data stays)."""
    return patched(data, local=(22, "<L", size), central=(24, "<L", size), entry=entry)


def good_package() -> list[tuple[str, bytes]]:
    return [
        ("imsmanifest.xml", MANIFEST),
        ("content/", b""),  # a folder entry: skipped
        ("content/index.html", b"<html><body>Hello</body></html>"),
        ("content/บทเรียน/หน้า1.html", "<p>สวัสดี</p>".encode()),
        ("content/media/noise.bin", os.urandom(2 * MIB)),  # big but incompressible
        ("content/blank.json", bytes(512 * 1024)),  # compresses >100:1 but below the 1 MiB threshold
    ]


def open_zip(data: bytes, **limits):
    return archive_open(io.BytesIO(data), limits=ArchiveLimits(**limits), label=LABEL)


def rejection(data: bytes, **limits) -> PackageRejected:
    with pytest.raises(PackageRejected) as caught:
        open_zip(data, **limits)
    return caught.value


def codes(rejected: PackageRejected) -> list[str]:
    return [problem.code for problem in rejected.problems]


def assert_complete(rejected: PackageRejected) -> None:
    """Every problem names its file, says what was expected and what to do."""
    assert rejected.problems
    for problem in rejected.problems:
        assert problem.file, problem
        assert problem.file in problem.message or problem.code == "more-problems", problem
        assert problem.expected, problem
        assert problem.advice, problem
        assert problem.severity == "error"


@pytest.fixture
def storage(tmp_path) -> FileSystemStorage:
    return FileSystemStorage(location=tmp_path / "media")


def stored_files(storage, folder: str) -> list[str]:
    """Every file name under `folder`, walking with listdir as S3 would."""
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    found = [folder + name for name in files]
    for directory in directories:
        found += stored_files(storage, f"{folder}{directory}/")
    return found


# -- a good package -----------------------------------------------------------------------


def test_good_package_extracts_exactly_its_files(storage):
    entries = good_package()
    source = open_zip(zip_bytes(entries))
    files = [(name, data) for name, data in entries if not name.endswith("/")]
    assert source.names == [name for name, _ in files]
    assert source.total_bytes == sum(len(data) for _, data in files)
    assert source.read("imsmanifest.xml", max_bytes=1024) == MANIFEST

    progress = []
    written = package_extract(
        source, storage=storage, prefix=PREFIX, on_progress=lambda done, total: progress.append((done, total))
    )

    assert [(file.name, file.storage_name) for file in written] == [
        (name, PREFIX + name) for name, _ in files
    ]
    assert [(file.size, file.sha256) for file in written] == [
        (len(data), hashlib.sha256(data).hexdigest()) for _, data in files
    ]
    assert progress == [(done, len(files)) for done in range(1, len(files) + 1)]
    assert sorted(stored_files(storage, PREFIX)) == sorted(file.storage_name for file in written)
    for name, data in files:
        with storage.open(PREFIX + name) as stored:
            assert stored.read() == data


def test_good_package_extracts_into_memory_storage():
    storage = InMemoryStorage()
    entries = [("imsmanifest.xml", MANIFEST), ("a/b/c.html", b"<p>c</p>"), ("a/d.js", b"var d;")]
    package_extract(open_zip(zip_bytes(entries)), storage=storage, prefix="pkg/v1")
    for name, data in entries:
        with storage.open(f"pkg/v1/{name}") as stored:
            assert stored.read() == data


def test_stored_entries_and_normalised_names():
    data = zip_bytes([("./a//b.html", b"b"), ("c/../d.html", b"d")], compression=zipfile.ZIP_STORED)
    source = open_zip(data)
    assert source.names == ["a/b.html", "d.html"]
    assert source.read("a/b.html", max_bytes=10) == b"b"


def test_read_refuses_more_than_max_bytes_and_unknown_names():
    source = open_zip(zip_bytes([("imsmanifest.xml", b"x" * 100)]))
    with pytest.raises(PackageRejected) as caught:
        source.read("imsmanifest.xml", max_bytes=99)
    assert codes(caught.value) == ["entry-too-large"]
    assert caught.value.problems[0].file == "imsmanifest.xml"
    with pytest.raises(KeyError):
        source.read("missing.xml", max_bytes=1000)


# -- names and kinds of entries -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("../evil.html", "zip-slip"),
        ("a/../../evil", "zip-slip"),
        ("..", "zip-slip"),
        ("/etc/evil.html", "path-absolute"),
        ("C:evil.html", "path-drive-letter"),
        ("C:/Windows/evil.html", "path-drive-letter"),
        ("c:\\evil.html", "path-drive-letter"),
        ("content\\evil.html", "path-backslash"),
        ("a/..", "path-invalid"),
        ("bad\nname.html", "path-invalid"),
    ],
)
def test_unsafe_names_are_refused(name, code):
    rejected = rejection(zip_bytes([("imsmanifest.xml", MANIFEST), (name, b"evil")]))
    assert codes(rejected) == [code]
    problem = rejected.problems[0]
    assert problem.file == name.replace("\n", "\\x0a")
    assert_complete(rejected)


def test_empty_name_is_refused():
    rejected = rejection(zip_bytes([("imsmanifest.xml", MANIFEST), (zipfile.ZipInfo(""), b"x")]))
    assert codes(rejected) == ["path-invalid"]
    assert_complete(rejected)


def test_nul_byte_in_name_is_refused_even_though_zipfile_hides_it():
    data = zip_bytes([("evilX.html.exe", b"x")]).replace(b"evilX.html.exe", b"evil\x00.html.exe")
    rejected = rejection(data)
    assert codes(rejected) == ["path-invalid"]
    assert rejected.problems[0].file == "evil\\x00.html.exe"


def test_symlink_and_other_special_entries_are_refused():
    data = zip_bytes(
        [
            ("imsmanifest.xml", MANIFEST),
            (zip_info("link.html", stat.S_IFLNK | 0o777), b"/etc/passwd"),
            (zip_info("pipe", stat.S_IFIFO | 0o644), b""),
            (zip_info("plain.html", stat.S_IFREG | 0o644), b"ok"),
            (zip_info("folder-without-slash", stat.S_IFDIR | 0o755), b""),
        ]
    )
    rejected = rejection(data)
    assert [(p.code, p.file) for p in rejected.problems] == [
        ("entry-symlink", "link.html"),
        ("entry-not-regular", "pipe"),
    ]
    assert_complete(rejected)


@pytest.mark.parametrize(
    ("names", "code"),
    [
        (["a/b.html", "a/b.html"], "entry-duplicate"),
        (["a/b.html", "a//b.html"], "entry-duplicate"),
        (["a/b.html", "./a/x/../b.html"], "entry-duplicate"),
        (["a/Index.html", "a/index.html"], "entry-duplicate-case"),
        (["a", "a/b.html"], "path-conflict"),
        (["A", "a/b.html"], "path-conflict"),
    ],
)
def test_duplicate_names_are_refused(names, code):
    rejected = rejection(zip_bytes([(name, name.encode()) for name in names]))
    assert codes(rejected) == [code]
    assert_complete(rejected)
    problem = rejected.problems[0]
    assert problem.file in (names[1], "a/b.html")


def test_mixed_case_folders_do_not_clash():
    # "Content/a.html" and "content/b.html" write two different folders on S3 but one on Windows
    # disks; only files are compared, so this packs fine and serves fine from S3.
    assert open_zip(zip_bytes([("Content/a.html", b"a"), ("content/b.html", b"b")])).total_bytes == 2


def test_encrypted_entries_are_refused():
    data = patched(
        zip_bytes([("secret.html", b"s"), ("open.html", b"o")]),
        local=(6, "<H", 0x1),
        central=(8, "<H", 0x1),
    )
    rejected = rejection(data)
    assert [(p.code, p.file) for p in rejected.problems] == [("entry-encrypted", "secret.html")]
    assert_complete(rejected)


def test_unknown_compression_is_refused():
    deflate64 = 9  # what Windows writes for very large files; zipfile cannot read it
    data = patched(
        zip_bytes([("big.mp4", b"v" * 100)]), local=(8, "<H", deflate64), central=(10, "<H", deflate64)
    )
    rejected = rejection(data)
    assert codes(rejected) == ["compression-unsupported"]
    assert "9" in rejected.problems[0].message


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_bzip2_and_lzma_are_refused(method):
    # zipfile inflates them without an output limit per read: a crafted entry could fill memory.
    rejected = rejection(zip_bytes([("page.html", b"p" * 100)], compression=method))
    assert [(p.code, p.file) for p in rejected.problems] == [("compression-unsupported", "page.html")]
    assert_complete(rejected)


# -- sizes and bombs ------------------------------------------------------------------------


def test_too_many_entries_is_refused_before_reading_the_directory():
    data = zip_bytes([(f"f{number}.html", b"x") for number in range(6)])
    rejected = rejection(data, max_entries=5)
    assert codes(rejected) == ["too-many-entries"]
    assert rejected.problems[0].file == LABEL
    assert "6" in rejected.problems[0].message
    assert_complete(rejected)


def as_zip64(data: bytes) -> bytes:
    """The same zip with its counts moved to a zip64 end record, as large archives have them."""
    end = data.rfind(b"PK\x05\x06")
    _, _, _, on_disk, total, directory_bytes, directory_offset, _ = struct.unpack_from("<4s4H2LH", data, end)
    zip64_end = struct.pack(
        "<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, on_disk, total, directory_bytes, directory_offset
    )
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, end, 1)
    end_record = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    return data[:end] + zip64_end + locator + end_record


def test_the_entry_count_of_a_zip64_archive_is_checked():
    data = as_zip64(zip_bytes([(f"f{number}.html", b"x") for number in range(6)]))
    assert len(open_zip(data, max_entries=6).names) == 6
    rejected = rejection(data, max_entries=5)
    assert codes(rejected) == ["too-many-entries"]
    assert "6" in rejected.problems[0].message


def test_a_central_directory_too_large_for_the_entry_limit_is_refused():
    # Two entries, but names long enough to make a 3 KiB directory: room for far more entries.
    data = zip_bytes([("a" * 1500, b"x"), ("b" * 1500, b"x")])
    rejected = rejection(data, max_entries=2)
    assert codes(rejected) == ["directory-too-large"]
    assert_complete(rejected)
    assert open_zip(data, max_entries=4).total_bytes == 2


def test_folder_entries_count_towards_the_entry_limit():
    data = zip_bytes([("a/", b""), ("b/", b""), ("c/", b""), ("index.html", b"x")])
    assert codes(rejection(data, max_entries=3)) == ["too-many-entries"]
    assert open_zip(data, max_entries=4).names == ["index.html"]


def test_an_entry_too_large_is_refused():
    data = zip_bytes([("small.html", b"x" * 100), ("video.mp4", os.urandom(101))])
    rejected = rejection(data, max_file_bytes=100)
    assert [(p.code, p.file) for p in rejected.problems] == [("entry-too-large", "video.mp4")]
    assert_complete(rejected)


def test_a_package_too_large_in_total_is_refused():
    data = zip_bytes([(f"page{number}.html", b"x" * 100) for number in range(3)])
    rejected = rejection(data, max_total_bytes=250)
    assert codes(rejected) == ["package-too-large"]
    assert rejected.problems[0].file == LABEL
    assert_complete(rejected)
    assert open_zip(data, max_total_bytes=300).total_bytes == 300


def test_a_zip_bomb_is_refused_from_its_ratio():
    data = zip_bytes([("imsmanifest.xml", MANIFEST), ("bomb.bin", bytes(10 * MIB))])
    assert len(data) < 100 * 1024
    rejected = rejection(data)
    assert [(p.code, p.file) for p in rejected.problems] == [("zip-bomb", "bomb.bin")]
    assert_complete(rejected)


def test_the_ratio_is_only_applied_above_its_threshold():
    data = zip_bytes([("blank.json", bytes(MIB))])
    assert open_zip(data).total_bytes == MIB
    assert codes(rejection(data, ratio_min_bytes=MIB - 1)) == ["zip-bomb"]


def test_a_header_that_understates_the_size_stops_the_stream():
    real = bytes(300 * 1024)
    data = with_declared_size(zip_bytes([("bomb.bin", real)]), 1000)
    source = open_zip(data)
    assert source.total_bytes == 1000  # the lie passes the directory checks...
    chunks = []
    with source.open("bomb.bin") as stream, pytest.raises(PackageRejected) as caught:  # ...not the stream
        chunks.extend(iter(lambda: stream.read(64 * 1024), b""))
    assert sum(map(len, chunks)) <= 1000
    assert codes(caught.value) == ["entry-size-mismatch"]
    assert caught.value.problems[0].file == "bomb.bin"
    assert_complete(caught.value)


def test_a_stored_entry_that_understates_its_size_stops_the_stream():
    data = with_declared_size(zip_bytes([("page.html", b"x" * 5000)], compression=zipfile.ZIP_STORED), 10)
    with pytest.raises(PackageRejected) as caught:
        open_zip(data).read("page.html", max_bytes=MIB)
    assert codes(caught.value) == ["entry-size-mismatch"]


def test_a_header_that_overstates_the_size_is_refused():
    data = with_declared_size(zip_bytes([("page.html", b"x" * 5000)]), 6000)
    with pytest.raises(PackageRejected) as caught:
        open_zip(data).read("page.html", max_bytes=MIB)
    assert codes(caught.value) == ["entry-size-mismatch"]


def test_damaged_entry_data_is_refused_when_read():
    data = bytearray(zip_bytes([("page.html", os.urandom(5000))], compression=zipfile.ZIP_STORED))
    data[100] ^= 0xFF  # inside the stored bytes: the CRC no longer matches
    with pytest.raises(PackageRejected) as caught:
        open_zip(bytes(data)).read("page.html", max_bytes=MIB)
    assert codes(caught.value) == ["entry-corrupt"]
    assert_complete(caught.value)


# -- not a zip at all -----------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"<html>this is not a zip</html>", b"PK\x03\x04" + b"\x00" * 200])
def test_not_a_zip_is_refused(data):
    rejected = rejection(data)
    assert codes(rejected) == ["not-a-zip"]
    assert rejected.problems[0].file == LABEL
    assert_complete(rejected)


def test_a_damaged_central_directory_is_refused():
    data = bytearray(zip_bytes(good_package()))
    directory = data.find(CENTRAL_HEADER)
    data[directory : directory + 4] = b"XXXX"
    rejected = rejection(bytes(data))
    assert codes(rejected) == ["archive-corrupt"]
    assert_complete(rejected)


def test_a_truncated_zip_is_refused():
    data = zip_bytes(good_package())
    end = data.rfind(b"PK\x05\x06")
    # Cut out the middle of the file but keep the end record: offsets now point nowhere.
    rejected = rejection(data[: len(data) // 3] + data[end:])
    assert codes(rejected) == ["archive-corrupt"]


def test_all_problems_are_reported_and_the_list_is_capped():
    entries = [(f"../evil{number}.html", b"x") for number in range(25)]
    entries += [("ok.html", b"ok"), ("OK.html", b"ok"), (zip_info("link", stat.S_IFLNK | 0o777), b"/")]
    rejected = rejection(zip_bytes(entries))
    assert len(rejected.problems) == 21
    assert codes(rejected)[:20] == ["zip-slip"] * 20
    more = rejected.problems[-1]
    assert more.code == "more-problems"
    assert "7" in more.message  # 5 more slips, the case duplicate and the link
    assert_complete(rejected)


def test_every_problem_names_its_entry_and_gives_advice():
    entries = [
        ("../up.html", b"x"),
        ("/abs.html", b"x"),
        ("D:drive.html", b"x"),
        ("back\\slash.html", b"x"),
        (zip_info("link.html", stat.S_IFLNK | 0o777), b"x"),
        ("dup.html", b"x"),
        ("dup.html", b"x"),
        ("Case.html", b"x"),
        ("case.html", b"x"),
        ("huge.bin", os.urandom(2000)),
        ("bomb.bin", bytes(2 * MIB)),
    ]
    rejected = rejection(zip_bytes(entries), max_file_bytes=1500, max_total_bytes=1600)
    assert codes(rejected) == [
        "zip-slip",
        "path-absolute",
        "path-drive-letter",
        "path-backslash",
        "entry-symlink",
        "entry-duplicate",
        "entry-duplicate-case",
        "entry-too-large",
        "entry-too-large",
    ]
    assert_complete(rejected)
    assert [p.file for p in rejected.problems][:4] == [
        "../up.html",
        "/abs.html",
        "D:drive.html",
        "back\\slash.html",
    ]
    assert rejected.problems[0].advice == (
        "Re-export the package from your authoring tool; "
        "a SCORM zip holds only relative paths inside the package."
    )


# -- unpacked folders -----------------------------------------------------------------------


def make_folder(root: Path) -> Path:
    (root / "content" / "media").mkdir(parents=True)
    (root / "imsmanifest.xml").write_bytes(MANIFEST)
    (root / "content" / "index.html").write_bytes(b"<p>index</p>")
    (root / "content" / "media" / "clip.bin").write_bytes(os.urandom(3000))
    (root / "empty-folder").mkdir()
    return root


def test_a_normal_folder_is_accepted_and_extracts(tmp_path, storage):
    root = make_folder(tmp_path / "package")
    source = folder_open(root, limits=ArchiveLimits())
    assert source.names == ["imsmanifest.xml", "content/index.html", "content/media/clip.bin"]
    assert source.total_bytes == len(MANIFEST) + 12 + 3000
    assert source.read("imsmanifest.xml", max_bytes=1024) == MANIFEST

    package_extract(source, storage=storage, prefix=PREFIX)
    for name in source.names:
        with storage.open(PREFIX + name) as stored:
            assert stored.read() == (root / name).read_bytes()


def test_folder_symlinks_are_refused_and_not_followed(tmp_path):
    root = make_folder(tmp_path / "package")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret")
    (root / "content" / "secret.txt").symlink_to(outside / "secret.txt")
    (root / "linked-folder").symlink_to(outside, target_is_directory=True)
    os.mkfifo(root / "pipe")

    with pytest.raises(PackageRejected) as caught:
        folder_open(root, limits=ArchiveLimits())
    rejected = caught.value
    assert sorted((p.code, p.file) for p in rejected.problems) == [
        ("entry-not-regular", "pipe"),
        ("entry-symlink", "content/secret.txt"),
        ("entry-symlink", "linked-folder"),
    ]
    assert_complete(rejected)


def test_folder_names_follow_the_zip_rules(tmp_path):
    root = make_folder(tmp_path / "package")
    (root / "content" / "Index.html").write_bytes(b"other")
    (root / "back\\slash.html").write_bytes(b"x")
    with pytest.raises(PackageRejected) as caught:
        folder_open(root, limits=ArchiveLimits())
    assert sorted(codes(caught.value)) == ["entry-duplicate-case", "path-backslash"]
    assert_complete(caught.value)


def test_folder_limits_are_enforced(tmp_path):
    root = make_folder(tmp_path / "package")
    for limits, code in [
        (ArchiveLimits(max_entries=5), "too-many-entries"),
        (ArchiveLimits(max_file_bytes=2999), "entry-too-large"),
        (ArchiveLimits(max_total_bytes=3000), "package-too-large"),
    ]:
        with pytest.raises(PackageRejected) as caught:
            folder_open(root, limits=limits)
        assert codes(caught.value) == [code]
        assert_complete(caught.value)


def test_a_folder_changed_after_the_check_is_refused_when_read(tmp_path):
    root = make_folder(tmp_path / "package")
    outside = tmp_path / "outside.txt"
    outside.write_text("secret")
    source = folder_open(root, limits=ArchiveLimits())

    with (root / "content" / "index.html").open("ab") as grown:
        grown.write(b"more")
    with pytest.raises(PackageRejected) as caught:
        source.read("content/index.html", max_bytes=MIB)
    assert codes(caught.value) == ["entry-size-mismatch"]

    (root / "imsmanifest.xml").unlink()
    (root / "imsmanifest.xml").symlink_to(outside)
    media = root / "content" / "media"
    media.rename(tmp_path / "moved-media")
    media.symlink_to(tmp_path / "moved-media", target_is_directory=True)
    for name in ("imsmanifest.xml", "content/media/clip.bin"):
        with pytest.raises(PackageRejected) as caught:
            source.read(name, max_bytes=MIB)
        assert codes(caught.value) == ["entry-symlink"], name


def test_a_file_is_not_a_package_folder(tmp_path):
    path = tmp_path / "course.zip"
    path.write_bytes(b"zip")
    with pytest.raises(PackageRejected) as caught:
        folder_open(path, limits=ArchiveLimits())
    assert codes(caught.value) == ["package-not-folder"]


# -- extraction failures -------------------------------------------------------------------


class FailingStorage(FileSystemStorage):
    """Refuses the n-th file saved."""

    def __init__(self, *, fail_on: int, **kwargs):
        super().__init__(**kwargs)
        self.fail_on = fail_on
        self.saved = 0

    def _save(self, name, content):
        self.saved += 1
        if self.saved == self.fail_on:
            raise OSError("disk full")
        return super()._save(name, content)


class RenamingStorage(FileSystemStorage):
    def get_available_name(self, name, max_length=None):
        return name.replace(".html", "-1.html")


def three_files() -> bytes:
    return zip_bytes(
        [("imsmanifest.xml", MANIFEST), ("a/one.html", b"1"), ("b/two.html", b"2"), ("c.html", b"3")]
    )


def test_a_storage_failure_midway_leaves_nothing(tmp_path):
    storage = FailingStorage(fail_on=3, location=tmp_path / "media")
    progress = []
    with pytest.raises(OSError, match="disk full"):
        package_extract(
            open_zip(three_files()),
            storage=storage,
            prefix=PREFIX,
            on_progress=lambda done, total: progress.append(done),
        )
    assert progress == [1, 2]
    assert stored_files(storage, PREFIX) == []
    assert not storage.exists(PREFIX.rstrip("/"))


def test_a_lying_entry_midway_leaves_nothing_not_even_its_partial_file(storage):
    entries = [("imsmanifest.xml", MANIFEST), ("a.html", b"a"), ("bomb.bin", bytes(500 * 1024))]
    data = with_declared_size(zip_bytes(entries), 200 * 1024, entry=2)
    with pytest.raises(PackageRejected) as caught:
        package_extract(open_zip(data), storage=storage, prefix=PREFIX)
    assert codes(caught.value) == ["entry-size-mismatch"]
    assert stored_files(storage, PREFIX) == []


def test_a_renamed_file_is_refused_and_removed(tmp_path):
    storage = RenamingStorage(location=tmp_path / "media")
    with pytest.raises(PackageRejected) as caught:
        package_extract(open_zip(three_files()), storage=storage, prefix=PREFIX)
    problem = caught.value.problems[0]
    assert (problem.code, problem.file) == ("storage-name-changed", "a/one.html")
    assert "a/one-1.html" in problem.message
    assert stored_files(storage, PREFIX) == []


def test_extraction_needs_a_new_empty_prefix(storage):
    storage.save(PREFIX + "old.html", io.BytesIO(b"old"))
    with pytest.raises(ValueError, match="not empty"):
        package_extract(open_zip(three_files()), storage=storage, prefix=PREFIX)
    assert stored_files(storage, PREFIX) == [PREFIX + "old.html"]  # nothing of someone else's removed
    with pytest.raises(ValueError, match="storage root"):
        package_extract(open_zip(three_files()), storage=storage, prefix="/")


@pytest.mark.parametrize("kind", ["filesystem", "memory"])
def test_package_files_delete_removes_everything_under_the_prefix(kind, tmp_path):
    storage = FileSystemStorage(location=tmp_path) if kind == "filesystem" else InMemoryStorage()
    package_extract(open_zip(three_files()), storage=storage, prefix=PREFIX)
    storage.save("scorm/packages/1/v2/keep.html", io.BytesIO(b"keep"))

    package_files_delete(storage=storage, prefix=PREFIX)

    assert stored_files(storage, PREFIX) == []
    assert stored_files(storage, "scorm/packages/1/") == ["scorm/packages/1/v2/keep.html"]
    package_files_delete(storage=storage, prefix=PREFIX)  # nothing left: no error
    with pytest.raises(ValueError, match="storage root"):
        package_files_delete(storage=storage, prefix="")


# -- limits from settings ------------------------------------------------------------------


def test_limits_come_from_settings(settings):
    settings.SCORM_ARCHIVE_LIMITS = {"max_entries": 7, "max_compression_ratio": 50}
    assert ArchiveLimits.from_settings() == ArchiveLimits(max_entries=7, max_compression_ratio=50)
    del settings.SCORM_ARCHIVE_LIMITS
    assert ArchiveLimits.from_settings() == ArchiveLimits()
    settings.SCORM_ARCHIVE_LIMITS = {"max_entrys": 7}
    with pytest.raises(ImproperlyConfigured, match="max_entrys"):
        ArchiveLimits.from_settings()
