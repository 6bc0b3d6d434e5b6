/* RISC-V board (see rv_virt.h): bus dispatch, interrupt routing, device tree and boot. */
#include "rv_virt.h"

#include <string.h>

#include "../../shared/fdt.h"
#include "../../shared/tvm_layout.h"
#include "rv_defs.h"

/* Linux RISC-V Image header (Documentation/riscv/boot-image-header.rst). */
#define IMAGE_MAGIC2_OFFSET 0x38
#define IMAGE_MAGIC2 "RSC\x05"
#define IMAGE_SIZE_OFFSET 0x10
#define IMAGE_HEADER_SIZE 0x40

#define PHANDLE_CPU_INTC 1
#define PHANDLE_PLIC 2

/* One dispatch for reads and writes: the PLIC, then the virtio-mmio slots. */
static bool bus_access(rv_virt_t *v, uint64_t paddr, unsigned size, uint64_t *val, bool write)
{
    bool ok;
    uint64_t off = paddr - VIRT_VIRTIO_BASE;
    if (paddr - VIRT_PLIC_BASE < PLIC_SIZE) {
        uint64_t reg = paddr - VIRT_PLIC_BASE;
        ok = write ? plic_write(&v->plic, reg, size, *val) : plic_read(&v->plic, reg, size, val);
    } else if (v->has_uart && paddr - VIRT_UART_BASE < UART16550_SIZE) {
        uint64_t reg = paddr - VIRT_UART_BASE;
        ok = write ? uart16550_write(&v->uart, reg, size, *val)
                   : uart16550_read(&v->uart, reg, size, val);
        /* Whether input should come here (the guest enabled receive interrupts). */
        __atomic_store_n(&v->machine[TVM_M_UART_RX_ON], uart16550_rx_enabled(&v->uart),
                         __ATOMIC_SEQ_CST);
    } else if (v->has_rtc && paddr - VIRT_RTC_BASE < GOLDFISH_RTC_SIZE) {
        uint64_t reg = paddr - VIRT_RTC_BASE;
        ok = write ? goldfish_rtc_write(&v->rtc, reg, size, *val)
                   : goldfish_rtc_read(&v->rtc, reg, size, val);
    } else if (off < (uint64_t)v->n_virtio * VIRTIO_MMIO_SLOT_SIZE) {
        virtio_mmio_t *t = &v->virtio[off / VIRTIO_MMIO_SLOT_SIZE];
        uint64_t reg = off % VIRTIO_MMIO_SLOT_SIZE;
        ok = write ? virtio_mmio_write(t, reg, size, *val) : virtio_mmio_read(t, reg, size, val);
        if (!write) return ok; /* reading a transport never moves an interrupt line */
    } else {
        return false;
    }
    /* A PLIC claim or completion, or an InterruptACK, may have changed what the hart should
     * see: have it look again. */
    __atomic_fetch_add(&v->machine[TVM_M_IRQ_SEQ], 1, __ATOMIC_SEQ_CST);
    return ok;
}

static bool bus_read(void *opaque, uint64_t paddr, unsigned size, uint64_t *val)
{
    return bus_access(opaque, paddr, size, val, false);
}

static bool bus_write(void *opaque, uint64_t paddr, unsigned size, uint64_t val)
{
    return bus_access(opaque, paddr, size, &val, true);
}

/* Interrupt lines to PLIC sources (slot n is source n + 1), PLIC contexts to MEIP/SEIP. */
static uint64_t irq_update(void *opaque)
{
    rv_virt_t *v = opaque;
    for (unsigned i = 0; i < v->n_virtio; i++)
        plic_set_level(&v->plic, VIRT_VIRTIO_IRQ(i), virtio_mmio_irq_level(&v->virtio[i]));
    if (v->has_rtc) plic_set_level(&v->plic, VIRT_RTC_IRQ, goldfish_rtc_irq_level(&v->rtc));
    if (v->has_uart) plic_set_level(&v->plic, VIRT_UART_IRQ, uart16550_irq_level(&v->uart));
    uint32_t out = plic_outputs(&v->plic);
    return ((out & 1) ? MIP_MEIP : 0) | ((out & 2) ? MIP_SEIP : 0);
}

