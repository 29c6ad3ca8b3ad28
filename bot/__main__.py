"""`python -m bot ...`: staff and ops commands of the ICLEI assistant."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

# Light: argparse only; the database code is imported when the command runs.
from bot.ops import nlu_evaluation
from bot.ops.enquiry_commands import add_enquiry_commands, run_enquiry_command
from bot.ops.report import add_report_command, run_report_command
from bot.privacy.command import add_privacy_command, run_privacy_command


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the action server and the Rasa server")
    serve.add_argument("--model", type=Path, default=Path("models/iclei.tar.gz"))
    cluster = commands.add_parser(
        "cluster", help="nginx + 2 Rasa replicas + 2 action servers + PostgreSQL + Redis"
    )
    cluster.add_argument("--model", type=Path, default=Path("models/iclei.tar.gz"))
    cluster.add_argument("--dir", type=Path, default=Path("var/cluster"))
    cluster.add_argument("--port", type=int, default=8080, help="the load balancer's port")
    shell = commands.add_parser("shell", help="staff shell: talk, /why explains each answer")
    shell.add_argument("--model", type=Path, default=Path("models/iclei.tar.gz"))
    shell.add_argument("--explain", action="store_true", help="explain every answer")

    evaluate = commands.add_parser("evaluate-nlu", help="F1 on the held-out NLU test sets")
    evaluate.add_argument("files", type=Path, nargs="+")
    evaluate.add_argument("--model", type=Path, default=Path("models/iclei.tar.gz"))
    evaluate.add_argument("--out", type=Path, default=Path("results/nlu"))
    evaluate.add_argument("--min-intent-f1", type=float, default=nlu_evaluation.MIN_INTENT_F1)
    evaluate.add_argument("--min-entity-f1", type=float, default=nlu_evaluation.MIN_ENTITY_F1)

    commands.add_parser("train", help="rasa train, with the training step traced once")
    commands.add_parser("validate", help="rasa data validate, strict")
    stories = commands.add_parser("test-stories", help="rasa test core on tests/stories")
    stories.add_argument("rasa_args", nargs="*", help="passed on to `rasa test core`")

    checks = commands.add_parser(
        "check", help="dialogue checks: what each answer must say (docs/dialogue-checks.md)"
    )
    checks.add_argument("files", nargs="+", help="check files or folders of them")
    checks.add_argument("--url", help="a running server (default: start one on the model)")
    checks.add_argument(
        "--min-pass", type=float, default=1.0, help="pass rate each category needs (0-1)"
    )
    checks.add_argument("--quiet", action="store_true", help="the table only")

    knowledge = commands.add_parser("knowledge", help="check the knowledge base")
    knowledge.add_argument("action", choices=["check", "lookups"])
    add_enquiry_commands(commands)
    add_report_command(commands)
    add_privacy_command(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run one command."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] in (["train"], ["test-stories"]):
        # Everything after the command belongs to Rasa's, options included.
        from bot.ops.rasa_commands import COMMANDS

        return COMMANDS[argv[0]](argv[1:])
    args = _parser().parse_args(argv)
    if args.command == "serve":
        from bot.ops.serve import serve

        return serve(args.model)
    if args.command == "cluster":
        from bot.ops.cluster import run

        return run(args.dir, args.model, args.port)
    if args.command == "shell":
        from bot.ops.serve import shell

        return shell(args.model, args.explain)
    if args.command == "evaluate-nlu":
        scores = nlu_evaluation.evaluate(args.model, args.files, args.out)
        return 0 if nlu_evaluation.report(scores, args.min_intent_f1, args.min_entity_f1) else 1
    if args.command == "validate":
        from bot.ops.data_validation import validate

        return validate()
    if args.command == "check":
        from bot.ops.check_command import check

        return check(args.files, args.url, args.min_pass, args.quiet)
    if args.command == "knowledge":
        from bot.ops.knowledge_tools import check, print_lookups

        return check() if args.action == "check" else print_lookups()
    if args.command == "enquiries":
        return run_enquiry_command(args)
    if args.command == "report":
        return run_report_command(args)
    if args.command == "privacy":
        return run_privacy_command(args)
    return 2


def exit_without_teardown(code: int) -> None:
    """End a training process once everything is written: Python's and TensorFlow's
    teardown of the trained graph, its thread pools and the featurized messages took
    about 2 s of every `python -m bot train` (timestamps of its output)."""
    import logging
    import os

    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    code = main()
    if sys.argv[1:2] == ["train"]:
        exit_without_teardown(code)
    sys.exit(code)
