// The MailStore the protocols use, on the real SMB bases: data/mail plus
// the sub-boards' bases (posts via sub: addresses).
#pragma once

#include "msgbase/commit_queue.h"
#include "msgbase/fair_gate.h"
#include "msgbase/gate_registry.h"
#include "msgbase/mail_store.h"
#include "msgbase/reader_pool.h"
#include "msgbase/smb_base.h"

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

namespace sbbs {

struct Config;

namespace smb {

// Where a sub-board's base lives (prefix without extension) and the status a
// new one is created with; nullopt for an unknown code.
struct SubBase {
    std::string prefix;
    BaseStatus create_status;
};
using SubResolver = std::function<std::optional<SubBase>(const std::string& code)>;

class SmbMailStore : public MailStore {
public:
    // `mail_prefix` e.g. "/sbbs/data/mail"; `mail_options.create_status`
    // is used when the mail base does not exist yet (FMT-105).
    SmbMailStore(std::string mail_prefix, BaseOptions mail_options, SubResolver subs);
    // From the configuration: mail base path, smb_retry_time, mail limits and
    // MsgsSettings::find_sub(code)->base_path() (see smb_mail_store_config.cpp).
    static std::unique_ptr<SmbMailStore> from_config(const Config& cfg);

    Result<std::vector<uint32_t>> add_mail(const NewMessage& msg, const std::vector<RecipientCopy>& copies) override;
    Result<uint32_t> post_to_sub(const std::string& code, const NewMessage& msg) override;
    Result<std::vector<MailSummary>> list_mailbox(uint32_t user) override;
    Result<uint32_t> count_waiting(uint32_t user) override;
    Result<uint32_t> count_sent(uint32_t user) override;
    Result<Message> read(uint32_t number, bool with_text) override;
    std::vector<Result<Message>> read_many(const std::vector<uint32_t>& numbers, size_t text_budget) override;
    std::vector<Result<MessageHeader>> read_headers(const std::vector<uint32_t>& numbers) override;
    Result<MailSummary> summary(uint32_t number) override;
    Status change_attr(uint32_t number, uint16_t set, uint16_t clear) override;
    Status change_attr_many(const std::vector<uint32_t>& numbers, uint16_t set, uint16_t clear) override;
    Status update_header(const MessageHeader& hdr) override;
    Status update_headers(const std::vector<MessageHeader>& hdrs) override;
    Status update_headers_if(const std::vector<uint32_t>& numbers,
                             const std::function<bool(size_t, MessageHeader&)>& change, bool durable,
                             std::vector<bool>& written) override;
    Status sync_updates() override;
    Result<std::vector<uint32_t>> queued_outbound(bool include_intransit) override;
    Result<uint32_t> add_sharing_data(uint32_t original, const MessageHeader& hdr) override;
    Result<uint32_t> last_msg() override;

    // For tests and bench/basecurve: the clock the base's remembered counts
    // (index_tally.h) and the writer's allocation hints (alloc_hint.h) age by.
    void set_clock_for_test(std::function<uint64_t()> clock);

private:
    // The writer handle, shared: a caller keeps its copy alive while mail()
    // replaces mail_ for another thread (a base replaced under it).
    Result<std::shared_ptr<SmbBase>> mail();
    // Runs `read(SmbBase&)` on a lent read-only handle; on the writer handle
    // when there is none (the base does not exist yet or is empty: mail()
    // creates it). `locked` reads take their turn at the gate; unlocked ones
    // (FMT-86) take no fcntl lock, so they neither wait for nor hold up a
    // writer. A lock held past smb_retry_time is the answer itself: a second
    // try on the writer handle would only wait as long again. A base
    // replaced while the read waited for its lock (Stale) is read once more
    // on fresh handles.
    template <class Read>
    auto with_reader(Read read, bool locked = true) -> decltype(read(std::declval<SmbBase&>())) {
        std::optional<FairGate::Pass> turn;
        if (locked) turn.emplace(gate_->enter_shared());
        // A locked read finds a replaced base itself (Stale, under the lock):
        // its first lease skips the pool's own check, a retry makes it.
        auto once = [&](bool check) -> decltype(read(std::declval<SmbBase&>())) {
            auto lease = readers_.lease(check || !locked);
            if (lease) {
                auto r = read(**lease);
                if (!r && r.error().code == ErrorCode::Stale) lease->discard();
                return r;
            }
            if (lease.error().code == ErrorCode::Locked) return lease.error();
            auto b = mail();
            if (!b) return b.error();
            return read(**b);
        };
        auto r = once(false);
        if (!r && r.error().code == ErrorCode::Stale) return once(true);
        return r;
    }
    // The writer handle for a change, after the readers queued before it;
    // once more on a reopened handle when the base was replaced meanwhile.
    template <class Write>
    auto with_writer(Write write) -> decltype(write(std::declval<SmbBase&>())) {
        auto turn = gate_->enter_exclusive();
        auto once = [&]() -> decltype(write(std::declval<SmbBase&>())) {
            auto b = mail();
            if (!b) return b.error();
            return write(**b);
        };
        auto r = once();
        if (!r && r.error().code == ErrorCode::Stale) return once();
        return r;
    }
    std::vector<DeliveryResult> write_batch(const std::vector<Delivery>& batch);

    std::string mail_prefix_;
    BaseOptions mail_options_;
    SubResolver subs_;
    std::mutex mu_;                       // guards the handles below, not the I/O
    std::shared_ptr<FairGate> gate_;      // our readers and writers take turns (issue #13 item 1), process-wide per base
    std::shared_ptr<SmbBase> mail_;
    CommitQueue mail_queue_;              // concurrent add_mail calls share one transaction
    ReaderPool readers_;                  // message reads run side by side, not on mail_'s mutex
};

} // namespace smb
} // namespace sbbs
