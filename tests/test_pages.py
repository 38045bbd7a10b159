"""The engine allocates a run's arrays without NumPy's huge-page advice, and leaves NumPy's setting as it was."""

from __future__ import annotations

import pytest

from removalsim.engine import loop, pages

get_advice = pages._multiarray._get_madvise_hugepage
set_advice = pages._multiarray._set_madvise_hugepage


@pytest.fixture
def advice_on(monkeypatch):
    monkeypatch.delenv("NUMPY_MADVISE_HUGEPAGE", raising=False)
    previous = set_advice(True)
    yield
    set_advice(previous)


def test_small_pages_turns_the_advice_off_and_restores_it(advice_on):
    with pages.small_pages():
        assert get_advice() is False
    assert get_advice() is True
    with pytest.raises(RuntimeError), pages.small_pages():
        raise RuntimeError("a run that fails")
    assert get_advice() is True


def test_overlapping_runs_restore_the_setting_when_the_last_ends(advice_on):
    """Two threads' runs that end in the order they began: the advice stays off until both have ended."""
    first, second = pages.small_pages(), pages.small_pages()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert get_advice() is False
    second.__exit__(None, None, None)
    assert get_advice() is True


def test_a_users_own_setting_is_kept(advice_on, monkeypatch):
    monkeypatch.setenv("NUMPY_MADVISE_HUGEPAGE", "1")
    with pages.small_pages():
        assert get_advice() is True


def test_a_run_builds_and_simulates_on_small_pages(advice_on, monkeypatch):
    seen = []
    build, run_days = loop.build, loop.run_days
    monkeypatch.setattr(loop, "build", lambda w: (seen.append(("build", get_advice())), build(w)))
    monkeypatch.setattr(loop, "run_days", lambda *a: (seen.append(("days", get_advice())), run_days(*a)))
    from conftest import baseline

    loop.run(baseline(), 0.1, 1, 0.0005)
    assert seen and ("build", False) in seen and ("days", False) in seen
    assert all(advice is False for _, advice in seen)
    assert get_advice() is True
