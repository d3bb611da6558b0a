// One SMTP reply: the basic code, the RFC 3463 enhanced code and the text.
#pragma once

#include <string>

namespace sbbs::smtp {

struct Reply {
    int code = 250;
    std::string enhanced;   // "2.0.0"; empty for 220/221 greeting-like and 334/354
    std::string text;

    // One wire line without CR LF ("250 2.0.0 OK").
    std::string line() const {
        std::string s = std::to_string(code);
        s += ' ';
        if (!enhanced.empty()) { s += enhanced; s += ' '; }
        s += text;
        return s;
    }
};

inline Reply ok(std::string enhanced = "2.0.0") { return {250, std::move(enhanced), "OK"}; }
inline Reply bad_sequence() { return {503, "5.5.1", "Bad sequence of commands"}; }    // SMTP-46
inline Reply syntax_error() { return {500, "5.5.2", "Syntax error"}; }                // SMTP-48

} // namespace sbbs::smtp
