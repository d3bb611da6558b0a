// Opening listening sockets on numeric addresses, with the original's
// BindRetryCount/BindRetryDelay behaviour (CFG-44).
#pragma once

#include "log/logger.h"
#include "net/socket.h"
#include "net/stop_flag.h"
#include "util/result.h"

#include <cstdint>
#include <string>

namespace sbbs {

struct BindRetry {
    uint32_t count = 2;      // extra attempts after the first
    uint32_t delay_s = 15;   // pause between attempts
};

// One listening socket on `ip` port `port` (IPv6 sockets are IPv6-only so
// "0.0.0.0" and "::" can share a port).
Result<Socket> open_listener(const std::string& ip, uint16_t port);

// open_listener, retried as configured; each failure is logged with
// `label` (e.g. "SMTP"). Returns early (with the last error) on stop.
Result<Socket> open_listener_retrying(const std::string& ip, uint16_t port, const BindRetry& retry,
                                      const std::string& label, Logger& log, StopFlag& stop);

} // namespace sbbs
