// Where this build's source tree and binaries are. The paths are defined in one generated file
// (build/build_paths.cpp, written by CMakeLists.txt), not passed as -D flags to every test
// file: a path in the flags made each checkout compile every test file differently, so ccache
// could not share them between checkouts. CMakeLists.txt includes this header in every test
// file (-include), which keeps the STRATUS_* names the tests were written with.
#pragma once

namespace stratus::testing {
const char* source_dir();      // the repository's root
const char* stratus_binary();  // the stratus command-line tool
const char* viz_binary();      // stratus-viz; empty when it is not built
}  // namespace stratus::testing

#define STRATUS_SOURCE_DIR (::stratus::testing::source_dir())
#define STRATUS_BINARY (::stratus::testing::stratus_binary())
#ifdef STRATUS_HAVE_VIZ
#define STRATUS_VIZ_BINARY (::stratus::testing::viz_binary())
#endif
