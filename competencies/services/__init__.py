"""Writes for competency data: `role_groups` (role groups), `frameworks` (importing a
framework), `evidence` (recording what people can do)."""

from competencies.services.role_groups import role_groups_import

__all__ = ["role_groups_import"]
