// RCPT TO: parsing, limits, routing and local recipient resolution.
#include "harness.h"

#include "smtp/address.h"
#include "smtp/sasl.h"

#include <catch.hpp>

using namespace smtptest;

static std::string auth_mary() { return "AUTH PLAIN " + base64_encode(std::string("\0Mary\0maryPW", 12)); }

// The reply to the single RCPT of "EHLO, MAIL, RCPT".
static std::string rcpt_reply(Harness& h, const std::string& rcpt, const std::string& from = "<a@remote.org>",
                              std::vector<std::string> prelude = {}) {
    std::vector<std::string> s{"EHLO x"};
    s.insert(s.end(), prelude.begin(), prelude.end());
    s.push_back("MAIL FROM:" + from);
    s.push_back("RCPT TO:" + rcpt);
    return h.run(s).back();
}

static const smb::Message& only_message(Harness& h) {
    REQUIRE(h.store.mail.size() == 1);
    return h.store.mail.begin()->second;
}

TEST_CASE("SMTP-103 RCPT before MAIL is a bad sequence", "[smtp][rcpt]") {
    Harness h;
    auto r = h.run({"EHLO x", "RCPT TO:<mary@example.com>"});
    CHECK(r.back() == "503 5.5.1 Bad sequence of commands");
}

TEST_CASE("SMTP-104 the address is after the last '<' up to '>', quotes removed", "[smtp][rcpt]") {
    CHECK(rcpt_address("<\"john doe\"@example.com>") == "john doe@example.com");
    CHECK(rcpt_address("Mary <x> <mary@example.com> SIZE=1") == "mary@example.com");
    CHECK(rcpt_address("  mary@example.com") == "  mary@example.com");
    Harness h;
    h.run(mail_script("<a@remote.org>", {" <\"Mary\"@example.com> NOTIFY=NEVER"}));
    // Ours (RFC 3461 4): a "<path>" argument's parameters are not part of the stored forward path.
    CHECK(only_message(h).hdr.get(smb::hf::SMTPFORWARDPATH) == "<\"Mary\"@example.com>");
    CHECK(only_message(h).hdr.get(smb::hf::RECIPIENTEXT) == "3");
    Harness loose;                                           // a loose argument is kept whole, as the original
    loose.run(mail_script("<a@remote.org>", {"Mary <mary@example.com> SIZE=1"}));
    CHECK(only_message(loose).hdr.get(smb::hf::SMTPFORWARDPATH) == "Mary <mary@example.com> SIZE=1");
}

TEST_CASE("SMTP-106 an empty recipient is refused", "[smtp][rcpt]") {
    Harness h;
    CHECK(rcpt_reply(h, "<>") == "500 5.1.3 No recipient specified");
    Harness p;
    CHECK(rcpt_reply(p, "<forward:local:>") == "500 5.1.3 No recipient specified");
}

TEST_CASE("SMTP-107 MaxRecipients: 452 once the limit is reached, the session continues", "[smtp][rcpt]") {
    Harness h;
    h.cfg->mail.max_recipients = 2;
    auto r = h.run({"EHLO x", "MAIL FROM:<a@b.c>", "RCPT TO:<mary@example.com>", "RCPT TO:<sysop@example.com>",
                    "RCPT TO:<john.doe@example.com>", "NOOP"});
    CHECK(codes(r) == std::vector<int>{220, 250, 250, 250, 250, 452, 250});
    CHECK(has_line(r, "452 4.5.3 Too many recipients"));
}

