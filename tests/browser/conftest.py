"""Browser fixtures: a built site served on loopback, Debian's Chromium driven by Playwright.

Every request that leaves the site's own origin is recorded and aborted, so a test can assert
there were none, and the site is exercised exactly as on a desk with the network cut off. Every
Content-Security-Policy violation in any page a test opens fails that test (`csp_is_never_violated`).
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright
from sopkb.build.site_build import build_site

from tests.conftest import free_port

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as any real web server does

    def log_message(self, *args: object) -> None:
        pass


@dataclass
class Served:
    root: Path
    url: str
    kb_dir: Path

    def pages(self) -> list[str]:
        return sorted(
            str(p.parent.relative_to(self.root)).replace(".", "") + "/" if p.parent != self.root else ""
            for p in self.root.rglob("index.html")
        )


def serve(folder: Path, kb_dir: Path, port: int = 0):
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, Served(folder, f"http://127.0.0.1:{server.server_address[1]}/", kb_dir)


@pytest.fixture(scope="package")
def site(tmp_path_factory) -> Served:
    """The bundled KB, built with the real CLI code path."""
    out = tmp_path_factory.mktemp("bundled") / "site"
    build_site(REPO, out)
    server, served = serve(out, REPO)
    yield served
    server.shutdown()


@pytest.fixture(scope="package")
def browser() -> Browser:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Watched:
    page: Page
    off_origin: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)


_OPENED: list[Watched] = []  # every watched page of the running test, checked when it ends
_REPORT_CSP = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.sopkbCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}: ${e.sample || ""}`);
});
"""


def open_watched(browser: Browser, origin: str, **context_options: object) -> Watched:
    context = browser.new_context(**context_options)
    page = context.new_page()
    watched = Watched(page)
    _OPENED.append(watched)
    context.expose_binding("sopkbCspViolation", lambda source, text: watched.csp_violations.append(text))
    context.add_init_script(_REPORT_CSP)

    def guard(route):  # noqa: ANN001
        url = route.request.url
        if url.startswith(origin) or url.startswith("data:") or url.startswith("blob:"):
            route.continue_()
        else:
            watched.off_origin.append(url)
            route.abort()

    context.route("**/*", guard)
    page.on("console", lambda m: watched.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: watched.console_errors.append(str(e)))

    def on_dialog(dialog):  # noqa: ANN001
        watched.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return watched


@pytest.fixture(autouse=True)
def csp_is_never_violated():
    """The site's policy must never have to block anything it serves itself: a violation means
    either a slip that the policy caught or a policy that breaks the site. Both are bugs."""
    _OPENED.clear()
    yield
    violations = [v for w in _OPENED for v in w.csp_violations]
    _OPENED.clear()
    assert violations == [], violations


@pytest.fixture
def watched(browser: Browser, site: Served) -> Watched:
    w = open_watched(browser, site.url.rstrip("/"), viewport={"width": 1366, "height": 768})
    yield w
    w.page.context.close()


@pytest.fixture(scope="package")
def small_site(tmp_path_factory) -> Served:
    """The small fixture KB (it has a branch that continues in another SOP)."""
    out = tmp_path_factory.mktemp("small") / "site"
    kb = REPO / "tests" / "fixtures" / "kb-small"
    build_site(kb, out)
    server, served = serve(out, kb)
    yield served
    server.shutdown()


@pytest.fixture
def instant_kb(tmp_path):
    """kb-small with Material's instant navigation on (it needs site_url to match the origin)."""
    root = tmp_path / "kb"
    shutil.copytree(REPO / "tests" / "fixtures" / "kb-small", root)
    port = free_port()
    config = (root / "mkdocs.yml").read_text()
    config = config.replace("  font: false\n", "  font: false\n  features: [navigation.instant]\n")
    (root / "mkdocs.yml").write_text(f"site_url: http://127.0.0.1:{port}/\n" + config)
    return root, port


@pytest.fixture
def instant_site(browser, instant_kb):  # noqa: ANN001, ANN201
    """instant_kb built and served on its site_url's port, with a watched page."""
    root, port = instant_kb
    build_site(root, root / "site")
    server, served = serve(root / "site", root, port)
    watched = open_watched(browser, served.url.rstrip("/"))
    yield served, watched
    watched.page.context.close()
    server.shutdown()


_AXE = Axe()


def axe_violations(page: Page) -> list[dict]:
    """axe-core's violations on a page at rest.

    Material's header fades between the site name and the page title as the page scrolls (guided
    mode scrolls to its step); axe reading the title mid-fade measured its half-transparent text
    and reported a contrast failure no reader ever sees: a flaky test. So wait until no CSS
    transition or animation is running first.
    """
    page.wait_for_function("() => document.getAnimations().every((a) => a.playState !== 'running')")
    return _AXE.run(page).response["violations"]
