// Hostile files and paths (issue 21, docs/hardening.md): only regular files are read, only
// regular files are replaced (never a device, a FIFO, a socket, a folder or through a
// symbolic link, whatever --force says), outputs are replaced all together or not at all,
// and a few KB of input cannot cost gigabytes. Every command runs under a time and an
// address-space limit (tests/cli_support.hpp), so a regression fails its test instead of
// taking the machine down.
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <climits>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli_support.hpp"
#include "sim/core/files.hpp"
#include "sim/report/outputs.hpp"
#include "sim/scenario/internal.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/size_limits.hpp"

namespace test_hostile_files {

namespace fs = std::filesystem;
using stratus::testing::CliResult;
using stratus::testing::make_temp_dir;
using stratus::testing::read_file;
using stratus::testing::run_stratus_limited;
using stratus::testing::with;
using stratus::testing::write_file;

namespace {

std::string fixed_fleet(const std::string& extra = "") {
    return stratus::testing::small_fixed_fleet("fixed", extra);
}

// The kind of what is at `path`, without following a link (S_IFREG, S_IFCHR, ...), 0 if none.
unsigned kind(const fs::path& path) {
    struct stat st;
    return ::lstat(path.c_str(), &st) == 0 ? (st.st_mode & S_IFMT) : 0u;
}

// Not a crash, not a limit hit: exit 2 with an error that names `names`.
void expect_refused(const CliResult& r, const std::string& names) {
    INFO("stderr: " << r.err.substr(0, 3000));
    CHECK(r.status == 2);
    CHECK(r.err.find(names) != std::string::npos);
    for (const char* crash : {"terminate called", "runtime error:", "Sanitizer", "bad_alloc",
                              "Segmentation", "Aborted"})
        CHECK(r.err.find(crash) == std::string::npos);
}

// The special files of a test folder: what a hostile user can put where stratus expects a
// regular file. A character device needs root (mknod); without it that entry is left out.
struct Specials {
    std::map<std::string, unsigned> made;  // name -> kind
};

Specials make_specials(const fs::path& dir) {
    Specials s;
    REQUIRE(::mkfifo((dir / "fifo").c_str(), 0644) == 0);
    s.made["fifo"] = S_IFIFO;
    fs::create_directories(dir / "folder");
    write_file((dir / "folder/inside.txt").string(), "mine");
    s.made["folder"] = S_IFDIR;
    // The numbers of /dev/null, made here: the test never goes near the system's /dev.
    if (::mknod((dir / "chardev").c_str(), S_IFCHR | 0644, makedev(1, 3)) == 0)
        s.made["chardev"] = S_IFCHR;
    else
        WARN("not root: no character device made (mknod: " << std::strerror(errno) << ")");
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const std::string sock = (dir / "socket").string();
    if (sock.size() < sizeof addr.sun_path) {
        std::strcpy(addr.sun_path, sock.c_str());
        if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0)
            s.made["socket"] = S_IFSOCK;
    }
    ::close(fd);
    write_file((dir / "precious.txt").string(), "precious\n");
    fs::create_symlink("precious.txt", dir / "link");
    s.made["link"] = S_IFLNK;
    fs::create_symlink("nowhere", dir / "dangling");
    s.made["dangling"] = S_IFLNK;
    fs::create_symlink("loop-b", dir / "loop-a");
    fs::create_symlink("loop-a", dir / "loop-b");
    s.made["loop-a"] = S_IFLNK;
    return s;
}

// Every special file is still what it was, and the link's target untouched.
void expect_untouched(const fs::path& dir, const Specials& s) {
    for (const auto& [name, k] : s.made) {
        INFO(name);
        CHECK(kind(dir / name) == k);
    }
    CHECK(read_file((dir / "precious.txt").string()) == "precious\n");
    CHECK(read_file((dir / "folder/inside.txt").string()) == "mine");
    CHECK(fs::read_symlink(dir / "link") == "precious.txt");
}

}  // namespace

