"""Login, logout and the staff start page."""

from __future__ import annotations

import contextlib
import threading
import time
from collections import defaultdict, deque

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from ioc.services.users import find_user, verify_password
from web.auth import bp
from web.auth.roles import home_for, safe_next
from web.auth.session import SessionUser
from web.context import core
from web.i18n import t

#: Failed log-ins allowed per (address, username) within WINDOW seconds.
MAX_FAILURES = 10
WINDOW = 600.0


class LoginThrottle:
    """Counts recent failures per key; refuses further attempts past the limit."""

    def __init__(self, limit: int = MAX_FAILURES, window: float = WINDOW) -> None:
        self.limit, self.window = limit, window
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def blocked(self, key: str) -> bool:
        """True while ``key`` has too many recent failures."""
        with self._lock:
            recent = self._failures.get(key)
            if not recent:
                return False
            while recent and time.monotonic() - recent[0] > self.window:
                recent.popleft()
            return len(recent) >= self.limit

    def failed(self, key: str) -> None:
        """Record a failure."""
        with self._lock:
            self._failures[key].append(time.monotonic())

    def succeeded(self, key: str) -> None:
        """Forget the failures of ``key``."""
        with self._lock:
            self._failures.pop(key, None)


_dummy: list[str] = []


def _throttle() -> LoginThrottle:
    """The app's throttle (per process; the accounts' hashes are the real defence)."""
    return current_app.extensions.setdefault("ioc.login_throttle", LoginThrottle())


def _burn_time(password: str) -> None:
    """Verify against a dummy hash so unknown usernames take as long as wrong passwords."""
    hasher = PasswordHasher()
    if not _dummy:
        _dummy.append(hasher.hash("not-a-real-password"))
    with contextlib.suppress(VerificationError):
        hasher.verify(_dummy[0], password)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The log-in form; on success, go to ``next`` (a local path) or the role's start page."""
    if current_user.is_authenticated and request.method == "GET":
        return redirect(home_for(current_user.role))
    error, status = None, 200
    username = ""
    if request.method == "POST":
        username = request.form.get("username", "").strip().lower()
        password = request.form.get("password", "")
        key = f"{request.remote_addr}|{username}"
        if _throttle().blocked(key):
            error, status = t("login.throttled"), 429
        else:
            with core().uow() as uow:
                user = find_user(uow, username) if username else None
                ok = user is not None and verify_password(user, password)
                if user is None:
                    _burn_time(password)
                staff = SessionUser.from_user(user) if ok and user is not None else None
            if staff is None:
                _throttle().failed(key)
                error, status = t("login.failed"), 401
            else:
                _throttle().succeeded(key)
                session.clear()  # no session fixation: a fresh session for the new identity
                login_user(staff)
                session.permanent = True
                return redirect(safe_next(request.args.get("next")) or home_for(staff.role))
    return render_template("auth/login.html", error=error, username=username), status


@bp.post("/logout")
def logout():
    """End the session (a POST with the CSRF token, so no page can log you out)."""
    logout_user()
    session.clear()
    flash(t("logout.done"), "info")
    return redirect(url_for("auth.login"))


@bp.get("/")
@bp.get("/staff")
def home():
    """The staff start page: the console or the inbox, by role."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(home_for(current_user.role))
