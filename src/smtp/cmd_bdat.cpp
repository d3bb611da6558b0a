// BDAT (RFC 3030 CHUNKING; ours, the original offers none, SMTP-62): chunks
// of an exact byte count with no dot-stuffing and no line-length rule, one
// reply per BDAT so they pipeline (RFC 2920). The chunks are assembled by
// DATA's MessageIntake and the last one goes through DATA's end-of-data
// checks and storage, so BDAT stores what DATA stores for the same text.
#include "smtp/session.h"

#include "util/strings.h"

#include <algorithm>

namespace sbbs::smtp {

namespace {
// Bytes asked of the reader at once: a chunk of any size costs at most this
// much beyond the message being kept (and nothing when discarded).
constexpr uint64_t kReadPiece = 64 * 1024;

struct BdatArgs {
    uint64_t size = 0;
    bool last = false;
};

// "BDAT" SP chunk-size [SP "LAST"] (RFC 3030 section 2), nothing more; a
// size of up to 19 digits always fits in 64 bits.
std::optional<BdatArgs> parse_bdat(std::string_view line) {
    std::vector<std::string> words;
    for (auto& w : split(line.substr(4), ' '))
        if (!w.empty()) words.push_back(w);
    if (line.size() > 4 && line[4] != ' ') return std::nullopt;
    if (words.empty() || words.size() > 2 || !all_digits(words[0]) || words[0].size() > 19) return std::nullopt;
    if (words.size() == 2 && !iequals(words[1], "LAST")) return std::nullopt;
    return BdatArgs{std::stoull(words[0]), words.size() == 2};
}
} // namespace

// The flush rule of read() (replies wait while the client has sent more),
// and the same time-out handling: every read has MaxInactivity.
ReadBytes SmtpSession::read_chunk_bytes(uint64_t left) {
    if (!io_->input_pending() || out_.size() > kMaxBufferedReplies) flush();
    ReadBytes r = io_->read_bytes(size_t(std::min(left, kReadPiece)), inactivity());
    if (r.status == ReadStatus::Timeout) {
        log_client(LogLevel::Warning, "!TIMEOUT in sock_recvbyte (" + std::to_string(inactivity()) +
                                          " seconds):  INACTIVE SOCKET");               // SMTP-39
        reply({421, "4.4.2", host() + " closing connection"});                        // SMTP-262
        flush();
    } else if (r.status != ReadStatus::Line) {
        log_client(LogLevel::Warning, "!Sender disconnected (premature evacuation)");   // SMTP-174
    } else if (spy_) {
        spy_chunk(r.bytes);
    }
    return r;
}

// SMTP-34: chunk bytes reach the spy log line by line as DATA's lines do; a
// line is written in parts of at most 1,000 bytes, so none is held whole.
void SmtpSession::spy_chunk(std::string_view bytes) {
    constexpr size_t kSpyPart = 1000;
    while (!bytes.empty()) {
        size_t nl = bytes.find('\n');
        size_t take = std::min(nl == std::string_view::npos ? bytes.size() : nl, kSpyPart - spy_partial_.size());
        spy_partial_.append(bytes.substr(0, take));
        bytes.remove_prefix(take);
        bool ended = !bytes.empty() && bytes.front() == '\n';
        if (ended) bytes.remove_prefix(1);
        if (ended || spy_partial_.size() >= kSpyPart) {
            spy_->write(trim_right(spy_partial_));
            spy_partial_.clear();
        }
    }
}

// A chunk's last line without a line end is written when the chunk ends.
void SmtpSession::spy_chunk_end() {
    if (spy_ && !spy_partial_.empty()) spy_->write(trim_right(spy_partial_));
    spy_partial_.clear();
}

// A chunk that is not wanted is still read to its end: its bytes must never
// be taken for commands (RFC 3030 section 2: a server that pipelines must
// accept and discard the chunks already sent after a failure).
bool SmtpSession::discard_chunk(uint64_t size) {
    while (size) {
        ReadBytes in = read_chunk_bytes(size);
        if (in.status != ReadStatus::Line) return false;
        size -= in.bytes.size();
    }
    return true;
}

SmtpSession::ChunkEnd SmtpSession::receive_chunk(Chunks& c, uint64_t size) {
    while (size) {
        ReadBytes in = read_chunk_bytes(size);
        if (in.status != ReadStatus::Line) return ChunkEnd::Lost;
        size -= in.bytes.size();
        c.intake.bytes(in.bytes);
        // ours (SMTP-171): past MaxMsgSize nothing more is kept; the rest
        // of this chunk is read and dropped and the transaction fails.
        if (c.spool.too_big) return discard_chunk(size) ? ChunkEnd::TooBig : ChunkEnd::Lost;
    }
    return ChunkEnd::Received;
}

SmtpSession::Flow SmtpSession::cmd_bdat(const std::string& line) {
    auto args = parse_bdat(line);
    if (!args) {
        // The chunk's length is unknown, so its bytes could not be told from
        // commands (a smuggled transaction): answer and end the session.
        log_client(LogLevel::Notice, "!BDAT syntax error: '" + line + "'");
        reply({501, "5.5.4", "Syntax error in BDAT parameters"});
        return Flow::Close;
    }
    if (phase_ != Phase::HaveRecipients) {                                            // RFC 3030 section 2
        bool read = discard_chunk(args->size);
        spy_chunk_end();
        if (!read) return Flow::Close;
        reply(bad_sequence());                                                        // 503 5.5.1
        return Flow::Continue;
    }
    if (!tx_.chunks) {
        bool telegram = tx_.kind != MailKind::Mail;
        log_client(LogLevel::Info, std::string("Receiving ") + (telegram ? "telegram" : "mail") + " message from " +
                                       tx_.reverse_path + " to " + tx_.last_rcpt + " (BDAT)");   // SMTP-162
        tx_.chunks = std::make_unique<Chunks>(!telegram, max_body());                 // SMTP-169
        if (tx_.binarymime && !telegram) tx_.chunks->intake.keep_body_binary();        // RFC 3030 section 3
        if (cfg_->mail.has(mail_opt::DEBUG_RX_HEADER))
            tx_.chunks->intake.on_header_line = [this](const std::string& l) { log_client(LogLevel::Debug, "RX: " + l); };
    }
    ChunkEnd end = receive_chunk(*tx_.chunks, args->size);
    spy_chunk_end();
    switch (end) {
    case ChunkEnd::Lost: return Flow::Close;
    case ChunkEnd::TooBig: {
        Reply r = too_big(tx_.chunks->spool);                                         // 552 5.3.4 (SMTP-190)
        log_client(LogLevel::Notice, "!" + r.text);
        reset_transaction();                                                          // the transaction has failed
        reply(r);
        return Flow::Continue;
    }
    case ChunkEnd::Received: break;
    }
    if (!args->last) {
        reply({250, "2.0.0", std::to_string(args->size) + " octets received"});
        return Flow::Continue;
    }
    std::unique_ptr<Chunks> c = std::move(tx_.chunks);
    c->intake.finish();
    phase_ = Phase::Ready;                                                            // SMTP-172
    if (tx_.binarymime && tx_.kind == MailKind::Mail) {
        if (auto refused = make_storable(c->spool)) {                                 // 554 5.6.5
            reset_transaction();
            reply(*refused);
            return Flow::Continue;
        }
    }
    Flow f = end_of_data(c->spool);
    reset_transaction();
    return f;
}

} // namespace sbbs::smtp
