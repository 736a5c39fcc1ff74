"""Browser tests: a real `yiwang serve` on its own database, driven by Debian Chromium.

The live server is a separate process with its own database (built by `yiwang db upgrade` and
`yiwang demo`), so none of the per-test transaction fixtures of tests/conftest.py apply here.
Every HTML document the browser receives and every line the server logged is appended to
tests.support.OUTPUTS, so the privacy scan covers the browser tests too.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import BrowserContext, Error, Response

from tests.conftest import fresh_database_url
from tests.support import OUTPUTS, Captured, run_cli

E2E_DIR = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
STARTUP_SECONDS = 30.0
SHUTDOWN_SECONDS = 10.0
# Bounded waits: a hanging page fails the test instead of the run.
TIMEOUT_MS = 10_000


def _is_e2e(item: pytest.Item) -> bool:
    return E2E_DIR in Path(str(item.path)).resolve().parents


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the browser tests and run them after every other test but those of tests/zz_*.

    Playwright's sync API keeps its event loop registered as the thread's running loop from the
    first browser test to the end of the session, and pytest-asyncio cannot run a coroutine test
    after that ("Runner.run() cannot be called from a running event loop"). So the asyncio tests
    go first; tests/zz_* (the privacy scan) still run last, to see the browser pages too.
    """
    for item in items:
        if _is_e2e(item):
            item.add_marker(pytest.mark.e2e)

    def last(item: pytest.Item) -> bool:
        return any(p.name.startswith("zz_") for p in Path(str(item.path)).resolve().parents)

    def rank(item: pytest.Item) -> int:
        return 2 if last(item) else 1 if _is_e2e(item) else 0

    items[:] = sorted(items, key=rank)  # stable: the order within each group is kept


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(env: dict[str, str], *args: str) -> None:
    done = run_cli(*args, env=env)
    if done.returncode != 0:
        pytest.fail(
            f"yiwang {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
        )


def _wait_healthy(base: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(
                f"yiwang serve exited {server.returncode}:\n{log.read_text(errors='replace')}"
            )
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"{base}/healthz", timeout=2.0).status_code == 200:
                return
        time.sleep(0.1)  # polling a starting process, not waiting for the page under test
    pytest.fail(
        f"yiwang serve not healthy after {STARTUP_SECONDS:.0f} s:\n"
        f"{log.read_text(errors='replace')}"
    )


class ServerLog:
    """The server's log file, copied line by line into OUTPUTS as it grows."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0

    def flush(self, *, final: bool = False) -> None:
        if not self.path.exists():
            return
        with self.path.open("rb") as f:
            f.seek(self.offset)
            data = f.read()
        if not final:  # a line still being written waits for the next flush
            data = data[: data.rfind(b"\n") + 1]
        self.offset += len(data)
        for line in data.decode("utf-8", errors="replace").splitlines():
            OUTPUTS.append(Captured("server-log", line))


_SERVER_LOGS: list[ServerLog] = []


@pytest.fixture(scope="session")
def live_database_url() -> str:
    """The live server's own database, for a test that must look something up in it."""
    return fresh_database_url("yiwang_e2e")


@pytest.fixture(scope="session")
def live_server(live_database_url: str) -> Iterator[str]:
    """Base URL of `yiwang serve` on a fresh database with the demo data loaded."""
    env = dict(os.environ)
    env["YIWANG_DATABASE_URL"] = live_database_url
    _run(env, "db", "upgrade")
    _run(env, "demo")

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env["YIWANG_BASE_URL"] = base
    log = ServerLog(Path(tempfile.mkdtemp(prefix="yiwang-e2e-")) / "server.log")
    with log.path.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "yiwang", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    _SERVER_LOGS.append(log)
    try:
        _wait_healthy(base, server, log.path)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=SHUTDOWN_SECONDS)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=SHUTDOWN_SECONDS)
        log.flush(final=True)
        _SERVER_LOGS.remove(log)


@pytest.fixture(autouse=True)
def _server_log_to_outputs() -> Iterator[None]:
    """After each browser test, so the privacy scan (which runs before the session ends) sees it."""
    yield
    for log in _SERVER_LOGS:
        log.flush()


@pytest.fixture(scope="session")
def base_url(live_server: str) -> str:
    """pytest-playwright opens relative URLs against this (page.goto("/login"))."""
    return live_server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
        "timeout": 30_000,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "zh-CN", "viewport": {"width": 1280, "height": 800}}


@pytest.fixture
def context(context: BrowserContext) -> Iterator[BrowserContext]:
    """Every HTML document of every page in the context goes to OUTPUTS for the privacy scan."""
    missed: list[str] = []

    def keep(response: Response) -> None:
        if "text/html" not in response.headers.get("content-type", ""):
            return
        if 300 <= response.status < 400:  # a redirect has no body to read
            return
        try:
            OUTPUTS.append(Captured(response.url, response.text()))
        except Error as exc:
            missed.append(f"{response.url}: {exc}")

    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    context.on("response", keep)
    yield context
    assert not missed, f"HTML documents not recorded for the privacy scan: {missed}"
