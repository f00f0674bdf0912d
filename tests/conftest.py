from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
SAMPLES = SHARED / "samples"


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared folder is not beside this checkout)")
    return path


@pytest.fixture
def seeds_dir() -> Path:
    return _need(SEEDS)


@pytest.fixture
def samples_dir() -> Path:
    return _need(SAMPLES)


def seed(name: str) -> Path:
    return _need(SEEDS / name)


def sample(name: str) -> Path:
    return _need(SAMPLES / name)
