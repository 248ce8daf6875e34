"""Search benchmark: latency, transfer and relevance of the built site's real search box.

Builds a KB of N synthetic SOPs (tests/synthetic_kb.py: Zipf-distributed text) plus the bundled
SOPs, serves it on loopback and drives Debian's Chromium through Playwright, as an agent would:

- latency: time from the last keystroke to the results being on screen, measured in the page
  (a keydown listener and the `sopkb:search-results` event), for each query typed
  (a) into a page that has just loaded, in a fresh browser profile (empty cache),
  (b) pasted in one go the moment the page has loaded (nothing fetched yet: the worst case),
  (c) into a page that has searched before (warm);
- transfer: bytes fetched for the search index by the first search of a fresh profile
  (raw, and gzip-compressed as a web server would send them);
- relevance: tests/search/agent_queries.yaml, the right SOP first / in the top 3, in this big KB.

    python bench/search_bench.py --sizes 1000 10000
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from playwright.sync_api import Browser, sync_playwright  # noqa: E402
from sopkb.build.site_build import build_site  # noqa: E402

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.conftest import free_port  # noqa: E402
from tests.synthetic_kb import synthetic_sops  # noqa: E402

KEY_DELAY_MS = 60  # a fast typist; agents are usually slower, which only helps
MEASURE = """(() => {
  window.__bench = {keys: [], results: []};
  document.addEventListener("keydown", () => window.__bench.keys.push(performance.now()), true);
  document.addEventListener("sopkb:search-results",
    (e) => window.__bench.results.push({query: e.detail.query, at: performance.now()}));
})();"""


def write_kb(root: Path, n: int) -> None:
    (root / "sops").mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text(
        "site_name: Bench\ndocs_dir: docs\ntheme:\n  name: material\n  font: false\n"
        "  features: [navigation.prune]\nplugins:\n  - sopkb\n"
        "markdown_extensions: [admonition, attr_list, {toc: {permalink: true}}]\n"
    )
    for sop in synthetic_sops(n):
        (root / "sops" / f"{sop['id']}.yaml").write_text(json.dumps(sop), encoding="utf-8")
    for source in (REPO / "sops").rglob("*.yaml"):
        shutil.copy(source, root / "sops" / source.name)


def synthetic_queries(n: int, count: int) -> list[str]:
    """What an agent might type for synthetic SOPs: two or three words of a title or keyword."""
    sops = synthetic_sops(n)
    step = max(1, len(sops) // count)
    return [" ".join(sop["keywords"][0].split()[:3]) for sop in sops[::step][:count]]


def settle(page, query: str) -> float:  # noqa: ANN001
    """Milliseconds from the last keystroke (or the paste) to the results for `query`."""
    page.wait_for_function("q => window.__bench.results.some(r => r.query === q)", arg=query, timeout=20_000)
    return page.evaluate(
        """q => {
          const shown = window.__bench.results.filter(r => r.query === q)[0].at;
          const keys = window.__bench.keys.filter(k => k <= shown);
          return shown - (window.__bench.pasted || keys[keys.length - 1]);
        }""",
        query,
    )


def fresh_page(browser: Browser, url: str):  # noqa: ANN201
    """A new browser profile (empty cache) on `url`; the index files it fetches are listed."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.add_init_script(MEASURE)
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url) if "/search-index/" in r.url else None)
    page.goto(url)
    return context, page, fetched


def transferred(site: Path, urls: list[str]) -> tuple[int, int]:
    """Bytes of the files behind `urls`, as stored and gzip-compressed (as servers send JSON)."""
    bodies = [(site / urlsplit(u).path.lstrip("/")).read_bytes() for u in urls]
    return sum(map(len, bodies)), sum(len(gzip.compress(b)) for b in bodies)


def type_query(page, query: str) -> None:  # noqa: ANN001
    page.keyboard.press("/")
    page.keyboard.press("Control+a")
    page.keyboard.press("Backspace")
    page.keyboard.type(query, delay=KEY_DELAY_MS)


