// node.dab reader and misc-bit setter; the record is packed, so it is
// (de)serialised byte by byte rather than through a struct.
#include "userbase/node_file.h"

#include "config/settings.h"
#include "userbase/userbase_platform.h"

namespace sbbs {
namespace {

uint16_t le16(const char* p) {
    return static_cast<uint16_t>(static_cast<uint8_t>(p[0]) | static_cast<uint8_t>(p[1]) << 8);
}
uint32_t le32(const char* p) { return le16(p) | static_cast<uint32_t>(le16(p + 2)) << 16; }
void put16(std::string& s, uint16_t v) { s += char(v & 0xff); s += char(v >> 8); }

constexpr uint16_t kSettableMisc = NodeRecord::MISC_MSGW | NodeRecord::MISC_UDAT;

} // namespace

NodeRecord NodeRecord::decode(const char* b) {
    NodeRecord n;
    n.status = static_cast<uint8_t>(b[0]);
    n.errors = static_cast<uint8_t>(b[1]);
    n.action = static_cast<uint8_t>(b[2]);
    n.useron = le16(b + 3);
    n.connection = le16(b + 5);
    n.misc = le16(b + 7);
    n.aux = le16(b + 9);
    n.extaux = le32(b + 11);
    return n;
}

std::string NodeRecord::encode() const {
    std::string s;
    s += char(status); s += char(errors); s += char(action);
    put16(s, useron); put16(s, connection); put16(s, misc); put16(s, aux);
    put16(s, static_cast<uint16_t>(extaux & 0xffff));
    put16(s, static_cast<uint16_t>(extaux >> 16));
    return s;
}

NodeFile NodeFile::for_config(const Config& cfg, RetryPolicy retry) {
    return NodeFile(cfg.paths.ctrl + "node.dab", static_cast<unsigned>(cfg.sys.node_dirs.size()),
                    std::move(retry));
}

Result<std::vector<NodeRecord>> NodeFile::read_all() const {
    std::vector<NodeRecord> out;
    auto f = platform::File::open(path_, platform::OpenMode::Read);
    if (!f) {
        if (f.error().code == ErrorCode::NotFound) return out;
        return f.error();
    }
    auto bytes = f->read_all();
    if (!bytes) return bytes.error();
    for (unsigned n = 0; n < nodes_ && (n + 1) * kNodeRecordLen <= bytes->size(); ++n)
        out.push_back(NodeRecord::decode(bytes->data() + n * kNodeRecordLen));
    return out;
}

bool NodeFile::user_online(uint32_t user) const {
    auto nodes = read_all();
    if (!nodes) return false;
    for (const NodeRecord& n : *nodes)
        if (n.useron == user && (n.status == NodeRecord::LOGON || n.in_use())) return true;
    return false;
}

bool NodeFile::user_pageable(uint32_t user) const {
    auto nodes = read_all();
    if (!nodes) return false;
    for (const NodeRecord& n : *nodes)
        if (n.useron == user && n.status == NodeRecord::INUSE && !(n.misc & NodeRecord::MISC_POFF))
            return true;
    return false;
}

Status NodeFile::set_misc(unsigned node, uint16_t bits) const {
    bits &= kSettableMisc;
    if (node == 0 || node > nodes_)
        return make_error(path_ + ": no node " + std::to_string(node), ErrorCode::NotFound);
    auto f = platform::File::open(path_, platform::OpenMode::ReadWrite);
    if (!f) return f.error();
    const uint64_t offset = uint64_t(node - 1) * kNodeRecordLen;
    auto lock = lock_range(*f, offset, kNodeRecordLen, platform::LockKind::Exclusive, retry_);
    if (!lock) return lock.error();
    char buf[kNodeRecordLen];
    if (Status s = f->read_at(offset, buf, sizeof buf); !s) return s;
    NodeRecord rec = NodeRecord::decode(buf);
    if ((rec.misc & bits) == bits) return {};
    // Only the two misc bytes change; every other byte is written back as read.
    rec.misc |= bits;
    return f->write_at(offset + 7, rec.encode().substr(7, 2));
}

Status NodeFile::flag_nodes(uint32_t user, uint16_t bits, bool first_only) const {
    auto nodes = read_all();
    if (!nodes) return nodes.error();
    for (size_t i = 0; i < nodes->size(); ++i) {
        const NodeRecord& n = (*nodes)[i];
        if (n.useron != user || !n.in_use()) continue;
        if (Status s = set_misc(static_cast<unsigned>(i + 1), bits); !s) return s;
        if (first_only) break;
    }
    return {};
}

Status NodeFile::notify_message_waiting(uint32_t user) const {
    return flag_nodes(user, NodeRecord::MISC_MSGW, false);
}

Status NodeFile::notify_user_updated(uint32_t user) const {
    return flag_nodes(user, NodeRecord::MISC_UDAT, true);
}

} // namespace sbbs
