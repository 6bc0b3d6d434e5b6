/* test.h - common runtime and macros for the TabVM bare-metal ISA tests.
 *
 * Include this first in every test (.S) file.  It emits:
 *   - _start (section .text.init): machine-mode set-up, then falls into the
 *     test body that follows the #include in the test file;
 *   - a machine-mode trap handler (m_trap_vector) and a supervisor-mode
 *     trap handler (s_trap_vector) that record what happened;
 *   - test_pass / test_fail, which report through the HTIF `tohost` word;
 *   - the `.tohost` section with the `tohost` and `fromhost` symbols.
 *
 * Register conventions (do not use these for test values):
 *   gp (x3)          current test case number (TESTNUM)
 *   t5, t6 (x30/31)  scratch for the CHECK_* and trap macros
 *   sp               small stack set up at entry
 *
 * Pass/fail: `tohost` <- 1 means pass; `tohost` <- (n << 1) | 1 means test
 * case n failed.  Case numbers must be in 1..254; 255 is reported for a
 * failure that happened before the first TEST_CASE.
 */
#ifndef TABVM_ISA_TEST_H
#define TABVM_ISA_TEST_H

/* ---------------------------------------------------------------------- */
/* Constants                                                               */
/* ---------------------------------------------------------------------- */

#define PRV_U 0
#define PRV_S 1
#define PRV_M 3

#define MSTATUS_SIE   (1 << 1)
#define MSTATUS_MIE   (1 << 3)
#define MSTATUS_SPIE  (1 << 5)
#define MSTATUS_MPIE  (1 << 7)
#define MSTATUS_SPP   (1 << 8)
#define MSTATUS_MPP   (3 << 11)
#define MSTATUS_MPP_S (1 << 11)
#define MSTATUS_MPP_M (3 << 11)
#define MSTATUS_FS    (3 << 13)
#define MSTATUS_FS_INITIAL (1 << 13)
#define MSTATUS_FS_CLEAN   (2 << 13)
#define MSTATUS_FS_DIRTY   (3 << 13)
#define MSTATUS_MPRV  (1 << 17)
#define MSTATUS_SUM   (1 << 18)
#define MSTATUS_MXR   (1 << 19)
#define MSTATUS_TVM   (1 << 20)
#define MSTATUS_TW    (1 << 21)
#define MSTATUS_TSR   (1 << 22)
#define MSTATUS_SD    (1 << 63)

#define MIP_SSIP (1 << 1)
#define MIP_MSIP (1 << 3)
#define MIP_STIP (1 << 5)
#define MIP_MTIP (1 << 7)
#define MIP_SEIP (1 << 9)
#define MIP_MEIP (1 << 11)

#define CAUSE_FETCH_MISALIGNED   0
#define CAUSE_FETCH_ACCESS       1
#define CAUSE_ILLEGAL_INSN       2
#define CAUSE_BREAKPOINT         3
#define CAUSE_LOAD_MISALIGNED    4
#define CAUSE_LOAD_ACCESS        5
#define CAUSE_STORE_MISALIGNED   6
#define CAUSE_STORE_ACCESS       7
#define CAUSE_ECALL_U            8
#define CAUSE_ECALL_S            9
#define CAUSE_ECALL_M            11
#define CAUSE_FETCH_PAGE_FAULT   12
#define CAUSE_LOAD_PAGE_FAULT    13
#define CAUSE_STORE_PAGE_FAULT   15

#define IRQ_BIT   (1 << 63)
#define IRQ_S_SOFT  1
#define IRQ_M_SOFT  3
#define IRQ_S_TIMER 5
#define IRQ_M_TIMER 7
#define IRQ_S_EXT   9
#define IRQ_M_EXT   11

/* CLINT, same address in QEMU's spike machine and in the TabVM machine. */
#define CLINT_BASE     0x02000000
#define CLINT_MSIP     (CLINT_BASE + 0x0)
#define CLINT_MTIMECMP (CLINT_BASE + 0x4000)
#define CLINT_MTIME    (CLINT_BASE + 0xbff8)

