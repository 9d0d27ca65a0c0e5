# Shock-response benchmarks; included from bench/CMakeLists.txt.
#   response_benchmark            one full run of the national top-up:
#                                 preview, approval + frozen snapshot,
#                                 payroll, payment files, reconciliation.
#   bench/response_vs_sql.sh      the same steps side by side with plain SQL.
# Without MALCHIN_RESPONSE_BENCH_DB it generates Zavkhan only (smoke test).
if(TARGET malchin::response AND TARGET malchin::demo)
  add_executable(response_benchmark
                 ${CMAKE_CURRENT_LIST_DIR}/response_benchmark.cpp)
  target_link_libraries(response_benchmark PRIVATE malchin::response malchin::backends
                        malchin::channel malchin::demo benchmark::benchmark)
  add_test(NAME response_benchmark_smoke COMMAND response_benchmark
           --benchmark_min_time=0.001)
endif()
