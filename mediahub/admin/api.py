"""JSON API of the administration: the health facts."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from mediahub.accounts import email_change, services
from mediahub.accounts.models import HubRole, User
from mediahub.accounts.schemas import UserSchema
from mediahub.admin import checks
from mediahub.admin.schemas import HealthSchema, UserCreateSchema, UserUpdateSchema
from mediahub.api.blueprint import api_blueprint, require_user
from mediahub.core.errors import NotFound, PermissionDenied
from mediahub.core.extensions import db

blp = api_blueprint("admin_api", __name__, "Administration")


@blp.route("/health")
@blp.response(200, HealthSchema)
def get_health() -> Any:
    """The same facts as the admins' health page (hub admins)."""
    user = require_user()
    if not user.is_admin:
        raise PermissionDenied(_l("Only hub administrators can see the health of the hub."))
    return checks.all_checks()


def _require_admin() -> User:
    user = require_user()
    if not user.is_admin:
        raise PermissionDenied(_l("Only hub administrators can manage people."))
    return user


@blp.route("/users")
@blp.response(200, UserSchema(many=True))
def list_users() -> Any:
    """Everybody with an account (hub admins)."""
    _require_admin()
    return list(db.session.scalars(db.select(User).order_by(User.display_name)))


@blp.route("/users", methods=["POST"])
@blp.arguments(UserCreateSchema)
@blp.response(201, UserSchema)
def create_user(args: dict[str, Any]) -> Any:
    """Create an account (hub admins)."""
    _require_admin()
    user = services.create_user(
        args["email"], args["display_name"], args["password"], HubRole(args["hub_role"])
    )
    db.session.commit()
    return user


@blp.route("/users/<int:user_id>", methods=["PATCH"])
@blp.arguments(UserUpdateSchema)
@blp.response(200, UserSchema)
def update_user(args: dict[str, Any], user_id: int) -> Any:
    """Change a person's email address, name, hub role or deactivate the
    account (hub admins). A new address applies at once; a notice goes to
    the old one."""
    admin = _require_admin()
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_l("There is no such person."))
    if "email" in args:
        email_change.admin_change(user, args.pop("email"), actor=admin)
    if "hub_role" in args:
        args["hub_role"] = HubRole(args["hub_role"])
    services.update_user(user, actor=admin, **args)
    db.session.commit()
    return user
