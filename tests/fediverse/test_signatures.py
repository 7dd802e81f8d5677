"""What a signed request must carry before we believe who sent it."""

from __future__ import annotations

import datetime as dt
import email.utils
import json

import pytest
from pubby.crypto import export_private_key_pem, export_public_key_pem, generate_rsa_keypair

from mediahub.fediverse.signatures import (
    RemoteKey,
    SignatureError,
    parse_signature_header,
    signed_headers,
    verify,
)

ACTOR = "https://social.example/users/alice"
KEY_ID = f"{ACTOR}#main-key"
INBOX = "https://hub.example/fediverse/groups/trauer/inbox"


@pytest.fixture(scope="module")
def keys() -> tuple[str, str]:
    private, public = generate_rsa_keypair()
    return export_private_key_pem(private), export_public_key_pem(public)


def _signed(keys, body: bytes, **extra) -> dict[str, str]:
    headers = signed_headers(
        private_key_pem=keys[0], key_id=KEY_ID, method="POST", url=INBOX, body=body
    )
    headers.update(extra)
    return headers


def _verify(keys, headers, body, *, method="POST", path="/fediverse/groups/trauer/inbox", **kw):
    def key_for(key_id: str) -> RemoteKey:
        assert key_id == KEY_ID
        return RemoteKey(KEY_ID, ACTOR, keys[1])

    return verify(
        method=method,
        path=path,
        headers=headers,
        body=body,
        our_host="hub.example",
        key_for=key_for,
        **kw,
    )


BODY = json.dumps({"type": "Follow", "actor": ACTOR}).encode()


def test_a_properly_signed_post_names_its_actor(keys):
    assert _verify(keys, _signed(keys, BODY), BODY) == ACTOR


def test_a_swapped_body_is_refused(keys):
    headers = _signed(keys, BODY)
    with pytest.raises(SignatureError, match="Digest"):
        _verify(keys, headers, BODY.replace(b"Follow", b"Delete"))


def test_a_signature_without_the_digest_is_refused_even_if_valid(keys):
    from pubby.crypto import load_private_key, sign_request

    headers = sign_request(
        load_private_key(keys[0]), KEY_ID, "POST", INBOX, body=BODY,
        signed_headers=["(request-target)", "host", "date"],
    )  # fmt: skip
    with pytest.raises(SignatureError, match="digest"):
        _verify(keys, headers, BODY)


def test_an_old_request_cannot_be_replayed(keys):
    old = email.utils.format_datetime(dt.datetime.now(dt.UTC) - dt.timedelta(hours=2), usegmt=True)
    from pubby.crypto import load_private_key, sign_request

    headers = sign_request(
        load_private_key(keys[0]), KEY_ID, "POST", INBOX, body=BODY, headers={"Date": old}
    )
    with pytest.raises(SignatureError, match="Date"):
        _verify(keys, headers, BODY)


def test_a_request_signed_for_another_server_is_refused(keys):
    headers = signed_headers(
        private_key_pem=keys[0],
        key_id=KEY_ID,
        method="POST",
        url="https://other.example/inbox",
        body=BODY,
    )
    with pytest.raises(SignatureError, match="another host"):
        _verify(keys, headers, BODY, path="/inbox")


def test_a_signature_by_another_key_does_not_match(keys):
    other_private, _ = generate_rsa_keypair()
    headers = signed_headers(
        private_key_pem=export_private_key_pem(other_private),
        key_id=KEY_ID,
        method="POST",
        url=INBOX,
        body=BODY,
    )
    with pytest.raises(SignatureError, match="does not match"):
        _verify(keys, headers, BODY)


def test_another_path_does_not_match(keys):
    with pytest.raises(SignatureError, match="does not match"):
        _verify(keys, _signed(keys, BODY), BODY, path="/fediverse/groups/other/inbox")


@pytest.mark.parametrize(
    "header",
    [
        "",
        'keyId="x"',
        'keyId="x",signature="a",signature="b"',
        'keyId="x",signature="a" junk',
        'keyId="x",algorithm="hmac-sha256",signature="a"',
        "k" * 5000,
        'keyId="x\x00",signature="\ud800"',
    ],
)
def test_malformed_signature_headers_are_refused_not_crashing(keys, header):
    headers = _signed(keys, BODY, Signature=header)
    with pytest.raises(SignatureError):
        _verify(keys, headers, BODY)


def test_no_signature_at_all_is_refused(keys):
    headers = _signed(keys, BODY)
    del headers["Signature"]
    with pytest.raises(SignatureError, match="not signed"):
        _verify(keys, headers, BODY)


def test_the_header_parser_reads_the_usual_form():
    fields = parse_signature_header(
        'keyId="a#k",algorithm="rsa-sha256",headers="(request-target) host",signature="c2ln"'
    )
    assert fields == {
        "keyId": "a#k",
        "algorithm": "rsa-sha256",
        "headers": "(request-target) host",
        "signature": "c2ln",
    }
