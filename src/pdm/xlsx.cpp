#include "pdm/xlsx.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <minizip/unzip.h>
#include <xlsxwriter.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>

namespace malchin::pdm {
namespace {

constexpr uint64_t kMaxPartBytes = 64u << 20;
constexpr size_t kMaxColumns = 16384;  // Excel's XFD
constexpr size_t kMaxRows = 1u << 20;  // Excel's 1,048,576

// ---- XML helpers (libxml2, namespaces ignored: local names only) --------

void InitXml() {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
}

using XmlDoc = std::unique_ptr<xmlDoc, void (*)(xmlDoc*)>;

Result<XmlDoc> ParseXml(std::string_view part, std::string_view xml) {
  InitXml();
  if (xml.size() > kMaxPartBytes) {
    return Status::InvalidArgument(std::string(part) + " is larger than 64 MB");
  }
  xmlDoc* doc =
      xmlReadMemory(xml.data(), static_cast<int>(xml.size()), nullptr, nullptr,
                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (doc == nullptr || xmlDocGetRootElement(doc) == nullptr) {
    if (doc) xmlFreeDoc(doc);
    return Status::InvalidArgument(std::string(part) +
                                   ": not well-formed XML; expected a part of "
                                   "an .xlsx (Office Open XML) file");
  }
  return XmlDoc(doc, xmlFreeDoc);
}

bool Is(const xmlNode* n, const char* name) {
  return n->type == XML_ELEMENT_NODE &&
         xmlStrcmp(n->name, reinterpret_cast<const xmlChar*>(name)) == 0;
}

std::string Attr(const xmlNode* n, const char* name) {
  for (const xmlAttr* a = n->properties; a; a = a->next) {
    if (xmlStrcmp(a->name, reinterpret_cast<const xmlChar*>(name)) == 0 &&
        a->children && a->children->content) {
      return reinterpret_cast<const char*>(a->children->content);
    }
  }
  return {};
}

// Concatenated text of every <t> below n, skipping phonetic runs (<rPh>).
void CollectText(const xmlNode* n, std::string* out, int depth = 0) {
  if (depth > 16) return;
  for (const xmlNode* c = n->children; c; c = c->next) {
    if (Is(c, "rPh")) continue;
    if (Is(c, "t")) {
      xmlChar* s = xmlNodeGetContent(c);
      if (s) out->append(reinterpret_cast<const char*>(s));
      xmlFree(s);
    } else if (c->type == XML_ELEMENT_NODE) {
      CollectText(c, out, depth + 1);
    }
  }
}

std::string Content(const xmlNode* n) {
  xmlChar* s = xmlNodeGetContent(n);
  std::string out = s ? reinterpret_cast<const char*>(s) : "";
  xmlFree(s);
  return out;
}

const xmlNode* Child(const xmlNode* n, const char* name) {
  for (const xmlNode* c = n->children; c; c = c->next) {
    if (Is(c, name)) return c;
  }
  return nullptr;
}

// "AB12" -> column 27 (0-based), or false.
bool ColumnOf(std::string_view ref, size_t* column) {
  size_t c = 0, i = 0;
  while (i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z' && i < 3) {
    c = c * 26 + (ref[i] - 'A' + 1);
    ++i;
  }
  if (i == 0 || c > kMaxColumns) return false;
  *column = c - 1;
  return true;
}

Result<std::string> CellText(std::string_view part, const xmlNode* c,
                             const std::vector<std::string>& shared) {
  const std::string t = Attr(c, "t");
  if (t == "inlineStr") {
    std::string out;
    if (const xmlNode* is = Child(c, "is")) CollectText(is, &out);
    return out;
  }
  const xmlNode* v = Child(c, "v");
  std::string value = v ? Content(v) : "";
  if (t == "s") {
    char* end = nullptr;
    const unsigned long i = std::strtoul(value.c_str(), &end, 10);
    if (value.empty() || *end != '\0' || i >= shared.size()) {
      return Status::InvalidArgument(
          std::string(part) + " cell " + Attr(c, "r") + ": shared string " +
          value + " does not exist; expected an index below " +
          std::to_string(shared.size()));
    }
    return shared[i];
  }
  if (t == "b") return std::string(value == "1" ? "TRUE" : "FALSE");
  return value;  // n, str, e, d: the text as stored
}

// ---- zip (minizip) ---------------------------------------------------------

class Zip {
 public:
  explicit Zip(const std::string& path) : path_(path) {
    zip_ = unzOpen64(path.c_str());
  }
  ~Zip() {
    if (zip_) unzClose(zip_);
  }
  Zip(const Zip&) = delete;
  Zip& operator=(const Zip&) = delete;
  bool ok() const { return zip_ != nullptr; }

  // The part's bytes; `optional` parts that are absent give "".
  Result<std::string> Read(const std::string& part, bool optional = false) {
    if (unzLocateFile(zip_, part.c_str(), 1) != UNZ_OK) {
      if (optional) return std::string();
      return Status::InvalidArgument(path_ + ": part " + part +
                                     " is missing; expected an .xlsx file");
    }
    unz_file_info64 info;
    if (unzGetCurrentFileInfo64(zip_, &info, nullptr, 0, nullptr, 0, nullptr,
                                0) != UNZ_OK ||
        info.uncompressed_size > kMaxPartBytes) {
      return Status::InvalidArgument(path_ + ": part " + part +
                                     " is unreadable or larger than 64 MB");
    }
    if (unzOpenCurrentFile(zip_) != UNZ_OK) {
      return Status::InvalidArgument(path_ + ": cannot open part " + part);
    }
    std::string out(info.uncompressed_size, '\0');
    int got = out.empty()
                  ? 0
                  : unzReadCurrentFile(zip_, out.data(),
                                       static_cast<unsigned>(out.size()));
    unzCloseCurrentFile(zip_);
    if (got < 0 || static_cast<uint64_t>(got) != info.uncompressed_size) {
      return Status::InvalidArgument(path_ + ": part " + part +
                                     " is damaged (bad compressed data)");
    }
    return out;
  }

 private:
  std::string path_;
  unzFile zip_ = nullptr;
};

// Sheet names and their parts, in workbook order.
Result<std::vector<std::pair<std::string, std::string>>> SheetParts(
    Zip* zip, const std::string& path) {
  MALCHIN_ASSIGN_OR_RETURN(std::string wb_xml, zip->Read("xl/workbook.xml"));
  MALCHIN_ASSIGN_OR_RETURN(std::string rels_xml,
                           zip->Read("xl/_rels/workbook.xml.rels"));
  MALCHIN_ASSIGN_OR_RETURN(
      XmlDoc rels, ParseXml(path + ": xl/_rels/workbook.xml.rels", rels_xml));
  std::map<std::string, std::string> target;
  for (const xmlNode* r = xmlDocGetRootElement(rels.get())->children; r;
       r = r->next) {
    if (!Is(r, "Relationship")) continue;
    std::string t = Attr(r, "Target");
    t = t.starts_with("/") ? t.substr(1) : "xl/" + t;
    target[Attr(r, "Id")] = t;
  }
  MALCHIN_ASSIGN_OR_RETURN(XmlDoc wb,
                           ParseXml(path + ": xl/workbook.xml", wb_xml));
  std::vector<std::pair<std::string, std::string>> out;
  const xmlNode* sheets = Child(xmlDocGetRootElement(wb.get()), "sheets");
  for (const xmlNode* s = sheets ? sheets->children : nullptr; s; s = s->next) {
    if (!Is(s, "sheet")) continue;
    auto it = target.find(Attr(s, "id"));
    if (it == target.end()) {
      return Status::InvalidArgument(path + ": sheet '" + Attr(s, "name") +
                                     "' has no part in "
                                     "xl/_rels/workbook.xml.rels");
    }
    out.emplace_back(Attr(s, "name"), it->second);
  }
  return out;
}

}  // namespace

std::string_view Sheet::Cell(size_t row, size_t column) const {
  if (row >= rows.size() || column >= rows[row].size()) return {};
  return rows[row][column];
}

const Sheet* Workbook::Find(std::string_view name) const {
  for (const Sheet& s : sheets) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

Result<std::vector<std::string>> ParseSharedStrings(std::string_view part,
                                                    std::string_view xml) {
  MALCHIN_ASSIGN_OR_RETURN(XmlDoc doc, ParseXml(part, xml));
  std::vector<std::string> out;
  for (const xmlNode* si = xmlDocGetRootElement(doc.get())->children; si;
       si = si->next) {
    if (!Is(si, "si")) continue;
    std::string text;
    CollectText(si, &text);
    out.push_back(std::move(text));
  }
  return out;
}

Result<std::vector<std::vector<std::string>>> ParseWorksheet(
    std::string_view part, std::string_view xml,
    const std::vector<std::string>& shared) {
  MALCHIN_ASSIGN_OR_RETURN(XmlDoc doc, ParseXml(part, xml));
  std::vector<std::vector<std::string>> rows;
  const xmlNode* data = Child(xmlDocGetRootElement(doc.get()), "sheetData");
  for (const xmlNode* r = data ? data->children : nullptr; r; r = r->next) {
    if (!Is(r, "row")) continue;
    const std::string rnum = Attr(r, "r");
    size_t row = rows.size();
    if (!rnum.empty()) {
      char* end = nullptr;
      row = std::strtoul(rnum.c_str(), &end, 10) - 1;
      if (*end != '\0' || row >= kMaxRows || row < rows.size()) {
        return Status::InvalidArgument(std::string(part) + ": row number " +
                                       rnum + " is out of order or range");
      }
    }
    rows.resize(row + 1);
    std::vector<std::string>& cells = rows[row];
    for (const xmlNode* c = r->children; c; c = c->next) {
      if (!Is(c, "c")) continue;
      size_t col = cells.size();
      const std::string ref = Attr(c, "r");
      if (!ref.empty() && !ColumnOf(ref, &col)) {
        return Status::InvalidArgument(std::string(part) + ": cell reference " +
                                       ref + " is not valid; expected e.g. B7");
      }
      MALCHIN_ASSIGN_OR_RETURN(std::string text, CellText(part, c, shared));
      if (col >= cells.size()) cells.resize(col + 1);
      cells[col] = std::move(text);
    }
  }
  return rows;
}

Result<Workbook> ReadXlsx(const std::string& path) {
  if (!std::filesystem::exists(path))
    return Status::NotFound("no file " + path);
  Zip zip(path);
  if (!zip.ok()) {
    return Status::InvalidArgument(path +
                                   ": not a zip file; expected an .xlsx file");
  }
  MALCHIN_ASSIGN_OR_RETURN(auto parts, SheetParts(&zip, path));
  MALCHIN_ASSIGN_OR_RETURN(std::string ss_xml,
                           zip.Read("xl/sharedStrings.xml", true));
  std::vector<std::string> shared;
  if (!ss_xml.empty()) {
    MALCHIN_ASSIGN_OR_RETURN(
        shared, ParseSharedStrings(path + ": xl/sharedStrings.xml", ss_xml));
  }
  Workbook wb;
  for (auto& [name, part] : parts) {
    MALCHIN_ASSIGN_OR_RETURN(std::string xml, zip.Read(part));
    MALCHIN_ASSIGN_OR_RETURN(auto rows,
                             ParseWorksheet(path + ": " + part, xml, shared));
    wb.sheets.push_back({name, std::move(rows)});
  }
  return wb;
}

namespace {

lxw_error WriteCell(lxw_worksheet* ws, size_t r, size_t c,
                    const std::string& text, bool numbers) {
  const auto row = static_cast<lxw_row_t>(r);
  const auto col = static_cast<lxw_col_t>(c);
  double v = 0;
  const char* end = text.data() + text.size();
  if (numbers) {
    auto [ptr, ec] = std::from_chars(text.data(), end, v);
    if (ec == std::errc() && ptr == end && std::isfinite(v)) {
      return worksheet_write_number(ws, row, col, v, nullptr);
    }
  }
  return worksheet_write_string(ws, row, col, text.c_str(), nullptr);
}

}  // namespace

Status WriteXlsx(const Workbook& workbook, const std::string& path) {
  std::set<std::string> names;
  for (const Sheet& s : workbook.sheets) {
    if (s.name.empty() || s.name.size() > 31 ||
        s.name.find_first_of("[]:*?/\\") != std::string::npos ||
        !names.insert(s.name).second) {
      return Status::InvalidArgument(
          "sheet name '" + s.name +
          "' cannot be used; expected 1 to 31 characters, none of []:*?/\\, "
          "and no repeat");
    }
  }
  const std::string tmp = path + ".tmp";
  lxw_workbook* wb = workbook_new(tmp.c_str());
  if (wb == nullptr) return Status::Internal("cannot create " + tmp);
  lxw_doc_properties props = {};
  props.created = 1;  // a fixed date: the same form gives the same bytes
  workbook_set_properties(wb, &props);
  lxw_error err = LXW_NO_ERROR;
  for (const Sheet& s : workbook.sheets) {
    lxw_worksheet* ws = workbook_add_worksheet(wb, s.name.c_str());
    for (size_t r = 0; ws && r < s.rows.size() && !err; ++r) {
      for (size_t c = 0; c < s.rows[r].size() && !err; ++c) {
        if (s.rows[r][c].empty()) continue;
        err = WriteCell(ws, r, c, s.rows[r][c], s.write_numbers);
      }
    }
    if (ws == nullptr) err = LXW_ERROR_SHEETNAME_ALREADY_USED;
  }
  const lxw_error closed = workbook_close(wb);
  if (err == LXW_NO_ERROR) err = closed;
  std::error_code ec;
  if (err != LXW_NO_ERROR) {
    std::filesystem::remove(tmp, ec);
    return Status::Internal("cannot write " + path + ": " + lxw_strerror(err));
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Status::Internal("cannot rename " + tmp + ": " + ec.message());
  return Status::Ok();
}

}  // namespace malchin::pdm
