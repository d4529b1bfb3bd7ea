"""Manifest parsing, the stored sequencing definition and the package builder.

No database: `manifest_parse` is pure, and packages are built in memory.
"""

import io
import json
import zipfile

import pytest
from django.utils import translation

from scorm.devtools.package_builder import ScoSpec, manifest_xml, package_build, probe_sco_html
from scorm.manifest import (
    Manifest,
    launch_url_join,
    manifest_parse,
    manifest_summary_lines,
)


@pytest.fixture(autouse=True)
def _english():
    """These tests read the English messages; Thai is the site's default language."""
    with translation.override("en"):
        yield


NS_2004 = (
    'xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" '
    'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" '
    'xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3" '
    'xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3" '
    'xmlns:imsss="http://www.imsglobal.org/xsd/imsss"'
)


def manifest_2004(
    items: str,
    resources: str = "",
    *,
    schemaversion: str = "2004 4th Edition",
    manifest_attributes: str = "",
    after_resources: str = "",
) -> bytes:
    """A hand-written 2004 manifest around `items` (the organisation's content)."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<manifest identifier="HAND" {NS_2004} {manifest_attributes}>\n'
        f"  <metadata><schema>ADL SCORM</schema><schemaversion>{schemaversion}</schemaversion></metadata>\n"
        f'  <organizations default="ORG"><organization identifier="ORG"><title>Course</title>\n'
        f"{items}\n"
        f"  </organization></organizations>\n"
        f"  <resources>{resources}</resources>\n"
        f"{after_resources}"
        f"</manifest>\n"
    ).encode()


def sco_resource(identifier: str = "R1", href: str = "index.html", extra: str = "") -> str:
    return (
        f'<resource identifier="{identifier}" type="webcontent" adlcp:scormType="sco" href="{href}" {extra}/>'
    )


def codes(problems) -> list[str]:
    return [problem.code for problem in problems]


def zip_names(package: bytes) -> set[str]:
    return set(zipfile.ZipFile(io.BytesIO(package)).namelist())


def parse_package(package: bytes) -> Manifest:
    archive = zipfile.ZipFile(io.BytesIO(package))
    return manifest_parse(archive.read("imsmanifest.xml"), package_files=set(archive.namelist()))


# ---- versions and editions


def test_scorm12_single_sco_with_mastery_score():
    package = package_build(version="1.2", scos=[ScoSpec("SCO-1", "  บทที่ 1  ", mastery_score=80)])

    manifest = parse_package(package)

    assert manifest.errors == []
    assert manifest.warnings == []
    assert (manifest.version, manifest.edition, manifest.schemaversion) == ("1.2", None, "1.2")
    assert manifest.default_organisation == "ORG-1"
    [item] = manifest.launchable_items()
    assert item.title == "บทที่ 1"
    assert item.scorm_type == "sco"
    assert item.href == item.launch_url == "index.html"
    assert item.mastery_score == 80.0
    assert manifest.sequencing_settings() == {}


def test_scorm12_item_extensions():
    xml = manifest_xml(version="1.2").replace(
        "<title>Lesson 1</title>",
        "<title>Lesson 1</title>"
        "<adlcp:prerequisites type='aicc_script'>SCO-0</adlcp:prerequisites>"
        "<adlcp:maxtimeallowed>00:30:00</adlcp:maxtimeallowed>"
        "<adlcp:timelimitaction>exit,message</adlcp:timelimitaction>"
        "<adlcp:datafromlms>level=2</adlcp:datafromlms>"
        "<adlcp:masteryscore>70.5</adlcp:masteryscore>",
    )

    [item] = manifest_parse(xml.encode()).items

    assert item.prerequisites == "SCO-0"
    assert item.max_time_allowed == "00:30:00"
    assert item.time_limit_action == "exit,message"
    assert item.data_from_lms == "level=2"
    assert item.mastery_score == 70.5


def test_scorm12_content_packaging_namespace_of_2004_is_still_12():
    # Some tools write the imscp_v1p1 namespace with the 1.2 ADL namespace: ADL decides.
    xml = manifest_xml(version="1.2").replace(
        "http://www.imsproject.org/xsd/imscp_rootv1p1p2", "http://www.imsglobal.org/xsd/imscp_v1p1"
    )

    manifest = manifest_parse(xml.encode())

    assert manifest.errors == []
    assert manifest.version == "1.2"
    assert manifest.items[0].scorm_type == "sco"


@pytest.mark.parametrize(
    ("edition", "schemaversion"),
    [("2nd", "CAM 1.3"), ("3rd", "2004 3rd Edition"), ("4th", "2004 4th Edition")],
)
def test_scorm2004_editions_are_detected(edition, schemaversion):
    manifest = manifest_parse(manifest_xml(version="2004", edition=edition).encode())

    assert manifest.errors == []
    assert manifest.warnings == []
    assert (manifest.version, manifest.edition, manifest.schemaversion) == ("2004", edition, schemaversion)


@pytest.mark.parametrize(
    ("scos", "edition"),
    [
        ([ScoSpec("SCO-1", "One")], "3rd"),
        ([ScoSpec("SCO-1", "One", completion_threshold=0.5)], "4th"),  # 4th-ed. attributes
    ],
)
def test_missing_schemaversion_imports_with_a_warning(scos, edition):
    manifest = manifest_parse(
        manifest_xml(version="2004", edition="4th", scos=scos, schemaversion=None).encode()
    )

    assert manifest.errors == []
    assert manifest.schemaversion is None
    assert (manifest.version, manifest.edition) == ("2004", edition)
    assert codes(manifest.warnings) == ["schemaversion-missing"]
    assert len(manifest.launchable_items()) == 1


def test_missing_schemaversion_in_scorm12_is_detected_from_namespaces():
    manifest = manifest_parse(manifest_xml(version="1.2", schemaversion=None).encode())

    assert manifest.errors == []
    assert manifest.version == "1.2"
    assert codes(manifest.warnings) == ["schemaversion-missing"]


def test_unknown_schemaversion_is_a_warning():
    manifest = manifest_parse(manifest_xml(version="2004", schemaversion="2004 5th Edition").encode())

    assert manifest.errors == []
    assert manifest.version == "2004"
    assert codes(manifest.warnings) == ["schemaversion-unknown"]
    assert "2004 5th Edition" in manifest.warnings[0].message


def test_version_cannot_be_told_without_adl_namespace_or_schemaversion():
    xml = (
        b'<manifest identifier="X" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1">'
        b'<organizations default="O"><organization identifier="O"><title>T</title></organization>'
        b"</organizations><resources/></manifest>"
    )

    manifest = manifest_parse(xml)

    assert codes(manifest.errors) == ["version-unknown"]
    assert manifest.errors[0].element == "manifest/metadata/schemaversion"


def test_a_root_element_that_is_not_a_manifest_is_refused():
    manifest = manifest_parse(b'<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>')

    assert codes(manifest.errors) == ["manifest-not-content-package"]


# ---- structure and launch paths


def test_nested_items_keep_document_order_and_hidden_items():
    scos = [
        ScoSpec("INTRO", "Introduction", href="intro.html"),
        ScoSpec(
            "MODULE-1",
            "Module 1",
            children=[
                ScoSpec("M1-A", "Part A", href="m1/a.html"),
                ScoSpec("M1-SECRET", "Answers", href="m1/answers.html", is_visible=False),
            ],
        ),
        ScoSpec("QUIZ", "Quiz", href="quiz.html", scorm_type="asset"),
    ]

    manifest = parse_package(package_build(version="2004", scos=scos))

    assert manifest.errors == []
    assert [item.identifier for item in manifest.items] == ["INTRO", "MODULE-1", "QUIZ"]
    module = manifest.items[1]
    assert module.href == ""
    assert [child.identifier for child in module.children] == ["M1-A", "M1-SECRET"]
    assert module.children[1].is_visible is False
    assert [item.identifier for item in manifest.launchable_items()] == ["INTRO", "M1-A", "M1-SECRET", "QUIZ"]
    assert manifest.items[2].scorm_type == "asset"
    tree = manifest.sequencing_settings()["activityTree"]
    assert tree["children"][1]["children"][1] == {"id": "M1-SECRET", "title": "Answers", "isVisible": False}


def test_xml_base_of_manifest_resources_and_resource_combine():
    xml = manifest_2004(
        '<item identifier="I1" identifierref="R1"><title>One</title></item>'
        '<item identifier="I2" identifierref="R2"><title>Two</title></item>',
        '<resource identifier="R1" type="webcontent" adlcp:scormType="sco" xml:base="lesson1/"'
        ' href="start.html?page=1"><file href="start.html"/><file href="img/a.png"/></resource>'
        '<resource identifier="R2" type="webcontent" adlcp:scormType="asset" xml:base="../shared/"'
        ' href="./doc.html"/>',
        manifest_attributes='xml:base="course/"',
    ).replace(b"<resources>", b'<resources xml:base="content/">')

    manifest = manifest_parse(
        xml,
        package_files={
            "course/content/lesson1/start.html",
            "course/content/lesson1/img/a.png",
            "course/shared/doc.html",
        },
    )

    assert manifest.errors == []
    one, two = manifest.items
    assert one.href == "course/content/lesson1/start.html?page=1"
    assert manifest.resources["R1"].files == [
        "course/content/lesson1/start.html",
        "course/content/lesson1/img/a.png",
    ]
    assert manifest.resources["R1"].base == "course/content/lesson1"
    assert two.href == "course/shared/doc.html"


def test_xml_base_that_leaves_the_package_is_an_error():
    xml = manifest_2004(
        '<item identifier="I1" identifierref="R1"><title>One</title></item>',
        sco_resource(extra='xml:base="../../"'),
    )

    manifest = manifest_parse(xml, package_files={"index.html"})

    assert codes(manifest.errors) == ["launch-outside-package"]


def test_web_address_launch_is_not_looked_for_in_the_package():
    xml = manifest_2004(
        '<item identifier="I1" identifierref="R1"><title>One</title></item>',
        sco_resource(href="https://example.org/course/start.html"),
    )

    manifest = manifest_parse(xml, package_files=set())

    assert manifest.errors == []
    assert manifest.items[0].launch_url == "https://example.org/course/start.html"


@pytest.mark.parametrize(
    ("href", "parameters", "expected"),
    [
        ("a.html", "", "a.html"),
        ("a.html", "y=2", "a.html?y=2"),
        ("a.html", "?y=2", "a.html?y=2"),
        ("a.html?x=1", "&y=2", "a.html?x=1&y=2"),
        ("a.html?x=1", "?y=2", "a.html?x=1&y=2"),
        ("a.html?", "y=2", "a.html?y=2"),
        ("a.html", "#part-2", "a.html#part-2"),
        ("a.html#top", "#part-2", "a.html#top"),
        ("a.html#top", "y=2", "a.html?y=2#top"),
        ("a.html", "?y=2#part-2", "a.html?y=2#part-2"),
    ],
)
def test_launch_url_join(href, parameters, expected):
    assert launch_url_join(href, parameters) == expected


def test_item_parameters_are_joined_to_the_resource_href():
    scos = [
        ScoSpec("A", "A", href="a.html?x=1", parameters="&y=2"),
        ScoSpec("B", "B", href="b.html", parameters="?chapter=3"),
        ScoSpec("C", "C", href="c.html", parameters="#slide-4"),
    ]

    manifest = parse_package(package_build(version="1.2", scos=scos))

    assert manifest.errors == []
    assert [item.launch_url for item in manifest.items] == [
        "a.html?x=1&y=2",
        "b.html?chapter=3",
        "c.html#slide-4",
    ]
    assert manifest.items[0].href == "a.html?x=1"


def test_backslashes_in_href_are_read_as_slashes_with_a_warning():
    xml = manifest_xml(version="1.2", scos=[ScoSpec("S", "S", href="content\\start.html")])

    manifest = manifest_parse(xml.encode(), package_files={"content/start.html"})

    assert manifest.errors == []
    assert codes(manifest.warnings) == ["href-backslash"]
    assert manifest.items[0].href == "content/start.html"


def test_as_dict_is_json_with_launchable_items():
    manifest = manifest_parse(
        manifest_xml(version="1.2", scos=[ScoSpec("S", "S", mastery_score=50)]).encode()
    )

    data = json.loads(json.dumps(manifest.as_dict()))

    assert data["launchable_items"] == ["S"]
    assert data["items"][0]["mastery_score"] == 50.0
    assert data["sequencing"] == {}


# ---- 2004 launch values


def test_completion_threshold_third_edition_is_element_text():
    manifest = manifest_parse(
        manifest_xml(
            version="2004", edition="3rd", scos=[ScoSpec("S", "S", completion_threshold=0.8)]
        ).encode()
    )

    [item] = manifest.items
    assert (item.completion_threshold, item.completed_by_measure) == (0.8, True)
    assert item.sequencing["completionThreshold"] == {"completedByMeasure": True, "minProgressMeasure": 0.8}


def test_completion_threshold_fourth_edition_attributes():
    xml = manifest_2004(
        '<item identifier="I1" identifierref="R1"><title>One</title>'
        '<adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.75"'
        ' progressWeight="0.5"/>'
        "</item>"
        '<item identifier="I2" identifierref="R1"><title>Two</title>'
        '<adlcp:completionThreshold completedByMeasure="false" minProgressMeasure="0.6"/></item>'
        '<item identifier="I3" identifierref="R1"><title>Three</title>'
        '<adlcp:completionThreshold completedByMeasure="true"/></item>',
        sco_resource(),
    )

    one, two, three = manifest_parse(xml).items

    assert (one.completion_threshold, one.completed_by_measure, one.progress_weight) == (0.75, True, 0.5)
    assert one.sequencing["completionThreshold"] == {
        "completedByMeasure": True,
        "minProgressMeasure": 0.75,
        "progressWeight": 0.5,
    }
    # Not completed by measure: the threshold is not in force, but is passed on as written.
    assert (two.completion_threshold, two.completed_by_measure) == (None, False)
    assert two.sequencing["completionThreshold"] == {"completedByMeasure": False, "minProgressMeasure": 0.6}
    assert three.completion_threshold == 1.0  # minProgressMeasure defaults to 1.0


def test_scaled_passing_score_comes_from_the_primary_objective():
    xml = manifest_2004(
        '<item identifier="I1" identifierref="R1"><title>One</title><imsss:sequencing><imsss:objectives>'
        '<imsss:primaryObjective objectiveID="P1" satisfiedByMeasure="true">'
        "<imsss:minNormalizedMeasure>0.7</imsss:minNormalizedMeasure></imsss:primaryObjective>"
        "</imsss:objectives></imsss:sequencing></item>"
        '<item identifier="I2" identifierref="R1"><title>Two</title><imsss:sequencing><imsss:objectives>'
        '<imsss:primaryObjective satisfiedByMeasure="true"/></imsss:objectives></imsss:sequencing></item>'
        '<item identifier="I3" identifierref="R1"><title>Three</title><imsss:sequencing><imsss:objectives>'
        '<imsss:primaryObjective objectiveID="P3">'
        "<imsss:minNormalizedMeasure>0.9</imsss:minNormalizedMeasure>"
        "</imsss:primaryObjective></imsss:objectives></imsss:sequencing></item>",
        sco_resource(),
    )

    one, two, three = manifest_parse(xml).items

    assert one.scaled_passing_score == 0.7
    assert one.sequencing["primaryObjective"] == {
        "objectiveID": "P1",
        "satisfiedByMeasure": True,
        "minNormalizedMeasure": 0.7,
    }
    assert two.scaled_passing_score == 1.0  # minNormalizedMeasure defaults to 1.0
    assert two.sequencing["primaryObjective"]["objectiveID"] == "I2"  # objectives are kept by ID
    assert three.scaled_passing_score is None  # not satisfied by measure


def test_other_2004_item_extensions():
    xml = manifest_2004(
        '<item identifier="I1" identifierref="R1"><title>One</title>'
        "<adlcp:timeLimitAction>exit,message</adlcp:timeLimitAction>"
        "<adlcp:dataFromLMS> level=2 </adlcp:dataFromLMS>"
        '<imsss:sequencing><imsss:limitConditions attemptLimit="3" attemptAbsoluteDurationLimit="PT1H"/>'
        "</imsss:sequencing></item>",
        sco_resource(),
    )

    [item] = manifest_parse(xml).items

    assert item.time_limit_action == "exit,message"
    assert item.data_from_lms == " level=2 "  # passed to the SCO verbatim
    assert item.max_time_allowed == "PT1H"
    assert item.sequencing == {"attemptLimit": 3, "attemptAbsoluteDurationLimit": "PT1H"}


# ---- sequencing → the stored sequencing definition


SEQUENCED_ITEMS = """
<item identifier="PRE" identifierref="R1"><title>Pre-test</title>
  <imsss:sequencing>
    <imsss:objectives>
      <imsss:primaryObjective objectiveID="pre-obj" satisfiedByMeasure="true">
        <imsss:minNormalizedMeasure>0.8</imsss:minNormalizedMeasure>
        <imsss:mapInfo targetObjectiveID="obj-x" readSatisfiedStatus="false" writeSatisfiedStatus="true"/>
      </imsss:primaryObjective>
    </imsss:objectives>
    <imsss:deliveryControls tracked="true" objectiveSetByContent="true"/>
  </imsss:sequencing>
