"""What the settings and CLI tests share: a store in the environment, a stores file, no stray BIGCOMMERCE_* variable."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SECRET = "tok-SECRET-cli-77"
STORE = {"BIGCOMMERCE_STORE_HASH": "abc", "BIGCOMMERCE_ACCESS_TOKEN": SECRET}


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("BIGCOMMERCE_"):
            monkeypatch.delenv(name)


def setenv(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)


def stores_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    path = tmp_path / "stores.toml"
    path.write_text(text)
    monkeypatch.setenv("BIGCOMMERCE_STORES_FILE", str(path))
    monkeypatch.setenv("MAIN_TOKEN", SECRET)
    return path


MAIN = "[stores.main]\nstore_hash = 'abc'\naccess_token_env = 'MAIN_TOKEN'\n"
