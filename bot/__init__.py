"""The ICLEI assistant's own code: NLU components, dialogue, answers, enquiries, operations."""

import sys

# TensorFlow pulls in JAX (0.4-0.8 s of every process's start) only for TensorFlow Lite's
# converter, which it imports inside `try: ... except ImportError`; nothing here uses either.
sys.modules.setdefault("jax", None)  # type: ignore[arg-type]
