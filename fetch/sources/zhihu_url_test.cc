#include "fetch/sources/zhihu_url.h"

#include <gtest/gtest.h>

namespace archivist::fetch {
namespace {

TEST(ParseQuestionRefTest, AcceptsTheFormsPeopleCopy) {
  const std::pair<const char*, uint64_t> cases[] = {
      {"19550225", 19550225},
      {"  19550225\n", 19550225},
      {"https://www.zhihu.com/question/19550225", 19550225},
      {"https://www.zhihu.com/question/19550225/", 19550225},
      {"https://zhihu.com/question/19550225", 19550225},
      {"http://www.zhihu.com/question/19550225?utm_source=wechat#anchor", 19550225},
      {"https://www.zhihu.com/question/19550225/answer/1234567890", 19550225},
      {"https://www.zhihu.com/question/19550225/answer/1234567890/?utm_psn=1", 19550225},
      {"www.zhihu.com/question/19550225", 19550225},
      {"HTTPS://WWW.ZHIHU.COM/question/1909560805764077000", 1909560805764077000ull},
      {"18446744073709551615", 18446744073709551615ull},
  };
  for (const auto& [text, id] : cases) {
    Result<model::QuestionId> got = ParseQuestionRef(text);
    ASSERT_TRUE(got.ok()) << text << ": " << got.status().ToString();
    EXPECT_EQ(*got, id) << text;
  }
}

TEST(ParseQuestionRefTest, RejectsWithAMessageNamingTheInput) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "empty"},
      {"0", "is 0"},
      {"18446744073709551616", "64 bits"},
      {"https://example.com/question/1", "host"},
      {"ftp://www.zhihu.com/question/1", "scheme"},
      {"https://www.zhihu.com/people/someone", "path"},
      {"https://www.zhihu.com/question/abc", "'abc'"},
      {"https://www.zhihu.com/question/12/comments", "unexpected path"},
      {"12a", "host"},
      {"https://zhuanlan.zhihu.com/p/123456", "column article"},
      {"zhuanlan.zhihu.com/p/123456", "column article"},
      {"https://www.zhihu.com/answer/1234567890", "answer without its question"},
  };
  for (const auto& [text, why] : cases) {
    Result<model::QuestionId> got = ParseQuestionRef(text);
    ASSERT_FALSE(got.ok()) << text;
    EXPECT_EQ(got.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(got.status().message().find("'" + std::string(text) + "'"), std::string::npos)
        << got.status().message();
    EXPECT_NE(got.status().message().find(why), std::string::npos) << got.status().message();
  }
}

TEST(ParseAnswerRefTest, AcceptsIdsAndAnswerUrls) {
  struct Case {
    const char* text;
    uint64_t answer;
    std::optional<uint64_t> question;
  };
  const Case cases[] = {
      {"1234567890", 1234567890, std::nullopt},
      {" 1234567890\n", 1234567890, std::nullopt},
      {"https://www.zhihu.com/question/19550225/answer/1234567890", 1234567890, 19550225},
      {"http://zhihu.com/question/19550225/answer/1234567890/", 1234567890, 19550225},
      {"https://www.zhihu.com/question/19550225/answer/1234567890?utm_psn=1#x", 1234567890,
       19550225},
      {"www.zhihu.com/question/19550225/answer/1234567890", 1234567890, 19550225},
      {"https://www.zhihu.com/answer/1234567890", 1234567890, std::nullopt},
      {"https://zhihu.com/answer/1234567890/", 1234567890, std::nullopt},
      {"HTTP://ZHIHU.COM/answer/18446744073709551615", 18446744073709551615ull, std::nullopt},
  };
  for (const Case& c : cases) {
    Result<AnswerRef> got = ParseAnswerRef(c.text);
    ASSERT_TRUE(got.ok()) << c.text << ": " << got.status().ToString();
    EXPECT_EQ(got->answer, c.answer) << c.text;
    EXPECT_EQ(got->question, c.question) << c.text;
  }
}

TEST(ParseAnswerRefTest, RejectsWithTheReason) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "empty"},
      {"0", "is 0"},
      {"-5", "host"},
      {"https://zhuanlan.zhihu.com/p/123456", "column article"},
      {"https://www.zhihu.com/question/19550225", "question URL without an answer"},
      {"https://www.zhihu.com/question/19550225/", "question URL without an answer"},
      {"https://www.zhihu.com/question/19550225/answer/", "the path is not"},
      {"https://www.zhihu.com/question/19550225/answer/12x", "answer id '12x'"},
      {"https://www.zhihu.com/answer/0", "is 0"},
      {"https://www.zhihu.com/answer/12/comments", "unexpected path"},
      {"https://www.zhihu.com/people/someone", "path"},
      {"https://example.com/answer/12", "host"},
      {"ftp://zhihu.com/answer/12", "scheme"},
  };
  for (const auto& [text, why] : cases) {
    Result<AnswerRef> got = ParseAnswerRef(text);
    ASSERT_FALSE(got.ok()) << text;
    EXPECT_EQ(got.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(got.status().message().find("'" + std::string(text) + "' is not a Zhihu answer"),
              std::string::npos)
        << got.status().message();
    EXPECT_NE(got.status().message().find(why), std::string::npos) << got.status().message();
  }
}

}  // namespace
}  // namespace archivist::fetch
