// USER-52..54: a user's blocked address tags, data/user/NNNN.smtpblock,
// read afresh at every look-up with the shared pattern-list engine.
#include "userbase/tab_user_directory.h"

#include "config/pattern_list.h"

namespace sbbs {

bool TabUserDirectory::tag_blocked(uint32_t number, std::string_view tag) {
    if (tag.empty() || number == 0) return false;
    const std::string path = user_dir_ + user_file_number(number) + ".smtpblock";
    return PatternList::load(path, nullptr).contains(tag);
}

} // namespace sbbs
