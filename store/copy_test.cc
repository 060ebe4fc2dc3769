// CopyArchive (copy.h) between every pair of backends: the copy holds every row exactly (raw
// SQL of both sides compared, blobs as hex), reads the same through the Store interface, takes
// new refreshes afterwards; a destination with rows is refused untouched; a failure midway
// leaves the destination empty; and CopiedTables names every table and column of both schemas.
#include <gtest/gtest.h>

#include <set>

#include "store/copy.h"
#include "store/store_fixture_test_util.h"

namespace archivist::store::testing {
namespace {

struct BackendPair {
  Backend from;
  Backend to;
};

void PrintTo(const BackendPair& p, std::ostream* os) { *os << p.from.name << "To" << p.to.name; }

std::vector<BackendPair> Pairs() {
  std::vector<BackendPair> out;
  for (const Backend& a : Backends()) {
    for (const Backend& b : Backends()) out.push_back({a, b});
  }
  return out;
}

// Every row of every copied table, columns in CopiedTables order, blobs as lowercase hex:
// the same text on both backends for the same rows.
std::string CanonicalDump(TestArchive& archive, bool postgres) {
  std::string out;
  for (const CopyTable& t : CopiedTables()) {
    std::string cols;
    for (const CopyColumn& c : t.columns) {
      const std::string name(c.name);
      std::string expr = name;
      if (c.type == ColumnType::kBlob) {
        expr = postgres ? "encode(" + name + ", 'hex')" : "lower(hex(" + name + "))";
      }
      cols += (cols.empty() ? "" : ", ") + expr;
    }
    out += "== " + std::string(t.name) + "\n" +
           archive.Query("SELECT " + cols + " FROM " + std::string(t.name) + " ORDER BY id");
  }
  return out;
}

// What the Store interface says about the archive: threads, fetches, events, each revision
// with its HTML, and the thread at each event time.
std::string Observed(Store& s) {
  std::string out;
  auto threads = s.ListThreads();
  EXPECT_TRUE(threads.ok());
  if (!threads.ok()) return out;
  for (const ThreadSummary& t : *threads) {
    out += ToString(t.key) + " " + t.title + " " + std::string(TrackingName(t.tracking)) + " " +
           std::to_string(t.added_at.micros()) + " " + std::to_string(t.discovered) + " " +
           (t.track_until ? std::to_string(t.track_until->micros()) : "-") + " " +
           (t.schedule ? std::to_string(t.schedule->next_due.micros()) : "-") + " " +
           t.last_outcome + " " + std::to_string(t.present_answers) + "\n";
    auto fetches = s.FetchRecords(t.key);
    auto events = s.Events({t.key, std::nullopt, std::nullopt});
    EXPECT_TRUE(fetches.ok() && events.ok());
    if (!fetches.ok() || !events.ok()) return out;
    for (const FetchRecord& f : *fetches) {
      out += " fetch " + std::to_string(f.started_at.micros()) + " " +
             std::string(model::OutcomeName(f.outcome)) + " " + f.error_message + "\n";
    }
    for (const EventRecord& e : *events) {
      out += " event " + std::to_string(e.at.micros()) + " " +
             std::string(model::EventKindName(e.kind)) + " " +
             (e.answer ? std::to_string(*e.answer) : "-") + " r" + std::to_string(e.revision) +
             " " + e.details + "\n";
      if (e.answer && e.revision > 0) {
        auto r = s.GetRevision({t.key.source, *e.answer, t.key.id}, e.revision, true);
        EXPECT_TRUE(r.ok());
        if (r.ok()) out += "  " + r->author_name + " " + r->html + " " + r->markdown + "\n";
      }
      auto at = s.ThreadAtTime(t.key, e.at);
      if (at.ok()) {
        out += "  at:";
        for (const AnswerAt& a : at->answers) out += " " + std::to_string(a.id) + "r" + std::to_string(a.revision);
        out += "\n";
      }
    }
  }
  return out;
}

class CopyTest : public StoreFixture, public ::testing::WithParamInterface<BackendPair> {
 protected:
  Result<std::unique_ptr<TestArchive>> OpenArchive() override { return GetParam().from.open(); }

  void SetUp() override {
    StoreFixture::SetUp();
    auto to = GetParam().to.open();
    ASSERT_TRUE(to.ok()) << to.status().ToString();
    to_ = std::move(*to);
  }

  bool FromPg() const { return GetParam().from.name == "Postgres"; }
  bool ToPg() const { return GetParam().to.name == "Postgres"; }

