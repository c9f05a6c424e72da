// Driver for builds without libFuzzer (gcc, the normal and the sanitizer builds): feeds every corpus
// file to LLVMFuzzerTestOneInput, then `--mutations N` deterministic variants of each (seeded
// xorshift: byte flips, inserts of interesting tokens, deletions, duplications, truncation, splices
// with another corpus file). A regression and smoke run of the same target code that `make fuzz`
// runs under libFuzzer; a broken invariant aborts with the input written to `--crash-dir`.
//
//   fuzz_<target>_replay [--mutations N] [--seed S] [--crash-dir DIR] FILE|DIR...
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<std::uint8_t>;

struct Rng {
  std::uint64_t state;
  std::uint64_t next() {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  }
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
};

// Tokens that matter to the parsers under test (CSV, GeoJSON, YAML, numbers, UTF-8).
constexpr std::string_view k_tokens[] = {
    ",", "\n", "\r\n", "\"", "\"\"", ":", "{", "}", "[", "]", "-", "nan", "NaN", "inf", "-inf", "1e308", "-1e308",
    "0", "-1", "4294967296", "9223372036854775808", "1.5", "null", "true", "", "\t", "  ", "#", "&a", "*a", "!!str",
    "---", "...", "|", ">", "? ", "poor", "near_poor", "not_poor", "\xff\xfe", "\xc3\xa1", "\xe1\xba\xa1", "\x80",
    "\"coordinates\":", "\"type\":\"Polygon\"", "\"type\":\"MultiPolygon\"", "\"type\":\"Point\"", "[[[0,0],[1,1],[0,1],[1,0],[0,0]]]",
    "\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:32648\"}}", "household_id", "lon", "lat", "hamlets:",
    "households:", "path:", "optimize:", "speakers:", "output:", "working_crs:"};

Bytes read_file(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

void mutate(Bytes& b, const std::vector<Bytes>& corpus, Rng& rng) {
  const std::size_t ops = 1 + rng.below(4);
  for (std::size_t k = 0; k < ops; ++k) {
    switch (rng.below(7)) {
      case 0:  // flip one bit
        if (!b.empty()) b[rng.below(b.size())] ^= static_cast<std::uint8_t>(1u << rng.below(8));
        break;
      case 1: {  // insert a token
        const std::string_view t = k_tokens[rng.below(std::size(k_tokens))];
        b.insert(b.begin() + static_cast<std::ptrdiff_t>(rng.below(b.size() + 1)), t.begin(), t.end());
        break;
      }
      case 2: {  // delete a range
        if (b.empty()) break;
        const std::size_t at = rng.below(b.size());
        const std::size_t len = 1 + rng.below(std::min<std::size_t>(16, b.size() - at));
        b.erase(b.begin() + static_cast<std::ptrdiff_t>(at), b.begin() + static_cast<std::ptrdiff_t>(at + len));
        break;
      }
      case 3: {  // duplicate a range
        if (b.empty()) break;
        const std::size_t at = rng.below(b.size());
        const std::size_t len = 1 + rng.below(std::min<std::size_t>(64, b.size() - at));
        const Bytes piece(b.begin() + static_cast<std::ptrdiff_t>(at), b.begin() + static_cast<std::ptrdiff_t>(at + len));
        b.insert(b.begin() + static_cast<std::ptrdiff_t>(rng.below(b.size() + 1)), piece.begin(), piece.end());
        break;
      }
      case 4:  // truncate
        b.resize(rng.below(b.size() + 1));
        break;
      case 5: {  // splice: keep a prefix, continue with the tail of another corpus file
        const Bytes& other = corpus[rng.below(corpus.size())];
        if (other.empty()) break;
        b.resize(rng.below(b.size() + 1));
        const std::size_t from = rng.below(other.size());
        b.insert(b.end(), other.begin() + static_cast<std::ptrdiff_t>(from), other.end());
        break;
      }
      default:  // overwrite a byte with an arbitrary value
        if (!b.empty()) b[rng.below(b.size())] = static_cast<std::uint8_t>(rng.next());
        break;
    }
  }
}

void save_crash(const fs::path& dir, const Bytes& input, const std::string& tag) {
  if (dir.empty()) return;
  std::error_code ec;
  fs::create_directories(dir, ec);
  const fs::path p = dir / ("crash-" + tag);
  std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(input.data()),
                                           static_cast<std::streamsize>(input.size()));
  std::fprintf(stderr, "input saved to %s\n", p.c_str());
}

// The input being run, written out by an abort handler so a crash leaves its reproducer.
const Bytes* g_current = nullptr;
fs::path g_crash_dir;
std::string g_tag;

void on_fatal_signal(int sig) {
  std::fprintf(stderr, "fatal signal %d on input %s\n", sig, g_tag.c_str());
  if (g_current != nullptr) save_crash(g_crash_dir, *g_current, g_tag);
  std::_Exit(128 + sig);
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t mutations = 0;
  std::uint64_t seed = 20240601;
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--mutations" && i + 1 < argc) {
      mutations = std::strtoull(argv[++i], nullptr, 10);
    } else if (a == "--seed" && i + 1 < argc) {
      seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (a == "--crash-dir" && i + 1 < argc) {
      g_crash_dir = argv[++i];
    } else if (fs::is_directory(a)) {
      for (const auto& e : fs::directory_iterator(a))
        if (e.is_regular_file()) files.push_back(e.path());
    } else if (fs::is_regular_file(a)) {
      files.emplace_back(a);
    } else {
      std::fprintf(stderr, "usage: %s [--mutations N] [--seed S] [--crash-dir DIR] FILE|DIR...\n(no such file: %s)\n",
                   argv[0], a.c_str());
      return 2;
    }
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    std::fprintf(stderr, "no corpus files given\n");
    return 2;
  }
  for (const int sig : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) std::signal(sig, on_fatal_signal);
  std::vector<Bytes> corpus;
  for (const auto& f : files) corpus.push_back(read_file(f));
  const auto t0 = std::chrono::steady_clock::now();
  std::size_t runs = 0;
  for (std::size_t i = 0; i < corpus.size(); ++i) {
    g_current = &corpus[i];
    g_tag = files[i].filename().string();
    LLVMFuzzerTestOneInput(corpus[i].data(), corpus[i].size());
    ++runs;
  }
  for (std::size_t i = 0; i < corpus.size(); ++i) {
    Rng rng{seed ^ (0x9e3779b97f4a7c15ULL * (i + 1))};
    for (std::size_t m = 0; m < mutations; ++m) {
      Bytes b = corpus[i];
      mutate(b, corpus, rng);
      g_current = &b;
      g_tag = files[i].filename().string() + "-m" + std::to_string(m) + "-seed" + std::to_string(seed);
      LLVMFuzzerTestOneInput(b.data(), b.size());
      ++runs;
    }
  }
  g_current = nullptr;
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("%zu inputs (%zu corpus files, %zu mutations each) in %.2f s: no crash\n", runs, corpus.size(), mutations, s);
  return 0;
}
