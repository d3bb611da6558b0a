// The [Mail] Options bit flags (CFG-90..CFG-95), with their fixed values.
#pragma once

#include <cstdint>

namespace sbbs::mail_opt {

constexpr uint32_t DEBUG_RX_HEADER = 0x1;
constexpr uint32_t DEBUG_RX_BODY = 0x2;
constexpr uint32_t ALLOW_POP3 = 0x4;
constexpr uint32_t DEBUG_TX = 0x8;
constexpr uint32_t DEBUG_RX_RSP = 0x10;
constexpr uint32_t RELAY_TX = 0x20;
constexpr uint32_t DEBUG_POP3 = 0x40;
constexpr uint32_t NO_READ_POP3 = 0x80;
constexpr uint32_t NO_NOTIFY = 0x100;
constexpr uint32_t ALLOW_SYSOP_ALIASES = 0x200;
constexpr uint32_t USE_SUBMISSION_PORT = 0x400;
constexpr uint32_t NO_HOST_LOOKUP = 0x800;
constexpr uint32_t USE_TCP_DNS = 0x1000;
constexpr uint32_t NO_SENDMAIL = 0x2000;
constexpr uint32_t ALLOW_RELAY = 0x4000;
constexpr uint32_t DNSBL_REFUSE = 0x8000;
constexpr uint32_t DNSBL_IGNORE = 0x10000;
constexpr uint32_t DNSBL_BADUSER = 0x20000;
constexpr uint32_t DNSBL_CHKRECVHDRS = 0x40000;
constexpr uint32_t DNSBL_THROTTLE = 0x80000;
constexpr uint32_t DNSBL_SPAMHASH = 0x100000;
constexpr uint32_t SMTP_AUTH_VIA_IP = 0x200000;
constexpr uint32_t SEND_INTRANSIT = 0x400000;
constexpr uint32_t RELAY_AUTH_PLAIN = 0x800000;
constexpr uint32_t RELAY_AUTH_LOGIN = 0x1000000;
constexpr uint32_t RELAY_AUTH_CRAM_MD5 = 0x2000000;
constexpr uint32_t NO_AUTO_EXEMPT = 0x4000000;
constexpr uint32_t NO_RECYCLE = 0x8000000;
constexpr uint32_t KILL_READ_SPAM = 0x10000000;
constexpr uint32_t TLS_SUBMISSION = 0x20000000;
constexpr uint32_t TLS_POP3 = 0x40000000;

} // namespace sbbs::mail_opt