TEST_CASE("suggestions cost bounded work whatever the length of the names", "[hostile][suggest]") {
    using namespace stratus::scenario::detail;
    // The distances themselves are unchanged (optimal string alignment, case-insensitive).
    CHECK(edit_distance("kitten", "sitting") == 3);
    CHECK(edit_distance("ca", "AC") == 1);
    CHECK(edit_distance("", "abc") == 3);
    CHECK(edit_distance_within("kitten", "sitting", 3) == 3);
    CHECK(edit_distance_within("kitten", "sitting", 2) == 3);  // beyond the limit: limit + 1
    CHECK(edit_distance_within("a", std::string(1000, 'b'), 5) == 6);
    CHECK(closest("min_sise", {"max_size", "min_size"}) == "min_size");
    CHECK(closest("grace_period", {"health_check_grace_period"}) == "health_check_grace_period");
    // A word longer than any name gets no suggestion (and costs nothing).
    const std::string huge(100000, 'a');
    CHECK(closest(huge, {huge + "b", "a"}).empty());
    CHECK(closest(std::string(kMaxSuggestedWord + 1, 'x'), {std::string(kMaxSuggestedWord, 'x')})
              .empty());
    CHECK(closest(std::string(kMaxSuggestedWord, 'x'), {std::string(kMaxSuggestedWord - 1, 'x')}) ==
          std::string(kMaxSuggestedWord - 1, 'x'));
    // A hundred thousand candidates: looked at up to the work limit, in order; the answer is
    // the same every time.
    std::vector<std::string> many;
    for (int i = 0; i < 100000; ++i)
        many.push_back(fmt::format("alarm-name-number-{:06d}-of-a-long-list", i));
    CHECK(closest("alarm-name-number-000001-of-a-long-lizt", many) ==
          "alarm-name-number-000001-of-a-long-list");
    CHECK(closest("alarm-name-number-099999-of-a-long-lizt", many) ==
          closest("alarm-name-number-099999-of-a-long-lizt", many));
    // Long names in lists are shortened, whole UTF-8 characters kept.
    CHECK(shortened(huge) == std::string(60, 'a') + "... (100000 bytes)");
    CHECK(shortened("short") == "short");
    std::string korean;
    for (int i = 0; i < 40; ++i)
        korean += "가";  // 3 bytes each
    CHECK(shortened(korean).rfind("가...", std::string::npos) != std::string::npos);
    CHECK(shortened(korean).size() < korean.size());
}

TEST_CASE("a few KB or MB of names and keys answer at once, not in gigabytes",
          "[hostile][suggest][cli]") {
    const fs::path dir = make_temp_dir("stratus-hostile-names");
    // A launch template and a group referring to another name, each 20,000 or 100,000 long.
    for (std::size_t n : {20000u, 100000u}) {
        const std::string file = fmt::format("names-{}.toml", n);
        write_file(
            (dir / file).string(),
            with(with(fixed_fleet(), "name = \"app\"\ninstance_type",
                      "name = \"" + std::string(n, 'a') + "\"\ninstance_type"),
                 "launch_template = \"app\"", "launch_template = \"" + std::string(n, 'b') + "\""));
        for (const std::string cmd : {"validate", "run --out out"}) {
            INFO(cmd << " " << file);
            auto r = run_stratus_limited(cmd + " " + file, dir, 20);
            expect_refused(r, file + ":");
            CHECK(r.err.find("unknown launch template") != std::string::npos);
            CHECK(r.err.size() < 3 * n);  // the name, not a screenful of it per candidate
            CHECK_FALSE(fs::exists(dir / "out"));
        }
    }
    // An unknown key of 5 MB, bare and quoted; an unknown section of 1 MB; a 1 MB enum value.
    const std::string big(5u << 20, 'k');
    write_file((dir / "key.toml").string(),
               with(fixed_fleet(), "duration = \"3m\"", "duration = \"3m\"\n" + big + " = 1"));
    write_file((dir / "quoted-key.toml").string(),
               with(fixed_fleet(), "duration = \"3m\"", "duration = \"3m\"\n\"" + big + "\" = 1"));
    write_file((dir / "section.toml").string(),
               fixed_fleet("[" + std::string(1u << 20, 's') + "]\nx = 1\n"));
    write_file((dir / "enum.toml").string(),
               fixed_fleet("[[autoscaling_policy]]\nname = \"p\"\nautoscaling_group = \"app\"\n"
                           "policy_type = \"" +
                           std::string(1u << 20, 'T') + "\"\n"));
    for (const char* file : {"key.toml", "quoted-key.toml", "section.toml", "enum.toml"}) {
        INFO(file);
        auto r = run_stratus_limited(std::string("validate ") + file, dir, 20);
        expect_refused(r, std::string(file) + ":");
        CHECK(r.err.find("bytes)") != std::string::npos);  // shown shortened
        CHECK(r.err.size() < 4000);
    }
    fs::remove_all(dir);
}

