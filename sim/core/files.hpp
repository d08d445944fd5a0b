#pragma once
// Files as hostile input and as precious output (docs/hardening.md).
//
// Reading: only regular files, and only up to a stated size. A path is checked with stat()
// before it is opened (opening a device can have effects of its own), opened non-blocking (a
// FIFO swapped in meanwhile does not block) and checked again with fstat() on the open file,
// so /dev/zero, a FIFO, a socket or a folder is refused with a message instead of being read
// forever.
//
// Writing: a file is replaced only when it is a regular file; a device, FIFO, socket, folder
// or symbolic link in its place is refused, whatever --force says. New content goes to a
// temporary file created beside the target (O_EXCL: never through a planted link), and a
// FileSet renames all of its files into place or none of them.
#include <csignal>
#include <cstdint>
#include <functional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace stratus::files {

// A file that could not be read or written. what() is "PATH: REASON"; reason() the part after
// the path, for messages that name the path their own way.
class FileError : public std::runtime_error {
  public:
    FileError(const std::string& path, const std::string& reason);
    const std::string& path() const { return path_; }
    const std::string& reason() const { return reason_; }

  private:
    std::string path_, reason_;
};

constexpr std::uint64_t kMiB = 1024 * 1024;

// Holds SIGINT, SIGTERM and SIGHUP for its lifetime; they are delivered when it ends. Nested
// holds are fine (each restores the mask it found).
class HeldSignals {
  public:
    HeldSignals();
    ~HeldSignals();
    HeldSignals(const HeldSignals&) = delete;
    HeldSignals& operator=(const HeldSignals&) = delete;

  private:
    sigset_t previous_;
};

// An errno in words, plainer than strerror for what paths run into: "the name is too long
// (...)", "too many levels of symbolic links (a loop?)", "a part of the path is not a folder".
std::string describe_error(int err);

// "a directory", "a FIFO (named pipe)", "a character device", ... for a stat() st_mode.
std::string describe_file_type(unsigned mode);

// The whole content of the regular file `path`, at most `max_bytes` long. Throws FileError
// for anything else: a missing or unreadable file, a folder, a device, a FIFO, a socket, a
// file larger than `max_bytes` (`what` names the kind of file in that message: "scenario
// files").
std::string read_regular_file(const std::string& path, std::uint64_t max_bytes,
                              const std::string& what = "files");

// Why a new file cannot be put at `path` by a rename, or empty when it can: `path` does not
// exist, or is a regular file (not a symbolic link), and its folder exists. The reasons name
// what is there ("it is a character device; only regular files are replaced").
std::string replace_problem(const std::string& path);

// Files written together: each is staged as a temporary file beside its target, then commit()
// renames every one into place. When any step fails, the targets are left as they were (the
// renames done so far are rolled back) and FileError says which file and why. SIGINT, SIGTERM
// and SIGHUP are held during commit(). Temporaries not committed are removed by the
// destructor.
class FileSet {
  public:
    using Writer = std::function<void(std::ostream&)>;

    FileSet() = default;
    ~FileSet();
    FileSet(const FileSet&) = delete;
    FileSet& operator=(const FileSet&) = delete;

    // Writes `write`'s output to a temporary file beside `path` now (throws FileError on a
    // write error such as a full disk, or when `path` cannot be replaced).
    void stage(const std::string& path, const Writer& write);
    void stage(const std::string& path, const std::string& content);
    // `path` is removed by commit() (a stale companion file), when it exists.
    void stage_removal(const std::string& path);
    void commit();

  private:
    struct Entry {
        std::string target;
        std::string temporary;  // empty: a removal
        std::string backup;     // the previous file, kept until every rename succeeded
        bool had_previous = false;
        bool done = false;
    };
    void roll_back();
    [[noreturn]] void fail(std::string target, std::string reason);
    std::vector<Entry> entries_;
    bool committed_ = false;
};

// Writes one file atomically (a FileSet of one).
void write_file_atomically(const std::string& path, const FileSet::Writer& write);
void write_file_atomically(const std::string& path, const std::string& content);

// A regular file opened for appending, never through a symbolic link, never anything but a
// regular file. Each append() is written at once; a failed write throws FileError.
class AppendFile {
  public:
    explicit AppendFile(const std::string& path);
    ~AppendFile();
    AppendFile(const AppendFile&) = delete;
    AppendFile& operator=(const AppendFile&) = delete;
    void append(const std::string& text);
    void close();

  private:
    std::string path_;
    int fd_ = -1;
};

}  // namespace stratus::files
