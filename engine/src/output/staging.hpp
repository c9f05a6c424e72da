#pragma once
// Private to the output area: the hidden staging folder inside the output folder.
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace infogap::detail {

/// Absolute, normalised path (weakly canonical when possible).
std::filesystem::path normal_path(const std::string& p);

class Staging {
 public:
  /// Creates dir (if needed) and a staging folder in it; removes staging folders of dead runs.
  /// @throws IoError
  explicit Staging(const std::string& dir);
  /// The same for another kind of output (infogap compare): `own` are its file names, and the
  /// earlier files it listed are read from `listing` ("outputs" of that JSON file) instead of the
  /// run's own names and summary.json; a run's files in the folder are left alone.
  Staging(const std::string& dir, std::set<std::string> own, std::string listing);
  ~Staging();
  Staging(const Staging&) = delete;
  Staging& operator=(const Staging&) = delete;

  std::string dir() const { return m_dir.string(); }
  std::string path(const std::string& name) const { return (m_dir / name).string(); }
  /// Names of the files staged so far, sorted.
  std::vector<std::string> files() const;
  /// Removes the previous run's files that this run does not write, then moves every staged file
  /// into the output folder, `last` (summary.json) after the rest. @throws IoError
  void commit(const std::vector<std::string>& last);

 private:
  std::filesystem::path m_final, m_dir;
  std::optional<std::set<std::string>> m_own;  ///< nullopt: a run's own names
  std::string m_listing = "summary.json";
  bool m_committed = false;
};

}  // namespace infogap::detail