TEST_CASE("a value of megabytes is refused at once and printed back shortened, wherever it is",
          "[hostile][suggest][cli]") {
    const fs::path dir = make_temp_dir("stratus-hostile-values");
    // Values no test above was written for: an instance type (its suggestions compared the
    // whole name with every type of the catalog: 5 MB took over a minute), a type of its own,
    // a region, a CIDR block, a subnet's route; each 1 MB, in a file well under the size limit.
    // The time limit is tight: the suggestions took about 8 s for a 1 MB type.
    const std::string big(1u << 20, 'q');
    const std::string vpc =
        "[vpc]\ncidr_block = \"10.0.0.0/16\"\n"
        "[[subnet]]\nname = \"a\"\navailability_zone = \"us-east-1a\"\n";
    const std::vector<std::pair<std::string, std::string>> files = {
        {"type.toml", with(fixed_fleet(), "\"c5.large\"", "\"c5." + big + "\"")},
        {"own-type.toml", fixed_fleet("[[instance_type]]\nname = \"" + big + "\"\n")},
        {"region.toml", fixed_fleet("[region]\nname = \"" + big + "\"\n")},
        {"cidr.toml", fixed_fleet(vpc + "cidr_block = \"" + big + "\"\n")},
        {"route.toml",
         fixed_fleet(vpc + "cidr_block = \"10.0.1.0/24\"\nroute = \"" + big + "\"\n")},
    };
    REQUIRE(files.size() == 5);
    for (const auto& [file, text] : files) {
        INFO(file);
        write_file((dir / file).string(), text);
        auto r = run_stratus_limited("validate " + file, dir, 5);
        expect_refused(r, file + ":");
        CHECK(r.err.find(" (104") != std::string::npos);  // "qqq... (1048579 bytes)"
        CHECK(r.err.size() < 4000);
    }
    // An override of 100,000 characters (near the system's limit on one argument) names
    // itself shortened as the place of the error.
    write_file((dir / "ok.toml").string(), fixed_fleet());
    auto r = run_stratus_limited(
        "validate ok.toml --set simulation.seed=" + std::string(100000, '7'), dir, 5);
    expect_refused(r, "--set simulation.seed=7777");
    CHECK(r.err.size() < 4000);
    fs::remove_all(dir);
}

TEST_CASE("a scenario with more entries than the limits is refused at once, at the first extra",
          "[hostile][limits][cli]") {
    using stratus::scenario::detail::kMaxListEntries;
    using stratus::scenario::detail::kMaxSectionEntries;
    const fs::path dir = make_temp_dir("stratus-hostile-sizes");
    // 10,001 snapshots (the duplicate-name check compared every pair), and as many groups with
    // their launch templates (the World wired each group by scanning the templates).
    std::string snapshots, groups, spikes;
    for (std::size_t i = 0; i <= kMaxSectionEntries; ++i) {
        snapshots += fmt::format("[[ebs_snapshot]]\nname = \"s{}\"\nsize_gb = 1\n", i);
        groups += fmt::format(
            "[[launch_template]]\nname = \"lt{}\"\ninstance_type = \"c5.large\"\n"
            "[[autoscaling_group]]\nname = \"g{}\"\nlaunch_template = \"lt{}\"\n"
            "min_size = 0\nmax_size = 1\n",
            i, i, i);
    }
    for (std::size_t i = 0; i <= kMaxListEntries; ++i)
        spikes += fmt::format("{{ at = \"{}s\", duration = \"1s\", multiplier = 2 }},", i);
    write_file((dir / "snapshots.toml").string(), fixed_fleet(snapshots));
    write_file((dir / "groups.toml").string(), fixed_fleet(groups));
    write_file((dir / "spikes.toml").string(),
               with(fixed_fleet(), "rate = 5", "rate = 5\nspike = [" + spikes + "]"));
    std::string zones;
    for (char z = 'a'; z <= 'z'; ++z)
        zones += fmt::format("\"us-east-1{}\", \"us-east-1{}{}\", ", z, z, z);
    write_file(
        (dir / "zones.toml").string(),
        fixed_fleet("[region]\nname = \"us-east-1\"\navailability_zones = [" + zones + "]\n"));
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"snapshots.toml", "ebs_snapshot[10000]: a scenario holds at most 10000 [[ebs_snapshot]]"},
        {"groups.toml", "launch_template[10000]: a scenario holds at most 10000"},
        {"spikes.toml", "workload[0].spike: at most 10000 entries here; found 10001"},
        {"zones.toml", "region.availability_zones: at most 32 entries here; found 52"}};
    for (const auto& [file, said] : cases) {
        INFO(file);
        auto r = run_stratus_limited("validate " + file, dir, 20);
        expect_refused(r, file + ":");
        CHECK(r.err.find(said) != std::string::npos);
    }
    // At the limits themselves the scenario validates.
    std::string at_limit;
    for (std::size_t i = 0; i < kMaxSectionEntries; ++i)
        at_limit += fmt::format("[[ebs_snapshot]]\nname = \"s{}\"\nsize_gb = 1\n", i);
    write_file((dir / "at-limit.toml").string(), fixed_fleet(at_limit));
    CHECK(run_stratus_limited("validate at-limit.toml", dir, 20).status == 0);
    fs::remove_all(dir);
}

