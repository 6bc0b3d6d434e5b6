#!/usr/bin/env node
// Random RV64GC bare-metal programs for the JIT's differential fuzzer (fuzz.js): assembly for the
// GNU assembler, linked with the ISA suite's link.ld. Every seed gives the same program. Each
// program runs bounded loops of random instructions in M, S or U mode (Sv39), survives every
// exception through an M-mode handler that folds mcause/mtval into a hash and skips the
// instruction, logs its integer registers at each loop iteration (diff.js compares the logs),
// and ends by writing 1 to tohost.
//
//   node cpu/riscv/tests/jit/gen.js SEED > prog.s

// Registers the random code never writes: ra (calls), sp, gp (checkpoint log pointer), tp (the
// handler's save area), s10 (loop counter), s11 (data base, the middle of three data pages).
const FREE = [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 28, 29, 30, 31];
const DATA_BASE = 's11';
const MASK64 = (1n << 64n) - 1n;

/** A small fast PRNG (sfc32), seeded through splitmix32 so nearby seeds differ. */
function rng(seed) {
  let s = seed >>> 0;
  const mix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = mix(), b = mix(), c = mix(), d = mix();
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  const r = {
    u32: next,
    int: (n) => Math.floor(next() / 2 ** 32 * n), // 0..n-1
    range: (lo, hi) => lo + r.int(hi - lo + 1),
    pick: (arr) => arr[r.int(arr.length)],
    chance: (p) => next() / 2 ** 32 < p,
    u64: () => (BigInt(next()) << 32n) | BigInt(next()),
  };
  return r;
}

// Integer values that find edge cases: zero, ones, the signed limits, 32-bit boundaries.
const EDGE = [0n, 1n, 2n, MASK64, MASK64 - 1n, 1n << 63n, (1n << 63n) - 1n, 0x80000000n, 0x7fffffffn,
  0xffffffffn, 0xffffffff80000000n, 0x100000000n, 63n, 64n, 31n, 32n, 0x8000n, 0xffffn];
// Bit patterns for F and D: signed zeros, infinities, quiet and signalling NaNs, subnormals,
// extremes, ones; singles are NaN-boxed, and some deliberately are not.
const FP_D = [0n, 1n << 63n, 0x7ff0000000000000n, 0xfff0000000000000n, 0x7ff8000000000000n,
  0x7ff4000000000000n, 0x0000000000000001n, 0x000fffffffffffffn, 0x7fefffffffffffffn,
  0x3ff0000000000000n, 0xbff0000000000000n, 0x4340000000000000n, 0x43e0000000000000n,
  0xc3e0000000000000n, 0x41dfffffffc00000n, 0x3fe0000000000000n];
const FP_S = [0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7fa00000, 1, 0x007fffff, 0x7f7fffff,
  0x3f800000, 0xbf800000, 0x4b000000, 0x5f000000, 0xdf000000, 0x4effffff, 0x3f000000];

const RM = ['rne', 'rtz', 'rdn', 'rup', 'rmm', 'dyn'];
const hex = (v) => `0x${BigInt.asUintN(64, BigInt(v)).toString(16)}`;

