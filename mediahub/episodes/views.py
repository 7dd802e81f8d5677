"""HTML views of the episodes feature: recording details and the audio upload."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..drafts import web as drafts
from ..errors import DomainError, require
from ..extensions import db
from ..groups.policy import can_create_items
from ..groups.services import load_group
from ..review import policy
from ..review.actions import register_item_views
from ..review.services import load_item
from ..web import render_page, show_error, show_stale
from . import services
from .forms import EpisodeForm
from .models import Episode

bp = Blueprint("episodes", __name__)

# The services call the upload "file"; the form calls it "audio_file".
_FIELDS = {"file": "audio_file"}


def _fields(form: EpisodeForm) -> dict[str, Any]:
    return {name: getattr(form, name).data for name in services.EDITABLE}


def _attach(episode: Episode, form: EpisodeForm) -> bool:
    """Store the chosen file, if any; returns whether there was one."""
    upload = form.audio_file.data
    if not upload or not upload.filename:
        return False
    services.attach_audio(
        episode,
        upload.stream,
        uploader=current_user,
        content_type=upload.mimetype,
    )
    return True


@bp.route("/groups/<slug>/episodes/new", methods=["GET", "POST"])
@login_required
def new_episode(slug: str) -> Any:
    """Create an episode with its audio; it starts as a draft only its author sees."""
    group = load_group(slug, current_user)
    require(can_create_items(current_user, group))
    form = EpisodeForm(**drafts.form_kwargs())
    status = None
    if form.validate_on_submit():
        try:
            episode = services.create_episode(group, current_user, _fields(form))
            _attach(episode, form)
        except DomainError as err:
            status = show_error(form, err, _FIELDS)
        else:
            db.session.commit()
            flash(_l("Your episode is saved as a draft."), "success")
            return redirect(url_for("episodes.show_episode", item_id=episode.id))
    return render_page("episodes/form.html", status, form=form, group=group, episode=None)


@bp.route("/episodes/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def edit_episode(item_id: int) -> Any:
    """Change an episode or replace its audio, safe from overwriting others' changes."""
    episode = load_item(Episode, item_id, current_user)
    require(policy.can_edit_item(current_user, episode))
    form = EpisodeForm(obj=episode, **drafts.form_kwargs())
    status = saved = None
    if form.validate_on_submit():
        try:
            services.update_episode(
                episode, current_user, _fields(form), expected_version=form.version.data
            )
            _attach(episode, form)
        except DomainError as err:
            if err.code == "stale":
                status, saved = show_stale(form, episode), episode
            else:
                status = show_error(form, err, _FIELDS)
        else:
            db.session.commit()
            flash(_l("Your changes are saved."), "success")
            return redirect(url_for("episodes.show_episode", item_id=episode.id))
    return render_page(
        "episodes/form.html", status, form=form, group=episode.group, episode=episode, saved=saved
    )


register_item_views(bp, Episode, "episodes")