TEST_CASE("only regular files are read: devices, FIFOs, sockets and folders are refused",
          "[hostile][files][cli]") {
    const fs::path dir = make_temp_dir("stratus-hostile-read");
    const Specials specials = make_specials(dir);
    write_file((dir / "fixed.toml").string(), fixed_fleet());
    // What each special is called in the message.
    const std::map<std::string, std::string> says = {{"fifo", "FIFO"},
                                                     {"folder", "directory"},
                                                     {"chardev", "character device"},
                                                     {"socket", "socket"},
                                                     {"dangling", "No such file"},
                                                     {"loop-a", "loop"},
                                                     {"/dev/zero", "character device"}};
    std::vector<std::string> names = {"/dev/zero"};
    for (const auto& [name, k] : specials.made)
        if (name != "link") names.push_back(name);
    for (const auto& name : names) {
        INFO(name);
        const std::string said = says.at(name);
        // The scenario itself.
        for (const std::string cmd : {"run --out out", "validate", "explain"}) {
            auto r = run_stratus_limited(cmd + " " + name, dir, 20);
            expect_refused(r, name);
            CHECK(r.err.find(said) != std::string::npos);
        }
        // A data file it names: a rate trace, an empirical service time, a Spot price trace.
        const std::vector<std::pair<std::string, std::string>> uses = {
            {"rate = 5", "rate = { shape = \"trace\", file = \"" + name + "\" }"},
            {"service_time = \"20ms\"",
             "service_time = { dist = \"empirical\", file = \"" + name + "\" }"}};
        int u = 0;
        for (const auto& [from, to] : uses) {
            const std::string file = fmt::format("data-{}.toml", u++);
            write_file((dir / file).string(), with(fixed_fleet(), from, to));
            auto r = run_stratus_limited("validate " + file, dir, 20);
            expect_refused(r, file + ":");
            CHECK(r.err.find(".file: cannot read") != std::string::npos);
            CHECK(r.err.find(said) != std::string::npos);
        }
        write_file((dir / "spot.toml").string(),
                   fixed_fleet("[[spot.pool]]\ninstance_type = \"c5.large\"\n"
                               "availability_zone = \"us-east-1a\"\n"
                               "price = { model = \"trace\", file = \"" +
                               name + "\" }\n"));
        auto spot = run_stratus_limited("validate spot.toml", dir, 20);
        expect_refused(spot, "spot.toml:");
        CHECK(spot.err.find("price.file") != std::string::npos);
        // A Terraform plan or state to import.
        auto import = run_stratus_limited("import terraform " + name, dir, 20);
        expect_refused(import, name);
        CHECK(import.err.find(said) != std::string::npos);
        // Sweep inputs: a design file, a merge shard.
        auto design =
            run_stratus_limited("sweep fixed.toml --design " + name + " --out r.csv", dir, 20);
        expect_refused(design, name);
        CHECK_FALSE(fs::exists(dir / "r.csv"));
        auto merge = run_stratus_limited("merge merged.csv " + name, dir, 20);
        expect_refused(merge, name);
        CHECK(merge.err.find(said) != std::string::npos);
        CHECK_FALSE(fs::exists(dir / "merged.csv"));
    }
    // A sweep's manifest that is a FIFO: --resume reads it, and must not wait on it.
    const std::string sweep = "sweep fixed.toml --grid workload.api.rate=2,3 --quiet --out r.csv";
    REQUIRE(run_stratus_limited(sweep, dir, 60).status == 0);
    fs::remove(dir / "r.csv.sweep.json");
    REQUIRE(::mkfifo((dir / "r.csv.sweep.json").c_str(), 0644) == 0);
    auto resume = run_stratus_limited(sweep + " --resume", dir, 20);
    expect_refused(resume, "r.csv.sweep.json");
    CHECK(kind(dir / "r.csv.sweep.json") == S_IFIFO);
    // A labs folder whose *.toml entries are a FIFO and a folder: listed as not loading.
    fs::create_directories(dir / "labs/folder.toml");
    REQUIRE(::mkfifo((dir / "labs/fifo.toml").c_str(), 0644) == 0);
    write_file((dir / "labs/good.toml").string(), fixed_fleet());
    auto labs = run_stratus_limited("labs labs", dir, 20);
    CHECK(labs.status == 0);
    CHECK(labs.out.find("fifo.toml") != std::string::npos);
    CHECK(labs.out.find("does not load") != std::string::npos);
    expect_untouched(dir, specials);
    fs::remove_all(dir);
}

