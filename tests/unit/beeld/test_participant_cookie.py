"""The participant cookie (ui_join.cookie_script): set by script, so it cannot be httpOnly; every other
attribute is as strict as a script can make it, and it only ever carries a participant's own token."""

from __future__ import annotations

import re

import pytest

from wijk.beeld.ui_join import COOKIE_PREFIX, cookie_script
from wijk.beeld.workshop import WorkshopStore


def _cookie(script: str) -> str:
    found = re.search(r'document\.cookie = "([^"]*)"', script)
    assert found, script
    return found.group(1)


def test_cookie_is_strict_and_lasts_a_day():
    token = "Ab3_-" + "x" * 27
    script = cookie_script("ab c234", token)
    parts = [p.strip() for p in _cookie(script).split(";")]
    assert parts[0] == f"{COOKIE_PREFIX}ABC234={token}"  # the code normalised, the token as is
    assert set(parts[1:]) == {"path=/", "max-age=86400", "SameSite=Strict"}
    # Secure is added exactly when the page (the component frame's parent) is https
    assert '(page.protocol === "https:" ? "; Secure" : "")' in script
    assert "page = window.parent.location" in script
    assert "httponly" not in script.lower()  # a script cannot set it; the README says why


@pytest.mark.parametrize(
    "token",
    ["short", "x" * 65, 'x" ; alert(1) ; "' + "x" * 16, "x" * 20 + "</script>", "x" * 20 + "; Domain=evil"],
)
def test_nothing_but_a_token_is_written_into_the_script(token):
    with pytest.raises(ValueError):
        cookie_script("ABC234", token)


def test_the_token_is_random_and_never_the_facilitators_secret(tmp_path):
    store = WorkshopStore(f"sqlite:///{tmp_path / 'ws.sqlite'}")
    try:
        made = store.create_workshop("WK001403", 2024, ["q_income"], title="Avond")
        tokens = [store.join(made.join_code) for _ in range(20)]
        assert len(set(tokens)) == 20 and made.facilitator_secret not in tokens
        assert all(len(tok) >= 32 for tok in tokens)  # 24 random bytes, url-safe
        for tok in tokens:  # each one a valid cookie value
            assert _cookie(cookie_script(made.join_code, tok)).split(";")[0].endswith("=" + tok)
        # the page keeps only what verifies as a participant: the facilitator's secret never does
        assert not store.verify_participant(made.join_code, made.facilitator_secret)
        assert store.verify_participant(made.join_code, tokens[0])
    finally:
        store.dispose()
