# SMS outbox benchmarks (#20); included from bench/CMakeLists.txt.
add_executable(channel_benchmark ${CMAKE_CURRENT_LIST_DIR}/channel_benchmark.cpp)
target_link_libraries(channel_benchmark PRIVATE malchin::channel
                      malchin::backends malchin::store malchin::params
                      benchmark::benchmark)
add_test(NAME channel_benchmark_smoke
         COMMAND channel_benchmark --benchmark_filter=BM_QueueHouseholds/1000/
                 --benchmark_min_time=0.001)

# A national broadcast: recipient list and messages queued per second, on
# the register of $MALCHIN_BENCH_DB (docs/benchmarks.md).
add_executable(broadcast_benchmark
               ${CMAKE_CURRENT_LIST_DIR}/broadcast_benchmark.cpp)
target_link_libraries(broadcast_benchmark PRIVATE malchin::channel
                      malchin::backends malchin::store malchin::params
                      benchmark::benchmark)
