// SmbMailStore: MailStore operations mapped onto SmbBase calls on the mail
// base (FMT-105..123) and on sub-board bases opened per post.
#include "msgbase/smb_mail_store.h"

#include "msgbase/index_tally.h"

namespace sbbs::smb {

SmbMailStore::SmbMailStore(std::string mail_prefix, BaseOptions mail_options, SubResolver subs)
    : mail_prefix_(std::move(mail_prefix)), mail_options_(mail_options), subs_(std::move(subs)),
      gate_(gate_for_base(mail_prefix_)),
      mail_queue_([this](const std::vector<Delivery>& batch) { return write_batch(batch); }),
      readers_(mail_prefix_, mail_options_) {
    mail_options_.create_status.attr |= status_attr::EMAIL;
}

Result<std::shared_ptr<SmbBase>> SmbMailStore::mail() {
    std::lock_guard g(mu_);
    // A base deleted or replaced under the open handle is opened again (and
    // created when gone), or the 250 would be given for mail in unlinked files.
    // Another thread may still be inside the old handle (an unlocked count
    // takes no gate turn): it holds its own shared_ptr, so this only lets go.
    if (mail_ && !mail_->files_at_path()) mail_.reset();
    if (!mail_) {
        BaseOptions o = mail_options_;
        o.create = true;                                       // the mail server creates data/mail
        auto b = SmbBase::open(mail_prefix_, o);
        if (!b) return b.error();
        mail_ = std::move(*b);
    }
    return mail_;
}

Result<std::vector<uint32_t>> SmbMailStore::add_mail(const NewMessage& msg, const std::vector<RecipientCopy>& copies) {
    if (copies.empty()) return make_error("mail with no recipient", ErrorCode::Invalid);
    return mail_queue_.deliver({&msg, &copies});
}

std::vector<DeliveryResult> SmbMailStore::write_batch(const std::vector<Delivery>& batch) {
    auto turn = gate_->enter_exclusive();  // after the readers that queued during the last batch
    std::vector<SmbBase::AddRequest> reqs;
    for (auto& d : batch) reqs.push_back({d.msg, d.copies});
    auto once = [&] {
        auto b = mail();
        if (!b) return std::vector<DeliveryResult>(batch.size(), b.error());
        return (*b)->add_batch(reqs);
    };
    // A Stale batch wrote nothing (begin_write checks before any write): the
    // base was replaced while it waited, so it goes into the new files.
    auto out = once();
    if (!out.empty() && !out.front() && out.front().error().code == ErrorCode::Stale) return once();
    return out;
}

Result<uint32_t> SmbMailStore::post_to_sub(const std::string& code, const NewMessage& msg) {
    auto sub = subs_ ? subs_(code) : std::nullopt;
    if (!sub) return make_error("unknown sub-board '" + code + "'", ErrorCode::NotFound);
    BaseOptions o = mail_options_;
    o.create = true;
    o.create_status = sub->create_status;
    o.create_status.attr &= uint16_t(~status_attr::EMAIL);
    auto b = SmbBase::open(sub->prefix, o);
    if (!b) return b.error();
    if (!msg.hdr.last(hf::RECIPIENT)) {                        // index `to` needs a name (FMT-75)
        NewMessage m = msg;
        m.hdr.add(hf::RECIPIENT, "All");
        auto n = (*b)->add(m, {});
        if (!n) return n.error();
        return n->front();
    }
    auto n = (*b)->add(msg, {});
    if (!n) return n.error();
    return n->front();
}

Result<std::vector<MailSummary>> SmbMailStore::list_mailbox(uint32_t user) {
    // index only, never bodies
    auto idx = with_reader([](SmbBase& b) { return b.read_index(true); });
    if (!idx) return idx.error();
    std::vector<MailSummary> out;
    for (auto& r : *idx)
        if (r.to == user && !(r.attr & attr::DELETE)) out.push_back({r.number, r.attr, r.time, r.from, r.to});
    return out;
}

// Unlocked reads (FMT-86) on a lent handle, so they never wait for a batch
// being written; remembered for the whole process per base, or counted for
// every user in one pass over the raw records (index_tally.h).
Result<uint32_t> SmbMailStore::count_waiting(uint32_t user) {                              // FMT-108
    return with_reader([&](SmbBase& b) { return b.tally()->count(b, IndexTally::By::Recipient, user); }, false);
}

Result<uint32_t> SmbMailStore::count_sent(uint32_t user) {                                 // FMT-76: from = SENDEREXT
    if (user == 0) return 0u;
    return with_reader([&](SmbBase& b) { return b.tally()->count(b, IndexTally::By::Sender, user); }, false);
}

Result<Message> SmbMailStore::read(uint32_t number, bool with_text) {
    return with_reader([&](SmbBase& b) { return b.read_message(number, with_text); });
}

namespace {
// A batch read's whole answer is one error when its lock failed.
template <class T>
bool stale(const std::vector<Result<T>>& v) {
    return v.size() == 1 && !v.front() && v.front().error().code == ErrorCode::Stale;
}
} // namespace

std::vector<Result<Message>> SmbMailStore::read_many(const std::vector<uint32_t>& numbers, size_t text_budget) {
    auto turn = gate_->enter_shared();        // one turn for the batch: its hold is bounded by text_budget
    auto once = [&](bool check) -> std::vector<Result<Message>> {
        auto lease = readers_.lease(check);   // the batch's base-header lock checks (Stale)
        if (lease) {
            auto out = (*lease)->read_messages(numbers, text_budget);
            if (stale(out)) lease->discard();
            return out;
        }
        if (lease.error().code == ErrorCode::Locked) return {Result<Message>(lease.error())};   // as with_reader
        auto b = mail();
        if (!b) return {Result<Message>(b.error())};
        return (*b)->read_messages(numbers, text_budget);
    };
    auto out = once(false);
    if (stale(out)) return once(true);
    return out;                               // moved: the conditional form copied every message
}

std::vector<Result<MessageHeader>> SmbMailStore::read_headers(const std::vector<uint32_t>& numbers) {
    auto turn = gate_->enter_shared();
    auto once = [&](bool check) -> std::vector<Result<MessageHeader>> {
        auto lease = readers_.lease(check);   // the batch's base-header lock checks (Stale)
        if (lease) {
            auto out = (*lease)->read_headers(numbers);
            if (stale(out)) lease->discard();
            return out;
        }
        if (lease.error().code == ErrorCode::Locked) return {Result<MessageHeader>(lease.error())};
        auto b = mail();
        if (!b) return {Result<MessageHeader>(b.error())};
        return (*b)->read_headers(numbers);
    };
    auto out = once(false);
    if (stale(out)) return once(true);
    return out;                               // moved: the conditional form copied every message
}

Result<MailSummary> SmbMailStore::summary(uint32_t number) {
    // index only, under the base-header lock
    auto r = with_reader([&](SmbBase& b) { return b.find(number); });
    if (!r) return r.error();
    return MailSummary{r->number, r->attr, r->time, r->from, r->to};
}

Status SmbMailStore::change_attr(uint32_t number, uint16_t set, uint16_t clear) {
    return with_writer([&](SmbBase& b) { return b.change_attr(number, set, clear); });
}

Status SmbMailStore::change_attr_many(const std::vector<uint32_t>& numbers, uint16_t set, uint16_t clear) {
    return with_writer([&](SmbBase& b) { return b.change_attr_many(numbers, set, clear); });
}

namespace {
// What update_header rewrites: the fixed part only, the fields are kept.
void copy_fixed_part(const MessageHeader& from, MessageHeader& h) {
    h.attr = from.attr;
    h.auxattr = from.auxattr;
    h.netattr = from.netattr;
    h.delivery_attempts = from.delivery_attempts;
    h.votes = from.votes;
    h.priority = from.priority;
    h.thread_back = from.thread_back;
    h.thread_next = from.thread_next;
    h.thread_first = from.thread_first;
    if (from.thread_id) h.thread_id = from.thread_id;
}
} // namespace

Status SmbMailStore::update_header(const MessageHeader& hdr) {
    return with_writer([&](SmbBase& b) { return b.update(hdr.number, [&](MessageHeader& h) { copy_fixed_part(hdr, h); }); });
}

Status SmbMailStore::update_headers(const std::vector<MessageHeader>& hdrs) {
    std::vector<uint32_t> numbers;
    numbers.reserve(hdrs.size());
    for (auto& h : hdrs) numbers.push_back(h.number);
    return with_writer([&](SmbBase& b) {
        return b.update_many(numbers, [&](size_t i, MessageHeader& h) { copy_fixed_part(hdrs[i], h); });
    });
}

Status SmbMailStore::update_headers_if(const std::vector<uint32_t>& numbers,
                                       const std::function<bool(size_t, MessageHeader&)>& change, bool durable,
                                       std::vector<bool>& written) {
    return with_writer([&](SmbBase& b) { return b.update_many_if(numbers, change, durable, written); });
}

// No turn at the gate: the fsync holds up no reader or writer (see SmbBase).
Status SmbMailStore::sync_updates() {
    auto b = mail();
    if (!b) return b.error();
    return (*b)->sync_updates();
}

Result<std::vector<uint32_t>> SmbMailStore::queued_outbound(bool include_intransit) {
    // The writer handle's locks are exclusive: it takes the writer's turn.
    auto turn = gate_->enter_exclusive();
    auto b = mail();
    if (!b) return b.error();
    auto idx = (*b)->read_index(true);
    if (!idx && idx.error().code == ErrorCode::Stale) {        // replaced while waiting: the new files
        b = mail();
        if (!b) return b.error();
        idx = (*b)->read_index(true);
    }
    if (!idx) return idx.error();
    std::vector<uint32_t> out;
    for (auto& r : *idx) {                                     // FMT-118
        if (r.to != 0 || (r.attr & attr::DELETE)) continue;
        if (file_exists(mail_prefix_ + ".lock")) break;       // maintenance: leave the base alone
        auto h = (*b)->read_header(r.offset);
        if (!h || h->number != r.number) continue;
        if (h->attr & attr::DELETE) continue;
        if (h->get_u16(hf::RECIPIENTNETTYPE).value_or(net::NONE) != net::INTERNET) continue;
        if (h->get(hf::RECIPIENTNETADDR).empty()) continue;
        if (h->netattr & netattr::SENT) continue;
        if ((h->netattr & netattr::INTRANSIT) && !include_intransit) continue;
        out.push_back(r.number);
    }
    return out;
}

Result<uint32_t> SmbMailStore::add_sharing_data(uint32_t original, const MessageHeader& hdr) {
    return with_writer([&](SmbBase& b) { return b.add_sharing_data(original, hdr); });
}

Result<uint32_t> SmbMailStore::last_msg() {
    return with_writer([&](SmbBase& b) -> Result<uint32_t> {   // the base-header lock, exclusive
        auto s = b.status();
        if (!s) return s.error();
        return s->last_msg;
    });
}

void SmbMailStore::set_clock_for_test(std::function<uint64_t()> clock) {
    auto b = mail();                              // first: its handle keeps the base's tally alive
    if (b) (*b)->set_clock_for_test(clock);
    tally_for_base(mail_prefix_)->set_clock_for_test(std::move(clock));
}

} // namespace sbbs::smb
