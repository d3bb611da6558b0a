"""Running the server under test with its install's data/ on a file system of
the test's making (a small tmpfs, or a read-only bind mount) inside a private
mount namespace (`unshare -m`; tests and CI run as root). The namespace's
mounts are invisible outside, so the test reaches the server's view of data/
through /proc/<pid>/root, which shows the files through the server's mounts."""
import os
import shutil
import stat
import subprocess
import tempfile
from unittest import mock

import harness

# unshare -m execs the shell in the new namespace (no fork), and the shell
# execs the server, so the server keeps the pid the harness started.
WRAPPER = """#!/bin/sh
if [ -z "$SBBS_TEST_IN_NS" ]; then
    export SBBS_TEST_IN_NS=1
    exec unshare -m --propagation private "$0" "$@"
fi
set -e
case "$SBBS_TEST_MOUNT" in
tmpfs)
    mount -t tmpfs -o "size=$SBBS_TEST_SIZE" sbbs-test-data "$SBBS_TEST_DATA.mnt" || exit 97
    cp -a "$SBBS_TEST_DATA/." "$SBBS_TEST_DATA.mnt/"
    mount --bind "$SBBS_TEST_DATA.mnt" "$SBBS_TEST_DATA" || exit 97
    ;;
readonly)
    for f in $SBBS_TEST_READONLY; do
        mount --bind "$f" "$f" || exit 97
        mount -o remount,bind,ro "$f" || exit 97
    done
    ;;
esac
exec "$SBBS_TEST_BIN" "$@"
"""


def namespaces_unavailable():
    """Why the mount tests cannot run here, or None when they can."""
    if os.geteuid() != 0:
        return "needs root for mount namespaces (unshare -m) and tmpfs mounts"
    if subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode != 0:
        return "unshare -m fails here (no mount namespaces in this container)"
    return None


def start_server(case, mount, size="2m", read_only=(), **server_kw):
    """case.server(...) with the install's data/ mounted as `mount` says:
    "tmpfs" (a copy of data/ on a tmpfs of `size`) or "readonly" (each of the
    `read_only` files bound read-only over itself; root ignores chmod)."""
    why = namespaces_unavailable()
    if why:
        case.skipTest(why)
    work = tempfile.mkdtemp(prefix="sbbsmail-ns-")
    case.addCleanup(shutil.rmtree, work, True)
    wrapper = os.path.join(work, "sbbsmail")
    with open(wrapper, "w") as f:
        f.write(WRAPPER)
    os.chmod(wrapper, stat.S_IRWXU)
    install = server_kw.pop("install", None) or harness.Install()
    data = install.path("data")
    os.makedirs(data + ".mnt", exist_ok=True)
    env = {"SBBS_TEST_MOUNT": mount, "SBBS_TEST_SIZE": size, "SBBS_TEST_DATA": data, "SBBS_TEST_BIN": harness.BIN,
           "SBBS_TEST_READONLY": " ".join(read_only)}
    env.update(server_kw.pop("env", {}))
    with mock.patch.object(harness, "BIN", wrapper):
        return case.server(install=install, env=env, **server_kw)


def seen_by(srv, *parts):
    """A path of the running server's install as the server sees it."""
    return "/proc/%d/root%s" % (srv.proc.pid, srv.install.path(*parts))


def fill(path, chunk=1 << 16):
    """Writes zeros to `path` until the file system is full; returns bytes written."""
    written = 0
    with open(path, "wb", buffering=0) as f:
        for size in (chunk, 4096, 512, 1):
            block = b"\0" * size
            while True:
                try:
                    f.write(block)
                    written += size
                except OSError:
                    break
    return written
