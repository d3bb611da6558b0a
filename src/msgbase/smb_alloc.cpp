// Allocation tables .sha/.sda in memory: first-fit self-packing or fast
// (append) runs, written back as one dirty range (FMT-62..71).
#include "msgbase/smb_internal.h"

#include <bit>
#include <cstring>

namespace sbbs::smb {

namespace {

// First free (zero) entry at or after `i`, or the table's end. A packed base
// has no free entry at all, so this walks the whole table on every add: four
// entries per step (issue #14).
size_t next_free(const std::vector<uint16_t>& entries, size_t i) {
    const size_t size = entries.size();
    for (; i + 4 <= size; i += 4) {
        uint64_t w;
        std::memcpy(&w, entries.data() + i, sizeof w);
        if ((w - 0x0001000100010001ull) & ~w & 0x8000800080008000ull) break;   // some 16-bit lane is 0
    }
    while (i < size && entries[i] != 0) ++i;
    return i;
}

// End of the free run starting at `i` (the first used entry after it).
size_t run_end(const std::vector<uint16_t>& entries, size_t i) {
    while (i < entries.size() && entries[i] == 0) ++i;
    return i;
}

} // namespace

Status AllocTable::load(size_t from) {
    auto bytes = file.size();
    if (!bytes) return bytes.error();
    size_t width = wide ? 2 : 1;
    size_t n = size_t(*bytes / width);
    first = std::min(from, n);
    entries.resize(n - first);
    forget_fit();
    uint64_t at = uint64_t(first) * width;
    if (wide && std::endian::native == std::endian::little)   // .sda is little-endian u16: read in place
        return file.read_exact(at, entries.data(), entries.size() * 2);
    std::string raw(entries.size() * width, '\0');
    if (auto st = file.read_exact(at, raw.data(), raw.size()); !st) return st;
    for (size_t i = 0; i < entries.size(); ++i) entries[i] = wide ? get16(raw.data() + 2 * i) : uint8_t(raw[i]);
    return {};
}

uint32_t AllocTable::find_run(uint32_t n, AllocMode mode) const {
    if (mode != AllocMode::SelfPack || n == 0) return uint32_t(size());
    size_t i = n >= fit_n_ ? fit_at_ : 0;         // first fit: the first run of n free entries
    size_t found = entries.size();                // a short free run at the end is not extended
    for (i = next_free(entries, i); i < entries.size(); i = next_free(entries, i)) {
        size_t start = i;
        while (i < entries.size() && entries[i] == 0 && i - start < n) ++i;
        if (i - start == n) {
            found = start;
            break;
        }
    }
    fit_n_ = n;
    fit_at_ = found;
    return uint32_t(first + found);
}

size_t AllocTable::longest_free_run() const {
    size_t longest = 0;
    for (size_t i = next_free(entries, 0); i < entries.size(); i = next_free(entries, i)) {
        size_t end = run_end(entries, i);
        longest = std::max(longest, end - i);
        i = end;
    }
    return longest;
}

void AllocTable::set(size_t i, uint16_t v) {
    if (i < undo_size_ && i < size()) undo_log_.push_back({i, get(i)});
    if (v == 0 || i > size()) forget_fit();       // freed, or free entries put before it
    if (i >= size()) entries.resize(i + 1 - first, 0);
    entries[i - first] = v;
    first_dirty = std::min(first_dirty, i);
    end_dirty = std::max(end_dirty, i + 1);
}

void AllocTable::hold(size_t at, uint32_t n) {
    if (at > size()) forget_fit();
    if (size() < at + n) entries.resize(at + n - first, 0);
    std::fill_n(entries.begin() + long(at - first), n, uint16_t(1));
}

void AllocTable::release(size_t at, uint32_t n) {
    forget_fit();
    std::fill_n(entries.begin() + long(at - first), n, uint16_t(0));
}

void AllocTable::shrink_to(size_t n) {
    forget_fit();
    if (n < size()) entries.resize(n - first);
}

Status AllocTable::flush() {
    if (first_dirty >= end_dirty) return {};
    std::string raw;
    for (size_t i = first_dirty; i < end_dirty; ++i) {
        if (wide) put16(raw, get(i));
        else raw.push_back(char(get(i) & 0xFF));
    }
    auto st = file.write_at(uint64_t(first_dirty) * (wide ? 2 : 1), raw.data(), raw.size());
    first_dirty = SIZE_MAX;
    end_dirty = 0;
    return st;
}

void AllocTable::begin_undo() {
    undo_log_.clear();
    undo_size_ = size();
}

void AllocTable::undo() {
    if (undo_size_ == SIZE_MAX) return;
    size_t n = undo_size_;
    undo_size_ = SIZE_MAX;                        // the restoring writes are not logged
    for (auto o = undo_log_.rbegin(); o != undo_log_.rend(); ++o) set(o->at, o->old);
    undo_log_.clear();
    (void)flush();
    if (size() > n) (void)truncate_to(n);
}

Status AllocTable::truncate_to(size_t n) {
    forget_fit();
    if (n < size()) {
        first = std::min(first, n);               // an add never cuts below first; keep it whole anyway
        entries.resize(n - first);
    }
    if (end_dirty > n) end_dirty = n;
    return file.truncate(uint64_t(n) * (wide ? 2 : 1));
}

} // namespace sbbs::smb
