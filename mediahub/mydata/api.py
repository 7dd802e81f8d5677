"""A person's own data in the API: the export and deleting the account
(on the accounts' API blueprint, beside /users/me)."""

from __future__ import annotations

from typing import Any

from mediahub.accounts.api import blp
from mediahub.accounts.ratelimits import password_checked
from mediahub.api.blueprint import require_user
from mediahub.mydata.schemas import AccountDeleteSchema
from mediahub.mydata.services import delete_account
from mediahub.mydata.views import export_response

_ZIP = {
    "description": "account.json and the person's audio files",
    "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
}


@blp.route("/me/export")
@blp.doc(responses={"200": _ZIP})
def export_me() -> Any:
    """Download everything about the caller as a ZIP file (streamed)."""

    return export_response(require_user())


@blp.route("/me", methods=["DELETE"])
@password_checked
@blp.arguments(AccountDeleteSchema)
@blp.response(204)
def delete_me(args: dict[str, Any]) -> None:
    """Delete the caller's account. Published items stay with their groups
    (without author); everything else of theirs is deleted, with its audio."""

    delete_account(require_user(), password=args["password"])
