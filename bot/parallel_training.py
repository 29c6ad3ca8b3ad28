"""The policies (TED, rules, memoization) trained in a second process while the NLU pipeline
trains in this one.

Rasa runs its training graph one node at a time, so on a machine with two cores one of them
idles while DIET trains (about a minute), and TED waits for DIET although the two share no
input: TED learns from the stories and the domain, DIET from the NLU examples. Here the
graph's policy nodes that need training run in a child process started before the rest of
the graph, with their own model storage; their trained files are copied into this process's
model storage before the model is packaged. The child uses the same training cache, so a
later training finds the policies there as usual.

Used only where it cannot change the model: training from scratch or from the cache (not
fine-tuning, which loads the old model into every node), on a machine with more than one
core. The child is a fresh interpreter (`spawn`): TensorFlow's thread pools do not survive a
fork.
"""

from __future__ import annotations

import atexit
import copy
import multiprocessing
import os
import shutil
import tempfile
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from rasa.core.policies.policy import Policy
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.training.hooks import LoggingHook, TrainingHook


def policies_to_train(schema: GraphSchema) -> list[str]:
    """The policy nodes of a (pruned) train schema that will train, not load from the cache."""
    return [
        name
        for name, node in schema.nodes.items()
        if isinstance(node.uses, type) and issubclass(node.uses, Policy) and node.is_target
    ]


def split(schema: GraphSchema, policies: list[str]) -> tuple[GraphSchema, GraphSchema]:
    """The schema without `policies` (this process) and the one of `policies` (the child)."""
    child = schema.minimal_graph_schema(policies)
    rest = copy.deepcopy(schema)
    for name in policies:
        rest.nodes[name].is_target = False
    return rest.minimal_graph_schema(), child


def _train_policies(
    schema: GraphSchema, train_schema: GraphSchema, inputs: dict[str, Any], storage: str
) -> None:
    """Run the policies' part of the graph into the model storage at `storage`."""
    from rasa.engine.caching import LocalTrainingCache
    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.engine.storage.local_model_storage import LocalModelStorage

    model_storage = LocalModelStorage(Path(storage))
    hooks = [
        LoggingHook(pruned_schema=schema),
        TrainingHook(cache=LocalTrainingCache(), model_storage=model_storage, pruned_schema=schema),
    ]
    DaskGraphRunner.create(
        graph_schema=schema,
        model_storage=model_storage,
        execution_context=ExecutionContext(graph_schema=train_schema),
        hooks=hooks,
    ).run(inputs=inputs)


def _serve(connection: Connection) -> None:
    """The child: import the training code while the parent reads the data, then train the
    one job it is sent (None: nothing to train) and answer None or the error."""
    from bot import rasa_compat

    rasa_compat.install_training()
    import rasa.core.policies.ted_policy  # noqa: F401  (TensorFlow: the slow import)

    try:
        job = connection.recv()
    except EOFError:
        return
    if job is None:
        return
    try:
        _train_policies(*job)
    except BaseException as error:
        connection.send(f"{type(error).__name__}: {error}")
        raise
    connection.send(None)


class PolicyWorker:
    """A child process that trains one set of policies, started before it is needed."""

    def __init__(self) -> None:
        self._connection, child_end = multiprocessing.Pipe()
        self._process = multiprocessing.get_context("spawn").Process(
            target=_serve, args=(child_end,), name="policy-training", daemon=True
        )
        self._process.start()
        child_end.close()
        self._busy = False

    def submit(self, *job: Any) -> None:
        """Send the job: (schema, train schema, graph inputs, storage directory)."""
        self._connection.send(job)
        self._busy = True

    def wait(self) -> None:
        """Wait for the job; raise if it failed."""
        try:
            error = self._connection.recv() if self._busy else None
        except EOFError:
            error = "the process ended without an answer"
        self.close()
        if error is not None or self._process.exitcode not in (0, None):
            raise RuntimeError(f"training the policies failed: {error}")

    def close(self) -> None:
        """Tell an idle worker to stop, and wait for it."""
        if not self._busy and self._process.is_alive():
            try:
                self._connection.send(None)
            except (BrokenPipeError, OSError):
                pass
        self._process.join()
        self._connection.close()


_worker: PolicyWorker | None = None


def start_worker() -> None:
    """Start the policies' process now, so that it imports while this one reads the data."""
    global _worker
    if _worker is None and (os.cpu_count() or 1) > 1:
        _worker = PolicyWorker()
        atexit.register(stop_worker)


def stop_worker() -> None:
    """Stop a worker that was not used (everything came from the cache)."""
    global _worker
    if _worker is not None:
        _worker.close()
        _worker = None


def _take_worker() -> PolicyWorker:
    global _worker
    worker, _worker = _worker or PolicyWorker(), None
    return worker


class PolicyParallelRunner:
    """Rasa's `DaskGraphRunner`, with the policies that train run in a child process."""

    @classmethod
    def create(
        cls,
        graph_schema: GraphSchema,
        model_storage: Any,
        execution_context: ExecutionContext,
        hooks: list[Any] | None = None,
    ) -> Any:
        """Rasa's runner, or this one when the graph trains policies and may split."""
        from rasa.engine.runner.dask import DaskGraphRunner

        policies = policies_to_train(graph_schema)
        training = any(isinstance(hook, TrainingHook) for hook in hooks or [])
        if not (policies and training and may_split(execution_context)):
            return DaskGraphRunner(graph_schema, model_storage, execution_context, hooks)
        return cls(graph_schema, model_storage, execution_context, hooks or [], policies)

    def __init__(
        self,
        graph_schema: GraphSchema,
        model_storage: Any,
        execution_context: ExecutionContext,
        hooks: list[Any],
        policies: list[str],
    ) -> None:
        self._schema = graph_schema
        self._model_storage = model_storage
        self._context = execution_context
        self._hooks = hooks
        self._policies = policies

    def run(self, inputs: dict[str, Any] | None = None, targets: list[str] | None = None) -> Any:
        """Start the policies' child, run the rest here, then wait for the child and take
        its trained files into this model storage."""
        from rasa.engine.runner.dask import DaskGraphRunner

        rest, child_schema = split(self._schema, self._policies)
        with tempfile.TemporaryDirectory(prefix="policies-") as storage:
            worker = _take_worker()
            worker.submit(child_schema, self._context.graph_schema, inputs or {}, storage)
            try:
                outputs = DaskGraphRunner(
                    rest, self._model_storage, self._context, self._hooks
                ).run(inputs=inputs)
            finally:
                worker.wait()
            for name in self._policies:
                source = Path(storage) / name
                if source.is_dir():
                    shutil.copytree(source, self._model_storage._storage_path / name)
        return outputs


def may_split(context: ExecutionContext) -> bool:
    """Fine-tuning loads every node's old model in place; one core gains nothing."""
    return not context.is_finetuning and (os.cpu_count() or 1) > 1


def install() -> None:
    """Train policies in a child process in `rasa train` (idempotent)."""
    import rasa.model_training

    rasa.model_training.DaskGraphRunner = PolicyParallelRunner  # type: ignore[assignment,misc]


def uninstall() -> None:
    """Rasa's own runner again (for tests that compare both)."""
    import rasa.model_training
    from rasa.engine.runner.dask import DaskGraphRunner

    rasa.model_training.DaskGraphRunner = DaskGraphRunner  # type: ignore[misc]
