# Poverty engine benchmarks; included from bench/CMakeLists.txt (paths are
# relative to this file's directory). Results: docs/poverty.md.
add_executable(poverty_benchmark
               ${CMAKE_CURRENT_LIST_DIR}/poverty_benchmark.cpp)
target_include_directories(poverty_benchmark PRIVATE ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(poverty_benchmark PRIVATE malchin::poverty
                      benchmark::benchmark)
target_compile_definitions(poverty_benchmark PRIVATE
                           MALCHIN_SHARED_DIR="${MALCHIN_SHARED_DIR}")
add_test(NAME poverty_benchmark_smoke
         COMMAND poverty_benchmark --benchmark_min_time=0.001
                 --benchmark_filter=Survey)

# A reform over the national demo register (scale 3, about 10 million
# persons, generated in memory). MALCHIN_BENCH_SCALE sets another scale; the
# smoke test runs a small one.
if(TARGET malchin::demo)
  add_executable(poverty_register_benchmark
                 ${CMAKE_CURRENT_LIST_DIR}/poverty_register_benchmark.cpp)
  target_link_libraries(poverty_register_benchmark PRIVATE malchin::poverty
                        malchin::demo malchin::geo benchmark::benchmark)
  add_test(NAME poverty_register_benchmark_smoke
           COMMAND poverty_register_benchmark --benchmark_min_time=0.001)
  set_tests_properties(poverty_register_benchmark_smoke PROPERTIES
                       ENVIRONMENT "MALCHIN_BENCH_SCALE=0.02")
endif()
