"""`python -m bot validate`: `rasa data validate`, failing on every warning but one kind.

Rasa warns about responses that no story or rule uses, but here the actions send most
responses themselves (so that facts come from the knowledge base). Those warnings are
expected for exactly the responses the code names; any other warning fails the check.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from bot.ops.processes import PROJECT_ROOT, Ports, server_env

_UNUSED = re.compile(r"The utterance '(utter_[\w/]+)' is not used in any story or rule")
_WARNING = re.compile(r"(UserWarning|FutureWarning|WARNING|ERROR)")
_CODE_DIRS = ("actions", "bot/answers")


def responses_sent_by_code() -> set[str]:
    """Every `utter_*` name written in the actions and the answer builders."""
    from bot.answers.facts import FAQ_INTENTS

    names = {f"utter_{intent}" for intent in FAQ_INTENTS}
    for folder in _CODE_DIRS:
        for path in (PROJECT_ROOT / folder).rglob("*.py"):
            names.update(re.findall(r"utter_[a-z0-9_]+", path.read_text(encoding="utf-8")))
    return names


def unexpected_warnings(output: str, allowed: set[str]) -> list[str]:
    """The warning lines of `rasa data validate` that are not about an action-sent response."""
    problems = []
    for line in output.splitlines():
        unused = _UNUSED.search(line)
        if unused:
            base = unused.group(1).split("/")[0]
            if base not in allowed:
                problems.append(line.strip())
        elif _WARNING.search(line) and "rasa.validator" not in line:
            problems.append(line.strip())
    return problems


def validate() -> int:
    """Run the validator; 0 when it passes with no unexpected warning."""
    command = [str(Path(sys.executable).parent / "rasa"), "data", "validate"]
    result = subprocess.run(
        command, cwd=PROJECT_ROOT, env=server_env(Ports.from_env()), capture_output=True, text=True
    )
    output = result.stdout + result.stderr
    problems = unexpected_warnings(output, responses_sent_by_code())
    for problem in problems:
        print(problem)
    if result.returncode != 0 or problems:
        print(output if result.returncode != 0 else "", end="")
        print(f"rasa data validate: FAILED ({len(problems)} unexpected warnings)")
        return 1
    print("rasa data validate: ok")
    return 0
