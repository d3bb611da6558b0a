// Signing test mail with Debian's python3-dkim, an implementation
// independent of libopendkim, run as a child process in a temporary directory.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <unistd.h>

namespace sbbs::test {

struct TempDir {
    std::string path;       // ends in '/'
    TempDir() {
        std::random_device rd;
        auto p = std::filesystem::temp_directory_path() / ("sbbsmail-auth-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(p);
        path = p.string() + "/";
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

// Debian's interpreter, where python3-dkim lives (not a pyenv shim).
inline std::string debian_python() { return access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3"; }

inline bool have_python_dkim() {
    return std::system((debian_python() + " -c 'import dkim, nacl.signing' 2>/dev/null").c_str()) == 0;
}

// The DKIM-Signature field (relaxed/relaxed, ed25519-sha256, d=example.com,
// s=s1, h=from:to:subject) for `message`, signed with the base64 Ed25519
// seed `key`; "" on failure.
inline std::string python_ed25519_signature(const TempDir& dir, const std::string& message, const std::string& key) {
    { std::ofstream(dir.path + "msg.eml", std::ios::binary) << message; }
    std::ofstream(dir.path + "sign.py")
        << "import dkim, sys\n"
           "msg = open(sys.argv[1], 'rb').read()\n"
           "sig = dkim.sign(msg, b's1', b'example.com', sys.argv[2].encode(), canonicalize=(b'relaxed', b'relaxed'),\n"
           "                signature_algorithm=b'ed25519-sha256', include_headers=[b'from', b'to', b'subject'])\n"
           "sys.stdout.buffer.write(sig)\n";
    std::string cmd = debian_python() + " " + dir.path + "sign.py " + dir.path + "msg.eml " + key;
    std::string out;
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return out;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    if (pclose(p) != 0) return "";
    return out;
}

} // namespace sbbs::test
