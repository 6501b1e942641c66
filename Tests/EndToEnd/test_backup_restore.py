"""`partnering backup` while `serve` takes registrations, then `partnering restore` into a
fresh folder: the copy passes `PRAGMA integrity_check` and holds every registration
acknowledged before the backup began; a folder with a store is refused without --force, a
damaged file is refused by name and leaves nothing behind."""

import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor

from conftest import run, start_server, wait_for
from test_registration_http import organiser_password, registration, request, stop  # noqa: F401

LOAD = 240  # registrations, bounded: the whole test stays within a few seconds
CLIENTS = 16


def test_backup_while_registering_then_restore(binary, tmp_path, organiser_password):  # noqa: F811
    data, fresh, backup = tmp_path / "data", tmp_path / "fresh", tmp_path / "backup.tar"
    server = start_server(binary, data)
    acknowledged: list[str] = []
    lock = threading.Lock()

    def register(index: int):
        status, body = request(server.base_url, "POST", "/api/v1/registrations/company", registration(index))
        assert status == 201, body
        with lock:
            acknowledged.append(body["participant"]["id"])

    try:
        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            load = [pool.submit(register, index) for index in range(LOAD)]
            wait_for(lambda: len(acknowledged) >= 40, 30, "the first registrations")
            with lock:
                before_backup = list(acknowledged)
            result = run(binary, "backup", "-o", str(backup), data_dir=data)
            with lock:
                during = len(acknowledged) - len(before_backup)
            for future in load:
                future.result()
    finally:
        stop(server)
    assert "Backed up" in result.stdout
    # The load was still running when the backup ran (otherwise the test proves less).
    assert during > 0 and len(before_backup) < LOAD, (len(before_backup), during)

    restored = run(binary, "restore", str(backup), data_dir=fresh)
    assert "Restored" in restored.stdout
    with sqlite3.connect(fresh / "partnering.sqlite") as database:
        assert database.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        ids = {row[0] for row in database.execute("SELECT id FROM participants")}
    missing = set(before_backup) - ids
    assert not missing, f"{len(missing)} acknowledged registrations missing from the backup"
    assert ids <= set(acknowledged)
    keys = sorted(path.relative_to(data / "keys") for path in (data / "keys").rglob("*") if path.is_file())
    assert keys and keys == sorted(path.relative_to(fresh / "keys") for path in (fresh / "keys").rglob("*")
                                   if path.is_file())
    for key in keys:
        assert (fresh / "keys" / key).read_bytes() == (data / "keys" / key).read_bytes(), key

    again = run(binary, "restore", str(backup), data_dir=fresh, check=False)
    assert again.returncode == 2 and "not empty" in again.stderr and "--force" in again.stderr

    damaged = tmp_path / "damaged.tar"
    damaged.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])
    empty = tmp_path / "empty"
    refused = run(binary, "restore", str(damaged), data_dir=empty, check=False)
    assert refused.returncode == 2 and "is not a usable Partnering backup" in refused.stderr, refused.stderr
    assert not (empty / "partnering.sqlite").exists()
