// A real Kannel for tests: Debian's bearerbox and smsbox (package kannel)
// with Kannel's own fake SMS centre, fakesmsc (package kannel-extras), on
// free loopback ports in a temporary folder.
//
//   test --sendsms--> smsbox --> bearerbox --fake SMSC port--> fakesmsc
//   test <--dlr-url / get-url-- smsbox          (the test's HTTP receiver)
//   fakesmsc --SendFromPhone--> bearerbox --> smsbox --get-url--> test
//
// The folder holds the generated kannel.conf (core with internal DLR
// storage, one fake SMSC, smsbox with mo-recode, one sendsms-user, one
// default sms-service) and every log. Start() returns once bearerbox has
// the SMSC and the smsbox online and smsbox answers on its sendsms port;
// every wait polls with a deadline. The destructor stops the processes
// (SIGTERM, SIGKILL after 3 s) and removes the folder, unless
// MALCHIN_KEEP_KANNEL is set in the environment (then it is kept and
// named on stderr). Children die with the thread that started them
// (PR_SET_PDEATHSIG), so a crashed test leaves no gateway behind.
//
// Usage:
//   if (auto missing = KannelFixture::MissingBinaries(); !missing.empty())
//     GTEST_SKIP() << missing;
//   MALCHIN_ASSIGN_OR_RETURN(auto kannel, KannelFixture::Start(options));
//   ... KannelClient(kannel->account(), callbacks, get).Send(...)
//   kannel->WaitForMessages(1, 10s);
//
// Thread-safety: one thread uses a fixture; WaitForMessages and LogTail
// only read files and may run beside the test's HTTP receiver.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "channel/kannel.h"
#include "channel/sms_text.h"
#include "core/status.h"

namespace malchin::channel {

struct KannelFixtureOptions {
  // Base of the get-url for inbound messages (see InboundUrl), e.g.
  // "http://127.0.0.1:<port>/sms/inbound"; empty: inbound messages are
  // taken and dropped.
  std::string inbound_url;
  std::string callback_token;  // Passed to InboundUrl; may be empty.
  int max_messages = 10;       // The sendsms-user's max-messages.
  // smsbox's http-request-retry: how often a failed callback (report or
  // get-url) is made again, one second apart (http-queue-delay = 1).
  int callback_retries = 0;
  std::chrono::milliseconds start_timeout{30000};
};

// One mobile-terminated message as fakesmsc printed it; the parts of a
// concatenated message are joined.
struct FakeSmscMessage {
  std::string from;
  std::string to;
  // fakesmsc's type: "text" (7-bit), "ucs-2", "data" (8-bit), or "udh"
  // for a concatenated message (fakesmsc does not print the coding of a
  // message with a header; its payload shows it).
  std::string type;
  std::string payload;  // UTF-8 for "text", UTF-16BE for "ucs-2".
  int parts = 1;
};

// The payload read as `coding` (UTF-16BE for kUcs2): InvalidArgument if it
// is not well-formed in that coding.
Result<std::string> PayloadText(const FakeSmscMessage& message,
                                SmsCoding coding);

class KannelFixture {
 public:
  // "" if bearerbox, smsbox and fakesmsc are installed; otherwise which are
  // missing and how to install them (scripts/setup.sh).
  static std::string MissingBinaries();
  // Starts the gateway. Unavailable (with the logs' last lines) if it is
  // not up within options.start_timeout; nothing is left running then.
  static Result<std::unique_ptr<KannelFixture>> Start(
      KannelFixtureOptions options);
  ~KannelFixture();
  KannelFixture(const KannelFixture&) = delete;
  KannelFixture& operator=(const KannelFixture&) = delete;

  // The sendsms-user on smsbox's sendsms port (from = "1234").
  KannelAccount account() const;
  uint16_t admin_port() const { return ports_.admin; }
  const std::string& admin_password() const { return admin_password_; }
  const std::string& folder() const { return folder_; }

  // The complete messages fakesmsc has received, in order, once there are
  // at least `count`; Unavailable (with the log tail) at the deadline.
  Result<std::vector<FakeSmscMessage>> WaitForMessages(
      size_t count, std::chrono::milliseconds deadline) const;
  // A message from phone `from` to `to`, as 7-bit text when the GSM
  // alphabet holds it, else UCS-2. InvalidArgument for a line break in the
  // text or a line longer than fakesmsc reads (255 bytes: about 45
  // Cyrillic characters).
  Status SendFromPhone(std::string_view from, std::string_view to,
                       std::string_view text);
  // Kannel's status page (status.txt) from the admin port.
  Result<std::string> AdminStatus() const;
  // The last lines of every log, for a failing test's message.
  std::string LogTail() const;

 private:
  struct Ports {
    uint16_t admin = 0, smsbox = 0, sendsms = 0, smsc = 0;
  };
  struct Child {
    const char* name = "";
    pid_t pid = -1;
  };
  KannelFixture() = default;
  Status Launch(const KannelFixtureOptions& options);
  Status WriteConfig(const KannelFixtureOptions& options) const;
  Status Spawn(Child* child, const std::vector<std::string>& argv,
               bool with_stdin);
  Status WaitUntilUp(std::chrono::steady_clock::time_point deadline);
  void StopAll();

  std::string folder_;
  Ports ports_;
  std::string admin_password_;
  std::string sendsms_password_;
  Child bearerbox_{"bearerbox"}, smsbox_{"smsbox"}, fakesmsc_{"fakesmsc"};
  int fakesmsc_stdin_ = -1;  // The write end of fakesmsc's stdin.
};

}  // namespace malchin::channel
