// stamp_of (file_stamp.h): util's file_stamp, with a missing file as an error.
#include "msgbase/file_stamp.h"

namespace sbbs::smb {

Result<FileStamp> stamp_of(const std::string& path) {
    FileStamp s = file_stamp(path);
    if (!s.exists) return make_error(path + ": cannot read its metadata (stat)", ErrorCode::Io);
    return s;
}

} // namespace sbbs::smb