def measure(browser: Browser, base: str, site: Path, queries: list[str], sop_page: str) -> dict:
    typed_cold, pasted_cold, warm, transfers = [], [], [], []
    for query in queries:
        context, page, fetched = fresh_page(browser, base + sop_page)
        type_query(page, query)
        typed_cold.append(settle(page, query))
        page.wait_for_load_state("networkidle")
        transfers.append((*transferred(site, fetched), len(fetched)))
        context.close()
        context, page, _ = fresh_page(browser, base + sop_page)
        page.evaluate(
            """q => { const input = document.getElementById("sopkb-search-input");
                      input.focus(); input.value = q; window.__bench.pasted = performance.now();
                      input.dispatchEvent(new Event("input")); }""",
            query,
        )
        pasted_cold.append(settle(page, query))
        context.close()
    context, page, _ = fresh_page(browser, base + sop_page)
    for query in queries:
        type_query(page, query)
        warm.append(settle(page, query))
        page.evaluate("() => { window.__bench.results = []; window.__bench.keys = []; }")
    context.close()
    return {
        "typed_after_load_ms": summary(typed_cold),
        "pasted_on_load_ms": summary(pasted_cold),
        "warm_ms": summary(warm),
        "first_search_bytes": {
            "raw_max": max(t[0] for t in transfers),
            "raw_median": statistics.median(t[0] for t in transfers),
            "gzip_max": max(t[1] for t in transfers),
            "requests_max": max(t[2] for t in transfers),
        },
    }


def relevance(browser: Browser, base: str) -> dict:
    cases = yaml.safe_load((REPO / "tests" / "search" / "agent_queries.yaml").read_text())
    context, page, _ = fresh_page(browser, base)
    first = top3 = total = 0
    misses = []
    for sop_id, queries in cases.items():
        for query in queries:
            type_query(page, query)
            settle(page, query)
            page.wait_for_function(  # the final ranking (a word pair may refine the first one)
                "() => document.getElementById('sopkb-search-results').getAttribute('aria-busy') === 'false'"
            )
            ids = page.eval_on_selector_all(
                "#sopkb-search-results a", "els => els.map(a => a.pathname.split('/').filter(Boolean).pop())"
            )
            rank = ids.index(sop_id) + 1 if sop_id in ids else None
            total += 1
            first += rank == 1
            top3 += rank is not None and rank <= 3
            if rank != 1:
                misses.append(f"{query!r} → {sop_id} at {rank}")
    context.close()
    return {"queries": total, "first": first, "top3": top3, "misses": misses}


def _wait_until_up(url: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"the web server at {url} did not start")


def summary(values: list[float]) -> dict:
    ordered = sorted(values)
    return {
        "median": round(statistics.median(ordered), 1),
        "p95": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1),
        "max": round(ordered[-1], 1),
        "n": len(ordered),
    }


def run(n: int, workdir: Path, browser: Browser, sample: int) -> dict:
    kb = workdir / f"kb-{n}"
    write_kb(kb, n)
    started = time.perf_counter()
    build_site(kb, kb / "site")
    build_seconds = time.perf_counter() - started
    index = kb / "site" / "search-index"
    files = [p for p in index.rglob("*.json")]
    port = free_port()
    server = subprocess.Popen(  # its own process, as a real web server is: not sharing our GIL
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--protocol", "HTTP/1.1"],
        cwd=kb / "site",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_up(base)
        queries = synthetic_queries(n, sample) + ["porch pirate", "wants a manager", "driver didnt knock"]
        result = measure(browser, base, kb / "site", queries, "sops/lost-or-stolen-package/")
        result["relevance"] = relevance(browser, base)
    finally:
        server.terminate()
        server.wait()
    result.update(
        n=n,
        build_seconds=round(build_seconds, 1),
        index_files=len(files),
        index_bytes=sum(p.stat().st_size for p in files),
        largest_shard_bytes=max(p.stat().st_size for p in (index / "t").iterdir()),
        manifest_bytes=(index / "manifest.json").stat().st_size,
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--sample", type=int, default=20, help="synthetic queries per size")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="sopkb-search-bench-") as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for n in args.sizes:
            results.append(run(n, Path(tmp), browser, args.sample))
            print(json.dumps(results[-1], indent=2), flush=True)
        browser.close()
    print(
        f"{'N':>6} | {'typed ms (med/p95/max)':>24} | {'pasted ms':>18} | {'warm ms':>18} | "
        f"{'1st search KB raw/gz':>20} | {'relevance 1st/top3':>18}"
    )
    for r in results:
        t, pa, w, b, rel = (
            r["typed_after_load_ms"],
            r["pasted_on_load_ms"],
            r["warm_ms"],
            r["first_search_bytes"],
            r["relevance"],
        )
        print(
            f"{r['n']:>6} | {t['median']:>7}/{t['p95']:>7}/{t['max']:>7} | "
            f"{pa['median']:>5}/{pa['p95']:>5}/{pa['max']:>5} | "
            f"{w['median']:>5}/{w['p95']:>5}/{w['max']:>5} | "
            f"{b['raw_max'] / 1024:>9.1f}/{b['gzip_max'] / 1024:>8.1f} | "
            f"{rel['first']}/{rel['queries']}, {rel['top3']}/{rel['queries']}"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
