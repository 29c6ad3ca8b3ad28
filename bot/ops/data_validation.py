"""`python -m bot validate`: `rasa data validate`, failing on every warning but one kind.

Rasa warns about responses that no story or rule uses, but here the actions send most
responses themselves (so that facts come from the knowledge base), forms ask their
questions, and slot mappings read some intents. Those warnings are expected for exactly
those names; any other warning of the validator fails the check.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from bot.ops.processes import PROJECT_ROOT, Ports, server_env

_UNUSED = re.compile(r"The utterance '(utter_[\w/]+)' is not used in any story or rule")
_UNUSED_INTENT = re.compile(r"The intent '(\w+)' is not used in any story or rule")
# The validator's own warnings; deprecation notices of libraries are not about our data.
_WARNING = re.compile(r"rasa/shared/utils/io\.py:\d+: UserWarning|ERROR")
_CODE_DIRS = ("actions", "bot/answers", "bot/channels")


def responses_sent_by_code() -> set[str]:
    """Every `utter_*` name written in the actions and the answer builders."""
    from bot.answers.facts import FAQ_INTENTS

    names = {f"utter_{intent}" for intent in FAQ_INTENTS}
    for folder in _CODE_DIRS:
        for path in (PROJECT_ROOT / folder).rglob("*.py"):
            names.update(re.findall(r"utter_[a-z0-9_]+", path.read_text(encoding="utf-8")))
    return names


def used_by_forms() -> tuple[set[str], set[str]]:
    """Questions the forms ask (utter_ask_<slot>) and intents that slot mappings read."""
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    questions = {
        f"utter_ask_{slot}"
        for form in (domain.get("forms") or {}).values()
        for slot in form.get("required_slots", [])
    }
    intents: set[str] = set()
    for slot in (domain.get("slots") or {}).values():
        for mapping in slot.get("mappings", []):
            named = mapping.get("intent") or []
            intents.update([named] if isinstance(named, str) else named)
    return questions, intents


def unexpected_warnings(
    output: str, allowed: set[str], allowed_intents: set[str] = frozenset()
) -> list[str]:
    """The validator's warnings that are not about a response or intent used outside rules."""
    problems = []
    for line in output.splitlines():
        unused = _UNUSED.search(line)
        unused_intent = _UNUSED_INTENT.search(line)
        if unused:
            if unused.group(1).split("/")[0] not in allowed:
                problems.append(line.strip())
        elif unused_intent:
            if unused_intent.group(1) not in allowed_intents:
                problems.append(line.strip())
        elif _WARNING.search(line):
            problems.append(line.strip())
    return problems


def validate() -> int:
    """Run the validator; 0 when it passes with no unexpected warning."""
    command = [str(Path(sys.executable).parent / "rasa"), "data", "validate"]
    result = subprocess.run(
        command, cwd=PROJECT_ROOT, env=server_env(Ports.from_env()), capture_output=True, text=True
    )
    output = result.stdout + result.stderr
    questions, intents = used_by_forms()
    problems = unexpected_warnings(output, responses_sent_by_code() | questions, intents)
    for problem in problems:
        print(problem)
    if result.returncode != 0 or problems:
        print(output if result.returncode != 0 else "", end="")
        print(f"rasa data validate: FAILED ({len(problems)} unexpected warnings)")
        return 1
    print("rasa data validate: ok")
    return 0
