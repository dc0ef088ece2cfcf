# Warnings for Earshot's own targets (not third-party headers).
add_library(earshot_warnings INTERFACE)
target_compile_options(earshot_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wnon-virtual-dtor -Wcast-align
  -Wimplicit-fallthrough -Wno-unused-parameter)
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  target_compile_options(earshot_warnings INTERFACE -Wshadow -Wthread-safety)
else()
  target_compile_options(earshot_warnings INTERFACE -Wshadow=local)
  # GCC 12 at -O3 reports std::string appends it has inlined as overlapping
  # memcpy (GCC bug 105329, fixed in 13): noise that would hide real warnings.
  if(CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(earshot_warnings INTERFACE -Wno-restrict)
  endif()
endif()

# Declares an Earshot library: earshot_module(NAME SOURCES ... DEPS ...).
function(earshot_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${M_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${name} PUBLIC ${M_DEPS} PRIVATE earshot_warnings)
endfunction()
