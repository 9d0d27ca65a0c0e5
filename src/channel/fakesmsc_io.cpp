// The fixture's conversation with fakesmsc (declared in kannel_fixture.h):
// reading what it printed, writing what a phone sends.
//
// fakesmsc prints each message bearerbox hands it as a debug line
//   ... DEBUG: Got message N: <from to text plain text>
//   ... DEBUG: Got message N: <from to ucs-2 url-encoded-UTF-16BE>
//   ... DEBUG: Got message N: <from to udh url-encoded-UDH data url-encoded>
// (url-encoded as Kannel does: '+' is a space), and reads phone messages
// from its standard input, one line each, "from to text ..." or
// "from to ucs2 url-encoded-UTF-16BE".
#include <sys/socket.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <thread>

#include "channel/kannel_fixture.h"

namespace malchin::channel {
namespace {

using Clock = std::chrono::steady_clock;

std::string UrlDecode(std::string_view s) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 &&
        hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i] == '+' ? ' ' : s[i];
    }
  }
  return out;
}

std::string UrlEncode(std::string_view bytes) {
  std::string out;
  for (unsigned char c : bytes) {
    if (std::isalnum(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += "0123456789ABCDEF"[c >> 4];
      out += "0123456789ABCDEF"[c & 0xF];
    }
  }
  return out;
}

// A concatenated message's part: the reference, the count and the number
// from the UDH (8-bit or 16-bit reference), or false if there is none.
bool ConcatInfo(std::string_view udh, int* ref, int* total, int* seq) {
  auto b = [&](size_t i) { return static_cast<unsigned char>(udh[i]); };
  for (size_t i = 1; i + 1 < udh.size(); i += 2 + b(i + 1)) {
    if (b(i) == 0x00 && b(i + 1) == 3 && i + 4 < udh.size()) {
      *ref = b(i + 2), *total = b(i + 3), *seq = b(i + 4);
      return true;
    }
    if (b(i) == 0x08 && b(i + 1) == 4 && i + 5 < udh.size()) {
      *ref = b(i + 2) << 8 | b(i + 3), *total = b(i + 4), *seq = b(i + 5);
      return true;
    }
  }
  return false;
}

// Parses "from to type rest" into a message (one part for type "udh").
bool ParseLine(std::string_view line, FakeSmscMessage* m, std::string* udh) {
  size_t a = line.find(' ');
  size_t b = a == std::string_view::npos ? a : line.find(' ', a + 1);
  size_t c = b == std::string_view::npos ? b : line.find(' ', b + 1);
  if (c == std::string_view::npos) return false;
  m->from = line.substr(0, a);
  m->to = line.substr(a + 1, b - a - 1);
  m->type = line.substr(b + 1, c - b - 1);
  std::string_view rest = line.substr(c + 1);
  if (m->type == "text") {
    m->payload = rest;
  } else if (m->type == "ucs-2" || m->type == "data") {
    m->payload = UrlDecode(rest);
  } else if (m->type == "udh") {
    size_t d = rest.find(" data ");
    if (d == std::string_view::npos) return false;
    *udh = UrlDecode(rest.substr(0, d));
    m->payload = UrlDecode(rest.substr(d + 6));
  } else {
    return false;
  }
  return true;
}

// The complete messages in fakesmsc's output, in the order they began.
std::vector<FakeSmscMessage> ReadMessages(const std::string& path) {
  std::ifstream in(path);
  std::vector<FakeSmscMessage> out;
  struct Pending {
    size_t index;  // In `out`.
    std::map<int, std::string> parts;
  };
  std::map<std::string, Pending> pending;  // By from, to and reference.
  std::vector<bool> complete;
  for (std::string line; std::getline(in, line);) {
    size_t at = line.find("Got message ");
    size_t open = line.find(": <", at);
    if (at == std::string::npos || open == std::string::npos ||
        line.back() != '>') {
      continue;
    }
    FakeSmscMessage m;
    std::string udh;
    std::string_view body(line);
    if (!ParseLine(body.substr(open + 3, body.size() - open - 4), &m, &udh)) {
      continue;
    }
    int ref = 0, total = 1, seq = 1;
    if (m.type != "udh" || !ConcatInfo(udh, &ref, &total, &seq)) {
      out.push_back(std::move(m));
      complete.push_back(true);
      continue;
    }
    std::string key = m.from + " " + m.to + " " + std::to_string(ref);
    auto [it, fresh] = pending.try_emplace(key, Pending{out.size(), {}});
    if (fresh) {
      out.push_back(m);
      complete.push_back(false);
    }
    it->second.parts[seq] = m.payload;
    if (static_cast<int>(it->second.parts.size()) == total) {
      FakeSmscMessage& whole = out[it->second.index];
      whole.payload.clear();
      for (const auto& [n, part] : it->second.parts) whole.payload += part;
      whole.parts = total;
      complete[it->second.index] = true;
      pending.erase(it);
    }
  }
  std::vector<FakeSmscMessage> done;
  for (size_t i = 0; i < out.size(); ++i) {
    if (complete[i]) done.push_back(std::move(out[i]));
  }
  return done;
}

size_t CountSent(const std::string& path) {
  std::ifstream in(path);
  size_t n = 0;
  for (std::string line; std::getline(in, line);) {
    n += line.find("fakesmsc: sent message ") != std::string::npos;
  }
  return n;
}

}  // namespace

Result<std::string> PayloadText(const FakeSmscMessage& message,
                                SmsCoding coding) {
  if (coding == SmsCoding::kUcs2) return DecodeUtf16Be(message.payload);
  auto plan = PlanSms(message.payload);  // Checks UTF-8.
  if (!plan.ok()) return plan.status();
  return message.payload;
}

Result<std::vector<FakeSmscMessage>> KannelFixture::WaitForMessages(
    size_t count, std::chrono::milliseconds deadline) const {
  auto end = Clock::now() + deadline;
  for (;;) {
    auto messages = ReadMessages(folder_ + "/fakesmsc.out");
    if (messages.size() >= count) return messages;
    if (Clock::now() > end) {
      return Status::Unavailable(
          "fakesmsc received " + std::to_string(messages.size()) + " of " +
          std::to_string(count) + " messages\n" + LogTail());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

Status KannelFixture::SendFromPhone(std::string_view from, std::string_view to,
                                    std::string_view text) {
  MALCHIN_ASSIGN_OR_RETURN(SmsPlan plan, PlanSms(text));
  if (text.find_first_of("\r\n") != std::string_view::npos) {
    return Status::InvalidArgument("fakesmsc reads one line per message");
  }
  std::string line = std::string(from) + " " + std::string(to) +
                     (plan.coding == SmsCoding::kGsm7
                          ? " text " + std::string(text)
                          : " ucs2 " + UrlEncode(EncodeUtf16Be(text))) +
                     "\n";
  if (line.size() > 255) {
    return Status::InvalidArgument(
        "fakesmsc reads lines of at most 255 bytes; this one has " +
        std::to_string(line.size()));
  }
  // fakesmsc reads its input with stdio behind select(): a second line
  // waiting in its buffer would not be seen, so wait for each to go.
  std::string log = folder_ + "/fakesmsc.out";
  size_t before = CountSent(log);
  if (send(fakesmsc_stdin_, line.data(), line.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(line.size())) {
    return Status::Unavailable("fakesmsc is not running\n" + LogTail());
  }
  for (auto end = Clock::now() + std::chrono::seconds(10);
       CountSent(log) == before;) {
    if (Clock::now() > end) {
      return Status::Unavailable("fakesmsc did not send the message\n" +
                                 LogTail());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return Status::Ok();
}

}  // namespace malchin::channel
