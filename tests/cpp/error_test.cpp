#include "infogap/error.hpp"

#include <gtest/gtest.h>

namespace infogap {
namespace {

TEST(Error, MessageNamesFileLayerFeatureAndColumn) {
  const Error e(ErrorCode::invalid_input, "not a number", {"/tmp/h.gpkg", "households", "members", 17});
  const std::string msg = e.what();
  EXPECT_NE(msg.find("/tmp/h.gpkg"), std::string::npos);
  EXPECT_NE(msg.find("households"), std::string::npos);
  EXPECT_NE(msg.find("feature 17"), std::string::npos);
  EXPECT_NE(msg.find("members"), std::string::npos);
  EXPECT_EQ(e.reason(), "not a number");
}

TEST(Error, ExitCodesSeparateUserErrorsFromInternalOnes) {
  EXPECT_EQ(exit_code_for(ErrorCode::invalid_scenario), 1);
  EXPECT_EQ(exit_code_for(ErrorCode::invalid_input), 1);
  EXPECT_EQ(exit_code_for(ErrorCode::io), 1);
  EXPECT_EQ(exit_code_for(ErrorCode::crs), 1);
  EXPECT_EQ(exit_code_for(ErrorCode::geometry), 2);
  EXPECT_EQ(exit_code_for(ErrorCode::solver), 2);
  EXPECT_EQ(exit_code_for(ErrorCode::internal), 2);
}

TEST(Error, ThrowErrorPicksTheSubclass) {
  EXPECT_THROW(throw_error(ErrorCode::io, "x"), IoError);
  EXPECT_THROW(throw_error(ErrorCode::invalid_scenario, "x"), InvalidInput);
  EXPECT_THROW(throw_error(ErrorCode::crs, "x"), InvalidInput);
  try {
    throw_error(ErrorCode::solver, "x");
  } catch (const InvalidInput&) {
    FAIL() << "solver errors are not input errors";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::solver);
  }
}

}  // namespace
}  // namespace infogap
