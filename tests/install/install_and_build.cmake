# netext_install_and_build(PROJECT_DIR WHAT [CMAKE_ARGS...]): installs the build tree
# BUILD_DIR into the scratch prefix WORK_DIR/prefix (emptied first), then configures
# PROJECT_DIR against it (find_package(netext)) into WORK_DIR/build, with CXX (and C, if
# set) as its compilers and CMAKE_ARGS, and builds it. A failing step fails the test with
# its output, naming WHAT ("the consumer"). Included by install/check.cmake and
# cli/app_command_test.cmake: an out-of-tree project built as a user builds one.
function(netext_install_and_build project what)
	file(REMOVE_RECURSE ${WORK_DIR})
	execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK_DIR}/prefix
		RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
	if(NOT rc EQUAL 0)
		message(FATAL_ERROR "install failed: ${err}")
	endif()
	set(compilers -DCMAKE_CXX_COMPILER=${CXX})
	if(C)
		list(APPEND compilers -DCMAKE_C_COMPILER=${C})
	endif()
	execute_process(COMMAND ${CMAKE_COMMAND} -S ${project} -B ${WORK_DIR}/build
		-DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix ${compilers} ${ARGN}
		RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
	if(NOT rc EQUAL 0)
		message(FATAL_ERROR "configuring ${what} failed:\n${out}\n${err}")
	endif()
	execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR}/build
		RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
	if(NOT rc EQUAL 0)
		message(FATAL_ERROR "building ${what} failed:\n${out}\n${err}")
	endif()
endfunction()
