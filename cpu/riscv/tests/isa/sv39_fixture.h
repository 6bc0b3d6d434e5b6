/* The pages and page tables the Sv39 tests map: an execute-only code page, two data pages with
 * known contents, and one table per level. Included at the end of sv39*.S. */
    .text
    .balign 4096
xpage:                                  /* mapped at VA + 0x2000 (execute only) */
    li a0, 0x77
    ret
    .balign 4096

    .data
    .balign 4096
page_a:
    .dword 0xaaaaaaaa00000000, 0xaaaaaaaa00000001, 0, 0
    .balign 4096
page_b:
    .dword 0xbbbbbbbb00000000, 0xbbbbbbbb00000001, 0, 0
    .balign 4096

    .bss
    .balign 4096
root: .zero 4096
l1:   .zero 4096
l0:   .zero 4096
