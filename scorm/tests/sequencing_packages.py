"""SCORM 2004 test packages, one per sequencing rule family, with the SN book's outcome.

Every SCO is the probe SCO of `scorm.devtools.package_builder`, so a browser test (or a person) drives
it with its buttons: `pass`, `fail`, `complete`, `set-score` (+ `score-input`), `exit-normal`,
`exit-suspend`, `nav-continue`. Unless a package says otherwise, every SCO sets its own
completion and success (`deliveryControls completionSetByContent/objectiveSetByContent`), as
authoring tools' quizzes do, so that "nothing reported" stays unknown.

`SEQUENCING_PACKAGES[key].zip_bytes()` builds the zip; `.scenario` and `.expected` say what
a learner does and what the SN book says must follow.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scorm.devtools.package_builder import ScoSpec, package_build

CONTENT_SETS_STATUS = '<imsss:deliveryControls completionSetByContent="true" objectiveSetByContent="true"/>'
# A collection entry every SCO can reference with <imsss:sequencing IDRef="content-sets-status"/>.
CONTENT_SETS_STATUS_COLLECTION = (
    f'<imsss:sequencing ID="content-sets-status">{CONTENT_SETS_STATUS}</imsss:sequencing>'
)


def _condition(
    condition: str, *, negate: bool = False, objective: str = "", threshold: float | None = None
) -> str:
    attributes = f'condition="{condition}"'
    if negate:
        attributes += ' operator="not"'
    if objective:
        attributes += f' referencedObjective="{objective}"'
    if threshold is not None:
        attributes += f' measureThreshold="{threshold:g}"'
    return f"<imsss:ruleCondition {attributes}/>"


def _rule(tag: str, action: str, *conditions: str, combination: str = "all") -> str:
    return (
        f'<imsss:{tag}><imsss:ruleConditions conditionCombination="{combination}">'
        f"{''.join(conditions)}</imsss:ruleConditions>"
        f'<imsss:ruleAction action="{action}"/></imsss:{tag}>'
    )


def _rules(*rules: str) -> str:
    return f"<imsss:sequencingRules>{''.join(rules)}</imsss:sequencingRules>"


def _sco(identifier: str, title: str, sequencing: str = "", **extra) -> ScoSpec:
    """A probe SCO whose content sets its own status; `sequencing` is added before the
    delivery controls (schema order: rules, limits, rollup, objectives, …, delivery)."""
    return ScoSpec(
        identifier,
        title,
        href=f"{identifier.lower()}/index.html",
        sequencing=f"{sequencing}{CONTENT_SETS_STATUS}",
        **extra,
    )


@dataclass(frozen=True)
class SequencingPackage:
    key: str
    title: str
    description: str
    scenario: str
    expected: str
    scos: list[ScoSpec]
    sequencing: str = ""  # the organisation's (root activity's) <imsss:sequencing> content
    collection: str = ""
    build: dict = field(default_factory=dict)

    def zip_bytes(self) -> bytes:
        return package_build(
            version="2004",
            edition="4th",
            identifier=f"PKG-{self.key.upper()}",
            title=self.title,
            scos=self.scos,
            sequencing=self.sequencing,
            sequencing_collection=self.collection,
        )


def _gated_scos(count: int) -> list[ScoSpec]:
    """SCO 1..count; SCO n writes global objective "sco-n-passed"; SCO n+1 reads it into its
    local objective "previous" and is disabled unless it is known and satisfied."""
    scos = []
    for number in range(1, count + 1):
        rules = ""
        local = ""
        if number > 1:
            rules = _rules(
                _rule(
                    "preConditionRule",
                    "disabled",
                    _condition("satisfied", negate=True, objective="previous"),
                    _condition("objectiveStatusKnown", negate=True, objective="previous"),
                    combination="any",
                )
            )
            local = (
                '<imsss:objective objectiveID="previous">'
                f'<imsss:mapInfo targetObjectiveID="sco-{number - 1}-passed" readSatisfiedStatus="true"/>'
                "</imsss:objective>"
            )
        objectives = (
            f'<imsss:objectives><imsss:primaryObjective objectiveID="sco-{number}">'
            f'<imsss:mapInfo targetObjectiveID="sco-{number}-passed" readSatisfiedStatus="false"'
            ' writeSatisfiedStatus="true"/></imsss:primaryObjective>'
            f"{local}</imsss:objectives>"
        )
        scos.append(_sco(f"SCO-{number}", f"บทที่ {number}", rules + objectives))
    return scos


FLOW_ONLY = '<imsss:controlMode choice="false" flow="true"/>'
CHOICE_AND_FLOW = '<imsss:controlMode choice="true" flow="true"/>'

SEQUENCING_PACKAGES: dict[str, SequencingPackage] = {
    package.key: package
    for package in [
        SequencingPackage(
            key="default_rollup",
            title="Default rollup: five SCOs, no rules",
            description=(
                "Five SCOs under an organisation with choice and flow and no rollup rules; each SCO "
                "takes its delivery controls from a sequencing collection entry (IDRef)."
            ),
            scenario="Pass SCO 1 only; then fail one and pass the rest; then pass all five.",
            expected=(
                "Default rules: after SCO 1 alone the course is neither satisfied nor completed "
                "(unknown); with one failed and all attempted it is not satisfied; with all five "
                "passed and completed it is satisfied and completed."
            ),
            scos=[
                ScoSpec(
                    f"SCO-{n}",
                    f"บทที่ {n}",
                    href=f"sco-{n}/index.html",
                    sequencing='<imsss:sequencing IDRef="content-sets-status"/>',
                )
                for n in range(1, 6)
            ],
            sequencing=CHOICE_AND_FLOW,
            collection=CONTENT_SETS_STATUS_COLLECTION,
        ),
        SequencingPackage(
            key="forced_sequential",
            title="Forced sequential order (the field test)",
            description=(
                "Five SCOs, choice off and flow on; SCO n+1 is disabled until SCO n is passed "
                "(a global objective written by SCO n, read by SCO n+1)."
            ),
            scenario=(
                "Start, pass SCO 1, Continue; try to choose SCO 4; fail SCO 2 and Continue; pass "
                "all five in order."
            ),
            expected=(
                "Start delivers SCO 1. After passing it the course is NOT satisfied and NOT "
                "completed; Continue delivers SCO 2; choosing SCO 4 is refused (choice is off). "
                "Continue from a failed SCO 2 is refused (SCO 3 is disabled). All five passed: "
                "satisfied and completed; Continue then ends the session."
            ),
            scos=_gated_scos(5),
            sequencing=FLOW_ONLY,
        ),
        SequencingPackage(
            key="remediation",
            title="Remediation: a failed quiz sends the learner back",
            description=(
                "Lesson then Quiz (passing score 0.8, satisfied by measure); the Quiz has a post-"
                "condition rule: known and not satisfied → previous. Only the Quiz counts for "
                "satisfaction and score (the Lesson: rollupObjectiveSatisfied false, weight 0)."
            ),
            scenario="Start, complete the lesson, Continue, score 50 on the quiz, Continue; then score 90.",
            expected=(
                "After a 50 the Continue from the quiz delivers the Lesson again (a new attempt); "
                "Continue delivers the Quiz again; a 90 satisfies the course and Continue ends the session."
            ),
            scos=[
                _sco(
                    "LESSON",
                    "บทเรียน",
                    '<imsss:rollupRules rollupObjectiveSatisfied="false" objectiveMeasureWeight="0"/>',
                ),
                _sco(
                    "QUIZ",
                    "แบบทดสอบ",
                    _rules(
                        _rule(
                            "postConditionRule",
                            "previous",
                            _condition("objectiveStatusKnown"),
                            _condition("satisfied", negate=True),
                        )
                    ),
                    scaled_passing_score=0.8,
                ),
            ],
            sequencing=FLOW_ONLY,
        ),
        SequencingPackage(
            key="pretest_skip",
            title="Precondition skip: a passed pre-test skips the lesson",
            description=(
                "Pre-test writes global objective 'mastery'; the Lesson reads it and is skipped "
                "when it is satisfied; the Post-test follows."
            ),
            scenario="Pass the pre-test and Continue; in a second registration fail it and Continue.",
            expected="Passed: Continue delivers the Post-test. Failed: Continue delivers the Lesson.",
            scos=[
                _sco(
                    "PRETEST",
                    "แบบทดสอบก่อนเรียน",
                    '<imsss:objectives><imsss:primaryObjective objectiveID="pretest">'
                    '<imsss:mapInfo targetObjectiveID="mastery" readSatisfiedStatus="false" '
                    'writeSatisfiedStatus="true"/></imsss:primaryObjective></imsss:objectives>',
                ),
                _sco(
                    "LESSON",
                    "บทเรียน",
                    _rules(_rule("preConditionRule", "skip", _condition("satisfied")))
                    + '<imsss:objectives><imsss:primaryObjective objectiveID="lesson">'
                    '<imsss:mapInfo targetObjectiveID="mastery" readSatisfiedStatus="true"/>'
                    "</imsss:primaryObjective></imsss:objectives>",
                ),
                _sco("POSTTEST", "แบบทดสอบหลังเรียน"),
            ],
            sequencing=FLOW_ONLY,
        ),
        SequencingPackage(
            key="hidden_from_choice",
            title="hiddenFromChoice: an answer key reached only by flow",
            description=(
                "Three SCOs, choice and flow; 'Answers' has a hiddenFromChoice precondition (always)."
            ),
            scenario="Look at the table of contents; choose Answers; Continue from SCO 1.",
            expected=(
                "Answers is hidden in the table of contents and choosing it is refused; Continue "
                "from SCO 1 delivers it."
            ),
            scos=[
                _sco("INTRO", "บทนำ"),
                _sco(
                    "ANSWERS",
                    "เฉลย",
                    _rules(_rule("preConditionRule", "hiddenFromChoice", _condition("always"))),
                ),
                _sco("SUMMARY", "สรุป"),
            ],
            sequencing=CHOICE_AND_FLOW,
        ),
        SequencingPackage(
            key="attempt_limit",
            title="Limit conditions: two attempts at the exam",
            description="Intro and Exam (attemptLimit 2), choice and flow.",
            scenario=(
                "Choose the Exam, fail, choose Intro, choose the Exam again, fail, choose Intro, "
                "choose the Exam."
            ),
            expected=(
                "The first two choices of the Exam deliver it (attempts 1 and 2); the third is "
                "refused and the Exam is no longer selectable."
            ),
            scos=[
                _sco("INTRO", "บทนำ"),
                _sco("EXAM", "สอบ", '<imsss:limitConditions attemptLimit="2"/>'),
            ],
            sequencing=CHOICE_AND_FLOW,
        ),
        SequencingPackage(
            key="custom_rollup",
            title="Custom rollup rules: two of three, half completed",
            description=(
                "Three SCOs; the organisation is satisfied when at least 2 children are satisfied "
                "(atLeastCount) and completed when at least 50 % are completed (atLeastPercent); "
                "with one action of each pair defined, no default rule applies."
            ),
            scenario="Pass and complete SCO 1; then SCO 2; fail SCO 3.",
            expected=(
                "After SCO 1: unknown. After SCO 2: satisfied and completed. Failing SCO 3 changes "
                "nothing (no notSatisfied rule, and the defaults are off)."
            ),
            scos=[_sco(f"SCO-{n}", f"บทที่ {n}") for n in range(1, 4)],
            sequencing=CHOICE_AND_FLOW
            + "<imsss:rollupRules>"
            + '<imsss:rollupRule childActivitySet="atLeastCount" minimumCount="2"><imsss:rollupConditions>'
            '<imsss:rollupCondition condition="satisfied"/></imsss:rollupConditions>'
            '<imsss:rollupAction action="satisfied"/></imsss:rollupRule>'
            '<imsss:rollupRule childActivitySet="atLeastPercent" minimumPercent="0.5">'
            "<imsss:rollupConditions>"
            '<imsss:rollupCondition condition="completed"/></imsss:rollupConditions>'
            '<imsss:rollupAction action="completed"/></imsss:rollupRule>'
            "</imsss:rollupRules>",
        ),
        SequencingPackage(
            key="rollup_considerations",
            title="A survey that does not count",
            description=(
                "Lesson, Quiz and a Survey whose rollupObjectiveSatisfied and "
                "rollupProgressCompletion are false."
            ),
            scenario="Pass Lesson and Quiz; leave the Survey failed and incomplete.",
            expected="The course is satisfied and completed: the Survey does not contribute.",
            scos=[
                _sco("LESSON", "บทเรียน"),
                _sco("QUIZ", "แบบทดสอบ"),
                _sco(
                    "SURVEY",
                    "แบบสอบถาม",
                    '<imsss:rollupRules rollupObjectiveSatisfied="false" rollupProgressCompletion="false"/>',
                ),
            ],
            sequencing=CHOICE_AND_FLOW,
        ),
        SequencingPackage(
            key="measure_weights",
            title="Measure rollup: weighted scores decide the course",
            description=(
                "The organisation is satisfied by measure (minNormalizedMeasure 0.6); Quiz A weighs "
                "0.75, Quiz B 0.25."
            ),
            scenario="Score 80 on A and 20 on B; then 40 on A and 100 on B.",
            expected="0.8·0.75+0.2·0.25 = 0.65 → satisfied; 0.4·0.75+1.0·0.25 = 0.55 → not satisfied.",
            scos=[
                _sco("QUIZ-A", "แบบทดสอบ ก", '<imsss:rollupRules objectiveMeasureWeight="0.75"/>'),
                _sco("QUIZ-B", "แบบทดสอบ ข", '<imsss:rollupRules objectiveMeasureWeight="0.25"/>'),
            ],
            sequencing=CHOICE_AND_FLOW
            + '<imsss:objectives><imsss:primaryObjective objectiveID="course" satisfiedByMeasure="true">'
            "<imsss:minNormalizedMeasure>0.6</imsss:minNormalizedMeasure>"
            "</imsss:primaryObjective></imsss:objectives>",
        ),
        SequencingPackage(
            key="exit_rules",
            title="Exit rules and exitAll: test out of a module, finish on the final",
            description=(
                "A Module (flow) holds a Pre-test and two lessons; the Module is satisfied when any "
                "child is satisfied and has an exit rule 'satisfied → exit'. The Final SCO has a "
                "post-condition 'always → exitAll'."
            ),
            scenario="Pass the pre-test and Continue; then exit the Final.",
            expected=(
                "Continue after a passed pre-test exits the Module and delivers the Final; exiting "
                "the Final ends the whole session (exitAll)."
            ),
            scos=[
                ScoSpec(
                    "MODULE",
                    "หน่วยที่ 1",
                    children=[
                        _sco("PRETEST", "แบบทดสอบก่อนเรียน"),
                        _sco("LESSON-A", "บทเรียน ก"),
                        _sco("LESSON-B", "บทเรียน ข"),
                    ],
                    sequencing=FLOW_ONLY
                    + _rules(_rule("exitConditionRule", "exit", _condition("satisfied")))
                    + '<imsss:rollupRules><imsss:rollupRule childActivitySet="any"><imsss:rollupConditions>'
                    '<imsss:rollupCondition condition="satisfied"/></imsss:rollupConditions>'
                    '<imsss:rollupAction action="satisfied"/></imsss:rollupRule></imsss:rollupRules>',
                ),
                _sco(
                    "FINAL",
                    "สรุปท้ายหลักสูตร",
                    _rules(_rule("postConditionRule", "exitAll", _condition("always"))),
                ),
            ],
            sequencing=FLOW_ONLY,
        ),
        SequencingPackage(
            key="choice_exit",
            title="choiceExit false: finish the exam before leaving it",
            description="Intro, then an Exam cluster (choiceExit false) with two questions; choice and flow.",
            scenario="Choose question 1; choose question 2; choose the Intro.",
            expected=(
                "Question 2 may be chosen (inside the Exam); the Intro is refused while the Exam is active."
            ),
            scos=[
                _sco("INTRO", "บทนำ"),
                ScoSpec(
                    "EXAM",
                    "สอบ",
                    children=[_sco("Q1", "ข้อ 1"), _sco("Q2", "ข้อ 2")],
                    sequencing='<imsss:controlMode choice="true" choiceExit="false" flow="true"/>',
                ),
            ],
            sequencing=CHOICE_AND_FLOW,
        ),
        SequencingPackage(
            key="forward_only",
            title="forwardOnly: no going back",
            description="Three SCOs, flow with forwardOnly, choice off.",
            scenario="Start, Continue, try Previous.",
            expected="Previous is refused and not offered; Continue is.",
            scos=[_sco(f"SCO-{n}", f"บทที่ {n}") for n in range(1, 4)],
            sequencing='<imsss:controlMode choice="false" flow="true" forwardOnly="true"/>',
        ),
    ]
}
