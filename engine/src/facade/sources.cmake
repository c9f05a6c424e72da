# infogap::Engine, the facade of the CLI, the Python bindings and the notebooks: a short
# orchestrator load (io) → coverage → placement → outputs. No adapter include.
infogap_area(facade
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/engine.cpp
  PUBLIC_DEPS infogap_core
  PRIVATE_DEPS infogap_io infogap_acoustics infogap_coverage infogap_placement infogap_output infogap_partition)
