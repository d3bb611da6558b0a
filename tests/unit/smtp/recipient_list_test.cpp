#include "msgbase/smb_defs.h"
#include "smtp/recipient_list.h"

#include <catch.hpp>

using namespace sbbs;
using namespace sbbs::smtp;

TEST_CASE("SMTP-158 the recipient list file: [0], [1] ... with To, ToExt, ToNetType, ToNetAddr, SMTPForwardPath", "[smtp]") {
    std::vector<Recipient> rcpts = {
        {"sysop@bbs", 1, 0, "", "<sysop@bbs>", false, {}},
        {"list@bbs", 0, 0, "", "<list@bbs>", false, {}},
        {"far@away", 0, smb::net::INTERNET, "far@away", "<far@away>", false, {}},
        {"joe@bbs", 5, smb::net::INTERNET, "joe@else", "", true, {}},
    };
    std::string text = recipient_list_text(rcpts);
    CHECK(text.rfind("[0]\nTo=sysop@bbs\nToExt=1\nSMTPForwardPath=<sysop@bbs>\n[1]\n", 0) == 0);
    auto back = parse_recipient_list(text);
    REQUIRE(back.size() == 4);
    for (size_t i = 0; i < 4; ++i) {
        CHECK(back[i].to == rcpts[i].to);
        CHECK(back[i].ext == rcpts[i].ext);
        CHECK(back[i].net_type == rcpts[i].net_type);
        CHECK(back[i].net_addr == rcpts[i].net_addr);
        CHECK(back[i].forward_path == rcpts[i].forward_path);
        CHECK(back[i].forwarded == rcpts[i].forwarded);
    }
}

TEST_CASE("SMTP-223 a processor's rewritten list is read as written; line breaks in values cannot add keys", "[smtp]") {
    auto list = parse_recipient_list("[0]\nTo=new@bbs\nToExt=2\n\n[7]\nTo = other@x\nToNetType=5\nToNetAddr=other@x\n");
    REQUIRE(list.size() == 2);
    CHECK(list[0].to == "new@bbs");
    CHECK(list[0].ext == 2);
    CHECK(list[1].net_type == smb::net::INTERNET);
    std::string text = recipient_list_text({{"a\r\nToExt=1", 0, 0, "", "", false, {}}});
    CHECK(parse_recipient_list(text)[0].ext == 0);
}
