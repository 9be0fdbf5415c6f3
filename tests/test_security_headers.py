"""Security headers (issue 18): CSP with frame-ancestors, nosniff, Referrer-Policy; HSTS only
over HTTPS."""
import re


def test_pages_and_api_carry_the_security_headers(client, as_user):
    for response in (client.get("/login"), as_user("jingkou_office").get("/api/v1/tasks")):
        csp = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
        assert "script-src 'self' 'nonce-" in csp and "unsafe-eval" not in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "Strict-Transport-Security" not in response.headers  # plain HTTP


def test_hsts_only_over_https(client):
    response = client.get("/login", base_url="https://approval.example.gov.cn")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_the_inline_diagram_script_carries_the_page_nonce(client, web_login):
    web_login("policy")
    page = client.get("/desk/processes/1")
    assert page.status_code == 200
    nonce = re.search(r"'nonce-([^']+)'", page.headers["Content-Security-Policy"]).group(1)
    assert f'<script nonce="{nonce}">' in page.text
