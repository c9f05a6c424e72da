#pragma once
// Progress display on stderr: a bar on a terminal, plain "stage: 40%" lines otherwise.
#include <string>

namespace infogap::cli {

class Progress {
 public:
  explicit Progress(bool quiet = false);
  /// Reports progress of a stage in [0, 1].
  void update(const std::string& stage, double fraction);
  /// Ends the current stage line.
  void done(const std::string& stage, double seconds);

 private:
  bool m_tty;
  bool m_quiet;
  std::string m_stage;
  int m_last_permille = -1;  ///< last fraction shown, in tenths of a percent
};

}  // namespace infogap::cli
