"""Browser-test fixtures (a pytest plugin, see tests/conftest.py): Playwright driving Debian's chromium against a live server.

The server runs in a thread on 127.0.0.1 with CSRF on and mail sent to a
real SMTP server on loopback. axe-core checks every page a test visits
(``visit``), and any violation fails the test. Without chromium the tests
are skipped with one line, unless ``REQUIRE_BROWSER`` is set (CI).
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_migrate import upgrade
from werkzeug.serving import BaseWSGIServer, make_server

from matchmaking.extensions import db as _db
from matchmaking.mail import wait_for_deliveries
from tests.conftest import make_app
from tests.smtp import smtp_server

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def _chromium_available() -> bool:
    return Path(CHROMIUM).exists() or shutil.which("chromium") is not None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not _chromium_available():
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"chromium not found at {CHROMIUM}")
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-gpu",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@dataclass
class LiveServer:
    url: str
    app: Flask
    received: list[EmailMessage] = field(default_factory=list)

    @property
    def mail(self) -> list[EmailMessage]:
        """What the SMTP server received, once the app's mail thread is done."""
        wait_for_deliveries(app=self.app)
        return self.received


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    """A fresh database with the demo data, served on a free port."""
    with smtp_server() as (smtp_port, received):
        app = make_app(
            f"sqlite:///{tmp_path / 'live.sqlite'}",
            TESTING=False,
            WTF_CSRF_ENABLED=True,
            MAIL_BACKEND="smtp",
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=smtp_port,
        )
        with app.app_context():
            upgrade()
            from matchmaking.demo.services import load

            load()
            _db.session.commit()
            _db.session.remove()
        server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
        app.config["BASE_URL"] = f"http://127.0.0.1:{server.server_port}"  # e-mailed links
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield LiveServer(f"http://127.0.0.1:{server.server_port}", app, received)
        finally:
            server.shutdown()
            thread.join(timeout=5)
            server.server_close()
            with app.app_context():
                _db.engine.dispose()


#: A phone: no page may scroll sideways at this width (WCAG 1.4.10, reflow).
PHONE = {"width": 375, "height": 800}


def assert_fits_phone(page: Any) -> None:
    """The page as shown is no wider than a 375 px phone."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide at {PHONE['width']} px"


def check_accessibility(page: Any) -> None:
    """Run axe-core on the page; fail listing every violation."""
    from axe_playwright_python.sync_playwright import Axe

    # Contrast is judged on the page at rest, not under the pointer's last
    # position from the previous page.
    page.mouse.move(0, 0)

    results = Axe().run(page)
    violations = results.response.get("violations", [])
    summary = [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in violations
    ]
    assert summary == [], f"axe violations on {page.url}:\n" + "\n".join(summary)


@pytest.fixture
def page(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    # Reduced motion: Bootstrap then drops its colour transitions, which axe
    # would otherwise catch half-way (a button fading under the pointer).
    context = browser.new_context(base_url=live_server.url, locale="nb-NO", reduced_motion="reduce")
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    # Script errors, and any stylesheet, script, image or font that failed to
    # load. A page answered with 4xx on purpose (a refused login) is no error.
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and r.request.resource_type != "document"
            else None
        ),
    )
    page.visit = lambda path: _visit(page, path)  # type: ignore[attr-defined]
    page.console_errors = errors  # type: ignore[attr-defined]
    yield page
    context.close()


def _visit(page: Any, path: str) -> Any:
    response = page.goto(path)
    check_accessibility(page)
    return response
