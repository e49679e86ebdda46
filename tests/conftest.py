"""Shared fixtures: the real Krackhardt data (the bundled sample, read in place) and small
real workbooks."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Qt tests run without a display; set before any test module imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Remembered column mappings go to a throwaway folder, never the user's config.
os.environ["ORGMAP_CONFIG_DIR"] = tempfile.mkdtemp(prefix="orgmap-config-")

REPO = Path(__file__).resolve().parents[1]
# the bundled samples are package data (orgmap.assets); tests read them from the checkout
SAMPLES = REPO / "orgmap" / "samples"
KRACKHARDT = SAMPLES / "krackhardt-hightech"


@pytest.fixture(scope="session")
def krackhardt_dir() -> Path:
    assert KRACKHARDT.is_dir(), f"the bundled Krackhardt sample is missing: {KRACKHARDT}"
    return KRACKHARDT


@pytest.fixture(scope="session")
def krackhardt_org(krackhardt_dir):
    from orgmap.loader import load

    return load([krackhardt_dir])


@pytest.fixture(autouse=True)
def _own_config_folder(tmp_path_factory, monkeypatch):
    """Each test remembers column mappings in a folder of its own."""
    monkeypatch.setenv("ORGMAP_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
