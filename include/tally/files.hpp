// Files that tally writes outside its ledger: balance statements, late
// notices, backups, exports. The same rules for every one of them:
//
// - a file is created new, with an exclusive create that never follows a
//   symbolic link; an existing path is replaced only when the caller allows it
//   (--force), and never when it is the ledger, one of its -wal/-shm/-journal
//   files, a directory, a symbolic link or anything but a regular file
//   (compared by device and inode, not by name);
// - every target is checked before anything is written;
// - content goes to a temporary file in the target's own folder, synced (one
//   syncfs for all the staged files, sync()), and reaches its name only when
//   the whole command has succeeded (commit()),
//   after the ledger's transaction committed: a command that fails leaves no
//   file behind and no existing file changed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tally {

class OutputFiles {
 public:
  // `ledger_path`: the ledger whose files may never be written ("" or
  // ":memory:" for none). `overwrite`: an existing regular file may be replaced.
  OutputFiles(std::string ledger_path, bool overwrite);
  OutputFiles(const OutputFiles&) = delete;
  OutputFiles& operator=(const OutputFiles&) = delete;
  // Removes every temporary file not yet committed.
  ~OutputFiles();

  // Checks that `path` may be written, without writing. Throws Error(usage)
  // for an empty path, a missing folder, a directory, a symbolic link, a
  // non-regular file or the ledger's own files; Error(conflict) naming the path
  // when it exists and overwrite is off.
  void check(const std::string& path) const;

  // Checks `path`, then writes `content` to a new temporary file beside it
  // (synced by sync() or commit()). Throws as check(), or Error(internal) naming the path when the
  // folder cannot take it (full disk, no permission), the temporary removed.
  void stage(const std::string& path, std::string_view content);

  // Checks `path` and creates an empty temporary file beside it for a writer
  // that fills it by name (SQLite's backup); returns its name. It is placed by
  // commit() like a staged file.
  std::string reserve(const std::string& path);

  // Puts the data of every file staged so far on disk: one syncfs() per file
  // system holding them, not an fsync() per file (a journal commit each: 8.5 s
  // for a month of 1,228 CII documents on the benchmark's VM). A command that
  // stages inside a ledger transaction calls it before the transaction ends,
  // so that a failure rolls the ledger back. Throws Error(internal) naming a
  // path.
  void sync();

  // Syncs what sync() has not, then gives every staged file its name: a new file is linked under its name
  // (failing, not replacing, if something appeared there meanwhile); with
  // overwrite, a regular file is replaced by rename. Throws Error(conflict) or
  // Error(internal) naming the path; files already placed by this call are
  // then removed again, so either all files are placed or none.
  void commit();

  // Removes every temporary file not yet committed (the destructor's work,
  // for a caller that must clean up before it returns).
  void discard();

  // The paths staged or reserved, in order.
  std::vector<std::string> paths() const;

 private:
  struct Pending {
    std::string path, tmp;
  };
  std::string ledger_path_;
  bool overwrite_;
  std::vector<Pending> pending_;
  std::size_t synced_ = 0;  // pending_[0, synced_) are on disk
};

}  // namespace tally
