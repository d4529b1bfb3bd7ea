"""Events other apps react to. Each is sent once, after the transaction that caused it commits.

- `course_completed(sender=Enrolment, enrolment=...)`: a learner has completed a course; the
  hours are already in the ledger. Certificates and analytics connect receivers to it.
"""

from django.dispatch import Signal

course_completed = Signal()
