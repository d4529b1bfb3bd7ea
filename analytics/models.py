"""Pre-computed aggregates the dashboards read (never raw tracking rows).

Every person contributes a handful of numbers to the dashboards: 1 to the staff count, their
completions this fiscal year, their hours, 1 to "needs competency X" and perhaps 1 to "meets
it". `PersonContribution` keeps what each person last contributed; an event about a person
recomputes their contribution from their own rows, and the difference is added to the
`AggregateCell`s of their dimensions (unit, position type, role group, employment type).
A person who moves unit takes their numbers with them: the old cells lose them, the new
ones gain them. Rebuilding from scratch computes every contribution afresh and must give
the same cells (tested on random event sequences).

Only what the dashboards read is kept: every measure multiplies the cells (a gap size or
"holds evidence" per competency were dropped for that reason; the people list reads gaps
from each person's contribution).

Measures (`AggregateCell.measure`; `item` is 0 unless said; fiscal year 0 = "now"):

| measure | fiscal year | item | value per person |
|---|---|---|---|
| staff | 0 | | 1 |
| overdue | 0 | | assigned enrolments past their due date, not completed |
| overdue_people | 0 | | 1 if any |
| competency_required | 0 | node | 1 if their role group requires the node |
| competency_met | 0 | node | 1 if required and their best valid evidence ≥ required level |
| active | FY | | 1 if an enrolment of theirs was open during the year |
| enrolments_course | FY | course | enrolments started in the year |
| completions | FY | | courses completed in the year |
| learners_completed | FY | | 1 if they completed at least one course in the year |
| completions_course | FY | course | completions of that course in the year |
| completions_month | FY | month (1 = October … 12 = September) | completions that month |
| score_course | FY | course | sum of final scores (hundredths) of that course's completions |
| scored_course | FY | course | completions of that course with a score |
| hours | FY | | learning hours credited in the year, in tenths of an hour |
| mandatory_due | FY | | mandatory assignments due in the year |
| mandatory_done | FY | | of those, completed by their due date |
"""

from django.conf import settings
from django.db import models


class Measure(models.TextChoices):
    STAFF = "staff"
    OVERDUE = "overdue"
    OVERDUE_PEOPLE = "overdue_people"
    COMPETENCY_REQUIRED = "competency_required"
    COMPETENCY_MET = "competency_met"
    ACTIVE = "active"
    ENROLMENTS_COURSE = "enrolments_course"
    COMPLETIONS = "completions"
    LEARNERS_COMPLETED = "learners_completed"
    COMPLETIONS_COURSE = "completions_course"
    COMPLETIONS_MONTH = "completions_month"
    SCORE_COURSE = "score_course"
    SCORED_COURSE = "scored_course"
    HOURS = "hours"
    MANDATORY_DUE = "mandatory_due"
    MANDATORY_DONE = "mandatory_done"


SNAPSHOT = 0  # the fiscal year of measures about "now"


class AggregateCell(models.Model):
    """The sum of one measure over the people who share one set of dimensions."""

    fiscal_year = models.PositiveSmallIntegerField()
    unit = models.ForeignKey("organisations.OrganisationUnit", on_delete=models.CASCADE, related_name="+")
    position_type = models.CharField(max_length=32, blank=True)
    role_group_id = models.PositiveIntegerField(default=0)  # 0: no role group
    employment_type = models.CharField(max_length=32, blank=True)
    measure = models.CharField(max_length=32, choices=Measure.choices)
    item = models.PositiveIntegerField(default=0)
    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "fiscal_year",
                    "measure",
                    "item",
                    "unit",
                    "position_type",
                    "role_group_id",
                    "employment_type",
                ],
                name="unique_aggregate_cell",
            )
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year} {self.measure}[{self.item}] = {self.value}"


class PersonContribution(models.Model):
    """What one person last added to the cells: their dimensions and their numbers
    (`values` maps "fiscal_year:measure:item" to a number)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    unit = models.ForeignKey(
        "organisations.OrganisationUnit", on_delete=models.CASCADE, null=True, related_name="+"
    )
    position_type = models.CharField(max_length=32, blank=True)
    role_group_id = models.PositiveIntegerField(default=0)
    employment_type = models.CharField(max_length=32, blank=True)
    values = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["unit"])]

    def __str__(self) -> str:
        return f"contribution of person {self.user_id}"


class ExportJob(models.Model):
    """A large export built in the background, with its progress and the finished file."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32)
    parameters = models.JSONField(default=dict)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="exports/", blank=True)
    filename = models.CharField(max_length=255, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.kind} export {self.pk} ({self.status})"
