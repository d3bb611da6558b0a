// A state database in a fresh temporary directory, removed afterwards, with
// a clock the test moves by hand.
#pragma once

#include "state/database.h"

#include <catch.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <random>
#include <string>

namespace sbbs::test {

struct TempDb {
    std::filesystem::path dir;
    std::unique_ptr<Database> db;
    int64_t now = 1'700'000'000;

    TempDb() {
        std::random_device rd;
        dir = std::filesystem::temp_directory_path() / ("sbbsmail-state-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(dir);
        reopen();
    }
    ~TempDb() {
        db.reset();
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
    std::string path() const { return state_db_path(dir.string() + "/"); }
    void reopen() {
        db.reset();
        auto r = Database::open(path());
        if (!r) FAIL(r.error().message);
        db = std::move(*r);
    }
    auto clock() { return [this] { return now; }; }
};

} // namespace sbbs::test
