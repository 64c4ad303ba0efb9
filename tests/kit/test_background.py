"""Background tasks stop with the lifespan, even one that refuses to."""

from __future__ import annotations

import asyncio

import pytest
from ppid_kit.background import in_background, stop_task


async def test_a_task_is_cancelled_when_the_block_ends() -> None:
    started = asyncio.Event()

    async def forever() -> None:
        started.set()
        await asyncio.sleep(3600)

    async with in_background(forever(), name="forever") as task:
        await started.wait()
        assert not task.done()
    assert task.cancelled()


async def test_a_task_that_ignores_cancellation_is_left_behind_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    release = asyncio.Event()

    async def stubborn() -> None:
        while not release.is_set():
            try:
                await asyncio.sleep(3600)
            except asyncio.CancelledError:
                continue  # a worker stuck in I/O that swallows the cancellation

    task = asyncio.create_task(stubborn(), name="stubborn")
    await asyncio.sleep(0)
    await stop_task(task, stop_timeout=0.2)
    assert not task.done()
    assert "did not stop in time" in caplog.text
    release.set()
    task.cancel()
    await asyncio.wait({task})
    assert task.done()


async def test_a_failed_task_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    async def broken() -> None:
        raise RuntimeError("boom")

    task = asyncio.create_task(broken(), name="broken")
    await asyncio.sleep(0)
    await stop_task(task)
    assert "background task failed" in caplog.text
