"""Import every model so that the metadata (and Alembic) sees all tables."""

from .accounts.models import ApiToken, EmailChange, HubRole, LoginSession, User
from .episodes.models import Episode, EpisodeType
from .feeds.models import FeedToken
from .groups.models import Group, GroupRole, Invitation, Membership, Visibility
from .media.models import AssetKind, AssetState, MediaAsset
from .posts.models import Post
from .review.models import ReviewEvent
from .site.models import SiteText, SiteTextKey
from .uploads.models import UploadPurpose, UploadSession

__all__ = [
    "ApiToken",
    "AssetKind",
    "AssetState",
    "EmailChange",
    "Episode",
    "EpisodeType",
    "FeedToken",
    "Group",
    "GroupRole",
    "HubRole",
    "Invitation",
    "LoginSession",
    "MediaAsset",
    "Membership",
    "Post",
    "ReviewEvent",
    "SiteText",
    "SiteTextKey",
    "UploadPurpose",
    "UploadSession",
    "User",
    "Visibility",
]

from .admin.models import WorkerHeartbeat
from .drafts.models import KeptDraft

__all__ += ["KeptDraft", "WorkerHeartbeat"]
