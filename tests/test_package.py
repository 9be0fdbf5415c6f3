"""The installable package: an sdist made from the repository, a wheel built from that sdist
(no npm, no repository around it), installed into a fresh virtual environment, serves Chinese
pages and the bpmn-js bundle. Bounded: every step has a timeout, about a minute in all."""
import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from production_server import free_port

ROOT = Path(__file__).resolve().parent.parent
SKIP = ("node_modules", ".venv", ".git", "instance", "*.egg-info", "build", "__pycache__",
        ".pytest_cache", "test-artifacts", "tests", "bench")


def run(*args, timeout=180, **kwargs):
    result = subprocess.run(args, capture_output=True, text=True, timeout=timeout, **kwargs)
    assert result.returncode == 0, f"{args}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    if not (ROOT / "service/static/dist/viewer.js").is_file():
        pytest.fail("the bpmn-js bundle is not built: run `npm ci && npm run build`")
    work = tmp_path_factory.mktemp("package")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*SKIP))
    run(sys.executable, "setup.py", "-q", "sdist", "-d", str(work / "dist"), cwd=source)
    sdist = next((work / "dist").glob("*.tar.gz"))
    names = tarfile.open(sdist).getnames()
    assert any(n.endswith("service/static/dist/viewer.js") for n in names)
    assert any(n.endswith("workflows/statutory_approval.bpmn") for n in names)
    # The wheel from the sdist alone: the build compiles the catalogue, needs no npm.
    run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(work / "dist"),
        str(sdist), cwd=work)
    return work, next((work / "dist").glob("*.whl"))


def test_the_bundle_must_be_built_before_the_package(tmp_path):
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*SKIP, "dist"))
    result = subprocess.run([sys.executable, "setup.py", "-q", "build_py"], cwd=source,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "bpmn-js bundle is not built" in result.stderr + result.stdout


def test_the_installed_wheel_serves_chinese_pages_and_draws_diagrams(wheel):
    work, wheel_file = wheel
    names = __import__("zipfile").ZipFile(wheel_file).namelist()
    assert "service/translations/zh/LC_MESSAGES/messages.mo" in names
    assert "service/static/dist/viewer.js" in names
    venv = work / "fresh"
    run(sys._base_executable, "-m", "venv", str(venv))
    python = venv / "bin" / "python"
    site = Path(run(str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
                .strip())
    # The dependencies come from the test environment's site-packages (no index needed);
    # a .pth line adds that directory but not the editable install of the repository.
    deps = Path(subprocess.check_output([sys.executable, "-c", "import flask, os; "
                                         "print(os.path.dirname(os.path.dirname(flask.__file__)))"],
                                        text=True).strip())
    (site / "dependencies.pth").write_text(f"{deps}\n")
    run(str(python), "-m", "pip", "install", "-q", "--no-index", "--no-deps", str(wheel_file))
    home = work / "installation"
    home.mkdir()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "TEST_"))
              and k not in ("WORKFLOWS_DIR", "FORMS_DIR", "PYTHONPATH")},
           "DATABASE_URL": f"sqlite:///{home / 'service.db'}",
           "SECRET_KEY_FILE": str(home / "secret_key"), "UPLOAD_DIR": str(home / "uploads"),
           "AUDIT_HEAD_FILE": str(home / "audit-heads.jsonl"), "SCHEDULER_ENABLED": "0"}
    location = run(str(python), "-c", "import service; print(service.__file__)", cwd=home,
                   env=env)
    assert location.startswith(str(venv)), location
    run(str(python), "-m", "flask", "--app", "service", "init-db", cwd=home, env=env)
    run(str(python), "-m", "flask", "--app", "service", "seed-demo", cwd=home, env=env)
    port = free_port()
    server = subprocess.Popen([str(python), "-m", "gunicorn", "-w", "1", "-b",
                               f"127.0.0.1:{port}", "service:create_app()"], cwd=home, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        login = _wait_for(opener, base + "/login", server)
        assert 'lang="zh-CN"' in login and "登录" in login
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login).group(1)
        opener.open(base + "/login", data=urllib.parse.urlencode({
            "csrf_token": token, "username": "jingkou_office",
            "password": "demo-pass-2026"}).encode(), timeout=30)
        api = urllib.request.Request(base + "/api/v1/auth/token", method="POST",
                                     headers={"Content-Type": "application/json"},
                                     data=json.dumps({"username": "jingkou_office",
                                                      "password": "demo-pass-2026"}).encode())
        bearer = json.load(urllib.request.urlopen(api, timeout=30))["token"]
        start = urllib.request.Request(base + "/api/v1/projects", method="POST", headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {bearer}"},
            data=json.dumps({"name": "西津渡棚户区改造"}).encode())
        project = json.load(urllib.request.urlopen(start, timeout=30))["id"]
        page = opener.open(f"{base}/desk/projects/{project}", timeout=30).read().decode()
        assert "/static/dist/viewer.js" in page and "西津渡棚户区改造" in page
        bundle = opener.open(base + "/static/dist/viewer.js", timeout=30).read()
        assert len(bundle) > 100_000 and b"bpmn" in bundle.lower()
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_for(opener, url, server, wait=60):
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(server.stderr.read()[-3000:])
        try:
            return opener.open(url, timeout=10).read().decode()
        except OSError:
            time.sleep(0.2)  # the server process is starting; no clock to move here
    raise AssertionError(f"no answer from {url}")