</item>
<item identifier="LESSON" identifierref="R1"><title>Lesson</title>
  <imsss:sequencing IDRef="shared-rules">
    <imsss:sequencingRules>
      <imsss:preConditionRule>
        <imsss:ruleConditions conditionCombination="any">
          <imsss:ruleCondition referencedObjective="lesson-obj" condition="satisfied"/>
          <imsss:ruleCondition operator="not" condition="objectiveMeasureGreaterThan" measureThreshold="0.5"/>
        </imsss:ruleConditions>
        <imsss:ruleAction action="skip"/>
      </imsss:preConditionRule>
      <imsss:postConditionRule>
        <imsss:ruleConditions><imsss:ruleCondition condition="always"/></imsss:ruleConditions>
        <imsss:ruleAction action="continue"/>
      </imsss:postConditionRule>
    </imsss:sequencingRules>
    <imsss:objectives>
      <imsss:primaryObjective objectiveID="lesson-obj">
        <imsss:mapInfo targetObjectiveID="obj-x" readSatisfiedStatus="true"/>
      </imsss:primaryObjective>
      <imsss:objective objectiveID="extra"/>
    </imsss:objectives>
    <adlseq:objectives>
      <adlseq:objective objectiveID="lesson-obj">
        <adlseq:mapInfo targetObjectiveID="obj-x" readRawScore="true" writeCompletionStatus="true"/>
      </adlseq:objective>
    </adlseq:objectives>
  </imsss:sequencing>
  <adlnav:presentation><adlnav:navigationInterface>
    <adlnav:hideLMSUI>continue</adlnav:hideLMSUI><adlnav:hideLMSUI>previous</adlnav:hideLMSUI>
  </adlnav:navigationInterface></adlnav:presentation>
