"""Demo accounts for `ioc up --demo`, so a first-time user can log in at once."""

from __future__ import annotations

import secrets

from sqlalchemy import func, select

from ioc.core import Core
from ioc.models import User
from ioc.services.users import create_user


def seed_demo_accounts(core: Core) -> dict[str, str] | None:
    """Create admin, operator, leader and one account per department when no user exists.

    Returns ``{username: password}`` of the accounts created (one shared random
    password), or None when accounts already existed.
    """
    with core.uow() as uow:
        if uow.session.scalar(select(func.count()).select_from(User)):
            return None
        password = secrets.token_urlsafe(9)
        accounts = {"admin": ("admin", None), "operator": ("operator", None),
                    "leader": ("leader", None)}
        for dep in core.taxonomy.departments:
            accounts[dep.code.replace("_", "")] = ("department", dep.code)
        for username, (role, department) in accounts.items():
            create_user(uow, username, password, role, department)
        uow.commit()
    return dict.fromkeys(accounts, password)