TEST_CASE("SMTP-108 MaxRecipients also bounds a user's mail still pending in the base", "[smtp][rcpt]") {
    auto pending_from = [](Harness& h, uint32_t user, int n) {
        for (int i = 0; i < n; ++i) {
            smb::Message m;
            m.hdr.number = uint32_t(100 + i);
            m.hdr.fields.push_back({smb::hf::SENDEREXT, std::to_string(user)});
            h.store.mail[m.hdr.number] = m;
        }
    };
    Harness h;
    h.cfg->mail.max_recipients = 3;
    pending_from(h, 3, 3);                                      // Mary (#3) has 3 messages still queued
    auto r = h.run({"EHLO x", auth_mary(), "MAIL FROM:<mary@example.com>", "RCPT TO:<sysop@example.com>",
                    "RCPT TO:<john.doe@example.com>", "NOOP"});
    CHECK(codes(r) == std::vector<int>{220, 250, 235, 250, 250, 452, 250});
    CHECK(has_line(r, "452 4.5.3 Too many pending emails sent"));

    Harness u;                                                  // unauthenticated senders are not counted
    u.cfg->mail.max_recipients = 3;
    pending_from(u, 0, 5);
    CHECK(rcpt_reply(u, "<mary@example.com>") == "250 2.1.5 OK");

    Harness m;                                                  // M exemption
    m.cfg->mail.max_recipients = 1;
    pending_from(m, 3, 4);
    m.users.users[3].exempt |= User::letter('M');
    CHECK(rcpt_reply(m, "<sysop@example.com>", "<mary@example.com>", {auth_mary()}) == "250 2.1.5 OK");

    Harness z;                                                  // MaxRecipients 0: no limit
    z.cfg->mail.max_recipients = 0;
    pending_from(z, 3, 400);
    CHECK(rcpt_reply(z, "<sysop@example.com>", "<mary@example.com>", {auth_mary()}) == "250 2.1.5 OK");
}

TEST_CASE("SMTP-109 CFG-106 the per-day e-mail limit of the sender's level", "[smtp][rcpt]") {
    Harness h;
    h.cfg->sys.levels[50].email_per_day = 2;
    h.users.users[3].etoday = 1;
    auto r = h.run({"EHLO x", auth_mary(), "MAIL FROM:<mary@example.com>", "RCPT TO:<sysop@example.com>",
                    "RCPT TO:<john.doe@example.com>"});
    CHECK(codes(r) == std::vector<int>{220, 250, 235, 250, 250, 452});
    CHECK(r.back() == "452 4.5.3 Too many emails today");

    Harness m;                                                  // M exemption
    m.cfg->sys.levels[50].email_per_day = 0;
    m.users.users[3].exempt |= User::letter('M');
    CHECK(rcpt_reply(m, "<sysop@example.com>", "<mary@example.com>", {auth_mary()}) == "250 2.1.5 OK");
}

TEST_CASE("SMTP-105 SMTP-151 CFG-122 forward: forces forwarding, local: forbids it", "[smtp][rcpt]") {
    auto setup = [](Harness& h) {
        h.cfg->sys.settings |= SystemSettings::SYS_FWDTONET;
        h.users.users[3].netmail = "mary@outside.org";
    };
    Harness f;
    setup(f);
    f.run(mail_script("<a@remote.org>", {"<forward:mary@example.com>"}));
    auto& m = only_message(f);
    CHECK(m.hdr.get_u16(smb::hf::RECIPIENTNETTYPE) == smb::net::INTERNET);
    CHECK(m.hdr.get(smb::hf::RECIPIENTNETADDR) == "mary@outside.org");
    CHECK(m.hdr.last(smb::hf::RECIPIENTEXT) == nullptr);       // FMT-116
    CHECK(m.hdr.last(smb::hf::SMTPFORWARDPATH) == nullptr);
    CHECK(f.log.has("Forwarding to: mary@outside.org"));

    Harness n;                                                  // no NETMAIL flag, no prefix: local
    setup(n);
    n.run(mail_script("<a@remote.org>", {"<mary@example.com>"}));
    CHECK(only_message(n).hdr.get(smb::hf::RECIPIENTEXT) == "3");

    Harness u;                                                  // user's own setting
    setup(u);
    u.users.users[3].misc |= User::MISC_NETMAIL;
    u.run(mail_script("<a@remote.org>", {"<mary@example.com>"}));
    CHECK(only_message(u).hdr.get(smb::hf::RECIPIENTNETADDR) == "mary@outside.org");

    Harness l;
    setup(l);
    l.users.users[3].misc |= User::MISC_NETMAIL;
    l.run(mail_script("<a@remote.org>", {"<forward:local:mary@example.com>"}));
    CHECK(only_message(l).hdr.get(smb::hf::RECIPIENTEXT) == "3");

    Harness o;                                                  // order matters
    setup(o);
    CHECK(rcpt_reply(o, "<local:forward:mary@example.com>").substr(0, 3) == "550");
}

