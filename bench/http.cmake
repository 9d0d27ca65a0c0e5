# The server: in-process micro-benchmarks of routing and request decoding
# (http_benchmark), and the wrk load script (http_load.sh, run by hand
# against a national register; see docs/server.md).
if(TARGET malchin::api)
  add_executable(http_benchmark ${CMAKE_CURRENT_SOURCE_DIR}/http_benchmark.cpp)
  target_link_libraries(http_benchmark PRIVATE malchin::api malchin::http
                        benchmark::benchmark)
  add_test(NAME http_benchmark_smoke
           COMMAND http_benchmark --benchmark_min_time=0.001)
endif()
