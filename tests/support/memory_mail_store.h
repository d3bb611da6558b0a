// In-memory MailStore for protocol unit tests: same contract as the SMB
// base (numbers from 1, shared data, attr changes), no files.
#pragma once

#include "msgbase/mail_store.h"

#include <map>
#include <mutex>

namespace sbbs::test {

class MemoryMailStore : public MailStore {
public:
    struct Post { std::string code; smb::Message msg; };   // the body kept: a NewMessage only lends it

    std::map<uint32_t, smb::Message> mail;   // by number
    std::vector<Post> posts;
    bool fail_next_add = false;              // simulate a storage failure
    ErrorCode fail_code = ErrorCode::Io;

    Result<std::vector<uint32_t>> add_mail(const NewMessage& msg,
                                           const std::vector<RecipientCopy>& copies) override {
        std::lock_guard lk(mu_);
        if (fail_next_add) { fail_next_add = false; return make_error("simulated failure", fail_code); }
        std::vector<uint32_t> numbers;
        for (auto& c : copies) {
            smb::Message m;
            m.hdr = msg.hdr;
            m.hdr.fields = c.prepend;
            m.hdr.fields.insert(m.hdr.fields.end(), msg.hdr.fields.begin(), msg.hdr.fields.end());
            m.hdr.fields.insert(m.hdr.fields.end(), c.append.begin(), c.append.end());
            m.hdr.number = ++last_;
            m.body = msg.body.str();
            m.tail = msg.tail;
            mail[m.hdr.number] = m;
            numbers.push_back(m.hdr.number);
        }
        return numbers;
    }
    Result<uint32_t> post_to_sub(const std::string& code, const NewMessage& msg) override {
        std::lock_guard lk(mu_);
        if (fail_next_add) { fail_next_add = false; return make_error("simulated failure", fail_code); }
        posts.push_back({code, smb::Message{msg.hdr, msg.body.str(), msg.tail}});
        return uint32_t(posts.size());
    }
    Result<std::vector<MailSummary>> list_mailbox(uint32_t user) override {
        std::lock_guard lk(mu_);
        std::vector<MailSummary> out;
        for (auto& [n, m] : mail)
            if (to_user(m) == user && !(m.hdr.attr & smb::attr::DELETE))
                out.push_back({n, m.hdr.attr, m.hdr.when_imported_time, from_user(m), to_user(m)});
        return out;
    }
    Result<uint32_t> count_waiting(uint32_t user) override {
        auto l = list_mailbox(user);
        return uint32_t(l->size());
    }
    Result<uint32_t> count_sent(uint32_t user) override {
        std::lock_guard lk(mu_);
        uint32_t n = 0;
        for (auto& [num, m] : mail)
            if (from_user(m) == user && !(m.hdr.attr & smb::attr::DELETE)) ++n;
        return n;
    }
    Result<smb::Message> read(uint32_t number, bool with_text) override {
        std::lock_guard lk(mu_);
        auto it = mail.find(number);
        if (it == mail.end()) return make_error("no message " + std::to_string(number), ErrorCode::NotFound);
        smb::Message m = it->second;
        if (!with_text) { m.body.clear(); m.tail.clear(); }
        return m;
    }
    Status change_attr(uint32_t number, uint16_t set, uint16_t clear) override {
        std::lock_guard lk(mu_);
        auto it = mail.find(number);
        if (it == mail.end()) return make_error("no message", ErrorCode::NotFound);
        it->second.hdr.attr = uint16_t((it->second.hdr.attr | set) & ~clear);
        return {};
    }
    Status update_header(const smb::MessageHeader& hdr) override {
        std::lock_guard lk(mu_);
        auto it = mail.find(hdr.number);
        if (it == mail.end()) return make_error("no message", ErrorCode::NotFound);
        auto fields = it->second.hdr.fields;
        it->second.hdr = hdr;
        it->second.hdr.fields = fields;
        return {};
    }
    Result<std::vector<uint32_t>> queued_outbound(bool include_intransit) override {
        std::lock_guard lk(mu_);
        std::vector<uint32_t> out;
        for (auto& [n, m] : mail) {
            auto& h = m.hdr;
            if (to_user(m) || (h.attr & smb::attr::DELETE) || (h.netattr & smb::netattr::SENT)) continue;
            if (h.get_u16(smb::hf::RECIPIENTNETTYPE).value_or(0) != smb::net::INTERNET) continue;
            if (h.get(smb::hf::RECIPIENTNETADDR).empty()) continue;
            if ((h.netattr & smb::netattr::INTRANSIT) && !include_intransit) continue;
            out.push_back(n);
        }
        return out;
    }
    Result<uint32_t> add_sharing_data(uint32_t original, const smb::MessageHeader& hdr) override {
        std::lock_guard lk(mu_);
        if (fail_next_add) { fail_next_add = false; return make_error("simulated failure", fail_code); }
        auto it = mail.find(original);
        if (it == mail.end()) return make_error("no message", ErrorCode::NotFound);
        smb::Message m{hdr, it->second.body, it->second.tail};
        m.hdr.number = ++last_;
        mail[m.hdr.number] = m;
        return m.hdr.number;
    }
    Result<uint32_t> last_msg() override { std::lock_guard lk(mu_); return last_; }

    static uint16_t to_user(const smb::Message& m) { return uint16_t(atoi(m.hdr.get(smb::hf::RECIPIENTEXT).c_str())); }
    static uint16_t from_user(const smb::Message& m) { return uint16_t(atoi(m.hdr.get(smb::hf::SENDEREXT).c_str())); }

private:
    std::mutex mu_;
    uint32_t last_ = 0;
};

} // namespace sbbs::test
