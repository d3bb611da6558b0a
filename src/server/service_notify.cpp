// sd_notify(3) from Debian's libsystemd (see service_notify.h).
#include "server/service_notify.h"

#include <systemd/sd-daemon.h>

#include <ctime>
#include <string>

namespace sbbs {

namespace {

// A failed notification only means nobody listens: never worth stopping for.
void notify(const std::string& state) { (void)sd_notify(0, state.c_str()); }

unsigned long long monotonic_usec() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<unsigned long long>(ts.tv_sec) * 1000000ULL + static_cast<unsigned long long>(ts.tv_nsec) / 1000ULL;
}

} // namespace

void notify_ready() { notify("READY=1\nSTATUS=Serving SMTP and POP3"); }

// MONOTONIC_USEC: systemd 253+ (Type=notify-reload) matches the reload to it.
void notify_reloading() { notify("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(monotonic_usec())); }

void notify_stopping() { notify("STOPPING=1"); }

} // namespace sbbs
