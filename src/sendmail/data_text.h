// The message text as DATA carries it (SEC-2 outbound, SEC-5): CR LF line
// ends only and dot-stuffed, written in blocks straight from the text; and
// as one BDAT chunk carries it (RFC 3030): the same lines, not stuffed.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace sbbs {

// `text` with CR LF, a lone CR and a lone LF each made one CR LF (as Postfix
// reads them), and a last line without an end given one: the lines DATA
// carries before dot-stuffing, so what DKIM signs is what is sent. Text
// already in that shape is given back as it is, not copied.
std::string crlf_lines(std::string text);

// The lines of `text` (as crlf_lines reads them) dot-stuffed, each ending in
// CR LF, passed to `write` in blocks of about 64 KiB (ours, SEC-5: memory per
// worker stays one block, not one string per line); without the final "."
// line. False as soon as `write` is; `lines` counts the lines written.
// `on_line`, when given, sees each line before stuffing (SEND-65 logging).
bool write_data_text(std::string_view text, const std::function<bool(std::string_view)>& write, size_t& lines,
                     const std::function<void(std::string_view)>& on_line = {});

// The bytes write_chunk_text writes for `text`: the BDAT chunk size.
size_t crlf_size(std::string_view text);

// The lines of `text` as write_data_text cuts and ends them, but not
// dot-stuffed (a BDAT chunk is counted, not ended by a dot), so the bytes
// are the ones DATA's receiver stores.
bool write_chunk_text(std::string_view text, const std::function<bool(std::string_view)>& write, size_t& lines,
                      const std::function<void(std::string_view)>& on_line = {});

} // namespace sbbs
