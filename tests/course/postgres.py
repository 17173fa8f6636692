"""A throwaway PostgreSQL cluster: a temp dir, a free loopback port, stopped afterwards.

initdb and postgres refuse to run as root; as root (CI, containers) the cluster runs as the
`postgres` system user (or `nobody`), in a temp dir that user owns. As a normal user it
runs as that user. The server binaries are found on PATH, through `pg_config --bindir`, or
in Debian's /usr/lib/postgresql/<version>/bin (not on PATH after `apt-get install postgresql`).
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SERVER_TOOLS = ("initdb", "pg_ctl", "postgres")
START_TIMEOUT_S = 30
SUPERUSER = "track"


def has_server_tools(folder: Path) -> bool:
    return all((folder / tool).is_file() for tool in SERVER_TOOLS)


def find_bindir() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres, or None when they are not installed."""
    candidates = []
    if found := shutil.which("pg_ctl"):
        candidates.append(Path(os.path.realpath(found)).parent)
    if pg_config := shutil.which("pg_config"):
        done = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        candidates.append(Path(done.stdout.strip()))
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    candidates.extend(reversed(debian))
    return next((folder for folder in candidates if has_server_tools(folder)), None)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def unprivileged_account():
    """Who runs the server: None (ourselves) unless we are root, then a `pwd` entry."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:  # Windows has no root (and no pwd module)
        return None
    import pwd
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError("running as root and there is no `postgres` or `nobody` user to run PostgreSQL as")


@contextmanager
def throwaway_cluster() -> Iterator[str]:
    """Start a fresh cluster and yield its SQLAlchemy URL; stop it and delete it afterwards."""
    bindir = find_bindir()
    if bindir is None:
        raise FileNotFoundError("no PostgreSQL server binaries (initdb, pg_ctl, postgres) found: see tests/course/optional.py")
    account = unprivileged_account()
    scratch = Path(tempfile.mkdtemp(prefix="track-pg-"))
    as_account = {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []} if account else {}
    if account:
        os.chown(scratch, account.pw_uid, account.pw_gid)
    env = {**os.environ, "HOME": str(scratch), "LC_ALL": "C"}
    data, log, port = scratch / "data", scratch / "server.log", free_port()

    def run(*command: str) -> None:
        done = subprocess.run(command, cwd=scratch, env=env, capture_output=True, text=True, timeout=START_TIMEOUT_S, **as_account)
        if done.returncode != 0:
            server_log = log.read_text(errors="replace") if log.exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}{done.stderr}{server_log}")

    options = f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={scratch} -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    try:
        run(str(bindir / "initdb"), "-D", str(data), "-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync")
        run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", str(START_TIMEOUT_S), "-o", options, "start")
        try:
            yield f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{port}/postgres"
        finally:
            run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
