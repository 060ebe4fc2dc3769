#include "base/status.h"

#include <gtest/gtest.h>

namespace archivist {
namespace {

TEST(StatusTest, OkByDefault) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(StatusTest, ErrorCarriesCodeAndMessage) {
  Status s = Status::NotFound("question 42");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  EXPECT_EQ(s.ToString(), "not found: question 42");
  EXPECT_EQ(s.WithContext("show").message(), "show: question 42");
  EXPECT_TRUE(Status::Ok().WithContext("x").ok());
}

Result<int> Half(int x) {
  if (x % 2) return Status::InvalidArgument("odd: " + std::to_string(x));
  return x / 2;
}

Status UseHalf(int x, int* out) {
  Result<int> r = Half(x);
  if (!r.ok()) return r.status();
  *out = *r;
  return Status::Ok();
}

TEST(ResultTest, ValueOrStatus) {
  int v = 0;
  EXPECT_TRUE(UseHalf(8, &v).ok());
  EXPECT_EQ(v, 4);
  Status s = UseHalf(3, &v);
  EXPECT_EQ(s.message(), "odd: 3");
  EXPECT_TRUE(Half(2).status().ok());
}

}  // namespace
}  // namespace archivist
