// The POP3 listener's handler: adapts the server's session context to the
// POP3 state machine's collaborators (src/pop3).
#include "server/pop3_handler.h"

#include "pop3/pop3_session.h"
#include "pop3/state_login_attempts.h"
#include "dns/client_host.h"
#include "server/request_gate.h"
#include "spam/auto_filter.h"

#include <ctime>

namespace sbbs {

void run_pop3_session(SessionIo& io, const SessionContext& ctx, MailServices& services, ServiceCache& cache) {
    auto name_listed = [&](std::string_view name) { return services.name_can->contains(name); };   // POP3-44
    auto on_failure = [paths = spam::AntiSpamPaths::of(*ctx.config)](const FailureVerdict& v,
                                                                     const LoginAttemptLog::FailedLogin& a) {
        return spam::act_on_failed_login(paths, v, {a.ip, a.host, a.protocol, a.port, a.user, !a.password.empty()},
                                         std::time(nullptr));                           // POP3-43
    };
    pop3::StateLoginAttemptLog attempts(cache.login_attempts(), ctx.config, name_listed, on_failure);
    Pop3Session session(ctx.config, *services.users, *services.store, *ctx.log, attempts, ctx.implicit_tls);
    session.set_socket(ctx.socket_id);
    session.set_client_host(client_host_name(services.resolver.get(), io.peer_ip()));
    session.set_mailbox_locks(&cache.mailbox_locks());
    session.set_size_memo(&cache.pop3_sizes());
    session.set_tls_available(ctx.tls_available);
    session.set_access_lists(services.pop3_lists.get());
    session.set_request_gate(
        request_gate(cache.request_rates(), ctx.config, services.ipfilter_exempt.get(), ctx.protocol));
    session.set_login_hook(ctx.logged_in);
    session.set_stopping(ctx.stopping);
    if (ctx.counters) session.set_thread_counts([counters = ctx.counters] { return thread_counts(*counters); });
    session.run(io);
}

} // namespace sbbs
