// The SQL of a register search. Every form is index-driven (the
// conformance tests check SQLite's plans).
#include "backends/sqlite/registry_search.h"

#include <algorithm>
#include <vector>

#include "registry/search_text.h"

namespace malchin::backends::sqlite {

using registry::SearchQuery;
using store::AreaFilter;

// The WHERE clause of a search (over households h, and persons p when
// `persons`) and its parameters (?1..?9; ?20/?21 are LIMIT/OFFSET). Every
// form is index-driven (store_test checks the plans):
//   - soum: households_soum (soum_code, id, herder, deactivated_on) gives
//     the soum's households in id order, filters and count from the index;
//   - register number: persons_register_no; household id: its unique index;
//   - name: persons_given_birth over malchin_name_key(given_name), a range
//     for the prefix; earlier words must start the father's name (checked
//     on the row, keys ?7..?8).
//   - after (keyset paging): continues from a key in the sort order.
void SearchSql::Bind(Stmt& s) const {
  if (soum) s.Bind(1, soum);
  if (aimag) s.Bind(2, aimag);
  s.Bind(3, herder);
  if (!text.empty()) s.Bind(4, std::string_view(text));
  if (!key_lo.empty()) {
    s.Bind(5, std::string_view(key_lo)).Bind(6, std::string_view(key_hi));
  }
  if (!full_lo.empty()) {
    s.Bind(7, std::string_view(full_lo)).Bind(8, std::string_view(full_hi));
  }
  if (!after.empty()) s.Bind(9, std::string_view(after));
}

Result<SearchSql> BuildSearch(const AreaFilter& area, const SearchQuery& q,
                              bool persons) {
  SearchSql w;
  std::vector<std::string> conds;
  if (!q.include_inactive) {
    conds.push_back("h.deactivated_on IS NULL");
    if (persons) conds.push_back("p.deactivated_on IS NULL");
  }
  // The query's soum and the area must agree; otherwise nothing matches.
  AreaFilter a = area;
  if (q.soum_code) {
    if (!area.Matches(q.soum_code)) {
      conds.push_back("0");
    } else {
      a.soum_code = q.soum_code;
    }
  }
  if (a.soum_code) {
    w.soum = a.soum_code;
    conds.push_back("h.soum_code = ?1");
  } else if (a.aimag_code) {
    w.aimag = a.aimag_code;
    conds.push_back("h.soum_code BETWEEN ?2 * 100 AND ?2 * 100 + 99");
  }
  if (q.herder) {
    w.herder = *q.herder ? 1 : 0;
    conds.push_back(persons ? "p.herder = ?3" : "h.herder = ?3");
  }
  if (!q.text.empty()) {
    MALCHIN_ASSIGN_OR_RETURN(registry::SearchText t,
                             registry::ParseSearchText(q.text, persons));
    if (!t.register_no.empty()) {
      w.text = t.register_no;
      conds.push_back(persons ? "p.register_no = ?4"
                              : "h.hh IN (SELECT hh FROM persons WHERE "
                                "register_no = ?4)");
    } else if (!t.given_key.empty()) {
      w.key_lo = t.given_key;
      w.key_hi = t.given_key + "{";  // Keys are a-z only; '{' follows 'z'.
      std::string match =
          "malchin_name_key(p.given_name) >= ?5 AND "
          "malchin_name_key(p.given_name) < ?6";
      if (!t.father_key.empty()) {
        w.full_lo = t.father_key;
        w.full_hi = t.father_key + "{";
        match += " AND malchin_name_key(p.father_name) BETWEEN ?7 AND ?8";
      }
      if (persons) {
        conds.push_back(match);
      } else if (t.household_id) {
        // A household id that is also a name ("A1"): both, each through
        // its own index (a UNION, not an OR that scans).
        w.text = q.text;
        conds.push_back("h.hh IN (SELECT p.hh FROM persons p WHERE " + match +
                        " UNION SELECT hh FROM households WHERE id = "
                        "?4)");
      } else {
        conds.push_back("h.hh IN (SELECT p.hh FROM persons p WHERE " + match +
                        ")");
      }
    } else {
      w.text = q.text;
      conds.push_back("h.id = ?4");
    }
  }
  if (conds.empty()) conds.push_back("1");
  for (size_t i = 0; i < conds.size(); ++i) {
    if (i) w.where += " AND ";
    w.where += conds[i];
  }
  w.page_where = w.where;
  if (!q.after.empty()) {
    w.after = q.after;
    w.page_where += persons ? " AND p.register_no > ?9" : " AND h.id > ?9";
  }
  int size = std::clamp(q.page_size, 1, 500);
  w.limit = size;
  w.offset = q.after.empty()
                 ? static_cast<int64_t>(std::max(q.page, 1) - 1) * size
                 : 0;
  return w;
}

}  // namespace malchin::backends::sqlite