/* fflags bits */
#define FF_NX 0x01
#define FF_UF 0x02
#define FF_OF 0x04
#define FF_DZ 0x08
#define FF_NV 0x10

/* Rounding modes */
#define RM_RNE 0
#define RM_RTZ 1
#define RM_RDN 2
#define RM_RUP 3
#define RM_RMM 4
#define RM_DYN 7

/* Sv39 page-table entry bits */
#define PTE_V (1 << 0)
#define PTE_R (1 << 1)
#define PTE_W (1 << 2)
#define PTE_X (1 << 3)
#define PTE_U (1 << 4)
#define PTE_G (1 << 5)
#define PTE_A (1 << 6)
#define PTE_D (1 << 7)
#define SATP_SV39 (8 << 60)

/* Offsets inside the trap records (trap_rec for M, s_trap_rec for S). */
#define TR_RESUME 0   /* where to resume after an expected exception (0: none armed) */
#define TR_CAUSE  8   /* xcause of the last exception (-1 after ARM_TRAP) */
#define TR_EPC    16  /* xepc */
#define TR_TVAL   24  /* xtval */
#define TR_STATUS 32  /* xstatus as seen on handler entry */
#define TR_COUNT  40  /* number of exceptions taken */
/* Offsets inside the interrupt records (irq_rec for M, s_irq_rec for S). */
#define IR_COUNT  0   /* number of interrupts taken */
#define IR_CAUSE  8   /* xcause of the last interrupt */
#define IR_EPC    16  /* xepc of the last interrupt */
#define IR_STATUS 24  /* xstatus at the last interrupt */
#define IR_VEC    32  /* vector slot noted by vectored-mode stubs (see interrupts.S) */
#define IR_LIST   40  /* causes of the first 8 interrupts, in order */

/* Offsets in the handler register save areas (m_save, s_save). */
#define SV_T0 0
#define SV_T1 8
#define SV_T2 16
#define SV_T5 24
#define SV_T6 32

/* ---------------------------------------------------------------------- */
/* Macros                                                                  */
/* ---------------------------------------------------------------------- */

.option norelax
.option nopic

.set .Ltabvm_last_case, 0

/* Start test case n: gp <- n.  Numbers must increase within a file. */
.macro TEST_CASE n
    .if (\n) < 1 || (\n) > 254
    .error "TEST_CASE number must be in 1..254"
    .endif
    .if (\n) <= .Ltabvm_last_case
    .error "TEST_CASE numbers must strictly increase"
    .endif
    .set .Ltabvm_last_case, (\n)
    li gp, \n
.endm

/* Report success (all cases passed). */
.macro TEST_END
    j test_pass
.endm

/* Fail the current case unconditionally. */
.macro FAIL
    j test_fail
.endm

/* reg == immediate (64-bit) */
.macro CHECK_EQ reg, val
    li t6, \val
    beq \reg, t6, .Lck_ok\@
    j test_fail
.Lck_ok\@:
.endm

/* reg != immediate */
.macro CHECK_NE reg, val
    li t6, \val
    bne \reg, t6, .Lck_ok\@
    j test_fail
.Lck_ok\@:
.endm

/* reg1 == reg2 */
.macro CHECK_EQR r1, r2
    beq \r1, \r2, .Lck_ok\@
    j test_fail
.Lck_ok\@:
.endm

/* reg1 != reg2 */
.macro CHECK_NER r1, r2
    bne \r1, \r2, .Lck_ok\@
    j test_fail
.Lck_ok\@:
.endm

/* reg1 <u reg2 */
.macro CHECK_LTU r1, r2
    bltu \r1, \r2, .Lck_ok\@
    j test_fail
.Lck_ok\@:
.endm

/* reg == address of label */
.macro CHECK_ADDR reg, label
    la t6, \label
    beq \reg, t6, .Lck_ok\@
    j test_fail
