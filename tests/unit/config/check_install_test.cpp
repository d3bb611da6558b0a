#include "config/check_install.h"
#include "temp_install.h"

#include <catch.hpp>

#include <algorithm>

using namespace sbbs;

namespace {

LoadOptions options_for(const test::TempInstall& inst) {
    LoadOptions o;
    o.ctrl_dir = inst.ctrl();
    o.host_name = "checkhost";
    return o;
}

std::string all_text(const Diagnostics& d) {
    std::string s;
    for (const auto& x : d) s += x.text() + "\n";
    return s;
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

TEST_CASE("CFG-167 the sample install checks clean: no Warning or Error anywhere", "[config]") {
    test::TempInstall inst;
    InstallCheck c = check_install(options_for(inst));
    INFO(all_text(c.diags));
    CHECK(c.ok());
    CHECK(c.clean());
    auto lists = filter_list_paths(c.config->paths);
    CHECK(std::find(lists.begin(), lists.end(), inst.root() + "data/user/0005.smtpblock") != lists.end());
    CHECK(std::find(lists.begin(), lists.end(), inst.root() + "text/ip.can") != lists.end());
}

TEST_CASE("CFG-167 a bad Options flag and a bad duration are reported with file:line", "[config]") {
    test::TempInstall inst;
    replace_in(inst, "ctrl/sbbs.ini", "| NO_RECYCLE", "| NO_RECYLCE");
    replace_in(inst, "ctrl/sbbs.ini", "MaxInactivity = 30s", "MaxInactivity = soon");
    InstallCheck c = check_install(options_for(inst));
    std::string text = all_text(c.diags);
    INFO(text);
    CHECK(c.ok());
    CHECK_FALSE(c.clean());
    CHECK(text.find(inst.ctrl() + "sbbs.ini:64: Options: unknown flag \"NO_RECYLCE\"") != std::string::npos);
    CHECK(text.find(inst.ctrl() + "sbbs.ini:40: MaxInactivity: not a duration") != std::string::npos);
}

TEST_CASE("CFG-167 list and alias problems are reported with file:line", "[config]") {
    test::TempInstall inst;
    inst.write("text/host.can", inst.read("text/host.can") + "!good.example\n");
    inst.write("ctrl/alias.cfg", inst.read("ctrl/alias.cfg") + "huge " + std::string(200, 'x') + "\n");
    InstallCheck c = check_install(options_for(inst));
    std::string text = all_text(c.diags);
    INFO(text);
    CHECK(text.find(inst.root() + "text/host.can:6: the last entry is negated") != std::string::npos);
    CHECK(text.find(inst.ctrl() + "alias.cfg:23: line longer") != std::string::npos);
}

TEST_CASE("CFG-168 a missing main.ini fails the check naming the file", "[config]") {
    test::TempInstall inst;
    inst.remove("ctrl/main.ini");
    InstallCheck c = check_install(options_for(inst));
    CHECK_FALSE(c.ok());
    CHECK(all_text(c.diags).find(inst.ctrl() + "main.ini: missing") != std::string::npos);
}
