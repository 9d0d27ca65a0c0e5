# Demo register generator benchmark; included from bench/CMakeLists.txt.
add_executable(demo_benchmark ${CMAKE_CURRENT_LIST_DIR}/demo_benchmark.cpp)
target_link_libraries(demo_benchmark PRIVATE malchin::demo benchmark::benchmark)
add_test(NAME demo_benchmark_smoke
         COMMAND demo_benchmark --benchmark_min_time=0.001
                 --benchmark_filter=Zavkhan)
