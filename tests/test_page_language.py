"""No internal codes and one language per page: every page, as every role, in Chinese and in
English, shows no step key, role key or login name, and no text of the other language (what
officials typed, such as project names and opinions, is theirs and left out of the check)."""
import html
import re

import pytest

from conftest import csrf_from
from flow import APPROVE_REVIEW, COMPENSATION, DISTRICT_APPROVAL, FUNDS_OK, HANDOVER, PLAN, SIGN
from test_no_server_errors import _projects, _urls

ROLES = ["jingkou_office", "city_review", "jingkou_gov", "jingkou_finance", "dept_audit",
         "city_supervisor", "leading_group_office", "policy", "admin"]
# Latin text a Chinese page may show: the language switch, file kinds, units, the hash name.
LATIN_OK = {"English", "PDF", "ZIP", "XLSX", "CSV", "SHA", "BPMN", "JSON", "API", "OpenAPI",
            "m²", "XML", "QR", "SMTP", "TOTP", "ID", "Camunda", "Modeler",
            "bpmn"}
# Administrators' pages that edit names in both languages side by side (districts, departments,
# officials with their login names and the import sheet's Chinese column headings).
BILINGUAL_EDITORS = ("/admin/org", "/admin/users")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
LATIN_WORD = re.compile(r"\b[A-Za-z][A-Za-z]{2,}\b")


def _visible(page):
    """The text a reader sees: no scripts, styles or tags; attributes people read kept."""
    # scripts, styles, and the text being edited in a box (a form definition in both languages)
    page = re.sub(r"(?is)<(script|style|textarea)\b.*?</\1>", " ", page)
    shown = re.findall(r'(?i)\b(?:placeholder|title|aria-label|alt)="([^"]*)"', page)
    page = re.sub(r"(?s)<[^>]+>", " ", page)
    return html.unescape(" ".join([page, *shown]))


def _typed(app):
    """What officials typed or named: left out of the language check."""
    from service.extensions import db
    from service.models import Project, User
    with app.app_context():
        found = {u.display_name for u in db.session.query(User)}
        found |= {p.name for p in db.session.query(Project)}
    for data in (PLAN, APPROVE_REVIEW, COMPENSATION, DISTRICT_APPROVAL, FUNDS_OK, HANDOVER, SIGN):
        found |= {v for v in data.values() if isinstance(v, str)}
    found |= {"不同意", "补充", "西津渡棚户区改造"}
    try:  # the housing pool's estates and layouts, as imported (issue 16)
        from service.models import HousingUnit
        with app.app_context():
            for unit in db.session.query(HousingUnit):
                found |= {v for v in vars(unit).values() if isinstance(v, str)}
    except ImportError:
        pass
    return {v for v in found if v and len(v) > 1}


def _codes(app):
    """Step keys, role keys and login names that must never reach a page."""
    from service.extensions import db
    from service.models import ProcessDefinition, User
    from service.roles import ROLES as ROLE_KEYS
    from service.services.policy.definitions import version_info
    with app.app_context():
        steps = set()
        for definition in db.session.query(ProcessDefinition):
            steps |= set(version_info(definition.id).meta["user_tasks"])
        names = {u.username for u in db.session.query(User)}
    # plain words ("handover", "finance", "admin", "policy") are English words as well
    return sorted(c for c in steps | set(ROLE_KEYS) | names if "_" in c)


def _logins(app):
    from service.extensions import db
    from service.models import User
    with app.app_context():
        return {u.username for u in db.session.query(User)}


def _pages(app, client):
    for url in _urls(app, "GET"):
        if url.startswith(("/api/", "/lang/", "/metrics", "/healthz", "/readyz")):
            continue
        response = client.get(url)
        if response.status_code == 200 and response.mimetype == "text/html":
            yield url, response.text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_codes_and_one_language_on_every_page(app, as_user, lang):
    _projects(as_user)
    codes, typed, logins = _codes(app), _typed(app), _logins(app)
    problems = []
    for username in ROLES:
        client = app.test_client()
        client.get(f"/lang/{lang}")  # chosen before signing in, as the sign-in page offers
        login = client.get("/login")
        client.post("/login", data={"username": username, "password": "demo-pass-2026",
                                    "csrf_token": csrf_from(login.text)})
        for url, page in _pages(app, client):
            if "/forms/" in url:  # the form editor shows the rules' expressions it edits
                page = re.sub(r"(?s)<code>.*?</code>", " ", page)
            text = _visible(page)
            for code in codes:
                if code in logins and url.startswith(("/admin/", "/account")):
                    continue  # administrators manage login names; one's own account shows it
                if re.search(rf"(?<![A-Za-z0-9_]){re.escape(code)}(?![A-Za-z0-9_])", text):
                    problems.append((username, url, "code", code))
            if url.startswith(BILINGUAL_EDITORS):
                continue  # names are kept there in both languages, codes with them
            own = typed | (logins if url.startswith(("/admin/", "/account")) else set())
            for value in sorted(own, key=len, reverse=True):  # longest first
                text = text.replace(value, " ")
            text = re.sub(r"[\w/]+\.(md|json|bpmn)\b", " ", text)  # a file named for reference
            if "/forms/" in url:  # the form editor shows the computed values' expressions
                text = re.sub(r"= [\w(), ]+", " ", text)
            if lang == "zh":
                other = [w for w in LATIN_WORD.findall(text) if w not in LATIN_OK]
            else:
                other = [w for w in CJK.findall(text) if w != "中文"]
            if other:
                problems.append((username, url, "other language", sorted(set(other))[:8]))
    assert not problems, "\n".join(map(repr, problems))
