// An external mail processor's command line (SMTP-216, CFG-165) turned into
// an argv: the line is split into words first and the % specifiers are
// expanded inside each word afterwards, so message data (a sender name, a
// subject-derived address) always stays one argument and never reaches a shell.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sbbs::mailproc {

// What the specifiers stand for in one run.
struct CommandValues {
    std::string message_file;       // %m %f
    std::string new_message_file;   // %n
    std::string recipient_list;     // %l
    std::string error_file;         // %e
    std::string debug_log;          // %d
    std::string client_host;        // %h
    std::string client_ip;          // %i
    std::string sender_name;        // %s
    std::string sender_address;     // %a
    uint32_t user_number = 0;       // %u
    std::string reverse_path;       // %r
    std::string recipient;          // %t (the last RCPT, SMTP-159)
    std::string temp_dir;           // %g
    std::string data_dir;           // %j
    std::string ctrl_dir;           // %k
    std::string text_dir;           // %z
    std::string exec_dir;           // %!  (%@ is empty on Unix)
    std::string sysop;              // %o
    std::string qwk_id;             // %q
    std::string version;            // %v
    std::string platform;           // %? (lower case)
    std::string hello_name;         // no specifier: a JavaScript global (SMTP-218)
};

// Words separated by blanks; a double-quoted stretch keeps its blanks (the
// quotes are dropped), as a sysop writes "C:\Program Files\x" in the INI.
std::vector<std::string> split_command(std::string_view line);
// SMTP-216: case-insensitive specifiers; unknown ones and a trailing '%'
// expand to nothing; "%%" is one percent sign.
std::string expand_specifiers(std::string_view word, const CommandValues& v);
// split_command, then expand_specifiers on each word; empty words that came
// from an expansion are kept (a missing value is still an argument).
std::vector<std::string> command_argv(std::string_view line, const CommandValues& v);

} // namespace sbbs::mailproc
