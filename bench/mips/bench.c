/* A CPU-bound mix for the interpreter's speed in guest MIPS: integer arithmetic and branches
 * (sieve, CRC-32), memory traffic (matrix multiply), and calls (recursive Fibonacci). Returns 0
 * when every kernel computes its known result, so a wrong fast path cannot report a speed. */
#include <stdint.h>

#define N_SIEVE 65536
#define N_MAT 48

static uint8_t sieve_buf[N_SIEVE];
static uint32_t ma[N_MAT][N_MAT], mb[N_MAT][N_MAT], mc[N_MAT][N_MAT];

static int sieve(void)
{
    int count = 0;
    for (int i = 0; i < N_SIEVE; i++)
        sieve_buf[i] = 1;
    for (int i = 2; i < N_SIEVE; i++) {
        if (!sieve_buf[i]) continue;
        count++;
        for (int j = i + i; j < N_SIEVE; j += i)
            sieve_buf[j] = 0;
    }
    return count;
}

static uint32_t crc32(const uint8_t *p, int n)
{
    uint32_t c = 0xffffffffu;
    for (int i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xedb88320u & -(c & 1));
    }
    return ~c;
}

static uint32_t matmul(void)
{
    for (int i = 0; i < N_MAT; i++)
        for (int j = 0; j < N_MAT; j++) {
            ma[i][j] = (uint32_t)(i * 3 + j);
            mb[i][j] = (uint32_t)(i ^ j);
        }
    for (int i = 0; i < N_MAT; i++)
        for (int j = 0; j < N_MAT; j++) {
            uint32_t s = 0;
            for (int k = 0; k < N_MAT; k++)
                s += ma[i][k] * mb[k][j];
            mc[i][j] = s;
        }
    uint32_t sum = 0;
    for (int i = 0; i < N_MAT; i++)
        for (int j = 0; j < N_MAT; j++)
            sum = sum * 31 + mc[i][j];
    return sum;
}

static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

/* Known answers, computed by the same kernels compiled for the host. */
#define SIEVE_PRIMES 6542
#define SIEVE_CRC 0x09c13f4bu
#define MATMUL_SUM 0xa3c3d400u
#define FIB20 6765
#define ROUNDS 40

int main(void)
{
    for (int round = 0; round < ROUNDS; round++) {
        if (sieve() != SIEVE_PRIMES) return 1;
        if (crc32(sieve_buf, N_SIEVE) != SIEVE_CRC) return 2;
        if (matmul() != MATMUL_SUM) return 3;
        if (fib(20) != FIB20) return 4;
    }
    return 0;
}
