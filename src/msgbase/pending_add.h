// The pending-add journal, <base>.pending (ours, issue #13): what an add in
// progress has counted in .sda and where it is placing its headers, so that
// recovery can give back exactly what a killed add left allocated but
// unreferenced, and never blocks another writer may still hold.
//
// Why a journal rather than a scan for unreferenced blocks: the original's
// writers legitimately keep data counted but unreferenced *between* locks
// (smb_addmsg with no recipient, then one smb_addmsghdr per recipient:
// bulkmail.cpp, mailsrvr.cpp), so "counted but no header names it" is not
// evidence of a crash. Only blocks we counted ourselves, in an add that never
// finished, are ours to give back.
//
// Life of an entry, all under the base-header lock: after each message's
// .sda counts are written the journal is rewritten with that data run
// (steps 1 in smb_writer.cpp), after the headers are placed with their
// copies, and it is emptied when the add finishes or rolls back. It is never
// fsynced: it guards against a killed process, not a lost disk cache (after
// a power loss a leak is reported by --check-base, not reclaimed).
#pragma once

#include "msgbase/message.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sbbs::smb {

// One message's data run as counted: every block 1, plus copies - 1 per
// field covering it (FMT-68, FMT-91).
struct PendingData {
    uint32_t first_block = 0, blocks = 0;
    uint16_t copies = 1;
    std::vector<DataField> dfields;
};

// One header (copy) the add is placing.
struct PendingHeader {
    uint32_t number = 0, header_offset = 0, blocks = 0;
    uint32_t data_offset = 0;
    bool has_data = false;
};

struct PendingAdd {
    uint32_t last_msg = 0, total_msgs = 0;        // status before the add
    uint64_t sda_entries = 0;                     // .sda length after the last run counted
    std::vector<PendingData> data;
    std::vector<PendingHeader> headers;
};

std::string encode_pending(const PendingAdd& p);
// nullopt for an empty, cleared or torn journal (nothing to reclaim).
std::optional<PendingAdd> decode_pending(std::string_view bytes);

// The count a block of `run` must have when `committed` of its copies are in
// the index (0 when none is).
uint16_t expected_count(const PendingData& run, uint32_t block, uint32_t committed);

} // namespace sbbs::smb
