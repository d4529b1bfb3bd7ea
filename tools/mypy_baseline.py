"""Print, or write into mypy.ini, the ratchet: the modules that do not pass strict mypy yet.

mypy.ini has two parts. Above the ratchet marker is the policy every module meets (strict, with
the few relaxations the untyped frameworks force). Below it, one `ignore_errors` section per
module that did not pass when the ratchet was last taken; lms/tests/test_type_checking_ratchet.py
fails when that list grows. This tool runs mypy with the policy alone and lists the modules that
fail it.

    make mypy-baseline                       # print the sections (nothing changes)
    .venv/bin/python tools/mypy_baseline.py --write   # rewrite the ratchet in mypy.ini

After `--write`, set RELAXED_MODULES_AT_MOST in lms/tests/test_type_checking_ratchet.py to the
number printed. Take the ratchet only to shrink it (after typing modules, or after modules
moved); a new module is typed, never added.
"""

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "mypy.ini"
MARKER = "# Ratchet:"
ERROR_LINE = re.compile(r"^(?P<path>[^:\s]+\.py):\d+: error:")


def config_split(text: str) -> tuple[str, str]:
    """The policy (everything above the ratchet marker) and the ratchet (the marker and below)."""
    policy, marker, ratchet = text.partition(MARKER)
    if not marker:
        raise SystemExit(f"{CONFIG.name} has no line starting with {MARKER!r}")
    return policy, marker + ratchet


def module_name(path: str) -> str:
    """`scorm/sequencing/__init__.py` -> `scorm.sequencing`; `conftest.py` -> `conftest`."""
    parts = list(Path(path).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules_failing(policy: str) -> list[str]:
    """Run mypy from the repository root with the policy alone; the modules it reports errors in."""
    with tempfile.NamedTemporaryFile("w", suffix=".ini", dir=ROOT, prefix=".mypy-policy-") as config:
        config.write(policy)
        config.flush()
        result = subprocess.run(  # noqa: S603 - our own interpreter running mypy on our own tree
            [sys.executable, "-m", "mypy", "--config-file", config.name, "--no-error-summary"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode not in (0, 1):
        raise SystemExit(f"mypy did not finish its check:\n{result.stderr or result.stdout}")
    paths = {match["path"] for line in result.stdout.splitlines() if (match := ERROR_LINE.match(line))}
    return sorted(module_name(path) for path in paths)


def ratchet_render(modules: list[str]) -> str:
    header = (
        f"{MARKER} modules that did not pass the policy above when the ratchet was last taken\n"
        "# (tools/mypy_baseline.py). The list only shrinks: type a module and delete its section;\n"
        "# never add one (lms/tests/test_type_checking_ratchet.py counts them).\n"
    )
    sections = "".join(f"\n[mypy-{module}]\nignore_errors = True\n" for module in modules)
    return header + sections


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--write", action="store_true", help="rewrite the ratchet in mypy.ini")
    arguments = parser.parse_args()
    policy, _ = config_split(CONFIG.read_text(encoding="utf-8"))
    modules = modules_failing(policy)
    ratchet = ratchet_render(modules)
    if arguments.write:
        CONFIG.write_text(policy + ratchet, encoding="utf-8")
    else:
        sys.stdout.write(ratchet)
    sys.stderr.write(
        f"{len(modules)} modules fail strict mypy; "
        f"RELAXED_MODULES_AT_MOST in lms/tests/test_type_checking_ratchet.py should be {len(modules)}.\n"
    )


if __name__ == "__main__":
    main()
