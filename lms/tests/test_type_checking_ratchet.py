"""The mypy ratchet: the modules excused from type checking only ever get fewer.

mypy.ini checks every module strictly, except the modules listed at its end with
`ignore_errors = True`: those did not pass when type checking was introduced. A new module is
typed rather than added to that list; typing an old one removes its section and lowers the
number recorded here (tools/mypy_baseline.py prints both)."""

import configparser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The number of modules mypy.ini excuses today; lower it whenever the list shrinks.
RELAXED_MODULES_AT_MOST = 204


def mypy_config() -> configparser.ConfigParser:
    config = configparser.ConfigParser()
    config.read(ROOT / "mypy.ini", encoding="utf-8")
    return config


def relaxed_modules(config: configparser.ConfigParser) -> list[str]:
    """Every module pattern in a section that switches errors off (a section may name several)."""
    return [
        pattern.strip()
        for section in config.sections()
        if section.startswith("mypy-") and config.getboolean(section, "ignore_errors", fallback=False)
        for pattern in section.removeprefix("mypy-").split(",")
    ]


def test_the_policy_is_strict():
    assert mypy_config().getboolean("mypy", "strict"), "mypy.ini must keep `strict = True` in [mypy]"


def test_no_module_is_newly_excused_from_type_checking():
    count = len(relaxed_modules(mypy_config()))
    assert count <= RELAXED_MODULES_AT_MOST, (
        f"mypy.ini now excuses {count} modules from type checking, more than the "
        f"{RELAXED_MODULES_AT_MOST} it did. Type the new module (annotate it until "
        "`.venv/bin/mypy` passes) instead of adding an `ignore_errors` section for it."
    )
    assert count == RELAXED_MODULES_AT_MOST, (
        f"mypy.ini excuses {count} modules now, fewer than recorded: set RELAXED_MODULES_AT_MOST "
        f"to {count} in {Path(__file__).name} so the list cannot grow back."
    )


def test_every_excused_module_exists():
    """An entry for a module that moved or was deleted is a free slot for an untyped new one."""
    missing = [
        module
        for module in relaxed_modules(mypy_config())
        if not (ROOT / f"{module.replace('.', '/')}.py").exists()
        and not (ROOT / module.replace(".", "/") / "__init__.py").exists()
    ]
    assert not missing, (
        f"mypy.ini excuses modules that no longer exist: {missing}; delete their sections "
        "(tools/mypy_baseline.py --write retakes the list)."
    )


def test_a_section_naming_several_modules_counts_each():
    config = configparser.ConfigParser()
    config.read_string(
        "[mypy]\nstrict = True\n[mypy-a.b,c.d]\nignore_errors = True\n[mypy-e]\nstrict = True\n"
    )
    assert relaxed_modules(config) == ["a.b", "c.d"]


# The sections above the ratchet: the policy's own, the untyped libraries, the tests.
POLICY_SECTIONS = {
    "mypy": None,
    "mypy.plugins.django-stubs": None,
    "mypy-*.tests.*,tests.*,conftest": {
        "disallow_untyped_defs": "False",
        "disallow_incomplete_defs": "False",
        "disallow_untyped_calls": "False",
    },
}


def test_no_section_relaxes_a_module_in_any_other_way():
    """A section that switched off one check (`disallow_untyped_defs = False`, …) for a new
    module would excuse it as surely as `ignore_errors`, without being counted above."""
    config = mypy_config()
    for section in config.sections():
        options = dict(config.items(section, raw=True))
        if section in POLICY_SECTIONS:
            expected = POLICY_SECTIONS[section]
            assert expected is None or options == expected, section
        elif "ignore_missing_imports" in options:
            assert set(options) == {"ignore_missing_imports"}, section  # libraries without types
        else:
            assert options == {"ignore_errors": "True"}, (
                f"[{section}] may only hold `ignore_errors = True` (the ratchet); type the module "
                "instead of relaxing a check for it."
            )
