// Helpers for the anti-spam unit tests: a throw-away install (ctrl/, text/,
// data/) whose list files a test writes, and an AntiSpam over it.
#pragma once

#include "spam/anti_spam.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdlib.h>
#include <string>

namespace sbbs::test {
// Each module's test helpers get their own inline namespace (ODR).
inline namespace spam_support {

class SpamInstall {
public:
    SpamInstall() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "sbbsspam.XXXXXX").string();
        root_ = ::mkdtemp(tmpl.data());
        for (const char* d : {"ctrl", "text", "data"}) std::filesystem::create_directory(root_ + "/" + d);
        paths.ctrl = root_ + "/ctrl/";
        paths.text = root_ + "/text/";
        paths.logs = root_ + "/data/";
        paths.cache_interval_s = 0;
    }
    ~SpamInstall() {
        std::error_code ec;
        std::filesystem::remove_all(root_, ec);
    }
    SpamInstall(const SpamInstall&) = delete;
    SpamInstall& operator=(const SpamInstall&) = delete;

    // Writes `text` to <root>/<rel> (e.g. "text/ip.can").
    void write(const std::string& rel, const std::string& text) const {
        std::ofstream(root_ + "/" + rel, std::ios::binary) << text;
    }
    std::string read(const std::string& rel) const {
        std::ifstream in(root_ + "/" + rel, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }
    bool exists(const std::string& rel) const { return std::filesystem::exists(root_ + "/" + rel); }
    std::string path(const std::string& rel) const { return root_ + "/" + rel; }
    spam::AntiSpam rules() const { return spam::AntiSpam(paths); }

    spam::AntiSpamPaths paths;

private:
    std::string root_;
};

// A session from 127.0.0.5 to 127.0.0.1, unauthenticated.
inline spam::SessionInfo remote_session() {
    spam::SessionInfo s;
    s.ip = "127.0.0.5";
    s.server_ip = "127.0.0.1";
    s.client_id = "[127.0.0.5]";
    s.reverse_path = "<spammer@junk.example>";
    return s;
}

inline bool has_note(const spam::Decision& d, const std::string& text) {
    for (auto& n : d.notes)
        if (n.text.find(text) != std::string::npos) return true;
    return false;
}

} // inline namespace spam_support
} // namespace sbbs::test