export function generate(seed) {
  const r = rng(seed);
  const mode = r.pick(['M', 'M', 'S', 'U']);
  const out = [];
  const emit = (s) => out.push(`    ${s}`);
  let label = 0;
  const fresh = () => `.L${label++}`;
  const x = () => `x${r.pick(FREE)}`;
  // Registers x8..x15 more often, so that the assembler picks compressed forms.
  const xc = () => (r.chance(0.4) ? `x${r.range(8, 15)}` : x());
  const f = () => `f${r.int(32)}`;
  const rm = () => (r.chance(0.5) ? '' : `, ${r.pick(RM)}`);
  const imm12 = () => r.range(-2048, 2047);
  const value = () => (r.chance(0.6) ? r.pick(EDGE) : r.chance(0.5) ? r.u64() : BigInt(r.range(-300, 300)));
  // Addresses a load or store reaches beside the data pages, by mode: unmapped, just below RAM
  // (an access across the start of RAM), the CLINT, and the 0x40000000 window of test pages
  // (read-only, execute-only, invalid, an alias of the data pages) that exists under Sv39.
  const paging = mode !== 'M';
  const CLINT = paging ? 0x40004000 : 0x2000000; // msip page; mtimecmp +0x4000 (+1 page), mtime +0xbff8
  const clint = (off) => (paging ? CLINT + (off >> 12 === 0 ? 0 : off >> 12 === 4 ? 0x1000 : 0x2000) + (off & 0xfff) : CLINT + off);
  const oddAddr = () => r.pick([0x0, 0x1000, 0x7ffffffc, 0x10000000, 0x40000000 + r.int(0x4000),
    0x40003ff9, 0x40000ffc, 0xfffffff8]);

  const ld = ['lb', 'lh', 'lw', 'ld', 'lbu', 'lhu', 'lwu'];
  const st = ['sb', 'sh', 'sw', 'sd'];
  const width = { lb: 1, lbu: 1, sb: 1, lh: 2, lhu: 2, sh: 2, lw: 4, lwu: 4, sw: 4, flw: 4, fsw: 4, ld: 8, sd: 8, fld: 8, fsd: 8 };
  const dataOff = (w) => {
    // Mostly aligned; some misaligned, some across the page boundary at s11 (offset 0).
    if (r.chance(0.15)) return -r.range(1, 7);
    const o = imm12();
    return r.chance(0.7) ? o & ~(w - 1) : o;
  };

  const R_OPS = ['add', 'sub', 'sll', 'slt', 'sltu', 'xor', 'srl', 'sra', 'or', 'and', 'addw', 'subw',
    'sllw', 'srlw', 'sraw', 'mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu', 'mulw', 'divw',
    'divuw', 'remw', 'remuw'];
  const I_OPS = ['addi', 'slti', 'sltiu', 'xori', 'ori', 'andi', 'addiw'];
  const SH_OPS = [['slli', 63], ['srli', 63], ['srai', 63], ['slliw', 31], ['srliw', 31], ['sraiw', 31]];
  const AMO = ['amoswap', 'amoadd', 'amoxor', 'amoand', 'amoor', 'amomin', 'amomax', 'amominu', 'amomaxu'];
  const F_RR = ['fadd', 'fsub', 'fmul', 'fdiv'];
  const F_NR = ['fmin', 'fmax', 'fsgnj', 'fsgnjn', 'fsgnjx'];
  const F_R4 = ['fmadd', 'fmsub', 'fnmadd', 'fnmsub'];
  const CVT_INT = ['w', 'wu', 'l', 'lu'];

  const gens = [
    // integer
    [12, () => emit(`${r.pick(R_OPS)} ${xc()}, ${xc()}, ${xc()}`)],
    [6, () => emit(`${r.pick(I_OPS)} ${xc()}, ${xc()}, ${imm12()}`)],
    [4, () => { const [op, max] = r.pick(SH_OPS); emit(`${op} ${xc()}, ${xc()}, ${r.range(0, max)}`); }],
    [2, () => emit(`${r.pick(['lui', 'auipc'])} ${x()}, ${r.int(1 << 20)}`)],
    [3, () => emit(`li ${xc()}, ${hex(value())}`)],
    [2, () => { // the division edge cases: by zero, INT_MIN / -1 (also in the W forms)
      const a = x(), b = x();
      const w = r.chance(0.5);
      emit(`li ${a}, ${w ? hex(0xffffffff80000000n) : hex(1n << 63n)}`);
      emit(`li ${b}, ${r.pick([-1, 0])}`);
      emit(`${r.pick(w ? ['divw', 'divuw', 'remw', 'remuw'] : ['div', 'divu', 'rem', 'remu'])} ${x()}, ${a}, ${b}`);
    }],
    // memory
    [8, () => { const op = r.pick(ld); emit(`${op} ${xc()}, ${dataOff(width[op])}(${DATA_BASE})`); }],
    [8, () => { const op = r.pick(st); emit(`${op} ${xc()}, ${dataOff(width[op])}(${DATA_BASE})`); }],
    [2, () => { const a = x(); emit(`li ${a}, ${hex(oddAddr())}`); emit(`${r.pick([...ld, ...st])} ${x()}, ${r.range(-8, 8)}(${a})`); }],
    [2, () => { // the CLINT: mtime, mtimecmp set far in the future, msip
      const a = x();
      const pick = r.int(4);
      if (pick === 0) { emit(`li ${a}, ${hex(clint(0xbff8))}`); emit(`${r.pick(['ld', 'lw'])} ${x()}, 0(${a})`); }
      if (pick === 1) { const v = x(); emit(`li ${v}, ${hex((1n << 62n) + BigInt(r.u32()))}`); emit(`li ${a}, ${hex(clint(0x4000))}`); emit(`sd ${v}, 0(${a})`); }
      if (pick === 2) { emit(`li ${a}, ${hex(clint(0x4000))}`); emit(`ld ${x()}, 0(${a})`); }
      if (pick === 3) { const v = x(); emit(`li ${v}, ${r.int(2)}`); emit(`li ${a}, ${hex(clint(0))}`); emit(`sw ${v}, 0(${a})`); emit(`lw ${x()}, 0(${a})`); }
    }],
    [3, () => { // AMOs, sometimes misaligned
      const a = x(), w = r.pick(['w', 'd']);
      const off = r.chance(0.1) ? imm12() : imm12() & ~7;
      emit(`addi ${a}, ${DATA_BASE}, ${off}`);
      emit(`${r.pick(AMO)}.${w}${r.pick(['', '.aq', '.rl', '.aqrl'])} ${x()}, ${x()}, (${a})`);
    }],
    [2, () => { // LR/SC, sometimes with a store or another address in between
      const a = x(), w = r.pick(['w', 'd']);
      emit(`addi ${a}, ${DATA_BASE}, ${imm12() & ~7}`);
      emit(`lr.${w} ${x()}, (${a})`);
      if (r.chance(0.3)) emit(`sd ${x()}, ${imm12() & ~7}(${DATA_BASE})`);
      if (r.chance(0.2)) emit(`addi ${a}, ${a}, ${r.pick([8, 16, -8])}`);
      const rd = x();
      emit(`sc.${w} ${rd}, ${x()}, (${a})`);
    }],
    // floating point
    [8, () => { const p = r.pick(['s', 'd']); emit(`${r.pick(F_RR)}.${p} ${f()}, ${f()}, ${f()}${rm()}`); }],
    [3, () => { const p = r.pick(['s', 'd']); emit(`${r.pick(F_NR)}.${p} ${f()}, ${f()}, ${f()}`); }],
    [3, () => { const p = r.pick(['s', 'd']); emit(`${r.pick(F_R4)}.${p} ${f()}, ${f()}, ${f()}, ${f()}${rm()}`); }],
    [2, () => emit(`fsqrt.${r.pick(['s', 'd'])} ${f()}, ${f()}${rm()}`)],
    [3, () => emit(`${r.pick(['feq', 'flt', 'fle'])}.${r.pick(['s', 'd'])} ${x()}, ${f()}, ${f()}`)],
    [1, () => emit(`fclass.${r.pick(['s', 'd'])} ${x()}, ${f()}`)],
    [3, () => emit(`fcvt.${r.pick(CVT_INT)}.${r.pick(['s', 'd'])} ${x()}, ${f()}${rm()}`)],
    [3, () => { // int -> double from 32 bits is exact: the assembler takes no rounding mode there
    const p = r.pick(['s', 'd']), i = r.pick(CVT_INT);
    emit(`fcvt.${p}.${i} ${f()}, ${x()}${p === 'd' && i.startsWith('w') ? '' : rm()}`);
  }],
    [1, () => emit(r.chance(0.5) ? `fcvt.s.d ${f()}, ${f()}${rm()}` : `fcvt.d.s ${f()}, ${f()}`)],
    [3, () => emit(r.pick([`fmv.x.w ${x()}, ${f()}`, `fmv.w.x ${f()}, ${x()}`, `fmv.x.d ${x()}, ${f()}`, `fmv.d.x ${f()}, ${x()}`]))],
    [2, () => { const v = x(); emit(r.chance(0.5) ? `li ${v}, ${hex(r.pick(FP_D))}` : `li ${v}, ${hex(r.pick(FP_S))}`); emit(`fmv.${r.chance(0.5) ? 'd' : 'w'}.x ${f()}, ${v}`); }],
    [3, () => { const op = r.pick(['flw', 'fld', 'fsw', 'fsd']); emit(`${op} ${f()}, ${dataOff(width[op])}(${DATA_BASE})`); }],
    [2, () => emit(r.pick([`csrwi frm, ${r.chance(0.8) ? r.int(5) : r.range(5, 7)}`, `fsrm ${x()}, ${x()}`, `csrr ${x()}, fflags`, `fsflags ${x()}`,
      `csrwi fflags, ${r.int(32)}`, `csrr ${x()}, fcsr`, `csrw fcsr, ${x()}`, `csrrs ${x()}, fflags, ${x()}`,
      `csrrci ${x()}, frm, ${r.int(8)}`]))],
    // CSRs, counters, fences, exceptions
    [2, () => emit(r.pick([`csrrw ${x()}, mscratch, ${x()}`, `csrrs ${x()}, mscratch, ${x()}`, `csrrc ${x()}, sscratch, ${x()}`,
      `csrrw ${x()}, sscratch, ${x()}`, `csrr ${x()}, mscratch`, `csrrwi ${x()}, sscratch, ${r.int(32)}`]))],
    [2, () => emit(`csrr ${x()}, ${r.pick(['instret', 'cycle', 'time', 'minstret', 'mcycle', 'mhartid', 'misa'])}`)],
    [1, () => { // mstatus.FS (Off makes FP instructions illegal until it is set again), MXR, SUM
      const v = x(), csr = mode === 'M' ? r.pick(['mstatus', 'sstatus']) : 'sstatus';
      const fs = r.chance(0.25) ? 0 : r.range(1, 3);
      emit(`li ${v}, ${hex(3 << 13)}`);
      emit(`csrc ${csr}, ${v}`);
      emit(`li ${v}, ${hex((fs << 13) | (r.chance(0.3) ? 1 << 19 : 0) | (r.chance(0.3) ? 1 << 18 : 0))}`);
      emit(`csrs ${csr}, ${v}`);
      if (r.chance(0.5)) { emit(`li ${v}, ${hex(3 << 18)}`); emit(`csrc ${csr}, ${v}`); }
    }],
    [1, () => emit(r.pick(['fence', 'fence.i', 'fence rw, rw', 'sfence.vma', 'ecall', 'ebreak', '.half 0x9002', // c.ebreak, also inside .option norvc
      '.word 0', '.word 0xffffffff', '.half 0', `csrr ${x()}, 0x7c0`, 'wfi', 'sret', 'mret'].filter((i) =>
      // wfi with nothing enabled would sleep forever in M and S; xret would leave the loop
      !((i === 'wfi' && mode !== 'U') || (i === 'sret' && mode !== 'U') || (i === 'mret' && mode !== 'U')))))],
  ];
  const total = gens.reduce((s, [w]) => s + w, 0);
  const randomOp = () => {
    let k = r.int(total);
    for (const [w, g] of gens) if ((k -= w) < 0) return g();
  };

  // Leaf functions the loops call: some on other pages, one whose first 32-bit instruction
  // straddles a page boundary.
  const nFn = r.range(2, 6);
  const fnBody = () => {
    const n = r.range(1, 12);
    for (let i = 0; i < n; i++) randomOp();
    emit('ret');
  };
  const callOp = () => {
    const k = r.int(nFn + 2);
    if (k < nFn) {
      if (r.chance(0.5)) emit(`call fn${k}`);
      else { const a = x(); emit(`la ${a}, fn${k}`); emit(`jalr ra, 0(${a})`); }
    } else if (k === nFn) { emit('call fn_straddle'); } else {
      // A call to where nothing can be fetched (or, under Sv39, to the execute-only page): the
      // handler resumes at ra.
      const a = x();
      emit(`li ${a}, ${hex(r.pick([0x1000, 0x40001000, 0x40002000, 0x40000000, 0x90000000]))}`);
      emit(`jalr ra, 0(${a})`);
    }
  };

  // Loops: a counter in s10, a body of random instructions with forward branches over parts of
  // it and calls, a checkpoint of the registers at the end of each iteration.
  const loops = [];
  let iterations = 0;
  const nLoops = r.range(3, 6);
  for (let l = 0; l < nLoops; l++) {
    const iters = r.range(2, 50);
    iterations += iters;
    const body = [];
    const saved = out.length;
    const n = r.range(8, 60);
    for (let i = 0; i < n; i++) {
      const k = r.int(100);
      if (k < 6) {
        const skip = fresh();
        emit(`${r.pick(['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu'])} ${x()}, ${x()}, ${skip}`);
        for (let j = r.range(1, 4); j > 0; j--) randomOp();
        out.push(`${skip}:`);
      } else if (k < 10) callOp();
      else randomOp();
    }
    body.push(...out.splice(saved));
    loops.push({ iters, body, site: l });
  }

  const prologue = [];
  for (const n of FREE) prologue.push(`    li x${n}, ${hex(value())}`);
  for (let i = 0; i < 32; i++) {
    const boxed = r.chance(0.85);
    prologue.push(`    li t0, ${hex(boxed ? r.pick(FP_D) : (0xffffffff00000000n | BigInt(r.pick(FP_S))))}`);
    prologue.push(`    fmv.d.x f${i}, t0`);
  }
  for (const n of FREE) prologue.push(`    li x${n}, ${hex(value())}`);

  const text = [];
  const push = (...l) => text.push(...l);
  push(`# generated by cpu/riscv/tests/jit/gen.js, seed ${seed}, mode ${mode}`, '.option norelax', '.option nopic');
  // Under S, the test pages are user pages half the time: reachable only with sstatus.SUM.
  push(...RUNTIME(mode, iterations + 1, mode === 'U' || (mode === 'S' && r.chance(0.5))));
  push('test_body:', ...prologue, `    csrw frm, zero`, `    csrw fflags, zero`);
  push(...ENTER(mode));
  for (const { iters, body, site } of loops) {
    const top = fresh();
    push(`    li s10, ${iters}`, `${top}:`, ...body, `    CKPT ${site}`, '    addi s10, s10, -1', `    bnez s10, ${top}`);
  }
  push('    CKPT 99', '    li t0, 1', '    la t1, tohost', '    sd t0, 0(t1)', '1:  j 1b');
  for (let k = 0; k < nFn; k++) {
    if (r.chance(0.5)) push('    .balign 4096');
    push(`fn${k}:`);
    const saved = out.length;
    fnBody();
    push(...out.splice(saved));
  }
  push('    .balign 4096', '    .skip 4094', '    .option push', '    .option norvc', 'fn_straddle:');
  const saved = out.length;
  fnBody();
  push(...out.splice(saved), '    .option pop');
  return `${text.join('\n')}\n`;
}

