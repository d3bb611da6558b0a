// SMB constants: header field types, attributes, net and agent types (smb.md).
#pragma once

#include <cstdint>

namespace sbbs::smb {

namespace hf {                               // header field types, FMT-36 table
constexpr uint16_t SENDER = 0x00, SENDERAGENT = 0x01, SENDERNETTYPE = 0x02, SENDERNETADDR = 0x03,
    SENDEREXT = 0x04, SENDERORG = 0x06, SENDERIPADDR = 0x07, SENDERHOSTNAME = 0x08,
    SENDERPROTOCOL = 0x09, SENDERPORT = 0x0B, SENDERUSERID = 0x0C, SENDERTIME = 0x0D,
    SENDERSERVER = 0x0E, REPLYTO = 0x20, REPLYTOAGENT = 0x21, REPLYTONETTYPE = 0x22,
    REPLYTONETADDR = 0x23, REPLYTOLIST = 0x27, RECIPIENT = 0x30, RECIPIENTAGENT = 0x31,
    RECIPIENTNETTYPE = 0x32, RECIPIENTNETADDR = 0x33, RECIPIENTEXT = 0x34, RECIPIENTLIST = 0x37,
    FORWARDED = 0x48, SUBJECT = 0x60, SMB_COMMENT = 0x62, SMB_CARBONCOPY = 0x63,
    SMB_EXPIRATION = 0x65, SMB_EDITOR = 0x68, SMB_TAGS = 0x69, SMB_COLUMNS = 0x6A,
    FIDOCTRL = 0xA0, FIDOPID = 0xA6, FIDOCHARSET = 0xA9,
    RFC822HEADER = 0xB0, RFC822MSGID = 0xB1, RFC822REPLYID = 0xB2, RFC822TO = 0xB3,
    RFC822FROM = 0xB4, RFC822REPLYTO = 0xB5, RFC822CC = 0xB6, RFC822ORG = 0xB7,
    RFC822SUBJECT = 0xB8, SMTPCOMMAND = 0xD0, SMTPREVERSEPATH = 0xD1, SMTPFORWARDPATH = 0xD2,
    SMTPRECEIVED = 0xD3, SMTPSYSMSG = 0xD8, UNKNOWN = 0xF1, UNKNOWNASCII = 0xF2, UNUSED = 0xFF;
// Ours, in a gap of the original's SMTP range (its readers skip types they do
// not know): the DSN/REQUIRETLS parameters of MAIL and RCPT (dsn/params.h).
constexpr uint16_t DSN_ENVELOPE = 0xD4, DSN_RECIPIENT = 0xD5;
}

namespace attr {                             // FMT-38
constexpr uint16_t PRIVATE = 0x0001, READ = 0x0002, PERMANENT = 0x0004, LOCKED = 0x0008,
    DELETE = 0x0010, ANONYMOUS = 0x0020, KILLREAD = 0x0040, MODERATED = 0x0080,
    VALIDATED = 0x0100, REPLIED = 0x0200, NOREPLY = 0x0400, UPVOTE = 0x0800,
    DOWNVOTE = 0x1000, POLL = 0x2000, SPAM = 0x4000, FILE = 0x8000;
}

namespace auxattr {                          // FMT-39
constexpr uint32_t FILEREQUEST = 0x01, FILEATTACH = 0x02, MIMEATTACH = 0x04, KILLFILE = 0x08,
    RECEIPTREQ = 0x10, CONFIRMREQ = 0x20, NODISP = 0x40, FIXED_FORMAT = 0x80,
    HFIELDS_UTF8 = 0x2000;
}

namespace netattr {                          // FMT-40
constexpr uint16_t LOCAL = 0x0001, INTRANSIT = 0x0002, SENT = 0x0004, KILLSENT = 0x0008,
    HOLD = 0x0020, CRASH = 0x0040, IMMEDIATE = 0x0080, DIRECT = 0x0100;
}

namespace net {                              // FMT-41
constexpr uint16_t NONE = 0, UNKNOWN = 1, FIDO = 2, POSTLINK = 3, QWK = 4, INTERNET = 5;
}

namespace agent {                            // FMT-42
constexpr uint16_t PERSON = 0, PROCESS = 1, SMBUTIL = 2, SMTPSYSMSG = 3;
}

namespace status_attr {                      // FMT-14
constexpr uint16_t EMAIL = 0x0001, HYPERALLOC = 0x0002, NOHASH = 0x0004, FILE_DIRECTORY = 0x0008;
}

} // namespace sbbs::smb
