// UserNotices on the install's files: data/msgs/NNNN.msg through the user
// base's NoticeWriter and on-line state from ctrl/node.dab.
#pragma once

#include "smtp/user_notices.h"
#include "userbase/node_file.h"
#include "userbase/user_notice.h"

#include <mutex>

namespace sbbs::smtp {

class NodeNotices : public UserNotices {
public:
    explicit NodeNotices(const Config& cfg)
        : writer_(NoticeWriter::for_config(cfg)), nodes_(NodeFile::for_config(cfg)) {}
    bool is_online(uint32_t user) override { return nodes_.user_online(user); }
    bool accepts_pages(uint32_t user) override { return nodes_.user_pageable(user); }
    // Sessions of this process queue here rather than in the notice file's
    // lock, whose sleep-and-retry waits 10-100 ms per collision.
    Status append(uint32_t user, std::string_view text) override {
        std::lock_guard<std::mutex> guard(append_mutex_);
        return writer_.append(user, text);
    }

private:
    NoticeWriter writer_;
    NodeFile nodes_;
    std::mutex append_mutex_;
};

} // namespace sbbs::smtp
