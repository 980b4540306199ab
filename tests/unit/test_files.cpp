// OutputFiles: the rules of the files tally writes outside its ledger (issue 17).
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <functional>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tally/errors.hpp"
#include "tally/files.hpp"

using namespace tally;
namespace fs = std::filesystem;

namespace {

// A fresh folder under the system's temporary folder, removed at the end.
struct Folder {
  fs::path path;
  Folder() {
    char name[] = "/tmp/tally-files-XXXXXX";
    path = ::mkdtemp(name);
  }
  ~Folder() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(path)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }
};

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

ExitCode code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  return ExitCode::ok;
}

}  // namespace

TEST_CASE("Staged files reach their names only on commit, all together", "[files]") {
  Folder dir;
  {
    OutputFiles files("", false);
    files.stage(dir / "a.txt", "first");
    files.stage(dir / "b.txt", "second");
    // Nothing under the final names yet: only the temporaries.
    CHECK_FALSE(fs::exists(dir / "a.txt"));
    CHECK(dir.names().size() == 2);
    files.commit();
  }
  CHECK(read(dir / "a.txt") == "first");
  CHECK(read(dir / "b.txt") == "second");
  CHECK(dir.names() == std::vector<std::string>{"a.txt", "b.txt"});
}

TEST_CASE("A failure before commit leaves no file at all", "[files]") {
  Folder dir;
  {
    OutputFiles files("", false);
    files.stage(dir / "a.txt", "first");
  }  // destroyed without commit: as when the ledger's transaction failed
  CHECK(dir.names().empty());
}

TEST_CASE("A name taken between staging and commit: nothing placed, the other file removed", "[files]") {
  Folder dir;
  OutputFiles files("", false);
  files.stage(dir / "a.txt", "first");
  files.stage(dir / "b.txt", "second");
  std::ofstream(dir / "b.txt") << "someone else's";
  CHECK(code_of([&] { files.commit(); }) == ExitCode::conflict);
  files.discard();
  CHECK(dir.names() == std::vector<std::string>{"b.txt"});
  CHECK(read(dir / "b.txt") == "someone else's");
}

TEST_CASE("Targets refused whatever --force says", "[files]") {
  Folder dir;
  const std::string ledger = dir / "l.db";
  std::ofstream(ledger) << "ledger";
  ::symlink("elsewhere.txt", (dir / "link.txt").c_str());
  ::mkfifo((dir / "fifo").c_str(), 0600);
  fs::create_directory(dir / "sub");
  ::link(ledger.c_str(), (dir / "same.db").c_str());
  OutputFiles files(ledger, true);
  struct Case {
    std::string path;
    ExitCode code;
  };
  const Case cases[] = {
      {ledger, ExitCode::usage},                 // the ledger itself
      {dir / "same.db", ExitCode::usage},        // the ledger under another name (same inode)
      {dir / "sub/../l.db", ExitCode::usage},    // the ledger through ".."
      {ledger + "-wal", ExitCode::usage},        // its WAL, not yet made: by name
      {ledger + "-shm", ExitCode::usage},
      {dir / "link.txt", ExitCode::usage},       // a symbolic link, even dangling
      {dir / "fifo", ExitCode::usage},           // not a regular file
      {"/dev/full", ExitCode::usage},            // a device
      {dir / "sub", ExitCode::usage},            // a directory
      {dir / "missing/x.txt", ExitCode::usage},  // a folder that does not exist
      {"", ExitCode::usage},
      {dir / "new.txt", ExitCode::ok},           // a new file
  };
  for (const auto& c : cases) {
    INFO(c.path);
    CHECK(code_of([&] { files.check(c.path); }) == c.code);
  }
  CHECK(read(ledger) == "ledger");
}

TEST_CASE("An existing regular file: a conflict unless overwrite, then replaced", "[files]") {
  Folder dir;
  std::ofstream(dir / "old.txt") << "old";
  {
    OutputFiles files("", false);
    CHECK(code_of([&] { files.stage(dir / "old.txt", "new"); }) == ExitCode::conflict);
  }
  CHECK(read(dir / "old.txt") == "old");
  OutputFiles files("", true);
  files.stage(dir / "old.txt", "new");
  files.commit();
  CHECK(read(dir / "old.txt") == "new");
  CHECK(dir.names() == std::vector<std::string>{"old.txt"});
}
