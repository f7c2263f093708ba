// attach(): the steps of plan.hpp in order, all or nothing. Each step registers the undo
// of what it did with the rollback; any failure (a held signal, or NETEXT_FAULT_INJECT
// after a step) unwinds them newest first, leaving the interface as it was. The changes
// are made holding the bpffs lock and the signals, journaled in the record pinned first;
// what a SIGKILL leaves is rolled back by the next command (recover_interrupted).
//
// Also here: what makes a change safe to interrupt (SignalHold, step).
#include "plan.hpp"

#include "../lib_log.hpp"

#include <netext/loader/bpffs.hpp>
#include <netext/loader/error.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <pthread.h>
#include <unistd.h>

namespace netext::loader {

namespace attach_steps {

SignalHold::SignalHold()
{
	sigemptyset(&held_);
	for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT})
		sigaddset(&held_, s);
	pthread_sigmask(SIG_BLOCK, &held_, &old_);
}

SignalHold::~SignalHold()
{
	pthread_sigmask(SIG_SETMASK, &old_, nullptr);
}

void SignalHold::check(const std::string &what) const
{
	sigset_t pending;
	sigemptyset(&pending);
	if (sigpending(&pending) != 0)
		return;
	for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) {
		if (!sigismember(&pending, s) || sigismember(&old_, s))
			continue;
		sigset_t one;
		sigemptyset(&one);
		sigaddset(&one, s);
		timespec now{0, 0};
		sigtimedwait(&one, nullptr, &now); // taken: the process exits through the error
		throw Error(std::string("interrupted by SIG") + sigabbrev_np(s) + " during " +
			    what + "; it was rolled back, nothing was changed");
	}
}

void step(const char *name, const SignalHold &signals, const char *what)
{
	fault_point(name);
	// Tests only (tests/cli/integrity_test.cpp): stop here until signalled.
	if (const char *at = std::getenv("NETEXT_TEST_PAUSE_AT");
	    at && std::strcmp(at, name) == 0) {
		std::fprintf(stderr, "netext: test pause at %s (pid %d)\n", name,
			     static_cast<int>(getpid()));
		std::fflush(stderr);
		raise(SIGSTOP);
	}
	signals.check(what);
}

uint64_t boottime_ns()
{
	timespec t{};
	clock_gettime(CLOCK_BOOTTIME, &t);
	return static_cast<uint64_t>(t.tv_sec) * 1000000000ull + static_cast<uint64_t>(t.tv_nsec);
}

AttachPlan::~AttachPlan()
{
	if (record_fd >= 0)
		close(record_fd);
}

} // namespace attach_steps

using namespace attach_steps;

Attachment attach(const AttachRequest &req)
{
	AttachPlan plan(req);
	LibLog log(plan.messages); // libbpf's and libxdp's output, for error messages
	resolve_app(plan);
	apply_knobs(plan);

	SignalHold signals; // from here a signal rolls back instead of killing
	BpffsLock lock(plan.root, BpffsLock::Mode::Exclusive,
		       [&] { signals.check("attach (waiting for another netext command)"); });
	recover_interrupted(plan.root); // what a killed command left is not in the way
	check_not_attached(plan);
	check_xdp_slot(plan);
	step("locked", signals);

	Rollback rollback;
	NativeHandles native; // closed before the rollback unloads the modules they use
	begin_record(plan, rollback);
	step("intent", signals);
	bind_native(plan, native, rollback);
	update_record(plan);
	step("native", signals);
	attach_xdp(plan, native, rollback);
	step("load", signals);
	attach_tc(plan, native, rollback, signals);
	step("tc", signals);
	pin(plan, native, rollback);
	step("pin", signals);
	commit_record(plan);
	step("commit", signals);
	rollback.commit();
	plan.record.pin_dir = plan.dir;
	return plan.record;
}

} // namespace netext::loader
