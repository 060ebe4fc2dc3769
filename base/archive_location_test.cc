#include "base/archive_location.h"

#include <gtest/gtest.h>

namespace archivist {
namespace {

TEST(ArchiveLocationTest, OnlyPostgresUrisAreDatabases) {
  EXPECT_TRUE(IsDatabaseUri("postgresql:///archive?host=/run/postgresql"));
  EXPECT_TRUE(IsDatabaseUri("postgres://db.example/archive"));
  EXPECT_FALSE(IsDatabaseUri("PostgreSQL://db.example/archive"));  // libpq's designators only
  EXPECT_FALSE(IsDatabaseUri("/var/lib/archivist/archive.db"));
  EXPECT_FALSE(IsDatabaseUri("postgresql.db"));
  EXPECT_FALSE(IsDatabaseUri("archive/postgresql://x"));
  EXPECT_FALSE(IsDatabaseUri("host=/run/postgresql dbname=archive"));  // libpq's key=value form
}

TEST(ArchiveLocationTest, PasswordsAreRedacted) {
  EXPECT_EQ(RedactLocation("postgresql://alice:s3cret@db.example:5432/archive"),
            "postgresql://alice:***@db.example:5432/archive");
  EXPECT_EQ(RedactLocation("postgresql://alice:s3cret@db.example/archive?password=again&sslmode=require"),
            "postgresql://alice:***@db.example/archive?password=***&sslmode=require");
  EXPECT_EQ(RedactLocation("postgresql:///archive?host=/run/postgresql&PASSWORD=x"),
            "postgresql:///archive?host=/run/postgresql&PASSWORD=***");
  // An unencoded '/' or '@' in the password hides it all the same.
  EXPECT_EQ(RedactLocation("postgresql://bob:a/b@c@db/archive"), "postgresql://bob:***@db/archive");
  EXPECT_EQ(RedactLocation("postgresql://u:p@"), "postgresql://u:***@");
}

TEST(ArchiveLocationTest, WhatHasNoPasswordIsUnchanged) {
  for (const char* same : {"postgresql:///archive?host=/run/postgresql",
                           "postgresql://alice@db.example/archive",
                           "postgresql://db.example:5432/archive?application_name=a:b",
                           "/srv/archive:with@odd?chars.db", "postgresql://", ""}) {
    EXPECT_EQ(RedactLocation(same), same);
  }
}

TEST(ArchiveLocationTest, PasswordsAreRedactedInMessages) {
  EXPECT_EQ(RedactPasswordsIn("bad token \"s3cret\" and s3cret",
                              "postgresql://alice:s3cret@db.example/archive"),
            "bad token \"***\" and ***");
  EXPECT_EQ(RedactPasswordsIn("a/b@c or x: again, p=w",
                              "postgresql://bob:a/b@c@db/archive?password=again&sslmode=x"),
            "*** or x: ***, p=w");
  EXPECT_EQ(RedactPasswordsIn("x a/b y", "postgresql://bob:a%2Fb@db/archive"), "x *** y");
  EXPECT_EQ(RedactPasswordsIn("keep s3cret", "/srv/s3cret.db"), "keep s3cret");
  EXPECT_EQ(RedactPasswordsIn("keep alice", "postgresql://alice@db/archive"), "keep alice");
}

}  // namespace
}  // namespace archivist
