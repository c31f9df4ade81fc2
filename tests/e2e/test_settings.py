"""End to end: the command as a real process, started with settings that used to pass the start check and fail
later, or never finish starting: each is refused within seconds, in one line on stderr, echoing no password."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.processes import REPO, SCRIPT, base_env

pytestmark = pytest.mark.e2e

STORE = {"BIGCOMMERCE_STORE_HASH": "abc", "BIGCOMMERCE_ACCESS_TOKEN": "e2e-SECRET-settings-41"}


def started(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SCRIPT, *args], env=base_env(**env), cwd=REPO, capture_output=True, text=True, timeout=20, check=False
    )


def assert_one_line(done: subprocess.CompletedProcess[str], expected: str) -> None:
    assert done.returncode == 2, done.stderr[-2000:]
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1, done.stderr[-2000:]
    assert expected in done.stderr
    assert "e2e-SECRET" not in done.stderr


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://api.example.com:123456", "BIGCOMMERCE_API_URL must have a port from 1 to 65535"),
        ("https://api.example.com:https", "BIGCOMMERCE_API_URL must have a port from 1 to 65535"),
        ("https://api.example.com/" + "s" * 50_000, "BIGCOMMERCE_API_URL must be at most 2048 characters"),
        ("https://ops:pa55-word@api.example.com", "BIGCOMMERCE_API_URL must not carry a user name or password"),
    ],
)
def test_check_refuses_an_api_url_it_could_not_use_in_one_line(url: str, expected: str) -> None:
    done = started("check", **STORE, BIGCOMMERCE_API_URL=url)
    assert_one_line(done, expected)
    assert "pa55" not in done.stderr


def test_a_stores_file_that_is_a_fifo_or_a_device_stops_the_server_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "stores.toml"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/urandom")):
        # Over stdio the server would wait for a client after its start: it must stop before that.
        done = started(BIGCOMMERCE_STORES_FILE=str(path))
        assert_one_line(done, "is not a regular file")


def test_a_stores_file_nested_deep_stops_the_server_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "stores.toml"
    path.write_text("x = " + "[{a = " * 20_000 + "1" + "}]" * 20_000 + "\n")
    assert_one_line(started("check", BIGCOMMERCE_STORES_FILE=str(path)), "is nested more than 32 levels deep")
