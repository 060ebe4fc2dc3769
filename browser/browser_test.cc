// The browser process and the DevTools session, against the real headless Chromium with its
// real sandbox (as `nobody` when the tests run as root).
#include "browser/browser.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <future>
#include <stdexcept>

#include "browser/cdp.h"
#include "browser/test_support.h"

extern char** environ;

namespace archivist::browser {
namespace {

using testing::ProcessesInGroup;
using testing::SharedBrowser;
using testing::ProfileDir;
using testing::TestBrowserOptions;
using testing::TestClock;
using testing::WaitUntilGone;

Clock::SteadyTime In(int seconds) { return TestClock().SteadyNow() + std::chrono::seconds(seconds); }

CdpReply Evaluate(Tab& tab, const std::string& expression, Clock::Duration timeout = std::chrono::seconds(10)) {
  return tab.connection().Call("Runtime.evaluate",
                               Json{{"expression", expression}, {"returnByValue", true}, {"awaitPromise", true}},
                               tab.session(), timeout);
}

int SandboxedRenderers(pid_t browser) {
  int n = 0;
  for (pid_t p : ProcessesInGroup(browser)) {
    if (testing::CommandLine(p).find("--type=renderer") != std::string::npos &&
        testing::StatusField(p, "Seccomp") == "2") {
      ++n;
    }
  }
  return n;
}

TEST(BrowserTest, AnswersOnItsPipeAsAnUnprivilegedUserWithTheSandboxOn) {
  Browser& browser = SharedBrowser();
  auto tab = browser.OpenTab(In(30));
  ASSERT_TRUE(tab.ok()) << tab.status().ToString();
  CdpReply r = Evaluate(**tab, "6 * 7");
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.result["result"]["value"], 42);

  const pid_t pid = browser.pid();
  ASSERT_GT(pid, 0);
  if (geteuid() == 0) {
    EXPECT_TRUE(testing::StatusField(pid, "Uid").starts_with("65534\t")) << testing::StatusField(pid, "Uid");
  }
  // Every process of the browser is in its process group, where Kill reaches it.
  std::vector<pid_t> group = ProcessesInGroup(pid);
  for (pid_t p : testing::ProcessesWithEnv("HOME=" + testing::SharedProfile())) {
    EXPECT_NE(std::find(group.begin(), group.end(), p), group.end())
        << "outside the browser's process group: " << testing::CommandLine(p);
  }
  // The sandbox is on: the renderer runs under seccomp-bpf (mode 2), which --no-sandbox skips.
  EXPECT_GT(SandboxedRenderers(pid), 0) << "no renderer under seccomp in the browser's process group";
}

TEST(BrowserTest, EveryCommandHasATimeoutAndTheSessionSurvivesIt) {
  auto tab = SharedBrowser().OpenTab(In(30));
  ASSERT_TRUE(tab.ok()) << tab.status().ToString();
  const auto before = TestClock().SteadyNow();
  CdpReply r = Evaluate(**tab, "new Promise(() => {})", std::chrono::milliseconds(300));
  EXPECT_EQ(r.error, CdpError::kTimeout);
  EXPECT_LT(TestClock().SteadyNow() - before, std::chrono::seconds(3));
  CdpReply after = Evaluate(**tab, "'still here'");
  ASSERT_TRUE(after.ok()) << after.message;
  EXPECT_EQ(after.result["result"]["value"], "still here");
}

TEST(BrowserTest, ProtocolErrorsAreReplies) {
  auto tab = SharedBrowser().OpenTab(In(30));
  ASSERT_TRUE(tab.ok());
  CdpReply r = (*tab)->connection().Call("No.suchMethod", Json::object(), (*tab)->session(), std::chrono::seconds(5));
  EXPECT_EQ(r.error, CdpError::kRemote);
  EXPECT_NE(r.message.find("No.suchMethod"), std::string::npos) << r.message;
}

TEST(BrowserTest, TabsAreBounded) {
  Browser& browser = SharedBrowser();
  auto a = browser.OpenTab(In(30));
  auto b = browser.OpenTab(In(30));
  ASSERT_TRUE(a.ok() && b.ok());
  auto c = browser.OpenTab(TestClock().SteadyNow() + std::chrono::milliseconds(200));
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("tabs stayed busy"), std::string::npos);
  auto waiter = std::async(std::launch::async, [&] { return browser.OpenTab(In(30)).ok(); });
  a->reset();
  EXPECT_TRUE(waiter.get());
}

