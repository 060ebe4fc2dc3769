// The hook runner: an exec hook gets the payload on stdin; a failing or slow hook is logged
// (exit status, timeout) and the hooks after it still run; a full queue drops the oldest.
#include "notify/notify.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "tests/support/files.h"
#include "tests/support/temp_dir.h"

namespace archivist::notify {
namespace {

using std::chrono::milliseconds;

Notification Sample(model::QuestionId q = 42) {
  Notification n;
  n.thread = {"zhihu", q};
  n.title = "标题 \"quoted\"";
  store::ChangeRecord added;
  added.event.at = Timestamp::FromSeconds(1700000000);
  added.event.kind = model::EventKind::kAnswerAdded;
  added.event.thread = n.thread;
  added.event.answer = 7;
  added.event.revision = 1;
  added.author = "作者";
  store::ChangeRecord title;
  title.event = added.event;
  title.event.kind = model::EventKind::kTitleChanged;
  title.event.answer.reset();
  title.event.revision = 0;
  title.event.details = "new title";
  n.events = {added, title};
  return n;
}

config::NotifyConfig Exec(const std::string& command, milliseconds timeout = milliseconds(5000)) {
  config::NotifyConfig c;
  c.exec = command;
  c.timeout = timeout;
  return c;
}

struct Log {
  std::mutex mu;
  std::vector<std::string> lines;
  LogFunction fn() {
    return [this](bool, const std::string& m) {
      std::lock_guard lock(mu);
      lines.push_back(m);
    };
  }
  std::string All() {
    std::lock_guard lock(mu);
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
  }
};

TEST(NotifyTest, PayloadHasTheDocumentedFields) {
  const nlohmann::json j = nlohmann::json::parse(PayloadJson(Sample()));
  EXPECT_EQ(j["question"], "42");
  EXPECT_EQ(j["title"], "标题 \"quoted\"");
  ASSERT_EQ(j["events"].size(), 2u);
  EXPECT_EQ(j["events"][0], nlohmann::json::parse(
                                R"({"time": "2023-11-14T22:13:20.000000+00:00", "kind": "answer_added",
                                    "answer": "7", "revision": 1, "author": "作者",
                                    "details": ""})"));
  EXPECT_TRUE(j["events"][1]["answer"].is_null());
  EXPECT_TRUE(j["events"][1]["revision"].is_null());
  EXPECT_TRUE(j["events"][1]["author"].is_null());
}

TEST(NotifyTest, FailingAndSlowHooksAreLoggedAndTheNextOnesRun) {
  test_support::TempDir dir;
  const std::string out = dir.Path("got.json");
  Log log;
  HookRunner runner({Exec("exit 3"), Exec("sleep 30", milliseconds(300)),
                     Exec("cat > '" + out + "'")},
                    log.fn());
  RealClock clock;
  const auto start = clock.SteadyNow();
  runner.Post(Sample());
  runner.Drain();
  EXPECT_LT(clock.SteadyNow() - start, std::chrono::seconds(5));
  EXPECT_EQ(test_support::ReadFile(out), PayloadJson(Sample()));
  const std::string logged = log.All();
  EXPECT_NE(logged.find("exec hook \"exit 3\" for zhihu:42: exit status 3"), std::string::npos)
      << logged;
  EXPECT_NE(logged.find("exec hook \"sleep 30\" for zhihu:42: timed out after 300ms"),
            std::string::npos)
      << logged;
}

// The whole process group goes at the timeout: a hook's background child does not survive.
TEST(NotifyTest, TimeoutKillsTheProcessGroup) {
  test_support::TempDir dir;
  const std::string marker = dir.Path("survived");
  Log log;
  HookRunner runner({Exec("(sleep 1; touch '" + marker + "') & sleep 30", milliseconds(200))},
                    log.fn());
  runner.Post(Sample());
  runner.Drain();
  RealClock().SleepFor(std::chrono::milliseconds(1500));
  EXPECT_FALSE(std::filesystem::exists(marker)) << log.All();
}

// A hook that never reads its stdin and exits does not break the runner (EPIPE, SIGPIPE).
TEST(NotifyTest, HookThatIgnoresItsInput) {
  test_support::TempDir dir;
  const std::string out = dir.Path("n");
  Log log;
  HookRunner runner({Exec("exit 0"), Exec("echo done > '" + out + "'")}, log.fn());
  Notification big = Sample();
  big.events[0].event.details = std::string(1 << 20, 'x');  // more than a pipe holds
  runner.Post(big);
  runner.Drain();
  EXPECT_EQ(test_support::ReadFile(out), "done\n");
  EXPECT_EQ(log.All(), "");
}

TEST(NotifyTest, FullQueueDropsTheOldest) {
  test_support::TempDir dir;
  const std::string out = dir.Path("seen");
  Log log;
  RunnerOptions options;
  options.capacity = 2;
  HookRunner runner({Exec("sleep 0.3; grep -o '\"question\":\"[0-9]*\"' >> '" + out + "'")},
                    log.fn(), options);
  runner.Post(Sample(1));
  RealClock().SleepFor(std::chrono::milliseconds(100));  // the hook is running for 1
  for (model::QuestionId q = 2; q <= 5; ++q) runner.Post(Sample(q));
  runner.Drain();
  const std::string seen = test_support::ReadFile(out);
  // The first was taken at once; of 2..5 the queue kept the last two.
  EXPECT_EQ(seen, "\"question\":\"1\"\n\"question\":\"4\"\n\"question\":\"5\"\n") << log.All();
  EXPECT_NE(log.All().find("the queue is full"), std::string::npos);
}

TEST(NotifyTest, NothingWithoutEventsOrHooks) {
  Log log;
  HookRunner none({}, log.fn());
  none.Post(Sample());
  none.Drain();
  HookRunner runner({Exec("exit 9")}, log.fn());
  Notification empty = Sample();
  empty.events.clear();
  runner.Post(empty);
  runner.Drain();
  EXPECT_EQ(log.All(), "");
}

}  // namespace
}  // namespace archivist::notify
