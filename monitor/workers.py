"""Extraction workers: the CPU-bound part of each article (monitor.pages.read_page, and the analysis
of stored articles relinked) in worker processes, one per core, so that it runs beside the
pipeline's I/O threads instead of taking turns with them under the GIL.

A worker is `python -m monitor.workers`, a small process that imports only what extraction and
analysis need (no HTTP client, no database), reads tasks on its stdin and answers on its stdout:
length-prefixed pickles of plain records (monitor.pages). Each worker is driven by one thread of
the monitor, which sends it a task, waits for the answer and hands it back as a Future; the
archive is still written by the pipeline's one writer. A worker is replaced when it has done
`max_tasks` tasks or grown past `max_rss` (memory that lxml and trafilatura keep stays bounded),
when it dies (its task fails with WorkerLost, the entry is retried by a later run) or when a task
runs past `task_timeout` (the worker is killed). Workers start on the first task, so a cycle with
nothing to extract starts none, and end with the monitor: closing their stdin (or the monitor's
death, even by SIGKILL) ends them.

`start_workers(0, ...)` (a one-core machine, or `processes: 0` in feeds.yaml) gives the same
interface running everything in the calling thread.
"""

from __future__ import annotations

import logging
import os
import pickle
import queue
import select
import signal
import struct
import subprocess
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from pathlib import Path

from monitor.analysis import Analysis, analyse
from monitor.facts import FactBook
from monitor.memory import trimmer
from monitor.pages import PageTask, read_page

_HEADER = struct.Struct("!I")
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[1])


class WorkerLost(RuntimeError):
    """A worker process died or was killed (a task that ran too long) before it answered."""


class TaskFailed(RuntimeError):
    """A task raised an exception in a worker (a bug); the worker lives on."""


def usable_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def processes_for(setting: int | None) -> int:
    """How many worker processes a `processes` setting means: None (auto) is one per usable core,
    or none (extract in the calling process) on a one-core machine."""
    if setting is not None:
        return max(0, setting)
    cores = usable_cores()
    return cores if cores > 1 else 0


class InlineWorkers:
    """The workers' interface, run in the calling thread (no worker processes)."""

    processes = 0

    def __init__(self, book: FactBook) -> None:
        self.book = book

    def set_book(self, book: FactBook) -> None:
        self.book = book

    def submit(self, task: PageTask) -> Future:
        future: Future = Future()
        try:
            future.set_result(read_page(task, self.book))
        except Exception as exc:
            future.set_exception(TaskFailed(f"{type(exc).__name__}: {exc}"))
        return future

    def analyse_many(self, items: Sequence[tuple], seconds: dict[str, float] | None = None) -> list[Analysis]:
        """The analyses of (title, text, lang[, published]) items, in order."""
        return [_analyse_item(item, self.book, seconds) for item in items]

    def close(self, wait: bool = True) -> None:
        pass