TEST_CASE("files larger than the documented maximum are refused unread", "[hostile][files][cli]") {
    const fs::path dir = make_temp_dir("stratus-hostile-size");
    // Sparse files: the size is what counts, nothing is written to the disk.
    auto sparse = [&](const std::string& name, std::uint64_t size) {
        write_file((dir / name).string(), "");
        fs::resize_file(dir / name, size);
    };
    sparse("huge.toml", stratus::scenario::kMaxScenarioBytes + 1);
    auto r = run_stratus_limited("validate huge.toml", dir, 20);
    expect_refused(r, "huge.toml");
    CHECK(r.err.find("larger than 16 MiB") != std::string::npos);
    sparse("huge.csv", stratus::scenario::kMaxDataFileBytes + 1);
    write_file(
        (dir / "trace.toml").string(),
        with(fixed_fleet(), "rate = 5", "rate = { shape = \"trace\", file = \"huge.csv\" }"));
    r = run_stratus_limited("validate trace.toml", dir, 20);
    expect_refused(r, "trace.toml:");
    CHECK(r.err.find("larger than 32 MiB") != std::string::npos);
    fs::remove_all(dir);
}

TEST_CASE(
    "sweep, merge and run never replace a device, FIFO, socket, folder or link, --force or not",
    "[hostile][files][cli]") {
    const fs::path dir = make_temp_dir("stratus-hostile-write");
    const Specials specials = make_specials(dir);
    write_file((dir / "fixed.toml").string(), fixed_fleet());
    const std::string grid = "--grid workload.api.rate=2,3 --quiet";
    REQUIRE(
        run_stratus_limited("sweep fixed.toml " + grid + " --shard 1/2 --out s1.csv", dir).status ==
        0);
    REQUIRE(
        run_stratus_limited("sweep fixed.toml " + grid + " --shard 2/2 --out s2.csv", dir).status ==
        0);
    for (const auto& [name, k] : specials.made) {
        INFO(name);
        // As the results file, with and without --force.
        for (const char* force : {"", " --force", " --resume"}) {
            auto r =
                run_stratus_limited("sweep fixed.toml " + grid + " --out " + name + force, dir);
            expect_refused(r, name);
            CHECK(r.err.find("nothing was written") != std::string::npos);
        }
        expect_refused(run_stratus_limited("merge " + name + " s1.csv s2.csv --force", dir), name);
        // As an imported scenario.
        expect_refused(run_stratus_limited("import terraform '" + std::string(STRATUS_SOURCE_DIR) +
                                               "/tests/terraform/classic-state.json' --force "
                                               "--out " +
                                               name,
                                           dir),
                       name);
        // As the statistics file.
        expect_refused(
            run_stratus_limited(
                "sweep fixed.toml " + grid + " --out st.csv --force --stats-out " + name, dir),
            name);
        expect_refused(
            run_stratus_limited("merge m.csv s1.csv s2.csv --force --stats-out " + name, dir),
            name);
        // As the manifest beside the results file.
        fs::rename(dir / name, dir / "x.csv.sweep.json");
        auto manifest =
            run_stratus_limited("sweep fixed.toml " + grid + " --out x.csv --force", dir);
        expect_refused(manifest, "x.csv.sweep.json");
        expect_refused(run_stratus_limited("merge x.csv s1.csv s2.csv --force", dir),
                       "x.csv.sweep.json");
        fs::rename(dir / "x.csv.sweep.json", dir / name);
        CHECK_FALSE(fs::exists(dir / "x.csv"));
        // As one of a run's outputs, in its folder.
        fs::create_directories(dir / "run");
        fs::rename(dir / name, dir / "run/summary.json");
        auto run = run_stratus_limited("run fixed.toml --quiet --out run", dir);
        expect_refused(run, "run/summary.json");
        CHECK(run.err.find("nothing was written") != std::string::npos);
        CHECK_FALSE(fs::exists(dir / "run/timeseries.csv"));
        fs::rename(dir / "run/summary.json", dir / name);
    }
    expect_untouched(dir, specials);
    CHECK_FALSE(fs::exists(dir / "st.csv"));
    CHECK_FALSE(fs::exists(dir / "m.csv"));
    fs::remove_all(dir);
}