  // A timeline with every event kind, text that COPY must escape, an id above 2^63, a removed
  // and a discovered thread, and a schedule.
  void FillSource() {
    const model::AnswerId big = 18446744073709551557ULL;
    auto odd = A(big, "tab\there\nnew line \\ back\\slash \r cr 引号\"");
    ASSERT_TRUE(Refresh(100, Snap({A(1, "one"), odd, A(2, "two")})).ok());
    ASSERT_TRUE(Refresh(200, Snap({A(3, "three"), A(1, "one"), odd, A(2, "two v2", 150)})).ok());
    ASSERT_TRUE(Refresh(250, Snap({}, model::Outcome::kBlocked)).ok());
    ASSERT_TRUE(Refresh(300, Snap({A(3, "three"), odd, A(2, "two v2", 150)}),
                        {{1, model::ProbeResult::kGone}}).ok());
    ASSERT_TRUE(Refresh(400, Snap({A(1, "one"), A(3, "three"), odd, A(2, "two v2", 150)},
                                  model::Outcome::kComplete, "Title\ttwo")).ok());
    FillMedia();
    ASSERT_TRUE(store_->SetSchedule({"zhihu", kQ}, {Timestamp::FromSeconds(900), 3600}).ok());
    ASSERT_TRUE(store_->AddThread({"zhihu", 18446744073709551000ULL}, Timestamp::FromMicros(7),
                                  true, Timestamp::FromSeconds(5000)).ok());
    ASSERT_TRUE(store_->AddThread({"zhihu", 5}, Timestamp::FromMicros(123456789)).ok());
    ASSERT_TRUE(store_->SetTracking({"zhihu", 5}, Tracking::kRemoved).ok());
  }

  // An edit of answer 3 that shows two images: one stored (bytes a text copy would mangle:
  // NUL, high bytes, a backslash, a tab) and one the host refused, with its fetch history.
  void FillMedia() {
    const std::string stored = "https://pic1.zhimg.com/v2-stored_r.jpg";
    const std::string refused = "https://pic2.zhimg.com/v2-refused_r.png";
    Result<model::ThreadState> state = store_->LoadState({"zhihu", kQ});
    ASSERT_TRUE(state.ok()) << state.status().ToString();
    const auto odd = A(18446744073709551557ULL, "tab\there\nnew line \\ back\\slash \r cr 引号\"");
    model::ChangeSet cs = diff::Classify(
        *state, Snap({A(1, "one"), A(3, "three v2", 450), odd, A(2, "two v2", 150)}), {},
        classify_, Timestamp::FromSeconds(450));
    for (auto& r : cs.revisions) {
      r.markdown = "three v2";
      r.normalizer_version = 1;
      r.image_urls = {stored, refused};
    }
    ASSERT_TRUE(store_->CommitRefresh(testing::Record(kQ, 450, std::move(cs))).ok());
    MediaFetchRecord first;
    first.url = refused;
    first.at = Timestamp::FromSeconds(451);
    first.status = MediaStatus::kNotFound;
    first.http_status = 404;
    first.reason = "HTTP 404";
    ASSERT_TRUE(store_->RecordMediaFetch(first).ok());
    MediaFetchRecord image;
    image.url = stored;
    image.at = Timestamp::FromSeconds(452);
    image.status = MediaStatus::kStored;
    image.http_status = 200;
    image.sha256 = std::string(64, 'e');
    image.media_type = "image/jpeg";
    image.data = std::string("\xff\xd8\0\x01\\\t\x80 jpeg", 12);
    ASSERT_TRUE(store_->RecordMediaFetch(image).ok());
  }

