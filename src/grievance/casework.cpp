// Work on a case: moves of the workflow, assignment, classification,
// confidentiality, notes, attachments.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "auth/accounts.h"
#include "auth/roles.h"
#include "core/text.h"
#include "grievance/service.h"
#include "grievance/workflow.h"
#include "store/audit.h"

namespace malchin::grievance {
namespace {

using nlohmann::json;

constexpr int64_t kMaxAttachment = int64_t{5} << 20;
constexpr size_t kMaxText = 2000;

// "type/subtype" of letters, digits and .+- only.
bool IsMediaType(const std::string& t) {
  size_t slash = t.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == t.size() ||
      t.size() > 100) {
    return false;
  }
  return std::all_of(t.begin(), t.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' ||
           c == '.' || c == '+' || c == '-';
  });
}

bool IsFileName(const std::string& n) {
  if (n.empty() || n.size() > 200 || n == "." || n == ".." ||
      text::FindInvalidUtf8(n)) {
    return false;
  }
  return std::none_of(n.begin(), n.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == '/' || c == '\\' ||
           c == '"';
  });
}

}  // namespace

Result<Case> Service::Move(int64_t id, Action action, const std::string& text,
                           int64_t expected_version) {
  if (NeedsText(action) && text.empty()) {
    return Status::InvalidArgument(
        std::string(ActionName(action)) +
            " needs a text: the resolution, the referral or the reason",
        "text");
  }
  MALCHIN_RETURN_IF_ERROR(CheckFreeText("text", text, kMaxText, true));
  const std::string name = "grievance." + std::string(ActionName(action));
  return Change(id, expected_version, name,
                [&](Case& c, CaseEvent& e, json& detail) -> Status {
                  MALCHIN_ASSIGN_OR_RETURN(CaseState to,
                                           NextState(c.state, action));
                  if (action == Action::kClose) {
                    MALCHIN_RETURN_IF_ERROR(CheckClosable(c));
                  }
                  e.kind = EventKind::kTransition;
                  e.from = c.state;
                  e.to = to;
                  e.text = text;
                  detail["from"] = CaseStateName(c.state);
                  if (!text.empty()) detail["text"] = text;
                  c.state = to;
                  const Date today = Today();
                  switch (action) {
                    case Action::kAcknowledge:
                      c.acknowledged_on = today;
                      return RenderNotices(c, NoticeKind::kAcknowledgement);
                    case Action::kResolve:
                    case Action::kRefer:
                    case Action::kReject:
                      c.decided_on = today;
                      c.outcome = text;
                      return RenderNotices(c, NoticeKind::kOutcome);
                    case Action::kClose:
                      c.closed_on = today;
                      return Status::Ok();
                    case Action::kReopen:
                      c.decided_on.reset();
                      c.closed_on.reset();
                      c.outcome.clear();
                      return Status::Ok();
                    case Action::kStartReview:
                      return Status::Ok();
                  }
                  return Status::Ok();
                });
}

Status Service::CheckClosable(const Case& c) {
  MALCHIN_ASSIGN_OR_RETURN(std::vector<Fix> fixes, repo_.Fixes(c.id));
  for (const Fix& f : fixes) {
    MALCHIN_ASSIGN_OR_RETURN(std::string state, FixState(f));
    if (state == "pending") {
      return Status::FailedPrecondition(
          "complaint " + c.reference + " cannot close: its " +
          std::string(FixKindName(f.kind)) + " " +
          std::to_string(f.external_id) +
          " waits for a second officer's decision in the " +
          std::string(FixCapability(f.kind)) + " capability");
    }
  }
  if (c.complainant.contact == Contact::kNone) return Status::Ok();
  MALCHIN_ASSIGN_OR_RETURN(std::vector<Notice> notices, repo_.Notices(c.id));
  bool told = false;
  for (const Notice& n : notices) {
    if (n.kind != NoticeKind::kOutcome || n.channel != NoticeChannel::kLetter) {
      continue;
    }
    if (n.status == NoticeStatus::kToPrint) {
      return Status::FailedPrecondition(
          "complaint " + c.reference +
          " cannot close before the complainant is told: print the outcome "
          "letter " +
          std::to_string(n.id) + " and mark it printed");
    }
    told = told || n.created_at.substr(0, 10) >= c.decided_on->ToString();
  }
  if (!told) {
    return Status::FailedPrecondition("complaint " + c.reference +
                                      " has no outcome letter for its "
                                      "decision; nothing was closed");
  }
  return Status::Ok();
}

