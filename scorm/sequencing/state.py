"""The learner's activity state (SN Tracking Model TM.1 and Activity State Model AM.1) as a
JSON-serialisable tree, stored in `Registration.sequencing_state`.

The JSON is compact; a value equal to its default is left out:

    {"cur": "SCO-2",            current activity (absent: no sequencing session under way)
     "sus": "SCO-4",            suspended activity, after suspendAll (absent: none)
     "g": {"obj-1": {...}},     global objectives by targetObjectiveID: objective keys below
     "a": {"SCO-1": {           per activity:
        "n": 2,                   attempt count
        "ck": true, "c": true,    attempt progress status (completion known), attempt completed
        "pm": 0.5,                progress measure reported by the content
        "sk": true, "s": false,   objective progress status (satisfaction known), satisfied
        "mk": true, "m": 0.4,     objective measure status (measure known), normalized measure
        "o": {"obj-2": {...}},    local objectives other than the primary: sk/s/mk/m
        "act": true,              is active
        "sp": true}}}             is suspended
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields


@dataclass
class ObjectiveState:
    """Objective progress status/satisfied status and measure status/normalized measure."""

    satisfied_known: bool = False
    satisfied: bool = False
    measure_known: bool = False
    measure: float = 0.0

    _KEYS = {"satisfied_known": "sk", "satisfied": "s", "measure_known": "mk", "measure": "m"}

    def to_json(self) -> dict:
        return {
            short: getattr(self, name)
            for name, short in self._KEYS.items()
            if getattr(self, name) != getattr(ObjectiveState, name)
        }

    @classmethod
    def from_json(cls, data: dict) -> ObjectiveState:
        return cls(
            satisfied_known=bool(data.get("sk", False)),
            satisfied=bool(data.get("s", False)),
            measure_known=bool(data.get("mk", False)),
            measure=float(data.get("m", 0.0)),
        )

    def reset(self) -> None:
        self.satisfied_known = self.satisfied = self.measure_known = False
        self.measure = 0.0

    def copy(self) -> ObjectiveState:
        return ObjectiveState(self.satisfied_known, self.satisfied, self.measure_known, self.measure)


@dataclass
class ActivityState:
    attempt_count: int = 0
    completion_known: bool = False
    completed: bool = False
    progress_measure: float | None = None
    objective: ObjectiveState = field(default_factory=ObjectiveState)  # the primary objective
    objectives: dict[str, ObjectiveState] = field(default_factory=dict)  # local, by objectiveID
    is_active: bool = False
    is_suspended: bool = False

    @property
    def attempted(self) -> bool:
        return self.attempt_count > 0

    def reset_progress(self) -> None:
        self.completion_known = self.completed = False
        self.progress_measure = None

    def reset_objectives(self) -> None:
        self.objective.reset()
        for objective in self.objectives.values():
            objective.reset()

    def copy(self) -> ActivityState:
        return ActivityState(
            attempt_count=self.attempt_count,
            completion_known=self.completion_known,
            completed=self.completed,
            progress_measure=self.progress_measure,
            objective=self.objective.copy(),
            objectives={key: value.copy() for key, value in self.objectives.items()},
            is_active=self.is_active,
            is_suspended=self.is_suspended,
        )

    def to_json(self) -> dict:
        data: dict = {}
        for key, value, default in (
            ("n", self.attempt_count, 0),
            ("ck", self.completion_known, False),
            ("c", self.completed, False),
            ("pm", self.progress_measure, None),
            ("act", self.is_active, False),
            ("sp", self.is_suspended, False),
        ):
            if value != default:
                data[key] = value
        data.update(self.objective.to_json())
        local = {key: value.to_json() for key, value in self.objectives.items() if value.to_json()}
        if local:
            data["o"] = local
        return data

    @classmethod
    def from_json(cls, data: dict) -> ActivityState:
        measure = data.get("pm")
        return cls(
            attempt_count=int(data.get("n", 0)),
            completion_known=bool(data.get("ck", False)),
            completed=bool(data.get("c", False)),
            progress_measure=None if measure is None else float(measure),
            objective=ObjectiveState.from_json(data),
            objectives={key: ObjectiveState.from_json(value) for key, value in (data.get("o") or {}).items()},
            is_active=bool(data.get("act", False)),
            is_suspended=bool(data.get("sp", False)),
        )


@dataclass
class TreeState:
    """Every activity's state (created on first use), the current and suspended activities and
    the global objectives."""

    activities: dict[str, ActivityState] = field(default_factory=dict)
    current: str | None = None
    suspended: str | None = None
    globals: dict[str, ObjectiveState] = field(default_factory=dict)

    def of(self, identifier: str) -> ActivityState:
        tracking = self.activities.get(identifier)
        if tracking is None:
            tracking = self.activities[identifier] = ActivityState()
        return tracking

    def global_objective(self, identifier: str) -> ObjectiveState:
        objective = self.globals.get(identifier)
        if objective is None:
            objective = self.globals[identifier] = ObjectiveState()
        return objective

    def copy(self) -> TreeState:
        """An independent copy (field by field: `copy.deepcopy` costs ten times as much, and a
        navigation request copies the whole state)."""
        return TreeState(
            activities={key: value.copy() for key, value in self.activities.items()},
            current=self.current,
            suspended=self.suspended,
            globals={key: value.copy() for key, value in self.globals.items()},
        )

    def replace_with(self, other: TreeState) -> None:
        """Take over `other`'s content (a successful request's work on a copy)."""
        for name in (f.name for f in fields(self)):
            setattr(self, name, getattr(other, name))

    def to_json(self) -> dict:
        data: dict = {}
        if self.current is not None:
            data["cur"] = self.current
        if self.suspended is not None:
            data["sus"] = self.suspended
        activities = {key: value.to_json() for key, value in self.activities.items() if value.to_json()}
        if activities:
            data["a"] = activities
        global_objectives = {key: value.to_json() for key, value in self.globals.items() if value.to_json()}
        if global_objectives:
            data["g"] = global_objectives
        return data

    @classmethod
    def from_json(cls, data: dict | None) -> TreeState:
        data = data or {}
        return cls(
            activities={key: ActivityState.from_json(value) for key, value in (data.get("a") or {}).items()},
            current=data.get("cur"),
            suspended=data.get("sus"),
            globals={key: ObjectiveState.from_json(value) for key, value in (data.get("g") or {}).items()},
        )
