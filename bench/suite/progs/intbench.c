/* The integer workload: a CPU-bound mix of what compilers, interpreters and compressors do —
 * a sieve (byte stores, strided loops), CRC-32 by table (loads, shifts), quicksort of LCG data
 * (compares, unpredictable branches, recursion), an open-addressing hash table (multiplies,
 * probing), and 64-bit multiply/divide. Prints one checksum and exits 1 unless it equals the
 * value the host build computed (EXPECTED, below): a guest that computes wrong answers fails
 * the benchmark instead of reporting a speed. Static glibc, built for riscv64 and the host. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define EXPECTED 0x85a4fe4a5dab77c4ull /* the host build's output (x86-64, gcc -O2) */
#define ROUNDS 4

static uint64_t mix(uint64_t h, uint64_t v) { return (h ^ v) * 0x100000001b3ull; }

static uint32_t lcg_state = 12345;
static uint32_t lcg(void) { return lcg_state = lcg_state * 1664525u + 1013904223u; }

static uint64_t sieve(void)
{
    enum { N = 1 << 20 };
    static uint8_t composite[N];
    uint64_t count = 0, sum = 0;
    for (int i = 0; i < N; i++)
        composite[i] = 0;
    for (int i = 2; i < N; i++) {
        if (composite[i]) continue;
        count++;
        sum += (uint64_t)i;
        for (int j = 2 * i; j < N; j += i)
            composite[j] = 1;
    }
    return count * 1000003u + sum;
}

static uint64_t crc(void)
{
    static uint32_t table[256];
    static uint8_t buf[1 << 18];
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xedb88320u & -(c & 1));
        table[i] = c;
    }
    for (unsigned i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)(lcg() >> 24);
    uint32_t c = 0xffffffffu;
    for (int pass = 0; pass < 4; pass++)
        for (unsigned i = 0; i < sizeof buf; i++)
            c = table[(c ^ buf[i]) & 0xff] ^ (c >> 8);
    return ~c;
}

static void quicksort(uint32_t *a, long lo, long hi)
{
    while (lo < hi) {
        uint32_t p = a[lo + (hi - lo) / 2];
        long i = lo, j = hi;
        while (i <= j) {
            while (a[i] < p)
                i++;
            while (a[j] > p)
                j--;
            if (i <= j) {
                uint32_t t = a[i];
                a[i++] = a[j];
                a[j--] = t;
            }
        }
        if (j - lo < hi - i) {
            quicksort(a, lo, j);
            lo = i;
        } else {
            quicksort(a, i, hi);
            hi = j;
        }
    }
}

static uint64_t sort(void)
{
    enum { N = 200000 };
    static uint32_t a[N];
    for (int i = 0; i < N; i++)
        a[i] = lcg();
    quicksort(a, 0, N - 1);
    uint64_t h = 0;
    for (int i = 1; i < N; i++) {
        if (a[i - 1] > a[i]) return 0; /* not sorted: the checksum cannot match */
        if (i % 1000 == 0) h = mix(h, a[i]);
    }
    return h;
}

static uint64_t hashtable(void)
{
    enum { SLOTS = 1 << 17, INSERTS = 90000 };
    static uint64_t keys[SLOTS];
    static uint32_t vals[SLOTS];
    for (int i = 0; i < SLOTS; i++)
        keys[i] = 0;
    uint64_t found = 0;
    for (int i = 0; i < INSERTS; i++) {
        uint64_t k = ((uint64_t)lcg() << 32 | lcg()) % 150000 + 1; /* repeats: updates too */
        uint32_t s = (uint32_t)((k * 0x9e3779b97f4a7c15ull) >> 47);
        while (keys[s] && keys[s] != k)
            s = (s + 1) & (SLOTS - 1);
        if (keys[s]) found++;
        keys[s] = k;
        vals[s] += (uint32_t)i;
    }
    uint64_t h = found;
    for (int i = 0; i < SLOTS; i += 7)
        h = mix(h, keys[i] + vals[i]);
    return h;
}

static uint64_t muldiv(void)
{
    uint64_t x = 0x123456789abcdefull, acc = 0;
    for (int i = 1; i < 400000; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        acc += x / (uint64_t)(i | 1) + x % 1000003u;
        acc ^= (uint64_t)((int64_t)x >> 17) / 3;
    }
    return acc;
}

int main(void)
{
    uint64_t h = 0;
    for (int r = 0; r < ROUNDS; r++) {
        h = mix(h, sieve());
        h = mix(h, crc());
        h = mix(h, sort());
        h = mix(h, hashtable());
        h = mix(h, muldiv());
    }
    printf("intbench checksum %016llx\n", (unsigned long long)h);
    if (h != EXPECTED) {
        printf("intbench: WRONG (expected %016llx)\n", (unsigned long long)EXPECTED);
        return 1;
    }
    return 0;
}
