# Insurance benchmarks; included from bench/CMakeLists.txt.
add_executable(insurance_benchmark
               ${CMAKE_CURRENT_LIST_DIR}/insurance_benchmark.cpp)
target_link_libraries(insurance_benchmark PRIVATE malchin::insurance malchin::backends
                      malchin::store malchin::geo malchin::params
                      PkgConfig::SQLITE3 benchmark::benchmark)
add_test(NAME insurance_benchmark_smoke
         COMMAND insurance_benchmark --benchmark_min_time=0.001
                 --benchmark_filter=BM_CoverageHerders/1000$)
