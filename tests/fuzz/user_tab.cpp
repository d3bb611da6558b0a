// libFuzzer target for the user base reader: user.tab records (the field
// codec, typed fields, record editing), a whole user.tab file read record by
// record from a private temp directory, and access requirement strings.
#include "userbase/ars.h"
#include "userbase/record_lock.h"
#include "userbase/user_record.h"
#include "userbase/user_tab_file.h"
#include "fuzz_temp_dir.h"

#include <cstdint>
#include <string>

using namespace sbbs;

namespace {

void one_record(const UserRecord& r, uint32_t number) {
    User u = r.to_user(number, 1700000000);
    (void)r.daily_reset_due(1700000000);
    (void)r.with({set_text(userfield::NETMAIL, "fuzz@example.com"), set_number(userfield::EMAILS, 42)});
    (void)evaluate_ars(r.field(userfield::NOTE), u);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > 8 * kUserRecordLen) return 0;
    std::string raw(reinterpret_cast<const char*>(data), size);
    one_record(UserRecord(raw.substr(0, kUserRecordLen)), 1);

    static const fuzz::TempDir dir("usertabfuzz");
    const std::string path = dir.file("user.tab");
    if (!dir.ok() || !fuzz::write_file(path, raw)) return 0;
    RetryPolicy retry;
    retry.max_attempts = 1;
    retry.sleep = [](unsigned) {};
    UserTabFile tab(path, retry);
    (void)tab.last_user();
    if (auto all = tab.read_all()) {
        uint32_t n = 0;
        for (auto& r : *all) one_record(r, ++n);
    }
    return 0;
}
