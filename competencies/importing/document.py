"""What a framework file holds, as plain data (no database): the framework, its levels, tree,
descriptors, role groups, requirements and mappings, and every problem found with where it is."""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from competencies.models import CompetencyFramework, CompetencyMapping, CompetencyNode

CODE_MAX_CHARS = 32  # framework, version, competency, level and role group codes (models.py)
NAME_MAX_CHARS = 255
BAND_MAX_CHARS = 100
# A code becomes part of web addresses (/competencies/frameworks/<code>/<version>/) and of
# HTML anchors (#competency-<code>): letters of any script, digits, ".", "-" and "_".
CODE_PATTERN = re.compile(r"^[\w.\-]+$")
DEFAULT_SCALE_NAME_TH = "ระดับความสามารถ"
DEFAULT_SCALE_NAME_EN = "Proficiency levels"

YES_NO_WORDS = {
    **dict.fromkeys(("yes", "y", "true", "t", "1", "ใช่", "จริง"), True),
    **dict.fromkeys(("no", "n", "false", "f", "0", "ไม่ใช่", "ไม่", "เท็จ"), False),
}
STATUS_WORDS = {
    **{value: value for value in CompetencyFramework.Status.values},
    "ใช้อยู่": CompetencyFramework.Status.CURRENT,
    "ปัจจุบัน": CompetencyFramework.Status.CURRENT,
    "ถูกแทนที่": CompetencyFramework.Status.SUPERSEDED,
    "ยกเลิก": CompetencyFramework.Status.SUPERSEDED,
    "ร่าง": CompetencyFramework.Status.DRAFT,
}
KIND_WORDS = {
    **{value: value for value in CompetencyNode.Kind.values},
    "ด้าน": CompetencyNode.Kind.AREA,
    "สมรรถนะ": CompetencyNode.Kind.COMPETENCE,
    "ทักษะ": CompetencyNode.Kind.SKILL,
}
RELATION_WORDS = {value: value for value in CompetencyMapping.Relation.values}


# The plain structure ----------------------------------------------------------------------


@dataclass(frozen=True)
class Where:
    """Where something is in a file: a spreadsheet row, or a path in a JSON document."""

    row: int = 0  # CSV: the spreadsheet's row number (the header is row 1); 0 otherwise
    path: str = ""  # JSON: e.g. "nodes[3]" (counted from 0); "" for CSV or the whole file


WHOLE_FILE = Where()


@dataclass(frozen=True)
class Problem:
    """Something to fix before the file can be imported: where, which column, what to do."""

    where: Where
    field: str  # the CSV column or JSON field; "" when about a whole row or the file
    message: str  # translated; says what is wrong and what to write instead
    source: str = ""  # the file's name

    @property
    def row(self) -> int:
        return self.where.row

    @property
    def location(self) -> str:
        if self.where.row:
            return _("row %(row)s") % {"row": self.where.row}
        return self.where.path or _("whole file")

    def __str__(self) -> str:
        parts = [part for part in (self.source, self.location, self.field) if part]
        return f"{', '.join(parts)}: {self.message}"


@dataclass
class FrameworkInfo:
    code: str
    version: str
    name_th: str
    name_en: str = ""
    publisher: str = ""
    status: str = CompetencyFramework.Status.CURRENT
    supersedes: tuple[str, str] | None = None  # (code, version)
    source_url: str = ""
    published_on: dt.date | None = None
    description_th: str = ""
    description_en: str = ""
    scale_name_th: str = DEFAULT_SCALE_NAME_TH
    scale_name_en: str = DEFAULT_SCALE_NAME_EN
    at: Where = field(default=WHOLE_FILE, compare=False)


@dataclass
class LevelEntry:
    value: int
    name_th: str
    name_en: str = ""
    code: str = ""
    band_th: str = ""
    band_en: str = ""
    at: Where = field(default=WHOLE_FILE, compare=False)


@dataclass
class NodeEntry:
    code: str
    name_th: str
    parent: str = ""
    kind: str = CompetencyNode.Kind.COMPETENCE
    name_en: str = ""
    description_th: str = ""
    description_en: str = ""
    is_core: bool = False
    order: int = 0
    at: Where = field(default=WHOLE_FILE, compare=False)


@dataclass
class DescriptorEntry:
    node: str
    level: int
    text_th: str
    text_en: str = ""
    at: Where = field(default=WHOLE_FILE, compare=False)


@dataclass
class RoleGroupEntry:
    code: str
    name_th: str
    name_en: str = ""
    parent: str = ""
    order: int = 0
    at: Where = field(default=WHOLE_FILE, compare=False)


@dataclass
class RequirementEntry:
    role_group: str
    node: str
    level: int
    at: Where = field(default=WHOLE_FILE, compare=False)


@dataclass
class MappingEntry:
    node: str
    target_framework: str
    target_version: str
    target_node: str
    relation: str = CompetencyMapping.Relation.EXACT
    at: Where = field(default=WHOLE_FILE, compare=False)


@dataclass
class FrameworkDocument:
    """One framework file as read: plain values, and every problem found inside the file."""

    source: str = field(default="", compare=False)  # the file's name
    framework: FrameworkInfo | None = None
    levels: list[LevelEntry] = field(default_factory=list)
    nodes: list[NodeEntry] = field(default_factory=list)
    descriptors: list[DescriptorEntry] = field(default_factory=list)
    role_groups: list[RoleGroupEntry] = field(default_factory=list)
    requirements: list[RequirementEntry] = field(default_factory=list)
    mappings: list[MappingEntry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list, compare=False)

    @property
    def key(self) -> tuple[str, str] | None:
        return None if self.framework is None else (self.framework.code, self.framework.version)

    @property
    def label(self) -> str:
        if self.framework is None:
            return self.source
        return f"{self.framework.code} {self.framework.version}"

    def counts(self) -> dict[str, int]:
        kinds = [node.kind for node in self.nodes]
        return {
            "areas": kinds.count(CompetencyNode.Kind.AREA),
            "competences": kinds.count(CompetencyNode.Kind.COMPETENCE),
            "skills": kinds.count(CompetencyNode.Kind.SKILL),
            "levels": len(self.levels),
            "descriptors": len(self.descriptors),
            "role_groups": len(self.role_groups),
            "requirements": len(self.requirements),
            "mappings": len(self.mappings),
        }

    def problem(self, where: Where, column: str, message: str) -> None:
        self.problems.append(Problem(where, column, message, self.source))
