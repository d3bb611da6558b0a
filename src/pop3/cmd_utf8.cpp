// The UTF8 command (RFC 6856 2): in AUTHORIZATION state the client asks for
// UTF-8; from then on the rendered header fields that would be RFC 2047
// encoded-words go out as raw UTF-8 (RenderContext::utf8_headers). A client
// that never sends it keeps the original's rendering byte for byte.
#include "pop3/pop3_session.h"

namespace sbbs {

void Pop3Session::cmd_utf8() {
    utf8_ = true;
    reply("+OK UTF8 enabled");          // RFC 6856 2: a second UTF8 is harmless, still +OK
}

} // namespace sbbs
