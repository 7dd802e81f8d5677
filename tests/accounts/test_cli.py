"""The ``mediahub users create`` command."""

from __future__ import annotations

from mediahub.accounts.services import authenticate, user_by_email


def test_create_admin_with_password_from_stdin(runner):
    result = runner.invoke(
        args=["users", "create", "boss@example.org", "--admin", "--password-stdin"],
        input="a long passphrase\n",
    )
    assert result.exit_code == 0, result.output
    user = user_by_email("boss@example.org")
    assert user.is_admin
    assert authenticate("boss@example.org", "a long passphrase") == user


def test_create_reports_problems_plainly(runner, make_user):
    make_user(email="taken@example.org")
    result = runner.invoke(
        args=["users", "create", "taken@example.org", "--password-stdin"],
        input="a long passphrase\n",
    )
    assert result.exit_code == 1
    assert "Es gibt schon ein Konto" in result.output  # the hub speaks German first
    result = runner.invoke(
        args=["users", "create", "x@example.org", "--password-stdin"], input="short\n"
    )
    assert result.exit_code == 1
    assert "mindestens 10 Zeichen" in result.output
