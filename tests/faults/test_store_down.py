"""The object store dies during uploads (issue 7, fault tests).

The requests service (in-process, the real app) stores files on moto's S3 server
through a relay that plays the dead store: stopping it refuses new connections and
resets those in flight, as a killed process would, while moto keeps the objects
stored before, so every row can be checked against the bucket afterwards. (Killing
moto itself would lose its in-memory bucket and leave nothing to check.)
Protections under test: the object is written before its row (a row never points to
a missing object) and storage errors become 503 problems.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import time
from pathlib import Path

import httpx
import sqlalchemy as sa
from ppid_kit.storage import make_store
from requests_service.core.models import RequestFile
from requests_service.settings import RequestsSettings

from tests.faults.relay import relay
from tests.requests.files.support import Files, serve_files, upload
from tests.requests.harness import AuthStack
from tests.requests.people import BUDI
from tests.requests.support import Made, make_request
from tests.services.support import database_session
from tests.support.objects import all_keys, pdf, read_all
from tests.support.procs import Proc
from tests.support.s3 import s3_overrides, s3_overrides_at

SIZE = 512 * 1024  # large enough that some uploads are cut mid-way
Answers = list[tuple[float, httpx.Response]]


async def upload_steadily(files: Files, made: Made, stop: asyncio.Event, into: Answers) -> None:
    while not stop.is_set():
        sent = time.monotonic()
        answer = await upload(files.client, made, "supporting", pdf(SIZE), made.with_secret())
        into.append((sent, answer))


async def upload_until_accepted(files: Files, made: Made, within: float) -> httpx.Response:
    """The store is back: an upload succeeds again (at once, or after a short retry)."""
    deadline = time.monotonic() + within
    while True:
        answer = await upload(files.client, made, "supporting", pdf(), made.with_secret())
        if answer.status_code == 201 or time.monotonic() > deadline:
            return answer
        await asyncio.sleep(0.2)


async def live_rows(database_url: str) -> list[RequestFile]:
    async with database_session(database_url) as session:
        found = (await session.execute(sa.select(RequestFile))).scalars()
        return [row for row in found if row.deleted_at is None]


async def test_uploads_while_the_store_is_down(
    auth_stack: AuthStack, faults_database: str, tmp_path: Path, moto_server: Proc
) -> None:
    bucket = f"terbuka-faults-{secrets.token_hex(6)}"
    answers: Answers = []
    with relay(moto_server.port) as store_link:
        overrides = s3_overrides_at(store_link.url, bucket)
        async with serve_files(auth_stack, faults_database, tmp_path, **overrides) as files:
            made = await make_request(faults_database, BUDI)
            stop = asyncio.Event()
            loader = asyncio.create_task(upload_steadily(files, made, stop, answers))
            await asyncio.sleep(0.5)
            await asyncio.to_thread(store_link.stop)  # the store dies mid-upload
            cut = time.monotonic()
            stop.set()
            # Two more during the outage, side by side (the S3 client retries for a few
            # seconds before it gives up: the answer is slow, but a clean 503).
            down = await asyncio.gather(
                *(upload(files.client, made, "supporting", pdf(), made.with_secret()) for _ in "ab")
            )
            answers.extend((cut, answer) for answer in down)
            await loader
            await asyncio.to_thread(store_link.start)  # it returns on the same port
            again = await upload_until_accepted(files, made, within=5)

    direct = make_store(RequestsSettings(**s3_overrides(moto_server, bucket)))
    stored = set(await all_keys(direct))
    recorded = await live_rows(faults_database)
    keys = {row.storage_key for row in recorded}
    assert keys <= stored, f"rows point to missing objects: {keys - stored}"
    for row in recorded:  # and each object is whole: no upload cut short was recorded
        assert hashlib.sha256(await read_all(direct, row.storage_key)).hexdigest() == row.sha256
    statuses = [answer.status_code for _, answer in answers]
    assert 201 in statuses  # some went through before the store died
    assert set(statuses) <= {201, 503}, [a.text for _, a in answers if a.status_code >= 400]
    assert [answer.status_code for answer in down] == [503, 503]
    for _, answer in answers:
        if answer.status_code == 503:
            assert answer.headers["content-type"].startswith("application/problem+json")
            assert answer.headers["retry-after"]
    assert again.status_code == 201, again.text
    assert len(keys) == statuses.count(201) + 1  # a row for each 201, none for a 503
