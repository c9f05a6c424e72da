# End-to-end tests (label e2e). Each block is owned by one engineer; append yours below.

# ---- report browser test (owner: report) ----------------------------------------------------
# Writes sample reports with infogap_report_sample, opens them in headless Chromium (DevTools
# protocol over a pipe) and checks the map, the popups, sorting, console/network and a screenshot.
if(TARGET infogap_report_sample)
  add_test(NAME report_browser
    COMMAND /usr/bin/python3 -m pytest -q -p no:cacheprovider --strict-markers
            ${PROJECT_SOURCE_DIR}/tests/e2e/report_browser_test.py)
  set_tests_properties(report_browser PROPERTIES
    LABELS e2e
    TIMEOUT 300
    ENVIRONMENT "INFOGAP_REPORT_SAMPLE_EXE=$<TARGET_FILE:infogap_report_sample>")
endif()

# qgis test (owner: gis): the GIS outputs in real QGIS 3.22, headless, on a sample written by
# infogap_gis_sample (set INFOGAP_GIS_OUTPUT=<run output folder> to check a real run as well).
if(TARGET infogap_gis_sample)
  add_test(NAME e2e_qgis
    COMMAND /usr/bin/python3 -m pytest -q -p no:cacheprovider --strict-markers -c ${CMAKE_CURRENT_LIST_DIR}/pytest.ini
            ${CMAKE_CURRENT_LIST_DIR}/qgis_test.py)
  set_tests_properties(e2e_qgis PROPERTIES LABELS "qgis;slow" TIMEOUT 600
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;XDG_RUNTIME_DIR=/tmp/runtime-infogap-qgis;INFOGAP_GIS_SAMPLE=$<TARGET_FILE:infogap_gis_sample>;INFOGAP_CLI=$<TARGET_FILE:infogap_cli>")
endif()

# ---- CLI end to end on the bundled data (owner: lead) ------------------------------------------
add_test(NAME e2e_cli
  COMMAND /usr/bin/python3 -m pytest -q -p no:cacheprovider --strict-markers -c ${CMAKE_CURRENT_LIST_DIR}/pytest.ini
          ${CMAKE_CURRENT_LIST_DIR}/test_cli_run.py --infogap $<TARGET_FILE:infogap_cli>)
set_tests_properties(e2e_cli PROPERTIES LABELS "e2e;slow" TIMEOUT 1200)

# ---- reliability (owner: reliability) ---------------------------------------------------------
# Bad inputs through the CLI (one case per file in bad_inputs/, exit 1 + culprit named + nothing
# partial left), runs SIGKILLed at seeded random moments (atomic outputs), and identical outputs
# with 1, 2 and 3 threads (determinism, optimizer included).
foreach(name bad_inputs atomic_outputs determinism)
  add_test(NAME e2e_${name}
    COMMAND /usr/bin/python3 -m pytest -q -p no:cacheprovider --strict-markers -c ${CMAKE_CURRENT_LIST_DIR}/pytest.ini
            ${CMAKE_CURRENT_LIST_DIR}/test_${name}.py --infogap $<TARGET_FILE:infogap_cli>)
  set_tests_properties(e2e_${name} PROPERTIES LABELS "e2e;slow" TIMEOUT 900)
endforeach()

# ---- the first hour (owner: helper-b): NULL gap rates, the CLI's result on stdout, budget rules,
# unmet minimums said plainly, on small synthetic provinces.
add_test(NAME e2e_first_hour
  COMMAND /usr/bin/python3 -m pytest -q -p no:cacheprovider --strict-markers -c ${CMAKE_CURRENT_LIST_DIR}/pytest.ini
          ${CMAKE_CURRENT_LIST_DIR}/test_first_hour.py --infogap $<TARGET_FILE:infogap_cli>)
set_tests_properties(e2e_first_hour PROPERTIES LABELS "e2e;slow" TIMEOUT 900)
# ---- CSV tables as planners read them (owner: text formats) -------------------------------------
# Formula neutralisation, rank order and rounding, each against the GeoPackage read by GDAL.
add_test(NAME e2e_csv_tables
  COMMAND /usr/bin/python3 -m pytest -q -p no:cacheprovider --strict-markers -c ${CMAKE_CURRENT_LIST_DIR}/pytest.ini
          ${CMAKE_CURRENT_LIST_DIR}/test_csv_tables.py --infogap $<TARGET_FILE:infogap_cli>)
set_tests_properties(e2e_csv_tables PROPERTIES LABELS "e2e;slow" TIMEOUT 900)
# ---- real inputs (owner: helper-f) -------------------------------------------------------------
# Hamlets as points split their communes; households listed by commune + hamlet name placed on
# footprints (DESIGN.md §3 communes / households.hamlet_name / demand).
add_test(NAME e2e_real_inputs
  COMMAND /usr/bin/python3 -m pytest -q -p no:cacheprovider --strict-markers -c ${CMAKE_CURRENT_LIST_DIR}/pytest.ini
          ${CMAKE_CURRENT_LIST_DIR}/test_real_inputs.py --infogap $<TARGET_FILE:infogap_cli>)
set_tests_properties(e2e_real_inputs PROPERTIES LABELS "e2e" TIMEOUT 900)
# ---- listening conditions and placement that holds (owner: helper-cond, issue 16 items 3-4) -----
add_test(NAME e2e_conditions_placement
  COMMAND /usr/bin/python3 -m pytest -q -p no:cacheprovider --strict-markers -c ${CMAKE_CURRENT_LIST_DIR}/pytest.ini
          ${CMAKE_CURRENT_LIST_DIR}/test_conditions_placement.py --infogap $<TARGET_FILE:infogap_cli>)
set_tests_properties(e2e_conditions_placement PROPERTIES LABELS "e2e;slow" TIMEOUT 900)
# The second bundled example (data/bac_lieu_lists): the README walkthrough's commands, regeneration,
# every row accounted for, proposed sites in a planner's terms.
add_test(NAME e2e_lists_example
  COMMAND /usr/bin/python3 -m pytest -q -p no:cacheprovider --strict-markers -c ${CMAKE_CURRENT_LIST_DIR}/pytest.ini
          ${CMAKE_CURRENT_LIST_DIR}/test_lists_example.py --infogap $<TARGET_FILE:infogap_cli>)
set_tests_properties(e2e_lists_example PROPERTIES LABELS "e2e" TIMEOUT 900)

# ---- partitioned runs and fail fast (owner: helper-part) ----------------------------------------
# output.partition_by on a 3-province synthetic set: households equal the unpartitioned run's, the
# partitions' rasters equal the whole run's inside them, each partition + rollup = the whole run,
# the roll-up sums the parts; the checks before any household is read (DESIGN.md §3, §5); the README
# walkthrough "Every province at once".
add_test(NAME e2e_partitions
  COMMAND /usr/bin/python3 -m pytest -q -p no:cacheprovider --strict-markers -c ${CMAKE_CURRENT_LIST_DIR}/pytest.ini
          ${CMAKE_CURRENT_LIST_DIR}/test_partitions.py --infogap $<TARGET_FILE:infogap_cli>)
set_tests_properties(e2e_partitions PROPERTIES LABELS "e2e;slow" TIMEOUT 1500)
# CI-sized national check (issue 15 item 7): 1 M households in 4 synthetic provinces, partitioned vs
# unpartitioned, roll-up sums, accounting per province and nationally (≤ ~4 min on 2 cores).
add_test(NAME e2e_national_check
  COMMAND /usr/bin/python3 -m pytest -q -p no:cacheprovider --strict-markers -c ${CMAKE_CURRENT_LIST_DIR}/pytest.ini
          ${CMAKE_CURRENT_LIST_DIR}/test_national_check.py --infogap $<TARGET_FILE:infogap_cli>)
set_tests_properties(e2e_national_check PROPERTIES LABELS "e2e;slow" TIMEOUT 900)
# ---- infogap compare (owner: compare): progress between two runs, across the 2025 merger,
# GDAL's view of change.gpkg, the README walkthrough "Progress between two runs".
add_test(NAME e2e_compare
  COMMAND /usr/bin/python3 -m pytest -q -p no:cacheprovider --strict-markers -c ${CMAKE_CURRENT_LIST_DIR}/pytest.ini
          ${CMAKE_CURRENT_LIST_DIR}/test_compare.py --infogap $<TARGET_FILE:infogap_cli>)
set_tests_properties(e2e_compare PROPERTIES LABELS "e2e;slow" TIMEOUT 900)
add_test(NAME e2e_compare_browser
  COMMAND /usr/bin/python3 -m pytest -q -p no:cacheprovider --strict-markers -c ${CMAKE_CURRENT_LIST_DIR}/pytest.ini
          ${CMAKE_CURRENT_LIST_DIR}/report_change_browser_test.py)
set_tests_properties(e2e_compare_browser PROPERTIES LABELS "e2e;browser;slow" TIMEOUT 600
  ENVIRONMENT "INFOGAP_CLI=$<TARGET_FILE:infogap_cli>")