</item>
<imsss:sequencing>
  <imsss:controlMode choice="true" flow="true" forwardOnly="false"/>
  <imsss:rollupRules rollupObjectiveSatisfied="true" objectiveMeasureWeight="1.0">
    <imsss:rollupRule childActivitySet="atLeastPercent" minimumPercent="0.5">
      <imsss:rollupConditions conditionCombination="all">
        <imsss:rollupCondition condition="satisfied"/>
        <imsss:rollupCondition operator="not" condition="activityProgressKnown"/>
      </imsss:rollupConditions>
      <imsss:rollupAction action="satisfied"/>
    </imsss:rollupRule>
  </imsss:rollupRules>
  <imsss:randomizationControls reorderChildren="true" randomizationTiming="onEachNewAttempt" selectCount="1"/>
  <adlseq:constrainedChoiceConsiderations preventActivation="true"/>
  <adlseq:rollupConsiderations requiredForSatisfied="ifAttempted" measureSatisfactionIfActive="false"/>
</imsss:sequencing>
"""

SEQUENCING_COLLECTION = """
<imsss:sequencingCollection>
  <imsss:sequencing ID="shared-rules">
    <imsss:controlMode choiceExit="false"/>
    <imsss:limitConditions attemptLimit="2"/>
    <imsss:deliveryControls completionSetByContent="true"/>
  </imsss:sequencing>