.Lck_ok\@:
.endm

/* CSR == immediate */
.macro CHECK_CSR csr, val
    csrr t5, \csr
    CHECK_EQ t5, \val
.endm

/* (CSR & mask) == immediate */
.macro CHECK_CSR_MASK csr, mask, val
    csrr t5, \csr
    li t6, \mask
    and t5, t5, t6
    CHECK_EQ t5, \val
.endm

/* 64-bit memory word at label == immediate */
.macro CHECK_MEM_D label, val
    la t5, \label
    ld t5, 0(t5)
    CHECK_EQ t5, \val
.endm

/* Raw 64-bit contents of a double register == immediate */
.macro CHECK_FD freg, val
    fmv.x.d t5, \freg
    CHECK_EQ t5, \val
.endm

/* Single-precision result: the register must hold the NaN-boxed value. */
.macro CHECK_FS freg, val
    fmv.x.d t5, \freg
    CHECK_EQ t5, (0xffffffff00000000 | (\val))
.endm

/* fflags == immediate */
.macro CHECK_FFLAGS val
    csrr t5, fflags
    CHECK_EQ t5, \val
.endm

/* Load a raw 64-bit pattern into an FP register. */
.macro LOAD_FD freg, val
    li t6, \val
    fmv.d.x \freg, t6
.endm

/* Load a single-precision pattern (properly NaN-boxed) into an FP register. */
.macro LOAD_FS freg, val
    li t6, \val
    fmv.w.x \freg, t6
.endm

/* ---- one-instruction test patterns ------------------------------------ */
/* Operands are loaded into a1/a2 (integer) or f1/f2/f3 (FP); results are
 * expected in a0 (integer) or f4 (FP).  `insn` comes last so it may contain
 * commas and a rounding-mode operand. */

/* a0 <- op(a1 = a, a2 = b) */
.macro TEST_RR n, op, a, b, exp
    TEST_CASE \n
    li a1, \a
    li a2, \b
    \op a0, a1, a2
    CHECK_EQ a0, \exp
.endm

/* a0 <- op(a1 = a, imm) */
.macro TEST_RI n, op, a, imm, exp
    TEST_CASE \n
    li a1, \a
    \op a0, a1, \imm
    CHECK_EQ a0, \exp
.endm

/* Single precision: f1..f3 <- a, b, c (boxed); run insn; f4 must hold the
 * boxed single `exp` and fflags must equal `flags`. */
.macro TEST_FPS n, a, b, c, exp, flags, insn:vararg
    TEST_CASE \n
    LOAD_FS f1, \a
    LOAD_FS f2, \b
    LOAD_FS f3, \c
    csrwi fflags, 0
    \insn
    CHECK_FS f4, \exp
    CHECK_FFLAGS \flags
.endm

/* Double precision: f1..f3 <- a, b, c; run insn; f4 == exp; fflags == flags */
.macro TEST_FPD n, a, b, c, exp, flags, insn:vararg
    TEST_CASE \n
    LOAD_FD f1, \a
    LOAD_FD f2, \b
    LOAD_FD f3, \c
    csrwi fflags, 0
    \insn
    CHECK_FD f4, \exp
    CHECK_FFLAGS \flags
.endm

/* FP operands (single) -> integer result in a0 */
.macro TEST_FPS_X n, a, b, exp, flags, insn:vararg
    TEST_CASE \n
    LOAD_FS f1, \a
    LOAD_FS f2, \b
    csrwi fflags, 0
    \insn
    CHECK_EQ a0, \exp
    CHECK_FFLAGS \flags
.endm

/* FP operands (double) -> integer result in a0 */
.macro TEST_FPD_X n, a, b, exp, flags, insn:vararg
    TEST_CASE \n
    LOAD_FD f1, \a
    LOAD_FD f2, \b
    csrwi fflags, 0
    \insn
    CHECK_EQ a0, \exp
    CHECK_FFLAGS \flags
