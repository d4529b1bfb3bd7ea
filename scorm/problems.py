"""What is wrong with a package, said so that an author can fix it.

Every check of a package (the archive, the manifest, the launch files) reports a `Problem`
instead of raising a bare exception: which file, which element, what was expected and what
to do. Errors stop an import; warnings are shown beside the imported structure.
"""

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Problem:
    """One finding about a package. All texts are already translated for the reader."""

    code: str  # stable machine name, e.g. "manifest-missing", "zip-slip"
    message: str  # what is wrong, one sentence
    file: str = ""  # path inside the package, e.g. "imsmanifest.xml" or "content/a.html"
    element: str = ""  # where in that file, e.g. "organizations/organization[@identifier='ORG-1']"
    expected: str = ""  # what was expected there
    advice: str = ""  # what the author should do
    severity: str = "error"  # "error" stops the import; "warning" is shown and kept

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class PackageRejected(Exception):
    """Raised when a package cannot be imported; carries every error found."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(p.message for p in self.problems)
