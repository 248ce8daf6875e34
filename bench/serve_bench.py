"""Save-to-reload in `sopkb serve`: how long after an author saves an SOP the served page shows it.

For each N it makes a KB of the richest bundled SOP cloned N times (as bench/build_bench.py's
leadership workload does), starts `sopkb serve` on it, waits for the first build, then edits one
SOP's say line several times, each time polling the served page every 20 ms (as a browser's live
reload fetches it once told) until it shows the new words. It reports the first build and each
save's latency (median and worst), and the server's peak memory.

    python bench/serve_bench.py                   # N = 100 and 1000, 5 saves each
    python bench/serve_bench.py --sizes 10000 --saves 3
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import yaml  # noqa: E402
from build_bench import DUMPER, _map_strings, leadership_clones, slug, write_sopkb  # noqa: E402

SAY = "Let me see how I can get this handled for you right away."
TIMEOUT = 600.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, words: str, since: float) -> float:
    while time.perf_counter() - since < TIMEOUT:
        page = fetch(url)
        if page is not None and words in page:
            return time.perf_counter() - since
        time.sleep(0.02)
    raise SystemExit(f"{url} never showed {words!r} within {TIMEOUT:.0f} s")


def peak_kb(pid: int) -> int:
    """The server's peak resident memory so far (VmHWM), in KB; 0 where /proc has none."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def run(n: int, saves: int, workdir: Path) -> dict:
    root = workdir / f"kb-{n}"
    sops = leadership_clones(n)
    write_sopkb(root, sops, "leadership")
    sop = sops[n // 2]
    edited = root / "sops" / slug(sop["category"]) / f"{sop['id']}.yaml"
    port = free_port()
    url = f"http://127.0.0.1:{port}/sops/{sop['id']}/"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    log = (workdir / f"serve-{n}.log").open("w")  # the server's own account of each save
    started = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "sopkb.cli", "-C", str(root), "serve", "--dev-addr", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=log,
        env=env,
    )
    try:
        first = wait_for(url, SAY, started)
        latencies = []
        for k in range(saves):
            words = f"Saved edit number {k} is here"
            changed = _map_strings(sop, lambda text, w=words: text.replace(SAY, w))
            dumped = yaml.dump(changed, Dumper=DUMPER, sort_keys=False, allow_unicode=True, width=100)
            edited.write_text(dumped, encoding="utf-8")
            latencies.append(wait_for(url, words, time.perf_counter()))
            time.sleep(1.0)  # an author does not save ten times a second
        peak = peak_kb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    lines = (workdir / f"serve-{n}.log").read_text().splitlines()
    quick = [line.split("sopkb: ", 1)[1] for line in lines if " saved: " in line or "sopkb: read " in line]
    return {
        "quick": quick,
        "full": sum("Building documentation" in line for line in lines) - 1,
        "n": n,
        "first": first,
        "median": statistics.median(latencies),
        "worst": max(latencies),
        "peak_mb": peak / 1024,
        "load": os.getloadavg()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--saves", type=int, default=5)
    args = parser.parse_args()
    print("| SOPs | first build | save → page shows it (median) | worst | server peak memory | load |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="sopkb-serve-") as tmp:
        for n in args.sizes:
            r = run(n, args.saves, Path(tmp))
            print(
                f"| {r['n']:,} | {r['first']:.1f} s | {r['median']:.2f} s | {r['worst']:.2f} s | "
                f"{r['peak_mb']:.0f} MB | {r['load']:.1f} |",
                flush=True,
            )
            print(f"  full builds after the first: {r['full']}", file=sys.stderr)
            for line in r["quick"]:
                print(f"  {line}", file=sys.stderr)


if __name__ == "__main__":
    main()
