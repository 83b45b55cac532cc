from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def storage_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each test stores asset bytes in its own directory."""
    from resolvers.assets.storage import set_storage
    from settings import get_settings

    root = tmp_path / "storage"
    monkeypatch.setenv("ASSET_STORAGE_DIR", str(root))
    get_settings.cache_clear()
    set_storage(None)
    yield root
    set_storage(None)