  std::unique_ptr<TestArchive> to_;
};

TEST_P(CopyTest, CopiesEveryRowExactly) {
  FillSource();
  const std::string source = CanonicalDump(*archive_, FromPg());
  ASSERT_NE(source.find("tab\there"), std::string::npos) << source;
  std::vector<std::string> progress;
  auto counts = CopyArchive(*store_, to_->store(), [&](std::string_view t, int64_t d, int64_t n) {
    progress.push_back(std::string(t) + " " + std::to_string(d) + "/" + std::to_string(n));
  });
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  ASSERT_EQ(counts->tables.size(), 9u);
  EXPECT_EQ(counts->tables[0], (std::pair<std::string, int64_t>("threads", 3)));
  EXPECT_EQ(counts->tables[1], (std::pair<std::string, int64_t>("fetches", 6)));
  EXPECT_EQ(progress.front(), "threads 0/3");
  EXPECT_EQ(counts->tables[6], (std::pair<std::string, int64_t>("media", 1)));
  EXPECT_EQ(counts->tables[7], (std::pair<std::string, int64_t>("media_refs", 2)));
  EXPECT_EQ(progress.back(), "media_fetches 2/2");
  Result<MediaBlob> copied = to_->store().GetMedia(std::string(64, 'e'));
  ASSERT_TRUE(copied.ok()) << copied.status().ToString();
  EXPECT_EQ(copied->data, std::string("\xff\xd8\0\x01\\\t\x80 jpeg", 12));
  EXPECT_EQ(CanonicalDump(*to_, ToPg()), source);
  EXPECT_EQ(CanonicalDump(*archive_, FromPg()), source);  // the source is unchanged
  EXPECT_EQ(Observed(to_->store()), Observed(*store_));
  EXPECT_NE(Observed(to_->store()).find("tab\there"), std::string::npos);
}

TEST_P(CopyTest, TheCopyTakesNewRefreshesAfterItsIds) {
  FillSource();
  ASSERT_TRUE(CopyArchive(*store_, to_->store()).ok());
  // Both archives take the same next refresh; their rows stay identical, ids included.
  for (Store* s : {store_, &to_->store()}) {
    store_ = s;
    ASSERT_TRUE(Refresh(500, Snap({A(1, "one v2", 600), A(3, "three"), A(4, "four")})).ok());
    ASSERT_TRUE(s->AddThread({"zhihu", 77}, Timestamp::FromSeconds(501)).ok());
  }
  store_ = &archive_->store();
  EXPECT_EQ(CanonicalDump(*to_, ToPg()), CanonicalDump(*archive_, FromPg()));
}

TEST_P(CopyTest, RefusesADestinationWithRowsAndLeavesItUntouched) {
  FillSource();
  ASSERT_TRUE(to_->store().AddThread({"zhihu", 9}, Timestamp::FromSeconds(3)).ok());
  const std::string before = CanonicalDump(*to_, ToPg());
  auto counts = CopyArchive(*store_, to_->store());
  ASSERT_FALSE(counts.ok());
  EXPECT_EQ(counts.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(counts.status().message().find("is not empty (it holds 1 threads"), std::string::npos)
      << counts.status().message();
  EXPECT_EQ(CanonicalDump(*to_, ToPg()), before);
}

TEST_P(CopyTest, AFailureMidwayLeavesTheDestinationEmpty) {
  FillSource();
  const std::string empty = CanonicalDump(*to_, ToPg());
  for (const char* where : {"copy row", "commit"}) {
    SCOPED_TRACE(where);
    int rows = 0;
    to_->SetFaultHook([&](std::string_view op) {
      if (op == "copy row" && ++rows < 12) return Status::Ok();
      return op == where ? Status::IoError("injected") : Status::Ok();
    });
    auto counts = CopyArchive(*store_, to_->store());
    ASSERT_FALSE(counts.ok());
    EXPECT_NE(counts.status().message().find("injected"), std::string::npos);
    EXPECT_EQ(CanonicalDump(*to_, ToPg()), empty);
  }
  to_->SetFaultHook(nullptr);
  ASSERT_TRUE(CopyArchive(*store_, to_->store()).ok());  // the empty destination takes a copy
  EXPECT_EQ(CanonicalDump(*to_, ToPg()), CanonicalDump(*archive_, FromPg()));
}

TEST_P(CopyTest, AnEmptyArchiveCopiesToAnEmptyArchive) {
  ASSERT_TRUE(store_->SetTracking({"zhihu", kQ}, Tracking::kRemoved).ok());
  auto counts = CopyArchive(*store_, to_->store());
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  EXPECT_EQ(counts->tables[0].second, 1);
  EXPECT_EQ(counts->tables[2].second, 0);
  EXPECT_EQ(CanonicalDump(*to_, ToPg()), CanonicalDump(*archive_, FromPg()));
}

INSTANTIATE_TEST_SUITE_P(Backends, CopyTest, ::testing::ValuesIn(Pairs()),
                         [](const ::testing::TestParamInfo<BackendPair>& info) {
                           return info.param.from.name + "To" + info.param.to.name;
                         });

// Text with a NUL byte (SQLite stores it; PostgreSQL text cannot) is refused whole, naming
// where it is.
TEST(CopyToPostgresTest, RefusesTextWithANulByteAndWritesNothing) {
  TempDir dir;
  auto from = OpenSqliteArchive(dir.Path("a.db"));
  ASSERT_TRUE(from.ok());
  ASSERT_TRUE((*from)->store().AddThread({"zhihu", 1}, Timestamp::FromSeconds(1)).ok());
  Query(dir.Path("a.db"), "UPDATE threads SET title = 'a' || char(0) || 'b'");
  auto to = Backends()[1].open();
  ASSERT_TRUE(to.ok()) << to.status().ToString();
  auto counts = CopyArchive((*from)->store(), (*to)->store());
  ASSERT_FALSE(counts.ok());
  EXPECT_EQ(counts.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(counts.status().message().find("threads row 1: column title holds a NUL byte"),
            std::string::npos)
      << counts.status().message();
  EXPECT_EQ((*to)->Query("SELECT count(*) FROM threads"), "0\n");
}

// A value of the wrong type in an SQLite file (loosely typed) is refused, not converted.
TEST(CopyFromSqliteTest, RefusesAValueOfTheWrongType) {
  TempDir dir;
  auto from = OpenSqliteArchive(dir.Path("a.db"));
  ASSERT_TRUE(from.ok());
  ASSERT_TRUE((*from)->store().AddThread({"zhihu", 1}, Timestamp::FromSeconds(1)).ok());
  Query(dir.Path("a.db"), "UPDATE threads SET added_at = 'yesterday'");
  auto to = OpenSqliteArchive(dir.Path("b.db"));
  ASSERT_TRUE(to.ok());
  auto counts = CopyArchive((*from)->store(), (*to)->store());
  ASSERT_FALSE(counts.ok());
  EXPECT_EQ(counts.status().code(), Status::Code::kCorruption);
  EXPECT_NE(counts.status().message().find("threads row 1: column added_at holds text, not an integer"),
            std::string::npos)
      << counts.status().message();
  EXPECT_EQ(Query(dir.Path("b.db"), "SELECT count(*) FROM threads"), "0\n");
}

// CopiedTables must name every table and column of both schemas: a table or column added by
// a migration and missing here would be silently left out of every copy.
TEST(CopiedTablesTest, NameEveryTableAndColumnOfBothSchemas) {
  std::set<std::string> listed;
  for (const CopyTable& t : CopiedTables()) {
    for (const CopyColumn& c : t.columns) listed.insert(std::string(t.name) + "." + std::string(c.name));
  }
  TempDir dir;
  auto sqlite = OpenSqliteArchive(dir.Path("a.db"));
  ASSERT_TRUE(sqlite.ok());
  std::set<std::string> in_sqlite;
  std::string tables = (*sqlite)->Query(
      "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
  for (size_t pos = 0; pos < tables.size();) {
    const size_t end = tables.find('\n', pos);
    const std::string table = tables.substr(pos, end - pos);
    pos = end + 1;
    std::string cols = (*sqlite)->Query("SELECT name FROM pragma_table_info('" + table + "')");
    for (size_t p = 0; p < cols.size();) {
      const size_t e = cols.find('\n', p);
      in_sqlite.insert(table + "." + cols.substr(p, e - p));
      p = e + 1;
    }
  }
  EXPECT_EQ(in_sqlite, listed);
  auto pg = Backends()[1].open();
  ASSERT_TRUE(pg.ok()) << pg.status().ToString();
  std::set<std::string> in_pg;
  std::string cols = (*pg)->Query(
      "SELECT table_name || '.' || column_name FROM information_schema.columns "
      "WHERE table_schema = current_schema() AND table_name <> 'archivist_schema'");
  for (size_t p = 0; p < cols.size();) {
    const size_t e = cols.find('\n', p);
    in_pg.insert(cols.substr(p, e - p));
    p = e + 1;
  }
  // The daemons' coordination is not history: NotCopied names it, and nothing else is left.
  std::set<std::string> not_copied;
  for (std::string_view n : NotCopied()) {
    const std::string name(n);
    if (name.ends_with(".*")) {
      const std::string table = name.substr(0, name.size() - 1);
      for (auto it = in_pg.lower_bound(table); it != in_pg.end() && it->starts_with(table);) {
        not_copied.insert(*it);
        it = in_pg.erase(it);
      }
    } else {
      not_copied.insert(name);
      in_pg.erase(name);
    }
  }
  EXPECT_EQ(not_copied.size(), 2u + 6u + 2u);  // two lease columns, daemons, marks
  EXPECT_EQ(in_pg, listed);
}

}  // namespace
}  // namespace archivist::store::testing
