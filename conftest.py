"""Fixtures shared by every app's tests."""

import pytest
from django.conf import settings
from django.utils import translation

from organisations.models import OrganisationUnit
from organisations.tests.factories import OrganisationUnitFactory


@pytest.fixture(autouse=True)
def thai_by_default():
    """Every test starts in Thai, the product's default. A request by someone who chose
    English activates English in the test's thread, and nothing else would switch it back."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def fresh_cache():
    """Every test starts with an empty cache: a value cached from another test's (rolled back)
    database, such as the privacy notice in force, would otherwise leak into the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session", autouse=True)
def certificate_signing_keys():
    """Development signing keys for the test run (settings.test points at var/test-keys), made
    once and kept between runs like the real ones."""
    from pathlib import Path

    from django.conf import settings

    from certificates import keys
    from certificates.signing import development_pki

    development_pki.dev_keys_ensure(Path(settings.CERTIFICATES_KEYS_DIR), organisation="Thaksa (tests)")
    keys.keys_forget()


@pytest.fixture
def public_service(db) -> dict[str, OrganisationUnit]:
    """A small public service:

    MIN-A (ministry) ─┬─ DEPT-A1 ─┬─ DIV-A1-HR
                      │           └─ DIV-A1-ICT
                      └─ DEPT-A2 ─── DIV-A2-HR
    MIN-B (ministry) ─── DEPT-B1
    PUB-C (public organisation)
    """
    kind = OrganisationUnit.Kind
    units: dict[str, OrganisationUnit] = {}
    units["MIN-A"] = OrganisationUnitFactory(code="MIN-A", kind=kind.MINISTRY)
    units["DEPT-A1"] = OrganisationUnitFactory(code="DEPT-A1", parent=units["MIN-A"])
    units["DIV-A1-HR"] = OrganisationUnitFactory(
        code="DIV-A1-HR", kind=kind.DIVISION, parent=units["DEPT-A1"]
    )
    units["DIV-A1-ICT"] = OrganisationUnitFactory(
        code="DIV-A1-ICT", kind=kind.DIVISION, parent=units["DEPT-A1"]
    )
    units["DEPT-A2"] = OrganisationUnitFactory(code="DEPT-A2", parent=units["MIN-A"])
    units["DIV-A2-HR"] = OrganisationUnitFactory(
        code="DIV-A2-HR", kind=kind.DIVISION, parent=units["DEPT-A2"]
    )
    units["MIN-B"] = OrganisationUnitFactory(code="MIN-B", kind=kind.MINISTRY)
    units["DEPT-B1"] = OrganisationUnitFactory(code="DEPT-B1", parent=units["MIN-B"])
    units["PUB-C"] = OrganisationUnitFactory(code="PUB-C", kind=kind.PUBLIC_ORGANISATION)
    # Parents cached in memory are stale after children were added; hand out fresh rows.
    return {code: OrganisationUnit.objects.get(pk=unit.pk) for code, unit in units.items()}


@pytest.fixture
def site_tree(transactional_db):
    """The root collection, the home page and the catalogue, for tests that run in real transactions.

    Such tests empty the database when they end, so a later one cannot count on the pages
    the migrations created; this puts them back (each step is idempotent)."""
    from wagtail.models import Collection

    from courses.services import catalogue_ensure
    from themes.services import home_page_ensure

    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    home_page_ensure()
    catalogue_ensure()
