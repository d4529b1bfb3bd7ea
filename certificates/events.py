"""Events other apps react to. Each is sent once, after the transaction that caused it commits.

- `certificate_issued(sender=Certificate, certificate=...)`: a certificate was issued for a
  completed enrolment (a re-issue, a new revision of the same certificate, is not a new one).
- `certificate_revoked(sender=Certificate, certificate=...)`: a certificate was revoked.
"""

from django.dispatch import Signal

certificate_issued = Signal()
certificate_revoked = Signal()