TEST_CASE("a bad --out is refused before the run, naming the path", "[hostile][files][cli]") {
    const fs::path dir = make_temp_dir("stratus-hostile-out");
    const Specials specials = make_specials(dir);
    // Thirty days of a request-mode run: far beyond the time limit, so an --out checked after
    // the run would fail this test by the limit.
    write_file((dir / "long.toml").string(),
               with(fixed_fleet(), "duration = \"3m\"", "duration = \"30d\""));
    const std::string long_name(300, 'n');
    std::string too_long;
    while (too_long.size() <= PATH_MAX)
        too_long += "deep-folder-name/";
    const std::vector<std::pair<std::string, std::string>> outs = {
        {"dangling", "leads nowhere"},
        {"loop-a", "loop"},
        {"link", "not a folder"},
        {"fifo", "not a folder"},
        {"chardev", "not a folder"},
        {"socket", "not a folder"},
        {"precious.txt/sub", "not a folder"},
        {long_name, "bytes long"},
        {"folder/" + long_name + "/x", "bytes long"},
        {too_long, "bytes long"},
        {"dangling/sub", "leads nowhere"}};
    for (const auto& [out, said] : outs) {
        if (out == "chardev" && !specials.made.count("chardev")) continue;
        if (out == "socket" && !specials.made.count("socket")) continue;
        INFO("--out " << out.substr(0, 80));
        auto r = run_stratus_limited("run long.toml --quiet --out " + out, dir, 30);
        expect_refused(r, "--out " + out.substr(0, 40));
        CHECK(r.err.find(said) != std::string::npos);
        CHECK(r.err.find("nothing was written") != std::string::npos);
    }
    // A link to a folder is a folder: the user named it (docs/hardening.md).
    fs::create_symlink("folder", dir / "folder-link");
    write_file((dir / "short.toml").string(), fixed_fleet());
    auto r = run_stratus_limited("run short.toml --quiet --out folder-link", dir);
    CHECK(r.status == 0);
    CHECK(fs::is_regular_file(dir / "folder/summary.json"));
    expect_untouched(dir, specials);
    fs::remove_all(dir);
}

TEST_CASE("a file set is replaced all together or not at all", "[hostile][files]") {
    using stratus::files::FileSet;
    const fs::path dir = make_temp_dir("stratus-fileset");
    const std::vector<std::string> names = {"a.csv", "b.jsonl", "c.json"};
    for (const auto& n : names)
        write_file((dir / n).string(), "old " + n);
    auto untouched = [&] {
        for (const auto& n : names)
            CHECK(read_file((dir / n).string()) == "old " + n);
        std::size_t entries = 0;
        for (const auto& e : fs::directory_iterator(dir)) {
            INFO(e.path());
            CHECK(e.path().filename().string().rfind(".", 0) != 0);  // no temporary, no backup
            ++entries;
        }
        return entries;
    };
    {
        // A writer that fails half-way through the last file.
        FileSet set;
        set.stage((dir / "a.csv").string(), "new a");
        set.stage((dir / "b.jsonl").string(), "new b");
        CHECK_THROWS(set.stage((dir / "c.json").string(), [](std::ostream& out) {
            out << "half";
            throw std::runtime_error("the disk is full");
        }));
    }
    CHECK(untouched() == 3);
    {
        // A folder took a name after staging: found before anything is replaced.
        FileSet set;
        for (const auto& n : names)
            set.stage((dir / n).string(), "new " + n);
        fs::rename(dir / "c.json", dir / "c.saved");
        fs::create_directories(dir / "c.json/full");
        CHECK_THROWS_WITH(set.commit(), Catch::Contains("c.json") && Catch::Contains("directory"));
        fs::remove_all(dir / "c.json");
        fs::rename(dir / "c.saved", dir / "c.json");
    }
    CHECK(untouched() == 3);
    {
        // The last rename fails (its temporary file went missing) after the first two were
        // renamed into place: they are rolled back.
        FileSet set;
        for (const auto& n : names)
            set.stage((dir / n).string(), "new " + n);
        int removed = 0;
        for (const auto& e : fs::directory_iterator(dir))
            if (e.path().filename().string().rfind(".c.json.tmp-", 0) == 0) {
                fs::remove(e.path());
                ++removed;
            }
        REQUIRE(removed == 1);
        CHECK_THROWS_WITH(set.commit(), Catch::Contains("c.json") &&
                                            Catch::Contains("previous files are unchanged"));
    }
    CHECK(untouched() == 3);
    {
        // A removal of a stale companion is undone too.
        write_file((dir / "stale").string(), "stale");
        FileSet set;
        set.stage((dir / "a.csv").string(), "new a");
        set.stage_removal((dir / "stale").string());
        fs::create_directories(dir / "b.jsonl.dir");
        set.stage((dir / "b.jsonl").string(), "new b");
        fs::remove(dir / "b.jsonl");
        fs::rename(dir / "b.jsonl.dir", dir / "b.jsonl");
        CHECK_THROWS(set.commit());
        CHECK(read_file((dir / "stale").string()) == "stale");
        CHECK(read_file((dir / "a.csv").string()) == "old a.csv");
        fs::remove(dir / "b.jsonl");
        write_file((dir / "b.jsonl").string(), "old b.jsonl");
        fs::remove(dir / "stale");
    }
    CHECK(untouched() == 3);
    {
        FileSet set;
        for (const auto& n : names)
            set.stage((dir / n).string(), "new " + n);
        set.commit();
    }
    for (const auto& n : names)
        CHECK(read_file((dir / n).string()) == "new " + n);
    fs::remove_all(dir);
}

