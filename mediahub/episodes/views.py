"""HTML views of the episodes feature: recording details and the audio upload."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, jsonify, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from mediahub.accounts.identity import viewer
from mediahub.core.errors import DomainError, require
from mediahub.core.extensions import db
from mediahub.core.labels import label
from mediahub.drafts import web as drafts
from mediahub.episodes import services
from mediahub.episodes.forms import EpisodeForm
from mediahub.episodes.models import Episode
from mediahub.episodes.transcripts import MAX_UPLOAD_BYTES
from mediahub.groups.policy import can_create_items
from mediahub.groups.services import load_group
from mediahub.media.messages import translated
from mediahub.media.models import AssetState
from mediahub.review import policy
from mediahub.review.services import load_item
from mediahub.web.actions import form_action
from mediahub.web.pages import render_page, show_error_or_stale

bp = Blueprint("episodes", __name__)


def _fields(form: EpisodeForm) -> dict[str, Any]:
    return {name: getattr(form, name).data for name in services.EDITABLE}


def _chosen(field: Any) -> Any:
    upload = field.data
    return upload if upload and getattr(upload, "filename", None) else None


def _attach(episode: Episode, form: EpisodeForm) -> None:
    """Store the chosen files and the chapters, each error next to its own field."""
    steps: list[tuple[str, Callable[[], Any]]] = []
    if audio := _chosen(form.audio_file):
        steps.append(
            (
                "audio_file",
                lambda: services.attach_audio(
                    episode, audio.stream, uploader=current_user, content_type=audio.mimetype
                ),
            )
        )
    if image := _chosen(form.image_file):
        steps.append(
            ("image_file", lambda: services.set_image(episode, current_user, image.stream))
        )
    if transcript := _chosen(form.transcript_file):
        steps.append(
            (
                "transcript_file",
                lambda: services.set_transcript(
                    episode, current_user, transcript.stream.read(MAX_UPLOAD_BYTES + 1)
                ),
            )
        )
    if form.chapter_lines.data is not None:
        steps.append(
            (
                "chapter_lines",
                lambda: services.set_chapters(episode, current_user, form.chapter_lines.data),
            )
        )
    for name, step in steps:
        try:
            step()
        except DomainError as err:
            if err.field in {"file", "chapters"}:
                err.field = name
            raise


def _from_script() -> bool:
    """The form's script saves the fields first and then uploads the audio itself."""
    return request.method == "POST" and request.headers.get("X-Requested-With") == "mediahub"


def _saved(episode: Episode) -> Any:
    target = url_for("review.show_item", kind="episodes", item_id=episode.id)
    if not _from_script():
        return redirect(target)
    db.session.flush()  # the version the next save of this form starts from
    return jsonify(
        {
            "episode_id": episode.id,
            "upload_url": url_for("uploads_api.create_upload", item_id=episode.id),
            "next_url": target,
            # From now on the draft exists: the form's next save changes it.
            "edit_url": url_for("episodes.edit_episode", item_id=episode.id),
            "version": episode.version,
        }
    )


def _form_errors(form: EpisodeForm, status: int | None) -> Any:
    fields = {name: " ".join(map(str, errs)) for name, errs in form.errors.items() if name}
    messages = [str(m) for m in form.form_errors]
    return jsonify({"fields": fields, "messages": messages}), status or 422


@bp.route("/groups/<slug>/episodes/new", methods=["GET", "POST"])
@login_required
def new_episode(slug: str) -> Any:
    """Create an episode with its audio; it starts as a draft only its author sees."""
    group = load_group(slug, current_user)
    require(can_create_items(current_user, group))
    form = EpisodeForm(**drafts.form_kwargs())

    def create() -> Episode:
        episode = services.create_episode(group, current_user, _fields(form))
        _attach(episode, form)
        return episode

    outcome = form_action(form, create, done=_l("Your episode is saved as a draft."), to=_saved)
    if outcome.response:
        return outcome.response
    if _from_script():
        return _form_errors(form, outcome.status)
    return render_page("episodes/form.html", outcome.status, form=form, group=group, episode=None)


def _update(episode: Episode, form: EpisodeForm) -> Episode:
    services.update_episode(
        episode, current_user, _fields(form), expected_version=form.version.data
    )
    _attach(episode, form)
    return episode


@bp.route("/episodes/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def edit_episode(item_id: int) -> Any:
    """Change an episode or replace its audio, safe from overwriting others' changes."""
    episode = load_item(Episode, item_id, current_user)
    require(policy.can_edit_item(current_user, episode))
    form = EpisodeForm(obj=episode, **drafts.form_kwargs())
    if not form.is_submitted():
        form.chapter_lines.data = services.chapter_lines(episode.chapters)
    outcome = form_action(
        form,
        lambda: _update(episode, form),
        done=_l("Your changes are saved."),
        to=_saved,
        on_error=lambda err: show_error_or_stale(form, err, episode),
    )
    if outcome.response:
        return outcome.response
    if _from_script():
        return _form_errors(form, outcome.status)
    stale = outcome.error is not None and outcome.error.code == "stale"
    return render_page(
        "episodes/form.html",
        outcome.status,
        form=form,
        group=episode.group,
        episode=episode,
        saved=episode if stale else None,
    )


@bp.route("/episodes/<int:item_id>/media-status")
def media_status(item_id: int) -> Any:
    """How far the episode's audio is, for the page to follow without reloading."""
    episode = load_item(Episode, item_id, viewer())
    resp = jsonify(media_status_of(episode))
    resp.headers["Cache-Control"] = "no-store"
    return resp


def media_status_of(episode: Episode) -> dict[str, Any]:
    """The audio's state with a sentence for the live region of the page."""

    asset = episode.audio
    if asset is None:
        return {"status": "none", "label": "", "message": str(NO_AUDIO), "is_final": True}
    out: dict[str, Any] = {
        "status": asset.status.value,
        "label": str(label(asset.status)),
        "message": str(STATUS_MESSAGES[asset.status]),
        "is_final": asset.status in {AssetState.READY, AssetState.FAILED},
        "duration_s": asset.duration_s if asset.is_ready else None,
        "progress": asset.progress_shown,
        "audio_url": None,
        "peaks_url": None,
    }
    if asset.status == AssetState.FAILED:
        out["message"] = translated(asset.error) if asset.error else str(NOT_PROCESSED)
    if asset.is_ready and asset.tags_pending:
        # Playable as it is; the page follows until the new details are in.
        out.update(status="updating", label=str(UPDATING), message=str(UPDATING_MESSAGE))
        out["is_final"] = False
    if asset.is_ready:
        out["audio_url"] = url_for("media.episode_audio", guid=episode.guid)
        if asset.peaks_key:
            out["peaks_url"] = url_for("media.episode_peaks", guid=episode.guid)
    return out


NO_AUDIO = _l("There is no recording yet.")
UPDATING = _l("Updating")
UPDATING_MESSAGE = _l("The changed details are being written into the recording (a few seconds).")
NOT_PROCESSED = _l("The file could not be processed.")
STATUS_MESSAGES = {
    AssetState.UPLOADED: _l("The recording has arrived and waits for processing."),
    AssetState.PROCESSING: _l(
        "The recording is being processed. This usually takes a few minutes."
    ),
    AssetState.READY: _l("The recording is ready. You can listen to it now."),
    AssetState.FAILED: NOT_PROCESSED,
}
