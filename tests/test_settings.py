"""Deployment settings: refuse to start without a secret; `check --deploy` clean; CSP everywhere."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    environment.update(env)
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DJANGO_SETTINGS_MODULE="crps_tracker.settings.production")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_passes_check_deploy_with_no_warnings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="crps_tracker.settings.production",
        SECRET_KEY="x7#kq!v2-production-like-secret-key-for-the-check-0123456789abcdefghij",
        ALLOWED_HOSTS="crps.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_links_in_e_mails_go_to_one_real_host():
    secret = "x7#kq!v2-production-like-secret-key-for-the-check-0123456789abcdefghij"
    show = ("shell", "--no-imports", "-c", "from django.conf import settings; print(settings.SITE_URL)")
    production = {"DJANGO_SETTINGS_MODULE": "crps_tracker.settings.production", "SECRET_KEY": secret}
    derived = run_manage(*show, **production, ALLOWED_HOSTS=".example.org,*,crps.example.org")
    assert derived.stdout.strip() == "https://crps.example.org", derived.stderr
    given = run_manage(*show, **production, ALLOWED_HOSTS="*", SITE_URL="https://crps.example.org/")
    assert given.stdout.strip() == "https://crps.example.org", given.stderr
    refused = run_manage(*show, **production, ALLOWED_HOSTS="*")
    assert refused.returncode != 0 and "Set SITE_URL" in refused.stderr


def test_production_answers_a_monitor_on_plain_http_and_redirects_everything_else():
    secret = "x7#kq!v2-production-like-secret-key-for-the-check-0123456789abcdefghij"
    script = (
        "from django.test import Client; c = Client(HTTP_HOST='crps.example.org');"
        " print(c.get('/healthz').status_code, c.get('/login/').status_code)"
    )
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        script,
        DJANGO_SETTINGS_MODULE="crps_tracker.settings.production",
        SECRET_KEY=secret,
        ALLOWED_HOSTS="crps.example.org",
    )
    assert result.stdout.split() == ["200", "301"], result.stdout + result.stderr


def test_every_page_carries_a_strict_csp(client, db):
    response = client.get("/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_templates_have_no_inline_scripts_or_third_party_urls():
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert re.search(r'\bsrc="\{% static ', tag), (path, tag)  # every script is a static file
        assert not re.search(r"\bon[a-z]+=", text), path  # no inline event handlers
        assert "style=" not in text, path  # inline styles are blocked by the CSP too
        for host in ("http://", "https://", "//cdn"):
            assert host not in text, (path, host)


def test_crisis_lines_come_from_the_environment_with_commas_in_their_names():
    lines = "Samaritans, any time|116 123; NHS 111, option 2 | 111 ;no number here"
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CRISIS_CONTACTS)",
        DJANGO_SETTINGS_MODULE="crps_tracker.settings.local",
        CRISIS_CONTACTS=lines,
    )
    assert (
        result.stdout.strip().splitlines()[-1] == "[('Samaritans, any time', '116 123'), ('NHS 111, option 2', '111')]"
    ), result.stderr


def test_the_demo_app_is_loaded_only_where_debug_is_on():
    secret = "x7#kq!v2-production-like-secret-key-for-the-check-0123456789abcdefghij"
    show = ("shell", "--no-imports", "-c", "from django.conf import settings; print('demo' in settings.INSTALLED_APPS)")
    production = run_manage(
        *show, DJANGO_SETTINGS_MODULE="crps_tracker.settings.production", SECRET_KEY=secret, ALLOWED_HOSTS="a.org"
    )
    assert production.stdout.strip() == "False", production.stderr
    local = {"DJANGO_SETTINGS_MODULE": "crps_tracker.settings.local"}
    assert run_manage(*show, **local).stdout.strip() == "True"
    assert run_manage(*show, **local, DEBUG="off").stdout.strip() == "False"
