"""Run check files against the assistant's REST channel and print the results table."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from bot.checks.judge import problems
from bot.checks.spec import CheckFile, Conversation

Send = Callable[[str, str], list[dict]]


@dataclass(frozen=True)
class Failure:
    """One turn that did not meet its expectations."""

    conversation: str
    say: str
    answer: str
    problems: tuple[str, ...]


@dataclass(frozen=True)
class FileResult:
    """How many conversations of a file passed, and the failures."""

    check: CheckFile
    passed: int
    failures: tuple[Failure, ...]

    @property
    def total(self) -> int:
        """The number of conversations in the file."""
        return len(self.check.conversations)


def rest_sender(base_url: str, timeout: float = 60.0) -> Send:
    """Send one message as `sender` to the REST channel at `base_url`; return the replies."""
    url = base_url.rstrip("/") + "/webhooks/rest/webhook"

    def send(sender: str, text: str) -> list[dict]:
        body = json.dumps({"sender": sender, "message": text}).encode()
        request = urllib.request.Request(
            url, data=body, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            return [{"text": f"[HTTP {error.code}] {error.read().decode(errors='replace')}"}]

    return send


def run_conversation(conversation: Conversation, send: Send) -> list[Failure]:
    """Play one conversation as a new visitor; the failed turns."""
    sender = f"check-{uuid.uuid4().hex[:16]}"
    failures = []
    for turn in conversation.turns:
        replies = send(sender, turn.say)
        answer = "\n".join(str(reply.get("text") or "") for reply in replies)
        has_buttons = any(reply.get("buttons") for reply in replies)
        if turn.expect is None:
            continue
        found = problems(turn.expect, answer, has_buttons)
        if found:
            failures.append(Failure(conversation.name, turn.say, answer, tuple(found)))
    return failures


def run_files(checks: Sequence[CheckFile], send: Send, workers: int = 4) -> list[FileResult]:
    """Run every conversation of every file (several visitors at once)."""
    results = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for check in checks:
            outcomes = list(pool.map(lambda c: run_conversation(c, send), check.conversations))
            failures = tuple(failure for outcome in outcomes for failure in outcome)
            passed = sum(1 for outcome in outcomes if not outcome)
            results.append(FileResult(check, passed, failures))
    return results


def table(results: Sequence[FileResult]) -> str:
    """Category x language pass rates, as a Markdown table (the README shows it)."""
    cells: dict[str, dict[str, tuple[int, int]]] = {}
    for result in results:
        row = cells.setdefault(result.check.category, {})
        passed, total = row.get(result.check.language or "-", (0, 0))
        row[result.check.language or "-"] = (passed + result.passed, total + result.total)
    languages = sorted({lang for row in cells.values() for lang in row})
    lines = [
        "| category | " + " | ".join(languages) + " |",
        "|---|" + "---|" * len(languages),
    ]
    for category, row in cells.items():
        parts = []
        for lang in languages:
            passed, total = row.get(lang, (0, 0))
            parts.append(f"{passed}/{total} ({100 * passed / total:.0f}%)" if total else "-")
        lines.append(f"| {category} | " + " | ".join(parts) + " |")
    return "\n".join(lines)


def failure_report(results: Sequence[FileResult]) -> str:
    """Each failed turn: the file, the conversation, what was said, what went wrong."""
    lines = []
    for result in results:
        for failure in result.failures:
            answer = failure.answer.replace("\n", " / ")
            lines.append(
                f"FAIL {result.check.path} :: {failure.conversation}\n"
                f"  visitor: {failure.say}\n  answer:  {answer[:400]}\n"
                f"  problem: {'; '.join(failure.problems)}"
            )
    return "\n".join(lines)


def below(results: Sequence[FileResult], minimum: float) -> list[str]:
    """The category/language cells whose pass rate is under `minimum` (0-1)."""
    cells: dict[tuple[str, str], list[int]] = {}
    for result in results:
        cell = cells.setdefault((result.check.category, result.check.language), [0, 0])
        cell[0] += result.passed
        cell[1] += result.total
    return [
        f"{category}/{lang or '-'}: {passed}/{total}"
        for (category, lang), (passed, total) in cells.items()
        if total and passed / total < minimum
    ]
