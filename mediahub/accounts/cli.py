"""The accounts' commands: ``mediahub users create``."""

from __future__ import annotations

import sys
from typing import Any

import click
from flask.cli import with_appcontext

from mediahub.accounts.models import HubRole
from mediahub.accounts.services import create_user
from mediahub.core.errors import DomainError
from mediahub.core.extensions import db
from mediahub.core.text import clean_text


class _Text(click.ParamType):
    """Text from the command line, cleaned like every other input (a name
    given in a non-UTF-8 terminal arrives with lone surrogates)."""

    name = "text"

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        return clean_text(value) if isinstance(value, str) else value


TEXT = _Text()


@click.group("users")
def users_group() -> None:
    """Manage people."""


@users_group.command("create")
@click.argument("email", type=TEXT)
@click.option(
    "--name", "display_name", type=TEXT, help="Display name (default: part before the @)."
)
@click.option("--admin", is_flag=True, help="Make a hub administrator.")
@click.option("--editor", is_flag=True, help="Make a hub editor.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def users_create(
    email: str, display_name: str | None, admin: bool, editor: bool, password_stdin: bool
) -> None:
    """Create an account."""
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    if password is None and sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    password = TEXT.convert(password, None, None)
    role = HubRole.ADMIN if admin else HubRole.EDITOR if editor else HubRole.NONE
    try:
        user = create_user(email, display_name or email.split("@")[0], password, role)
        db.session.commit()
    except DomainError as err:
        db.session.rollback()
        raise click.ClickException(str(err.message)) from None
    click.echo(f"Created {user.email} ({role.value}).")
