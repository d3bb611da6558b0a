#include "config/loader.h"
#include "temp_install.h"

#include <catch.hpp>

using namespace sbbs;

namespace {

LoadOptions options_for(const test::TempInstall& inst) {
    LoadOptions o;
    o.ctrl_dir = inst.ctrl();
    o.host_name = "mailhost";
    return o;
}

ConfigPtr load_ok(const test::TempInstall& inst, Diagnostics& d) {
    auto r = load_config(options_for(inst), d);
    INFO((r ? std::string() : r.error().message));
    REQUIRE(r.ok());
    return *r;
}

const Diagnostic* fatal_about(const Diagnostics& d, const std::string& words) {
    for (const auto& x : d)
        if (x.fatal() && x.text().find(words) != std::string::npos) return &x;
    return nullptr;
}

void replace_in(const test::TempInstall& inst, const std::string& file, const std::string& from,
                const std::string& to) {
    std::string text = inst.read(file);
    size_t pos = text.find(from);
    REQUIRE(pos != std::string::npos);
    text.replace(pos, from.size(), to);
    inst.write(file, text);
}

} // namespace

TEST_CASE("CFG-97 CFG-98 CFG-99 CFG-100 CFG-101 CFG-103 main.ini root keys", "[config]") {
    test::TempInstall inst;
    Diagnostics d;
    auto cfg = load_ok(inst, d);
    CHECK(cfg->sys.name == "Test BBS");
    CHECK(cfg->sys.qwk_id == "TESTBBS");
    CHECK(cfg->sys.operator_name == "Sysop");
    CHECK(cfg->sys.settings == 0x611f848);
    CHECK((cfg->sys.settings & SystemSettings::SYS_FWDTONET) != 0);
    CHECK(cfg->sys.login == 0);
    CHECK(cfg->sys.cache_filter_files_s == 5);
}

TEST_CASE("CFG-104 node dirs are the [node_dir] keys in order, lower-cased, relative to ctrl", "[config]") {
    test::TempInstall inst;
    replace_in(inst, "ctrl/main.ini", "1=../node1/", "1=../Node1/\n\t2=/abs/NODE2");
    Diagnostics d;
    auto cfg = load_ok(inst, d);
    REQUIRE(cfg->sys.node_dirs.size() == 2);
    CHECK(cfg->sys.node_dirs[0] == inst.root() + "node1/");
    CHECK(cfg->sys.node_dirs[1] == "/abs/node2/");
    CHECK(cfg->paths.text == inst.root() + "text/");
}

TEST_CASE("CFG-105 [dir] defaults: data ../data/, logs = data", "[config]") {
    test::TempInstall inst;
    replace_in(inst, "ctrl/main.ini", "\tdata=../data/\n\texec=../exec/\n\tmods=../mods/\n\tlogs=../data/\n",
               "\tdata=/srv/bbsdata\n");
    Diagnostics d;
    auto cfg = load_ok(inst, d);
    CHECK(cfg->paths.data == "/srv/bbsdata/");
    CHECK(cfg->paths.logs == "/srv/bbsdata/");
    CHECK(cfg->paths.exec == inst.root() + "exec/");
    CHECK(cfg->mail_base() == "/srv/bbsdata/mail");
}

TEST_CASE("CFG-106 [level:N] emailperday; levels without a section default to N", "[config]") {
    test::TempInstall inst;
    Diagnostics d;
    auto cfg = load_ok(inst, d);
    CHECK(cfg->sys.level(10).email_per_day == 3);
    CHECK(cfg->sys.level(10).posts_per_day == 10);
    CHECK(cfg->sys.level(99).email_per_day == 9999);
    CHECK(cfg->sys.level(0).posts_per_day == 0);
    CHECK(cfg->sys.level(20).email_per_day == 20);
    CHECK(cfg->sys.levels.size() == 3);
}

TEST_CASE("CFG-109 text_dir from the first node's node.ini, else ../text/ with a warning", "[config]") {
    test::TempInstall inst;
    replace_in(inst, "node1/node.ini", "text_dir=../text/", "text_dir=/srv/text");
    Diagnostics d;
    CHECK(load_ok(inst, d)->paths.text == "/srv/text/");
    inst.remove("node1/node.ini");
    Diagnostics d2;
    auto cfg = load_ok(inst, d2);
    CHECK(cfg->paths.text == inst.root() + "text/");
    bool warned = false;
    for (const auto& x : d2) warned |= x.level == LogLevel::Warning && x.file == inst.root() + "node1/node.ini";
    CHECK(warned);
}

TEST_CASE("CFG-110 CFG-111 CFG-112 msgs.ini root and [mail] keys", "[config]") {
    test::TempInstall inst;
    Diagnostics d;
    auto cfg = load_ok(inst, d);
    CHECK(cfg->msgs.settings == 0xffff0000);
    CHECK((cfg->msgs.settings & MsgsSettings::MM_REALNAME) != 0);
    CHECK(cfg->msgs.smb_retry_time_s == 30);
    CHECK(cfg->msgs.mail_max_age == 90);
    CHECK(cfg->msgs.mail_max_spam_age == 30);
    CHECK(cfg->msgs.mail_max_crcs == 0);
}

TEST_CASE("CFG-113 CFG-114 CFG-115 sub-boards: codes with group prefix, data dirs, keys", "[config]") {
    test::TempInstall inst;
    Diagnostics d;
    auto cfg = load_ok(inst, d);
    REQUIRE(cfg->msgs.subs.size() == 2);
    const SubBoard* deb = cfg->msgs.find_sub("DOVE-DEB");
    REQUIRE(deb != nullptr);
    CHECK(deb->code == "dove-deb");
    CHECK(deb->name == "Debate");
    CHECK(deb->ptridx == 1);
    CHECK(deb->settings == 0xc068008);
    CHECK(deb->max_msgs == 1000);
    CHECK(deb->data_dir == inst.root() + "data/subs/");
    CHECK(deb->base_path() == inst.root() + "data/subs/dove-deb");
    CHECK(cfg->msgs.find_sub("general")->code == "general");
    CHECK(cfg->msgs.find_sub("nope") == nullptr);
}

