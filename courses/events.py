"""Events other apps react to. Each is sent once, after the transaction that caused it commits.

- `course_completed(sender=Enrolment, enrolment=...)`: a learner has completed a course; the
  hours are already in the ledger. Certificates and analytics connect receivers to it.
- `enrolments_created(sender=Enrolment, enrolments=[...])`: new enrolments (a request, an
  assignment; a list, because an assignment creates thousands at once). Webhooks listen.
- `lesson_completed(sender=LessonProgress, progress=...)`: a learner completed a lesson.
"""

from django.dispatch import Signal

course_completed = Signal()
enrolments_created = Signal()
lesson_completed = Signal()
