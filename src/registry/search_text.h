// What the text of a register search asks for (registry::SearchQuery::text,
// repository.h), decided once for every engine: a register number, a name
// (the start of the given name, after the start of the father's name when
// there are several words) or a household id, each as the keys the
// engines' indexes hold.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace malchin::registry {

struct SearchText {
  // The normalized register number when the text is one (then nothing
  // else is set).
  std::string register_no;
  // A name search: text::NameKey of the given name's start, and of the
  // father's name's start (empty when the text is one word).
  std::string given_key;
  std::string father_key;
  // Households only: the text is also a valid household id (matched
  // exactly, as well as a name when given_key is set).
  bool household_id = false;
};

// The search for `text` over persons (`persons`) or households.
// InvalidArgument (field "q") for a text that is none of the three.
// REQUIRES: `text` is not empty.
Result<SearchText> ParseSearchText(std::string_view text, bool persons);

}  // namespace malchin::registry
