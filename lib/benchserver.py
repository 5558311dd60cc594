"""A production-like server for the speed benches: gunicorn with production settings on 127.0.0.1.

Plain HTTP to 127.0.0.1 stands in for the TLS proxy: each request carries X-Forwarded-Proto: https
(what the proxy sends), so the production settings neither redirect nor drop the HTTPS-only cookies,
which the client here keeps itself. Not used by the app.
"""

import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.test import Client

REQUEST_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_redis(port: int) -> subprocess.Popen:
    """A private redis-server on 127.0.0.1:`port`, nothing saved to disk."""
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    redis = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as connection:
                connection.sendall(b"PING\r\n")
                if connection.recv(16).startswith(b"+PONG"):
                    return redis
        except OSError:
            time.sleep(0.05)
    redis.kill()
    raise CommandError(f"redis-server did not start on 127.0.0.1:{port}.")


def child_env(web_port: int, **extra: str) -> dict[str, str]:
    """Production settings with this process's secret (its sessions) and database."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="crps_tracker.settings.production",
        DEBUG="false",
        SECRET_KEY=settings.SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=f"http://127.0.0.1:{web_port}",
        LOG_LEVEL="WARNING",
        EMAIL_URL="consolemail://",
        **extra,
    )
    if "DATABASE_URL" not in env:
        env["DATABASE_URL"] = f"sqlite:///{settings.DATABASES['default']['NAME']}"
    return env


def venv_program(name: str) -> str:
    local = Path(sys.executable).parent / name
    found = str(local) if local.exists() else shutil.which(name)
    if found is None:
        raise CommandError(f"The bench needs {name}.")
    return found


def collect_static(env: dict[str, str]) -> None:
    """The production settings serve hashed file names from a manifest that collectstatic writes."""
    command = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
    subprocess.run(command, env=env, cwd=settings.BASE_DIR, check=True)  # noqa: S603


def start_gunicorn(env: dict[str, str], port: int, *, workers: int = 2, threads: int = 1) -> subprocess.Popen:
    command = [venv_program("gunicorn"), "crps_tracker.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--threads", str(threads), "--no-control-socket", "--log-level", "warning"]
    process = subprocess.Popen(command, env=env, cwd=settings.BASE_DIR, stdout=subprocess.DEVNULL)  # noqa: S603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise CommandError("gunicorn stopped while starting (its errors are above).")
        try:
            if request(port, "GET", "/login/", {})[0] == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    stop(process)
    raise CommandError(f"gunicorn did not answer on 127.0.0.1:{port}.")


def stop(process: subprocess.Popen | None, *, timeout: float = 15) -> None:
    """Ends a process started here (nothing to do for None or one already gone), killing it after `timeout` s."""
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def session_cookies(user, *, second_factor=None) -> dict[str, str]:
    """A logged-in session, as the test client's force_login makes it; with a verified second factor if given."""
    client = Client()
    client.force_login(user)
    if second_factor is not None:
        from django_otp import DEVICE_ID_SESSION_KEY

        session = client.session
        session[DEVICE_ID_SESSION_KEY] = second_factor.persistent_id
        session.save()
    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}


def request(port, method, path, cookies, body=None, headers=None) -> tuple[int, bytes]:
    """One request as the TLS proxy would pass it on; keeps the cookies set. Returns (status, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    sent = {"X-Forwarded-Proto": "https", **(headers or {})}
    if cookies:
        sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    if body is not None:
        sent["Content-Type"] = "application/x-www-form-urlencoded"
        sent["Origin"] = f"https://127.0.0.1:{port}"
    try:
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        text = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                cookies[name] = morsel.value
        return response.status, text
    finally:
        connection.close()
