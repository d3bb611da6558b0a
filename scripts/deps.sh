#!/usr/bin/env bash
# Installs the Debian packages a make target needs (as root, non-interactively),
# or prints the exact apt-get line and fails when not root.
set -euo pipefail
group=${1:-build}
case "$group" in
  build) pkgs=(g++ make catch2 libssl-dev libsqlite3-dev libidn2-dev libspf2-dev libopendkim-dev libopendmarc-dev publicsuffix python3 openssl ccache libsystemd-dev) ;;
  test)  pkgs=(python3 openssl swaks msmtp fetchmail dnsmasq-base postfix python3-dkim dovecot-core testssl.sh unbound mandoc lintian systemd logrotate) ;;
  fuzz)  pkgs=(clang libclang-rt-14-dev) ;;
  win)   pkgs=(g++-mingw-w64-x86-64) ;;
  bench) pkgs=(postfix dovecot-pop3d valgrind python3-matplotlib) ;;
  *) echo "deps.sh: unknown group '$group'" >&2; exit 2 ;;
esac
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "sbbsmail needs these Debian packages: ${missing[*]}" >&2
  echo "Install them with:  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# postfix asks debconf questions; answer them so the install never blocks.
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections 2>/dev/null || true
if ! apt-get install -y -q --no-install-recommends "${missing[@]}" >/tmp/sbbsmail-apt.log 2>&1; then
  apt-get update -q >>/tmp/sbbsmail-apt.log 2>&1
  apt-get install -y -q --no-install-recommends "${missing[@]}" >>/tmp/sbbsmail-apt.log 2>&1 || {
    echo "apt-get install failed; see /tmp/sbbsmail-apt.log" >&2; tail -n 20 /tmp/sbbsmail-apt.log >&2; exit 1; }
fi
