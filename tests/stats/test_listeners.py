"""The listener key: a daily pseudonym that cannot be reversed or linked across days."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import Column, Date, LargeBinary, MetaData, Table, create_engine, select

from mediahub.stats.listeners import (
    DaySecrets,
    destroy_secrets,
    listener_key,
    network_of,
    seal,
    sealing_key,
    unseal,
)

DAY = dt.date(2026, 3, 14)


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("2001:DB8:1:2::1", "2001:db8:1:2::/64"),
        ("fe80::1%eth0", "fe80::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("", ""),
        (None, ""),
        ("not-an-address:", "not-an-address:"),
    ],
)
def test_the_network_of_an_address(address, network):
    assert network_of(address) == network


def test_keys_link_one_day_only():
    today, tomorrow = b"a" * 32, b"b" * 32
    agent = "AntennaPod/3.4.0"
    assert listener_key(today, "203.0.113.7", agent) == listener_key(today, "203.0.113.7", agent)
    assert listener_key(today, "203.0.113.7", agent) != listener_key(tomorrow, "203.0.113.7", agent)
    assert listener_key(today, "203.0.113.7", agent) != listener_key(today, "203.0.113.8", agent)
    assert listener_key(today, "203.0.113.7", agent) != listener_key(
        today, "203.0.113.7", "Overcast/3.0"
    )
    # One device, two temporary IPv6 addresses: one listener.
    assert listener_key(today, "2001:db8::1", agent) == listener_key(today, "2001:db8::2", agent)
    key = listener_key(today, "203.0.113.7", agent)
    assert -(2**63) <= key < 2**63  # fits a BIGINT


def test_sealed_secrets_open_only_with_their_key_and_day():
    key = sealing_key("the hub's secret key")
    sealed = seal(key, DAY, b"x" * 32)
    assert b"x" * 32 not in sealed
    assert unseal(key, DAY, sealed) == b"x" * 32
    assert unseal(key, DAY + dt.timedelta(days=1), sealed) is None
    assert unseal(sealing_key("another key"), DAY, sealed) is None
    assert unseal(key, DAY, b"short") is None


@pytest.fixture
def secrets_table(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'secrets.db'}")
    table = Table(
        "stats_day_secrets",
        MetaData(),
        Column("day", Date, primary_key=True),
        Column("sealed", LargeBinary(80)),
    )
    table.metadata.create_all(engine)
    yield engine, table
    engine.dispose()


def test_machines_sharing_a_database_share_the_days_secret(secrets_table):
    engine, table = secrets_table
    first, second = DaySecrets(engine, "k", table), DaySecrets(engine, "k", table)
    found = []
    threads = [
        threading.Thread(target=lambda m=m: found.append(m.secret_for(DAY)))
        for m in (first, second)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(found) == 2 and found[0] == found[1] and len(found[0]) == 32
    assert first.secret_for(DAY + dt.timedelta(days=1)) != found[0]
    with engine.connect() as conn:
        stored = conn.execute(select(table.c.sealed)).scalars().all()
    # The database holds the secrets sealed, never as they are.
    assert all(found[0] not in row for row in stored)


def test_a_secret_key_change_starts_a_new_secret_for_the_day(secrets_table):
    engine, table = secrets_table
    before = DaySecrets(engine, "old key", table).secret_for(DAY)
    after = DaySecrets(engine, "new key", table).secret_for(DAY)
    assert after != before
    assert DaySecrets(engine, "new key", table).secret_for(DAY) == after


def test_past_secrets_are_destroyed_and_forgotten(secrets_table):
    engine, table = secrets_table
    machine = DaySecrets(engine, "k", table)
    yesterday = machine.secret_for(DAY - dt.timedelta(days=1))
    today = machine.secret_for(DAY)
    assert destroy_secrets(engine, table, before=DAY) == 1
    machine.forget_before(DAY)
    with engine.connect() as conn:
        assert conn.execute(select(table.c.day)).scalars().all() == [DAY]
    assert machine.secret_for(DAY) == today
    assert yesterday not in machine._known.values()