TEST_CASE("SMTP-152 a FidoNet netmail address is never used for forwarding", "[smtp][rcpt]") {
    Harness h;
    h.cfg->sys.settings |= SystemSettings::SYS_FWDTONET;
    h.users.users[3].netmail = "1:2/3";
    h.users.users[3].misc |= User::MISC_NETMAIL;
    h.run(mail_script("<a@remote.org>", {"<mary@example.com>"}));
    CHECK(only_message(h).hdr.get(smb::hf::RECIPIENTEXT) == "3");
}

TEST_CASE("SMTP-116 CFG-158 a full-address alias replaces the address and may force a relay", "[smtp][rcpt]") {
    Harness h;
    h.lists.aliases["list@example.com"] = "owner@elsewhere.org";
    h.run(mail_script("<a@remote.org>", {"<list@example.com>"}));
    auto& m = only_message(h);
    CHECK(m.hdr.get(smb::hf::RECIPIENTNETADDR) == "owner@elsewhere.org");
    CHECK(m.hdr.get_u16(smb::hf::RECIPIENTNETTYPE) == smb::net::INTERNET);
    CHECK(h.log.has("ADDRESS ALIAS: owner@elsewhere.org (for list@example.com)"));
}

TEST_CASE("SMTP-117 SMTP-120 CFG-121 CFG-135 local domains: Internet address, HostName, domains.cfg, same port", "[smtp][rcpt]") {
    for (std::string a : {"<mary@example.com>", "<mary@BBS.Example.COM>", "<mary@alt.example.org>",
                          "<mary@example.com:25>"}) {
        Harness h;
        h.lists.domains.insert("alt.example.org");
        CHECK(rcpt_reply(h, a) == "250 2.1.5 OK");
    }
    Harness p;
    CHECK(rcpt_reply(p, "<mary@example.com:2525>") == "550 5.7.1 Relay not allowed.");
}

TEST_CASE("SMTP-118 SMTP-119 FidoNet addresses for authenticated users become netmail; ours: M restricts them", "[smtp][rcpt]") {
    Harness h;
    h.cfg->msgs.fido_addresses.push_back("1:218/700");
    auto out = h.run(mail_script("<mary@example.com>", {"<joe@p4.f3.n2.z1.fidonet>"}, default_message(), {auth_mary()}));
    INFO(out.back() << h.log.all());
    auto& m = only_message(h);
    CHECK(m.hdr.get_u16(smb::hf::RECIPIENTNETTYPE) == smb::net::FIDO);
    CHECK(m.hdr.get(smb::hf::RECIPIENTNETADDR) == std::string("\1\0\2\0\3\0\4\0", 8));
    CHECK(h.log.has("relaying to FidoNet address: joe@p4.f3.n2.z1.fidonet (1:2/3.4)"));
    CHECK(fidonet_address("f3.n2.z1.fidonet") == "1:2/3");
    CHECK_FALSE(fidonet_address("f3.n2.z0.fidonet"));
    CHECK_FALSE(fidonet_address("F3.N2.Z1.FIDONET"));
    Harness mr;                                                 // ours: restriction M applies
    mr.cfg->msgs.fido_addresses.push_back("1:218/700");
    mr.users.users[3].rest |= User::letter('M');
    CHECK(rcpt_reply(mr, "<joe@f3.n2.z1.fidonet>", "<mary@example.com>", {auth_mary()}).substr(0, 3) == "550");
    Harness u;                                                  // unauthenticated: an ordinary relay attempt
    u.cfg->msgs.fido_addresses.push_back("1:218/700");
    CHECK(rcpt_reply(u, "<joe@f3.n2.z1.fidonet>") == "550 5.7.1 Relay not allowed.");
}

