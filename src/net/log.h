// Structured JSON logs, one object per line on stderr:
//   {"ts":"2026-11-29T17:00:00.123Z","level":"info","msg":"request",...}
// Thread-safety: Log may be called from any thread; lines never interleave.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace malchin::net {

enum class LogLevel { kDebug, kInfo, kWarn, kError, kOff };

// Lines below `level` are dropped. Default kInfo.
void SetLogLevel(LogLevel level);
bool LogEnabled(LogLevel level);
// Parses "debug", "info", "warn", "error", "off"; false if unknown.
bool ParseLogLevel(std::string_view s, LogLevel* out);

// Fields are (name, already-serialized JSON value) pairs.
using LogFields = std::vector<std::pair<std::string, std::string>>;
void Log(LogLevel level, std::string_view msg, const LogFields& fields = {});

// JSON string literal for `s` (invalid UTF-8 replaced).
std::string JsonString(std::string_view s);

}  // namespace malchin::net
