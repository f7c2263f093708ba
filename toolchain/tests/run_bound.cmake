# One netext-stack-bound case: compiles CASE with CXX and the native flags plus GCC's stack
# usage and call graph, runs the tool and compares with the file's header:
#   // expect-rc: N        the exit status
#   // expect: REGEX       what the output must match
# Needs BOUND, CXX, FLAGS, HELPERS, BUDGET, BASE, WORK_DIR.
file(STRINGS "${CASE}" header LIMIT_COUNT 4)
foreach(line IN LISTS header)
	if(line MATCHES "^// expect-rc: ([0-9]+)$")
		set(want_rc ${CMAKE_MATCH_1})
	elseif(line MATCHES "^// expect: (.*)$")
		set(want "${CMAKE_MATCH_1}")
	endif()
endforeach()
get_filename_component(name "${CASE}" NAME_WE)
set(dir ${WORK_DIR}/${name})
file(REMOVE_RECURSE ${dir})
file(MAKE_DIRECTORY ${dir})
execute_process(COMMAND ${CXX} ${FLAGS} -Wno-error -fstack-usage -fcallgraph-info=su
	-dumpbase ${dir}/case -c ${CASE} -o ${dir}/case.o
	RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
	message(FATAL_ERROR "compiling ${CASE} failed:\n${err}")
endif()
execute_process(COMMAND ${BOUND} --budget ${BUDGET} --base ${BASE} --helpers ${HELPERS}
	${dir}/case.ci RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT rc EQUAL want_rc)
	message(FATAL_ERROR "expected exit ${want_rc}, got ${rc}")
endif()
if(NOT "${out}${err}" MATCHES "${want}")
	message(FATAL_ERROR "output does not match '${want}'")
endif()
