// Command-line splitting and % expansion (see command_line.h).
#include "mailproc/command_line.h"

#include "util/strings.h"

#include <cctype>

namespace sbbs::mailproc {

std::vector<std::string> split_command(std::string_view line) {
    std::vector<std::string> words;
    std::string word;
    bool in_word = false, quoted = false;
    for (char c : line) {
        if (c == '"') { quoted = !quoted; in_word = true; continue; }
        if (!quoted && (c == ' ' || c == '\t' || c == '\r' || c == '\n')) {
            if (in_word) words.push_back(std::move(word));
            word.clear();
            in_word = false;
            continue;
        }
        word += c;
        in_word = true;
    }
    if (in_word) words.push_back(std::move(word));
    return words;
}

namespace {

std::string value_of(char spec, const CommandValues& v) {
    switch (spec) {
    case 'm': case 'f': return v.message_file;
    case 'n': return v.new_message_file;
    case 'l': return v.recipient_list;
    case 'e': return v.error_file;
    case 'd': return v.debug_log;
    case 'h': return v.client_host;
    case 'i': return v.client_ip;
    case 's': return v.sender_name;
    case 'a': return v.sender_address;
    case 'u': return std::to_string(v.user_number);
    case 'r': return v.reverse_path;
    case 't': return v.recipient;
    case 'g': return v.temp_dir;
    case 'j': return v.data_dir;
    case 'k': return v.ctrl_dir;
    case 'z': return v.text_dir;
    case '!': return v.exec_dir;
    case 'o': return v.sysop;
    case 'q': return v.qwk_id;
    case 'v': return v.version;
    case '?': return to_lower(v.platform);
    case '%': return "%";
    default: return {};          // %@ (empty on Unix) and unknown specifiers
    }
}

} // namespace

std::string expand_specifiers(std::string_view word, const CommandValues& v) {
    std::string out;
    for (size_t i = 0; i < word.size(); ++i) {
        if (word[i] != '%') { out += word[i]; continue; }
        if (++i == word.size()) break;
        out += value_of(char(std::tolower((unsigned char)word[i])), v);
    }
    return out;
}

std::vector<std::string> command_argv(std::string_view line, const CommandValues& v) {
    std::vector<std::string> argv;
    for (const std::string& w : split_command(line)) argv.push_back(expand_specifiers(w, v));
    return argv;
}

} // namespace sbbs::mailproc
