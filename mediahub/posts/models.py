"""Blog posts."""

from __future__ import annotations

from sqlalchemy import Text
from sqlalchemy.orm import Mapped, mapped_column

from mediahub.core.extensions import Model
from mediahub.review.models import ReviewableMixin


class Post(ReviewableMixin, Model):
    __tablename__ = "posts"
    item_type = "post"

    body: Mapped[str] = mapped_column(Text, default="")

    def __repr__(self) -> str:
        return f"<Post {self.id} {self.status}>"
