#!/usr/bin/env bash
# Install kpisync on a bare Debian 12 server as a systemd service.
#   sudo deploy/install.sh            (run from a checkout of the repository)
# It installs python3-venv, creates the system user `kpisync`, puts the application in /opt/kpisync/venv,
# writes a commented /etc/kpisync/kpisync.toml with `kpisync init` (never overwriting yours; the database goes
# to the service's StateDirectory, /var/lib/kpisync), copies the example rubric sets and installs the unit.
# It does not start the service: put the key and edit the config first (see README, "Admin guide").
# Running it again upgrades the application in place and keeps the config, the rubrics and the database.
set -euo pipefail
[ "$(id -u)" -eq 0 ] || { echo "install.sh: run as root (sudo)" >&2; exit 1; }
src=$(cd "$(dirname "$0")/.." && pwd)

apt-get update -q
apt-get install -y -q python3 python3-venv

id kpisync >/dev/null 2>&1 || useradd --system --home-dir /var/lib/kpisync --shell /usr/sbin/nologin kpisync

install -d -m 0755 /opt/kpisync
rm -rf /opt/kpisync/src && cp -a "$src" /opt/kpisync/src && rm -rf /opt/kpisync/src/.venv /opt/kpisync/src/.git
python3 -m venv /opt/kpisync/venv
/opt/kpisync/venv/bin/pip install -q --upgrade pip
/opt/kpisync/venv/bin/pip install -q /opt/kpisync/src

install -d -m 0750 -g kpisync /etc/kpisync
install -d -m 0700 /etc/kpisync/credentials
if [ ! -e /etc/kpisync/kpisync.toml ]; then
  /opt/kpisync/venv/bin/kpisync init --out /etc/kpisync/kpisync.toml
  chgrp kpisync /etc/kpisync/kpisync.toml
fi
install -d -m 0750 -g kpisync /etc/kpisync/rubrics
for f in "$src"/config/rubrics/*.toml; do
  [ -e "/etc/kpisync/rubrics/$(basename "$f")" ] || install -m 0640 -g kpisync "$f" /etc/kpisync/rubrics/
done

install -m 0644 "$src/deploy/kpisync.service" /etc/systemd/system/kpisync.service
systemctl daemon-reload
echo "kpisync $(/opt/kpisync/venv/bin/kpisync --version) installed. Next:"
echo "  1. copy the service-account key to /etc/kpisync/credentials/kpisync-sa.json (chmod 0600, owner root)"
echo "  2. edit /etc/kpisync/kpisync.toml (the form, roster and dashboard ids; the question titles)"
echo "  3. /opt/kpisync/venv/bin/kpisync check-config --config /etc/kpisync/kpisync.toml"
echo "  4. /opt/kpisync/venv/bin/kpisync doctor --config /etc/kpisync/kpisync.toml"
echo "  5. systemctl enable --now kpisync && systemctl status kpisync"
