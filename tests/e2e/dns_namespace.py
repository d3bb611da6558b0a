"""Running the server under test against a DNS server of the test's own: the
session and DNSBL look-ups use the system resolver (resolv.conf, port 53),
so the server runs in a private mount namespace whose /etc/resolv.conf names
a name server on a random loopback address (tests and CI run as root)."""
import os
import random
import shutil
import socket
import stat
import subprocess
import tempfile
import time
from unittest import mock

import harness

NAMESPACE_WRAPPER = """#!/bin/sh
if [ -z "$SBBS_TEST_IN_NS" ]; then
    export SBBS_TEST_IN_NS=1
    exec unshare -m "$0" "$@"
fi
mount --bind "$SBBS_TEST_RESOLV" /etc/resolv.conf || exit 97
exec "$SBBS_TEST_BIN" "$@"
"""


def skip_unless_namespaces(case):
    if os.geteuid() != 0 or subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode != 0:
        case.skipTest("needs root and mount namespaces (unshare -m)")


def loopback_port53(kind=socket.SOCK_DGRAM):
    """A socket bound to port 53 of a random 127.x.y.z (port 53 is shared)."""
    for _ in range(50):
        addr = "127.%d.%d.%d" % (random.randint(1, 254), random.randint(1, 254), random.randint(2, 254))
        s = socket.socket(socket.AF_INET, kind)
        try:
            s.bind((addr, 53))
            return s, addr
        except OSError:
            s.close()
    raise OSError("no loopback address with a free port 53")


def start_server(case, dns_addr, options, mail=None):
    """case.server(...) with the server's resolv.conf naming `dns_addr`."""
    skip_unless_namespaces(case)
    work = tempfile.mkdtemp(prefix="sbbsmail-dns-")
    case.addCleanup(shutil.rmtree, work, True)
    resolv, wrapper = os.path.join(work, "resolv.conf"), os.path.join(work, "sbbsmail")
    with open(resolv, "w") as f:
        f.write("nameserver %s\n" % dns_addr)
    with open(wrapper, "w") as f:
        f.write(NAMESPACE_WRAPPER)
    os.chmod(wrapper, stat.S_IRWXU)
    env = {"SBBS_TEST_RESOLV": resolv, "SBBS_TEST_BIN": harness.BIN}
    with mock.patch.object(harness, "BIN", wrapper):
        return case.server(options=options, mail=mail, env=env)


class Dnsmasq:
    """dnsmasq on port 53 of a random loopback address, answering from the
    `records` (dnsmasq config lines) the test writes; authoritative NXDOMAIN
    for everything else under `local_domains`."""

    def __init__(self, records, local_domains=()):
        binary = shutil.which("dnsmasq") or "/usr/sbin/dnsmasq"
        probe, self.addr = loopback_port53()
        probe.close()
        self.dir = tempfile.mkdtemp(prefix="sbbs-dnsmasq-")
        conf = os.path.join(self.dir, "dnsmasq.conf")
        with open(conf, "w") as f:
            f.write("port=53\nlisten-address=%s\nbind-interfaces\nno-resolv\nno-hosts\nuser=root\n"
                    "local-ttl=60\n" % self.addr)
            for d in local_domains:
                f.write("local=/%s/\n" % d)
            f.write("\n".join(records) + "\n")
        self.proc = subprocess.Popen([binary, "--keep-in-foreground", "--conf-file=" + conf, "--pid-file="],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.time() + 10
        while time.time() < deadline:          # ready once it answers on TCP
            try:
                socket.create_connection((self.addr, 53), timeout=0.5).close()
                return
            except OSError:
                if self.proc.poll() is not None:
                    raise OSError("dnsmasq failed: %s" % self.proc.stderr.read().decode(errors="replace"))
                time.sleep(0.1)
        self.stop()
        raise OSError("dnsmasq did not start")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.dir, True)


class SilentDns:
    """A name server on port 53 of a random loopback address that never answers."""

    def __init__(self):
        self.sock, self.addr = loopback_port53()

    def stop(self):
        self.sock.close()