TEST_CASE("CFG-114 a sub whose group does not exist is skipped with a diagnostic", "[config]") {
    test::TempInstall inst;
    std::string msgs = inst.read("ctrl/msgs.ini");
    msgs.insert(msgs.find("[FidoNet]"), "[sub:NoSuchGroup:X]\nptridx=7\n[sub:nocolon]\nptridx=8\n"
                                        "[sub:local:extra]\nptridx=9\ndata_dir=../msgs/extra\n");
    inst.write("ctrl/msgs.ini", msgs);
    Diagnostics d;
    auto cfg = load_ok(inst, d);
    REQUIRE(cfg->msgs.subs.size() == 3);
    CHECK(cfg->msgs.subs[2].code == "extra");
    CHECK(cfg->msgs.subs[2].data_dir == inst.root() + "msgs/extra/");
    int skipped = 0;
    for (const auto& x : d) skipped += x.message.find("skipped") != std::string::npos;
    CHECK(skipped == 2);
}

TEST_CASE("CFG-117 CFG-118 CFG-119 FidoNet, QWK hubs and [Internet]", "[config]") {
    test::TempInstall inst;
    Diagnostics d;
    auto cfg = load_ok(inst, d);
    CHECK(cfg->msgs.fido_addresses == std::vector<std::string>{"1:999/1"});
    REQUIRE(cfg->msgs.qwk_hubs.size() == 1);
    CHECK(cfg->msgs.qwk_hubs[0].id == "VERT");
    CHECK_FALSE(cfg->msgs.qwk_hubs[0].enabled);
    REQUIRE(cfg->msgs.qwk_hub_subs.size() == 1);
    CHECK(cfg->msgs.qwk_hub_subs[0].hub_id == "VERT");
    CHECK(cfg->msgs.qwk_hub_subs[0].conf == 2004);
    CHECK(cfg->msgs.qwk_hub_subs[0].sub_code == "DOVE-DEB");
    CHECK(cfg->msgs.inet_addr == "testbbs.example");
    CHECK(cfg->msgs.smtp_sem.empty());
}

TEST_CASE("CFG-168 missing main.ini or msgs.ini refuses to start, naming the path", "[config]") {
    for (const char* name : {"main.ini", "msgs.ini"}) {
        test::TempInstall inst;
        inst.remove(std::string("ctrl/") + name);
        Diagnostics d;
        auto r = load_config(options_for(inst), d);
        CHECK_FALSE(r.ok());
        CHECK(fatal_about(d, inst.ctrl() + name) != nullptr);
    }
}

TEST_CASE("CFG-168 duplicate ptridx or sub code refuses to start, naming file and line", "[config]") {
    test::TempInstall inst;
    replace_in(inst, "ctrl/msgs.ini", "ptridx=1", "ptridx=0");
    Diagnostics d;
    CHECK_FALSE(load_config(options_for(inst), d).ok());
    const Diagnostic* dup = fatal_about(d, "ptridx");
    REQUIRE(dup != nullptr);
    CHECK(dup->file == inst.ctrl() + "msgs.ini");
    CHECK(dup->line > 0);

    test::TempInstall inst2;
    std::string msgs = inst2.read("ctrl/msgs.ini");
    msgs.insert(msgs.find("[FidoNet]"), "[sub:Local:General]\nptridx=5\n");
    inst2.write("ctrl/msgs.ini", msgs);
    Diagnostics d2;
    CHECK_FALSE(load_config(options_for(inst2), d2).ok());
    CHECK(fatal_about(d2, "code general") != nullptr);
}

TEST_CASE("CFG-168 ports out of range and shared listener address+port refuse to start", "[config]") {
    test::TempInstall inst;
    replace_in(inst, "ctrl/sbbs.ini", "SMTPPort = 10025", "SMTPPort = 70000");
    Diagnostics d;
    CHECK_FALSE(load_config(options_for(inst), d).ok());
    CHECK(fatal_about(d, "sbbs.ini:34: SMTPPort") != nullptr);

    test::TempInstall inst2;
    replace_in(inst2, "ctrl/sbbs.ini", "POP3Port = 10110", "POP3Port = 10587");
    Diagnostics d2;
    CHECK_FALSE(load_config(options_for(inst2), d2).ok());
    CHECK(fatal_about(d2, "127.0.0.1 port 10587") != nullptr);
    // A listener that is not enabled does not clash.
    test::TempInstall inst3;
    replace_in(inst3, "ctrl/sbbs.ini", "TLSPOP3Port = 10995", "TLSPOP3Port = 10025");
    Diagnostics d3;
    CHECK(load_config(options_for(inst3), d3).ok());
}

TEST_CASE("CFG-107 CFG-108 main.ini sections and keys we do not need are read without diagnostics", "[config]") {
    test::TempInstall inst;
    std::string main = inst.read("ctrl/main.ini");
    main += "[module:x]\nfoo=bar\n[event:nightly]\ncmd=x\n";
    inst.write("ctrl/main.ini", main);
    Diagnostics d;
    auto cfg = load_ok(inst, d);
    CHECK(d.empty());
}

TEST_CASE("CFG-169 ctrl/text.dat is not needed to start", "[config]") {
    test::TempInstall inst;
    inst.remove("ctrl/text.dat");
    Diagnostics d;
    CHECK(load_config(options_for(inst), d).ok());
    CHECK(d.empty());
}
