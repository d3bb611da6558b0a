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
// Life of an entry, all under the base-header lock: once a message's text
// is in .sdt and before its .sda counts are written, the journal is
// rewritten with that data run (step 1 in smb_writer.cpp), again once the
// headers are placed, and it is emptied when the add finishes or rolls
// back. Journaling before counting leaves no instant at which counts exist
// that the journal does not name; recovery then gives a run back only when
// its counts are still the ones we wrote, its first and last blocks still
// hold our text (CRC-32 of each) *and* no header added since the journal
// names it (smb_pending.cpp argues why no other header can): if the kill
// came before our counts were written, another writer (the original's
// first-fit or fast allocation, which always takes a run's first block
// when it overlaps it) may have taken the blocks and written its own text
// there. The journal is
// never fsynced: it guards against a killed process, not a lost disk cache
// (after a power loss a leak is reported by --check-base, not reclaimed).
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
    uint32_t first_crc = 0, last_crc = 0;         // of the run's first and last 256 bytes in .sdt
};

// One header (copy) the add is placing.
struct PendingHeader {
    uint32_t number = 0, header_offset = 0, blocks = 0;
    uint32_t data_offset = 0;
    bool has_data = false;
};

struct PendingAdd {
    uint32_t last_msg = 0, total_msgs = 0;        // status before the add
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
