// `tabvm --elf FILE.elf`: runs a bare-metal RISC-V test program on the Wasm build of the core,
// with the same HTIF conventions and exit statuses as the native build/native/tabvm-elf.
import { readFileSync } from 'node:fs';
import { instantiateModule, readCString } from '../shared/wasm_module.js';
import { createJitHost } from '../shared/jit_host.js';

export const EXIT = { PASS: 0, FAIL: 1, BAD_INPUT: 2, TIMEOUT: 3 };
const HTIF = { RUNNING: 0, PASS: 1, FAIL: 2 };

export async function runElf({ path, timeoutSeconds = 60, memMiB = 64, quiet = false, wasmPath }) {
  let elf;
  try {
    elf = readFileSync(path);
  } catch (e) {
    process.stderr.write(`tabvm: cannot open ${path}: ${e.code === 'ENOENT' ? 'no such file' : e.message}\n`);
    return EXIT.BAD_INPUT;
  }
  // The module also holds the Linux machine; its host functions are unused by the ELF runner
  // (the HTIF machine keeps its own time) but must be there to link.
  const jit = createJitHost({ sync: true });
  const { exports: m, memory } = await instantiateModule(readFileSync(wasmPath), {
    initialBytes: (memMiB + 32) * 1024 * 1024,
    imports: {
      host_time_us: () => performance.now() * 1000,
      host_console_putchar: (ch) => process.stdout.write(Uint8Array.of(ch)),
      host_system_reset: () => {},
      host_notify: () => {}, // no device workers here
      host_wall_ms: () => Date.now(),
      ...jit.imports,
    },
  });
  jit.attach(m, memory, m.tvm_elf_jit_ready);
  if (m.tvm_elf_init(memMiB) !== 0) {
    process.stderr.write(`tabvm: cannot allocate ${memMiB} MiB of guest RAM\n`);
    return EXIT.BAD_INPUT;
  }
  const buf = m.tvm_alloc(elf.length);
  new Uint8Array(memory.buffer, buf, elf.length).set(elf);
  const err = m.tvm_elf_load(buf, elf.length);
  m.tvm_free(buf);
  if (err !== 0) {
    process.stderr.write(`tabvm: ${path}: ${readCString(memory, err)}\n`);
    return EXIT.BAD_INPUT;
  }
  const start = performance.now();
  let state;
  const flushOutput = () => {
    const n = m.tvm_out_take();
    if (n) process.stdout.write(Buffer.from(new Uint8Array(memory.buffer, m.tvm_out_ptr(), n)));
  };
  while ((state = m.tvm_elf_step(1 << 22)) === HTIF.RUNNING) {
    flushOutput();
    if (performance.now() - start > timeoutSeconds * 1000) {
      process.stderr.write(`tabvm: ${path}: timeout after ${timeoutSeconds} s (pc=0x${m.tvm_elf_pc().toString(16)})\n`);
      return EXIT.TIMEOUT;
    }
  }
  flushOutput();
  if (state === HTIF.PASS) {
    if (!quiet) process.stderr.write(`tabvm: ${path}: pass (${m.tvm_elf_instret()} instructions)\n`);
    return EXIT.PASS;
  }
  const code = m.tvm_elf_exit_code();
  if (code === 0xffffffffffffffffn) process.stderr.write(`tabvm: ${path}: hart asleep in WFI with no wake-up source\n`);
  else process.stderr.write(`tabvm: ${path}: FAIL: test ${code}\n`);
  return EXIT.FAIL;
}
