"""Every blueprint, HTML and API, registered in one place."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from .accounts import api as accounts_api
    from .accounts import views as accounts_views
    from .admin import api as admin_api
    from .admin import health as admin_health
    from .admin import views as admin_views
    from .episodes import api as episodes_api
    from .episodes import views as episodes_views
    from .extensions import api
    from .feeds import api as feeds_api
    from .feeds import views as feeds_views
    from .groups import api as groups_api
    from .groups import views as groups_views
    from .mail import views as mail_views
    from .media import views as media_views
    from .posts import api as posts_api
    from .posts import views as posts_views
    from .review import api as review_api
    from .review import views as review_views
    from .site import views as site_views
    from .uploads import api as uploads_api

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
    from .accounts import tasks as _account_tasks  # noqa: F401
    from .admin import tasks as _admin_tasks  # noqa: F401
    from .drafts import tasks as _draft_tasks  # noqa: F401
    from .feeds import tasks as _feed_tasks  # noqa: F401
    from .groups import invitations as _invitations  # noqa: F401
    from .mail import notifications as _notifications  # noqa: F401
    from .media import tasks as _media_tasks  # noqa: F401
    from .review import tasks as _review_tasks  # noqa: F401
    from .uploads import tasks as _upload_tasks  # noqa: F401
