# Helpers that declare Malchin's targets the same way everywhere.
#
# malchin_library(NAME SOURCES ... [PUBLIC_DEPS ...] [PRIVATE_DEPS ...])
#   A static library `malchin_<NAME>`, aliased `malchin::<NAME>`. Its public
#   headers live in src/<NAME>/ and are included as "<NAME>/header.h".
#   Heavy dependencies (SQLite, Beast, Eigen) go in PRIVATE_DEPS so that
#   callers cannot include them.
function(malchin_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(malchin_${name} STATIC ${ARG_SOURCES})
  add_library(malchin::${name} ALIAS malchin_${name})
  target_include_directories(malchin_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(malchin_${name} PUBLIC ${ARG_PUBLIC_DEPS}
                        PRIVATE ${ARG_PRIVATE_DEPS})
endfunction()

# malchin_test(NAME SOURCES ... DEPS ... [LABELS ...])
#   A GoogleTest executable registered with ctest; tests are discovered one by
#   one. MALCHIN_SHARED_DIR (the ../shared reference folder) and
#   MALCHIN_SOURCE_DIR are passed as compile definitions.
function(malchin_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock
                        GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    MALCHIN_SHARED_DIR="${MALCHIN_SHARED_DIR}"
    MALCHIN_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  include(GoogleTest)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60
                       PROPERTIES LABELS "${ARG_LABELS}")
endfunction()

# malchin_embed(TARGET VAR FILE)
#   Compiles FILE into TARGET as `extern const std::string_view VAR;`
#   (declared by the caller), so shipped data never depends on a run-time path.
function(malchin_embed target var file)
  set(out "${CMAKE_CURRENT_BINARY_DIR}/embed_${var}.cpp")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -DIN=${file} -DOUT=${out} -DVAR=${var}
            -P ${PROJECT_SOURCE_DIR}/cmake/Embed.cmake
    DEPENDS "${file}" ${PROJECT_SOURCE_DIR}/cmake/Embed.cmake
    COMMENT "Embedding ${file}")
  target_sources(${target} PRIVATE "${out}")
endfunction()
