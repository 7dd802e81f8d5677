"""JSON API of the administration: the health facts and the people of the hub."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from mediahub.accounts import services as accounts
from mediahub.accounts.models import HubRole, User
from mediahub.accounts.policy import can_manage_people
from mediahub.accounts.schemas import UserSchema
from mediahub.admin import checks, services
from mediahub.admin.policy import can_administer
from mediahub.admin.schemas import HealthSchema, UserCreateSchema, UserUpdateSchema
from mediahub.api.blueprint import api_blueprint, require_user
from mediahub.api.paging import SearchArgsSchema, SelectPage, search_text
from mediahub.core.errors import require

blp = api_blueprint("admin_api", __name__, "Administration")


@blp.route("/health")
@blp.response(200, HealthSchema)
def get_health() -> Any:
    """The same facts as the admins' health page (hub admins)."""
    require(
        can_administer(require_user()),
        _l("Only hub administrators can see the health of the hub."),
    )
    return checks.all_checks()


def _require_admin() -> User:
    user = require_user()
    require(can_manage_people(user), _l("Only hub administrators can manage people."))
    return user


@blp.route("/users")
@blp.arguments(SearchArgsSchema, location="query")
@blp.response(200, UserSchema(many=True))
@blp.paginate(SelectPage)
def list_users(args: dict[str, Any]) -> Any:
    """Everybody with an account, by name, in pages (hub admins); ``q`` finds
    people by part of their name or email address."""
    _require_admin()
    return services.people_matching(search_text(args)).order_by(*services.PEOPLE_ORDER)


@blp.route("/users", methods=["POST"])
@blp.arguments(UserCreateSchema)
@blp.response(201, UserSchema)
def create_user(args: dict[str, Any]) -> Any:
    """Create an account (hub admins)."""
    _require_admin()
    return accounts.create_user(
        args["email"], args["display_name"], args["password"], HubRole(args["hub_role"])
    )


@blp.route("/users/<int:user_id>", methods=["PATCH"])
@blp.arguments(UserUpdateSchema)
@blp.response(200, UserSchema)
def update_user(args: dict[str, Any], user_id: int) -> Any:
    """Change a person's email address, name, hub role or deactivate the
    account (hub admins). A new address applies at once; a notice goes to
    the old one."""
    admin = _require_admin()
    if "hub_role" in args:
        args["hub_role"] = HubRole(args["hub_role"])
    return services.change_person(services.person(user_id), actor=admin, **args)
