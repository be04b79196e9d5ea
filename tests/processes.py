"""Real processes for the tests about workers and faults: a redis-server of the test's own (to stop,
hang and start again), a `celery worker` on the test database, and a `celery beat`."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import redis
from celery import current_app
from django.db import connection
from django.test import override_settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate: Callable[[], bool], seconds: float = 45) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


class RedisServer:
    """redis-server on a spare port, in a directory of its own, nothing persisted (like the
    services' one): stopping it loses every key and every queued task."""

    def __init__(self, directory: Path):
        self.port = free_port()
        self.directory = directory
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        assert wait_for(self.answers, 15), "redis-server did not start"

    def answers(self) -> bool:
        try:
            return redis.Redis.from_url(self.url, socket_timeout=0.5).ping()
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)  # a paused server cannot act on SIGTERM
            self.process.terminate()
            self.process.wait(timeout=15)

    def pause(self) -> None:
        """Hang it: connections are accepted by the kernel, nothing is ever answered."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)


@contextmanager
def redis_at(url: str):
    """This test process's cache, queue marker and Celery broker on another Redis."""
    from django.conf import settings

    cache = {**settings.CACHES["default"], "LOCATION": url}
    app = current_app
    before = app.conf.broker_url
    with override_settings(REDIS_URL=url, CELERY_BROKER_URL=url, CACHES={"default": cache}):
        _broker(app, url)
        try:
            yield
        finally:
            _broker(app, before)


def _broker(app, url: str) -> None:
    app.conf.CELERY_BROKER_URL = url
    # Celery keeps its producer connections per process; drop them so the next publish uses `url`.
    app._pool = None
    app.amqp._producer_pool = None


def _process_env(redis_url: str, **extra: str) -> dict[str, str]:
    db = connection.settings_dict
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "False",
        "DJANGO_SETTINGS_MODULE": "qianjiang_hrss.settings.test",
        **extra,
    }


class Processes:
    """Celery processes on the test database; every one still running is stopped at the end."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.started: list[subprocess.Popen] = []

    def _start(self, args: list[str], redis_url: str, **env: str) -> subprocess.Popen:
        log = open(self.directory / f"celery-{len(self.started)}.log", "w")  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "qianjiang_hrss", *args],
            env=_process_env(redis_url, **env),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.started.append(process)
        return process

    def worker(self, redis_url: str, name: str = "test", **env: str) -> subprocess.Popen:
        """Started and connected (its log says it is ready). `env`: settings of its own (email server…)."""
        process = self._start(["worker", "--pool=solo", "-l", "info", "-n", f"{name}@%h"], redis_url, **env)
        log = self.directory / f"celery-{len(self.started) - 1}.log"
        assert wait_for(lambda: " ready." in log.read_text() or process.poll() is not None, 60)
        assert process.poll() is None, log.read_text()[-3000:]
        return process

    def beat(self, redis_url: str, every_seconds: int) -> subprocess.Popen:
        schedule = self.directory / "celerybeat-schedule"
        return self._start(
            ["beat", "-l", "info", "--schedule", str(schedule)],
            redis_url,
            COMPLETION_DRAIN_SECONDS=str(every_seconds),
        )

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()

    def logs(self) -> str:
        return "\n".join(p.read_text()[-3000:] for p in sorted(self.directory.glob("celery-*.log")))
