"""Login throttling: 5 failures per account, 20 per address, 15 minutes."""

from __future__ import annotations

import os
import uuid
from datetime import timedelta
from typing import Any

import pytest

from matchmaking.accounts.throttle import DatabaseThrottle, RedisThrottle
from tests.accounts.test_auth import login
from tests.conftest import PASSWORD


def test_five_failures_lock_the_account_until_the_window_passes(
    client: Any, make_user: Any, db: Any
) -> None:
    make_user(email="target@example.no")
    for _ in range(5):
        assert login(client, "target@example.no", "wrong-password-9").status_code == 401
    response = login(client, "target@example.no", PASSWORD)
    assert response.status_code == 429
    assert "For mange mislykkede forsøk" in response.get_data(as_text=True)

    # The window passes: move the recorded failures 16 minutes back.
    from matchmaking.accounts.models import LoginFailure

    for failure in db.session.query(LoginFailure).all():
        failure.at = failure.at - timedelta(minutes=16)
    db.session.commit()
    assert login(client, "target@example.no", PASSWORD).status_code == 302


def test_success_resets_the_account_count(client: Any, make_user: Any) -> None:
    make_user(email="typo@example.no")
    for _ in range(4):
        login(client, "typo@example.no", "wrong-password-9")
    assert login(client, "typo@example.no", PASSWORD).status_code == 302
    client.post("/auth/logout")
    for _ in range(4):
        assert login(client, "typo@example.no", "wrong-password-9").status_code == 401
    assert login(client, "typo@example.no", PASSWORD).status_code == 302


def test_twenty_failures_from_one_address_block_it(client: Any, make_user: Any) -> None:
    make_user(email="victim@example.no")
    for n in range(20):
        assert login(client, f"guess{n}@example.no", "wrong-password-9").status_code == 401
    assert login(client, "victim@example.no", PASSWORD).status_code == 429
    other_address = client.post(
        "/auth/login",
        data={"email": "victim@example.no", "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.9.8.7"},
    )
    assert other_address.status_code == 302


def _redis_url() -> str:
    return os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_throttle() -> RedisThrottle:
    import redis

    throttle = RedisThrottle(
        _redis_url(), timedelta(minutes=15), 5, 20, f"test:{uuid.uuid4().hex}:"
    )
    try:
        throttle.client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    return throttle


def test_redis_backend_counts_like_the_database(redis_throttle: RedisThrottle) -> None:
    t = redis_throttle
    for _ in range(4):
        t.fail("a@example.no", "1.2.3.4")
    assert not t.blocked("a@example.no", "1.2.3.4")
    t.fail("a@example.no", "1.2.3.4")
    assert t.blocked("a@example.no", "1.2.3.4")
    assert not t.blocked("b@example.no", "5.6.7.8")
    t.succeed("a@example.no")
    assert not t.blocked("a@example.no", "5.6.7.8")
    for n in range(20):
        t.fail(f"x{n}@example.no", "9.9.9.9")
    assert t.blocked("fresh@example.no", "9.9.9.9")


def test_app_uses_redis_when_redis_url_is_set(
    database_url: str, redis_throttle: RedisThrottle
) -> None:
    from tests.conftest import make_app

    app = make_app(database_url, REDIS_URL=_redis_url())
    assert isinstance(app.extensions["login_throttle"], RedisThrottle)
    app = make_app(database_url)
    assert isinstance(app.extensions["login_throttle"], DatabaseThrottle)