/** Start-up, handler, checkpoints, data, page tables: everything but the random code. */
function RUNTIME(mode, logEntries, userPages) {
  const U = userPages ? 1 << 4 : 0;
  return `
.macro CKPT site
    .irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    sd x\\n, (\\n * 8)(gp)
    .endr
    li t0, \\site
    sd t0, 0(gp)
    addi gp, gp, 256
    la t0, difflog_ptr
    sd gp, 0(t0)
    ld t0, (5 * 8 - 256)(gp)
.endm
.macro PTE table, index, target, flags
    la t0, \\target
    srli t0, t0, 12
    slli t0, t0, 10
    ori t0, t0, \\flags
    la t1, \\table
    sd t0, (\\index * 8)(t1)
.endm
.macro PTE_PA table, index, pa, flags
    li t0, ((\\pa >> 12) << 10) | \\flags
    la t1, \\table
    sd t0, (\\index * 8)(t1)
.endm

    .section .text.init, "ax", @progbits
    .globl _start
_start:
    la t0, skip_trap
    csrw mtvec, t0
    li t0, -1
    csrw pmpaddr0, t0
    li t0, 0x1f
    csrw pmpcfg0, t0
    la t0, m_trap
    csrw mtvec, t0
    csrw medeleg, zero
    csrw mideleg, zero
    csrw mie, zero
    li t0, 7
    csrw mcounteren, t0
    csrw scounteren, t0
    li t0, ${1 << 13}
    csrw mstatus, t0
    la tp, trap_area
    la gp, difflog
    la s11, data + 4096
    ${mode === 'M' ? '' : `
    PTE_PA root, 2, 0x80000000, ${0xcf | (mode === 'U' ? 0x10 : 0)}
    PTE root, 1, l1, 1
    PTE l1, 0, l0, 1
    PTE l0, 0, data_ro, ${0x43 | U}
    PTE l0, 1, xpage, ${0x49 | U}
    PTE l0, 3, data, ${0xc7 | U}
    PTE_PA l0, 4, 0x2000000, ${0xc7 | U}
    PTE_PA l0, 5, 0x2004000, ${0xc7 | U}
    PTE_PA l0, 6, 0x200b000, ${0xc7 | U}
    la t0, root
    srli t0, t0, 12
    li t1, 8 << 60
    or t0, t0, t1
    csrw satp, t0
    sfence.vma`}
    j test_body

    .align 2
skip_trap:                      # a PMP CSR that traps is skipped
    csrr t0, mepc
    addi t0, t0, 4
    csrw mepc, t0
    mret

# Every exception ends here: count it, fold mcause and mtval into a hash, skip the instruction
# (2 or 4 bytes; code runs where its virtual and physical addresses agree), or return to ra
# after a failed fetch. An interrupt is never enabled, so it fails the program.
    .align 6
m_trap:
    sd t0, 0(tp)
    sd t1, 8(tp)
    sd t2, 16(tp)
    csrr t0, mcause
    bltz t0, m_trap_fail
    ld t1, 24(tp)
    addi t1, t1, 1
    sd t1, 24(tp)
    ld t1, 32(tp)
    slli t2, t1, 5
    add t1, t1, t2
    xor t1, t1, t0
    csrr t2, mtval
    add t1, t1, t2
    sd t1, 32(tp)
    sd t0, 40(tp)
    sd t2, 48(tp)
    beqz t0, 2f
    li t1, 1
    beq t0, t1, 2f
    li t1, 12
    beq t0, t1, 2f
    csrr t0, mepc
    lhu t1, 0(t0)
    andi t1, t1, 3
    addi t0, t0, 2
    li t2, 3
    bne t1, t2, 1f
    addi t0, t0, 2
1:  csrw mepc, t0
    j 3f
2:  csrw mepc, ra
3:  ld t0, 0(tp)
    ld t1, 8(tp)
    ld t2, 16(tp)
    mret
m_trap_fail:
    li t0, 3
    la t1, tohost
    sd t0, 0(t1)
1:  j 1b

    .section .tohost, "aw", @progbits
    .align 6
    .globl tohost
tohost: .dword 0
    .globl fromhost
fromhost: .dword 0

    .data
    .balign 4096
    .globl difflog_ptr
difflog_ptr: .dword 0
trap_area: .zero 64
    .balign 4096
data:                           # three pages of varied bytes; s11 points at the second
    .rept 1536
    .dword 0x0123456789abcdef, 0xfedcba9876543210
    .endr
data_ro:
    .rept 256
    .dword 0x8000000000000000, 0x7ff8000000000001
    .endr

    .bss
    .balign 4096
root: .zero 4096
l1: .zero 4096
l0: .zero 4096
    .globl difflog
difflog: .zero ${256 * logEntries}

    .text
    .balign 4096
xpage:                          # the execute-only page at 0x40001000 under Sv39
    addi x5, x5, 1
    ret
    .balign 4096
`.split('\n');
}

/** From M-mode into the program's mode (mstatus.MPP, mret), or straight on in M. */
function ENTER(mode) {
  if (mode === 'M') return [];
  return ['    li t0, 0x1800', '    csrc mstatus, t0', `    li t0, ${mode === 'S' ? 0x800 : 0}`, '    csrs mstatus, t0',
    '    la t0, 1f', '    csrw mepc, t0', '    mret', '1:'];
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
  const seed = Number(process.argv[2] ?? 1);
  process.stdout.write(generate(seed));
}
