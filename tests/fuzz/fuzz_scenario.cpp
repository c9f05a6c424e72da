// Fuzz target: the scenario parser (Scenario::from_yaml_string) on arbitrary text.
// Oracles: it either returns a scenario or throws infogap::Error (anything else escapes and the
// fuzzer reports it); a parsed scenario survives the documented round trip
// from_yaml_string(to_yaml()) == scenario, and to_json() does not throw.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fuzz_support.hpp"
#include "infogap/error.hpp"
#include "infogap/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  infogap::Scenario sc;
  try {
    sc = infogap::Scenario::from_yaml_string(text, "/fuzz/base", "fuzz.yaml");
  } catch (const infogap::Error&) {
    return 0;  // rejected with a message: the expected outcome for most inputs
  }
  // The contract of to_yaml(): the text parses back to an equal scenario.
  const std::string yaml = sc.to_yaml();
  infogap::Scenario again;
  try {
    again = infogap::Scenario::from_yaml_string(yaml, "/fuzz/base", "roundtrip.yaml");
  } catch (const infogap::Error& e) {
    infogap::fuzz::fail("to_yaml() text does not parse back", e.what(), yaml);
  }
  if (!(again == sc)) infogap::fuzz::fail("from_yaml_string(to_yaml()) != scenario", text, yaml);
  (void)sc.to_json();
  return 0;
}