TEST_CASE("a full disk during the outputs leaves the previous set whole", "[hostile][files][cli]") {
    const fs::path dir = make_temp_dir("stratus-hostile-full");
    write_file((dir / "fixed.toml").string(), fixed_fleet());
    write_file((dir / "long.toml").string(),
               with(fixed_fleet(), "duration = \"3m\"", "duration = \"6h\""));
    // A small file system of its own (a tmpfs in a private mount namespace: it goes away with
    // the command). The first run fills it but for 12 KiB; the second, longer one needs more.
    const std::string script =
        "set -e; mount -t tmpfs -o size=2m tmpfs disk; "
        "'" +
        std::string(STRATUS_BINARY) +
        "' run fixed.toml --quiet --reproducible --out disk/result; "
        "cp -r disk/result before; "
        "'" +
        std::string(STRATUS_BINARY) +
        "' sweep fixed.toml --grid workload.api.rate=2,3 --quiet "
        "--out disk/sweep.csv; cp disk/sweep.csv disk/sweep.csv.sweep.json .; "
        "cat /dev/zero > disk/filler 2>/dev/null || true; truncate -s -12K disk/filler; "
        "set +e; '" +
        std::string(STRATUS_BINARY) +
        "' run long.toml --quiet --reproducible --out disk/result "
        "2> second.err; echo $? > second.status; "
        "cat /dev/zero > disk/filler2 2>/dev/null; "
        "'" +
        std::string(STRATUS_BINARY) +
        "' sweep fixed.toml --grid workload.api.rate=4,5 --quiet "
        "--force --out disk/sweep.csv 2> sweep.err; echo $? > sweep.status; "
        "ls -A disk/result > after.list; ls -A disk > disk.list; cp -r disk/result after; "
        "cp disk/sweep.csv after/sweep.csv; cp disk/sweep.csv.sweep.json "
        "after/sweep.csv.sweep.json";
    fs::create_directories(dir / "disk");
    write_file((dir / "full.sh").string(), script);
    const std::string cmd =
        "cd '" + dir.string() + "' && timeout -k 5 120 unshare -m sh full.sh >full.log 2>&1";
    (void)std::system(cmd.c_str());
    if (!fs::exists(dir / "second.status")) {
        WARN("no private tmpfs here (needs root and mount namespaces): "
             << read_file((dir / "full.log").string()));
    } else {
        CHECK(read_file((dir / "second.status").string()) == "1\n");
        const std::string err = read_file((dir / "second.err").string());
        INFO(err);
        CHECK(err.find("No space left on device") != std::string::npos);
        CHECK(err.find("as they were before this run") != std::string::npos);
        for (const auto& name : stratus::report::output_file_names()) {
            INFO(name);
            CHECK(read_file((dir / "after" / name).string()) ==
                  read_file((dir / "before" / name).string()));
        }
        // Nothing else in the folder: no temporary file, no backup, no half a sweep.
        CHECK(read_file((dir / "after.list").string()) ==
              "bill.csv\nevents.jsonl\nsummary.json\ntimeseries.csv\nwindows.csv\n");
        // The sweep's results and manifest: both still the previous sweep's.
        CHECK(read_file((dir / "sweep.status").string()) == "1\n");
        CHECK(read_file((dir / "sweep.err").string()).find("No space left on device") !=
              std::string::npos);
        CHECK(read_file((dir / "after/sweep.csv").string()) ==
              read_file((dir / "sweep.csv").string()));
        CHECK(read_file((dir / "after/sweep.csv.sweep.json").string()) ==
              read_file((dir / "sweep.csv.sweep.json").string()));
        CHECK(read_file((dir / "disk.list").string()) ==
              "filler\nfiller2\nresult\nsweep.csv\nsweep.csv.sweep.json\n");
    }
    // The same with a file size limit (ulimit -f, any user): the write fails with EFBIG.
    REQUIRE(run_stratus_limited("run fixed.toml --quiet --reproducible --out lim", dir).status ==
            0);
    const std::string before = read_file((dir / "lim/summary.json").string());
    auto limited = stratus::testing::run_stratus_with(
        "prlimit --fsize=20000 --", "run long.toml --quiet --reproducible --out lim", dir);
    INFO(limited.err);
    CHECK(limited.status == 1);
    CHECK(limited.err.find("File too large") != std::string::npos);
    CHECK(read_file((dir / "lim/summary.json").string()) == before);
    std::size_t entries = 0;
    for (const auto& e : fs::directory_iterator(dir / "lim")) {
        CHECK(e.path().filename().string().rfind(".", 0) != 0);
        ++entries;
    }
    CHECK(entries == stratus::report::output_file_names().size());  // the five outputs
    fs::remove_all(dir);
}

