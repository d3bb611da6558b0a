// Allocation tables .sha/.sda in memory: first-fit self-packing or fast
// (append) runs, written back as one dirty range (FMT-62..71).
#include "msgbase/smb_internal.h"

namespace sbbs::smb {

uint32_t AllocTable::find_run(uint32_t n, AllocMode mode) const {
    if (mode == AllocMode::SelfPack && n > 0) {
        uint32_t run = 0;
        for (size_t i = 0; i < entries.size(); ++i) {
            run = entries[i] == 0 ? run + 1 : 0;
            if (run == n) return uint32_t(i + 1 - n);
        }
    }
    return uint32_t(entries.size());              // a short free run at the end is not extended
}

void AllocTable::set(size_t i, uint16_t v) {
    if (i >= entries.size()) entries.resize(i + 1, 0);
    entries[i] = v;
    first_dirty = std::min(first_dirty, i);
    end_dirty = std::max(end_dirty, i + 1);
}

Status AllocTable::flush() {
    if (first_dirty >= end_dirty) return {};
    std::string raw;
    for (size_t i = first_dirty; i < end_dirty; ++i) {
        if (wide) put16(raw, entries[i]);
        else raw.push_back(char(entries[i] & 0xFF));
    }
    auto st = file.write_at(uint64_t(first_dirty) * (wide ? 2 : 1), raw.data(), raw.size());
    first_dirty = SIZE_MAX;
    end_dirty = 0;
    return st;
}

Status AllocTable::truncate_to(size_t n) {
    if (n < entries.size()) entries.resize(n);
    if (end_dirty > n) end_dirty = n;
    return file.truncate(uint64_t(n) * (wide ? 2 : 1));
}

} // namespace sbbs::smb
