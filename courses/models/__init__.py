from courses.models.catalogue import (
    CatalogueIndexPage,
    CourseCompetencyTarget,
    CourseLanguage,
    CourseLevel,
    CoursePage,
    CoursePrerequisite,
    EnrolmentMode,
    LessonPage,
    ModulePage,
    PartnerSectionPage,
    Topic,
)
from courses.models.learning import Enrolment, LearningHoursEntry, LessonProgress

__all__ = [
    "CatalogueIndexPage",
    "CourseCompetencyTarget",
    "CourseLanguage",
    "CourseLevel",
    "CoursePage",
    "CoursePrerequisite",
    "Enrolment",
    "EnrolmentMode",
    "LearningHoursEntry",
    "LessonPage",
    "LessonProgress",
    "ModulePage",
    "PartnerSectionPage",
    "Topic",
]