TEST_CASE("outputs never hold inf, NaN or null where a number belongs", "[hostile][outputs]") {
    stratus::report::PeriodRow row;
    row.start = 60 * stratus::kSecond;
    row.length = 60 * stratus::kSecond;
    row.gauges.cost_usd = 1.5;
    CHECK_NOTHROW(stratus::report::timeseries_row(row));
    row.gauges.cost_usd = HUGE_VAL;
    CHECK_THROWS_WITH(stratus::report::timeseries_row(row), Catch::Contains("timeseries.csv") &&
                                                                Catch::Contains("60 s") &&
                                                                Catch::Contains("inf"));
    row.gauges.cost_usd = 1.5;
    row.gauges.cpu_percent = std::nan("");
    CHECK_THROWS_WITH(stratus::report::timeseries_row(row), Catch::Contains("nan"));
}

TEST_CASE("merge refuses a shard whose identifying cells were edited", "[hostile][sweep][cli]") {
    const fs::path dir = make_temp_dir("stratus-hostile-merge");
    write_file((dir / "fixed.toml").string(), fixed_fleet());
    const std::string grid =
        "sweep fixed.toml --grid workload.api.rate=2,3,4 --replications 2 --quiet";
    REQUIRE(run_stratus_limited(grid + " --shard 1/2 --out s1.csv", dir).status == 0);
    REQUIRE(run_stratus_limited(grid + " --shard 2/2 --out s2.csv", dir).status == 0);
    REQUIRE(run_stratus_limited("merge whole.csv s1.csv s2.csv --quiet", dir).status == 0);
    const std::string s2 = read_file((dir / "s2.csv").string());
    // A grid value, a replication number and a seed, each changed in one row of shard 2.
    for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
             {"\n1,1,3,", "\n1,1,30,"}, {"\n0,1,2,2,", "\n0,1,2,3,"}}) {
        INFO(from << " -> " << to);
        write_file((dir / "s2.csv").string(), with(s2, from, to));
        auto r = run_stratus_limited("merge edited.csv s1.csv s2.csv", dir);
        expect_refused(r, "s2.csv");
        CHECK(r.err.find("not the runs its manifest describes") != std::string::npos);
        CHECK_FALSE(fs::exists(dir / "edited.csv"));
    }
    // Merging a folder says so.
    fs::create_directories(dir / "shards");
    auto folder = run_stratus_limited("merge m.csv shards", dir);
    expect_refused(folder, "shards");
    CHECK(folder.err.find("directory") != std::string::npos);
    fs::remove_all(dir);
}

TEST_CASE("a duration with more digits than a number holds is refused, not a crash",
          "[hostile][scenario]") {
    // std::stold throws on overflow and on underflow alike; both must read as "not a duration".
    CHECK_FALSE(
        stratus::scenario::detail::parse_duration(std::string(6000, '9') + "s").has_value());
    CHECK_FALSE(stratus::scenario::detail::parse_duration("0." + std::string(6000, '0') + "1s")
                    .has_value());
    REQUIRE(stratus::scenario::detail::parse_duration("1.5s").has_value());
    CHECK(*stratus::scenario::detail::parse_duration("1.5s") == 3 * stratus::kSecond / 2);
}

}  // namespace test_hostile_files
