// A NewMessage that keeps the text its body lends (a NewMessage holds no
// text of its own, SEC-11), for tests that build messages in helpers.
#pragma once

#include "msgbase/mail_store.h"

#include <memory>
#include <string>

namespace sbbs::test {

// The text lives on the heap, so a moved OwnedMessage still points at it and
// copying is refused. Keep one as `auto m = helper();`: a NewMessage sliced
// out of it would outlive its text.
struct OwnedMessage : NewMessage {
    OwnedMessage() = default;
    explicit OwnedMessage(std::string text) : text_(std::make_unique<std::string>(std::move(text))) { body = *text_; }

private:
    std::unique_ptr<std::string> text_;
};

} // namespace sbbs::test
