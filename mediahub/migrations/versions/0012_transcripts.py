"""Automatic transcripts: the job and working copy, the group's switch, the
episode's language and transcript origin, and the search index of what
episodes say (PostgreSQL: tsvector + GIN; SQLite: FTS5 kept by triggers).

Revision ID: 0012_transcripts
Revises: 0011_listener_statistics
"""

import sqlalchemy as sa
from alembic import op

import mediahub.core.types

revision = "0012_transcripts"
down_revision = "0011_listener_statistics"
branch_labels = None
depends_on = None

_SQLITE_SEARCH = (
    # External content: the text is stored once, in episode_texts.
    "CREATE VIRTUAL TABLE episode_texts_fts USING fts5(body, content='episode_texts',"
    " content_rowid='episode_id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER episode_texts_fts_insert AFTER INSERT ON episode_texts BEGIN"
    " INSERT INTO episode_texts_fts(rowid, body) VALUES (new.episode_id, new.body); END",
    "CREATE TRIGGER episode_texts_fts_delete AFTER DELETE ON episode_texts BEGIN"
    " INSERT INTO episode_texts_fts(episode_texts_fts, rowid, body)"
    " VALUES ('delete', old.episode_id, old.body); END",
    "CREATE TRIGGER episode_texts_fts_update AFTER UPDATE ON episode_texts BEGIN"
    " INSERT INTO episode_texts_fts(episode_texts_fts, rowid, body)"
    " VALUES ('delete', old.episode_id, old.body);"
    " INSERT INTO episode_texts_fts(rowid, body) VALUES (new.episode_id, new.body); END",
)
_POSTGRES_SEARCH = (
    "ALTER TABLE episode_texts ADD COLUMN document tsvector"
    " GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED",
    "CREATE INDEX ix_episode_texts_document ON episode_texts USING gin (document)",
)


def upgrade():
    op.create_table(
        "transcripts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("episode_id", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "queued", "running", "done", "failed",
                name="transcriptstate", native_enum=False, length=24,
            ),
            nullable=False,
        ),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("heartbeat_at", mediahub.core.types.UTCDateTime(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("source_sha256", sa.String(length=64), nullable=True),
        sa.Column("vtt", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("approved_version", sa.Integer(), nullable=True),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("approved_at", mediahub.core.types.UTCDateTime(), nullable=True),
        sa.Column("created_at", mediahub.core.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", mediahub.core.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["approved_by_id"], ["users.id"],
            name=op.f("fk_transcripts_approved_by_id_users"), ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["episode_id"], ["episodes.id"],
            name=op.f("fk_transcripts_episode_id_episodes"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transcripts")),
        sa.UniqueConstraint("episode_id", name=op.f("uq_transcripts_episode_id")),
    )
    with op.batch_alter_table("transcripts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_transcripts_state"), ["state"], unique=False)
    op.create_table(
        "episode_texts",
        sa.Column("episode_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["episode_id"], ["episodes.id"],
            name=op.f("fk_episode_texts_episode_id_episodes"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("episode_id", name=op.f("pk_episode_texts")),
    )
    bind = op.get_bind()
    for statement in _SQLITE_SEARCH if bind.dialect.name == "sqlite" else _POSTGRES_SEARCH:
        op.execute(statement)
    _index_existing_episodes(bind)
    with op.batch_alter_table("episodes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("transcript_origin", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=True))
    # Transcripts people uploaded before this are theirs.
    op.execute("UPDATE episodes SET transcript_origin = 'upload' WHERE transcript_vtt IS NOT NULL")
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("auto_transcripts", sa.Boolean(), server_default=sa.true(), nullable=False)
        )


def _index_existing_episodes(bind):
    """Episodes made before this migration become searchable at once (the
    app keeps the rows in step from now on: mediahub/transcripts/search.py)."""
    from mediahub.transcripts.captions import read_vtt

    ids = [row[0] for row in bind.execute(sa.text("SELECT id FROM episodes ORDER BY id"))]
    select = sa.text(
        "SELECT id, title, description, transcript_vtt FROM episodes WHERE id IN :ids"
    ).bindparams(sa.bindparam("ids", expanding=True))
    insert = sa.text("INSERT INTO episode_texts (episode_id, body) VALUES (:id, :body)")
    for start in range(0, len(ids), 200):
        rows = bind.execute(select, {"ids": ids[start : start + 200]}).all()
        bodies = []
        for episode_id, title, description, vtt in rows:
            words = " ".join(cue.text for cue in read_vtt(vtt))
            body = "\n".join(part for part in (title, description or "", words) if part)
            bodies.append({"id": episode_id, "body": body})
        bind.execute(insert, bodies)


def downgrade():
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.drop_column("auto_transcripts")
    with op.batch_alter_table("episodes", schema=None) as batch_op:
        batch_op.drop_column("language")
        batch_op.drop_column("transcript_origin")
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS episode_texts_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS episode_texts_fts")
    op.drop_table("episode_texts")
    with op.batch_alter_table("transcripts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_transcripts_state"))
    op.drop_table("transcripts")