static uint64_t board_time(void *opaque)
{
    rv_virt_t *v = opaque;
    return v->time_now(v->time_opaque);
}

void rv_virt_init(rv_virt_t *v, rv_cpu_t *cpu, const rv_virt_config_t *cfg)
{
    memset(v, 0, sizeof *v);
    v->cpu = cpu;
    v->ram = cfg->ram;
    v->ram_size = cfg->ram_size;
    v->machine = cfg->machine_block;
    v->n_virtio = cfg->n_virtio > VIRT_VIRTIO_SLOTS ? VIRT_VIRTIO_SLOTS : cfg->n_virtio;
    plic_reset(&v->plic);
    v->has_rtc = cfg->wall_ns != NULL;
    if (v->has_rtc) goldfish_rtc_init(&v->rtc, cfg->wall_ns, cfg->opaque);
    v->has_uart = cfg->uart.tx != NULL;
    if (v->has_uart) uart16550_init(&v->uart, &cfg->uart);
    for (unsigned i = 0; i < v->n_virtio; i++)
        virtio_mmio_init(&v->virtio[i], cfg->virtio_blocks + i * TVM_V_WORDS, cfg->wake_device,
                         cfg->opaque);
    tvm_bus_t bus = {
        .ram = cfg->ram,
        .ram_base = VIRT_RAM_BASE,
        .ram_size = cfg->ram_size,
        .opaque = v,
        .mmio_read = bus_read,
        .mmio_write = bus_write,
        .time_now = board_time,
        .timebase_hz = VIRT_TIMEBASE_HZ,
        .irq_seq = &cfg->machine_block[TVM_M_IRQ_SEQ],
        .irq_update = irq_update,
        .dma_seq = cfg->dma_bitmap ? &cfg->machine_block[TVM_M_DMA_SEQ] : NULL,
        .dma_bitmap = cfg->dma_bitmap,
    };
    v->time_now = cfg->time_now;
    v->time_opaque = cfg->opaque;
    rv_cpu_init(cpu, &bus, 0);
    rv_sbi_enable(cpu, &cfg->sbi);
}

uint64_t rv_virt_initrd_offset(const rv_virt_t *v, uint64_t kernel_size, uint64_t initrd_size)
{
    uint64_t top = v->ram_size - VIRT_DTB_SPACE;
    /* Sizes come from files: compared before any sum, so none can wrap (found by fuzz_boot). */
    if (initrd_size > top || kernel_size > top) return 0;
    uint64_t kernel_end = VIRT_KERNEL_OFFSET + kernel_size;
    uint64_t off = (top - initrd_size) & ~0xfffull;
    /* Leave the kernel room for its own bss and early page tables above its image. */
    if (off < kernel_end + (16ull << 20)) return 0;
    return off;
}

void rv_virt_set_rng_seed(rv_virt_t *v, const uint8_t *seed, unsigned len)
{
    v->rng_seed_len = len < VIRT_RNG_SEED_BYTES ? len : VIRT_RNG_SEED_BYTES;
    memcpy(v->rng_seed, seed, v->rng_seed_len);
}