.endm

/* integer a1 = a -> single result in f4 */
.macro TEST_X_FPS n, a, exp, flags, insn:vararg
    TEST_CASE \n
    li a1, \a
    csrwi fflags, 0
    \insn
    CHECK_FS f4, \exp
    CHECK_FFLAGS \flags
.endm

/* integer a1 = a -> double result in f4 */
.macro TEST_X_FPD n, a, exp, flags, insn:vararg
    TEST_CASE \n
    li a1, \a
    csrwi fflags, 0
    \insn
    CHECK_FD f4, \exp
    CHECK_FFLAGS \flags
.endm

/* ---- trap expectation ------------------------------------------------ */

/* Arm the M-mode handler: the next exception is recorded and execution
 * resumes at `label` in machine mode (with MPRV cleared).  An exception
 * taken while nothing is armed fails the test.  Arm from M-mode (or from
 * S/U without address translation). */
.macro ARM_TRAP label
    la t6, trap_rec
    la t5, \label
    sd t5, TR_RESUME(t6)
    li t5, -1
    sd t5, TR_CAUSE(t6)
.endm

/* Same for the S-mode handler (stvec = s_trap_vector): the next exception
 * delegated to S is recorded in s_trap_rec and execution resumes at `label`
 * in supervisor mode. */
.macro ARM_STRAP label
    la t6, s_trap_rec
    la t5, \label
    sd t5, TR_RESUME(t6)
    li t5, -1
    sd t5, TR_CAUSE(t6)
.endm

/* Load a field of a trap record into t5. */
.macro LOAD_TREC rec, off
    la t5, \rec
    ld t5, \off(t5)
.endm

.macro CHECK_TRAP cause
    LOAD_TREC trap_rec, TR_CAUSE
    CHECK_EQ t5, \cause
.endm
.macro CHECK_MEPC label
    LOAD_TREC trap_rec, TR_EPC
    CHECK_ADDR t5, \label
.endm
.macro CHECK_MEPC_REG reg
    LOAD_TREC trap_rec, TR_EPC
    CHECK_EQR t5, \reg
.endm
.macro CHECK_MTVAL val
    LOAD_TREC trap_rec, TR_TVAL
    CHECK_EQ t5, \val
.endm
.macro CHECK_MTVAL_ADDR label
    LOAD_TREC trap_rec, TR_TVAL
    CHECK_ADDR t5, \label
.endm
.macro CHECK_MTVAL_REG reg
    LOAD_TREC trap_rec, TR_TVAL
    CHECK_EQR t5, \reg
.endm
/* mstatus.MPP as seen by the handler (= mode the trap came from) */
.macro CHECK_TRAP_FROM mode
    LOAD_TREC trap_rec, TR_STATUS
    srli t5, t5, 11
    andi t5, t5, 3
    CHECK_EQ t5, \mode
.endm

.macro CHECK_STRAP cause
    LOAD_TREC s_trap_rec, TR_CAUSE
    CHECK_EQ t5, \cause
.endm
.macro CHECK_SEPC label
    LOAD_TREC s_trap_rec, TR_EPC
    CHECK_ADDR t5, \label
.endm
.macro CHECK_STVAL val
    LOAD_TREC s_trap_rec, TR_TVAL
    CHECK_EQ t5, \val
.endm
.macro CHECK_STVAL_ADDR label
    LOAD_TREC s_trap_rec, TR_TVAL
    CHECK_ADDR t5, \label
.endm

/* Execute one instruction in the current mode and require that it raises
 * exception `cause` to M-mode with mepc pointing at it.  Continues in M. */
.macro EXPECT_TRAP cause, insn:vararg
    ARM_TRAP .Let_res\@
.Let_at\@:
    \insn
    j test_fail
.Let_res\@:
    CHECK_TRAP \cause
    CHECK_MEPC .Let_at\@
