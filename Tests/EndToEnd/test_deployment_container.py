"""The container image's runtime stage without a container engine: a bare Debian bookworm
root (`debootstrap --variant=minbase`), the runtime stage's own RUN, COPY, ENV, USER and
WORKDIR instructions read from Deployment/Containerfile and carried out in it, and a
binary linked as the Containerfile links it (`--static-swift-stdlib`). Inside that root,
as the image's user, `partnering serve` must start, migrate, take a registration and sign
its ticket, which the host's binary then verifies.

The minimal root is downloaded once (about 200 MB, a minute) and kept in
/var/cache/partnering-test (PARTNERING_TEST_CACHE). The binary is the debug build's objects
linked with the Swift runtime static, into a file of its own: the same shared libraries as
the image's release build (the optimisation level changes no dependency), without a second
15-minute build in the test command."""

import email
import json
import os
import re
import shlex
import shutil
import subprocess
import urllib.request
from email import policy
from pathlib import Path

import pytest

from conftest import REPOSITORY, free_port, run, wait_for

CONTAINERFILE = REPOSITORY / "Deployment" / "Containerfile"
CACHE = Path(os.environ.get("PARTNERING_TEST_CACHE", "/var/cache/partnering-test"))
EVENT = "onco-hemato-paris-2027"


def runtime_instructions() -> list[tuple[str, str]]:
    """The runtime stage's instructions as (keyword, argument), continuation lines joined."""
    text = CONTAINERFILE.read_text(encoding="utf-8")
    stage = text[text.index("AS runtime"):].split("\n", 1)[1]
    logical, current = [], ""
    for line in stage.splitlines():
        if line.lstrip().startswith("#") and not current:
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        current += line
        if current.strip():
            keyword, _, argument = current.strip().partition(" ")
            logical.append((keyword.upper(), argument.strip()))
        current = ""
    return logical


def debian_mirror() -> str:
    """The Debian mirror this machine's apt uses (the test names none of its own)."""
    sources = Path("/etc/apt/sources.list.d/debian.sources")
    if sources.exists():
        for line in sources.read_text(encoding="utf-8").splitlines():
            if line.startswith("URIs:"):
                return line.split()[1]
    for line in Path("/etc/apt/sources.list").read_text(encoding="utf-8").splitlines():
        if line.startswith("deb ") and "security" not in line:
            return line.split()[1]
    raise AssertionError("no Debian mirror in this machine's apt sources")


def minimal_root() -> Path:
    """A fresh copy of a cached `debootstrap --variant=minbase bookworm` root."""
    assert shutil.which("debootstrap"), "debootstrap is missing (scripts/install-dependencies.sh installs it)"
    pristine = CACHE / "bookworm-minbase"
    if not (pristine / "etc" / "debian_version").exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        partial = CACHE / "bookworm-minbase.partial"
        shutil.rmtree(partial, ignore_errors=True)
        subprocess.run(["debootstrap", "--variant=minbase", "bookworm", str(partial), debian_mirror()], check=True,
                       capture_output=True, timeout=900)
        partial.rename(pristine)
    root = CACHE / f"run-{os.getpid()}"
    shutil.rmtree(root, ignore_errors=True)
    subprocess.run(["cp", "-a", str(pristine), str(root)], check=True)
    return root


def static_link_command(binary: Path, output: Path) -> list[str]:
    """SwiftPM's own link command for `partnering` (read from the build manifest next to the
    build folder), writing to `output` with the Swift runtime and Foundation linked static.

    The debug objects were compiled against the shared runtime's module files, whose
    autolink entries name only the top libraries (`-lFoundation`); a static compile's entries
    also name what those libraries need. The static archives are therefore given to the
    linker as one group, from which it takes exactly the members the program uses."""
    configuration = binary.parent.name
    manifest = binary.parents[2] / f"{configuration}.yaml"
    lines = manifest.read_text(encoding="utf-8").splitlines()
    header = next(index for index, line in enumerate(lines)
                  if line.strip().startswith('"C.partnering-') and line.strip().endswith(f'-{configuration}.exe":'))
    arguments_line = next(line for line in lines[header + 1:header + 12] if line.strip().startswith("args:"))
    command = json.loads(arguments_line.strip()[len("args:"):])
    command[command.index("-o") + 1] = str(output)
    target_info = json.loads(subprocess.run([command[0], "-print-target-info"], check=True, capture_output=True,
                                            text=True).stdout)
    static_runtime = Path(target_info["paths"]["runtimeResourcePath"]).with_name("swift_static") / "linux"
    archives = sorted(static_runtime.glob("lib*.a"))
    assert archives, f"no static Swift runtime in {static_runtime}"
    return [command[0], "-static-stdlib", *command[1:], "-Xlinker", "--start-group",
            *(f"-l{archive.stem.removeprefix('lib')}" for archive in archives), "-Xlinker", "--end-group"]


