"""Reads an SMB message base with sbbsmail's own reader (--dump-base) for the
end-to-end tests. Texts come back as bytes, exactly as stored."""
import json
import os
import subprocess

from harness import BIN

# Header field types (smb.md / src/msgbase/smb_defs.h).
SENDER = 0x00
SENDERNETADDR = 0x03
SENDEREXT = 0x04
SENDERPROTOCOL = 0x09
RECIPIENT = 0x30
RECIPIENTEXT = 0x34
RECIPIENTNETTYPE = 0x32
RECIPIENTNETADDR = 0x33
SUBJECT = 0x60
SMB_COMMENT = 0x62
RFC822HEADER = 0xB0
SMTPREVERSEPATH = 0xD1
SMTPFORWARDPATH = 0xD2
SMTPRECEIVED = 0xD3
DSN_ENVELOPE = 0xD4    # ours: MAIL's RET/ENVID as stored (src/dsn/params.h)
DSN_RECIPIENT = 0xD5   # ours: RCPT's NOTIFY/ORCPT as stored

# Message attributes.
ATTR_READ = 0x0002
ATTR_DELETE = 0x0010


class Msg:
    def __init__(self, obj):
        self.number = obj["number"]
        self.attr = obj["attr"]
        self.netattr = obj["netattr"]
        self.auxattr = obj["auxattr"]
        self.delivery_attempts = obj["delivery_attempts"]
        self.index = obj["index"]
        self.fields = [(t, s.encode("latin-1")) for t, s in obj["fields"]]
        self.body = obj["body"].encode("latin-1")
        self.tail = obj["tail"].encode("latin-1")

    def all(self, ftype):
        return [v for t, v in self.fields if t == ftype]

    def get(self, ftype):
        """The last field of `ftype` (as the original reads it), or None."""
        v = self.all(ftype)
        return v[-1] if v else None

    def __repr__(self):
        return "Msg(%d, attr=%#x, fields=%r)" % (self.number, self.attr, self.fields)


def dump(prefix):
    """Every message (deleted ones included) of the base at `prefix`."""
    if not os.path.exists(prefix + ".shd"):
        return []
    out = subprocess.run([BIN, "--dump-base", prefix], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         timeout=30, check=True)
    return [Msg(o) for o in json.loads(out.stdout.decode("ascii"))]
