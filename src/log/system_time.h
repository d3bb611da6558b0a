// Dates as the original writes them in hack.log, spam.log and auto-exempt
// comments (SMTP-79, SMTP-236, SMTP-241): the system's date/time display
// format, "Fri Aug 21 2026 10:07 pm", or "Fri Aug 21 2026 22:07:47" when
// main.ini settings has the 24-hour (military) time bit.
#pragma once

#include <cstdint>
#include <ctime>
#include <string>

namespace sbbs {

// main.ini `settings` bit for 24-hour time (the original's SM_MILITARY).
inline constexpr uint32_t kSysMilitaryTime = 1u << 18;

std::string system_time_text(const std::tm& local, uint32_t sys_settings);
std::string system_time_text(std::time_t when, uint32_t sys_settings);

} // namespace sbbs
