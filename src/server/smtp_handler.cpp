// The SMTP listener's handler: adapts the server's session context to the
// SMTP state machine's collaborators (src/smtp).
#include "server/smtp_handler.h"

#include "smtp/session.h"
#include "server/request_gate.h"
#include "smtp/state_login_attempts.h"

namespace sbbs {

namespace {

smtp::Listener smtp_listener(ListenerKind kind) {
    if (kind == ListenerKind::SubmissionTls) return smtp::Listener::TlsSubmission;
    if (kind == ListenerKind::Submission) return smtp::Listener::Submission;
    return smtp::Listener::Transfer;
}

} // namespace

void run_smtp_session(SessionIo& io, const SessionContext& ctx, MailServices& services, ServiceCache& cache) {
    smtp::StateLoginAttemptLog attempts(cache.login_attempts(), ctx.config,
                                        {services.ipfilter_exempt.get(), services.name_can.get()});
    smtp::SessionExtras extras;
    extras.session_number = static_cast<unsigned>(ctx.socket_id);
    extras.tls_available = ctx.tls_available;
    extras.login_attempts = &attempts;
    extras.lists = services.site_lists.get();
    extras.notices = services.notices.get();
    extras.resolver = services.resolver.get();
    extras.mail_processors = services.mail_processors.get();
    extras.stopping = ctx.stopping;
    extras.spy_list = services.smtp_spy.get();
    extras.authenticator = services.authenticator.get();                 // issue #16
    extras.on_login = ctx.logged_in;
    extras.request_gate = request_gate(cache.request_rates(), ctx.config, services.ipfilter_exempt.get(), ctx.protocol);
    if (ctx.counters) extras.thread_counts = [counters = ctx.counters] { return thread_counts(*counters); };
    smtp::SmtpSession session(ctx.config, smtp_listener(ctx.kind), *services.users, *services.store, *ctx.log,
                              services.smtp_filters, extras);
    session.run(io);
}

} // namespace sbbs
