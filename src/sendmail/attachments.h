// File attachments of outbound mail (SEND-70, SEND-82, SEND-91): named in
// the SMB subject, stored in data/file/<sender nnnn>.out/, removed once the
// message is delivered or given up.
#pragma once

#include "msgbase/message.h"

#include <string>
#include <vector>

namespace sbbs {

// POP3-93: white-space separated or double-quoted tokens, directory part
// removed, tokens with any of \ / | < > : " ; , % ? * ignored.
std::vector<std::string> attachment_names(const std::string& subject);
// "<data>file/<nnnn>.out/" for the message's sender; "" without a sender number.
std::string attachment_dir(const std::string& data_dir, const smb::MessageHeader& hdr);
// Deletes the files (missing ones are fine) and the directory once empty.
// False with `err` (errno-style) when a file could not be removed.
bool delete_attachments(const std::string& data_dir, const smb::MessageHeader& hdr, int& err);

} // namespace sbbs
