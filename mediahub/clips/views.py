"""HTML views of clips: marking a passage, editing it, the public clip page,
the rendering's progress and the downloads. The clip's own page (status,
buttons, history) is the review feature's item page (``/clips/<id>``)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, jsonify, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as BaseResponse

from mediahub.accounts.identity import media_caller, viewer
from mediahub.clips import policy, services
from mediahub.clips.downloads import video_response
from mediahub.clips.forms import ClipForm, format_time
from mediahub.clips.layout import ClipShape
from mediahub.clips.models import MAX_SECONDS, MIN_SECONDS, Clip
from mediahub.core.errors import require
from mediahub.core.extensions import db
from mediahub.episodes.models import Episode
from mediahub.episodes.transcripts import cues
from mediahub.review.policy import can_edit_item, can_view_item
from mediahub.review.services import load_item
from mediahub.web.actions import form_action
from mediahub.web.pages import render_page, show_error_or_stale

bp = Blueprint("clips", __name__)
_FIELDS = {"start_s": "start", "duration_s": "length"}


def _clip_page(clip: Clip) -> str:
    return url_for("review.show_item", kind="clips", item_id=clip.id)


def _picker(episode: Episode) -> dict[str, Any]:
    """What the passage picker shows: the waveform, the audio, the transcript."""
    return {
        "episode": episode,
        "duration": services.episode_length(episode) or 0,
        "cues": cues(episode.transcript_vtt),
        "min_length": MIN_SECONDS,
        "max_length": MAX_SECONDS,
    }


@bp.route("/episodes/<int:item_id>/clips/new", methods=["GET", "POST"])
@login_required
def new_clip(item_id: int) -> Any:
    """Mark a passage of a published episode; it starts as a draft."""
    episode = load_item(Episode, item_id, current_user)
    require(policy.can_make_clip(current_user, episode))
    form = ClipForm(data={"length": "30", "start": "0:00", "content_note": episode.content_note})
    outcome = form_action(
        form,
        lambda: services.create_clip(episode, current_user, form.fields()),
        done=_l("Your clip is saved as a draft. Send it to the editors when it is ready."),
        to=_clip_page,
        fields=_FIELDS,
    )
    return outcome.response or render_page(
        "clips/form.html", outcome.status, form=form, clip=None, **_picker(episode)
    )


@bp.route("/clips/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def edit_clip(item_id: int) -> Any:
    """Change a clip's title or passage (never overwriting someone else's change unseen)."""
    clip = load_item(Clip, item_id, current_user)
    require(can_edit_item(current_user, clip))
    form = ClipForm(obj=clip, data=_times(clip))
    outcome = form_action(
        form,
        lambda: services.update_clip(
            clip, current_user, form.fields(), expected_version=form.version.data
        ),
        done=_l("Your changes are saved."),
        to=lambda _: _clip_page(clip),
        fields=_FIELDS,
        on_error=lambda err: show_error_or_stale(form, err, clip),
    )
    return outcome.response or render_page(
        "clips/form.html", outcome.status, form=form, clip=clip, **_picker(clip.episode)
    )


def _times(clip: Clip) -> dict[str, str]:
    return {"start": format_time(clip.start_s), "length": f"{clip.duration_s:g}"}


@bp.route("/groups/<slug>/clips/<int:item_id>")
def public_clip(slug: str, item_id: int) -> Any:
    """A published clip: its passage in the player and the videos to download."""
    clip = load_item(Clip, item_id, viewer())
    if clip.group.slug != slug or not can_view_item(viewer(), clip.episode):
        abort(404)
    return render_page("clips/public.html", clip=clip, episode=clip.episode, shapes=list(ClipShape))


@bp.route("/clips/<int:item_id>/rendering")
def rendering(item_id: int) -> Any:
    """How far the videos are (the clip page asks every few seconds)."""
    clip = db.session.get(Clip, item_id)
    if clip is None or not policy.can_see_rendering(viewer(), clip):
        abort(404)
    return jsonify(rendering_of(clip))


def rendering_of(clip: Clip) -> dict[str, Any]:
    return {
        "render_state": clip.render_state.value if clip.render_state else None,
        "renditions": [{"shape": r.shape.value, "progress": r.progress} for r in clip.renditions],
    }


@bp.route("/clips/<int:item_id>/<shape>.mp4")
def download(item_id: int, shape: str) -> BaseResponse:
    """One shape's video, as an attachment with a clean name."""
    return video_response(item_id, shape, media_caller())
