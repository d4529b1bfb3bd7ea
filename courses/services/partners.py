"""A content partner's place in the platform: its catalogue section, its author and reviewer
groups with their Wagtail permissions, its media collection and its publishing workflow."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from courses.models import CatalogueIndexPage, PartnerSectionPage
from organisations.models import ContentPartner
from people.models import Role, RoleAssignment, User
from people.services import ROLE_GROUPS
from themes.services import home_page_ensure

CATALOGUE_SLUG = "courses"
# Workflow and task names are stored once and shown to authors of either language.
PLATFORM_REVIEW_TASK_NAME = "ตรวจทานโดยแพลตฟอร์ม (Platform review)"

# Neither partner group may publish: publishing happens when the platform review approves.
PARTNER_PAGE_PERMISSIONS = {
    Role.PARTNER_AUTHOR: ["add_page", "change_page", "lock_page"],
    Role.PARTNER_REVIEWER: ["add_page", "change_page", "lock_page", "unlock_page"],
}
PLATFORM_REVIEWER_PAGE_PERMISSIONS = ["change_page", "publish_page", "lock_page", "unlock_page"]
PARTNER_COLLECTION_PERMISSIONS = [
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
]


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def partner_group_name(*, partner: ContentPartner, role: str) -> str:
    label = "authors" if role == Role.PARTNER_AUTHOR else "reviewers"
    return f"Partner {label} · {partner.code}"


@transaction.atomic
def catalogue_ensure() -> CatalogueIndexPage:
    """The catalogue page at /courses/, below the home page. Idempotent."""
    catalogue = CatalogueIndexPage.objects.first()
    if catalogue is None:
        home = home_page_ensure()
        catalogue = home.add_child(
            instance=CatalogueIndexPage(
                title="หลักสูตร",
                slug=CATALOGUE_SLUG,
                introduction_th="<p>ค้นหาหลักสูตรจากมหาวิทยาลัยและสถาบันพันธมิตร</p>",
                introduction_en="<p>Find courses from our partner universities and institutes.</p>",
            )
        )
        catalogue.save_revision().publish()
    # The platform review is the last step of every partner's workflow, and approving the last
    # step publishes as the approver: platform reviewers hold publish permission on the catalogue.
    for codename in PLATFORM_REVIEWER_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=_platform_reviewers(), page=catalogue, permission=_permission(f"wagtailcore.{codename}")
        )
    return catalogue


def _platform_reviewers() -> Group:
    return Group.objects.get_or_create(name=ROLE_GROUPS[Role.PLATFORM_REVIEWER][0])[0]


def _platform_review_task() -> GroupApprovalTask:
    task, _created = GroupApprovalTask.objects.get_or_create(name=PLATFORM_REVIEW_TASK_NAME)
    task.groups.set([_platform_reviewers()])
    return task


@transaction.atomic
def partner_section_ensure(*, partner: ContentPartner) -> PartnerSectionPage:
    """Give a partner everything its people need to author courses. Idempotent.

    - a section of the catalogue, where the partner's courses live;
    - an authors group (add and edit pages in the section, upload images and documents to the
      partner's collection) and a reviewers group (the same, and approving in the workflow);
    - a workflow on the section, partner review → platform review; approving the last task
      publishes. No partner group may publish directly.
    """
    catalogue = catalogue_ensure()
    section = PartnerSectionPage.objects.filter(partner=partner).first()
    if section is None:
        section = catalogue.add_child(
            instance=PartnerSectionPage(title=partner.name_th, slug=partner.code, partner=partner)
        )
        section.save_revision().publish()
    if section.collection is None:
        section.collection = Collection.get_first_root_node().add_child(name=partner.name_th)
        section.save(update_fields=["collection"])

    groups = {}
    access_admin = _permission("wagtailadmin.access_admin")
    for role, page_permissions in PARTNER_PAGE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=partner_group_name(partner=partner, role=role))
        group.permissions.add(access_admin)
        for codename in page_permissions:
            GroupPagePermission.objects.get_or_create(
                group=group, page=section, permission=_permission(f"wagtailcore.{codename}")
            )
        for dotted in PARTNER_COLLECTION_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=section.collection, permission=_permission(dotted)
            )
        groups[role] = group

    partner_review, _created = GroupApprovalTask.objects.get_or_create(
        name=f"ตรวจทานโดยพันธมิตร (Partner review) · {partner.code}"
    )
    partner_review.groups.set([groups[Role.PARTNER_REVIEWER]])
    workflow, _created = Workflow.objects.get_or_create(
        name=f"ตรวจทานก่อนเผยแพร่ (Platform review) · {partner.code}"
    )
    for sort_order, task in enumerate([partner_review, _platform_review_task()]):
        WorkflowTask.objects.update_or_create(
            workflow=workflow, task=task, defaults={"sort_order": sort_order}
        )
    WorkflowPage.objects.update_or_create(page=section, defaults={"workflow": workflow})

    for user in User.objects.filter(role_assignments__partner=partner).distinct():
        partner_group_membership_sync(user=user, partner=partner)
    return section


def partner_group_membership_sync(*, user: User, partner: ContentPartner) -> None:
    """A person is in a partner's authors or reviewers group exactly while they hold that role."""
    for role in PARTNER_PAGE_PERMISSIONS:
        group = Group.objects.filter(name=partner_group_name(partner=partner, role=role)).first()
        if group is None:
            continue
        if RoleAssignment.objects.filter(user=user, role=role, partner=partner).exists():
            user.groups.add(group)
        else:
            user.groups.remove(group)
