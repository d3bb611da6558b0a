// SendMail's message renderer (see renderer.h).
#include "sendmail/renderer.h"

namespace sbbs {

RenderContext render_context(const Config& cfg) {
    RenderContext c;
    c.host_name = cfg.mail.host_name.empty() ? cfg.msgs.inet_addr : cfg.mail.host_name;
    c.inet_addr = cfg.msgs.inet_addr;
    c.system_name = cfg.sys.name;
    c.qwk_id = cfg.sys.qwk_id;
    c.operator_name = cfg.sys.operator_name;
    c.data_dir = cfg.paths.data;
    return c;
}

MessageRenderer rfc822_renderer(RenderContext ctx) {
    return [ctx = std::move(ctx)](const smb::Message& m) { return render_rfc822(m, ctx); };
}

} // namespace sbbs
