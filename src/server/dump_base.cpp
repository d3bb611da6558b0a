// The --dump-base writer (see dump_base.h).
#include "server/dump_base.h"

#include "msgbase/smb_base.h"

namespace sbbs {

namespace {

// Each byte as its own code point: Python's .encode("latin-1") gives the bytes back.
std::string json_string(const std::string& bytes) {
    std::string out = "\"";
    for (unsigned char c : bytes) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += char(c);
        } else if (c < 0x20 || c >= 0x7F) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out += char(c);
        }
    }
    return out + "\"";
}

std::string message_json(const smb::IndexRecord& idx, const smb::Message& m) {
    const auto& h = m.hdr;
    std::string j = "{\"number\": " + std::to_string(h.number) + ", \"attr\": " + std::to_string(h.attr) +
                    ", \"netattr\": " + std::to_string(h.netattr) + ", \"auxattr\": " + std::to_string(h.auxattr) +
                    ", \"delivery_attempts\": " + std::to_string(h.delivery_attempts) +
                    ", \"index\": {\"to\": " + std::to_string(idx.to) + ", \"from\": " + std::to_string(idx.from) +
                    ", \"subj\": " + std::to_string(idx.subj) + ", \"attr\": " + std::to_string(idx.attr) +
                    ", \"time\": " + std::to_string(idx.time) + "}, \"fields\": [";
    for (size_t i = 0; i < h.fields.size(); ++i)
        j += (i ? ", [" : "[") + std::to_string(h.fields[i].type) + ", " + json_string(h.fields[i].data) + "]";
    return j + "], \"body\": " + json_string(m.body) + ", \"tail\": " + json_string(m.tail) + "}";
}

} // namespace

int dump_base(const std::string& prefix, std::FILE* out, std::FILE* err) {
    smb::BaseOptions opt;
    opt.read_only = true;
    auto base = smb::SmbBase::open(prefix, opt);
    if (!base) {
        std::fprintf(err, "sbbsmail: %s: %s\n", prefix.c_str(), base.error().message.c_str());
        return 1;
    }
    auto index = (*base)->read_index(true);
    if (!index) {
        std::fprintf(err, "sbbsmail: %s: %s\n", prefix.c_str(), index.error().message.c_str());
        return 1;
    }
    std::fputs("[", out);
    bool first = true;
    for (const auto& idx : *index) {
        auto m = (*base)->read_message(idx.number, true);
        if (!m) {
            std::fprintf(err, "sbbsmail: message %u: %s\n", idx.number, m.error().message.c_str());
            return 1;
        }
        std::fprintf(out, "%s\n%s", first ? "" : ",", message_json(idx, *m).c_str());
        first = false;
    }
    std::fputs("\n]\n", out);
    return 0;
}

} // namespace sbbs