TEST_CASE("SMTP-121 SMTP-124 CFG-136 relaying: submission users, ALLOW_RELAY users, relay.cfg clients", "[smtp][rcpt]") {
    Harness s;
    s.listener = Listener::Submission;
    auto msg = default_message();
    msg[0] = "From: Mary <mary@example.com>";
    s.run(mail_script("<mary@example.com>", {"<friend@elsewhere.org>"}, msg, {auth_mary()}));
    auto& m = only_message(s);
    CHECK(m.hdr.get(smb::hf::RECIPIENTNETADDR) == "friend@elsewhere.org");
    CHECK(m.hdr.get(smb::hf::SMTPFORWARDPATH) == "<friend@elsewhere.org>");
    CHECK(m.hdr.last(smb::hf::RECIPIENTEXT) == nullptr);
    CHECK(s.log.has("Mary relaying to external mail service: elsewhere.org"));

    Harness a;
    a.cfg->mail.options |= mail_opt::ALLOW_RELAY;
    CHECK(rcpt_reply(a, "<friend@elsewhere.org>", "<mary@example.com>", {auth_mary()}) == "250 2.1.5 OK");

    Harness g;                                                  // guests may not relay
    g.cfg->mail.options |= mail_opt::ALLOW_RELAY;
    g.users.users[3].rest |= User::letter('G');
    CHECK(rcpt_reply(g, "<friend@elsewhere.org>", "<mary@example.com>", {auth_mary()}).substr(0, 3) == "553");

    Harness r;
    r.lists.relay_ips.insert("127.0.0.2");
    CHECK(rcpt_reply(r, "<friend@elsewhere.org>") == "250 2.1.5 OK");
    CHECK(r.log.has("Unknown User relaying to external mail service: elsewhere.org"));
}

TEST_CASE("SMTP-123 ours: a relay.cfg host name counts only when it resolves back to the client", "[smtp][rcpt]") {
    Harness spoofed;                                            // PTR claims a trusted name, A record disagrees
    spoofed.extras.resolver = &spoofed.resolver;
    spoofed.resolver.ptrs["127.0.0.2"] = "trusted.example.net";
    spoofed.resolver.hosts["trusted.example.net"] = {"192.0.2.9"};
    spoofed.lists.relay_hosts.insert("trusted.example.net");
    CHECK(rcpt_reply(spoofed, "<friend@elsewhere.org>") == "550 5.7.1 Relay not allowed.");

    Harness confirmed;
    confirmed.extras.resolver = &confirmed.resolver;
    confirmed.resolver.ptrs["127.0.0.2"] = "trusted.example.net";
    confirmed.resolver.hosts["trusted.example.net"] = {"192.0.2.9", "127.0.0.2"};
    confirmed.lists.relay_hosts.insert("trusted.example.net");
    CHECK(rcpt_reply(confirmed, "<friend@elsewhere.org>") == "250 2.1.5 OK");
}

TEST_CASE("SMTP-122 a refused relay is logged, answered and the session closed", "[smtp][rcpt]") {
    Harness h;
    auto r = h.run({"EHLO x", "MAIL FROM:<a@remote.org>", "RCPT TO:<x@elsewhere.org>", "NOOP"});
    CHECK(r.back() == "550 5.7.1 Relay not allowed.");
    CHECK(h.io.input.size() == 1);
    CHECK(h.log.has("!ILLEGAL RELAY ATTEMPT from <a@remote.org> [127.0.0.2] to x@elsewhere.org"));
    Harness a;
    a.cfg->mail.options |= mail_opt::ALLOW_RELAY;
    CHECK(rcpt_reply(a, "<x@elsewhere.org>") ==
          "553 5.7.1 Relaying through this server requires authentication.  Please authenticate before sending.");
}

TEST_CASE("SMTP-125 SEND ignores the domain: every address is local", "[smtp][rcpt]") {
    Harness h;
    h.notices.pageable.insert(3);
    auto r = h.run({"EHLO x", "SEND FROM:<a@remote.org>", "RCPT TO:<mary@elsewhere.org>"});
    CHECK(r.back() == "250 2.1.5 OK");
}

TEST_CASE("SMTP-126 SMTP-154 local part: last '@', leading punctuation, bare names", "[smtp][rcpt]") {
    Harness h;
    CHECK(rcpt_reply(h, "<--mary@example.com>") == "250 2.1.5 OK");
    Harness b;
    CHECK(rcpt_reply(b, "<sysop>") == "250 2.1.5 OK");
    Harness q;
    q.run(mail_script("<a@remote.org>", {"<\"mary@other\"@example.com>"}));
    CHECK(only_message(q).hdr.get(smb::hf::RECIPIENTEXT) == "3");
}

TEST_CASE("SMTP-127 a name alias replaces the local part", "[smtp][rcpt]") {
    Harness h;
    h.lists.aliases["webmaster"] = "Mary";
    h.run(mail_script("<a@remote.org>", {"<webmaster@example.com>"}));
    CHECK(only_message(h).hdr.get(smb::hf::RECIPIENTEXT) == "3");
    CHECK(h.log.has("NAME ALIAS: Mary (for webmaster@example.com)"));
}

