"""The outbound bench's network around the two senders: dnsmasq answering
MX and A records for the destination domains, and a Postfix configured to
send (not receive) from a temp dir, started inside a private mount
namespace whose /etc/resolv.conf names that dnsmasq (Postfix's smtp(8) only
asks the system resolver; sbbsmail is given the same name server through
[Mail] DNSServer)."""
import os
import random
import shutil
import socket
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import benchlib  # noqa: E402


def domain(k):
    """Destination domain k (1-based), as queue_outbound.cpp names it."""
    return "d%02d.outbound.test" % k


def pick_addresses(count):
    """count loopback addresses 127.S.0.1..count whose port 25 is free, and one
    more (127.S.1.1) whose port 53 is free, for a random S."""
    for _ in range(50):
        s = random.randint(100, 250)
        addrs = ["127.%d.0.%d" % (s, k) for k in range(1, count + 1)] + ["127.%d.1.1" % s]
        if all(_free(a, 25) for a in addrs[:-1]) and _free(addrs[-1], 53):
            return addrs[:-1], addrs[-1]
    raise OSError("no free 127.S.0.x range for the sinks")


def _free(addr, port):
    with socket.socket() as s:
        try:
            s.bind((addr, port))
            return True
        except OSError:
            return False


class Dnsmasq:
    """dnsmasq on port 53 of `addr`: domain k's MX is mx.<domain k>, whose A
    record is sink_addrs[k-1]; authoritative NXDOMAIN for the rest of
    outbound.test, nothing forwarded anywhere."""

    def __init__(self, tmp, addr, sink_addrs):
        self.addr = addr
        self.dir = os.path.join(tmp, "dnsmasq")
        os.makedirs(self.dir, exist_ok=True)
        conf = os.path.join(self.dir, "dnsmasq.conf")
        with open(conf, "w") as f:
            f.write("port=53\nlisten-address=%s\nbind-interfaces\nno-resolv\nno-hosts\nuser=root\n"
                    "local-ttl=300\nlocal=/outbound.test/\n" % addr)
            for k, a in enumerate(sink_addrs, 1):
                f.write("mx-host=%s,mx.%s,10\nhost-record=mx.%s,%s\n" % (domain(k), domain(k), domain(k), a))
        binary = shutil.which("dnsmasq") or "/usr/sbin/dnsmasq"
        self.proc = subprocess.Popen([binary, "--keep-in-foreground", "--conf-file=" + conf, "--pid-file="],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        benchlib.record_pid(tmp, "pid", self.proc.pid)
        if not benchlib.wait_until(self._answers, 10, 0.1):
            self.stop()
            raise RuntimeError("dnsmasq did not start on %s" % addr)
        self.resolv = os.path.join(self.dir, "resolv.conf")
        with open(self.resolv, "w") as f:
            f.write("nameserver %s\noptions attempts:2 timeout:2\n" % addr)
        os.chmod(self.resolv, 0o644)

    def _answers(self):
        try:
            socket.create_connection((self.addr, 53), timeout=0.5).close()
            return True
        except OSError:
            return self.proc.poll() is not None   # dead: stop waiting

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# What the receiving bench's Postfix has, changed for sending: DNS look-ups
# on, a hold on every bench message as it enters (released before the timed
# part), queue runs every second instead of every 5 minutes.
POSTFIX_SENDER_EXTRA = """\
smtp_host_lookup = dns
header_checks = regexp:{d}/conf/hold
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
"""


class PostfixSender(benchlib.Postfix):
    """benchlib's loopback Postfix, sending through DNS MX look-ups to the sinks;
    every message it accepts is put on hold until release()."""

    def __init__(self, tmp, bbs_domain, resolv):
        super().__init__(tmp, bbs_domain, ["sysop"])
        self.resolv = resolv
        conf = os.path.join(self.d, "conf")
        main_cf = os.path.join(conf, "main.cf")
        with open(main_cf) as f:
            text = f.read().replace("smtp_dns_support_level = disabled", "smtp_dns_support_level = enabled")
        with open(main_cf, "w") as f:
            f.write(text + POSTFIX_SENDER_EXTRA.format(d=self.d))
        with open(os.path.join(conf, "hold"), "w") as f:
            f.write("/^Subject: outbound [0-9]+$/ HOLD\n")

    def _postfix(self, action, timeout=60):
        # start (and every other action, harmlessly) inside a private mount
        # namespace with the bench's resolv.conf: the daemons inherit it.
        script = "mount --bind %s /etc/resolv.conf && postfix -c %s/conf %s" % (self.resolv, self.d, action)
        return benchlib.run_bounded(["unshare", "-m", "script", "-qec", script, "/dev/null"], timeout)

    def queue_count(self, sub):
        n = 0
        for _top, _dirs, files in os.walk(os.path.join(self.d, "queue", sub)):
            n += len(files)
        return n

    def release(self):
        """Held messages to the deferred queue (postsuper -H); qmgr picks them
        up at its next queue run (queue_run_delay 1s) or at start. Its exit
        status is not the answer: with the daemons stopped it cannot write
        maillog_file and says so after releasing; the caller counts the
        deferred queue."""
        return benchlib.run_bounded(["postsuper", "-c", self.d + "/conf", "-H", "ALL"], 120)
