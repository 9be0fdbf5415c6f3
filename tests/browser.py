"""Browser-test support: Debian's Chromium (installed with apt-get when missing), the service on
127.0.0.1 in a thread, and screenshots of every open page when a test fails."""
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def ensure_chromium():
    """Install Debian's chromium package when /usr/bin/chromium is missing (CI runs as root)."""
    if Path(CHROMIUM).exists():
        return CHROMIUM
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.fail(f"{CHROMIUM} is missing; install it with: apt-get install -y chromium")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-q"], check=True, env=env)
    # A CJK font too, so that failure screenshots show the Chinese pages legibly.
    subprocess.run(["apt-get", "install", "-y", "-q", "chromium", "fonts-wqy-zenhei"],
                   check=True, env=env)
    return CHROMIUM


@pytest.fixture(scope="session")
def chromium():
    """A headless Chromium browser driven by Playwright (which downloads no browser)."""
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    from playwright.sync_api import sync_playwright
    path = ensure_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(app):
    """The app served on a free port of 127.0.0.1; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def browser_session(chromium, live_server, request):
    """session(username) -> a signed-in page in its own browser context; screenshots on failure."""
    contexts = []

    def open_as(username, password="demo-pass-2026"):
        context = chromium.new_context(base_url=live_server, accept_downloads=True, locale="zh-CN",
                                       viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15000)
        contexts.append((username, context))
        page = context.new_page()
        page.goto("/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/login" not in url)  # each role lands on its own page
        return page

    yield open_as
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        for username, context in contexts:
            for index, page in enumerate(context.pages):
                page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{username}-{index}.png"),
                                full_page=True)
    for _, context in contexts:
        context.close()
