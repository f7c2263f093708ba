# Installs the build tree into a scratch prefix, builds tests/install/consumer against it
# with find_package(netext), and runs it on an app object. Needs BUILD_DIR, SOURCE_DIR,
# WORK_DIR, OBJECT, CXX.
include(${CMAKE_CURRENT_LIST_DIR}/install_and_build.cmake)
netext_install_and_build(${SOURCE_DIR}/tests/install/consumer "the consumer")
execute_process(COMMAND ${WORK_DIR}/build/consumer ${OBJECT}
	RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT out MATCHES "xdp count_xdp" OR NOT out MATCHES "tc-egress count_tc_egress")
	message(FATAL_ERROR "the consumer did not describe ${OBJECT}: rc=${rc}\n${out}\n${err}")
endif()
message(STATUS "find_package(netext) consumer works:\n${out}")
file(REMOVE_RECURSE ${WORK_DIR})