static size_t build_fdt(rv_virt_t *v, uint8_t *buf, size_t cap, uint64_t initrd_start,
                        uint64_t initrd_end, const char *cmdline)
{
    fdt_t f;
    char name[64];
    fdt_begin(&f, buf, cap);
    fdt_begin_node(&f, "");
    fdt_prop_u32(&f, "#address-cells", 2);
    fdt_prop_u32(&f, "#size-cells", 2);
    fdt_prop_str(&f, "compatible", "tabvm,riscv-virt");
    fdt_prop_str(&f, "model", "TabVM RISC-V");

    fdt_begin_node(&f, "chosen");
    fdt_prop_str(&f, "bootargs", cmdline);
    /* The UART is the console a kernel picks without console= and what a plain `earlycon`
     * uses; ours name hvc0 on the command line. */
    if (v->has_uart) fdt_prop_str(&f, "stdout-path", "/soc/serial@10000000");
    if (initrd_end > initrd_start) {
        fdt_prop_u64(&f, "linux,initrd-start", initrd_start);
        fdt_prop_u64(&f, "linux,initrd-end", initrd_end);
    }
    if (v->rng_seed_len) fdt_prop(&f, "rng-seed", v->rng_seed, v->rng_seed_len);
    fdt_end_node(&f);

    fdt_begin_node(&f, "memory@80000000");
    fdt_prop_str(&f, "device_type", "memory");
    uint32_t mem_reg[4] = {0, (uint32_t)VIRT_RAM_BASE, (uint32_t)(v->ram_size >> 32),
                           (uint32_t)v->ram_size};
    fdt_prop_cells(&f, "reg", mem_reg, 4);
    fdt_end_node(&f);

    fdt_begin_node(&f, "cpus");
    fdt_prop_u32(&f, "#address-cells", 1);
    fdt_prop_u32(&f, "#size-cells", 0);
    fdt_prop_u32(&f, "timebase-frequency", (uint32_t)VIRT_TIMEBASE_HZ);
    fdt_begin_node(&f, "cpu@0");
    fdt_prop_str(&f, "device_type", "cpu");
    fdt_prop_u32(&f, "reg", 0);
    fdt_prop_str(&f, "status", "okay");
    fdt_prop_str(&f, "compatible", "riscv");
    /* The ISA both ways: the string every kernel parses (multi-letter extensions after '_':
     * Linux 6.1 finds Sstc here and programs stimecmp itself instead of calling SBI for each
     * timer) and the base + extension list newer kernels prefer. The hart translates Sv39 and
     * Sv48, and Linux picks the largest it finds: say Sv48. */
    fdt_prop_str(&f, "riscv,isa", "rv64imafdc_zicntr_zicsr_zifencei_sstc");
    fdt_prop_str(&f, "riscv,isa-base", "rv64i");
    static const char isa_extensions[] = "i\0m\0a\0f\0d\0c\0zicntr\0zicsr\0zifencei\0sstc";
    fdt_prop(&f, "riscv,isa-extensions", isa_extensions, sizeof isa_extensions);
    fdt_prop_str(&f, "mmu-type", "riscv,sv48");
    fdt_begin_node(&f, "interrupt-controller");
    fdt_prop_u32(&f, "#interrupt-cells", 1);
    fdt_prop_u32(&f, "#address-cells", 0);
    fdt_prop_empty(&f, "interrupt-controller");
    fdt_prop_str(&f, "compatible", "riscv,cpu-intc");
    fdt_prop_u32(&f, "phandle", PHANDLE_CPU_INTC);
    fdt_end_node(&f);
    fdt_end_node(&f);
    fdt_end_node(&f);

    fdt_begin_node(&f, "soc");
    fdt_prop_u32(&f, "#address-cells", 2);
    fdt_prop_u32(&f, "#size-cells", 2);
    fdt_prop_str(&f, "compatible", "simple-bus");
    fdt_prop_empty(&f, "ranges");

    fdt_begin_node(&f, "plic@c000000");
    static const char plic_compat[] = "sifive,plic-1.0.0\0riscv,plic0";
    fdt_prop(&f, "compatible", plic_compat, sizeof plic_compat);
    uint32_t plic_reg[4] = {0, (uint32_t)VIRT_PLIC_BASE, 0, (uint32_t)PLIC_SIZE};
    fdt_prop_cells(&f, "reg", plic_reg, 4);
    fdt_prop_u32(&f, "#interrupt-cells", 1);
    fdt_prop_u32(&f, "#address-cells", 0);
    fdt_prop_empty(&f, "interrupt-controller");
    fdt_prop_u32(&f, "riscv,ndev", PLIC_NUM_SOURCES - 1);
    uint32_t ctx[4] = {PHANDLE_CPU_INTC, IRQ_M_EXT, PHANDLE_CPU_INTC, IRQ_S_EXT};
    fdt_prop_cells(&f, "interrupts-extended", ctx, 4);
    fdt_prop_u32(&f, "phandle", PHANDLE_PLIC);
    fdt_end_node(&f);

    if (v->has_uart) {
        fdt_begin_node(&f, "serial@10000000");
        fdt_prop_str(&f, "compatible", "ns16550a");
        uint32_t uart_reg[4] = {0, (uint32_t)VIRT_UART_BASE, 0, (uint32_t)UART16550_SIZE};
        fdt_prop_cells(&f, "reg", uart_reg, 4);
        fdt_prop_u32(&f, "clock-frequency", 3686400);
        fdt_prop_u32(&f, "interrupts", VIRT_UART_IRQ);
        fdt_prop_u32(&f, "interrupt-parent", PHANDLE_PLIC);
        fdt_end_node(&f);
    }

    if (v->has_rtc) {
        fdt_begin_node(&f, "rtc@101000");
        fdt_prop_str(&f, "compatible", "google,goldfish-rtc");
        uint32_t rtc_reg[4] = {0, (uint32_t)VIRT_RTC_BASE, 0, (uint32_t)GOLDFISH_RTC_SIZE};
        fdt_prop_cells(&f, "reg", rtc_reg, 4);
        fdt_prop_u32(&f, "interrupts", VIRT_RTC_IRQ);
        fdt_prop_u32(&f, "interrupt-parent", PHANDLE_PLIC);
        fdt_end_node(&f);
    }

    for (unsigned i = 0; i < v->n_virtio; i++) {
        if (!virtio_mmio_present(&v->virtio[i])) continue;
        uint64_t base = VIRT_VIRTIO_BASE + (uint64_t)i * VIRTIO_MMIO_SLOT_SIZE;
        /* snprintf is not available everywhere this builds: format the hex by hand. */
        char *p = name + sizeof "virtio_mmio@" - 1;
        memcpy(name, "virtio_mmio@", sizeof "virtio_mmio@" - 1);
        for (int sh = 28; sh >= 0; sh -= 4) {
            unsigned dgt = (unsigned)(base >> sh) & 15;
            if (p == name + 12 && dgt == 0 && sh) continue;
            *p++ = (char)(dgt < 10 ? '0' + dgt : 'a' + dgt - 10);
        }
        *p = 0;
        fdt_begin_node(&f, name);
        fdt_prop_str(&f, "compatible", "virtio,mmio");
        uint32_t reg[4] = {0, (uint32_t)base, 0, VIRTIO_MMIO_SLOT_SIZE};
        fdt_prop_cells(&f, "reg", reg, 4);
        fdt_prop_u32(&f, "interrupts", VIRT_VIRTIO_IRQ(i));
        fdt_prop_u32(&f, "interrupt-parent", PHANDLE_PLIC);
        fdt_end_node(&f);
    }
    fdt_end_node(&f); /* soc */
    fdt_end_node(&f); /* root */
    return fdt_finish(&f);
}

