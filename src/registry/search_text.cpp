#include "registry/search_text.h"

#include <vector>

#include "core/text.h"
#include "registry/model.h"
#include "registry/register_number.h"

namespace malchin::registry {
namespace {

// Splits a name query into the given-name key (its last word with
// letters) and the father's-name key (the words before it, if any).
void SplitName(std::string_view text, std::string* father, std::string* given) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < text.size()) {
    size_t b = text.find_first_not_of(" \t.,", i);
    if (b == std::string_view::npos) break;
    size_t e = text.find_first_of(" \t.,", b);
    if (e == std::string_view::npos) e = text.size();
    if (!text::NameKey(text.substr(b, e - b)).empty()) {
      words.push_back(text.substr(b, e - b));
    }
    i = e;
  }
  father->clear();
  given->clear();
  if (words.empty()) return;
  *given = text::NameKey(words.back());
  if (words.size() > 1) {
    *father = text::NameKey(text.substr(words.front().data() - text.data(),
                                        words[words.size() - 2].data() +
                                            words[words.size() - 2].size() -
                                            words.front().data()));
  }
}

}  // namespace

Result<SearchText> ParseSearchText(std::string_view text, bool persons) {
  SearchText out;
  std::string rn = NormalizeRegisterNumber(text);
  if (ParseRegisterNumber(rn).ok()) {
    out.register_no = std::move(rn);
    return out;
  }
  SplitName(text, &out.father_key, &out.given_key);
  out.household_id = !persons && IsValidHouseholdId(text);
  if (out.given_key.empty() && !out.household_id) {
    return Status::InvalidArgument(
        "q '" + std::string(text) +
            "': expected a register number (2 Cyrillic letters and 8 "
            "digits), a household id or a name (the start of the given "
            "name, after the father's name if you give both)",
        "q");
  }
  return out;
}

}  // namespace malchin::registry
