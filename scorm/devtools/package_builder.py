"""Build SCORM packages in memory: for tests, for the browser tests and for the demo course.

`package_build` returns the bytes of a zip; `manifest_xml` returns the manifest alone. Both
take the same arguments. The manifest follows the SCORM 1.2 or 2004 (2nd/3rd/4th edition)
bindings: namespaces, `schemaversion`, `adlcp:scormtype`/`scormType`, item extensions in
schema order. Hostile variants are built from the same arguments:

* no manifest: `manifest_path=None`; manifest in a sub-folder: `manifest_path="pkg/imsmanifest.xml"`;
* malformed or hand-written manifest: `manifest_xml="<manifest"`;
* a launch file that is not in the zip: `ScoSpec(..., write_file=False)`;
* a wrong default organisation: `default_organisation="NOPE"`.

Each SCO without its own `html` gets the *probe SCO* (`probe_sco_html`): a real SCO page that
finds the API, reads and shows its launch data and offers buttons that call the API exactly
as authoring tools do, so browser tests and people can drive a package by hand.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from html import escape as html_escape
from typing import Literal
from xml.sax.saxutils import escape, quoteattr

SCHEMAVERSIONS = {"2nd": "CAM 1.3", "3rd": "2004 3rd Edition", "4th": "2004 4th Edition"}
AUTO = "auto"  # schemaversion: derive from version and edition

# A raw sequencing string that is a whole <imsss:sequencing ...> element rather than its content.
_WHOLE_SEQUENCING = re.compile(r"^\s*<imsss:sequencing[\s/>]")
_SELF_CLOSING_SEQUENCING = re.compile(r"^\s*(<imsss:sequencing\b[^>]*?)\s*/>\s*$")


@dataclass
class ScoSpec:
    """One item of the organisation and, unless it has children, its resource and files.

    `sequencing` is raw XML for the item: the content of its `<imsss:sequencing>`, or a whole
    `<imsss:sequencing ...>` element (e.g. with `IDRef`). The generated primary objective for
    `scaled_passing_score` is inserted before randomization/delivery controls and ADL
    extensions so that the element order stays that of the schema.
    """

    identifier: str
    title: str
    href: str = "index.html"
    html: str | None = None  # None: the probe SCO page
    parameters: str = ""
    mastery_score: float | None = None  # 1.2 only, 0–100
    completion_threshold: float | None = None  # 2004 only, 0–1
    scaled_passing_score: float | None = None  # 2004 only, -1–1
    scorm_type: Literal["sco", "asset"] = "sco"
    is_visible: bool = True
    children: list[ScoSpec] = field(default_factory=list)  # a cluster: no href, no resource
    files: dict[str, bytes | str] = field(default_factory=dict)  # more files of this resource
    write_file: bool = True  # False: the launch file is listed but left out of the zip
    sequencing: str = ""
    hide_lms_ui: list[str] = field(default_factory=list)  # 2004 adlnav:hideLMSUI, e.g. ["continue"]
    intro: str = ""  # text shown on the probe page above the controls (e.g. a demo lesson)

    @property
    def resource_identifier(self) -> str:
        return f"RES-{self.identifier}"


def manifest_xml(
    *,
    version: Literal["1.2", "2004"] = "1.2",
    edition: Literal["2nd", "3rd", "4th"] = "4th",
    identifier: str = "PKG-1",
    title: str = "Test package",
    scos: list[ScoSpec] | None = None,
    schemaversion: str | None = AUTO,
    sequencing: str = "",
    sequencing_collection: str = "",
    default_organisation: str | None = None,
    organisation_identifier: str = "ORG-1",
) -> str:
    """The `imsmanifest.xml` text: the manifest arguments of `package_build`.

    `schemaversion`: AUTO writes the one of the version/edition, None writes none, any other
    text is written as given. `sequencing` is raw XML inside the organisation's
    `<imsss:sequencing>`; `sequencing_collection` raw `<imsss:sequencing ID=...>` elements
    for `<imsss:sequencingCollection>` (2004 only).
    """
    scos = _default_scos(scos)
    _check_specs(version, scos)
    if version == "1.2":
        namespaces = (
            'xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"\n'
            '          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"\n'
            '          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"\n'
            '          xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2'
            " imscp_rootv1p1p2.xsd"
            " http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd"
            ' http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd"'
        )
        written_version = "1.2" if schemaversion == AUTO else schemaversion
    else:
        namespaces = (
            'xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"\n'
            '          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"\n'
            '          xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"\n'
            '          xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"\n'
            '          xmlns:imsss="http://www.imsglobal.org/xsd/imsss"\n'
            '          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"\n'
            '          xsi:schemaLocation="http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd'
            " http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd"
            " http://www.adlnet.org/xsd/adlseq_v1p3 adlseq_v1p3.xsd"
            " http://www.adlnet.org/xsd/adlnav_v1p3 adlnav_v1p3.xsd"
            ' http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd"'
        )
        written_version = SCHEMAVERSIONS[edition] if schemaversion == AUTO else schemaversion

    metadata = "  <metadata>\n    <schema>ADL SCORM</schema>\n"
    if written_version is not None:
        metadata += f"    <schemaversion>{escape(written_version)}</schemaversion>\n"
    metadata += "  </metadata>\n"

    items = "".join(_item_xml(spec, version, edition, depth=3) for spec in scos)
    organisation_sequencing = _sequencing_element(sequencing, depth=3) if sequencing else ""
    default = organisation_identifier if default_organisation is None else default_organisation
    resources = "".join(_resource_xml(spec, version) for spec in _leaves(scos))
    collection = (
        f"  <imsss:sequencingCollection>\n{sequencing_collection}\n  </imsss:sequencingCollection>\n"
        if sequencing_collection
        else ""
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<manifest identifier={quoteattr(identifier)} version="1.0"\n          {namespaces}>\n'
        f"{metadata}"
        f"  <organizations default={quoteattr(default)}>\n"
        f"    <organization identifier={quoteattr(organisation_identifier)}>\n"
        f"      <title>{escape(title)}</title>\n"
        f"{items}{organisation_sequencing}"
        "    </organization>\n"
        "  </organizations>\n"
        f"  <resources>\n{resources}  </resources>\n"
        f"{collection}"
        "</manifest>\n"
    )


def package_build(
    *,
    version: Literal["1.2", "2004"] = "1.2",
    edition: Literal["2nd", "3rd", "4th"] = "4th",
    identifier: str = "PKG-1",
    title: str = "Test package",
    scos: list[ScoSpec] | None = None,
    schemaversion: str | None = AUTO,
    sequencing: str = "",
    sequencing_collection: str = "",
    default_organisation: str | None = None,
    organisation_identifier: str = "ORG-1",
    files: dict[str, bytes | str] | None = None,
    manifest_xml: str | None = None,
    manifest_path: str | None = "imsmanifest.xml",
) -> bytes:
    """A zip of the package: manifest at `manifest_path` (None: no manifest), SCO files, `files`.

    `manifest_xml` replaces the generated manifest text entirely. `files` are extra files
    written as given (not listed in the manifest); they are written last, so they can also
    replace a generated file.
    """
    scos = _default_scos(scos)
    manifest_text = (
        manifest_xml
        if manifest_xml is not None
        else _manifest_text(
            version=version,
            edition=edition,
            identifier=identifier,
            title=title,
            scos=scos,
            schemaversion=schemaversion,
            sequencing=sequencing,
            sequencing_collection=sequencing_collection,
            default_organisation=default_organisation,
            organisation_identifier=organisation_identifier,
        )
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if manifest_path is not None:
            archive.writestr(manifest_path, manifest_text)
        for spec in _leaves(scos):
            if spec.write_file:
                page = (
                    spec.html
                    if spec.html is not None
                    else probe_sco_html(version=version, title=spec.title, intro=spec.intro)
                )
                archive.writestr(spec.href.partition("?")[0], page)
            for path, content in spec.files.items():
                archive.writestr(path, content)
        for path, content in (files or {}).items():
            archive.writestr(path, content)
    return buffer.getvalue()


# package_build's `manifest_xml` argument shadows the function inside it.
_manifest_text = manifest_xml


def _default_scos(scos: list[ScoSpec] | None) -> list[ScoSpec]:
    return scos if scos is not None else [ScoSpec("SCO-1", "Lesson 1")]


def _leaves(specs: list[ScoSpec]) -> list[ScoSpec]:
    return [leaf for spec in specs for leaf in (_leaves(spec.children) if spec.children else [spec])]


def _check_specs(version: str, specs: list[ScoSpec]) -> None:
    """Refuse values the version cannot express rather than silently dropping them."""
    for spec in specs:
        if version == "1.2" and (
            spec.completion_threshold is not None or spec.scaled_passing_score is not None
        ):
            raise ValueError(
                f"{spec.identifier}: completion threshold and scaled passing score are SCORM 2004"
            )
        if version == "1.2" and (spec.sequencing or spec.hide_lms_ui):
            raise ValueError(f"{spec.identifier}: sequencing and navigation controls are SCORM 2004")
        if version == "2004" and spec.mastery_score is not None:
            raise ValueError(f"{spec.identifier}: mastery score is SCORM 1.2; use scaled_passing_score")
        _check_specs(version, spec.children)


def _item_xml(spec: ScoSpec, version: str, edition: str, depth: int) -> str:
    pad = "  " * depth
    attributes = f"identifier={quoteattr(spec.identifier)}"
    if not spec.children:
        attributes += f" identifierref={quoteattr(spec.resource_identifier)}"
    if not spec.is_visible:
        attributes += ' isvisible="false"'
    if spec.parameters:
        attributes += f" parameters={quoteattr(spec.parameters)}"
    body = f"{pad}  <title>{escape(spec.title)}</title>\n"
    body += "".join(_item_xml(child, version, edition, depth + 1) for child in spec.children)
    if version == "1.2":
        if spec.mastery_score is not None:
            body += f"{pad}  <adlcp:masteryscore>{spec.mastery_score:g}</adlcp:masteryscore>\n"
    else:
        if spec.completion_threshold is not None:
            if edition == "4th":
                body += (
                    f'{pad}  <adlcp:completionThreshold completedByMeasure="true"'
                    f' minProgressMeasure="{spec.completion_threshold:g}"/>\n'
                )
            else:
                threshold = f"{spec.completion_threshold:g}"
                body += f"{pad}  <adlcp:completionThreshold>{threshold}</adlcp:completionThreshold>\n"
        sequencing = _with_primary_objective(spec.sequencing, spec.scaled_passing_score)
        if sequencing:
            body += _sequencing_element(sequencing, depth + 1)
        if spec.hide_lms_ui:
            controls = "".join(
                f"<adlnav:hideLMSUI>{escape(name)}</adlnav:hideLMSUI>" for name in spec.hide_lms_ui
            )
            body += (
                f"{pad}  <adlnav:presentation><adlnav:navigationInterface>{controls}"
                "</adlnav:navigationInterface></adlnav:presentation>\n"
            )
    return f"{pad}<item {attributes}>\n{body}{pad}</item>\n"


def _with_primary_objective(sequencing: str, scaled_passing_score: float | None) -> str:
    """Add a primary objective satisfied by measure, in schema order inside the raw XML."""
    if scaled_passing_score is None:
        return sequencing
    # <imsss:sequencing IDRef="x"/> needs a body to hold the objective.
    sequencing = _SELF_CLOSING_SEQUENCING.sub(r"\1></imsss:sequencing>", sequencing)
    objectives = (
        '<imsss:objectives><imsss:primaryObjective objectiveID="PRIMARYOBJ" satisfiedByMeasure="true">'
        f"<imsss:minNormalizedMeasure>{scaled_passing_score:g}</imsss:minNormalizedMeasure>"
        "</imsss:primaryObjective></imsss:objectives>"
    )
    later = [
        sequencing.find(tag)
        for tag in (
            "<imsss:randomizationControls",
            "<imsss:deliveryControls",
            "<adlseq:",
            "</imsss:sequencing>",
        )
    ]
    cut = min((position for position in later if position >= 0), default=len(sequencing))
    return sequencing[:cut] + objectives + sequencing[cut:]


def _sequencing_element(sequencing: str, depth: int) -> str:
    pad = "  " * depth
    if _WHOLE_SEQUENCING.match(sequencing):
        return f"{pad}{sequencing.strip()}\n"
    return f"{pad}<imsss:sequencing>{sequencing}</imsss:sequencing>\n"


def _resource_xml(spec: ScoSpec, version: str) -> str:
    type_attribute = "adlcp:scormtype" if version == "1.2" else "adlcp:scormType"
    launch_file = spec.href.partition("?")[0]
    listed = [launch_file, *(path for path in spec.files if path != launch_file)]
    files = "".join(f"      <file href={quoteattr(path)}/>\n" for path in listed)
    return (
        f'    <resource identifier={quoteattr(spec.resource_identifier)} type="webcontent"'
        f" {type_attribute}={quoteattr(spec.scorm_type)} href={quoteattr(spec.href)}>\n"
        f"{files}    </resource>\n"
    )


# --------------------------------------------------------------------------------------------
# The probe SCO


def probe_sco_html(*, version: Literal["1.2", "2004"] = "1.2", title: str = "บทเรียน", intro: str = "") -> str:
    """A real SCO page in Thai that exercises the run-time API as authoring tools do.

    It finds the API (`API` for 1.2, `API_1484_11` for 2004) in the `window.parent` chain and
    then in `window.opener`'s, initialises on load, shows what it read (`#entry`,
    `#location`, `#suspend-length`, `#learner-name`, `#lesson-status`, `#mastery`), and offers
    controls with stable ids: `set-location` (+ input `location-input`), `set-score`
    (+ `score-input`), `complete`, `pass`, `fail`, `suspend-big` (+ `suspend-size`, default
    10000 characters), `exit-suspend`, `exit-normal`, `nav-continue` (2004 only), `commit`.
    Every call writes `name(args) → result · error code` into `#status`, whose `data-count`
    grows by one per call, so a test can wait for it. The session time is set before
    finishing, and the page finishes itself on `pagehide`/`unload` if the learner did not.
    """
    page = _PROBE_TEMPLATE
    for marker, value in (
        ("__LANG_VERSION__", json.dumps(version)),
        ("__TITLE__", html_escape(title)),
        ("__INTRO__", f'<p id="intro">{html_escape(intro)}</p>' if intro else ""),
        ("__CONTINUE__", _PROBE_CONTINUE if version == "2004" else ""),
        ("__VERSION_LABEL__", "SCORM 2004" if version == "2004" else "SCORM 1.2"),
    ):
        page = page.replace(marker, value)
    return page


_PROBE_CONTINUE = '<button type="button" id="nav-continue">ไปบทถัดไป</button>'

_PROBE_TEMPLATE = """<!DOCTYPE html>
<html lang="th">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>__TITLE__</title>
<style>
  body { font-family: "Noto Sans Thai", "Sarabun", sans-serif; margin: 1.5rem; line-height: 1.6; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
  dt { font-weight: bold; }
  fieldset { margin: 1rem 0; }
  button { margin: .25rem; padding: .4rem .8rem; }
  #status { padding: .5rem; background: #f2f2f2; font-family: monospace; white-space: pre-wrap; }
</style>
</head>
<body>
<h1>__TITLE__</h1>
__INTRO__
<p>บทเรียนทดสอบ __VERSION_LABEL__</p>
<dl>
  <dt>ผู้เรียน</dt><dd id="learner-name">–</dd>
  <dt>การเข้าเรียน (entry)</dt><dd id="entry">–</dd>
  <dt>ตำแหน่งล่าสุด</dt><dd id="location">–</dd>
  <dt>ความยาวข้อมูลที่พักไว้</dt><dd id="suspend-length">–</dd>
  <dt>สถานะ</dt><dd id="lesson-status">–</dd>
  <dt>เกณฑ์ผ่าน</dt><dd id="mastery">–</dd>
</dl>
<fieldset>
  <legend>ความคืบหน้า</legend>
  <label for="location-input">ตำแหน่ง</label>
  <input id="location-input" value="หน้า-3">
  <button type="button" id="set-location">บันทึกตำแหน่ง</button><br>
  <label for="score-input">คะแนน (0–100)</label>
  <input id="score-input" type="number" min="0" max="100" value="85">
  <button type="button" id="set-score">ส่งคะแนน</button><br>
  <label for="suspend-size">จำนวนตัวอักษร</label>
  <input id="suspend-size" type="number" min="0" value="10000">
  <button type="button" id="suspend-big">บันทึกข้อมูลขนาดใหญ่</button>
</fieldset>
<fieldset>
  <legend>ผลการเรียน</legend>
  <button type="button" id="complete">เรียนจบแล้ว</button>
  <button type="button" id="pass">ผ่าน</button>
  <button type="button" id="fail">ไม่ผ่าน</button>
  <button type="button" id="commit">บันทึกความคืบหน้า</button>
</fieldset>
<fieldset>
  <legend>ออกจากบทเรียน</legend>
  <button type="button" id="exit-suspend">พักไว้ก่อน แล้วออก</button>
  <button type="button" id="exit-normal">ออกจากบทเรียน</button>
  __CONTINUE__
</fieldset>
<p id="status" role="status" aria-live="polite" data-count="0">กำลังค้นหา API…</p>
<script>
(function () {
  "use strict";
  var VERSION = __LANG_VERSION__;
  var IS_2004 = VERSION === "2004";
  var API_NAME = IS_2004 ? "API_1484_11" : "API";
  var CALLS = IS_2004
    ? { init: "Initialize", finish: "Terminate", get: "GetValue", set: "SetValue",
        commit: "Commit", error: "GetLastError" }
    : { init: "LMSInitialize", finish: "LMSFinish", get: "LMSGetValue", set: "LMSSetValue",
        commit: "LMSCommit", error: "LMSGetLastError" };
  var DM = IS_2004
    ? { name: "cmi.learner_name", entry: "cmi.entry", location: "cmi.location",
        suspend: "cmi.suspend_data", exit: "cmi.exit", time: "cmi.session_time",
        status: "cmi.completion_status", passing: "cmi.scaled_passing_score" }
    : { name: "cmi.core.student_name", entry: "cmi.core.entry", location: "cmi.core.lesson_location",
        suspend: "cmi.suspend_data", exit: "cmi.core.exit", time: "cmi.core.session_time",
        status: "cmi.core.lesson_status", passing: "cmi.student_data.mastery_score" };
  var startedAt = Date.now();
  var api = null;
  var running = false;
  var calls = 0;
  var failure = null;  // the first failed call of the action under way
  var passingScore = 50;

  // The API lives in a frame above this page or in the window that opened it. A parent on
  // another origin throws on access: that branch of the search ends there.
  function searchUp(win) {
    for (var hops = 0; win && hops < 500; hops++) {
      try {
        if (win[API_NAME]) { return win[API_NAME]; }
      } catch (error) {
        return null;
      }
      if (!win.parent || win.parent === win) { return null; }
      win = win.parent;
    }
    return null;
  }
  function findApi() {
    var found = searchUp(window);
    try {
      if (!found && window.opener) { found = searchUp(window.opener); }
      if (!found && window.top.opener) { found = searchUp(window.top.opener); }
    } catch (error) {
      found = null;
    }
    return found;
  }

  function $(id) { return document.getElementById(id); }
  function shown(value) {
    return value.length > 40 ? value.slice(0, 37) + "… (" + value.length + ")" : value;
  }

  function report(text) {
    calls += 1;
    var status = $("status");
    status.textContent = text;
    status.setAttribute("data-count", String(calls));
  }

  function call(name, args) {
    if (!api) {
      report(name + " → ไม่พบ API");
      return "false";
    }
    var result = String(api[CALLS[name]].apply(api, args));
    var code = String(api[CALLS.error]());
    var text = CALLS[name] + "(" + args.map(shown).join(", ") + ") → " + result + " · error " + code;
    var outcome = { text: text, call: CALLS[name], result: result, code: code };
    if (code !== "0" && failure === null) { failure = outcome; }
    show(failure || outcome);
    return result;
  }
  function show(outcome) {
    var status = $("status");
    report(outcome.text);
    status.setAttribute("data-call", outcome.call);
    status.setAttribute("data-result", outcome.result);
    status.setAttribute("data-error", outcome.code);
  }
  function get(element) { return call("get", [element]); }
  function set(element, value) { return call("set", [element, String(value)]); }
  // Reads for the display only: they leave the status line to the action's own calls.
  function peek(element) { return api ? String(api[CALLS.get](element)) : ""; }

  function pad(number, width) {
    var text = String(number);
    while (text.length < width) { text = "0" + text; }
    return text;
  }
  // 1.2: HHHH:MM:SS.SS; 2004: an ISO 8601 duration such as PT1H2M3.45S.
  function sessionTime() {
    var centiseconds = Math.round((Date.now() - startedAt) / 10);
    var hours = Math.floor(centiseconds / 360000);
    var minutes = Math.floor(centiseconds / 6000) % 60;
    var seconds = (centiseconds % 6000) / 100;
    if (IS_2004) {
      return "PT" + (hours ? hours + "H" : "") + (minutes ? minutes + "M" : "") + seconds.toFixed(2) + "S";
    }
    return pad(hours, 4) + ":" + pad(minutes, 2) + ":" + pad(seconds.toFixed(2), 5);
  }

  function refresh() {
    $("learner-name").textContent = peek(DM.name);
    $("entry").textContent = peek(DM.entry);
    $("location").textContent = peek(DM.location);
    $("suspend-length").textContent = String(peek(DM.suspend).length);
    $("lesson-status").textContent = peek(DM.status);
    var passing = peek(DM.passing);
    if (passing !== "") {
      passingScore = IS_2004 ? Math.round(parseFloat(passing) * 100) : parseFloat(passing);
    }
    $("mastery").textContent = passing === "" ? "–" : String(passingScore);
  }

  function finish(exitValue, navigationRequest) {
    if (!running) { return; }
    if (exitValue !== null) { set(DM.exit, exitValue); }
    if (navigationRequest) { set("adl.nav.request", navigationRequest); }
    set(DM.time, sessionTime());
    running = false;
    call("finish", [""]);
  }

  function recordInteraction(score) {
    var correct = score >= passingScore;
    if (IS_2004) {
      var count = peek("cmi.interactions._count");
      var n = /^[0-9]+$/.test(count) ? count : "0";
      var prefix = "cmi.interactions." + n + ".";
      set(prefix + "id", "score-question-" + (Number(n) + 1));
      set(prefix + "type", "numeric");
      set(prefix + "learner_response", score);
      set(prefix + "result", correct ? "correct" : "incorrect");
      set(prefix + "correct_responses.0.pattern", passingScore + "[:]100");
    } else {
      set("cmi.interactions.0.id", "score-question-1");
      set("cmi.interactions.0.type", "numeric");
      set("cmi.interactions.0.student_response", score);
      set("cmi.interactions.0.result", correct ? "correct" : "wrong");
      set("cmi.interactions.0.correct_responses.0.pattern", passingScore);
    }
  }

  function bigText(size) {
    var unit = "ทักษะ0123456789";
    var text = "";
    while (text.length < size) { text += unit; }
    return text.slice(0, size);
  }

  var actions = {
    "set-location": function () {
      set(DM.location, $("location-input").value);
      $("location").textContent = peek(DM.location);
    },
    "set-score": function () {
      var score = Math.max(0, Math.min(100, Number($("score-input").value) || 0));
      set(IS_2004 ? "cmi.score.min" : "cmi.core.score.min", 0);
      set(IS_2004 ? "cmi.score.max" : "cmi.core.score.max", 100);
      set(IS_2004 ? "cmi.score.raw" : "cmi.core.score.raw", score);
      if (IS_2004) { set("cmi.score.scaled", score / 100); }
      recordInteraction(score);
    },
    "complete": function () {
      if (IS_2004) {
        set("cmi.progress_measure", 1);
        set("cmi.completion_status", "completed");
      } else {
        set("cmi.core.lesson_status", "completed");
      }
      $("lesson-status").textContent = peek(DM.status);
    },
    "pass": function () {
      set(IS_2004 ? "cmi.success_status" : "cmi.core.lesson_status", "passed");
      $("lesson-status").textContent = peek(DM.status);
    },
    "fail": function () {
      set(IS_2004 ? "cmi.success_status" : "cmi.core.lesson_status", "failed");
      $("lesson-status").textContent = peek(DM.status);
    },
    "suspend-big": function () {
      var size = Math.max(0, parseInt($("suspend-size").value, 10) || 0);
      set(DM.suspend, bigText(size));
      $("suspend-length").textContent = String(peek(DM.suspend).length);
    },
    "commit": function () { call("commit", [""]); },
    "exit-suspend": function () { finish("suspend", null); },
    "exit-normal": function () { finish(IS_2004 ? "normal" : "", null); },
    "nav-continue": function () { finish(null, "continue"); }
  };

  Object.keys(actions).forEach(function (id) {
    var button = $(id);
    if (button) {
      button.addEventListener("click", function () {
        failure = null;
        actions[id]();
      });
    }
  });

  // Authoring tools suspend and finish the session when the page goes away, so a learner
  // who just closed the tab resumes where they were and their time is stored.
  function leave() {
    failure = null;
    finish("suspend", null);
  }
  window.addEventListener("pagehide", leave);
  window.addEventListener("unload", leave);

  api = findApi();
  if (call("init", [""]) === "true") {
    running = true;
    refresh();
  }
})();
</script>
</body>
</html>
"""
