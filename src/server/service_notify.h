// Tells systemd (Type=notify) where the server is in its life: READY=1 once
// every listener is bound, RELOADING=1 then READY=1 around a SIGHUP reload,
// STOPPING=1 when a stop begins (issue #17 item 2). Without NOTIFY_SOCKET in
// the environment (not started by systemd) each call does nothing.
#pragma once

namespace sbbs {

void notify_ready();
void notify_reloading();
void notify_stopping();

} // namespace sbbs
