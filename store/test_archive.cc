#include "store/test_archive.h"

#include <atomic>

#include "store/pg_conn.h"
#include "store/pg_store.h"
#include "store/sqlite_store.h"
#include "store/store_test_util.h"
#include "tests/support/pg_server.h"

namespace archivist::store::testing {
namespace {

class SqliteArchive final : public TestArchive {
 public:
  SqliteArchive(std::string path, std::unique_ptr<SqliteStore> store)
      : path_(std::move(path)), store_(std::move(store)) {}
  Store& store() override { return *store_; }
  void SetFaultHook(std::function<Status(std::string_view)> hook) override {
    store_->SetFaultHook(std::move(hook));
  }
  std::string Query(const std::string& sql) override { return testing::Query(path_, sql); }
  Result<std::unique_ptr<Store>> OpenAnother() override {
    Result<std::unique_ptr<SqliteStore>> s = SqliteStore::Open(path_);
    if (!s.ok()) return s.status();
    return std::unique_ptr<Store>(std::move(*s));
  }

 private:
  std::string path_;
  std::unique_ptr<SqliteStore> store_;
};

// An SQLite archive in a folder of its own, removed with the archive.
class SqliteTempArchive final : public TestArchive {
 public:
  Status Open() {
    Result<std::unique_ptr<TestArchive>> a = OpenSqliteArchive(dir_.Path("archive.db"));
    if (!a.ok()) return a.status();
    inner_ = std::move(*a);
    return Status::Ok();
  }
  Store& store() override { return inner_->store(); }
  void SetFaultHook(std::function<Status(std::string_view)> hook) override {
    inner_->SetFaultHook(std::move(hook));
  }
  std::string Query(const std::string& sql) override { return inner_->Query(sql); }
  Result<std::unique_ptr<Store>> OpenAnother() override { return inner_->OpenAnother(); }

 private:
  TempDir dir_;
  std::unique_ptr<TestArchive> inner_;  // destroyed before dir_
};

class PgArchive final : public TestArchive {
 public:
  PgArchive(std::string uri, std::unique_ptr<PgStore> store, std::unique_ptr<PgConn> raw)
      : uri_(std::move(uri)), store_(std::move(store)), raw_(std::move(raw)) {}
  Result<std::unique_ptr<Store>> OpenAnother() override {
    Result<std::unique_ptr<PgStore>> s = PgStore::Open(uri_);
    if (!s.ok()) return s.status();
    return std::unique_ptr<Store>(std::move(*s));
  }
  Store& store() override { return *store_; }
  void SetFaultHook(std::function<Status(std::string_view)> hook) override {
    store_->SetFaultHook(std::move(hook));
  }
  std::string Query(const std::string& sql) override {
    std::string out;
    size_t pos = 0;
    while (pos < sql.size()) {
      size_t end = sql.find(';', pos);
      if (end == std::string::npos) end = sql.size();
      const std::string one = sql.substr(pos, end - pos);
      pos = end + 1;
      if (one.find_first_not_of(" \n\t") == std::string::npos) continue;
      Result<PgRows> rows = raw_->Query(one);
      if (!rows.ok()) {
        ADD_FAILURE() << one << ": " << rows.status().ToString();
        return out;
      }
      out += Format(*rows);
    }
    return out;
  }

 private:
  static std::string Format(const PgRows& rows) {
    std::string out;
    for (int r = 0; r < rows.size(); ++r) {
      for (int c = 0; c < rows.columns(); ++c) {
        if (c > 0) out += '|';
        out += rows.IsNull(r, c) ? "∅" : rows.Text(r, c);
      }
      out += '\n';
    }
    return out;
  }

  std::string uri_;
  std::unique_ptr<PgStore> store_;
  std::unique_ptr<PgConn> raw_;
};

// The binary's one server, started on first use; stopped and removed at exit.
test_support::PgServer* Server(std::string* error) {
  static test_support::PgServer server;
  static const std::string start_error = server.Start();
  *error = start_error;
  return start_error.empty() ? &server : nullptr;
}

Result<std::unique_ptr<TestArchive>> OpenPgArchive() {
  Result<std::string> uri = FreshPgDatabase();
  if (!uri.ok()) return uri.status();
  Result<std::unique_ptr<PgStore>> store = PgStore::Open(*uri);
  if (!store.ok()) return store.status();
  Result<std::unique_ptr<PgConn>> raw = PgConn::Connect(*uri);
  if (!raw.ok()) return raw.status();
  return std::unique_ptr<TestArchive>(new PgArchive(*uri, std::move(*store), std::move(*raw)));
}

}  // namespace

Result<std::string> FreshPgDatabase() {
  static std::atomic<int> counter{0};
  std::string error;
  test_support::PgServer* server = Server(&error);
  if (server == nullptr) return Status::IoError("cannot start a PostgreSQL server: " + error);
  const std::string name = "archive_" + std::to_string(++counter);
  if (std::string err = server->CreateDatabase(name); !err.empty()) {
    return Status::IoError("cannot create database " + name + ": " + err);
  }
  return server->Uri(name);
}

std::string TestArchive::Dump() {
  std::string out;
  for (const char* table : {"threads", "fetches", "answers", "revisions", "events", "orders",
                            "media", "media_refs", "media_fetches"}) {
    out += std::string("== ") + table + "\n" +
           Query(std::string("SELECT * FROM ") + table + " ORDER BY id");
  }
  return out;
}

Result<std::unique_ptr<TestArchive>> OpenSqliteArchive(const std::string& path) {
  Result<std::unique_ptr<SqliteStore>> s = SqliteStore::Open(path);
  if (!s.ok()) return s.status();
  return std::unique_ptr<TestArchive>(new SqliteArchive(path, std::move(*s)));
}

std::vector<Backend> Backends() {
  return {
      {"Sqlite",
       []() -> Result<std::unique_ptr<TestArchive>> {
         auto a = std::make_unique<SqliteTempArchive>();
         ARCHIVIST_RETURN_IF_ERROR(a->Open());
         return std::unique_ptr<TestArchive>(std::move(a));
       }},
      {"Postgres", OpenPgArchive},
  };
}

std::string BackendName(const ::testing::TestParamInfo<Backend>& info) { return info.param.name; }

}  // namespace archivist::store::testing
