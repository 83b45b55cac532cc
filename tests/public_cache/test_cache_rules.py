"""The public-response cache's rules, on the cache itself: what is stored, what a change
drops, the generation check, expiry, bounds and coalesced misses."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from strawberry.types.execution import ExecutionResult

from schema import cache_notes, public_cache
from schema.build import build_schema
from schema.cache_notes import note_works
from schema.public_cache import PublicCache
from settings import get_settings

PAGE = "{ gallery { edges { cursor } } }"
LIKED_PAGE = "{ gallery(order: MOST_LIKED) { edges { cursor } } }"
WORK = '{ publicCustomWorld(publicWorkCode: "CW1") { title } }'


def _cache(**limits: Any) -> PublicCache:
    cache = PublicCache(
        build_schema(get_settings())._schema,
        ttl_seconds=limits.get("ttl_seconds", 5.0),
        max_entries=limits.get("max_entries", 100),
        max_bytes=limits.get("max_bytes", 100_000),
    )
    cache.ready = True
    return cache


class Runs:
    """A stand-in execution: counts its runs, names its works like the gallery does."""

    def __init__(
        self,
        data: dict[str, Any] | None = None,
        *,
        works: tuple[str, ...] | None = ("puzzle:w1",),
        complete: bool = True,
        errors: list[Any] | None = None,
        during: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.count = 0
        self.data = data if data is not None else {"gallery": {"edges": []}}
        self.works = works
        self.complete = complete
        self.errors = errors
        self.during = during

    async def __call__(self) -> ExecutionResult:
        self.count += 1
        if self.works is not None:  # None: a field that is not a gallery page
            note_works(self.works, complete=self.complete)
        if self.during is not None:
            await self.during()
        return ExecutionResult(data={**self.data, "run": self.count}, errors=self.errors)


async def _get(cache: PublicCache, runs: Runs, query: str = PAGE, **variables: Any) -> Any:
    return (await cache.execute(query, variables, None, runs)).data


async def test_an_anonymous_result_is_served_again_per_document_and_variables() -> None:
    # given a cache and an execution
    cache, runs = _cache(), Runs()
    # when the same page is asked twice, then with other variables
    first = await _get(cache, runs, first=1)
    second = await _get(cache, runs, first=1)
    other = await _get(cache, runs, first=2)
    # then the second came from the cache, the third ran
    assert (first["run"], second["run"], other["run"], runs.count) == (1, 1, 2, 2)
    assert len(cache) == 2


async def test_errors_are_never_stored() -> None:
    # given an execution whose result has an error
    cache, runs = _cache(), Runs(errors=[object()])
    # when asked twice
    await _get(cache, runs)
    await _get(cache, runs)
    # then both ran and nothing was kept
    assert (runs.count, len(cache)) == (2, 0)


async def test_nothing_is_served_before_the_change_events_are_followed() -> None:
    # given a cache whose watch is not live
    cache, runs = _cache(), Runs()
    cache.ready = False
    # when asked twice
    await _get(cache, runs)
    await _get(cache, runs)
    # then both ran
    assert (runs.count, len(cache)) == (2, 0)


async def test_a_like_change_drops_the_pages_that_show_the_work_and_those_ordered_by_likes() -> (
    None
):
    # given a HOT page showing w1, a page ordered by likes and a public work, all cached
    cache = _cache()
    page, liked, work = Runs(), Runs(complete=False), Runs(data={"publicCustomWorld": None})
    await _get(cache, page)
    await _get(cache, liked, LIKED_PAGE)
    await _get(cache, work, WORK)
    # when another work's like count changes
    cache.on_message({"stream": "gallery", "kind": "like_count_changed", "subject": "puzzle:w9"})
    # then the HOT page stays; the liked-order page and the public work are read again
    assert (await _get(cache, page))["run"] == 1
    assert (await _get(cache, liked, LIKED_PAGE))["run"] == 2
    assert (await _get(cache, work, WORK))["run"] == 2
    # when w1's like count changes
    cache.on_message({"stream": "gallery", "kind": "like_count_changed", "subject": "puzzle:w1"})
    # then the HOT page is read again too
    assert (await _get(cache, page))["run"] == 2


@pytest.mark.parametrize(
    "message",
    [
        {"stream": "gallery", "kind": "published", "subject": "puzzle:w9"},
        {"stream": "gallery", "kind": "unpublished", "subject": "puzzle:w9"},
        {"stream": "gallery", "kind": "updated", "subject": "puzzle:w9"},
        {"stream": "gallery", "kind": "like_count_changed"},
        {"resync": True},
    ],
)
async def test_any_other_change_drops_everything(message: dict[str, Any]) -> None:
    # given a cached page
    cache, runs = _cache(), Runs()
    await _get(cache, runs)
    # when a publication, an update, an unpublication, an unnamed change or a resync arrives
    cache.on_message(message)
    # then the page is read again
    assert (len(cache), (await _get(cache, runs))["run"]) == (0, 2)


async def test_the_hub_stopping_stops_the_cache() -> None:
    # given a cached page
    cache, runs = _cache(), Runs()
    await _get(cache, runs)
    # when the watch closes
    cache.on_message({"closed": True})
    # then nothing is served nor stored
    await _get(cache, runs)
    assert (cache.ready, len(cache), runs.count) == (False, 0, 2)


async def test_a_result_read_while_a_change_arrived_is_not_stored() -> None:
    # given an execution during which a change of the work it shows arrives
    cache = _cache()

    async def change() -> None:
        cache.on_message(
            {"stream": "gallery", "kind": "like_count_changed", "subject": "puzzle:w1"}
        )

    runs = Runs(during=change)
    # when asked
    await _get(cache, runs)
    # then its result was served but not kept
    assert len(cache) == 0
    # and a change of another work meanwhile does not stop a page from being kept
    other = Runs(during=lambda: _unrelated(cache))
    await _get(cache, other, first=3)
    assert len(cache) == 1


async def _unrelated(cache: PublicCache) -> None:
    cache.on_message({"stream": "gallery", "kind": "like_count_changed", "subject": "puzzle:w9"})


async def test_entries_expire_after_the_ttl(monkeypatch: pytest.MonkeyPatch) -> None:
    # given a cached page and a clock under the test's control
    now = [1000.0]
    monkeypatch.setattr(public_cache.time, "monotonic", lambda: now[0])
    cache, runs = _cache(ttl_seconds=5.0), Runs()
    await _get(cache, runs)
    # when 4.9 s pass, then 5
    now[0] += 4.9
    before = (await _get(cache, runs))["run"]
    now[0] += 0.1
    after = (await _get(cache, runs))["run"]
    # then it was served until then, and read again at 5 s
    assert (before, after) == (1, 2)


async def test_the_cache_is_bounded_in_entries_and_bytes() -> None:
    # given a cache of two entries
    cache, runs = _cache(max_entries=2), Runs()
    # when three pages are read, the first again just before the third
    await _get(cache, runs, first=1)
    await _get(cache, runs, first=2)
    await _get(cache, runs, first=1)
    await _get(cache, runs, first=3)
    # then the least recently used (first=2) left
    assert len(cache) == 2
    assert (await _get(cache, runs, first=1))["run"] == 1
    assert (await _get(cache, runs, first=2))["run"] == 4
    # given a cache of 100 bytes
    small, big = _cache(max_bytes=100), Runs(data={"gallery": {"title": "x" * 60}})
    # when two results of about 80 bytes are read
    await _get(small, big, first=1)
    await _get(small, big, first=2)
    # then only the last is kept, within the bound
    assert (len(small), small.bytes <= 100) == (1, True)


async def test_concurrent_identical_misses_execute_once() -> None:
    # given an execution that waits until released
    cache = _cache()
    release = asyncio.Event()

    async def wait() -> None:
        await release.wait()

    runs = Runs(during=wait)
    # when five identical requests arrive together
    pending = [asyncio.create_task(_get(cache, runs)) for _ in range(5)]
    await asyncio.sleep(0)
    release.set()
    results = await asyncio.gather(*pending)
    # then one ran, and all got its result
    assert runs.count == 1
    assert [result["run"] for result in results] == [1] * 5


async def test_a_malformed_operation_name_is_left_to_the_executor() -> None:
    # given an operation name that is not a string (the executor answers 400)
    cache, runs = _cache(), Runs()
    # when asked twice
    for _ in range(2):
        await cache.execute(PAGE, {}, {"a": 1}, runs)  # type: ignore[arg-type]
    # then both ran, nothing kept
    assert (runs.count, len(cache)) == (2, 0)


async def test_a_followed_streams_event_drops_only_the_results_that_noted_it() -> None:
    # given two boards' results kept (their streams followed), and a HOT page
    cache = _cache()

    class Followed:
        def __init__(self) -> None:
            self.live = {"s.gallery", "s.puzzle:lb:w1:4", "s.puzzle:lb:w2:4"}

    cache.watch = Followed()  # type: ignore[assignment]

    def board(stream: str) -> Runs:
        runs = Runs(works=None)

        async def note() -> None:
            cache_notes.note_stream(stream)

        runs.complete, runs.during = True, note
        return runs

    one, two, page = board("puzzle:lb:w1:4"), board("puzzle:lb:w2:4"), Runs()
    query = '{ puzzleLeaderboard(workId: "w", gridSize: 4) { gridSize } }'
    await _get(cache, one, query, w=1)
    await _get(cache, two, query, w=2)
    await _get(cache, page)
    # when the first board's stream has an event
    cache.on_message({"stream": "puzzle:lb:w1:4", "sequence": 2, "kind": "improved"})
    # then only its result is read again
    assert [
        (await _get(cache, one, query, w=1))["run"],
        (await _get(cache, two, query, w=2))["run"],
    ] == [2, 1]
    assert (await _get(cache, page))["run"] == 1


async def test_a_result_of_a_stream_not_followed_yet_is_not_kept() -> None:
    # given no watch following the board's stream
    cache = _cache()
    runs = Runs(works=None)

    async def note() -> None:
        cache_notes.note_stream("puzzle:lb:w1:4")

    runs.during = note
    # when its board is read twice
    query = '{ puzzleLeaderboard(workId: "w", gridSize: 4) { gridSize } }'
    await _get(cache, runs, query)
    await _get(cache, runs, query)
    # then both ran, nothing kept
    assert (runs.count, len(cache)) == (2, 0)
