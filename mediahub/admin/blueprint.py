"""The administration's HTML blueprint: every page in it is for hub administrators."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from mediahub.admin.policy import can_administer
from mediahub.core.errors import require

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def _admins_only() -> None:
    # One check for the whole area (people, groups): hub administrators only.
    require(can_administer(current_user), _l("Only hub administrators can open this page."))
