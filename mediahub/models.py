"""Import every model so that the metadata (and Alembic) sees all tables."""

from mediahub.accounts.models import (
    ApiToken,
    EmailChange,
    HubRole,
    LoginSession,
    PasswordReset,
    User,
)
from mediahub.clips.models import Clip, ClipRendition, RenderState
from mediahub.episodes.models import Episode, EpisodeType
from mediahub.fediverse.models import (
    Block,
    Delivery,
    FederatedItem,
    Follower,
    GroupActor,
    RemoteActor,
    RemoteReply,
)
from mediahub.groups.models import FeedToken, Group, GroupRole, Invitation, Membership, Visibility
from mediahub.media.models import AssetKind, AssetState, MediaAsset
from mediahub.posts.models import Post
from mediahub.review.models import ReviewEvent
from mediahub.site.models import SiteText, SiteTextKey
from mediahub.stats.models import (
    StatsDaily,
    StatsDaySecret,
    StatsEpisodeDay,
    StatsEvent,
    StatsFeedDay,
    StatsGroupDay,
    StatsRollupState,
)
from mediahub.uploads.models import UploadPurpose, UploadSession

__all__ = [
    "ApiToken",
    "AssetKind",
    "AssetState",
    "Block",
    "Clip",
    "ClipRendition",
    "Delivery",
    "EmailChange",
    "Episode",
    "EpisodeType",
    "FederatedItem",
    "FeedToken",
    "Follower",
    "Group",
    "GroupActor",
    "GroupRole",
    "HubRole",
    "Invitation",
    "LoginSession",
    "MediaAsset",
    "Membership",
    "PasswordReset",
    "Post",
    "RemoteActor",
    "RemoteReply",
    "RenderState",
    "ReviewEvent",
    "SiteText",
    "SiteTextKey",
    "StatsDaily",
    "StatsDaySecret",
    "StatsEpisodeDay",
    "StatsEvent",
    "StatsFeedDay",
    "StatsGroupDay",
    "StatsRollupState",
    "UploadPurpose",
    "UploadSession",
    "User",
    "Visibility",
]

from mediahub.admin.models import WorkerHeartbeat
from mediahub.drafts.models import KeptDraft
from mediahub.transcripts.models import EpisodeText, Transcript, TranscriptState

__all__ += ["EpisodeText", "KeptDraft", "Transcript", "TranscriptState", "WorkerHeartbeat"]
