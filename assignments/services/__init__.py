"""Writes about assignments: `assignments` (create, new arrivals, deactivate) and `reminders`
(the digests and reminder preferences)."""
