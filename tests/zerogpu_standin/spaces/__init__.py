"""A stand-in for Hugging Face's ``spaces`` package in ZeroGPU mode, for tests on a CPU.

It keeps what makes ZeroGPU different from a GPU box (read from ``spaces`` 0.51's own source,
``spaces/zero/wrappers.py`` and ``spaces/zero/torch/patching.py``):

- every call of a ``@spaces.GPU`` function runs in a process forked from this one, its arguments
  and its result pickled across; a worker is sometimes reused (its memory frozen at its fork: what
  this process wrote since is not there) and sometimes forked afresh — here, in turn;
- an exception other than ``gr.Error`` comes back as a bare "ZeroGPU worker error" naming its class;
- the ``duration`` callable is called here, with the call's own arguments, before the fork;
- after ``launch()`` the weights are packed away: any model forward in this process is an error.

Each call is logged as a JSON line to ``$ZEROGPU_STANDIN_LOG`` (asked seconds, worker pid, fresh or
reused) for the tests to read. The child runs torch on one thread: torch's OpenMP pool does not
survive a fork.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import pickle
import threading
import traceback
from collections.abc import Callable
from typing import Any

import gradio as gr

MAIN_PID = os.getpid()
_launched = threading.Event()
_original_launch = gr.Blocks.launch
_fork = multiprocessing.get_context("fork")


class ModelUsedAfterLaunch(RuntimeError):
    """A model ran in the main process after launch(): on ZeroGPU its weights are packed away then."""


def _refuse_forward_in_main(module: Any, args: Any) -> None:
    del args
    if os.getpid() == MAIN_PID and _launched.is_set():
        raise ModelUsedAfterLaunch(f"{type(module).__name__} ran in the main process after launch() "
                                   "(on ZeroGPU the weights are packed away at launch)")


def _launch(self: gr.Blocks, *args: Any, **kwargs: Any) -> Any:
    import torch

    torch.nn.modules.module.register_module_forward_pre_hook(_refuse_forward_in_main)
    _launched.set()
    return _original_launch(self, *args, **kwargs)


gr.Blocks.launch = _launch


def _log(entry: dict[str, Any]) -> None:
    path = os.environ.get("ZEROGPU_STANDIN_LOG")
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry) + "\n")


def _serve(task: Callable[..., Any], connection: Any, parents_end: Any) -> None:
    """The worker: one thread for torch, then calls until the pipe closes or the app is gone."""
    import torch

    parents_end.close()  # the fork copied it: keep only ours, so the app's exit closes the pipe
    parent = os.getppid()
    torch.set_num_threads(1)
    while True:
        try:
            while not connection.poll(1.0):
                if os.getppid() != parent:  # the app was killed: nobody will call again
                    return
            payload = connection.recv_bytes()
        except (EOFError, OSError):
            return
        args, kwargs = pickle.loads(payload)
        try:
            reply = ("ok", task(*args, **kwargs))
        except gr.Error as exc:
            reply = ("gradio", exc)
        except Exception as exc:  # noqa: BLE001 - ZeroGPU sends back only the class name
            reply = ("error", type(exc).__name__, traceback.format_exc())
        connection.send_bytes(pickle.dumps(reply))


class _Worker:
    def __init__(self, task: Callable[..., Any]) -> None:
        self.connection, child = _fork.Pipe()
        self.process = _fork.Process(target=_serve, args=(task, child, self.connection), daemon=True)
        self.process.start()
        child.close()

    def call(self, payload: bytes) -> Any:
        self.connection.send_bytes(payload)
        try:
            return pickle.loads(self.connection.recv_bytes())
        except EOFError:
            return ("error", "WorkerDied", "the worker process ended")

    def close(self) -> None:
        self.connection.close()
        self.process.join(timeout=5)


def GPU(task: Callable[..., Any] | None = None, *, duration: Any = None, size: str | None = None) -> Any:
    """``spaces.GPU`` as ZeroGPU runs it (see the module's docstring)."""
    if task is None:
        return lambda fn: GPU(fn, duration=duration, size=size)
    kept: list[_Worker] = []
    lock = threading.Lock()
    calls = [0]

    def handler(*args: Any, **kwargs: Any) -> Any:
        asked = duration(*args, **kwargs) if callable(duration) else (duration or 60)
        payload = pickle.dumps((args, kwargs))  # as ZeroGPU does: a call whose arguments cannot be pickled fails
        with lock:
            calls[0] += 1
            fresh = calls[0] % 2 == 1 or not kept or not kept[0].process.is_alive()
            if fresh:
                for worker in kept:
                    worker.close()
                kept[:] = [_Worker(task)]
            worker = kept[0]
            _log({"function": getattr(task, "__name__", "?"), "asked_s": float(asked), "fresh": fresh,
                  "worker": worker.process.pid, "launched": _launched.is_set()})
            reply = worker.call(payload)
        if reply[0] == "ok":
            return reply[1]
        if reply[0] == "gradio":
            raise reply[1]
        print(reply[2], flush=True)
        raise gr.Error(reply[1], title="ZeroGPU worker error")

    handler.__name__ = getattr(task, "__name__", "gpu_task")
    return handler
