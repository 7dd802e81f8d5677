"""JSON API for clips."""

from __future__ import annotations

from typing import Any

from mediahub.accounts.identity import api_caller
from mediahub.api.blueprint import api_blueprint, public, require_user
from mediahub.clips import policy, services
from mediahub.clips.downloads import video_response
from mediahub.clips.kind import CLIP
from mediahub.clips.models import Clip
from mediahub.clips.schemas import ClipCreateSchema, ClipSchema, ClipUpdateSchema
from mediahub.core.errors import require
from mediahub.episodes.models import Episode
from mediahub.review import api as workflow
from mediahub.review import policy as review_policy
from mediahub.review import services as review
from mediahub.review.schemas import CommentSchema, DecisionSchema, EventSchema
from mediahub.review.services import load_item

blp = api_blueprint("clips_api", __name__, "Clips")


@blp.route("/episodes/<int:item_id>/clips")
@blp.response(200, ClipSchema(many=True))
@public
def list_clips(item_id: int) -> Any:
    """An episode's published clips, in the order of their passages."""
    episode = load_item(Episode, item_id, api_caller())
    return services.public_clips(episode)


@blp.route("/episodes/<int:item_id>/clips", methods=["POST"])
@blp.arguments(ClipCreateSchema)
@blp.response(201, ClipSchema)
def create_clip(args: dict[str, Any], item_id: int) -> Any:
    """Mark a passage (5 to 90 s) of a published or approved episode as a draft clip
    (its author and the group's editors)."""
    user = require_user()
    episode = load_item(Episode, item_id, user)
    require(policy.can_make_clip(user, episode))
    return services.create_clip(episode, user, args)


@blp.route("/clips/<int:item_id>")
@blp.response(200, ClipSchema)
@public
def get_clip(item_id: int) -> Any:
    """A clip, with the rendering's progress and, once ready, the videos' addresses."""
    return load_item(Clip, item_id, api_caller())


@blp.route("/clips/<int:item_id>/videos/<any(square, vertical, landscape):shape>")
@blp.doc(
    responses={
        "200": {
            "description": "The MP4 (H.264 + AAC) as an attachment with a clean file name",
            "content": {"video/mp4": {"schema": {"type": "string", "format": "binary"}}},
        },
        "302": {"description": "To the file on the storage's own address (S3, CDN)"},
        "404": {"description": "No such clip for the caller, or its videos are not ready"},
    }
)
@public
def download_clip_video(item_id: int, shape: str) -> Any:
    """One shape of an approved clip's video: square (1080x1080), vertical
    (1080x1920) or landscape (1920x1080); byte ranges are served."""
    return video_response(item_id, shape, api_caller())


@blp.route("/clips/<int:item_id>", methods=["PATCH"])
@blp.arguments(ClipUpdateSchema)
@blp.response(200, ClipSchema)
def update_clip(args: dict[str, Any], item_id: int) -> Any:
    """Change title, passage or content note; send the ``version`` you edited."""
    user = require_user()
    clip = load_item(Clip, item_id, user)
    require(review_policy.can_edit_item(user, clip))
    version = args.pop("version", None)
    services.update_clip(clip, user, args, expected_version=version)
    return clip


@blp.route("/clips/<int:item_id>", methods=["DELETE"])
@blp.response(204)
def delete_clip(item_id: int) -> None:
    """Delete a clip that is not online (unpublish it first); its videos go too."""
    user = require_user()
    clip = load_item(Clip, item_id, user)
    require(review_policy.can_delete(user, clip))
    review.delete(clip, user)


@blp.route("/clips/<int:item_id>/submit", methods=["POST"])
@blp.response(200, ClipSchema)
def submit_clip(item_id: int) -> Any:
    """Send the clip to the group's editors (→ in_review)."""
    return workflow.submit(CLIP, item_id)


@blp.route("/clips/<int:item_id>/review", methods=["POST"])
@blp.arguments(DecisionSchema)
@blp.response(200, ClipSchema)
def review_clip(args: dict[str, Any], item_id: int) -> Any:
    """An editor's decision; an approved clip is rendered in the background."""
    return workflow.review(CLIP, args, item_id)


@blp.route("/clips/<int:item_id>/unpublish", methods=["POST"])
@blp.arguments(CommentSchema)
@blp.response(200, ClipSchema)
def unpublish_clip(args: dict[str, Any], item_id: int) -> Any:
    """Take a clip offline (→ archived); its videos are no longer served."""
    return workflow.unpublish(CLIP, args, item_id)


@blp.route("/clips/<int:item_id>/history")
@blp.response(200, EventSchema(many=True))
def history_clip(item_id: int) -> Any:
    """The audit trail: every transition with who, when and the comment."""
    return workflow.history(CLIP, item_id)
