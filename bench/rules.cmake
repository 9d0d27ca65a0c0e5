# Rule preview benchmarks; included from bench/CMakeLists.txt (paths are
# relative to this file's directory). The SQLite reference query links
# SQLite directly: it is the plain-SQL baseline, not product code.
add_executable(rules_benchmark ${CMAKE_CURRENT_LIST_DIR}/rules_benchmark.cpp)
target_link_libraries(rules_benchmark PRIVATE malchin::rules malchin::store malchin::backends
                      malchin::demo malchin::geo malchin::params
                      PkgConfig::SQLITE3 benchmark::benchmark)
add_test(NAME rules_benchmark_smoke
         COMMAND rules_benchmark --benchmark_min_time=0.001)