TEST_CASE("SMTP-131 SMTP-191 sub:<code> posts on a sub-board", "[smtp][rcpt]") {
    Harness h;
    SubBoard sb;
    sb.code = "main-general";
    h.cfg->msgs.subs.push_back(sb);
    auto r = h.run(mail_script("<a@remote.org>", {"<sub:MAIN-General@example.com>"}));
    CHECK(codes(r).back() == 221);
    REQUIRE(h.store.posts.size() == 1);
    CHECK(h.store.posts[0].code == "main-general");
    CHECK(h.store.posts[0].msg.hdr.get(smb::hf::RECIPIENT) == "John Doe");
    CHECK(h.store.posts[0].msg.hdr.last(smb::hf::SMTPRECEIVED) == nullptr);
    CHECK(h.store.mail.empty());
    Harness u;
    CHECK(rcpt_reply(u, "<sub:nosuch@example.com>") == "550 5.1.1 Unknown sub-board: nosuch");

    Harness p;                                                  // PostTo wins; poster's counter
    p.cfg->msgs.subs.push_back(sb);
    p.cfg->mail.post_to = "Everybody";
    p.run(mail_script("<mary@example.com>", {"<sub:main-general>"}, default_message(), {auth_mary()}));
    REQUIRE(p.store.posts.size() == 1);
    CHECK(p.store.posts[0].msg.hdr.get(smb::hf::RECIPIENT) == "Everybody");
    CHECK(p.users.users[3].posts == 1);
}

// The reply to the end of data of a sub: post to "main-general".
static std::string post_reply(Harness& h, const SubBoard& sb, bool as_mary) {
    h.cfg->msgs.subs.push_back(sb);
    std::vector<std::string> prelude;
    if (as_mary) prelude.push_back(auth_mary());
    auto r = h.run(mail_script(as_mary ? "<mary@example.com>" : "<a@remote.org>", {"<sub:main-general>"},
                               default_message(), prelude));
    return r[r.size() - 2];
}

TEST_CASE("SMTP-191 USER-39 CFG-116 sub: posts need the sub's access and post requirements", "[smtp][rcpt]") {
    SubBoard sb;
    sb.code = "main-general";
    sb.post_ars = "LEVEL 60";
    Harness mary;
    CHECK(post_reply(mary, sb, true) == "550 5.7.1 Insufficient access: You can't post on this sub-board");
    CHECK(mary.store.posts.empty());
    Harness anon;                                               // unauthenticated: the "nobody" user
    CHECK(post_reply(anon, sb, false) == "550 5.7.1 Insufficient access: You can't post on this sub-board");
    sb.post_ars.clear();
    sb.ars = "LEVEL 60";
    Harness read;
    CHECK(post_reply(read, sb, true) == "550 5.7.1 Insufficient access: You don't have access to this sub-board");
    Harness high;
    high.users.users[3].level = 60;
    CHECK(post_reply(high, sb, true) == "250 2.0.0 OK");
    CHECK(high.store.posts.size() == 1);
}

TEST_CASE("SMTP-191 USER-39 CFG-116 restrictions N, O without Q, P and postsperday refuse a sub-board post", "[smtp][rcpt]") {
    SubBoard sb;
    sb.code = "main-general";
    sb.settings = 0x80000;                                      // networked (Internet)
    Harness n;
    n.users.users[3].rest |= User::letter('N');
    CHECK(post_reply(n, sb, true) == "550 5.7.1 Insufficient access: You can't post on networked sub-boards");

    sb.settings = 0x400;                                        // real names required
    Harness o;
    o.users.users[3].rest |= User::letter('O');
    CHECK(post_reply(o, sb, true) == "550 5.7.1 Insufficient access: This sub-board requires real names");
    Harness oq;
    oq.users.users[3].rest |= User::letter('O') | User::letter('Q');
    CHECK(post_reply(oq, sb, true) == "250 2.0.0 OK");

    sb.settings = 0;
    Harness p;
    p.users.users[3].rest |= User::letter('P');
    CHECK(post_reply(p, sb, true) == "550 5.7.1 Insufficient access: You can't post messages");

    Harness day;
    day.cfg->sys.levels[50] = LevelLimits{50, 2};
    day.users.users[3].ptoday = 2;
    CHECK(post_reply(day, sb, true) == "550 5.7.1 Insufficient access: Too many posts today");
    CHECK(day.store.posts.empty());
}

