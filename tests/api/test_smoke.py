def test_token_and_group_flow(client, make_user, api_token):
    admin = make_user("Admin", hub_role="admin")
    resp = client.post(
        "/api/v1/tokens", json={"email": admin.email, "password": "correct horse battery"}
    )
    assert resp.status_code == 201, resp.json
    headers = {"Authorization": f"Bearer {resp.json['token']}"}
    resp = client.post(
        "/api/v1/groups", json={"slug": "grief-hh", "name": "Trauer Hamburg"}, headers=headers
    )
    assert resp.status_code == 201, resp.json
    assert resp.json["page_url"] == "http://hub.test/groups/grief-hh/"
    resp = client.post(
        "/api/v1/groups/grief-hh/posts", json={"title": "Hallo", "body": "*x*"}, headers=headers
    )
    assert resp.status_code == 201, resp.json
