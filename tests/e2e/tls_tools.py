"""Helpers of the TLS end-to-end tests: test certificates made with the
openssl command, fingerprints, testssl.sh runs and their JSON findings, and a
hand-built TLS ClientHello for server names no TLS library would send."""
import hashlib
import json
import os
import shutil
import signal
import ssl
import struct
import subprocess

TESTSSL = shutil.which("testssl") or shutil.which("testssl.sh")
OPENSSL = shutil.which("openssl")

# Findings that come from the test's self-signed certificate itself, not from
# the server's TLS set-up: a certificate no CA signed is untrusted, matches no
# name testssl.sh asked for (it connects to an address) and has no CRL or OCSP
# address (only a CA publishes those). Excluded by id, nothing else is.
SELF_SIGNED_IDS = ("cert_chain_of_trust", "cert_trust", "cert_revocation")
GRAVE = ("HIGH", "CRITICAL", "FATAL")


def make_cert(directory, name, cn):
    """A self-signed EC P-256 pair (fast to make) as <name>.pem and <name>.key."""
    cert, key = os.path.join(directory, name + ".pem"), os.path.join(directory, name + ".key")
    subprocess.run([OPENSSL, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-days", "90", "-subj", "/CN=" + cn, "-keyout", key, "-out", cert],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30)
    return cert, key


def file_fingerprint(cert_file):
    with open(cert_file) as f:
        return hashlib.sha256(ssl.PEM_cert_to_DER_cert(f.read())).hexdigest()


def peer_fingerprint(tls_sock):
    return hashlib.sha256(tls_sock.getpeercert(binary_form=True)).hexdigest()


def start_testssl(json_file, target, groups, starttls=None):
    """testssl.sh in its own process group (so a timeout kills every child).
    --fast only makes -f (forward secrecy), BEAST and -P use the local openssl
    instead of raw sockets and list one preferred cipher: protocols (-p), the
    weak cipher categories (-s: NULL, EXPORT, RC4, DES, 3DES) and the other
    vulnerability checks still go through testssl.sh's own sockets, so they
    see what the local OpenSSL could not offer."""
    args = [TESTSSL, "--quiet", "--color", "0", "--warnings", "off", "--fast", "--sneaky",
            "--connect-timeout", "10", "--openssl-timeout", "10", "--jsonfile", json_file] + list(groups)
    if starttls:
        args += ["--starttls", starttls]
    # HEADER_MAXSLEEP: testssl.sh waits this long for an HTTP answer on an
    # implicit-TLS port before deciding it is no web server (default 5 s).
    env = dict(os.environ, HEADER_MAXSLEEP="2")
    return subprocess.Popen(args + [target], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                            start_new_session=True)


def finish_testssl(proc, timeout):
    """Its output; on timeout the whole group is killed and TimeoutError raised."""
    try:
        out, _ = proc.communicate(timeout=timeout)
        return out.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise TimeoutError("testssl.sh did not finish in %d s" % timeout)


def grave_findings(json_file):
    """(findings, every id seen): HIGH/CRITICAL/FATAL ones not excluded above."""
    with open(json_file) as f:
        entries = json.load(f)
    ids = {e.get("id", "") for e in entries}
    grave = ["%s %s: %s" % (e["severity"], e["id"], e.get("finding", "")) for e in entries
             if e.get("severity") in GRAVE and e.get("id", "").split(" ")[0] not in SELF_SIGNED_IDS]
    return grave, ids


def client_hello(server_name_bytes):
    """A TLS 1.2/1.3 ClientHello whose server_name extension carries
    `server_name_bytes` verbatim (any length, any bytes)."""
    name_entry = b"\x00" + struct.pack("!H", len(server_name_bytes)) + server_name_bytes
    sni = struct.pack("!H", len(name_entry)) + name_entry
    ext = struct.pack("!HH", 0, len(sni)) + sni
    groups = struct.pack("!H", 4) + struct.pack("!HH", 0x001d, 0x0017)            # x25519, P-256
    ext += struct.pack("!HH", 10, len(groups)) + groups
    sigalgs = struct.pack("!H", 6) + struct.pack("!HHH", 0x0804, 0x0403, 0x0401)
    ext += struct.pack("!HH", 13, len(sigalgs)) + sigalgs
    suites = struct.pack("!HHH", 0xc02f, 0xc02b, 0xc030)
    body = (b"\x03\x03" + os.urandom(32) + b"\x00" + struct.pack("!H", len(suites)) + suites + b"\x01\x00" +
            struct.pack("!H", len(ext)) + ext)
    handshake = b"\x01" + struct.pack("!I", len(body))[1:] + body
    return b"\x16\x03\x01" + struct.pack("!H", len(handshake)) + handshake
