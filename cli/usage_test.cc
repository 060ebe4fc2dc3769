#include "cli/usage.h"

#include <gtest/gtest.h>

namespace archivist::cli {
namespace {

const std::vector<std::string> kVerbs = {"add",    "remove", "list",   "refresh", "history",
                                         "diff",   "show",   "export", "status",  "backup",
                                         "daemon", "help",   "renormalize"};

TEST(SuggestVerbsTest, TyposOfOneOrTwoSteps) {
  EXPECT_EQ(SuggestVerbs("lsit", kVerbs), std::vector<std::string>{"list"});
  EXPECT_EQ(SuggestVerbs("shwo", kVerbs), std::vector<std::string>{"show"});
  EXPECT_EQ(SuggestVerbs("refesh", kVerbs), std::vector<std::string>{"refresh"});
  EXPECT_EQ(SuggestVerbs("histroy", kVerbs), std::vector<std::string>{"history"});
  EXPECT_EQ(SuggestVerbs("statsu", kVerbs), std::vector<std::string>{"status"});
}

TEST(SuggestVerbsTest, AUniquePrefixComesFirst) {
  EXPECT_EQ(SuggestVerbs("hist", kVerbs), (std::vector<std::string>{"history", "list"}));
  EXPECT_EQ(SuggestVerbs("ren", kVerbs), std::vector<std::string>{"renormalize"});
}

TEST(SuggestVerbsTest, NothingCloseSuggestsNothing) {
  EXPECT_TRUE(SuggestVerbs("xyz", kVerbs).empty());
  EXPECT_TRUE(SuggestVerbs("re", kVerbs).empty());  // refresh, remove, renormalize: ambiguous
  EXPECT_TRUE(SuggestVerbs("frobnicate", kVerbs).empty());
}

TEST(UnknownVerbMessageTest, NamesTheWordAndTheGuesses) {
  EXPECT_EQ(UnknownVerbMessage("lsit", kVerbs), "unknown verb \"lsit\"; did you mean \"list\"?");
  EXPECT_EQ(UnknownVerbMessage("hist", kVerbs),
            "unknown verb \"hist\"; did you mean \"history\" or \"list\"?");
  EXPECT_EQ(UnknownVerbMessage("xyz", kVerbs),
            "unknown verb \"xyz\" (`archivist help` lists the verbs)");
}

}  // namespace
}  // namespace archivist::cli
