#include "sim/core/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <streambuf>

#include <fmt/format.h>

namespace stratus::files {
namespace {}  // namespace

std::string describe_error(int err) {
    switch (err) {
        case ENAMETOOLONG:
            return "the name is too long (at most 255 bytes a name and 4096 in all)";
        case ELOOP:
            return "too many levels of symbolic links (a loop?)";
        case ENOTDIR:
            return "a part of the path is not a folder";
        default:
            return std::strerror(err);
    }
}

namespace {

std::string folder_of(const std::string& path) {
    const auto slash = path.find_last_of('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

std::string name_of(const std::string& path) {
    const auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// A name beside `path` for a file of ours: ".<name>.<tag>-<pid>-<n>", the name cut to 100
// bytes so that the result fits in a folder entry whatever the target's length.
std::string sibling_name(const std::string& path, const char* tag) {
    static std::atomic<unsigned> counter{0};
    const std::string folder = folder_of(path);
    const std::string name = name_of(path).substr(0, 100);
    const std::string file =
        fmt::format(".{}.{}-{}-{}", name, tag, static_cast<long>(getpid()), counter++);
    if (path.find('/') == std::string::npos) return file;
    return folder == "/" ? "/" + file : folder + "/" + file;
}

bool write_all(int fd, const char* data, std::size_t size, int* err) {
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            *err = errno;
            return false;
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

// An output stream buffer over a file descriptor that remembers the first write error.
class FdBuf final : public std::streambuf {
  public:
    explicit FdBuf(int fd) : fd_(fd) { setp(buffer_, buffer_ + sizeof buffer_); }
    int error() const { return err_; }
    bool flush_all() { return flush_buffer(); }

  protected:
    int_type overflow(int_type c) override {
        if (!flush_buffer()) return traits_type::eof();
        if (!traits_type::eq_int_type(c, traits_type::eof())) {
            *pptr() = traits_type::to_char_type(c);
            pbump(1);
        }
        return traits_type::not_eof(c);
    }
    int sync() override { return flush_buffer() ? 0 : -1; }

  private:
    bool flush_buffer() {
        if (err_) return false;
        const std::size_t n = static_cast<std::size_t>(pptr() - pbase());
        if (n > 0 && !write_all(fd_, pbase(), n, &err_)) return false;
        setp(buffer_, buffer_ + sizeof buffer_);
        return true;
    }
    int fd_;
    int err_ = 0;
    char buffer_[1 << 16];
};

void check_readable_kind(const std::string& path, const struct stat& st, std::uint64_t max_bytes,
                         const std::string& what) {
    if (!S_ISREG(st.st_mode))
        throw FileError(path, fmt::format("it is {}; only regular files are read",
                                          describe_file_type(st.st_mode)));
    if (static_cast<std::uint64_t>(st.st_size) > max_bytes)
        throw FileError(path,
                        fmt::format("it is {} bytes long; {} larger than {} MiB are refused",
                                    static_cast<long long>(st.st_size), what, max_bytes / kMiB));
}

}  // namespace

HeldSignals::HeldSignals() {
    sigset_t held;
    sigemptyset(&held);
    sigaddset(&held, SIGINT);
    sigaddset(&held, SIGTERM);
    sigaddset(&held, SIGHUP);
    sigprocmask(SIG_BLOCK, &held, &previous_);
}

HeldSignals::~HeldSignals() {
    sigprocmask(SIG_SETMASK, &previous_, nullptr);
}

FileError::FileError(const std::string& path, const std::string& reason)
    : std::runtime_error(path + ": " + reason), path_(path), reason_(reason) {}

std::string describe_file_type(unsigned mode) {
    if (S_ISREG(mode)) return "a regular file";
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
    if (S_ISSOCK(mode)) return "a socket";
    if (S_ISLNK(mode)) return "a symbolic link";
    return "not a regular file";
}

std::string read_regular_file(const std::string& path, std::uint64_t max_bytes,
                              const std::string& what) {
    if (path.empty()) throw FileError(path, "the file name is empty");
    // stat() first: opening a device or a FIFO can block or have effects of its own.
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) throw FileError(path, describe_error(errno));
    check_readable_kind(path, st, max_bytes, what);
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) throw FileError(path, describe_error(errno));
    std::string text;
    try {
        // Again on what was opened: the path may have been swapped since the stat().
        if (::fstat(fd, &st) != 0) throw FileError(path, describe_error(errno));
        check_readable_kind(path, st, max_bytes, what);
        text.reserve(static_cast<std::size_t>(st.st_size));
        char buffer[1 << 16];
        while (true) {
            const ssize_t n = ::read(fd, buffer, sizeof buffer);
            if (n < 0) {
                if (errno == EINTR) continue;
                throw FileError(path, describe_error(errno));
            }
            if (n == 0) break;
            text.append(buffer, static_cast<std::size_t>(n));
            // A file growing while it is read is held to the same limit.
            if (text.size() > max_bytes)
                throw FileError(path, fmt::format("it grew beyond {} MiB while being read; {} "
                                                  "larger than that are refused",
                                                  max_bytes / kMiB, what));
        }
    } catch (...) {
        ::close(fd);
        throw;
    }
    ::close(fd);
    return text;
}

std::string replace_problem(const std::string& path) {
    if (path.empty()) return "the file name is empty";
    struct stat st;
    if (::lstat(path.c_str(), &st) == 0) {
        if (S_ISLNK(st.st_mode)) {
            struct stat target;
            const char* leads = ::stat(path.c_str(), &target) == 0 ? ""
                                : errno == ELOOP                   ? " (in a loop)"
                                                                   : " (to nothing)";
            return fmt::format(
                "it is a symbolic link{}; stratus neither writes through links "
                "nor replaces them (remove it, or name the file it points to)",
                leads);
        }
        if (!S_ISREG(st.st_mode))
            return fmt::format("it is {}; only regular files are replaced",
                               describe_file_type(st.st_mode));
        return "";
    }
    if (errno != ENOENT) return describe_error(errno);
    if (!path.empty() && path.back() == '/') return "the name ends with '/' (a folder?)";
    const std::string folder = folder_of(path);
    if (::stat(folder.c_str(), &st) != 0)
        return fmt::format("its folder {}: {}", folder, describe_error(errno));
    if (!S_ISDIR(st.st_mode))
        return fmt::format("its folder {} is {}", folder, describe_file_type(st.st_mode));
    return "";
}

// ---- FileSet ----------------------------------------------------------------------------------

FileSet::~FileSet() {
    if (committed_) return;
    for (const auto& e : entries_)
        if (!e.temporary.empty()) ::unlink(e.temporary.c_str());
}

void FileSet::stage(const std::string& path, const std::string& content) {
    stage(path, [&](std::ostream& out) {
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
    });
}

void FileSet::stage(const std::string& path, const Writer& write) {
    if (const std::string problem = replace_problem(path); !problem.empty())
        throw FileError(path, problem);
    // A new name, created exclusively: never an existing file, never through a link.
    std::string temporary;
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
        temporary = sibling_name(path, "tmp");
        fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST) break;
    }
    if (fd < 0)
        throw FileError(path, "cannot create a temporary file beside it: " + describe_error(errno));
    int err = 0;
    try {
        FdBuf buffer(fd);
        std::ostream out(&buffer);
        write(out);
        if (!buffer.flush_all() || !out) err = buffer.error() ? buffer.error() : EIO;
    } catch (...) {
        ::close(fd);
        ::unlink(temporary.c_str());
        throw;
    }
    if (::close(fd) != 0 && err == 0) err = errno;
    if (err != 0) {
        ::unlink(temporary.c_str());
        throw FileError(path, "cannot write it: " + describe_error(err));
    }
    entries_.push_back(Entry{path, temporary, "", false, false});
}

void FileSet::stage_removal(const std::string& path) {
    if (const std::string problem = replace_problem(path); !problem.empty())
        throw FileError(path, problem);
    entries_.push_back(Entry{path, "", "", false, false});
}

void FileSet::commit() {
    HeldSignals held;
    // Keep every previous file under a second name (a hard link: the name never goes
    // missing) until all the new files are in place.
    for (auto& e : entries_) {
        struct stat st;
        if (::lstat(e.target.c_str(), &st) != 0) {
            if (errno == ENOENT) continue;
            fail(e.target, describe_error(errno));
        }
        if (!S_ISREG(st.st_mode)) fail(e.target, replace_problem(e.target));
        int err = 0;
        for (int attempt = 0; attempt < 100; ++attempt) {
            e.backup = sibling_name(e.target, "old");
            if (::link(e.target.c_str(), e.backup.c_str()) == 0) break;
            err = errno;
            e.backup.clear();
            if (err != EEXIST) break;
        }
        if (e.backup.empty())
            fail(e.target,
                 "cannot keep the previous file while replacing it: " + describe_error(err));
        e.had_previous = true;
    }
    for (auto& e : entries_) {
        const int status = e.temporary.empty() ? (e.had_previous ? ::unlink(e.target.c_str()) : 0)
                                               : ::rename(e.temporary.c_str(), e.target.c_str());
        if (status != 0)
            fail(e.target, "cannot put the new file in place: " + describe_error(errno) +
                               "; the previous files are unchanged");
        e.done = true;
    }
    for (const auto& e : entries_)
        if (!e.backup.empty()) ::unlink(e.backup.c_str());
    committed_ = true;
}

void FileSet::fail(std::string target, std::string reason) {
    roll_back();  // clears the entries: `target` and `reason` are copies
    throw FileError(target, reason);
}

void FileSet::roll_back() {
    for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
        Entry& e = *it;
        if (e.done) {
            if (e.had_previous)
                ::rename(e.backup.c_str(), e.target.c_str());
            else if (!e.temporary.empty())
                ::unlink(e.target.c_str());
        } else {
            if (!e.backup.empty()) ::unlink(e.backup.c_str());
            if (!e.temporary.empty()) ::unlink(e.temporary.c_str());
        }
        e.backup.clear();
        e.done = false;
        e.had_previous = false;
    }
    entries_.clear();
}

