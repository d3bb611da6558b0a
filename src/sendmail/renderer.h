// The renderer SendMail uses in the server: render_rfc822 with the
// configuration's RenderContext (SEND-67: the same routine as POP3 RETR).
#pragma once

#include "config/settings.h"
#include "mailfmt/render.h"
#include "sendmail/sendmail.h"

namespace sbbs {

RenderContext render_context(const Config& cfg);
MessageRenderer rfc822_renderer(RenderContext ctx);

} // namespace sbbs