.endm

/* Same, with the instruction given as a raw 32-bit word; also checks that
 * mtval holds the instruction bits (for illegal-instruction traps). */
.macro EXPECT_ILLEGAL_WORD word
    ARM_TRAP .Lew_res\@
.Lew_at\@:
    .word \word
    j test_fail
.Lew_res\@:
    CHECK_TRAP CAUSE_ILLEGAL_INSN
    CHECK_MEPC .Lew_at\@
    CHECK_MTVAL \word
.endm

/* ---- privilege changes ------------------------------------------------ */

/* From M-mode: continue at `label` in privilege `mode` (PRV_U/S/M).
 * MPIE is cleared first so mstatus.MIE stays 0 afterwards. */
.macro GOTO_MODE mode, label
    li t6, MSTATUS_MPP | MSTATUS_MPIE
    csrc mstatus, t6
    li t6, ((\mode) << 11)
    csrs mstatus, t6
    la t6, \label
    csrw mepc, t6
    mret
.endm

/* From M-mode: continue with the next instruction in privilege `mode`. */
.macro ENTER_MODE mode
    GOTO_MODE \mode, .Lem_next\@
.Lem_next\@:
.endm

/* From S/U without translation (or M): go back to M-mode via ecall and
 * continue with the next instruction.  Checks that the ecall cause matches
 * `from` (PRV_U, PRV_S or PRV_M). */
.macro BACK_TO_M from
    ARM_TRAP .Lbm_res\@
    ecall
    j test_fail
.Lbm_res\@:
    .if (\from) == PRV_U
    CHECK_TRAP CAUSE_ECALL_U
    .elseif (\from) == PRV_S
    CHECK_TRAP CAUSE_ECALL_S
    .else
    CHECK_TRAP CAUSE_ECALL_M
    .endif
.endm

/* ---- Sv39 page-table helpers (all use only t5/t6) -------------------- */

#define VPN2(va) ((((va)) >> 30) & 0x1ff)
#define VPN1(va) ((((va)) >> 21) & 0x1ff)
#define VPN0(va) ((((va)) >> 12) & 0x1ff)
/* U-mode code runs from a user alias of the image at PA + USER_ALIAS */
#define USER_ALIAS 0x40000000

/* store the PTE in t5 at table[index] */
.macro __STORE_PTE table, index
    la t6, \table
    .if ((\index) * 8) < 2048
    sd t5, ((\index) * 8)(t6)
    .else
    addi t6, t6, 2047
    sd t5, (((\index) * 8) - 2047)(t6)
    .endif
.endm

/* table[index] <- PTE for the physical address in register `pa` */
.macro SET_PTE table, index, pa, flags
    srli t5, \pa, 12
    slli t5, t5, 10
    ori t5, t5, \flags
    __STORE_PTE \table, \index
.endm

/* table[index] <- PTE for the physical address of `label` (page aligned) */
.macro SET_PTE_L table, index, label, flags
    la t5, \label
    srli t5, t5, 12
    slli t5, t5, 10
    ori t5, t5, \flags
    __STORE_PTE \table, \index
.endm

/* table[index] <- PTE for the constant physical address `pa` */
.macro SET_PTE_PA table, index, pa, flags
    li t5, (((\pa) >> 12) << 10) | (\flags)
    __STORE_PTE \table, \index
.endm

/* table[index] <- 0 */
.macro CLEAR_PTE table, index
    li t5, 0
    __STORE_PTE \table, \index
.endm

/* zero a 4 KiB page */
.macro ZERO_PAGE label
    la t6, \label
    li t5, 512
.Lzp\@:
    sd zero, 0(t6)
    addi t6, t6, 8
    addi t5, t5, -1
    bnez t5, .Lzp\@
.endm

/* Base mappings used by the paging tests, in root table `root`:
 *   VA 0x80000000 (1 GiB) -> PA 0x80000000, RWX, supervisor (identity)
 *   VA 0xc0000000 (1 GiB) -> PA 0x80000000, RWX, user (PA + USER_ALIAS) */
