// ctrl/msgs.ini reading (see msgs_ini.h).
#include "config/msgs_ini.h"

#include "config/ini_get.h"
#include "config/install_paths.h"
#include "util/strings.h"

#include <cstdlib>

namespace sbbs {

namespace {

struct Group {
    std::string name;
    std::string code_prefix;
};

const IniSection* named(const IniFile& ini, std::string_view name) {
    for (const IniSection* s : ini.sections_with_prefix(name))
        if (iequals(s->name, name)) return s;
    return nullptr;
}

std::vector<Group> read_groups(const IniFile& ini, Diagnostics& diags) {
    std::vector<Group> groups;
    for (const IniSection* s : ini.sections_with_prefix("grp:")) {
        IniGetter g(s, diags);
        groups.push_back({s->name.substr(4), g.get_string("code_prefix", "")});
    }
    return groups;
}

const Group* find_group(const std::vector<Group>& groups, std::string_view name) {
    for (const Group& g : groups)
        if (iequals(g.name, name)) return &g;
    return nullptr;
}

void check_unique(const std::vector<SubBoard>& subs, const std::vector<const IniSection*>& where,
                  Diagnostics& diags) {
    for (size_t i = 0; i < subs.size(); ++i)
        for (size_t j = 0; j < i; ++j) {
            std::string other = where[j]->file + ":" + std::to_string(where[j]->line);
            if (subs[i].ptridx == subs[j].ptridx)
                diags.push_back({LogLevel::Error, where[i]->file, where[i]->line,
                                 "sub-board " + subs[i].code + " has the same ptridx (" +
                                     std::to_string(subs[i].ptridx) + ") as " + subs[j].code + " at " + other});
            if (iequals(subs[i].code, subs[j].code))
                diags.push_back({LogLevel::Error, where[i]->file, where[i]->line,
                                 "sub-board code " + subs[i].code + " is also defined at " + other});
        }
}

void read_subs(const IniFile& ini, const std::string& ctrl, const std::string& data_dir, MsgsSettings& m,
               Diagnostics& diags) {
    std::vector<Group> groups = read_groups(ini, diags);
    std::vector<const IniSection*> where;
    for (const IniSection* s : ini.sections_with_prefix("sub:")) {
        std::string rest = s->name.substr(4);
        size_t colon = rest.rfind(':');
        const Group* grp = colon == std::string::npos ? nullptr : find_group(groups, rest.substr(0, colon));
        if (!grp) {  // CFG-114: skipped (the original corrupts its sub table here)
            diags.push_back({LogLevel::Warning, s->file, s->line,
                             "[" + s->name + "] names no existing [grp:...]: sub-board skipped"});
            continue;
        }
        std::string suffix = rest.substr(colon + 1);
        IniGetter g(s, diags);
        SubBoard sub;
        sub.code = to_lower(grp->code_prefix + suffix);
        sub.name = g.get_string("name", suffix);
        sub.description = g.get_string("description", suffix);
        std::string dir = g.get_string("data_dir", "");
        sub.data_dir = dir.empty() ? data_dir + "subs/" : resolve_dir(ctrl, dir);
        sub.ars = g.get_string("ars", "");
        sub.post_ars = g.get_string("post_ars", "");
        sub.settings = g.get_uint("settings", 0);
        sub.ptridx = uint32_t(g.get_int("ptridx", 0));
        sub.max_msgs = uint32_t(g.get_int("max_msgs", 0));
        sub.max_crcs = uint32_t(g.get_int("max_crcs", 0));
        sub.max_age = uint32_t(g.get_int("max_age", 0));
        m.subs.push_back(std::move(sub));
        where.push_back(s);
    }
    check_unique(m.subs, where, diags);
}

void read_qwk_hubs(const IniFile& ini, MsgsSettings& m, Diagnostics& diags) {
    for (const IniSection* s : ini.sections_with_prefix("qhub:")) {
        IniGetter g(s, diags);
        QwkHub hub;
        hub.id = s->name.substr(5);
        hub.enabled = g.get_bool("enabled", true);  // the original's default is true
        std::string prefix = "qhubsub:" + hub.id + ":";
        for (const IniSection* q : ini.sections_with_prefix(prefix)) {
            IniGetter qg(q, diags);
            QwkHubSub sub;
            sub.hub_id = hub.id;
            sub.conf = uint16_t(std::atoi(q->name.c_str() + prefix.size()));
            sub.sub_code = qg.get_string("sub", "");
            sub.mode = qg.get_uint("mode", 0);
            if (!m.find_sub(sub.sub_code)) {
                diags.push_back({LogLevel::Warning, q->file, q->line,
                                 "[" + q->name + "] names unknown sub-board \"" + sub.sub_code + "\": ignored"});
                continue;
            }
            m.qwk_hub_subs.push_back(std::move(sub));
        }
        m.qwk_hubs.push_back(std::move(hub));
    }
}

} // namespace

const SubBoard* MsgsSettings::find_sub(const std::string& code) const {
    for (const SubBoard& s : subs)
        if (iequals(s.code, code)) return &s;
    return nullptr;
}

MsgsSettings read_msgs_ini(const IniFile& ini, const std::string& ctrl, const std::string& data_dir,
                           Diagnostics& diags) {
    MsgsSettings m;
    IniGetter root(&ini.root(), diags);
    m.settings = root.get_uint("settings", 0xFFFF0000);
    m.smb_retry_time_s = uint32_t(root.get_int("smb_retry_time", 30));
    IniGetter mail(named(ini, "mail"), diags);
    m.mail_max_crcs = uint32_t(mail.get_int("max_crcs", 0));
    m.mail_max_age = uint32_t(mail.get_int("max_age", 0));
    m.mail_max_spam_age = uint32_t(mail.get_int("max_spam_age", 0));
    read_subs(ini, ctrl, data_dir, m, diags);
    IniGetter fido(named(ini, "FidoNet"), diags);
    m.fido_addresses = fido.get_list("addr_list", {});
    m.fido_netmail_sem = fido.get_string("netmail_sem", "");
    read_qwk_hubs(ini, m, diags);
    IniGetter inet(named(ini, "Internet"), diags);
    m.inet_addr = inet.get_string("addr", "");
    m.smtp_sem = inet.get_string("smtp_sem", "");
    return m;
}

} // namespace sbbs