const char *rv_virt_boot(rv_virt_t *v, uint64_t kernel_size, uint64_t initrd_offset,
                         uint64_t initrd_size, const char *cmdline)
{
    const uint8_t *img = v->ram + VIRT_KERNEL_OFFSET;
    if (kernel_size < IMAGE_HEADER_SIZE || memcmp(img + IMAGE_MAGIC2_OFFSET, IMAGE_MAGIC2, 4) != 0)
        return "the kernel is not a RISC-V Linux Image (bad header magic)";
    uint64_t image_size = 0;
    for (int i = 7; i >= 0; i--)
        image_size = image_size << 8 | img[IMAGE_SIZE_OFFSET + i];
    /* Written so that no sum can wrap: image_size comes from the file. */
    if (image_size > v->ram_size || VIRT_KERNEL_OFFSET + image_size + VIRT_DTB_SPACE > v->ram_size)
        return "the kernel does not fit in guest RAM: give the machine more memory";
    uint64_t top = v->ram_size - VIRT_DTB_SPACE;
    if (initrd_size && (initrd_offset < VIRT_KERNEL_OFFSET + image_size || initrd_offset > top ||
                        initrd_size > top - initrd_offset))
        return "the initrd overlaps the kernel or the device tree";
    uint64_t dtb_off = v->ram_size - VIRT_DTB_SPACE;
    size_t n = build_fdt(v, v->ram + dtb_off, VIRT_DTB_SPACE, VIRT_RAM_BASE + initrd_offset,
                         VIRT_RAM_BASE + initrd_offset + initrd_size, cmdline);
    if (!n) return "the device tree does not fit (command line too long?)";
    rv_flush_code(v->cpu);
    rv_boot_supervisor(v->cpu, VIRT_RAM_BASE + VIRT_KERNEL_OFFSET, VIRT_RAM_BASE + dtb_off);
    return NULL;
}