class ProcessWorkers:
    """`processes` worker processes (see the module docstring). Thread-safe."""

    def __init__(
        self,
        processes: int,
        book: FactBook,
        *,
        max_tasks: int = 500,
        max_rss: int = 160 * 2**20,
        task_timeout: float = 120.0,
    ) -> None:
        if processes < 1:
            raise ValueError("ProcessWorkers needs at least one process (InlineWorkers runs in-process)")
        self.processes = processes
        self.book = book
        self.max_tasks = max_tasks
        self.max_rss = max_rss
        self.task_timeout = task_timeout
        self.started = 0  # worker processes started so far (replacements included)
        self._tasks: queue.SimpleQueue = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._children: set[_Child] = set()
        self._lock = threading.Lock()
        self._closed = False

    def set_book(self, book: FactBook) -> None:
        """Analyse later tasks with `book` (workers get it before their next task)."""
        self.book = book

    def submit(self, task: PageTask) -> Future:
        """Read one page in a worker. The Future holds a PageRecord, or raises WorkerLost or TaskFailed."""
        return self._submit("page", task)

    def analyse_many(self, items: Sequence[tuple], seconds: dict[str, float] | None = None) -> list[Analysis]:
        """The analyses of (title, text, lang[, published]) items, in order, shared among the workers. Raises
        WorkerLost or TaskFailed."""
        size = max(1, min(50, len(items) // (self.processes * 4) or 1))
        futures = [self._submit("analyse", list(items[i : i + size])) for i in range(0, len(items), size)]
        analyses: list[Analysis] = []
        for future in futures:
            done, spent = future.result()
            analyses.extend(done)
            if seconds is not None:
                for stage, value in spent:
                    seconds[stage] = seconds.get(stage, 0.0) + value
        return analyses

    def close(self, wait: bool = True) -> None:
        """End the workers. `wait=False` (stopping): tasks in flight are abandoned, their workers
        killed at once; their futures raise WorkerLost."""
        with self._lock:
            self._closed = True
            threads = list(self._threads)
            children = list(self._children)
        for _ in threads:
            self._tasks.put(None)
        if not wait:  # the threads see their workers die, fail their tasks and end on their own
            for child in children:
                child.kill()
            return
        for thread in threads:
            thread.join()
        while True:  # tasks nobody will take
            try:
                item = self._tasks.get_nowait()
            except queue.Empty:
                break
            if item is not None and item[0].set_running_or_notify_cancel():
                item[0].set_exception(WorkerLost("the workers were closed"))

    def _submit(self, kind: str, payload: object) -> Future:
        future: Future = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError("the workers are closed")
            if len(self._threads) < self.processes:
                thread = threading.Thread(target=self._drive, name=f"monitor-worker-{len(self._threads)}", daemon=True)
                self._threads.append(thread)
                thread.start()
        self._tasks.put((future, kind, payload))
        return future

    def _drive(self) -> None:
        """One worker process's thread: takes tasks, runs them in its process, answers the futures."""
        child: _Child | None = None
        try:
            while True:
                item = self._tasks.get()
                if item is None:
                    return
                future, kind, payload = item
                if not future.set_running_or_notify_cancel():
                    continue
                try:
                    if child is None or child.tasks >= self.max_tasks or child.rss > self.max_rss:
                        if child is not None:
                            self._retire(child)
                        child = self._spawn()
                    if child.book_version != self.book.version:
                        book = self.book
                        child.send(("book", book))
                        child.book_version = book.version
                    child.send((kind, payload))
                    status, value, rss = child.receive(self.task_timeout)
                except (WorkerLost, OSError, EOFError, pickle.PickleError) as exc:
                    if child is not None:
                        self._retire(child, kill=True)
                        child = None
                    future.set_exception(exc if isinstance(exc, WorkerLost) else WorkerLost(f"worker lost: {exc}"))
                    continue
                child.tasks += 1
                child.rss = rss
                if status == "ok":
                    future.set_result(value)
                else:
                    future.set_exception(TaskFailed(value))
        finally:
            if child is not None:
                self._retire(child)

    def _spawn(self) -> "_Child":
        with self._lock:
            if self._closed:
                raise WorkerLost("the workers were closed")
            child = _Child.start()
            self._children.add(child)
            self.started += 1
        return child

    def _retire(self, child: "_Child", kill: bool = False) -> None:
        with self._lock:
            self._children.discard(child)
        child.kill() if kill else child.close()


def start_workers(processes: int, book: FactBook, **options) -> InlineWorkers | ProcessWorkers:
    """Workers for `processes` processes (0: in the calling thread). See ProcessWorkers for options."""
    return ProcessWorkers(processes, book, **options) if processes > 0 else InlineWorkers(book)


class _Child:
    """One worker process and its two pipes."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.process = process
        self.tasks = 0
        self.rss = 0
        self.book_version: str | None = None

    @classmethod
    def start(cls) -> "_Child":
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [_PACKAGE_ROOT, env.get("PYTHONPATH")]))
        process = subprocess.Popen(
            [sys.executable, "-m", "monitor.workers"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, close_fds=True, bufsize=0,
        )  # fmt: skip
        return cls(process)

    def send(self, message: object) -> None:
        _write(self.process.stdin, message)

    def receive(self, timeout: float) -> tuple[str, object, int]:
        """The answer to the task just sent; WorkerLost when the process died or took longer than `timeout`."""
        stdout = self.process.stdout
        ready, _, _ = select.select([stdout], [], [], timeout)
        if not ready:
            self.kill()
            raise WorkerLost(f"no answer within {timeout:g}s: the worker was killed")
        message = _read(stdout)
        if message is None:
            code = self.process.wait()
            raise WorkerLost(f"the worker process ended (exit status {code})")
        return message

    def close(self) -> None:
        try:
            self.process.stdin.close()
        except OSError:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()
        self.process.stdout.close()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


def _write(stream, message: object) -> None:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    data = memoryview(_HEADER.pack(len(payload)) + payload)
    while data:  # an unbuffered pipe may take part of it at a time
        written = stream.write(data)
        data = data[written if written is not None else 0 :]
    stream.flush()


def _read(stream) -> object | None:
    """One message, or None at the end of the stream."""
    header = _read_exactly(stream, _HEADER.size)
    if header is None:
        return None
    data = _read_exactly(stream, _HEADER.unpack(header)[0])
    return None if data is None else pickle.loads(data)


def _read_exactly(stream, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = stream.read(left)
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _rss() -> int:
    """This process's resident memory, in bytes."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


_TRIM_EVERY = 25  # tasks between two trims: a trim costs about a millisecond


def _analyse_item(item: tuple, book: FactBook, seconds: dict[str, float] | None) -> Analysis:
    """One (title, text, lang[, published]) item of `analyse_many`."""
    title, text, lang = item[:3]
    return analyse(title, text, lang, book, seconds, item[3] if len(item) > 3 else None)


def serve(inbox, outbox) -> None:
    """A worker's loop: tasks from `inbox`, answers to `outbox`, until the inbox ends."""
    book: FactBook | None = None
    trim, done = trimmer(), 0
    while True:
        done += 1
        if done % _TRIM_EVERY == 0:
            trim()
        message = _read(inbox)
        if message is None:
            return
        kind, payload = message
        if kind == "book":
            book = payload
            continue
        try:
            if kind == "page":
                result: object = read_page(payload, book)
            elif kind == "analyse":
                seconds: dict[str, float] = {}
                result = ([_analyse_item(item, book, seconds) for item in payload], tuple(seconds.items()))
            else:
                raise ValueError(f"unknown task {kind!r}")
            answer = ("ok", result, _rss())
        except Exception as exc:
            answer = ("error", f"{type(exc).__name__}: {exc}", _rss())
        try:
            _write(outbox, answer)
        except BrokenPipeError:  # the monitor is gone
            return


def main() -> None:
    # Ctrl-C reaches the whole process group: the monitor decides what stops, not its workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.basicConfig(level=logging.ERROR, format="monitor worker: %(levelname)s %(name)s: %(message)s")
    inbox = os.fdopen(os.dup(0), "rb")
    outbox = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed goes to stderr, never into the answers
    serve(inbox, outbox)


if __name__ == "__main__":
    main()

