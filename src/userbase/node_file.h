// ctrl/node.dab: who is on line on which BBS node, and the two misc bits
// the mail server may set (USER-45, USER-59..62).
#pragma once

#include "userbase/record_lock.h"
#include "util/result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace sbbs {

struct Config;

constexpr size_t kNodeRecordLen = 15;

struct NodeRecord {                       // USER-60, little-endian on disk
    uint8_t status = 0, errors = 0, action = 0;
    uint16_t useron = 0, connection = 0, misc = 0, aux = 0;
    uint32_t extaux = 0;

    enum Status : uint8_t { WFC = 0, LOGON = 1, NEWUSER = 2, INUSE = 3, QUIET = 4,
                            OFFLINE = 5, NETTING = 6, LOGOUT = 10 };
    static constexpr uint16_t MISC_MSGW = 0x8;     // message waiting (USER-59)
    static constexpr uint16_t MISC_POFF = 0x10;    // paging disabled (USER-61)
    static constexpr uint16_t MISC_UDAT = 0x40;    // user data updated (USER-45)

    static NodeRecord decode(const char* bytes);
    std::string encode() const;
    bool in_use() const { return status == INUSE || status == QUIET; }
};

class NodeFile {
public:
    // `nodes` = the number of [node_dir] entries: only those are examined.
    NodeFile(std::string path, unsigned nodes, RetryPolicy retry)
        : path_(std::move(path)), nodes_(nodes), retry_(std::move(retry)) {}
    // <ctrl>/node.dab with one record per [node_dir] entry.
    static NodeFile for_config(const Config& cfg, RetryPolicy retry = {});

    // Nodes 1..nodes that exist in the file; a missing file has none.
    Result<std::vector<NodeRecord>> read_all() const;
    // USER-61: status 1, 3 or 4 with the user on it (notice delivery).
    bool user_online(uint32_t user) const;
    // USER-61: status 3 with paging enabled (telegram delivery, SEND).
    bool user_pageable(uint32_t user) const;
    // USER-62: lock the node's 15 bytes, re-read, OR in `bits` (only 0x8
    // and 0x40 are ever changed), write back.
    Status set_misc(unsigned node, uint16_t bits) const;
    // USER-59: set MSGW on every in-use/quiet node of `user`;
    // USER-45: set UDAT on the first such node. Missing node.dab = no-op.
    Status notify_message_waiting(uint32_t user) const;
    Status notify_user_updated(uint32_t user) const;

private:
    Status flag_nodes(uint32_t user, uint16_t bits, bool first_only) const;
    std::string path_;
    unsigned nodes_;
    RetryPolicy retry_;
};

} // namespace sbbs
