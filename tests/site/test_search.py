"""Searching the group directory: case does not matter for any letter, and
LIKE wildcards are plain characters (on SQLite and PostgreSQL alike)."""

from __future__ import annotations

import pytest

from mediahub.core.extensions import db


@pytest.fixture
def groups(make_group):
    make_group(name="Ängste überwinden", description="Für Menschen mit Panikattacken.")
    make_group(name="Trauercafé", description="Abschied ÜBER die Zeit hinaus.")
    make_group(name="Straßenkinder", description="Früher auf der Straße.")
    make_group(name="100% ehrlich", description="Sucht_frei leben.")
    make_group(name="Geheime Ängste", visibility="private")


def found(client, query: str) -> set[str]:
    from mediahub.groups.models import Group

    page = client.get("/", query_string={"q": query}).get_data(as_text=True)
    main = page[page.index("<main") : page.index("</main>")]
    names = db.session.scalars(db.select(Group.name)).all()
    return {name for name in names if name.replace("&", "&amp;") in main}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ängste", {"Ängste überwinden"}),
        ("ÄNGSTE", {"Ängste überwinden"}),
        ("Ängste ÜBERWINDEN", {"Ängste überwinden"}),  # every word must match
        ("über", {"Ängste überwinden", "Trauercafé"}),  # name or description
        ("ÜBER", {"Ängste überwinden", "Trauercafé"}),
        ("fÜr", {"Ängste überwinden"}),
        ("CAFÉ", {"Trauercafé"}),
        ("straße", {"Straßenkinder"}),
        ("STRASSENKINDER", set()),  # ß is not "ss": see below
    ],
)
def test_search_ignores_case_of_every_letter(client, groups, query, expected, app):
    if query == "STRASSENKINDER" and db.engine.dialect.name == "sqlite":
        # SQLite compares str.casefold() of both sides, which spells ß as
        # "ss"; PostgreSQL's ILIKE keeps ß a letter of its own.
        expected = {"Straßenkinder"}
    assert found(client, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("%", {"100% ehrlich"}),
        ("100%", {"100% ehrlich"}),
        ("1%", set()),
        ("_", {"100% ehrlich"}),
        ("sucht_FREI", {"100% ehrlich"}),
        ("sucht_", {"100% ehrlich"}),
        ("uch_", set()),  # "_" is not "any one letter" ("Sucht")
        ("\\", set()),
    ],
)
def test_search_takes_wildcards_literally(client, groups, query, expected):
    assert found(client, query) == expected


def test_the_search_by_group_name_can_use_an_index_on_postgresql(app):
    """At national scale (100,000 groups) "contains" must not read every group:
    PostgreSQL answers it from the trigram indexes (migration 0013). SQLite
    reads them all, which a single hub can afford."""
    from sqlalchemy import or_, select, text

    from mediahub.core.search import icontains
    from mediahub.groups.models import Group

    if db.engine.dialect.name != "postgresql":
        pytest.skip("trigram indexes exist on PostgreSQL only (SQLite reads every group)")
    stmt = select(Group.id).where(
        or_(icontains(Group.name, "Trauer"), icontains(Group.description, "Trauer"))
    )
    compiled = stmt.compile(db.engine, compile_kwargs={"literal_binds": True})
    with db.engine.connect() as conn:
        conn.execute(text("SET enable_seqscan = off"))  # a tiny table: ask whether it can
        plan = "\n".join(row[0] for row in conn.execute(text(f"EXPLAIN {compiled}")))
    assert "ix_groups_name_trgm" in plan and "ix_groups_description_trgm" in plan, plan


def test_a_search_with_few_matches_finds_them_before_sorting_on_postgresql(client, groups):
    """With an index on the names' order, PostgreSQL may walk it and test
    every group until a page is full: 110 ms at national scale when the few
    matches sort late. A search with few matches is ordered by an
    expression that index does not have, so the matches are found first."""
    from sqlalchemy import event, text

    if db.engine.dialect.name != "postgresql":
        pytest.skip("the plan is PostgreSQL's")
    seen: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, params, _context, _many):
        if "ORDER BY" in statement and "FROM groups" in statement:
            seen.append((statement, params))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert found(client, "trauer") == {"Trauercafé"}
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    (statement, params), *_ = seen
    with db.engine.connect() as conn:
        conn.execute(text("SET enable_seqscan = off"))  # a tiny table: ask what it could do
        raw = conn.connection.driver_connection.cursor()
        raw.execute("EXPLAIN " + statement, params)
        plan = "\n".join(row[0] for row in raw.fetchall())
    assert "ix_groups_name_order" not in plan, plan
    assert "Sort" in plan, plan