TEST_CASE("CFG-157 an alias value sub:<code> posts on that sub, ignoring case; an unknown code is refused", "[smtp][rcpt]") {
    Harness h;
    SubBoard sb;
    sb.code = "main-general";
    h.cfg->msgs.subs.push_back(sb);
    h.lists.aliases["news"] = "sub:MAIN-GENERAL";
    h.run(mail_script("<a@remote.org>", {"<news@example.com>"}));
    REQUIRE(h.store.posts.size() == 1);
    CHECK(h.store.posts[0].code == "main-general");
    Harness u;
    u.lists.aliases["news"] = "sub:nosuch";
    CHECK(rcpt_reply(u, "<news@example.com>") == "550 5.1.1 Unknown sub-board: nosuch");
}

TEST_CASE("CFG-156 alias.cfg is asked for the whole address first, then for the local part", "[smtp][rcpt]") {
    Harness whole;                                              // the whole address wins over the local part
    whole.lists.aliases["info@example.com"] = "Mary";
    whole.lists.aliases["info"] = "Sysop";
    whole.run(mail_script("<a@remote.org>", {"<\"info\"@example.com>"}));
    CHECK(only_message(whole).hdr.get(smb::hf::RECIPIENTEXT) == "3");
    Harness part;
    part.lists.aliases["info"] = "Sysop";
    part.run(mail_script("<a@remote.org>", {"<info@example.com>"}));
    CHECK(only_message(part).hdr.get(smb::hf::RECIPIENTEXT) == "1");
}

TEST_CASE("SMTP-132 a pending sub: target makes mailbox recipients ignored", "[smtp][rcpt]") {
    Harness h;
    SubBoard sb;
    sb.code = "general";
    h.cfg->msgs.subs.push_back(sb);
    h.run(mail_script("<a@remote.org>", {"<mary@example.com>", "<sub:general@example.com>"}));
    CHECK(h.store.posts.size() == 1);
    CHECK(h.store.mail.empty());
}

TEST_CASE("SMTP-134 SMTP-135 QWK routing to a hub or through a QWK node account", "[smtp][rcpt]") {
    Harness h;
    QwkHub hub;
    hub.id = "VERT";
    h.cfg->msgs.qwk_hubs.push_back(hub);
    h.run(mail_script("<a@remote.org>", {"<vert/dove!joe@example.com>"}));
    auto& m = only_message(h);
    CHECK(m.hdr.get(smb::hf::RECIPIENT) == "joe");
    CHECK(m.hdr.get_u16(smb::hf::RECIPIENTNETTYPE) == smb::net::QWK);
    CHECK(m.hdr.get(smb::hf::RECIPIENTNETADDR) == "vert/dove");
    CHECK(h.log.has("Routing mail for 'joe' <vert/dove> to QWKnet Hub: VERT"));

    Harness n;
    n.users.add(9, "NODEQ", "x");
    n.run(mail_script("<a@remote.org>", {"<nodeq!joe@example.com>"}));
    auto& mn = only_message(n);
    CHECK(mn.hdr.get(smb::hf::RECIPIENTEXT) == "9");
    CHECK(mn.hdr.get_u16(smb::hf::RECIPIENTNETTYPE) == smb::net::QWK);
    CHECK(mn.hdr.get(smb::hf::RECIPIENTNETADDR) == "NODEQ");
    CHECK(mn.hdr.get(smb::hf::RECIPIENT) == "joe");

    Harness u;                                                  // neither a hub nor a user: unknown
    u.run({"EHLO x", "MAIL FROM:<a@remote.org>", "RCPT TO:<nowhere!mary@example.com>"});
    CHECK(u.io.lines().back() == "550 5.1.1 Unknown User: <nowhere!mary@example.com>");
}

