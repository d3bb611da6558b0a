// Protocol handler wiring: every listener kind gets a handler that runs the
// real session on the services of the snapshot the session started with.
#include "server/protocol_handlers.h"

#include "server/mail_services.h"
#include "server/listener_plan.h"
#include "server/not_available_handler.h"
#include "server/pop3_handler.h"
#include "server/smtp_handler.h"

namespace sbbs {

namespace {

// Either protocol: the snapshot's services, or a refusal when they cannot
// be built (e.g. user.tab missing).
class ProtocolHandler : public SessionHandler {
public:
    explicit ProtocolHandler(std::shared_ptr<ServiceCache> cache) : cache_(std::move(cache)) {}
    void run(SessionIo& io, const SessionContext& ctx) override {
        auto services = cache_->for_config(ctx.config);
        if (!services) {
            if (cache_->first_failure(services.error().message))
                ctx.log->log(LogLevel::Error, "!cannot serve sessions: " + services.error().message);
            NotAvailableHandler().run(io, ctx);
            return;
        }
        if (is_pop3(ctx.kind)) run_pop3_session(io, ctx, **services, *cache_);
        else run_smtp_session(io, ctx, **services, *cache_);
    }

private:
    std::shared_ptr<ServiceCache> cache_;
};

} // namespace

SessionHandlers protocol_handlers(const RuntimeServices& services) {
    auto cache = std::make_shared<ServiceCache>(services.state);
    HandlerFactory factory = [cache](ListenerKind) { return std::make_unique<ProtocolHandler>(cache); };
    return SessionHandlers{factory, factory};
}

} // namespace sbbs
