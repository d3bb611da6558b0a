// SpamHashBase (see spam_hash.h).
#include "spam/spam_hash.h"

#include "msgbase/hash_record.h"
#include "spam/whole_file_lock.h"
#include "util/platform_file.h"

#include <chrono>
#include <thread>

namespace sbbs::spam {

namespace {

// FMT-104: the body hash as the mail base stores it (every digest, Ctrl-A
// codes and white space stripped), computed over the body's pieces (SEC-11);
// length 0 when nothing is left to hash.
smb::HashRecord body_hash(const TextPieces& body, std::time_t now) {
    for (const smb::HashRecord& h : smb::message_hashes(smb::MessageHeader{}, body, uint32_t(now)))
        if (h.source == smb::hash_source::BODY) return h;
    return {};
}

// The record of `wanted`'s hash in the open file, if any.
std::optional<smb::HashRecord> find_in(const PlatformFile& f, const smb::HashRecord& wanted) {
    auto size = f.size();
    if (!size) return std::nullopt;
    char rec[smb::HASH_LEN];
    for (uint64_t off = 0; off + smb::HASH_LEN <= *size; off += smb::HASH_LEN) {
        auto n = f.read_at(off, rec, sizeof rec);
        if (!n || *n != sizeof rec) break;
        smb::HashRecord h = smb::decode_hash(rec);
        if (h.source == smb::hash_source::BODY && smb::same_hash(h, wanted)) return h;
    }
    return std::nullopt;
}

} // namespace

std::optional<std::time_t> SpamHashBase::find(const TextPieces& body) const {
    auto f = PlatformFile::open(path_, FileOpen::Read);
    if (!f || !lock_whole(*f, FileLock::Shared)) return std::nullopt;   // a read-only open takes no write lock
    // No base, or an empty one: nothing to look up, so no body to hash (the
    // hash pre-processes a copy of the body; SEC-11 holds every message once).
    auto size = f->size();
    if (!size || *size < smb::HASH_LEN) return std::nullopt;
    smb::HashRecord wanted = body_hash(body, 0);
    if (wanted.length == 0) return std::nullopt;
    auto h = find_in(*f, wanted);
    if (!h) return std::nullopt;
    return std::time_t(h->time);
}

Status SpamHashBase::add(const TextPieces& body, std::time_t now) const {
    smb::HashRecord h = body_hash(body, now);
    if (h.length == 0) return {};
    auto f = PlatformFile::open(path_, FileOpen::ReadWriteCreate);
    if (!f) return f.error();
    if (!lock_whole(*f, FileLock::Exclusive)) return make_error(path_ + " stays locked", ErrorCode::Locked);
    if (find_in(*f, h)) return {};
    auto size = f->size();
    if (!size) return size.error();
    std::string rec = smb::encode_hash(h);
    return f->write_at(*size - *size % smb::HASH_LEN, rec.data(), rec.size());
}

} // namespace sbbs::spam
