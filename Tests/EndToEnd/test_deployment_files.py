"""The container, Compose and Kubernetes files in Deployment/ read by the tools that read
them (hadolint, docker-compose, kubernetes-validate), and checked against what the binary
really does: the image's health check and the probes' paths answer on a running server,
and the user the image runs as is one Kubernetes' runAsNonRoot can check."""

import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import yaml

from conftest import REPOSITORY

DEPLOYMENT = REPOSITORY / "Deployment"
CONTAINERFILE = DEPLOYMENT / "Containerfile"
MANIFEST = DEPLOYMENT / "kubernetes" / "partnering.yaml"


def tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is missing (scripts/install-dependencies.sh installs it)"
    return path


def manifest_documents() -> list[dict]:
    return [document for document in yaml.safe_load_all(MANIFEST.read_text(encoding="utf-8")) if document]


def deployments() -> list[dict]:
    return [document for document in manifest_documents() if document["kind"] == "Deployment"]


def test_containerfile_is_hadolint_clean():
    result = subprocess.run([tool("hadolint"), "--no-color", str(CONTAINERFILE)], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == "", result.stdout + result.stderr


def test_compose_file_is_valid_with_the_documented_secrets(tmp_path):
    folder = tmp_path / "Deployment"
    shutil.copytree(DEPLOYMENT, folder)
    # What an operator does before `up` (partnering.env.example, secrets named in compose.yaml).
    shutil.copy(folder / "partnering.env.example", folder / "partnering.env")
    (folder / "postgres_password.txt").write_text("a password\n", encoding="utf-8")
    subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", str(folder / "ticket-signing-key.pem")],
                   check=True)
    (folder / "link-secret.txt").write_text("s" * 64, encoding="utf-8")
    result = subprocess.run([tool("docker-compose"), "-f", str(folder / "compose.yaml"), "config"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    resolved = yaml.safe_load(result.stdout)
    for name, service in resolved["services"].items():
        if "build" in service:
            dockerfile = Path(service["build"]["context"]) / service["build"]["dockerfile"]
            assert dockerfile.exists(), f"{name} builds from {dockerfile}, which does not exist"
    # Two web instances and one worker behind nginx, on PostgreSQL, the keys from secrets.
    commands = sorted(" ".join(service["command"][:2]) for service in resolved["services"].values()
                      if "command" in service)
    assert commands == ["serve --no-worker", "serve --no-worker", "worker --config"], commands
    web = [name for name, service in resolved["services"].items() if service.get("command", [""])[:1] == ["serve"]]
    nginx = resolved["services"]["nginx"]
    mounts = [volume.split(":") for volume in nginx["volumes"]]
    site = next(Path(source) for source, target, *_ in mounts if target.startswith("/etc/nginx"))
    upstream = re.findall(r"^\s*server (\S+):8080", site.read_text(encoding="utf-8"), re.MULTILINE)
    assert sorted(upstream) == sorted(web), "nginx spreads requests over every web instance"
    for name, service in resolved["services"].items():
        if "command" in service:
            assert {"ticket_signing_key", "link_secret"} <= {secret["source"] for secret in service["secrets"]}
            assert not any(volume.split(":")[1].endswith("/keys") for volume in service.get("volumes", []))


def test_kubernetes_manifest_validates_and_every_claim_exists():
    result = subprocess.run([tool("kubernetes-validate"), "--strict", str(MANIFEST)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    claims = {document["metadata"]["name"] for document in manifest_documents()
              if document["kind"] == "PersistentVolumeClaim"}
    for deployment in deployments():
        for volume in deployment["spec"]["template"]["spec"].get("volumes", []):
            if "persistentVolumeClaim" in volume:
                assert volume["persistentVolumeClaim"]["claimName"] in claims, volume


def test_kubernetes_keys_come_from_a_secret_and_web_pods_have_a_disruption_budget():
    documents = manifest_documents()
    assert not [d for d in documents if d["kind"] == "PersistentVolumeClaim"
                and "ReadWriteMany" in d["spec"]["accessModes"]], "no shared writable volume"
    for deployment in deployments():
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        from_secret = {variable["name"]: variable["valueFrom"]["secretKeyRef"]["name"]
                       for variable in container.get("env", []) if "valueFrom" in variable}
        assert from_secret == {"PARTNERING_TICKET_SIGNING_KEY": "partnering-keys",
                               "PARTNERING_LINK_SECRET": "partnering-keys"}, deployment["metadata"]["name"]
    web = next(d for d in deployments() if d["spec"]["template"]["spec"]["containers"][0].get("ports"))
    budgets = [d for d in documents if d["kind"] == "PodDisruptionBudget"]
    assert [b["spec"]["selector"]["matchLabels"] for b in budgets] == [web["spec"]["selector"]["matchLabels"]]
    assert web["spec"]["replicas"] > budgets[0]["spec"]["minAvailable"]


def test_the_image_runs_as_the_numeric_user_kubernetes_checks():
    user = re.search(r"^USER (\S+)", CONTAINERFILE.read_text(encoding="utf-8"), re.MULTILINE).group(1)
    uid = user.split(":")[0]
    assert uid.isdigit() and int(uid) > 0, f"USER {user}: runAsNonRoot cannot check a user name"
    for deployment in deployments():
        context = deployment["spec"]["template"]["spec"]["securityContext"]
        if context.get("runAsNonRoot"):
            assert str(context.get("runAsUser", uid)) == uid


def test_health_check_and_probes_answer_on_a_running_server(server):
    port = urlparse(server.base_url).port
    line = re.search(r"^HEALTHCHECK .* CMD (\[.*\])$", CONTAINERFILE.read_text(encoding="utf-8"), re.MULTILINE)
    command = [part.replace("127.0.0.1/8080", f"127.0.0.1/{port}") for part in json.loads(line.group(1))]
    assert subprocess.run(command, timeout=10).returncode == 0, f"the image's health check fails: {command}"
    assert subprocess.run([part.replace(str(port), "9") for part in command], timeout=10).returncode != 0
    probed = 0
    for deployment in deployments():
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            # Workers serve no HTTP: only containers with ports have probes.
            if not container.get("ports"):
                assert "readinessProbe" not in container
                continue
            assert container["readinessProbe"]["httpGet"]["path"] == "/ready"
            for probe in ("readinessProbe", "livenessProbe"):
                path = container[probe]["httpGet"]["path"]
                status, _, _ = server.get(path)
                assert status == 200, f"{probe} {path} answered {status}"
                probed += 1
    assert probed >= 2