.macro SV39_BASE_MAP root
    ZERO_PAGE \root
    SET_PTE_PA \root, 2, 0x80000000, PTE_V|PTE_R|PTE_W|PTE_X|PTE_A|PTE_D
    SET_PTE_PA \root, 3, 0x80000000, PTE_V|PTE_R|PTE_W|PTE_X|PTE_U|PTE_A|PTE_D
.endm

/* reg <- the VA of `label` through a superpage at `base` that maps PA 0x80000000 */
.macro SUPER_VA reg, base, label
    la \reg, \label
    li t6, 0x80000000
    sub \reg, \reg, t6
    li t6, \base
    add \reg, \reg, t6
.endm

/* satp <- Sv39, ASID 0, root table `root`; flush */
.macro SV39_ENABLE root
    la t5, \root
    srli t5, t5, 12
    li t6, SATP_SV39
    or t5, t5, t6
    csrw satp, t5
    sfence.vma
.endm

/* From M-mode: continue at the user alias of `label` in U-mode */
.macro GOTO_USER_ALIAS label
    li t6, MSTATUS_MPP | MSTATUS_MPIE
    csrc mstatus, t6
    la t6, \label
    li t5, USER_ALIAS
    add t6, t6, t5
    csrw mepc, t6
    mret
.endm

/* ---------------------------------------------------------------------- */
/* Runtime: entry, handlers, pass/fail                                     */
/* ---------------------------------------------------------------------- */

    .section .text.init, "ax", @progbits
    .globl _start
_start:
    /* Clear the integer registers. */
    li x1, 0
    li x2, 0
    li x3, 0
    li x4, 0
    li x5, 0
    li x6, 0
    li x7, 0
    li x8, 0
    li x9, 0
    li x10, 0
    li x11, 0
    li x12, 0
    li x13, 0
    li x14, 0
    li x15, 0
    li x16, 0
    li x17, 0
    li x18, 0
    li x19, 0
    li x20, 0
    li x21, 0
    li x22, 0
    li x23, 0
    li x24, 0
    li x25, 0
    li x26, 0
    li x27, 0
    li x28, 0
    li x29, 0
    li x30, 0
    li x31, 0

    /* While configuring optional CSRs (PMP), skip any that trap. */
    la t0, __tabvm_skip_trap
    csrw mtvec, t0
    /* One PMP entry granting RWX on the whole address space so that S and
     * U modes may access memory (a machine with PMP entries but none
     * configured denies S/U accesses). */
    li t0, -1
    csrw pmpaddr0, t0
    li t0, 0x1f            /* NAPOT | X | W | R */
    csrw pmpcfg0, t0

    la t0, m_trap_vector
    csrw mtvec, t0
    la t0, s_trap_vector
    csrw stvec, t0
    la t0, m_save
    csrw mscratch, t0
    la t0, s_save
    csrw sscratch, t0
    csrw medeleg, zero
    csrw mideleg, zero
    csrw mie, zero
    csrw mip, zero
    csrw satp, zero

    /* FP on (Initial), rounding RNE, flags clear; registers to +0.0. */
    li t0, MSTATUS_FS_INITIAL
    csrw mstatus, t0
    csrw fcsr, zero
    fmv.d.x f0, zero
    fmv.d.x f1, zero
    fmv.d.x f2, zero
    fmv.d.x f3, zero
    fmv.d.x f4, zero
    fmv.d.x f5, zero
    fmv.d.x f6, zero
    fmv.d.x f7, zero
    fmv.d.x f8, zero
    fmv.d.x f9, zero
    fmv.d.x f10, zero
    fmv.d.x f11, zero
    fmv.d.x f12, zero
    fmv.d.x f13, zero
    fmv.d.x f14, zero
    fmv.d.x f15, zero
    fmv.d.x f16, zero
    fmv.d.x f17, zero
    fmv.d.x f18, zero
    fmv.d.x f19, zero
    fmv.d.x f20, zero
    fmv.d.x f21, zero
    fmv.d.x f22, zero
    fmv.d.x f23, zero
    fmv.d.x f24, zero
    fmv.d.x f25, zero
    fmv.d.x f26, zero
    fmv.d.x f27, zero
    fmv.d.x f28, zero
    fmv.d.x f29, zero
    fmv.d.x f30, zero
    fmv.d.x f31, zero
    csrw mstatus, t0       /* FP writes above made FS Dirty; reset to Initial */

    la sp, __tabvm_stack_top
    li gp, 0
    li t0, 0
    j test_body

    .align 2
