// Benchmarks open their databases by URL (a path, sqlite:PATH or
// postgresql://...), so the same benchmark measures either engine.
#pragma once

#include <memory>
#include <string>

#include "backends/open.h"
#include "core/status.h"
#include "store/database.h"
#include "store/session.h"

namespace malchin::bench {

struct BenchDb {
  std::unique_ptr<store::Database> database;
  std::unique_ptr<store::Session> session;
  template <class R>
  R& Get() {
    return session->Get<R>();
  }
};

inline Result<std::unique_ptr<BenchDb>> OpenBenchDb(const std::string& url,
                                                    bool create,
                                                    bool read_only = false) {
  store::OpenOptions o;
  o.create = create;
  o.read_only = read_only;
  auto b = std::make_unique<BenchDb>();
  MALCHIN_ASSIGN_OR_RETURN(b->database, backends::OpenDatabase(url, o));
  MALCHIN_ASSIGN_OR_RETURN(b->session, b->database->Connect());
  return b;
}

}  // namespace malchin::bench