@pytest.fixture()
def static_binary(binary, tmp_path) -> Path:
    """The debug build's objects linked as the Containerfile links the release build
    (`--static-swift-stdlib`), into a file of its own: the shared build folder is not touched,
    so the other tests keep their binary, and no second full build is needed. Or the binary
    PARTNERING_CONTAINER_BINARY names, built as the Containerfile builds it."""
    given = os.environ.get("PARTNERING_CONTAINER_BINARY")
    if given:
        # A binary built exactly as the Containerfile builds it
        # (`swift build -c release --product partnering --static-swift-stdlib`).
        output = Path(given)
        assert output.is_file(), f"PARTNERING_CONTAINER_BINARY names no file: {given}"
        linked = subprocess.run(["ldd", str(output)], capture_output=True, text=True).stdout
        assert "libswift" not in linked and "libFoundation" not in linked, linked
        return output
    output = tmp_path / "partnering"
    linking = subprocess.run(static_link_command(binary, output), capture_output=True, text=True, timeout=600)
    assert linking.returncode == 0, f"static link failed: {linking.stderr[-3000:]}"
    linked = subprocess.run(["ldd", str(output)], capture_output=True, text=True).stdout
    assert "libswift" not in linked and "libFoundation" not in linked, linked
    return output


def test_runtime_stage_serves_a_registration_and_signs_its_ticket_in_a_bare_bookworm_root(static_binary, binary):
    root = minimal_root()
    mounted = []
    server = None
    try:
        shutil.copy("/etc/resolv.conf", root / "etc" / "resolv.conf")
        # The root's own /dev nodes (debootstrap makes them) and a /proc of its own.
        subprocess.run(["mount", "-t", "proc", "proc", str(root / "proc")], check=True)
        mounted.append(root / "proc")
        environment = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/root"}
        user, workdir, entrypoint, command = "0", "/", [], []
        sources = {"/out/partnering": static_binary}
        for keyword, argument in runtime_instructions():
            if keyword == "RUN":
                result = subprocess.run(["chroot", str(root), "/bin/sh", "-c", argument], env=environment,
                                        capture_output=True, text=True, timeout=900)
                assert result.returncode == 0, f"RUN failed in the bare root: {result.stderr[-2000:]}"
            elif keyword == "COPY":
                parts = argument.split()
                source, destination = parts[-2], parts[-1]
                origin = sources[source] if parts[0].startswith("--from=") else REPOSITORY / source
                target = root / destination.lstrip("/")
                target.parent.mkdir(parents=True, exist_ok=True)
                if origin.is_dir():
                    shutil.copytree(origin, target, dirs_exist_ok=True)
                else:
                    shutil.copy2(origin, target)
            elif keyword == "ENV":
                environment.update(dict(pair.split("=", 1) for pair in shlex.split(argument)))
            elif keyword == "USER":
                user = argument
            elif keyword == "WORKDIR":
                workdir = argument
            elif keyword == "ENTRYPOINT":
                entrypoint = json.loads(argument)
            elif keyword == "CMD":
                command = json.loads(argument)
        assert entrypoint and command and user != "0", "the runtime stage lost its entry point or user"

        port = free_port()
        environment.update({"PARTNERING_HOST": "127.0.0.1", "PARTNERING_PORT": str(port),
                            "PARTNERING_ORGANISER_PASSWORD": "container organiser password"})
        uid, _, gid = user.partition(":")
        server = subprocess.Popen(
            ["chroot", f"--userspec={uid}:{gid or uid}", str(root), "/bin/sh", "-c",
             f"cd {shlex.quote(workdir)} && exec {shlex.join(entrypoint + command)}"],
            env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        base = f"http://127.0.0.1:{port}"

        def healthy():
            if server.poll() is not None:
                raise AssertionError(f"serve exited {server.returncode} in the bare root: {server.stderr.read()}")
            try:
                with urllib.request.urlopen(base + "/health", timeout=2) as response:
                    return response.status == 200
            except OSError:
                return False

        wait_for(healthy, 60, "serve to answer in the bare root")
        body = json.dumps({
            "name": "Conteneur Test", "email": "container@example.org", "organisation": "Onco SAS",
            "jobTitle": "CSO", "country": "FR", "topics": ["aml"], "profile": "CAR-T.",
            "sessions": ["morning", "afternoon"], "language": "fr", "acceptPrivacy": True, "listInDirectory": True,
        }).encode()
        request = urllib.request.Request(base + "/api/v1/registrations/company", data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 201
            assert json.loads(response.read())["participant"]["status"] == "confirmed"

        data = root / environment["PARTNERING_DATA_DIR"].lstrip("/")
        outbox = data / "outbox" / "new"
        message = wait_for(lambda: next(iter(outbox.glob("*.eml")), None) if outbox.exists() else None, 60,
                           "the confirmation e-mail")
        parsed = email.message_from_bytes(message.read_bytes(), policy=policy.default)
        text = parsed.get_body(preferencelist=("plain",)).get_content()
        token = re.search(r"PT1:[0-9A-Z $%*+\-./:]{150}", text).group(0)
        verdict = run(binary, "ticket", "verify", token, "--data-dir", str(data), "--event", EVENT,
                      "--at", "2027-03-18T10:00:00+01:00", "--json", check=False)
        assert verdict.returncode == 0, verdict.stdout + verdict.stderr
        assert (data / "partnering.sqlite").exists()
    finally:
        if server is not None and server.poll() is None:
            server.terminate()
            server.wait(timeout=20)
        for target in reversed(mounted):
            subprocess.run(["umount", "--lazy", str(target)], check=False)
        if not any(os.path.ismount(target) for target in mounted):
            shutil.rmtree(root, ignore_errors=True)
