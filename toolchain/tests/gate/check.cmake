# Builds one app through the native gate in a scratch project and checks the outcome:
# EXPECT=pass: the object is made; EXPECT=fail: the build fails, its output matches MATCH,
# and no object is left. Needs SOURCE_DIR, WORK_DIR, APP, EXPECT, CHECK, BOUND, NATIVE_CXX.
file(REMOVE_RECURSE ${WORK_DIR})
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR}/toolchain/tests/gate -B ${WORK_DIR}
	-G Ninja -DNETEXT_SOURCE_DIR=${SOURCE_DIR} -DAPP_NAME=${APP}
	-DAPP_DIR=${SOURCE_DIR}/toolchain/tests/gate/${APP} -DNATIVE_CXX=${NATIVE_CXX}
	-DNETEXT_CHECK_COMMAND=${CHECK} -DNETEXT_STACK_BOUND_COMMAND=${BOUND}
	RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
	message(FATAL_ERROR "configuring failed:\n${out}\n${err}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR}
	RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(EXPECT STREQUAL "pass")
	if(NOT rc EQUAL 0 OR NOT EXISTS ${WORK_DIR}/gate/app.o)
		message(FATAL_ERROR "expected ${APP} to pass the gate (rc ${rc})")
	endif()
else()
	if(rc EQUAL 0)
		message(FATAL_ERROR "expected the build of ${APP} to fail")
	endif()
	if(EXISTS ${WORK_DIR}/gate/app.o)
		message(FATAL_ERROR "a rejected app left an object")
	endif()
	if(NOT "${out}${err}" MATCHES "${MATCH}")
		message(FATAL_ERROR "the build output does not match '${MATCH}'")
	endif()
endif()
file(REMOVE_RECURSE ${WORK_DIR})
