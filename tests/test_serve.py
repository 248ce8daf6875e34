"""`sopkb serve`: a live preview in which saving a YAML source refreshes the page."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request

from tests.conftest import free_port


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(predicate, seconds: float) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def test_saving_a_source_rebuilds_the_served_page(kb_copy):
    root = kb_copy("kb-small")
    port = free_port()
    url = f"http://127.0.0.1:{port}/sops/refund/"
    server = subprocess.Popen(
        [sys.executable, "-m", "sopkb.cli", "-C", str(root), "serve", "-a", f"127.0.0.1:{port}"],
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert wait_for(lambda: "Refund request" in fetch(url), 60)
        source = root / "sops" / "refund.yaml"
        source.write_text(
            source.read_text().replace("title: Refund request", "title: Refund or credit request")
        )
        assert wait_for(lambda: "Refund or credit request" in fetch(url), 60)
    finally:
        server.terminate()
        server.wait(timeout=20)