Result<Case> Service::Assign(int64_t id, const std::string& username,
                             int64_t expected_version) {
  std::optional<auth::UserRecord> user;
  if (!username.empty()) {
    MALCHIN_ASSIGN_OR_RETURN(
        user, session_.Get<auth::AccountRepository>().FindUser(username));
    if (!user || user->disabled) {
      return Status::InvalidArgument("assigned_to '" + username +
                                         "': expected an active officer's user "
                                         "name",
                                     "assigned_to");
    }
  }
  return Change(
      id, expected_version, "grievance.assign",
      [&](Case& c, CaseEvent& e, json& detail) -> Status {
        if (user) {
          store::Caller as{user->username, user->role,
                           store::AreaFilter::FromCode(user->area_code)};
          if (!CanSee(ViewerOf(as), HeaderOf(c))) {
            return Status::FailedPrecondition(
                username + " may not handle complaint " + c.reference +
                " (their role or area, or the complaint is about them)");
          }
          bool wide = as.area.soum_code == 0;
          if ((c.level == Level::kAimag && !wide) ||
              (c.level == Level::kNational && !as.area.national())) {
            return Status::FailedPrecondition(
                "complaint " + c.reference + " is at the " +
                std::string(LevelName(c.level)) + " level; " + username +
                " works at a lower one");
          }
        }
        e.kind = EventKind::kAssigned;
        e.text = username;
        detail["assigned_to"] = username;
        c.assigned_to = username;
        return Status::Ok();
      });
}

Result<Case> Service::Reclassify(int64_t id, const std::string& category,
                                 int64_t expected_version) {
  MALCHIN_ASSIGN_OR_RETURN(auto categories, AllCategories());
  const Category* cat = FindCategory(categories, category);
  if (cat == nullptr || !cat->active) {
    return Status::InvalidArgument(
        "category '" + category + "': expected an active category code",
        "category");
  }
  return Change(id, expected_version, "grievance.reclassify",
                [&](Case& c, CaseEvent& e, json& detail) -> Status {
                  e.kind = EventKind::kCategory;
                  e.text = c.category + " -> " + cat->code;
                  detail["category"] = cat->code;
                  c.category = cat->code;
                  if (cat->sensitive && !c.confidential) {
                    c.confidential = true;
                    e.text += " (confidential)";
                  }
                  return Status::Ok();
                });
}

Result<Case> Service::MarkConfidential(int64_t id, const std::string& reason) {
  if (reason.empty()) {
    return Status::InvalidArgument("reason: say why it is confidential",
                                   "reason");
  }
  MALCHIN_RETURN_IF_ERROR(CheckFreeText("reason", reason, kMaxText, true));
  return Change(id, 0, "grievance.confidential",
                [&](Case& c, CaseEvent& e, json&) -> Status {
                  if (c.confidential) {
                    return Status::FailedPrecondition(
                        "complaint " + c.reference + " is confidential");
                  }
                  c.confidential = true;
                  e.kind = EventKind::kConfidential;
                  e.text = reason;
                  return Status::Ok();
                });
}