void write_file_atomically(const std::string& path, const FileSet::Writer& write) {
    FileSet set;
    set.stage(path, write);
    set.commit();
}

void write_file_atomically(const std::string& path, const std::string& content) {
    FileSet set;
    set.stage(path, content);
    set.commit();
}

// ---- AppendFile -------------------------------------------------------------------------------

AppendFile::AppendFile(const std::string& path) : path_(path) {
    fd_ =
        ::open(path.c_str(), O_WRONLY | O_APPEND | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd_ < 0) {
        const int err = errno;
        throw FileError(path, err == ELOOP ? replace_problem(path) : describe_error(err));
    }
    struct stat st;
    if (::fstat(fd_, &st) != 0) {
        const int err = errno;
        ::close(fd_);
        fd_ = -1;
        throw FileError(path, describe_error(err));
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd_);
        fd_ = -1;
        throw FileError(path, fmt::format("it is {}; only regular files are written",
                                          describe_file_type(st.st_mode)));
    }
}

AppendFile::~AppendFile() {
    if (fd_ >= 0) ::close(fd_);
}

void AppendFile::append(const std::string& text) {
    int err = 0;
    if (fd_ < 0) throw FileError(path_, "the file is closed");
    if (!write_all(fd_, text.data(), text.size(), &err))
        throw FileError(path_, "cannot append to it: " + describe_error(err));
}

void AppendFile::close() {
    if (fd_ < 0) return;
    const int status = ::close(fd_);
    fd_ = -1;
    if (status != 0) throw FileError(path_, "cannot write it: " + describe_error(errno));
}

}  // namespace stratus::files
