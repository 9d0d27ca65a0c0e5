// The SQL of a register search on PostgreSQL. Every form is index-driven
// (the conformance test SearchesAreIndexDriven checks the plans):
//   - soum: households_soum (soum_code, id) INCLUDE (herder,
//     deactivated_on) gives the soum's households in id order; an aimag is
//     a range of that index;
//   - register number: persons_register_no; household id: households' own
//     unique index on id;
//   - name: persons_given_birth over malchin_name_key(given_name), a range
//     for the prefix; earlier words must start the father's name (checked
//     on the row);
//   - after (keyset paging): continues from a key in the sort order.
// The area is the session's (PgSession::Area, $1); the other parameters
// are numbered as conditions are added, and the shape names the statement.
#include "backends/postgres/registry_search.h"

#include <algorithm>

#include "registry/search_text.h"

namespace malchin::backends::postgres {
namespace {

using registry::SearchQuery;
using store::AreaFilter;

// Conditions and their parameters, numbered in order.
class Conditions {
 public:
  explicit Conditions(std::vector<PgValue>* params) : params_(params) {}
  // "$n" for a new parameter `v` (anything ToPg takes).
  template <class T>
  std::string Param(const T& v) {
    params_->push_back(ToPg(v));
    return "$" + std::to_string(params_->size());
  }
  void Add(const std::string& sql) {
    if (!where_.empty()) where_ += " AND ";
    where_ += sql;
  }
  const std::string& where() const { return where_; }

 private:
  std::vector<PgValue>* params_;
  std::string where_;
};

// The condition of a name search over persons p (`match`), the start of a
// key as a range of the index: keys are a-z only, and '{' follows 'z'.
std::string NameMatch(Conditions& c, const registry::SearchText& t) {
  std::string match =
      "malchin_name_key(p.given_name) >= " + c.Param(t.given_key) +
      " AND malchin_name_key(p.given_name) < " + c.Param(t.given_key + "{");
  if (!t.father_key.empty()) {
    match += " AND malchin_name_key(p.father_name) BETWEEN " +
             c.Param(t.father_key) + " AND " + c.Param(t.father_key + "{");
  }
  return match;
}

// The text's condition and the letters of its shape.
Status AddText(Conditions& c, const SearchQuery& q, bool persons,
               std::string* shape) {
  MALCHIN_ASSIGN_OR_RETURN(registry::SearchText t,
                           registry::ParseSearchText(q.text, persons));
  if (!t.register_no.empty()) {
    *shape += "r";
    std::string rn = c.Param(t.register_no);
    c.Add(persons ? "p.register_no = " + rn
                  : "h.hh IN (SELECT hh FROM persons WHERE register_no = " +
                        rn + ")");
    return Status::Ok();
  }
  if (t.given_key.empty()) {
    *shape += "i";
    c.Add("h.id = " + c.Param(q.text));
    return Status::Ok();
  }
  *shape += t.father_key.empty() ? "n" : "f";
  std::string match = NameMatch(c, t);
  if (persons) {
    c.Add(match);
  } else if (t.household_id) {
    // A household id that is also a name ("A1"): both, each through its
    // own index (a UNION, not an OR that scans).
    *shape += "i";
    c.Add("h.hh IN (SELECT p.hh FROM persons p WHERE " + match +
          " UNION SELECT hh FROM households WHERE id = " + c.Param(q.text) +
          ")");
  } else {
    c.Add("h.hh IN (SELECT p.hh FROM persons p WHERE " + match + ")");
  }
  return Status::Ok();
}

}  // namespace

Result<PgSearch> BuildPgSearch(const PgSession& s, const AreaFilter& area,
                               const SearchQuery& q, bool persons) {
  PgSearch out;
  out.shape = persons ? "p" : "h";
  // The query's soum and the area must agree; otherwise nothing matches
  // (soum -1 is no soum).
  AreaFilter requested = area;
  if (q.soum_code) {
    requested =
        area.Intersect(AreaFilter{0, q.soum_code}).value_or(AreaFilter{0, -1});
  }
  PgArea a = s.Area(requested, "h.soum_code", 1);
  out.shape += a.key;
  Conditions c(&out.params);
  c.Param(a.value);  // $1, as a.sql says.
  c.Add(a.sql);
  if (!q.include_inactive) {
    out.shape += "a";
    c.Add("h.deactivated_on IS NULL");
    if (persons) c.Add("p.deactivated_on IS NULL");
  }
  if (q.herder) {
    out.shape += "H";
    c.Add((persons ? "p.herder = " : "h.herder = ") + c.Param(*q.herder));
  }
  if (!q.text.empty()) {
    MALCHIN_RETURN_IF_ERROR(AddText(c, q, persons, &out.shape));
  }
  out.where = c.where();
  out.page_params = out.params;
  Conditions page(&out.page_params);
  page.Add(c.where());
  if (!q.after.empty()) {
    out.shape += "k";
    page.Add((persons ? "p.register_no > " : "h.id > ") + page.Param(q.after));
  }
  out.page_where = page.where();
  int size = std::clamp(q.page_size, 1, 500);
  int64_t offset = q.after.empty()
                       ? static_cast<int64_t>(std::max(q.page, 1) - 1) * size
                       : 0;
  out.limit = page.Param(size);
  out.offset = page.Param(offset);
  return out;
}

}  // namespace malchin::backends::postgres