Result<Case> Service::NameAccused(int64_t id, const std::string& username) {
  const store::Caller& caller = session_.caller();
  const Viewer viewer = ViewerOf(caller);
  // Every check after the case is found: a case the caller may not see
  // answers exactly as one that does not exist.
  return Change(
      id, 0, "grievance.accused",
      [&](Case& c, CaseEvent& e, json& detail) -> Status {
        if (!viewer.confidential &&
            !(viewer.ordinary && caller.area.soum_code == 0)) {
          return Status::PermissionDenied(
              "the officer a complaint is about is named by a focal point or "
              "an aimag or national officer; " +
              caller.actor + " is neither");
        }
        if (username == caller.actor) {
          return Status::PermissionDenied(
              "you cannot name yourself as the officer a complaint is about; "
              "another officer names you");
        }
        MALCHIN_ASSIGN_OR_RETURN(
            auto user,
            session_.Get<auth::AccountRepository>().FindUser(username));
        if (!user) {
          return Status::InvalidArgument(
              "accused_officer '" + username +
                  "': expected the user name of an officer's account",
              "accused_officer");
        }
        if (!c.accused_officer.empty()) {
          return Status::FailedPrecondition(
              "complaint " + c.reference +
              " already names the officer it is about; that is set once");
        }
        c.accused_officer = username;
        if (c.assigned_to == username) c.assigned_to.clear();
        e.kind = EventKind::kNote;
        e.text = "Гомдолд холбогдох ажилтан / the officer complained about: " +
                 username;
        detail["accused_officer"] = username;
        return Status::Ok();
      });
}

Status Service::AddNote(int64_t id, const std::string& text) {
  if (text.empty()) {
    return Status::InvalidArgument("text: expected the note", "text");
  }
  MALCHIN_RETURN_IF_ERROR(CheckFreeText("text", text, 4000, true));
  return Change(id, 0, "grievance.note",
                [&](Case&, CaseEvent& e, json& detail) -> Status {
                  e.kind = EventKind::kNote;
                  e.text = text;
                  detail["text"] = text;
                  return Status::Ok();
                })
      .status();
}

Result<Attachment> Service::Attach(int64_t id, const std::string& file_name,
                                   const std::string& content_type,
                                   const std::string& content) {
  if (!IsFileName(file_name)) {
    return Status::InvalidArgument(
        "file name '" + file_name +
            "': expected 1-200 bytes without / \\ \" or control characters",
        "file_name");
  }
  if (!IsMediaType(content_type)) {
    return Status::InvalidArgument("content type '" + content_type +
                                       "': expected a media type such as "
                                       "application/pdf or image/jpeg",
                                   "content_type");
  }
  if (content.empty() ||
      static_cast<int64_t>(content.size()) > kMaxAttachment) {
    return Status::InvalidArgument("attachment of " +
                                       std::to_string(content.size()) +
                                       " bytes: expected 1 byte to 5 MiB",
                                   "content");
  }
  Attachment a;
  a.case_id = id;
  a.file_name = file_name;
  a.content_type = content_type;
  a.size = static_cast<int64_t>(content.size());
  a.sha256 = store::Sha256Hex(content);
  a.added_by = session_.caller().actor;
  MALCHIN_RETURN_IF_ERROR(
      Change(id, 0, "grievance.attach",
             [&](Case&, CaseEvent& e, json& detail) -> Status {
               a.added_at = e.at;
               MALCHIN_ASSIGN_OR_RETURN(a.id, repo_.AddAttachment(a, content));
               e.kind = EventKind::kAttachment;
               e.text = file_name;
               detail = {{"file_name", file_name},
                         {"size", a.size},
                         {"sha256", a.sha256}};
               return Status::Ok();
             })
          .status());
  return a;
}

Status Service::MarkPrinted(int64_t case_id, int64_t notice_id) {
  return Change(
             case_id, 0, "grievance.notice.printed",
             [&](Case& c, CaseEvent& e, json& detail) -> Status {
               MALCHIN_ASSIGN_OR_RETURN(auto notices, repo_.Notices(c.id));
               auto n = std::find_if(
                   notices.begin(), notices.end(),
                   [&](const Notice& x) { return x.id == notice_id; });
               if (n == notices.end() || n->channel != NoticeChannel::kLetter) {
                 return Status::NotFound("complaint " + c.reference +
                                         " has no letter " +
                                         std::to_string(notice_id));
               }
               MALCHIN_RETURN_IF_ERROR(
                   repo_.SetNoticeStatus(notice_id, NoticeStatus::kPrinted));
               e.kind = EventKind::kNotice;
               e.text = "Хэвлэсэн / printed " + std::to_string(notice_id);
               detail["notice"] = notice_id;
               return Status::Ok();
             })
      .status();
}

}  // namespace malchin::grievance
