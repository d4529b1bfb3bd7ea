"""Server-side SCORM 2004 sequencing and navigation (the SN book, 4th edition), pure Python.

The server sequences: the browser only asks (`navigate`) and reports (`leaf_report`,
`asset_delivered`); the engine decides what is launched and what rolls up to the package.
The definition is `PackageVersion.sequencing` (`activity_tree`), the learner's state a
`TreeState` stored as JSON in `Registration.sequencing_state`.

Supported:
* Rollup (RB.1.1–RB.1.5): measure rollup weighted by objectiveMeasureWeight over tracked
  children; objective rollup by measure (satisfiedByMeasure, minNormalizedMeasure,
  measureSatisfactionIfActive), by rules, or by the default rules; progress rollup by rules or
  the default rules. Defaults in two independent pairs: "all satisfied → satisfied", "all
  (attempted or not satisfied) → not satisfied"; "all completed → completed", "all (attempted
  or not completed) → incomplete". Defining either action of a pair replaces that pair only.
  Child sets all/any/none/atLeastCount/atLeastPercent; Check Child for Rollup
  (rollupObjectiveSatisfied / rollupProgressCompletion, requiredFor… always / ifAttempted /
  ifNotSkipped / ifNotSuspended). No contributing children: the rule does not fire, so a
  cluster stays unknown.
* Rule conditions, three-valued with the SN truth tables: satisfied, objectiveStatusKnown,
  objectiveMeasureKnown, objectiveMeasureGreaterThan/LessThan, completed,
  activityProgressKnown, attempted, attemptLimitExceeded, always, `not`, all/any, and
  referencedObjective (local objectives by ID).
* Navigation requests start, resumeAll, continue, previous, choice, jump, exit, exitAll,
  abandon, abandonAll, suspendAll with the control modes choice, choiceExit, flow,
  forwardOnly; exit rules (exit), post-condition rules (exitParent, exitAll, retry,
  retryAll, continue, previous); preconditions skip, disabled, hiddenFromChoice,
  stopForwardTraversal; preventActivation; limit condition attemptLimit; End Attempt
  (UP.4: with completionSetByContent / objectiveSetByContent false, their defaults, an
  attempt that ends with nothing reported is completed and satisfied); new attempts reset
  the attempt's data and, per useCurrentAttemptObjectiveInfo / …ProgressInfo, that of the
  descendants; cmi.exit "suspend" (leaf_report suspended=True) resumes the same attempt.
* Global objectives (mapInfo): read and write of satisfied status and normalized measure,
  kept in the state under "g" (per registration: sharing across registrations is the
  caller's job).

Not supported (they evaluate as stated or are ignored):
* timeLimitExceeded and outsideAvailableTimeRange conditions are always false; duration
  limits (attempt/activity absolute duration) are not enforced.
* constrainChoice; randomization and selection controls (children keep manifest order);
  4th-ed. completion by measure rollup (completedByMeasure, progressWeight) — a leaf's
  completion is what the run-time says; mapInfo completion/progress/raw/min/max score maps.
* The "suspend" of clusters other than through suspendAll; delivery of non-leaf activities.
"""

from .navigation import ContentsEntry, NavigationOutcome, contents, flow_requests, navigate
from .rollup import RootOutcome, asset_delivered, leaf_report, root_outcome
from .state import ActivityState, ObjectiveState, TreeState
from .tree import Activity, activity_tree

__all__ = [
    "Activity",
    "ActivityState",
    "ContentsEntry",
    "NavigationOutcome",
    "ObjectiveState",
    "RootOutcome",
    "TreeState",
    "activity_tree",
    "asset_delivered",
    "contents",
    "flow_requests",
    "leaf_report",
    "navigate",
    "root_outcome",
]
