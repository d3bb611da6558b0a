// Base64Lines (see base64_lines.h).
#include "mime/base64_lines.h"

#include <algorithm>

namespace sbbs::mime {

namespace {
constexpr size_t kLineOctets = 57;              // 76 characters (RFC 2045 6.8)
constexpr size_t kFlushAt = 64 * 1024;
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void encode(std::string_view in, std::string& out) {
    size_t i = 0;
    for (; i + 3 <= in.size(); i += 3) {
        uint32_t v = uint32_t(uint8_t(in[i])) << 16 | uint32_t(uint8_t(in[i + 1])) << 8 | uint8_t(in[i + 2]);
        out += kAlphabet[v >> 18];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += kAlphabet[v & 63];
    }
    if (i == in.size()) return;
    uint32_t v = uint32_t(uint8_t(in[i])) << 16 | (i + 1 < in.size() ? uint32_t(uint8_t(in[i + 1])) << 8 : 0);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
}
} // namespace

void Base64Lines::feed(std::string_view data) {
    while (!data.empty()) {
        size_t take = std::min(kLineOctets - group_.size(), data.size());
        group_.append(data.substr(0, take));
        data.remove_prefix(take);
        if (group_.size() == kLineOctets) line();
    }
}

void Base64Lines::line() {
    if (!first_) buffered_ += "\r\n";
    first_ = false;
    encode(group_, buffered_);
    group_.clear();
    if (buffered_.size() >= kFlushAt) {
        out_.append(buffered_);
        buffered_.clear();
    }
}

void Base64Lines::finish() {
    if (!group_.empty()) line();
    out_.append(buffered_);
    buffered_.clear();
}

} // namespace sbbs::mime