</imsss:sequencingCollection>
"""


@pytest.fixture
def sequenced() -> Manifest:
    manifest = manifest_parse(
        manifest_2004(SEQUENCED_ITEMS, sco_resource(), after_resources=SEQUENCING_COLLECTION),
        package_files={"index.html"},
    )
    assert manifest.errors == []
    # The organisation shuffles its children, which Thaksa does not do yet, and says so.
    assert [problem.code for problem in manifest.warnings] == ["sequencing-not-followed-randomization"]
    return manifest


def test_organisation_is_the_root_activity_with_control_mode_and_rollup(sequenced):
    root = sequenced.sequencing_settings()["activityTree"]

    assert (root["id"], root["title"]) == ("ORG", "Course")
    assert [child["id"] for child in root["children"]] == ["PRE", "LESSON"]
    assert root["sequencingControls"] == {
        "choice": True,
        "flow": True,
        "forwardOnly": False,
        "rollupObjectiveSatisfied": True,
        "objectiveMeasureWeight": 1.0,
        "randomizationTiming": "onEachNewAttempt",
        "selectCount": 1,
        "randomizeChildren": True,
        "preventActivation": True,
    }
    assert root["rollupRules"] == {
        "rules": [
            {
                "action": "satisfied",
                "consideration": "atLeastPercent",
                "minimumPercent": 50.0,  # stored in percent
                "conditionCombination": "all",
                "conditions": [
                    {"condition": "satisfied"},
                    {"condition": "progressKnown", "operator": "not"},
                ],
            }
        ]
    }
    assert root["rollupConsiderations"] == {
        "requiredForSatisfied": "ifAttempted",
        "measureSatisfactionIfActive": False,
    }


def test_pre_and_post_condition_rules(sequenced):
    lesson = sequenced.sequencing_settings()["activityTree"]["children"][1]

    assert lesson["sequencingRules"] == {
        "preConditionRules": [
            {
                "action": "skip",
                "conditionCombination": "any",
                "conditions": [
                    {"condition": "satisfied", "referencedObjective": "lesson-obj"},
                    {
                        "condition": "objectiveMeasureGreaterThan",
                        "operator": "not",
                        "parameters": {"threshold": 0.5},
                    },
                ],
            }
        ],
        "postConditionRules": [{"action": "continue", "conditions": [{"condition": "always"}]}],
    }


def test_objectives_map_to_global_objectives(sequenced):
    pre, lesson = sequenced.sequencing_settings()["activityTree"]["children"]

    assert pre["primaryObjective"]["mapInfo"] == [
        {"targetObjectiveID": "obj-x", "readSatisfiedStatus": False, "writeSatisfiedStatus": True}
    ]
    assert pre["deliveryControls"] == {"tracked": True, "objectiveSetByContent": True}
    # The 4th-ed. adlseq extension adds its flags to the imsss map of the same objective.
    assert lesson["primaryObjective"]["mapInfo"] == [
        {
            "targetObjectiveID": "obj-x",
            "readSatisfiedStatus": True,
            "readRawScore": True,
            "writeCompletionStatus": True,
        }
    ]
    assert lesson["objectives"] == [{"objectiveID": "extra"}]
    assert sequenced.items[0].scaled_passing_score == 0.8


def test_sequencing_collection_is_referenced_and_its_extras_copied(sequenced):
    settings = sequenced.sequencing_settings()
    lesson = settings["activityTree"]["children"][1]

    assert settings["collections"] == {"shared-rules": {"sequencingControls": {"choiceExit": False}}}
    assert lesson["sequencingIdRef"] == "shared-rules"
    # A stored collection keeps no limits or delivery controls: they are on the activity.
    assert lesson["attemptLimit"] == 2
    assert lesson["deliveryControls"] == {"completionSetByContent": True}
    assert sequenced.sequencing_collections["shared-rules"]["attemptLimit"] == 2


def test_hide_lms_ui(sequenced):
    lesson = sequenced.sequencing_settings()["activityTree"]["children"][1]

    assert lesson["hideLmsUi"] == ["continue", "previous"]


def test_sequencing_settings_are_json_and_summarised(sequenced):
    json.dumps(sequenced.sequencing_settings())
    json.dumps(sequenced.as_dict())
    lines = manifest_summary_lines(sequenced)

    assert "  ORG: flow, choice, no forward only; rollup: 1 rule" in lines
    assert any(
        line.startswith("  LESSON: 1 pre-condition rule; 1 post-condition rule; global objectives: obj-x")
        for line in lines
    )
    assert "  collection shared-rules: no choice exit; attempt limit 2" in lines


def test_sequencing_idref_to_an_unknown_collection_is_an_error():
    xml = manifest_2004(
        '<item identifier="I1" identifierref="R1"><title>One</title><imsss:sequencing IDRef="nope"/></item>',
        sco_resource(),
    )

    manifest = manifest_parse(xml)

    assert codes(manifest.errors) == ["sequencing-collection-unknown"]
    assert "nope" in manifest.errors[0].message


def test_invalid_sequencing_values_are_warnings_and_ignored():
    xml = manifest_2004(
        '<item identifier="I1" identifierref="R1"><title>One</title><imsss:sequencing>'
        '<imsss:controlMode flow="yes"/>'
        "<imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions>"
        '<imsss:ruleCondition condition="satisfied"/></imsss:ruleConditions>'
        '<imsss:ruleAction action="exitAll"/></imsss:preConditionRule></imsss:sequencingRules>'
        "</imsss:sequencing></item>",
        sco_resource(),
    )

    manifest = manifest_parse(xml)

    assert manifest.errors == []
    assert codes(manifest.warnings) == ["value-invalid", "value-invalid", "sequencing-rule-ignored"]
    assert manifest.items[0].sequencing == {}


def test_fourth_edition_shared_data():
    xml = manifest_2004(
        '<item identifier="I1" identifierref="R1"><title>One</title><adlcp:data>'
        '<adlcp:map targetID="notes" readSharedData="true" writeSharedData="true"/>'
        '<adlcp:map targetID="prefs"/></adlcp:data></item>'
        '<item identifier="I2" identifierref="R1"><title>Two</title><adlcp:data>'
        '<adlcp:map targetID="notes" writeSharedData="false"/></adlcp:data></item>',
        sco_resource(),
        schemaversion="2004 4th Edition",
    )

    manifest = manifest_parse(xml)

    assert manifest.errors == []
    one, two = manifest.items
    # Both flags default to true in the CAM; they are written out in full.
    assert one.shared_data_maps == [
        {"targetID": "notes", "readSharedData": True, "writeSharedData": True},
        {"targetID": "prefs", "readSharedData": True, "writeSharedData": True},
    ]
    assert two.sequencing["sharedDataMaps"] == [
        {"targetID": "notes", "readSharedData": True, "writeSharedData": False}
    ]
    assert manifest.shared_data == [
        {"targetID": "notes", "readers": ["I1", "I2"], "writers": ["I1"]},
        {"targetID": "prefs", "readers": ["I1"], "writers": ["I1"]},
    ]
    assert manifest.shared_data_global_to_system is True


# ---- errors


def test_malformed_xml_reports_the_line():
    manifest = manifest_parse(b'<?xml version="1.0"?>\n<manifest>\n  <organizations>\n</manifest>\n')

    [error] = manifest.errors
    assert error.code == "manifest-malformed"
    assert "line 4" in error.message
    assert error.file == "imsmanifest.xml"
    assert manifest.items == []


def test_empty_manifest_is_malformed():
    assert codes(manifest_parse(b"").errors) == ["manifest-malformed"]


def test_entity_declarations_are_refused():
    xml = b'<!DOCTYPE manifest [<!ENTITY big "x">]><manifest>&big;</manifest>'

    assert codes(manifest_parse(xml).errors) == ["manifest-unsafe-xml"]


def test_wrong_default_organisation_names_the_asked_and_existing_ones():
    manifest = manifest_parse(manifest_xml(version="2004", default_organisation="ORG-TYPO").encode())

    [error] = manifest.errors
    assert error.code == "default-organization-unknown"
    assert "ORG-TYPO" in error.message
    assert "ORG-1" in error.message
    assert "ORG-1" in error.expected
    assert manifest.organisations == ["ORG-1"]
    assert manifest.items == []


def test_missing_default_organisation_falls_back_to_the_first_with_a_warning():
    xml = manifest_xml(version="1.2").replace(' default="ORG-1"', "")

    manifest = manifest_parse(xml.encode())

    assert manifest.errors == []
    assert codes(manifest.warnings) == ["default-organization-missing"]
    assert manifest.default_organisation == "ORG-1"
    assert len(manifest.launchable_items()) == 1


def test_identifierref_to_no_resource():
    xml = manifest_xml(version="1.2").replace('identifierref="RES-SCO-1"', 'identifierref="RES-GONE"')

    manifest = manifest_parse(xml.encode())

    assert codes(manifest.errors) == ["item-resource-unknown", "no-launchable-item"]
    error = manifest.errors[0]
    assert "RES-GONE" in error.message
    assert error.element == "organization[@identifier='ORG-1']/item[@identifier='SCO-1']"
    assert "RES-SCO-1" in error.expected


def test_missing_launch_file():
    package = package_build(
        version="2004",
        scos=[ScoSpec("SCO-1", "One", href="lesson/start.html", write_file=False), ScoSpec("SCO-2", "Two")],
    )

    manifest = parse_package(package)

    [error] = manifest.errors
    assert error.code == "launch-file-missing"
    assert error.file == "lesson/start.html"
    assert error.element == "resources/resource[@identifier='RES-SCO-1']"
    assert "SCO-1" in error.message
    # The listed <file> is missing too: a warning beside the error.
    assert codes(manifest.warnings) == ["file-missing"]


def test_missing_launch_file_with_other_case_gets_advice():
    manifest = manifest_parse(manifest_xml(version="1.2").encode(), package_files={"Index.html"})

    [error] = manifest.errors
    assert "Index.html" in error.advice


def test_no_organisations():
    xml = manifest_xml(version="1.2")
    start, end = xml.index("  <organizations"), xml.index("  <resources>")
    manifest = manifest_parse((xml[:start] + xml[end:]).encode())

    assert codes(manifest.errors) == ["organizations-missing"]


def test_organisations_without_organisation():
    xml = manifest_xml(version="1.2")
    start, end = xml.index("    <organization "), xml.index("  </organizations>")
    manifest = manifest_parse((xml[:start] + xml[end:]).encode())

    assert codes(manifest.errors) == ["organization-missing"]


def test_no_launchable_item():
    xml = manifest_2004('<item identifier="I1"><title>Only a label</title></item>', sco_resource())

    manifest = manifest_parse(xml)

    assert codes(manifest.errors) == ["no-launchable-item"]
    assert codes(manifest.warnings) == ["item-not-launchable"]


def test_duplicate_item_identifiers():
    scos = [ScoSpec("SAME", "One", href="a.html"), ScoSpec("SAME", "Two", href="b.html")]

    manifest = manifest_parse(manifest_xml(version="1.2", scos=scos).encode())

    assert "identifier-duplicate" in codes(manifest.errors)


def test_resource_without_scorm_type_is_kept_with_a_warning():
    xml = manifest_xml(version="2004").replace(' adlcp:scormType="sco"', "")

    manifest = manifest_parse(xml.encode())

    assert manifest.errors == []
    assert codes(manifest.warnings) == ["scormtype-missing"]
    assert manifest.items[0].scorm_type is None


# ---- summary for scorm_inspect


def test_summary_lines_show_tree_and_problems():
    scos = [
        ScoSpec("SCO-1", "บทที่ 1", mastery_score=80, parameters="?a=1"),
        ScoSpec("MOD", "Module", children=[ScoSpec("SCO-2", "Hidden", href="b.html", is_visible=False)]),
        ScoSpec("SCO-3", "Broken", href="c.html", write_file=False),
    ]

    lines = manifest_summary_lines(parse_package(package_build(version="1.2", scos=scos)))

    assert lines[0] == "SCORM 1.2 — schemaversion: 1.2"
    assert "Default organisation: ORG-1 (organisations: ORG-1)" in lines
    assert "  - บทที่ 1 [SCO-1] — SCO → index.html?a=1; mastery score 80" in lines
    assert "  - Module [MOD]" in lines
    assert "    - Hidden [SCO-2] — SCO → b.html; hidden" in lines
    assert "Errors:" in lines
    assert any("[launch-file-missing]" in line and "c.html" in line for line in lines)
    assert "      file: c.html, element: resources/resource[@identifier='RES-SCO-3']" in lines
    assert any(line.startswith("      advice: ") for line in lines)


def test_summary_of_a_malformed_manifest_still_lists_the_error():
    lines = manifest_summary_lines(manifest_parse(b"<manifest"))

    assert lines[0] == "Errors:"
    assert "[manifest-malformed]" in lines[1]


# ---- builder round trips


def test_builder_round_trip_scorm12():
    scos = [
        ScoSpec("SCO-1", "One", mastery_score=75, parameters="lang=th"),
        ScoSpec("SCO-2", "Two", href="two/start.html", scorm_type="asset", files={"two/style.css": "body{}"}),
    ]

    manifest = manifest_parse(
        manifest_xml(version="1.2", identifier="PKG-12", title="วิชาทดสอบ", scos=scos).encode()
    )

    assert manifest.errors == []
    assert (manifest.identifier, manifest.title, manifest.version) == ("PKG-12", "วิชาทดสอบ", "1.2")
    one, two = manifest.items
    assert (one.identifier, one.title, one.mastery_score, one.launch_url) == (
        "SCO-1",
        "One",
        75.0,
        "index.html?lang=th",
    )
    assert (two.scorm_type, two.href) == ("asset", "two/start.html")
    assert manifest.resources["RES-SCO-2"].files == ["two/start.html", "two/style.css"]


def test_builder_round_trip_scorm2004():
    scos = [
        ScoSpec("SCO-1", "One", completion_threshold=0.9, scaled_passing_score=0.6, hide_lms_ui=["continue"]),
        ScoSpec(
            "SCO-2",
            "Two",
            href="two.html",
            sequencing='<imsss:sequencing IDRef="common"/>',
            scaled_passing_score=0.5,
        ),
    ]

    manifest = manifest_parse(
        manifest_xml(
            version="2004",
            edition="4th",
            scos=scos,
            sequencing='<imsss:controlMode choice="false" flow="true"/>',
            sequencing_collection=(
                '<imsss:sequencing ID="common"><imsss:limitConditions attemptLimit="1"/></imsss:sequencing>'
            ),
        ).encode()
    )

    assert manifest.errors == []
    assert manifest.warnings == []
    assert (manifest.version, manifest.edition) == ("2004", "4th")
    one, two = manifest.items
    assert (one.completion_threshold, one.scaled_passing_score) == (0.9, 0.6)
    assert one.sequencing["hideLmsUi"] == ["continue"]
    assert (two.scaled_passing_score, two.sequencing["sequencingIdRef"]) == (0.5, "common")
    tree = manifest.sequencing_settings()["activityTree"]
    assert tree["sequencingControls"] == {"choice": False, "flow": True}
    assert tree["children"][1]["attemptLimit"] == 1


def test_builder_refuses_values_the_version_cannot_express():
    with pytest.raises(ValueError, match="SCORM 2004"):
        manifest_xml(version="1.2", scos=[ScoSpec("S", "S", scaled_passing_score=0.5)])
    with pytest.raises(ValueError, match=r"SCORM 1\.2"):
        manifest_xml(version="2004", scos=[ScoSpec("S", "S", mastery_score=80)])


def test_builder_hostile_variants():
    assert "imsmanifest.xml" not in zip_names(package_build(manifest_path=None))
    assert "pkg/imsmanifest.xml" in zip_names(package_build(manifest_path="pkg/imsmanifest.xml"))
    malformed = zipfile.ZipFile(io.BytesIO(package_build(manifest_xml="<manifest"))).read("imsmanifest.xml")
    assert malformed == b"<manifest"
    names = zip_names(
        package_build(scos=[ScoSpec("S", "S", href="gone.html", write_file=False)], files={"x.txt": "x"})
    )
    assert names == {"imsmanifest.xml", "x.txt"}


def test_probe_sco_page_has_the_controls_tests_use():
    package = package_build(version="2004", scos=[ScoSpec("S", "บทเรียนสาธิต", intro="ยินดีต้อนรับ")])
    page_2004 = zipfile.ZipFile(io.BytesIO(package)).read("index.html").decode()
    page_12 = probe_sco_html(version="1.2", title="Lesson")

    for page in (page_2004, page_12):
        assert '<html lang="th">' in page
        for element_id in (
            "entry",
            "location",
            "suspend-length",
            "learner-name",
            "status",
            "set-location",
            "location-input",
            "set-score",
            "score-input",
            "complete",
            "pass",
            "fail",
            "suspend-big",
            "suspend-size",
            "exit-suspend",
            "exit-normal",
            "commit",
        ):
            assert f'id="{element_id}"' in page, element_id
        assert "pagehide" in page
    assert 'id="nav-continue"' in page_2004
    assert 'id="nav-continue"' not in page_12
    assert 'var VERSION = "2004"' in page_2004
    assert "บทเรียนสาธิต" in page_2004
    assert "ยินดีต้อนรับ" in page_2004
    assert 'value="10000"' in page_12


# ---- limits: nesting and size


def nested_items(depth: int) -> str:
    """`depth` items each inside the previous one, the innermost launchable."""
    opening = "".join(f'<item identifier="I{level}"><title>{level}</title>' for level in range(depth - 1))
    innermost = f'<item identifier="I{depth - 1}" identifierref="R1"><title>last</title></item>'
    return opening + innermost + "</item>" * (depth - 1)


def test_a_manifest_nested_thousands_of_levels_is_refused_with_a_problem_not_a_crash():
    manifest = manifest_parse(manifest_2004(nested_items(3000), sco_resource()))

    assert codes(manifest.errors) == ["manifest-too-deep"]
    [problem] = manifest.errors
    assert "100 levels" in problem.message
    assert problem.element in {"item", "title"}  # the element found at that depth
    assert "Flatten" in problem.advice


def test_items_nested_deeper_than_the_item_limit_are_an_error_naming_the_item():
    manifest = manifest_parse(manifest_2004(nested_items(60), sco_resource()))

    assert codes(manifest.errors) == ["items-too-deep"]
    assert "item[@identifier='I49']" in manifest.errors[0].element
    assert "50 levels" in manifest.errors[0].message


def test_items_nested_to_the_limit_are_read():
    manifest = manifest_parse(manifest_2004(nested_items(50), sco_resource()))

    assert manifest.errors == []
    assert [item.identifier for item in manifest.launchable_items()] == ["I49"]


def test_more_items_than_the_limit_are_an_error_that_says_how_many():
    items = "".join(
        f'<item identifier="I{n}" identifierref="R1"><title>{n}</title></item>' for n in range(5001)
    )

    manifest = manifest_parse(manifest_2004(items, sco_resource()))

    assert codes(manifest.errors) == ["items-too-many"]
    assert "5001 items" in manifest.errors[0].message
    assert "5000" in manifest.errors[0].message


@pytest.mark.django_db
def test_importing_a_manifest_nested_thousands_of_levels_shows_the_author_why():
    from organisations.tests.factories import ContentPartnerFactory
    from scorm.services.packages import package_import_path

    folder = _package_folder(manifest_2004(nested_items(3000), sco_resource()))
    version = package_import_path(path=folder, partner=ContentPartnerFactory(), title="deep")

    assert version.status == "failed"
    assert [problem["code"] for problem in version.problems] == ["manifest-too-deep"]


def _package_folder(manifest: bytes):
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.mkdtemp())
    (folder / "imsmanifest.xml").write_bytes(manifest)
    (folder / "index.html").write_text("<html></html>")
    return folder


# ---- identifiers compare as XML Schema ID/IDREF values (whitespace collapsed)


def test_a_padded_default_organisation_finds_its_organisation():
    xml = manifest_2004(
        '<item identifier=" I1 " identifierref="R1"><title>One</title></item>', sco_resource()
    ).replace(
        b'<organizations default="ORG"><organization identifier="ORG">',
        b'<organizations default="  ORG\n"><organization identifier=" ORG ">',
    )

    manifest = manifest_parse(xml, package_files={"index.html"})

    assert manifest.errors == []
    assert manifest.default_organisation == "ORG"
    assert [item.identifier for item in manifest.launchable_items()] == ["I1"]


def test_a_padded_identifierref_and_dependency_find_their_resources():
    xml = manifest_2004(
        '<item identifier="I1" identifierref="\tR1  "><title>One</title></item>',
        sco_resource(identifier=" R1 ").replace("/>", '><dependency identifierref="  COMMON "/></resource>')
        + '<resource identifier="COMMON" type="webcontent" adlcp:scormType="asset"/>',
    )

    manifest = manifest_parse(xml, package_files={"index.html"})

    assert manifest.errors == []
    [item] = manifest.launchable_items()
    assert (item.resource_identifier, item.launch_url) == ("R1", "index.html")
    assert manifest.resources["R1"].dependencies == ["COMMON"]
    assert "COMMON" in manifest.resources


def test_a_padded_sequencing_idref_finds_its_collection_entry():
    xml = manifest_2004(
        '<item identifier="I1" identifierref="R1"><title>One</title>'
        '<imsss:sequencing IDRef=" shared  rules "/></item>',
        sco_resource(),
        after_resources='<imsss:sequencingCollection><imsss:sequencing ID="shared rules">'
        '<imsss:controlMode choiceExit="false"/></imsss:sequencing></imsss:sequencingCollection>',
    )

    manifest = manifest_parse(xml, package_files={"index.html"})

    assert manifest.errors == []
    assert manifest.items[0].sequencing["sequencingIdRef"] == "shared rules"
    assert manifest.sequencing_settings()["collections"] == {
        "shared rules": {"sequencingControls": {"choiceExit": False}}
    }


def test_padded_objective_ids_targets_and_referenced_objectives_match():
    xml = manifest_2004(
        '<item identifier="I1" identifierref="R1"><title>One</title><imsss:sequencing>'
        "<imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions>"
        '<imsss:ruleCondition referencedObjective=" obj  one " condition="satisfied"/>'
        '</imsss:ruleConditions><imsss:ruleAction action="skip"/></imsss:preConditionRule>'
        "</imsss:sequencingRules>"
        '<imsss:objectives><imsss:primaryObjective objectiveID="  obj\tone ">'
        '<imsss:mapInfo targetObjectiveID=" global  one "/></imsss:primaryObjective></imsss:objectives>'
        '<adlseq:objectives><adlseq:objective objectiveID="obj one">'
        '<adlseq:mapInfo targetObjectiveID="global one  " writeRawScore="true"/>'
        "</adlseq:objective></adlseq:objectives>"
        "</imsss:sequencing></item>",
        sco_resource(),
    )

    manifest = manifest_parse(xml, package_files={"index.html"})

    assert manifest.errors == []
    assert manifest.warnings == []
    sequencing = manifest.items[0].sequencing
    primary = sequencing["primaryObjective"]
    assert primary["objectiveID"] == "obj one"
    assert primary["mapInfo"] == [{"targetObjectiveID": "global one", "writeRawScore": True}]
    condition = sequencing["sequencingRules"]["preConditionRules"][0]["conditions"][0]
    assert condition["referencedObjective"] == "obj one"


def test_padded_shared_data_targets_are_one_bucket():
    xml = manifest_2004(
        '<item identifier="I1" identifierref="R1"><title>One</title><adlcp:data>'
        '<adlcp:map targetID=" notes "/></adlcp:data></item>'
        '<item identifier="I2" identifierref="R1"><title>Two</title><adlcp:data>'
        '<adlcp:map targetID="notes"/></adlcp:data></item>',
        sco_resource(),
    )

    manifest = manifest_parse(xml, package_files={"index.html"})

    assert [bucket["targetID"] for bucket in manifest.shared_data] == ["notes"]
    assert manifest.shared_data[0]["readers"] == ["I1", "I2"]


# ---- rules the sequencing engine does not follow yet: said at import, once per rule


NOT_FOLLOWED_ITEMS = """
<item identifier="MODULE"><title>Module</title>
  <item identifier="A" identifierref="R1"><title>Part A</title>
    <imsss:sequencing>
      <imsss:sequencingRules><imsss:preConditionRule>
        <imsss:ruleConditions><imsss:ruleCondition condition="timeLimitExceeded"/></imsss:ruleConditions>
        <imsss:ruleAction action="disabled"/>
      </imsss:preConditionRule></imsss:sequencingRules>
      <imsss:limitConditions attemptAbsoluteDurationLimit="PT30M"/>
    </imsss:sequencing>
  </item>
  <item identifier="B" identifierref="R1"><title>Part B</title>
    <imsss:sequencing><imsss:limitConditions activityAbsoluteDurationLimit="PT2H"/></imsss:sequencing>
  </item>
  <imsss:sequencing>
    <imsss:randomizationControls randomizationTiming="onEachNewAttempt" reorderChildren="true"/>
    <adlseq:constrainedChoiceConsiderations constrainChoice="true"/>
  </imsss:sequencing>
