"""Run `check_file` over many files: cache, worker processes, time limit, progress.

Results come back in the order of the input whatever the number of
workers, so output is deterministic; progress is reported as chunks
finish (in any order).  Workers are replaced after a number of chunks,
which bounds the memory a long run can hold: a run is a series of pools,
each given at most CHUNKS_PER_WORKER chunks a worker.  (Not the pool's own
`max_tasks_per_child`: on Python 3.11-3.13 it deadlocks once a worker
retires with tasks still queued, CPython gh-115634.)  A file that takes
longer than the time limit is reported as skipped and the worker goes on.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from analyzer.cache import Cache
from analyzer.checker import FileResult, Options, check_file
from analyzer.frontend import kbuild

CHUNKS_PER_WORKER = 100  # chunks a worker process runs before it is replaced (bounds memory)
_SERIAL_BELOW = 8  # fewer files than this are not worth starting processes for

Progress = Callable[[list[FileResult]], None]


class _Timeout(BaseException):
    """Raised by the alarm inside a slow file; BaseException so no `except Exception` eats it."""


def _on_alarm(signum, frame):
    raise _Timeout


def check_guarded(path: str, options: Options) -> FileResult:
    """check_file under the per-file time limit (a SIGALRM timer, main thread only)."""
    limit = options.timeout
    if not limit or limit <= 0 or threading.current_thread() is not threading.main_thread():
        return check_file(path, options)
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    try:
        signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            return check_file(path, options)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _Timeout:
        return FileResult(path, skipped=f"took longer than {limit:g} s (--timeout)")
    finally:
        signal.signal(signal.SIGALRM, previous)


def _may_spare_collector() -> bool:
    """May the cycle collector be kept off what the cache lookups read?

    The lookups make only acyclic objects that live until the run ends (the
    shards' JSON, one result per file: about 250,000 over drivers/), so the
    collector finds nothing in them, but its passes over them (the last one
    over the whole heap) were a quarter of the lookups' time in a warm run.
    `run` pauses it while they are read, then freezes them (`gc.freeze`: out
    of every later collection, still freed by reference counting) until it
    returns.  The collector is the process's: only in the main thread, and
    only when nothing else froze objects (`unfreeze` thaws them all).
    """
    return (
        gc.isenabled()
        and gc.get_freeze_count() == 0
        and threading.current_thread() is threading.main_thread()
    )


def _check_chunk(paths: list[str], options: Options) -> list[FileResult]:
    return [check_guarded(p, options) for p in paths]


def _pool(jobs: int) -> ProcessPoolExecutor:
    # forkserver: each worker forks from a small process that imported the
    # engine once, not from this one (threads, a progress bar, results).
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["analyzer.checker", "analyzer.runner", "analyzer.preload"])
    return ProcessPoolExecutor(max_workers=jobs, mp_context=ctx)


def run(
    files: list[str],
    options: Options,
    jobs: int,
    cache: Cache | None = None,
    progress: Progress | None = None,
    entries: dict[str, os.DirEntry] | None = None,
) -> list[FileResult]:
    """One result per file, in the order of `files` (`entries`: directory
    entries of some of them, as `Cache.lookup` takes them)."""
    kbuild.forget()  # Makefiles are read afresh each run (a process may run again)
    spare = _may_spare_collector()
    if spare:
        gc.disable()
    try:
        results, todo = _cached(files, cache, entries or {})
    finally:
        if spare:
            gc.freeze()
            gc.enable()  # (the checks make cycles: collected as usual)
    try:
        return _check(files, results, todo, options, jobs, cache, progress)
    finally:
        if spare:
            gc.unfreeze()


def _cached(
    files: list[str], cache: Cache | None, entries: dict[str, os.DirEntry]
) -> tuple[list[FileResult | None], list[int]]:
    """The cached result of each file (None if none), and the indices of those without."""
    results: list[FileResult | None] = [None] * len(files)
    todo: list[int] = []
    for i, path in enumerate(files):
        hit = cache.lookup(path, entries.get(path)) if cache is not None else None
        if hit is None:
            todo.append(i)
        else:
            results[i] = hit
    return results, todo


def _check(files, results, todo, options, jobs, cache, progress) -> list[FileResult]:
    """Check the files without a cached result (`todo`), store them, and return all results."""
    if progress is not None and len(todo) < len(files):
        progress([r for r in results if r is not None])

    def done(indices: list[int], got: list[FileResult]) -> None:
        for i, res in zip(indices, got, strict=True):
            results[i] = res
            if cache is not None:
                cache.store(res)
        if progress is not None:
            progress(got)

    if jobs <= 1 or len(todo) < _SERIAL_BELOW:
        for i in todo:
            done([i], [check_guarded(files[i], options)])
    else:
        _run_parallel(files, todo, options, jobs, done)
    if cache is not None:
        cache.save()
    return [r for r in results if r is not None]


def _run_parallel(files, todo, options, jobs, done) -> None:
    size = max(1, min(32, len(todo) // (jobs * 8)))
    chunks = _chunks(files, todo, size, jobs)
    per_pool = max(1, CHUNKS_PER_WORKER * jobs)
    for first in range(0, len(chunks), per_pool):
        _run_pool(files, chunks[first : first + per_pool], options, jobs, done)


def _chunks(files, todo, size, jobs) -> list[list[int]]:
    """Largest files first, in chunks of at most `size` files and about an equal
    share of bytes: the long files start early instead of ending the run on one
    worker while the others wait (results keep the input order regardless)."""
    sizes = {}
    for i in todo:
        try:
            sizes[i] = os.stat(files[i]).st_size
        except OSError:
            sizes[i] = 0
    ordered = sorted(todo, key=lambda i: -sizes[i])
    budget = max(sum(sizes.values()) // (jobs * 64), 1)
    chunks: list[list[int]] = []
    chunk: list[int] = []
    held = 0
    for i in ordered:
        chunk.append(i)
        held += sizes[i]
        if len(chunk) >= size or held >= budget:
            chunks.append(chunk)
            chunk, held = [], 0
    if chunk:
        chunks.append(chunk)
    return chunks


def _run_pool(files, chunks, options, jobs, done) -> None:
    pool = _pool(jobs)
    try:
        pending = {
            pool.submit(_check_chunk, [files[i] for i in chunk], options): chunk for chunk in chunks
        }
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in finished:
                chunk = pending.pop(fut)
                try:
                    got = fut.result()
                except BrokenProcessPool:
                    # A worker died (killed, or a crash in native code): check
                    # the chunk's files one at a time rather than lose them.
                    got = [_isolated(files[i], options) for i in chunk]
                done(chunk, got)
    except BaseException:  # Ctrl-C, SIGTERM: do not wait for the queued chunks,
        # nor for the running ones (a chunk is up to 64 files): stop the workers
        # (`_processes`, taken before shutdown drops it: no public handle on them)
        workers = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in workers:
            process.terminate()
        raise
    pool.shutdown()


def _isolated(path: str, options: Options) -> FileResult:
    """Check one file in a process of its own, so a crash costs only that file."""
    try:
        ctx = multiprocessing.get_context("forkserver")
        with ProcessPoolExecutor(max_workers=1, mp_context=ctx) as pool:
            return pool.submit(check_guarded, path, options).result()
    except BrokenProcessPool:
        return FileResult(path, error="internal error: the worker checking it crashed")
