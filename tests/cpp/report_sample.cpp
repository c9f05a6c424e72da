// infogap_report_sample OUT_DIR [COLUMNS ROWS]: writes report.vi.html and report.en.html for the
// synthetic model of support/report_world.hpp (COLUMNS × ROWS hamlets, default 4 × 3) into OUT_DIR
// (used by tests/e2e/report_browser_test.py; larger grids for manual size/speed checks).
#include <exception>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <string>

#include "infogap/report.hpp"
#include "support/report_world.hpp"

int main(int argc, char** argv) {
  if (argc != 2 && argc != 4) {
    std::cerr << "usage: infogap_report_sample OUT_DIR [COLUMNS ROWS]\n";
    return 2;
  }
  try {
    const std::filesystem::path dir(argv[1]);
    std::filesystem::create_directories(dir);
    const int columns = argc == 4 ? std::stoi(argv[2]) : 4;
    const int rows = argc == 4 ? std::stoi(argv[3]) : 3;
    if (columns < 1 || rows < 1) throw std::invalid_argument("COLUMNS and ROWS must be >= 1");
    const infogap::ReportModel model = infogap::test::make_report_model(columns, rows);
    for (const auto& language : infogap::report_languages()) {
      const auto path = dir / (std::string("report.") + infogap::to_code(language) + ".html");
      infogap::write_report(model, language, path.string());
      std::cout << path.string() << "\n";
    }
  } catch (const std::exception& e) {
    std::cerr << "infogap_report_sample: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
