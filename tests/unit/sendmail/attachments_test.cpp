// Attachment names from the subject (the POP3-93 rules SendMail shares).
#include "sendmail/attachments.h"

#include <catch.hpp>

using namespace sbbs;

TEST_CASE("SEND-70 attachment names: tokens, quotes, directories dropped, unsafe names ignored", "[sendmail]") {
    CHECK(attachment_names("a.zip b.txt") == std::vector<std::string>{"a.zip", "b.txt"});
    CHECK(attachment_names("\"my file.doc\"  c.txt") == std::vector<std::string>{"my file.doc", "c.txt"});
    CHECK(attachment_names("dir/x.bin ..\\y.bin") == std::vector<std::string>{"x.bin", "y.bin"});
    CHECK(attachment_names("bad|name ok.txt what?.txt").size() == 1);
    smb::MessageHeader h;
    h.add(smb::hf::SENDEREXT, "12");
    CHECK(attachment_dir("/sbbs/data/", h) == "/sbbs/data/file/0012.out/");
    CHECK(attachment_dir("/sbbs/data/", smb::MessageHeader{}).empty());
}
