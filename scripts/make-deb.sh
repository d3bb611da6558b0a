#!/usr/bin/env bash
# Builds build/<mode>/deb/sbbsmail_<version>_<arch>.deb (issue #17): `make
# install` into a staged DESTDIR with the /usr prefix, Debian's documentation
# files, then dpkg-deb with root-owned files. No maintainer scripts: the
# unit is neither enabled nor started on install (the sysop must first point
# SBBSCTRL at the install), so there is nothing to undo on removal either.
set -euo pipefail
# Who the package names as its maintainer (and in its changelog).
maintainer=${DEB_MAINTAINER:-sbbsmail developers <sbbsmail@example.org>}
server=$1
out=$2
root=$(cd "$(dirname "$0")/.." && pwd)
version=$(sed -n 's/.*kProgramVersion = "\(.*\)";/\1/p' "$root/src/server/version.h")
arch=$(dpkg --print-architecture)
stage="$out/stage"
rm -rf "$stage"
mkdir -p "$stage/DEBIAN"
make -s -C "$root" --no-print-directory -o "$server" install DESTDIR="$stage" PREFIX=/usr SYSTEMDUNITDIR=/lib/systemd/system \
  SERVER="$server" >/dev/null
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$stage/usr/sbin/sbbsmail"
gzip -9n "$stage/usr/share/man/man8/sbbsmail.8"
doc="$stage/usr/share/doc/sbbsmail"
install -D -m 0644 "$root/dist/debian/copyright" "$doc/copyright"
printf 'sbbsmail (%s) unstable; urgency=medium\n\n  * Built from the source tree by make deb.\n\n -- %s  %s\n' \
  "$version" "$maintainer" "$(date -R -d @"${SOURCE_DATE_EPOCH:-$(date +%s)}")" | gzip -9n > "$doc/changelog.gz"
chmod 0644 "$doc/changelog.gz"
# Shared libraries the binary links, as Debian package names (dpkg -S).
# Under usrmerge a library may be recorded as /lib/... or /usr/lib/...: ask
# dpkg about every spelling at once (one dpkg -S per library costs 0.5 s).
candidates=$(for lib in $(ldd "$stage/usr/sbin/sbbsmail" | awk '/=> \//{print $3}'); do
               for p in "$lib" "$(readlink -f "$lib")"; do echo "$p" "${p#/usr}" "/usr${p#/usr}"; done; done | tr ' ' '\n' | sort -u)
depends=$(dpkg -S $candidates 2>/dev/null | cut -d: -f1 | sort -u | paste -sd, | sed 's/,/, /g' || true)
sed -e "s/@VERSION@/$version/" -e "s|@MAINTAINER@|$maintainer|" -e "s/@ARCH@/$arch/" -e "s/@DEPENDS@/$depends/" \
  "$root/dist/debian/control.in" > "$stage/DEBIAN/control"
install -m 0644 "$root/dist/debian/conffiles" "$stage/DEBIAN/conffiles"
find "$stage" -type d -exec chmod 0755 {} +
deb="$out/sbbsmail_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
rm -rf "$stage"
echo "$deb"