__tabvm_skip_trap:
    /* Early trap during set-up: skip the (4-byte) CSR instruction. */
    csrr t1, mepc
    addi t1, t1, 4
    csrw mepc, t1
    mret

/* Machine-mode trap handler.  Exceptions: recorded in trap_rec; if a resume
 * address is armed, continue there in M-mode, otherwise fail.  Interrupts:
 * recorded in irq_rec, the source is cleared, and execution returns to the
 * interrupted instruction. */
    .align 6
    .globl m_trap_vector
m_trap_vector:
    csrrw t6, mscratch, t6
    sd t0, SV_T0(t6)
    sd t1, SV_T1(t6)
    sd t2, SV_T2(t6)
    sd t5, SV_T5(t6)
    csrr t0, mscratch
    sd t0, SV_T6(t6)
    csrw mscratch, t6

    csrr t0, mcause
    bltz t0, .Lm_irq

    la t1, trap_rec
    sd t0, TR_CAUSE(t1)
    csrr t2, mepc
    sd t2, TR_EPC(t1)
    csrr t2, mtval
    sd t2, TR_TVAL(t1)
    csrr t2, mstatus
    sd t2, TR_STATUS(t1)
    ld t2, TR_COUNT(t1)
    addi t2, t2, 1
    sd t2, TR_COUNT(t1)
    ld t2, TR_RESUME(t1)
    beqz t2, test_fail          /* unexpected exception */
    sd zero, TR_RESUME(t1)      /* disarm */
    csrw mepc, t2
    li t0, MSTATUS_MPP_M
    csrs mstatus, t0
    li t0, MSTATUS_MPRV
    csrc mstatus, t0
    j .Lm_ret

.Lm_irq:
    la t1, irq_rec
    sd t0, IR_CAUSE(t1)
    csrr t2, mepc
    sd t2, IR_EPC(t1)
    csrr t2, mstatus
    sd t2, IR_STATUS(t1)
    ld t2, IR_COUNT(t1)
    addi t5, t2, 1
    sd t5, IR_COUNT(t1)
    li t5, 8
    bgeu t2, t5, 1f
    slli t2, t2, 3
    add t2, t2, t1
    sd t0, IR_LIST(t2)
1:
    slli t0, t0, 1
    srli t0, t0, 1              /* interrupt number */
    li t1, IRQ_M_SOFT
    bne t0, t1, 2f
    li t1, CLINT_MSIP
    sw zero, 0(t1)
    j .Lm_ret
2:  li t1, IRQ_M_TIMER
    bne t0, t1, 3f
    li t1, CLINT_MTIMECMP
    li t2, -1
    sd t2, 0(t1)
    j .Lm_ret
3:  li t1, IRQ_S_SOFT
    bne t0, t1, 4f
    csrci mip, MIP_SSIP
    j .Lm_ret
4:  li t1, IRQ_S_TIMER
    bne t0, t1, 5f
    li t1, MIP_STIP
    csrc mip, t1
    j .Lm_ret
5:  li t1, IRQ_S_EXT
    bne t0, t1, test_fail
    li t1, MIP_SEIP
    csrc mip, t1

