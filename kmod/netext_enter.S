/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entering a native program on the per-CPU extension stack, and leaving it
 * early through the landing pad.
 *
 * The stack switch is the kernel's call_on_stack() pattern (mov %rsp,(%tos);
 * mov %tos,%rsp; call; pop %rsp), which objtool understands, so ORC describes
 * every instruction. The indirect call and the returns use CALL_NOSPEC and RET
 * (retpoline, rethunk, SLS) like the rest of this kernel.
 */
#include <linux/linkage.h>
#include <asm/nospec-branch.h>
#include <asm/unwind_hints.h>

/* rbp, rbx, r12-r15 pushed by netext_enter, plus its return address. */
#define NETEXT_FRAME 56

	.text

/*
 * int netext_enter(struct netext_ctx *ctx, netext_entry_t entry,
 *		    void *entry_sp, unsigned long *saved_sp)
 *
 * Runs entry(ctx) on the extension stack: entry_sp (16-byte aligned, 16 bytes
 * below the stack's top) holds the kernel stack pointer while the program runs.
 * Before switching it stores, in *saved_sp, the kernel stack pointer at which the
 * callee-saved registers lie, for netext_fault. All six are saved: a program
 * that faults is abandoned with whatever it left in them, and the eBPF JIT code
 * that called the kfunc relies on every one.
 */
SYM_FUNC_START(netext_enter)
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, (%rcx)
	/* the old stack pointer lives at the top of the extension stack */
	movq	%rsp, (%rdx)
	movq	%rdx, %rsp
	CALL_NOSPEC rsi
	popq	%rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	RET
SYM_FUNC_END(netext_enter)

/*
 * void __noreturn netext_fault(u32 reason)
 *
 * Called by a program (on the extension stack) whose run-time check failed.
 * netext_fault_record() notes the reason and returns the saved kernel stack
 * pointer; the extension stack is abandoned and netext_enter returns to the
 * dispatcher, which releases what the program held and picks the verdict.
 */
SYM_FUNC_START(netext_fault)
	call	netext_fault_record
	movq	%rax, %rsp
	UNWIND_HINT sp_reg=ORC_REG_SP sp_offset=NETEXT_FRAME type=UNWIND_HINT_TYPE_CALL
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	xorl	%eax, %eax
	/* back at netext_enter's entry state: the return is an ordinary one */
	UNWIND_HINT_FUNC
	RET
SYM_FUNC_END(netext_fault)

/*
 * void netext_wd_landing(void)
 *
 * Never called: the watchdog's timer interrupt returns here, on the extension
 * stack, in place of the program it cut short.
 */
#define NETEXT_WD_REASON 6	/* NETEXT_FAULT_TIMEOUT, checked in netext_main.c (BUILD_BUG_ON) */
SYM_FUNC_START(netext_wd_landing)
	movl	$NETEXT_WD_REASON, %edi
	jmp	netext_fault
SYM_FUNC_END(netext_wd_landing)
