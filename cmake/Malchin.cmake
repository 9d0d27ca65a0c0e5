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

# malchin_capability_calls(OUT FILES SUFFIX DECL CALL)
#   For the files <capability><SUFFIX>.cpp in FILES (e.g. rima_repository.cpp
#   with SUFFIX _repository), sets OUT_decls and OUT_calls to DECL and CALL
#   once per file, with @NAME@ replaced by the capability in CamelCase
#   (rima -> Rima, cash_transfer -> CashTransfer): the generated call lists
#   through which each capability adds its own file and edits no other.
function(malchin_capability_calls out files suffix decl call)
  set(decls "")
  set(calls "")
  foreach(file ${files})
    get_filename_component(stem ${file} NAME_WE)
    string(REGEX REPLACE "${suffix}$" "" capability ${stem})
    string(REPLACE "_" ";" words ${capability})
    set(camel "")
    foreach(word ${words})
      string(SUBSTRING ${word} 0 1 first)
      string(TOUPPER ${first} first)
      string(SUBSTRING ${word} 1 -1 rest)
      string(APPEND camel ${first}${rest})
    endforeach()
    string(REPLACE "@NAME@" "${camel}" d "${decl}")
    string(REPLACE "@NAME@" "${camel}" c "${call}")
    string(APPEND decls "${d}\n")
    string(APPEND calls "${c}\n")
  endforeach()
  set(${out}_decls "${decls}" PARENT_SCOPE)
  set(${out}_calls "${calls}" PARENT_SCOPE)
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

# malchin_migrations(TARGET NAMESPACE DIR)
#   Embeds DIR/NNNN_name.sql (numbered from 0001, no gaps) into TARGET and
#   generates `const std::vector<store::Migration>& NAMESPACE::Migrations()`
#   (declare it in the engine's code), in number order.
function(malchin_migrations target ns dir)
  file(GLOB files CONFIGURE_DEPENDS ${dir}/*.sql)
  list(SORT files)
  set(decls "")
  set(entries "")
  set(expected 1)
  string(MAKE_C_IDENTIFIER "${ns}" prefix)
  foreach(file ${files})
    get_filename_component(stem ${file} NAME_WE)
    if(NOT stem MATCHES "^([0-9][0-9][0-9][0-9])_(.+)$")
      message(FATAL_ERROR "migration ${file}: name must be NNNN_name.sql")
    endif()
    set(number ${CMAKE_MATCH_1})
    set(name ${CMAKE_MATCH_2})
    math(EXPR version "${number} + 0")
    if(NOT version EQUAL expected)
      message(FATAL_ERROR "migration ${file}: expected number ${expected}")
    endif()
    math(EXPR expected "${version} + 1")
    set(var k${prefix}Migration${number})
    malchin_embed(${target} ${var} ${file})
    string(APPEND decls "extern const std::string_view ${var};\n")
    string(APPEND entries
           "      {${version}, \"${name}\", embedded::${var}},\n")
  endforeach()
  set(malchin_migration_dir ${dir})
  set(malchin_migration_ns ${ns})
  set(malchin_migration_decls ${decls})
  set(malchin_migration_entries ${entries})
  configure_file(${PROJECT_SOURCE_DIR}/cmake/migration_list.cpp.in
                 ${CMAKE_CURRENT_BINARY_DIR}/${prefix}_migration_list.cpp @ONLY)
  target_sources(${target} PRIVATE
                 ${CMAKE_CURRENT_BINARY_DIR}/${prefix}_migration_list.cpp)
endfunction()

# malchin_fuzzer(NAME SOURCES ... DEPS ...)
#   A libFuzzer target (only with MALCHIN_FUZZ and clang), with ASan+UBSan.
#   Every fuzzer is listed in <build>/fuzzers.txt and built by the target
#   `fuzzers`, which scripts/build.sh fuzz and scripts/test.sh use, so a new
#   fuzzer is found without editing the scripts.
function(malchin_fuzzer name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  if(NOT MALCHIN_FUZZ OR NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    return()
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  set_property(GLOBAL APPEND PROPERTY MALCHIN_FUZZERS ${name})
endfunction()
