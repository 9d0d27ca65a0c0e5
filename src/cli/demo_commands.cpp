// CLI command of the demo register: generate.
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <thread>

#include "cli/command.h"
#include "demo/generator.h"
#include "geo/geography.h"

namespace malchin::cli {
namespace {

constexpr size_t kBatchPersons = 16384;

// Households and their members, in generation order.
struct Batch {
  std::vector<registry::Household> households;
  std::vector<size_t> first_person;  // Index of each household's first member.
  std::vector<registry::Person> persons;
};

// A bounded hand-over between the generator and the writer.
class BatchQueue {
 public:
  // false if the consumer aborted.
  bool Push(Batch b) {
    std::unique_lock lock(mu_);
    not_full_.wait(lock, [&] { return q_.size() < kCapacity || aborted_; });
    if (aborted_) return false;
    q_.push_back(std::move(b));
    not_empty_.notify_one();
    return true;
  }
  void Close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    not_empty_.notify_all();
  }
  void Abort() {
    std::lock_guard lock(mu_);
    aborted_ = true;
    not_full_.notify_all();
  }
  // nullopt once closed and empty.
  std::optional<Batch> Pop() {
    std::unique_lock lock(mu_);
    not_empty_.wait(lock, [&] { return !q_.empty() || closed_; });
    if (q_.empty()) return std::nullopt;
    Batch b = std::move(q_.front());
    q_.pop_front();
    not_full_.notify_one();
    return b;
  }

 private:
  static constexpr size_t kCapacity = 4;
  std::mutex mu_;
  std::condition_variable not_full_, not_empty_;
  std::deque<Batch> q_;
  bool closed_ = false, aborted_ = false;
};

Status WriteBatch(const Batch& b, registry::BulkLoader& loader) {
  for (size_t h = 0; h < b.households.size(); ++h) {
    MALCHIN_RETURN_IF_ERROR(loader.AddHousehold(b.households[h]));
    size_t end =
        h + 1 < b.households.size() ? b.first_person[h + 1] : b.persons.size();
    for (size_t i = b.first_person[h]; i < end; ++i) {
      MALCHIN_RETURN_IF_ERROR(loader.AddPerson(b.persons[i]));
    }
  }
  return Status::Ok();
}

Status Generate(const po::variables_map& vm, Io& io) {
  demo::Options options;
  options.scale = vm["scale"].as<double>();
  options.seed = vm["seed"].as<uint64_t>();
  if (vm.count("as-of")) {
    auto d = Date::Parse(vm["as-of"].as<std::string>());
    if (!d.ok()) return d.status().WithContext("--as-of");
    options.as_of = *d;
  }
  MALCHIN_ASSIGN_OR_RETURN(auto geo, geo::Geography::Load());
  if (vm.count("aimag")) {
    for (const std::string& text : vm["aimag"].as<std::vector<std::string>>()) {
      MALCHIN_ASSIGN_OR_RETURN(const geo::Unit* u, geo->Resolve(text));
      if (!u->is_aimag_level()) {
        return Status::InvalidArgument("--aimag " + text +
                                       " is a soum; give an aimag");
      }
      options.aimags.push_back(u->code);
    }
  }
  MALCHIN_ASSIGN_OR_RETURN(auto store, OpenStore(vm, /*create=*/true));
  auto started = std::chrono::steady_clock::now();
  auto loader = store->Register().BeginBulkLoad();
  if (!loader.ok()) {
    return loader.status().WithContext(
        "generate writes only into a new, empty register");
  }
  // Generation runs on its own thread and hands batches to this one, which
  // writes them: the two overlap on a 2-core machine.
  BatchQueue queue;
  Result<demo::Summary> summary = Status::Internal("generator did not run");
  std::thread producer([&] {
    Batch batch;
    demo::Sink sink{[&](const registry::Household& h) {
                      if (batch.persons.size() >= kBatchPersons) {
                        if (!queue.Push(std::move(batch))) {
                          return Status::Unavailable("the writer stopped");
                        }
                        batch = Batch();
                      }
                      batch.households.push_back(h);
                      batch.first_person.push_back(batch.persons.size());
                      return Status::Ok();
                    },
                    [&](const registry::Person& p) {
                      batch.persons.push_back(p);
                      return Status::Ok();
                    }};
    summary = demo::Generate(*geo, options, sink);
    if (summary.ok()) queue.Push(std::move(batch));
    queue.Close();
  });
  Status written = Status::Ok();
  while (std::optional<Batch> b = queue.Pop()) {
    if (!written.ok()) continue;  // Drain so the producer can finish.
    written = WriteBatch(*b, **loader);
    if (!written.ok()) queue.Abort();
  }
  producer.join();
  MALCHIN_RETURN_IF_ERROR(written);
  MALCHIN_RETURN_IF_ERROR(summary.status());
  MALCHIN_RETURN_IF_ERROR((*loader)->Finish());
  MALCHIN_RETURN_IF_ERROR(
      store->session().SetMeta("register.as_of", options.as_of.ToString()));
  std::ostringstream source;
  source << "demo generator, seed " << options.seed << ", scale "
         << options.scale;
  MALCHIN_RETURN_IF_ERROR(
      store->session().SetMeta("register.source", source.str()));
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
          .count();
  if (vm.count("json")) {
    nlohmann::json j;
    j["households"] = summary->households;
    j["herder_households"] = summary->herder_households;
    j["persons"] = summary->persons;
    j["children_0_17"] = summary->children_0_17;
    j["livestock"] = summary->livestock;
    j["as_of"] = options.as_of.ToString();
    j["seconds"] = seconds;
    io.out << j.dump(2) << "\n";
    return Status::Ok();
  }
  char rate[64];
  std::snprintf(rate, sizeof rate, "%.1f s (%.0f persons/s)", seconds,
                summary->persons / std::max(seconds, 1e-9));
  io.out << "demo register " << store->database().url() << " on "
         << options.as_of.ToString() << ": " << summary->households
         << " households (" << summary->herder_households << " herders), "
         << summary->persons << " persons, " << summary->children_0_17
         << " children aged 0-17, " << summary->livestock << " livestock in "
         << rate << "\n";
  return Status::Ok();
}

}  // namespace

void AddDemoCommands(std::vector<Command>* c) {
  c->push_back(
      {"generate", "create the synthetic national demo register",
       [](po::options_description& d) {
         DbOption(d);
         d.add_options()(
             "scale", po::value<double>()->default_value(1.0, "1"),
             "multiplies every soum's population (1 = the country, about "
             "3.25 million persons; 3 = about 10 million)")(
             "seed", po::value<uint64_t>()->default_value(1),
             "random seed; the same seed gives the same register")(
             "as-of", po::value<std::string>(),
             "reference date YYYY-MM-DD (default 2020-01-01)")(
             "aimag", po::value<std::vector<std::string>>()->composing(),
             "only this aimag (code or name; repeatable)")(
             "json", "print the summary as JSON");
       },
       Generate,
       "\nEach soum gets exactly its 2020 population and herder households "
       "and its\nlivestock (times --scale); children aged 0-4 follow the NSO "
       "figures. See\nsrc/demo/generator.h for the shape of the register.\n"});
}

}  // namespace malchin::cli
