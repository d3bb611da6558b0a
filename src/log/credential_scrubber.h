// Masks credentials in protocol lines before they are logged (RX: and TX:
// debug lines, spy logs), so no log line can carry a password: AUTH PLAIN /
// LOGIN arguments and their 334 continuation lines, CRAM-MD5 responses,
// POP3 PASS and the APOP digest. One scrubber per direction of a session,
// because continuation lines are only recognisable by what came before.
#pragma once

#include <string>
#include <string_view>

namespace sbbs {

inline constexpr std::string_view kMasked = "********";

// One command line with its credential arguments masked, without any
// memory of earlier lines; `continuation_lines` (if given) receives how many
// following lines are credentials (2 after "AUTH LOGIN", 1 after "AUTH PLAIN").
std::string mask_command_credentials(std::string_view line, int* continuation_lines = nullptr);

class CredentialScrubber {
public:
    // The line as it may be logged; remembers whether the next line(s) are
    // credentials (e.g. the two lines after "AUTH LOGIN").
    std::string scrub(std::string_view line);
    // The session knows better (e.g. the server answered 504, so no
    // continuation follows).
    void expect_credentials(int lines) { pending_ = lines; }
    int pending() const { return pending_; }

private:
    int pending_ = 0;
};

} // namespace sbbs
