# RIMA-II benchmarks (docs/rima.md); included from bench/CMakeLists.txt.
# bench/rima_vs_r.sh runs them side by side with the R reference.
add_executable(rima_benchmark ${CMAKE_CURRENT_LIST_DIR}/rima_benchmark.cpp)
target_link_libraries(rima_benchmark PRIVATE malchin::rima malchin::csv
                      benchmark::benchmark)
target_compile_definitions(rima_benchmark PRIVATE
                           MALCHIN_SHARED_DIR="${MALCHIN_SHARED_DIR}"
                           MALCHIN_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
add_test(NAME rima_benchmark_smoke
         COMMAND rima_benchmark --benchmark_min_time=0.001
                 --benchmark_filter=Fit/|ScoreOne)
