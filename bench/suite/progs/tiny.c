/* The two smallest programs of the benchmark, without a C library so one source builds for
 * every guest ISA (riscv64, i386) and the host (x86-64) with no cross libc:
 *   -DTINY_TRUE: exits 0 at once: the binary the fork+exec workload starts 300 times (a few
 *                hundred bytes, so the figure is process creation, not loading a libc);
 *   -DTINY_NOW:  prints CLOCK_MONOTONIC in nanoseconds: the guest-side clock the workloads are
 *                timed with (busybox's `date` has no %N and `time` only 10 ms resolution). */
#if defined(__riscv)
#define SYS_write 64
#define SYS_exit 93
#define SYS_clock_gettime 113
static long sys3(long n, long a, long b, long c)
{
    register long a0 __asm__("a0") = a, a1 __asm__("a1") = b, a2 __asm__("a2") = c;
    register long a7 __asm__("a7") = n;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
    return a0;
}
#elif defined(__x86_64__)
#define SYS_write 1
#define SYS_exit 60
#define SYS_clock_gettime 228
static long sys3(long n, long a, long b, long c)
{
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
    return r;
}
#elif defined(__i386__)
#define SYS_write 4
#define SYS_exit 1
#define SYS_clock_gettime 265 /* 32-bit timespec: fine for a monotonic clock */
static long sys3(long n, long a, long b, long c)
{
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(n), "b"(a), "c"(b), "d"(c) : "memory");
    return r;
}
#else
#error "no syscall glue for this architecture"
#endif

#define CLOCK_MONOTONIC 1

__attribute__((noreturn)) static void sys_exit(int code)
{
    for (;;)
        sys3(SYS_exit, code, 0, 0);
}

#ifdef TINY_NOW
struct ts {
    long sec, nsec;
};
static void now(void)
{
    struct ts t;
    if (sys3(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&t, 0) != 0) sys_exit(1);
    /* seconds, then nine digits of nanoseconds: no 64-bit division (i386 would need libgcc) */
    char buf[32];
    int i = sizeof buf;
    unsigned long v = (unsigned long)t.nsec;
    buf[--i] = '\n';
    for (int k = 0; k < 9; k++, v /= 10)
        buf[--i] = (char)('0' + v % 10);
    v = (unsigned long)t.sec;
    do {
        buf[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    sys3(SYS_write, 1, (long)(buf + i), (long)(sizeof buf - i));
}
#endif

/* The stack is 16-byte aligned at the entry point on all three; nothing here needs more. */
__attribute__((used)) void tiny_main(void)
{
#ifdef TINY_NOW
    now();
#endif
    sys_exit(0);
}

#if defined(__riscv)
__asm__(".globl _start\n_start:\n .option push\n .option norelax\n la gp, __global_pointer$\n"
        " .option pop\n call tiny_main\n");
#elif defined(__x86_64__)
__asm__(".globl _start\n_start:\n xor %rbp, %rbp\n and $-16, %rsp\n call tiny_main\n");
#else
__asm__(".globl _start\n_start:\n xor %ebp, %ebp\n and $-16, %esp\n call tiny_main\n");
#endif