TEST_CASE("SMTP-136 SMTP-156 user numbers only through alias.cfg", "[smtp][rcpt]") {
    Harness h;
    h.lists.aliases["boss"] = "3";
    h.run(mail_script("<a@remote.org>", {"<boss@example.com>"}));
    CHECK(only_message(h).hdr.get(smb::hf::RECIPIENTEXT) == "3");
    Harness n;
    CHECK(rcpt_reply(n, "<3@example.com>") == "550 5.1.1 Unknown User: <3@example.com>");
    Harness d;
    d.lists.aliases["gone"] = "3";
    d.users.users[3].misc |= User::MISC_DELETED;
    CHECK(rcpt_reply(d, "<gone@example.com>").substr(0, 3) == "550");
}

TEST_CASE("SMTP-137 SMTP-141 SMTP-155 loose alias match and #tags", "[smtp][rcpt]") {
    for (std::string a : {"<john.doe@example.com>", "<john_doe@example.com>", "<JohnDoe@example.com>",
                          "<j-o-h-n-doe@example.com>", "<john.doe#news@example.com>"}) {
        Harness h;
        CHECK(rcpt_reply(h, a) == "250 2.1.5 OK");
    }
    Harness b;
    b.users.blocked_tags[2].insert("spam");
    CHECK(rcpt_reply(b, "<john.doe#spam@example.com>") == "550 5.1.1 Unknown User: <john.doe#spam@example.com>");
    CHECK(b.log.has("Blocked tag: <john.doe#spam@example.com>"));
}

TEST_CASE("SMTP-138 SMTP-139 sysop aliases and the sysop's name", "[smtp][rcpt]") {
    Harness n;
    n.users.users[1].alias = "Chief";
    CHECK(rcpt_reply(n, "<postmaster@example.com>").substr(0, 3) == "550");
    Harness y;
    y.users.users[1].alias = "Chief";
    y.cfg->mail.options |= mail_opt::ALLOW_SYSOP_ALIASES;
    CHECK(rcpt_reply(y, "<postmaster@example.com>") == "250 2.1.5 OK");
    Harness q;
    q.users.users[1].alias = "Chief";
    q.cfg->mail.options |= mail_opt::ALLOW_SYSOP_ALIASES;
    CHECK(rcpt_reply(q, "<example@example.com>") == "250 2.1.5 OK");
    Harness s;
    s.users.users[1].alias = "Chief";
    s.run(mail_script("<a@remote.org>", {"<big.sysop@example.com>"}));
    CHECK(only_message(s).hdr.get(smb::hf::RECIPIENTEXT) == "1");
}

TEST_CASE("SMTP-140 real names only when the system allows them", "[smtp][rcpt]") {
    Harness n;
    n.cfg->msgs.settings &= ~MsgsSettings::MM_REALNAME;
    CHECK(rcpt_reply(n, "<johnathan.doe@example.com>").substr(0, 3) == "550");
    Harness y;
    y.cfg->msgs.settings |= MsgsSettings::MM_REALNAME;
    CHECK(rcpt_reply(y, "<johnathan.doe@example.com>") == "250 2.1.5 OK");
}

TEST_CASE("SMTP-144 DefaultUser catches unknown recipients", "[smtp][rcpt]") {
    Harness h;
    h.cfg->mail.default_user = "postmaster";
    h.run(mail_script("<a@remote.org>", {"<nobody@example.com>"}));
    CHECK(only_message(h).hdr.get(smb::hf::RECIPIENTEXT) == "1");
    CHECK(h.log.has("Forwarding mail for UNKNOWN USER to default user-recipient: 'postmaster' #1"));
    Harness u;
    u.cfg->mail.default_user = "ghost";
    CHECK(rcpt_reply(u, "<nobody@example.com>").substr(0, 3) == "550");
    CHECK(u.log.has("!UNKNOWN DEFAULT USER-RECIPIENT: 'ghost'"));
}

TEST_CASE("SMTP-145 SMTP-157 unknown recipients: 550, state unchanged", "[smtp][rcpt]") {
    Harness h;
    auto r = h.run({"EHLO x", "MAIL FROM:<a@remote.org>", "RCPT TO:<nobody@example.com>", "DATA",
                    "RCPT TO:<mary@example.com>", "DATA"});
    CHECK(has_line(r, "550 5.1.1 Unknown User: <nobody@example.com>"));
    auto c = codes(r);
    CHECK(c == std::vector<int>{220, 250, 250, 550, 503, 250, 354});
    CHECK(h.log.has("!UNKNOWN USER-RECIPIENT: '<nobody@example.com>'"));
}

TEST_CASE("SMTP-146 deleted or inactive recipients are unknown", "[smtp][rcpt]") {
    Harness h;
    h.users.users[3].misc |= User::MISC_INACTIVE;
    CHECK(rcpt_reply(h, "<mary@example.com>") == "550 5.1.1 Unknown User: <mary@example.com>");
}

TEST_CASE("SMTP-147 SMTP-258 restriction I closes the mailbox to unauthenticated senders", "[smtp][rcpt]") {
    Harness h;
    h.users.users[3].rest |= User::letter('I');
    CHECK(rcpt_reply(h, "<mary@example.com>") == "550 5.7.1 Closed mailbox: <mary@example.com>");
    Harness a;
    a.users.users[3].rest |= User::letter('I');
    CHECK(rcpt_reply(a, "<mary@example.com>", "<mary@example.com>", {auth_mary()}) == "250 2.1.5 OK");
}

TEST_CASE("SMTP-148 MaxMsgsWaiting: strictly more waiting means full; W exempts", "[smtp][rcpt]") {
    auto fill = [](Harness& h, int n) {
        for (int i = 0; i < n; ++i) {
            NewMessage m;
            RecipientCopy c;
            c.append.push_back({smb::hf::RECIPIENTEXT, "3"});
            (void)h.store.add_mail(m, {c});
        }
    };
    Harness at;
    at.cfg->mail.max_msgs_waiting = 2;
    fill(at, 2);
    CHECK(rcpt_reply(at, "<mary@example.com>") == "250 2.1.5 OK");
    Harness over;
    over.cfg->mail.max_msgs_waiting = 2;
    fill(over, 3);
    CHECK(rcpt_reply(over, "<mary@example.com>") == "450 4.2.2 Mailbox full: <mary@example.com>");
    Harness w;
    w.cfg->mail.max_msgs_waiting = 2;
    fill(w, 3);
    w.users.users[3].exempt |= User::letter('W');
    CHECK(rcpt_reply(w, "<mary@example.com>") == "250 2.1.5 OK");
}

TEST_CASE("SMTP-149 SEND needs the user on line with paging enabled", "[smtp][rcpt]") {
    Harness h;
    auto r = h.run({"EHLO x", "SEND FROM:<a@remote.org>", "RCPT TO:<mary@example.com>"});
    CHECK(r.back() == "450 4.2.1 User unavailable");
    Harness s;                                                  // SOML: no on-line check
    auto rs = s.run({"EHLO x", "SOML FROM:<a@remote.org>", "RCPT TO:<mary@example.com>"});
    CHECK(rs.back() == "250 2.1.5 OK");
}

TEST_CASE("SMTP-153 SMTP-159 a local recipient's entry and the last-recipient log", "[smtp][rcpt]") {
    Harness h;
    h.run(mail_script("<a@remote.org>", {"<Mary@Example.com>"}));
    auto& m = only_message(h);
    CHECK(m.hdr.get(smb::hf::RECIPIENTEXT) == "3");
    CHECK(m.hdr.get(smb::hf::SMTPFORWARDPATH) == "<Mary@Example.com>");
    CHECK(m.hdr.last(smb::hf::RECIPIENTNETTYPE) == nullptr);
    CHECK(h.log.has("Receiving mail message from <a@remote.org> to Mary@Example.com"));
}

// ISSUE14: resolving a local recipient read the user's record twice (the
// resolver, then the mailbox checks); a memo for the one command reads it once.
TEST_CASE("ISSUE14 SMTP-145 SMTP-146 a local recipient's user record is read once per RCPT", "[smtp][rcpt]") {
    Harness h;
    CHECK(rcpt_reply(h, "<mary@example.com>") == "250 2.1.5 OK");
    CHECK(h.users.gets == 1);
    Harness two;
    auto r = two.run({"EHLO x", "MAIL FROM:<a@remote.org>", "RCPT TO:<mary@example.com>", "RCPT TO:<sysop@example.com>"});
    CHECK(r.back() == "250 2.1.5 OK");
    CHECK(two.users.gets == 2);
    Harness gone;                                  // a deleted user is still refused
    gone.users.users[3].misc |= User::MISC_DELETED;
    CHECK(rcpt_reply(gone, "<mary@example.com>").rfind("550 5.1.1 Unknown User", 0) == 0);
}
