// A message as stored in an SMB base: the fixed header part, the header
// fields in stored order, and the decoded text (smb.md sections 4-6, 9).
#pragma once

#include "msgbase/smb_defs.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sbbs::smb {

struct When {                       // when_t, FMT-24
    uint16_t year = 0;
    uint32_t time = 0;              // packed wall clock (or legacy Unix time)
    int16_t zone = 0;               // FMT-27
};

struct HeaderField {
    uint16_t type = 0;
    std::string data;               // raw bytes (binary fields: little-endian)
};

struct DataField {
    uint16_t type = 0;              // 0 TEXT_BODY, 2 TEXT_TAIL
    uint32_t offset = 0;            // relative to MessageHeader::offset
    uint32_t length = 0;
};

struct MessageHeader {              // msghdr_t + fields, FMT-20
    uint16_t type = 0;
    uint16_t version = 0x0310;
    uint16_t attr = 0;
    uint32_t auxattr = 0;
    uint16_t netattr = 0;
    When when_written;
    uint32_t when_imported_time = 0;
    int16_t when_imported_zone = 0;
    uint32_t number = 0;
    uint32_t thread_back = 0, thread_next = 0, thread_first = 0;
    uint16_t delivery_attempts = 0;
    int16_t votes = 0;
    uint32_t thread_id = 0;
    uint8_t priority = 0;
    uint32_t offset = 0;            // data offset in .sdt
    std::vector<DataField> dfields;
    std::vector<HeaderField> fields;
    uint32_t header_offset = 0;     // where this header lives in .shd (read only)

    // Last occurrence of a single-valued field (FMT-32), or nullptr.
    const std::string* last(uint16_t type) const {
        for (auto it = fields.rbegin(); it != fields.rend(); ++it)
            if (it->type == type) return &it->data;
        return nullptr;
    }
    std::string get(uint16_t type) const { auto p = last(type); return p ? *p : std::string(); }
    // A u16 binary field (net/agent types), or nullopt when absent/short.
    std::optional<uint16_t> get_u16(uint16_t type) const {
        auto p = last(type);
        if (!p || p->size() < 2) return std::nullopt;
        return uint16_t(uint8_t((*p)[0]) | (uint8_t((*p)[1]) << 8));
    }
    // FMT-36: SMTPREVERSEPATH, else an Internet sender's non-empty net
    // address; null when the message has neither.
    const std::string* reverse_path() const {
        if (auto p = last(hf::SMTPREVERSEPATH)) return p;
        if (get_u16(hf::SENDERNETTYPE) != net::INTERNET) return nullptr;
        auto a = last(hf::SENDERNETADDR);
        return a && !a->empty() ? a : nullptr;
    }
    void add(uint16_t type, std::string data) { fields.push_back({type, std::move(data)}); }
    void add_u16(uint16_t type, uint16_t v) {
        fields.push_back({type, std::string{char(v & 0xFF), char(v >> 8)}});
    }
};

struct Message {
    MessageHeader hdr;
    std::string body;               // decoded TEXT_BODY fields (FMT-49)
    std::string tail;               // decoded TEXT_TAIL fields
};

struct IndexRecord {                // idxrec_t, FMT-72
    uint16_t to = 0, from = 0, subj = 0, attr = 0;
    uint32_t offset = 0, number = 0, time = 0;
};

} // namespace sbbs::smb
