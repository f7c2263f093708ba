# Runs COMPILER on SOURCE twice: without NETEXT_EXPECT_FAIL it must compile (so the case
# itself is sound), with it it must fail and print a line matching EXPECT.
separate_arguments(flags UNIX_COMMAND "${FLAGS}")
execute_process(COMMAND ${COMPILER} ${flags} -fsyntax-only ${SOURCE}
	RESULT_VARIABLE ok_rc OUTPUT_VARIABLE ok_out ERROR_VARIABLE ok_out)
if(NOT ok_rc EQUAL 0)
	message(FATAL_ERROR "control build of ${SOURCE} failed (the test case is broken):\n${ok_out}")
endif()
execute_process(COMMAND ${COMPILER} ${flags} -DNETEXT_EXPECT_FAIL -fsyntax-only ${SOURCE}
	RESULT_VARIABLE bad_rc OUTPUT_VARIABLE bad_out ERROR_VARIABLE bad_out)
if(bad_rc EQUAL 0)
	message(FATAL_ERROR "${SOURCE} compiled with NETEXT_EXPECT_FAIL: the SDK accepted it")
endif()
if(NOT bad_out MATCHES "${EXPECT}")
	message(FATAL_ERROR "${SOURCE} failed, but not with /${EXPECT}/:\n${bad_out}")
endif()
message(STATUS "rejected as expected: ${CMAKE_MATCH_0}")
