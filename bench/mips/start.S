# Entry for bare-metal benchmark programs: a stack, then main(); its return value goes to tohost
# as the HTIF exit status (0 = pass).
    .section .text.init
    .globl _start
_start:
    la sp, __stack_top
    li t0, 0x6000          # mstatus.FS = dirty: the programs may use floating point
    csrs mstatus, t0
    call main
    slli a0, a0, 1
    ori a0, a0, 1
    la t0, tohost
    sd a0, 0(t0)
1:  j 1b

    .section .tohost, "aw", @progbits
    .align 6
    .globl tohost
tohost: .dword 0
    .size tohost, 8
    .globl fromhost
fromhost: .dword 0
    .size fromhost, 8

    .bss
    .align 4
    .space 65536
__stack_top:
