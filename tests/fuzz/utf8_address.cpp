// libFuzzer target for the SMTPUTF8 address helpers (RFC 6531, USER-10): IDNA
// conversion and comparison (libidn2), the exact UTF-8 -> CP437 conversion,
// SendMail's SMTPUTF8 plan and the UTF-8 recipient resolver. The input is
// split at the first NUL into two strings (an address and a name/domain).
#include "memory_user_directory.h"

#include "config/settings.h"
#include "dns/idna.h"
#include "sendmail/smtputf8.h"
#include "userbase/cp437.h"
#include "userbase/recipient_resolver.h"

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string in(reinterpret_cast<const char*>(data), size);
    auto nul = in.find('\0');
    std::string a = in.substr(0, nul), b = nul == std::string::npos ? std::string() : in.substr(nul + 1);

    auto ascii = sbbs::domain_to_ascii(a);
    if (ascii && sbbs::has_8bit(*ascii)) std::abort();                 // an A-label form is ASCII
    if (ascii) (void)sbbs::domain_to_unicode(*ascii);
    if (ascii && !sbbs::same_domain(a, *ascii)) std::abort();          // U-labels equal their A-labels
    (void)sbbs::same_domain(a, b);

    if (auto cp = sbbs::utf8_to_cp437_exact(a); cp && cp->size() > a.size()) std::abort();

    auto plan = sbbs::smtputf8::plan("<" + a + ">", {"<" + b + ">", b}, b);
    if (plan.to.size() != 2) std::abort();
    if (!plan.needs_smtputf8 && (sbbs::has_8bit(plan.from) || sbbs::has_8bit(plan.to[0]))) std::abort();

    static sbbs::Config cfg = [] {
        sbbs::Config c;
        c.msgs.settings |= sbbs::MsgsSettings::MM_REALNAME;
        return c;
    }();
    sbbs::test::MemoryUserDirectory users;
    users.add(1, "Sysop", "x");
    users.add(2, "J\x94rgen", "x");
    users.add(3, "J\x81rgen", "x").name = "J\x81rgen M\x81ller";
    (void)sbbs::resolve_utf8_recipient(cfg, users, a, false);
    return 0;
}