</item>
"""


def test_rules_that_are_not_followed_are_named_once_each_with_what_learners_get_instead():
    manifest = manifest_parse(manifest_2004(NOT_FOLLOWED_ITEMS, sco_resource()))

    assert manifest.errors == []
    not_followed = [p for p in manifest.warnings if p.code.startswith("sequencing-not-followed-")]
    assert sorted(p.code for p in not_followed) == [
        "sequencing-not-followed-constrain-choice",
        "sequencing-not-followed-randomization",
        "sequencing-not-followed-time-conditions",
        "sequencing-not-followed-time-limits",  # once, though parts A and B both set a limit
    ]
    by_code = {p.code: p for p in not_followed}
    assert "manifest's order" in by_code["sequencing-not-followed-randomization"].message
    assert (
        "sequencing of A " in by_code["sequencing-not-followed-time-limits"].message
    )  # the first part asking
    assert all(p.severity == "warning" and p.advice for p in not_followed)


def test_the_same_rules_switched_off_are_not_named():
    """The control: randomisation timed "never", constrainChoice false and no time limits or
    time conditions ask for nothing Thaksa leaves out."""
    items = (
        NOT_FOLLOWED_ITEMS.replace('randomizationTiming="onEachNewAttempt"', 'randomizationTiming="never"')
        .replace('constrainChoice="true"', 'constrainChoice="false"')
        .replace('condition="timeLimitExceeded"', 'condition="satisfied"')
        .replace(' attemptAbsoluteDurationLimit="PT30M"', ' attemptLimit="2"')
        .replace(' activityAbsoluteDurationLimit="PT2H"', ' attemptLimit="1"')
    )
    manifest = manifest_parse(manifest_2004(items, sco_resource()))

    assert manifest.errors == []
    assert not [p for p in manifest.warnings if p.code.startswith("sequencing-not-followed-")]
