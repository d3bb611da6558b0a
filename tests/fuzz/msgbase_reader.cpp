// libFuzzer target for the SMB reader: the in-memory record decoders, the
// LZH decoder, and whole bases (three files cut from the input) opened,
// read message by message and walked by the checker.
#include "msgbase/checker.h"
#include "msgbase/codec.h"
#include "msgbase/lzh.h"
#include "msgbase/smb_base.h"
#include "fuzz_temp_dir.h"

#include <cstdint>
#include <string>
#include <unistd.h>

using namespace sbbs::smb;

namespace {

void whole_base(std::string_view in) {
    static const sbbs::fuzz::TempDir dir("smbfuzz");
    if (!dir.ok()) return;
    std::string prefix = dir.file("b");
    // Layout: u16 shd length, u16 sid length, then shd, sid, rest = sdt.
    if (in.size() < 4) return;
    size_t shd_len = std::min<size_t>(get16(in.data()), in.size() - 4);
    size_t sid_len = std::min<size_t>(get16(in.data() + 2), in.size() - 4 - shd_len);
    std::string_view body = in.substr(4);
    sbbs::fuzz::write_file(prefix + ".shd", body.substr(0, shd_len));
    sbbs::fuzz::write_file(prefix + ".sid", body.substr(shd_len, sid_len));
    sbbs::fuzz::write_file(prefix + ".sdt", body.substr(shd_len + sid_len));
    unlink((prefix + ".sha").c_str());
    unlink((prefix + ".sda").c_str());
    (void)check_base(prefix);
    BaseOptions o;
    o.read_only = true;
    o.retry_time_s = 0;
    auto b = SmbBase::open(prefix, o);
    if (!b) return;
    auto idx = (*b)->read_index(false);
    if (!idx) return;
    for (size_t i = 0; i < idx->size() && i < 64; ++i) (void)(*b)->read_message((*idx)[i].number, true);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
    switch (data[0] % 4) {
    case 0: (void)decode_header(in); (void)decode_base_header(in, "fuzz"); break;
    case 1: (void)decode_data_field(in); break;
    case 2: (void)lzh_decode(in); break;
    default: whole_base(in); break;
    }
    return 0;
}