// Tabs open at once are all visible: a page hidden behind a newer tab gets no rendering, so
// its IntersectionObserver never sees the end of the list and it stops asking for listing
// pages (two refreshes in flight made one of them invalid_response now and then).
TEST(BrowserTest, ConcurrentTabsAreAllVisible) {
  Browser& browser = SharedBrowser();
  auto a = browser.OpenTab(In(30));
  auto b = browser.OpenTab(In(30));
  ASSERT_TRUE(a.ok() && b.ok());
  for (Tab* tab : {a->get(), b->get()}) {
    CdpReply r = Evaluate(*tab, "document.visibilityState");
    ASSERT_TRUE(r.ok()) << r.message;
    EXPECT_EQ(r.result["result"].value("value", ""), "visible");
  }
}

// A hostile page can make the browser write huge messages: over the cap, the command or the
// tab gets an error, and the connection goes on.
TEST(BrowserTest, OversizedMessagesFailTheirCommandOrTabNotTheConnection) {
  ProfileDir dir;
  BrowserOptions options = TestBrowserOptions(dir.profile());
  options.max_message_bytes = 1u << 20;
  Browser browser(TestClock(), options);
  auto tab = browser.OpenTab(In(30));
  ASSERT_TRUE(tab.ok()) << tab.status().ToString();
  CdpReply big = Evaluate(**tab, "'x'.repeat(3 << 20)");
  EXPECT_EQ(big.error, CdpError::kTooLarge) << big.message;
  CdpReply small = Evaluate(**tab, "'y'.repeat(1000).length");
  ASSERT_TRUE(small.ok()) << small.message;
  EXPECT_EQ(small.result["result"]["value"], 1000);

  std::promise<uint64_t> oversized;
  bool told = false;
  (*tab)->connection().Subscribe((*tab)->session(), [&](std::string_view method, const Json& params) {
    if (method == kTooLargeEvent && !told) {
      told = true;
      oversized.set_value(params.value("bytes", uint64_t{0}));
    }
  });
  ASSERT_TRUE((*tab)->connection().Call("Runtime.enable", Json::object(), (*tab)->session(), std::chrono::seconds(5)).ok());
  ASSERT_TRUE(Evaluate(**tab, "console.log('z'.repeat(2 << 20)); 1").ok());
  auto got = oversized.get_future();
  ASSERT_EQ(got.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_GT(got.get(), 2u << 20);
  EXPECT_TRUE(Evaluate(**tab, "2").ok());
}

// The browser dying mid-command: the command fails at once, the next tab gets a new browser.
TEST(BrowserTest, ABrowserKilledMidCommandFailsTheCommandAndIsRestarted) {
  ProfileDir dir;
  Browser browser(TestClock(), TestBrowserOptions(dir.profile()));
  auto tab = browser.OpenTab(In(30));
  ASSERT_TRUE(tab.ok()) << tab.status().ToString();
  const pid_t first = browser.pid();
  auto call = std::async(std::launch::async, [&] {
    return Evaluate(**tab, "new Promise(() => {})", std::chrono::seconds(60));
  });
  TestClock().SleepFor(std::chrono::milliseconds(300));
  ASSERT_EQ(kill(-first, SIGKILL), 0);
  ASSERT_EQ(call.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  CdpReply r = call.get();
  EXPECT_EQ(r.error, CdpError::kClosed) << r.message;
  tab->reset();

  auto again = browser.OpenTab(In(30));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_NE(browser.pid(), first);
  EXPECT_TRUE(Evaluate(**again, "1").ok());
  EXPECT_EQ(browser.stats().starts, 2u);
  EXPECT_EQ(browser.stats().crashes, 1u);
  EXPECT_TRUE(WaitUntilGone(first, "\x01never-in-any-process", 10)) << "processes of the killed browser survive";
}

TEST(BrowserTest, NoProcessSurvivesShutdownOrDestruction) {
  ProfileDir dir;
  pid_t pid = 0;
  {
    Browser browser(TestClock(), TestBrowserOptions(dir.profile()));
    ASSERT_TRUE(browser.Start().ok());
    pid = browser.pid();
    auto tab = browser.OpenTab(In(30));
    ASSERT_TRUE(tab.ok());
    ASSERT_TRUE(Evaluate(**tab, "1").ok());
    EXPECT_GT(ProcessesInGroup(pid).size(), 1u);
  }
  EXPECT_TRUE(WaitUntilGone(pid, dir.profile(), 5));
}

// The error path: the owner is unwound by an exception (tests may throw; archivist does not).
TEST(BrowserTest, NoProcessSurvivesAnUnwoundOwner) {
  ProfileDir dir;
  pid_t pid = 0;
  try {
    Browser browser(TestClock(), TestBrowserOptions(dir.profile()));
    ASSERT_TRUE(browser.Start().ok());
    pid = browser.pid();
    throw std::runtime_error("fetch failed");
  } catch (const std::runtime_error&) {
  }
  ASSERT_GT(pid, 0);
  EXPECT_TRUE(WaitUntilGone(pid, dir.profile(), 5));
}

// The Status error path: a "browser" that starts a child and never answers on the pipe. Start
// fails after start_timeout, and neither process is left.
TEST(BrowserTest, AFailedStartLeavesNoProcess) {
  ProfileDir dir;
  const std::string fake = dir.path() + "/silent-browser";
  {
    std::ofstream script(fake);
    script << "#!/bin/sh\nsleep 300 &\nexec sleep 301\n";
  }
  ASSERT_EQ(chmod(fake.c_str(), 0755), 0);
  BrowserOptions options = TestBrowserOptions(dir.profile());
  options.launch.executable = fake;
  options.start_timeout = std::chrono::seconds(1);
  Browser browser(TestClock(), options);
  Status st = browser.Start();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("did not start"), std::string::npos) << st.message();
  EXPECT_EQ(browser.pid(), 0);
  EXPECT_TRUE(WaitUntilGone(0, "HOME=" + dir.profile(), 5)) << "the silent browser or its child survive";
}

// Run by NoProcessSurvivesSigkillOfArchivist in a child process of its own.
TEST(BrowserHelper, HoldBrowserUntilKilled) {
  const char* profile = std::getenv("ARCHIVIST_BROWSER_HELPER_PROFILE");
  if (profile == nullptr) GTEST_SKIP() << "run by NoProcessSurvivesSigkillOfArchivist";
  Browser browser(TestClock(), TestBrowserOptions(profile));
  auto tab = browser.OpenTab(In(30));
  if (!tab.ok()) {
    std::printf("error %s\n", tab.status().ToString().c_str());
    std::fflush(stdout);
    return;
  }
  std::printf("pid %d\n", browser.pid());
  std::fflush(stdout);
  while (true) TestClock().SleepFor(std::chrono::seconds(1));
}

TEST(BrowserTest, NoProcessSurvivesSigkillOfArchivist) {
  ProfileDir dir;
  int out[2];
  ASSERT_EQ(pipe(out), 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  std::vector<std::string> env_s = {"ARCHIVIST_BROWSER_HELPER_PROFILE=" + dir.profile()};
  for (char** e = environ; *e != nullptr; ++e) env_s.push_back(*e);
  std::vector<char*> env;
  for (auto& s : env_s) env.push_back(s.data());
  env.push_back(nullptr);
  std::string self = "/proc/self/exe", filter = "--gtest_filter=BrowserHelper.HoldBrowserUntilKilled";
  char* argv[] = {self.data(), filter.data(), nullptr};
  pid_t helper = 0;
  ASSERT_EQ(posix_spawn(&helper, self.c_str(), &actions, nullptr, argv, env.data()), 0);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  FILE* from = fdopen(out[0], "r");
  char line[512];
  pid_t browser_pid = 0;
  while (std::fgets(line, sizeof line, from) != nullptr) {
    if (std::sscanf(line, "pid %d", &browser_pid) == 1) break;
    ASSERT_EQ(std::string(line).find("error"), std::string::npos) << line;
  }
  ASSERT_GT(browser_pid, 0);
  EXPECT_GT(ProcessesInGroup(browser_pid).size(), 1u);
  ASSERT_EQ(kill(helper, SIGKILL), 0);
  waitpid(helper, nullptr, 0);
  std::fclose(from);
  EXPECT_TRUE(WaitUntilGone(browser_pid, dir.profile(), 15))
      << ProcessesInGroup(browser_pid).size() << " processes of the browser survive SIGKILL of their owner";
}

TEST(BrowserTest, AMissingBrowserNamesTheDebianPackage) {
  ProfileDir dir;
  BrowserOptions options = TestBrowserOptions(dir.profile());
  options.launch.executable = "no-such-browser-anywhere";
  Browser browser(TestClock(), options);
  Status st = browser.Start();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("'chromium'"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("no-such-browser-anywhere"), std::string::npos) << st.message();
  auto tab = browser.OpenTab(In(5));
  EXPECT_FALSE(tab.ok());

  options.launch.executable = dir.path() + "/chromium";
  Browser by_path(TestClock(), options);
  st = by_path.Start();
  EXPECT_NE(st.message().find("does not exist"), std::string::npos) << st.message();
}

TEST(BrowserTest, RootNeedsAnUnprivilegedUserWhoCanReachTheProfile) {
  if (geteuid() != 0) GTEST_SKIP() << "only as root";
  ProfileDir dir;
  BrowserOptions options = TestBrowserOptions(dir.profile());
  options.launch.user = "no-such-user-here";
  Status st = Browser(TestClock(), options).Start();
  EXPECT_NE(st.message().find("'no-such-user-here' does not exist"), std::string::npos) << st.message();
  options.launch.user = "root";
  st = Browser(TestClock(), options).Start();
  EXPECT_NE(st.message().find("is root"), std::string::npos) << st.message();

  options.launch.user = "nobody";
  ASSERT_EQ(chmod(dir.path().c_str(), 0700), 0);
  st = Browser(TestClock(), options).Start();
  EXPECT_NE(st.message().find("out of the browser user's reach"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find(dir.path()), std::string::npos) << st.message();
}

TEST(BrowserTest, ValidateOptions) {
  BrowserOptions o = TestBrowserOptions("/tmp/p");
  EXPECT_TRUE(Browser::ValidateOptions(o).ok());
  o.max_tabs = 0;
  EXPECT_FALSE(Browser::ValidateOptions(o).ok());
  o = TestBrowserOptions("");
  EXPECT_FALSE(Browser::ValidateOptions(o).ok());
}

TEST(BrowserTest, NoSandboxIsAnOptionThatWarns) {
  ChromiumLaunch launch;
  launch.profile_dir = "/tmp/p";
  auto args = ChromiumProcess::Arguments(launch);
  EXPECT_EQ(std::count(args.begin(), args.end(), "--no-sandbox"), 0);
  EXPECT_EQ(std::count(args.begin(), args.end(), "--remote-debugging-pipe"), 1);
  EXPECT_EQ(std::count(args.begin(), args.end(), "--headless=new"), 1);
  launch.headless = false;  // `archivist login`: a window for a person
  auto visible = ChromiumProcess::Arguments(launch);
  EXPECT_EQ(std::count(visible.begin(), visible.end(), "--headless=new"), 0);
  EXPECT_EQ(visible.size(), args.size() - 2);  // no --headless, no --hide-scrollbars

  ProfileDir dir;
  BrowserOptions options = TestBrowserOptions(dir.profile());
  options.launch.sandbox = false;
  std::vector<std::string> warnings;
  options.warn = [&](const std::string& w) { warnings.push_back(w); };
  Browser browser(TestClock(), options);
  auto tab = browser.OpenTab(In(30));
  ASSERT_TRUE(tab.ok()) << tab.status().ToString();
  ASSERT_TRUE(Evaluate(**tab, "1").ok());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("without its sandbox"), std::string::npos);
  EXPECT_EQ(SandboxedRenderers(browser.pid()), 0);
}

}  // namespace
}  // namespace archivist::browser
