/* test.h - tiny check helpers for the device unit tests: CHECK macros that count passes and
 * failures, and test_report() that prints exactly "N passed, M failed" and gives the exit
 * status (non-zero on any failure). One translation unit per test program includes it. */
#ifndef DEVICES_TEST_H
#define DEVICES_TEST_H

#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

static unsigned test_passed, test_failed;
static const char *test_case = "";

/* Names the group of checks that follows, for failure messages. */
#define TEST_CASE(name) (test_case = (name))

#define CHECK(cond) test_check_((cond) != 0, #cond, __FILE__, __LINE__)
#define CHECK_EQ(got, want)                                                                        \
    test_check_eq_((uint64_t)(got), (uint64_t)(want), #got, #want, __FILE__, __LINE__)

static inline int test_fail_print_(void)
{
    /* The first failures are the useful ones; later ones are usually consequences. */
    return ++test_failed <= 60;
}

static inline int test_check_(int ok, const char *expr, const char *file, int line)
{
    if (ok) {
        test_passed++;
        return 1;
    }
    if (test_fail_print_()) printf("FAIL %s:%d [%s] %s\n", file, line, test_case, expr);
    return 0;
}

static inline int test_check_eq_(uint64_t got, uint64_t want, const char *g, const char *w,
                                 const char *file, int line)
{
    if (got == want) {
        test_passed++;
        return 1;
    }
    if (test_fail_print_())
        printf("FAIL %s:%d [%s] %s == %s: got %#llx, want %#llx\n", file, line, test_case, g, w,
               (unsigned long long)got, (unsigned long long)want);
    return 0;
}

/* Call first: a test that loops forever is killed (SIGALRM) instead of hanging the build. */
static inline void test_start(void) { alarm(60); }

/* Prints the summary line; the return value is the program's exit status. */
static inline int test_report(void)
{
    printf("%u passed, %u failed\n", test_passed, test_failed);
    return test_failed ? 1 : 0;
}

#endif