.Lm_ret:
    csrr t6, mscratch
    ld t0, SV_T0(t6)
    ld t1, SV_T1(t6)
    ld t2, SV_T2(t6)
    ld t5, SV_T5(t6)
    ld t6, SV_T6(t6)
    mret

/* Supervisor-mode trap handler (used when traps are delegated).
 * Exceptions: recorded in s_trap_rec; if armed (ARM_STRAP) continue at the
 * resume address in S-mode, otherwise fail.  Interrupts: recorded in
 * s_irq_rec; SSIP is cleared; return to the interrupted instruction. */
    .align 6
    .globl s_trap_vector
s_trap_vector:
    csrrw t6, sscratch, t6
    sd t0, SV_T0(t6)
    sd t1, SV_T1(t6)
    sd t2, SV_T2(t6)
    sd t5, SV_T5(t6)
    csrr t0, sscratch
    sd t0, SV_T6(t6)
    csrw sscratch, t6

    csrr t0, scause
    bltz t0, .Ls_irq

    la t1, s_trap_rec
    sd t0, TR_CAUSE(t1)
    csrr t2, sepc
    sd t2, TR_EPC(t1)
    csrr t2, stval
    sd t2, TR_TVAL(t1)
    csrr t2, sstatus
    sd t2, TR_STATUS(t1)
    ld t2, TR_COUNT(t1)
    addi t2, t2, 1
    sd t2, TR_COUNT(t1)
    ld t2, TR_RESUME(t1)
    beqz t2, test_fail
    sd zero, TR_RESUME(t1)
    csrw sepc, t2
    li t0, MSTATUS_SPP
    csrs sstatus, t0
    j .Ls_ret

.Ls_irq:
    la t1, s_irq_rec
    sd t0, IR_CAUSE(t1)
    csrr t2, sepc
    sd t2, IR_EPC(t1)
    csrr t2, sstatus
    sd t2, IR_STATUS(t1)
    ld t2, IR_COUNT(t1)
    addi t5, t2, 1
    sd t5, IR_COUNT(t1)
    li t5, 8
    bgeu t2, t5, 1f
    slli t2, t2, 3
    add t2, t2, t1
    sd t0, IR_LIST(t2)
1:
    slli t0, t0, 1
    srli t0, t0, 1
    li t1, IRQ_S_SOFT
    bne t0, t1, test_fail
    csrci sip, MIP_SSIP

.Ls_ret:
    csrr t6, sscratch
    ld t0, SV_T0(t6)
    ld t1, SV_T1(t6)
    ld t2, SV_T2(t6)
    ld t5, SV_T5(t6)
    ld t6, SV_T6(t6)
    sret

    .globl test_pass
test_pass:
    li t6, 1
    la t5, tohost
    sd t6, 0(t5)
1:  j 1b

    .globl test_fail
test_fail:
    bnez gp, 1f
    li gp, 255
1:  slli t6, gp, 1
    ori t6, t6, 1
    la t5, tohost
    sd t6, 0(t5)
2:  j 2b

/* ---- HTIF mailbox ---------------------------------------------------- */
    .section .tohost, "aw", @progbits
    .align 6
    .globl tohost
    .type tohost, @object
    .size tohost, 8
tohost: .dword 0
    .globl fromhost
    .type fromhost, @object
    .size fromhost, 8
fromhost: .dword 0

/* ---- runtime data ----------------------------------------------------- */
    .section .data
    .align 6
    .globl trap_rec, s_trap_rec, irq_rec, s_irq_rec, m_save, s_save
trap_rec:   .zero 64
s_trap_rec: .zero 64
irq_rec:    .zero 128
s_irq_rec:  .zero 128
m_save:     .zero 64
s_save:     .zero 64

    .section .bss
    .align 4
__tabvm_stack:
    .zero 4096
__tabvm_stack_top:

/* ---- test body follows ------------------------------------------------ */
    .text
    .globl test_body
test_body:

#endif /* TABVM_ISA_TEST_H */
