"""Every blueprint, HTML and API, registered in one place."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from mediahub.accounts import api as accounts_api
    from mediahub.accounts import views as accounts_views
    from mediahub.admin import api as admin_api
    from mediahub.admin import health as admin_health
    from mediahub.admin import views as admin_views
    from mediahub.core.extensions import api
    from mediahub.episodes import api as episodes_api
    from mediahub.episodes import views as episodes_views
    from mediahub.feeds import api as feeds_api
    from mediahub.feeds import views as feeds_views
    from mediahub.groups import api as groups_api
    from mediahub.groups import views as groups_views
    from mediahub.mail import views as mail_views
    from mediahub.media import views as media_views
    from mediahub.posts import api as posts_api
    from mediahub.posts import views as posts_views
    from mediahub.review import api as review_api
    from mediahub.review import views as review_views
    from mediahub.site import views as site_views
    from mediahub.uploads import api as uploads_api

    for bp in (
        accounts_views.bp,
        admin_views.bp,
        admin_health.liveness_bp,
        site_views.bp,
        media_views.bp,
        feeds_views.bp,
        groups_views.bp,
        episodes_views.bp,
        posts_views.bp,
        review_views.bp,
        mail_views.bp,
    ):
        app.register_blueprint(bp)
    for blp in (
        accounts_api.blp,
        groups_api.blp,
        episodes_api.blp,
        posts_api.blp,
        feeds_api.blp,
        review_api.queue_blp,
        uploads_api.blp,
        admin_api.blp,
    ):
        api.register_blueprint(blp)
    # Tasks must be registered with Huey in every process (web and worker).
    from mediahub.accounts import tasks as _account_tasks  # noqa: F401
    from mediahub.admin import tasks as _admin_tasks  # noqa: F401
    from mediahub.drafts import tasks as _draft_tasks  # noqa: F401
    from mediahub.feeds import tasks as _feed_tasks  # noqa: F401
    from mediahub.groups import invitations as _invitations  # noqa: F401
    from mediahub.mail import notifications as _notifications  # noqa: F401
    from mediahub.media import tasks as _media_tasks  # noqa: F401
    from mediahub.review import tasks as _review_tasks  # noqa: F401
    from mediahub.uploads import tasks as _upload_tasks  # noqa: F401
