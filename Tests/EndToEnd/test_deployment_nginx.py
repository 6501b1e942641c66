"""Deployment/nginx/partnering.conf run by a real nginx in front of a real `partnering
serve`, as the runbook in Deployment/README.md installs it: TLS with a certificate of the
test's own, HTTP redirected to HTTPS, registrations and the organiser's sign-in through
the proxy, the session cookie marked Secure. Deployment/nginx/compose.conf, the proxy of
compose.yaml, in front of one live instance and one stopped: every request is answered."""

import http.client
import json
import os
import re
import signal
import socket
import shutil
import ssl
import subprocess
import urllib.parse
from pathlib import Path

from conftest import REPOSITORY, free_port, start_server, wait_for

SITE = REPOSITORY / "Deployment" / "nginx" / "partnering.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
HOST = "partnering.example.org"
ORGANISER_PASSWORD = "nginx organiser password"


def accepts(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def site_for_test(folder: Path, service_port: int, http_port: int, https_port: int) -> Path:
    """The provided site file with this machine's ports and a self-signed certificate."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
         "-subj", f"/CN={HOST}", "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
        check=True, capture_output=True)
    text = SITE.read_text(encoding="utf-8")
    replacements = [
        (r"server 127\.0\.0\.1:8080;", f"server 127.0.0.1:{service_port};"),
        (r"listen 80;", f"listen 127.0.0.1:{http_port};"),
        (r"listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        (r"\s*listen \[::\]:\d+[^;]*;", ""),
        (r"ssl_certificate /\S+;", f"ssl_certificate {folder / 'cert.pem'};"),
        (r"ssl_certificate_key /\S+;", f"ssl_certificate_key {folder / 'key.pem'};"),
        (r"https://\$host\$request_uri", f"https://$host:{https_port}$request_uri"),
    ]
    for pattern, replacement in replacements:
        text, count = re.subn(pattern, replacement, text)
        assert count, f"the site file no longer has {pattern!r}"
    site = folder / "site.conf"
    site.write_text(text, encoding="utf-8")
    return main_config(folder, site)


def main_config(folder: Path, site: Path) -> Path:
    """An nginx.conf that runs `site` unprivileged-friendly, with its files in `folder`."""
    main = folder / "nginx.conf"
    temp = folder / "temp"
    temp.mkdir()
    main.write_text(f"""user root;
worker_processes 1;
pid {folder / 'nginx.pid'};
error_log {folder / 'error.log'};
events {{}}
http {{
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {site};
}}
""", encoding="utf-8")
    return main


def https(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    context = ssl.create_default_context(cafile=None)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=30)
    connection.request(method, path, body=body, headers={"Host": HOST, **(headers or {})})
    response = connection.getresponse()
    return response.status, response.getheaders(), response.read()


def test_nginx_site_serves_partnering_over_tls(binary, tmp_path, monkeypatch):
    nginx = NGINX
    assert os.path.exists(nginx), "nginx is missing (scripts/install-dependencies.sh installs it)"
    http_port, https_port = free_port(), free_port()
    monkeypatch.setenv("PARTNERING_ORGANISER_PASSWORD", ORGANISER_PASSWORD)
    monkeypatch.setenv("PARTNERING_BASE_URL", f"https://{HOST}:{https_port}")
    monkeypatch.setenv("PARTNERING_TRUST_FORWARDED_FOR", "true")
    monkeypatch.delenv("PARTNERING_DATABASE_URL", raising=False)
    server = start_server(binary, tmp_path / "data")
    service_port = int(server.base_url.rsplit(":", 1)[1])
    config = site_for_test(tmp_path, service_port, http_port, https_port)
    checked = subprocess.run([nginx, "-t", "-c", str(config)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    proxy = subprocess.Popen([nginx, "-c", str(config), "-g", "daemon off;"], stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: accepts(http_port) and accepts(https_port), 15, "nginx to listen")

        # HTTP is redirected to HTTPS.
        plain = http.client.HTTPConnection("127.0.0.1", http_port, timeout=10)
        plain.request("GET", "/register/company", headers={"Host": HOST})
        redirect = plain.getresponse()
        assert redirect.status == 301
        assert redirect.getheader("Location") == f"https://{HOST}:{https_port}/register/company"

        status, headers, _ = wait_for(lambda: https(https_port, "GET", "/health"), 15, "the proxied /health")
        assert status == 200
        assert "max-age=31536000" in dict(headers).get("Strict-Transport-Security", "")

        registration = {
            "name": "Proxied Delegate", "email": "proxied@example.org", "organisation": "Onco SAS",
            "jobTitle": "CSO", "country": "FR", "topics": ["aml"], "profile": "CAR-T in AML.",
            "sessions": ["morning", "afternoon"], "language": "en", "acceptPrivacy": True, "listInDirectory": True,
        }
        status, _, body = https(https_port, "POST", "/api/v1/registrations/company",
                                json.dumps(registration).encode(), {"Content-Type": "application/json"})
        assert status == 201, body
        assert json.loads(body)["participant"]["status"] == "confirmed"

        # The organiser signs in through the proxy: the session cookie only travels over HTTPS.
        status, headers, page = https(https_port, "GET", "/organiser/login")
        assert status == 200
        csrf_cookie = next(value.split(";")[0] for name, value in headers
                           if name.lower() == "set-cookie" and value.startswith("csrf="))
        token = re.search(r'name="_csrf" value="([^"]+)"', page.decode()).group(1)
        form = urllib.parse.urlencode({"_csrf": token, "email": "organiser@example.org",
                                       "password": ORGANISER_PASSWORD}).encode()
        status, headers, _ = https(https_port, "POST", "/organiser/login", form,
                                   {"Content-Type": "application/x-www-form-urlencoded", "Cookie": csrf_cookie})
        assert status in (302, 303)
        session_cookies = [value for name, value in headers if name.lower() == "set-cookie"
                           and not value.startswith(("csrf=", "lang="))]
        assert session_cookies and all("Secure" in value for value in session_cookies), session_cookies
    finally:
        proxy.send_signal(signal.SIGQUIT)
        proxy.wait(timeout=20)
        server.process.terminate()
        server.process.wait(timeout=20)


COMPOSE_SITE = REPOSITORY / "Deployment" / "nginx" / "compose.conf"


def compose_proxy_config(folder: Path, ports: list[int], listen_port: int) -> Path:
    """compose.conf with its web instances' upstream servers at `ports` of 127.0.0.1 (one
    line each, their parameters kept) and listening on `listen_port`, checked by `nginx -t`."""
    text = COMPOSE_SITE.read_text(encoding="utf-8")
    servers = re.findall(r"^( *)server partnering-\d+:8080( [^;]*)?;$", text, flags=re.MULTILINE)
    assert servers, "the upstream no longer lists the compose web instances"
    indent, parameters = servers[0]
    upstream = "\n".join(f"{indent}server 127.0.0.1:{port}{parameters};" for port in ports)
    text, count = re.subn(r"^ *server partnering-\d+:8080[^;]*;$\n?", "", text, flags=re.MULTILINE)
    text = text.replace("    keepalive ", upstream + "\n    keepalive ", 1)
    assert upstream in text, "the upstream no longer keeps connections alive"
    text, count = re.subn(r"listen 80;", f"listen 127.0.0.1:{listen_port};", text)
    assert count == 1
    site = folder / "compose-site.conf"
    site.write_text(text, encoding="utf-8")
    config = main_config(folder, site)
    checked = subprocess.run([NGINX, "-t", "-c", str(config)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    return config


def start_nginx(config: Path, listen_port: int) -> subprocess.Popen:
    """nginx in the foreground with `config`, once it accepts connections; stop it with `stop_nginx`."""
    proxy = subprocess.Popen([NGINX, "-c", str(config), "-g", "daemon off;"], stderr=subprocess.PIPE, text=True)
    wait_for(lambda: accepts(listen_port), 15, "nginx to listen")
    return proxy


def stop_nginx(proxy: subprocess.Popen):
    proxy.send_signal(signal.SIGQUIT)
    proxy.wait(timeout=20)


def test_compose_nginx_skips_a_stopped_web_instance(server, tmp_path):
    listen_port = free_port()
    live_port = int(server.base_url.rsplit(":", 1)[1])
    # compose.yaml's two web instances: the first is the running server, nothing listens for the second.
    config = compose_proxy_config(tmp_path, [live_port, free_port()], listen_port)
    proxy = start_nginx(config, listen_port)
    try:
        statuses = []
        for _ in range(4):
            connection = http.client.HTTPConnection("127.0.0.1", listen_port, timeout=10)
            connection.request("GET", "/ready")
            statuses.append(connection.getresponse().status)
        assert statuses == [200] * 4, "round robin must pass over the stopped instance"
    finally:
        stop_nginx(proxy)
