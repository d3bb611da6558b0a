// User flags that decide mail acceptance, on the sample install's users.
#include "temp_install.h"

#include "config/settings.h"
#include "userbase/mail_policy.h"
#include "userbase/tab_user_directory.h"
#include "util/strings.h"

#include <catch.hpp>

using namespace sbbs;

namespace {

struct Env {
    test::TempInstall inst;
    Config cfg;
    std::unique_ptr<TabUserDirectory> dir;
    Env() {
        cfg.mail.max_msgs_waiting = 5;
        cfg.mail.max_recipients = 10;
        cfg.sys.levels[10].email_per_day = 3;
        cfg.sys.levels[50].email_per_day = 50;
        cfg.sys.settings = 0x611f848;
        TabUserDirectoryOptions o;
        o.data_dir = inst.data();
        auto d = TabUserDirectory::open(std::move(o));
        REQUIRE(d.ok());
        dir = std::move(*d);
    }
    User user(uint32_t n) { return dir->get(n).value(); }
};

bool local(std::string_view d) { return iequals(d, "testbbs.example"); }

} // namespace

TEST_CASE("USER-36 restriction I: closed to unauthenticated senders only") {
    Env e;
    CHECK(closed_mailbox(e.user(4), false));
    CHECK_FALSE(closed_mailbox(e.user(4), true));
    CHECK_FALSE(closed_mailbox(e.user(2), false));
}

TEST_CASE("USER-35 exemption W lifts MaxMsgsWaiting") {
    Env e;
    CHECK(mailbox_full(e.cfg, e.user(2), 6));
    CHECK_FALSE(mailbox_full(e.cfg, e.user(2), 5));
    CHECK_FALSE(mailbox_full(e.cfg, e.user(1), 600));     // the sysop is exempt from everything
    e.cfg.mail.max_msgs_waiting = 0;
    CHECK_FALSE(mailbox_full(e.cfg, e.user(2), 600));
}

TEST_CASE("USER-34 emails per day and pending sent mail, lifted by exemption M") {
    Env e;
    User nora = e.user(6);                 // level 10: 3 per day
    CHECK_FALSE(email_limit_reached(e.cfg, nora, 2));
    CHECK(email_limit_reached(e.cfg, nora, 3));
    nora.etoday = 2;
    CHECK(email_limit_reached(e.cfg, nora, 1));
    User sysop = e.user(1);
    sysop.etoday = 1000;
    CHECK_FALSE(email_limit_reached(e.cfg, sysop, 1));
    User bob = e.user(2);
    bob.level = 20;                        // no [level:20]: 20 per day
    bob.etoday = 19;
    CHECK(email_limit_reached(e.cfg, bob, 1));
    CHECK(pending_limit_reached(e.cfg, e.user(2), 3, 8));
    CHECK_FALSE(pending_limit_reached(e.cfg, e.user(2), 2, 8));
    CHECK_FALSE(pending_limit_reached(e.cfg, sysop, 3, 80));
}

TEST_CASE("USER-37 USER-38 restrictions M and G forbid sending outside") {
    Env e;
    CHECK_FALSE(may_send_external(e.user(6)));
    CHECK(may_send_external(e.user(2)));
    User guest = e.user(2);
    guest.rest = User::letter('G');
    CHECK_FALSE(may_send_external(guest));
}

TEST_CASE("USER-33 forwarding to NETMAIL and when it does not happen") {
    Env e;
    User bob = e.user(2);
    auto fwd = forward_address(e.cfg, bob, {}, local);
    REQUIRE(fwd.has_value());
    CHECK(*fwd == "bob@remote.example");
    ForwardContext keep;
    keep.local_prefix = true;
    CHECK_FALSE(forward_address(e.cfg, bob, keep, local));
    ForwardContext tele;
    tele.telegram = true;
    CHECK_FALSE(forward_address(e.cfg, bob, tele, local));
    ForwardContext qwk;
    qwk.qwk_routed = true;
    CHECK_FALSE(forward_address(e.cfg, bob, qwk, local));
    User tess = e.user(5);                 // no NETMAIL flag, no address
    ForwardContext force;
    force.forward_prefix = true;
    CHECK_FALSE(forward_address(e.cfg, tess, force, local));
    tess.netmail = "tess@elsewhere.example";
    CHECK_FALSE(forward_address(e.cfg, tess, {}, local));
    CHECK(forward_address(e.cfg, tess, force, local).value() == "tess@elsewhere.example");
    bob.netmail = "bob@TESTBBS.example";   // a local domain: stored here
    CHECK_FALSE(forward_address(e.cfg, bob, {}, local));
    bob.netmail = "1:2/3";                 // not an Internet address
    CHECK_FALSE(forward_address(e.cfg, bob, {}, local));
    e.cfg.sys.settings &= ~SystemSettings::SYS_FWDTONET;
    CHECK_FALSE(forward_address(e.cfg, e.user(2), {}, local));
}

TEST_CASE("USER-40 USER-41 restrictions E and S, and sysop level, change nothing for mail") {
    Env e;
    User bob = e.user(2);
    bob.rest = User::letter('E') | User::letter('S');
    CHECK(may_send_external(bob));
    CHECK_FALSE(closed_mailbox(bob, false));
    User boss = e.user(2);
    boss.level = 99;                       // sysop level, no exemptions
    e.cfg.sys.levels[99].email_per_day = 5;
    boss.etoday = 5;
    CHECK(email_limit_reached(e.cfg, boss, 0));
    CHECK(mailbox_full(e.cfg, boss, 6));
}
