// libFuzzer target for ctrl/mailproc.ini: the processor sections, their
// to/from patterns and flags, then every pattern matched against a
// recipient and a sender. The file lives in a private temp directory.
#include "config/mail_processors.h"
#include "fuzz_temp_dir.h"

#include <cstdint>
#include <string>

using namespace sbbs;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > 64 * 1024) return 0;
    static const fuzz::TempDir dir("mailprocfuzz");
    const std::string path = dir.file("mailproc.ini");
    if (!dir.ok() || !fuzz::write_file(path, {reinterpret_cast<const char*>(data), size})) return 0;
    Diagnostics diags;
    for (auto& p : load_mail_processors(path, diags)) {
        (void)p.to_matches("listserv@example.com", "ListServ@Example.COM");
        (void)p.from_matches("alice@remote.example");
        (void)p.claims_recipients();
    }
    return 0;
}
