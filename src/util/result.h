// Result<T>: the value of an operation that can fail in an expected way, or
// the Error saying what failed (a std::expected stand-in for C++20).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace sbbs {

// What failed, in words a sysop can act on ("data/mail.shd: bad header id").
// `code` is an optional machine-readable kind for callers that must branch
// on it (e.g. ErrorCode::Locked to retry, ErrorCode::DiskFull for 452).
// TooLarge: over a limit of the format (an SMB header's 64 KiB), not of the disk.
// Stale: the files an open handle uses are no longer the ones at its path
// (replaced or deleted while it waited for a lock); reopen and try again.
enum class ErrorCode { Generic, NotFound, Locked, Corrupt, DiskFull, Io, Invalid, Denied, TooLarge, Stale };

struct Error {
    std::string message;
    ErrorCode code = ErrorCode::Generic;
};

inline Error make_error(std::string message, ErrorCode code = ErrorCode::Generic) {
    return Error{std::move(message), code};
}

template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::move(value)) {}
    Result(Error error) : v_(std::move(error)) {}

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const Error& error() const { return std::get<1>(v_); }

private:
    std::variant<T, Error> v_;
};

// Result of an operation that yields nothing but success or an Error.
class [[nodiscard]] Status {
public:
    Status() = default;
    Status(Error error) : error_(std::move(error)) {}
    static Status success() { return Status(); }

    bool ok() const { return !error_.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return *error_; }

private:
    std::optional<Error> error_;
};

} // namespace sbbs
