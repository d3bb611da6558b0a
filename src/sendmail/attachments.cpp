// Outbound attachment files (see attachments.h).
#include "sendmail/attachments.h"

#include "msgbase/smb_defs.h"

#include <cstdio>
#include <filesystem>

namespace sbbs {

namespace fs = std::filesystem;

std::vector<std::string> attachment_names(const std::string& subject) {
    std::vector<std::string> raw;
    size_t i = 0;
    while (i < subject.size()) {
        while (i < subject.size() && (subject[i] == ' ' || subject[i] == '\t')) ++i;
        if (i >= subject.size()) break;
        size_t end;
        if (subject[i] == '"') {
            end = subject.find('"', i + 1);
            if (end == std::string::npos) end = subject.size();
            raw.push_back(subject.substr(i + 1, end - i - 1));
            i = end + 1;
            continue;
        }
        end = subject.find_first_of(" \t", i);
        if (end == std::string::npos) end = subject.size();
        raw.push_back(subject.substr(i, end - i));
        i = end;
    }
    std::vector<std::string> out;
    for (auto& t : raw) {
        // "Directory part removed" first, then anything path-like is refused.
        auto slash = t.find_last_of("/\\");
        std::string name = slash == std::string::npos ? t : t.substr(slash + 1);
        if (name.empty() || name.find_first_of("\\/|<>:\";,%?*") != std::string::npos || name == "." ||
            name == "..")
            continue;
        out.push_back(name);
    }
    return out;
}

std::string attachment_dir(const std::string& data_dir, const smb::MessageHeader& hdr) {
    auto ext = hdr.last(smb::hf::SENDEREXT);
    if (!ext || ext->empty()) return {};
    char nnnn[16];
    std::snprintf(nnnn, sizeof nnnn, "%04u", static_cast<unsigned>(std::stoul("0" + *ext)));
    return data_dir + "file/" + nnnn + ".out/";
}

bool delete_attachments(const std::string& data_dir, const smb::MessageHeader& hdr, int& err) {
    err = 0;
    std::string dir = attachment_dir(data_dir, hdr);
    if (dir.empty()) return true;
    bool ok = true;
    for (auto& name : attachment_names(hdr.get(smb::hf::SUBJECT))) {
        std::error_code ec;
        fs::remove(dir + name, ec);
        if (ec) {
            ok = false;
            err = ec.value();
        }
    }
    std::error_code ec;
    if (fs::is_directory(dir, ec) && fs::is_empty(dir, ec)) fs::remove(dir, ec);
    return ok;
}

} // namespace sbbs
