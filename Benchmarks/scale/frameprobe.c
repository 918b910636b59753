/* The baseline of the live frame times: what this machine does to a fixed piece of work the size
 * of a dashboard frame, measured the way the dashboard measures its frames, while the dashboard
 * runs beside it (Benchmarks/scale.sh runs it during the live phase).
 *
 * Every PERIOD_MS (33: the dashboard's 30 frames a second) it does the same work — reads and
 * writes spread over a 64 KiB buffer (in the processor's own caches, so its CPU time stays the same whatever else runs), calibrated at start to take WORK_MS of this thread's CPU
 * time — and prints, for each piece of work, one line:
 *   MS WALL_MS CPU_MS MINFLT NVCSW NIVCSW
 * MS: boot-clock milliseconds at its end (the dashboard's stats file counts from its own start;
 * scale.sh aligns the two by the boot clock); WALL_MS: its wall time (CLOCK_MONOTONIC); CPU_MS:
 * this thread's CPU time (CLOCK_THREAD_CPUTIME_ID, as the dashboard's `cpu_ms`); then the
 * thread's minor page faults and voluntary / involuntary context switches during it
 * (getrusage(RUSAGE_THREAD)). The work is the same every time, so a wall time above its CPU time
 * is the machine's, not the work's.
 *
 *   frameprobe SECONDS [WORK_MS=1.5] [PERIOD_MS=33]
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define BUFFER_BYTES (64u << 10)

static double clock_ms(clockid_t id) {
    struct timespec ts;
    clock_gettime(id, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ITERATIONS dependent reads and writes at pseudo-random places in the buffer. */
static uint64_t work(uint64_t *buffer, long iterations, uint64_t seed) {
    const uint64_t mask = BUFFER_BYTES / sizeof(uint64_t) - 1;
    uint64_t x = seed;
    for (long i = 0; i < iterations; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        uint64_t j = (x >> 17) & mask;
        buffer[j] += x;
        x ^= buffer[(j * 7) & mask];
    }
    return x;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: frameprobe SECONDS [WORK_MS=1.5] [PERIOD_MS=33]\n");
        return 2;
    }
    double seconds = atof(argv[1]);
    double work_ms = argc > 2 ? atof(argv[2]) : 1.5;
    double period_ms = argc > 3 ? atof(argv[3]) : 33;
    uint64_t *buffer = calloc(BUFFER_BYTES / sizeof(uint64_t), sizeof(uint64_t));
    if (!buffer) return 1;
    uint64_t sink = 0;
    /* Every page written once, so that no read finds the shared zero page. */
    memset(buffer, 1, BUFFER_BYTES);

    /* Calibration: the least CPU time per iteration over a few tries (the least disturbed). */
    long probe = 50000;
    double best = 1e9;
    for (int t = 0; t < 20; t++) {
        double c0 = clock_ms(CLOCK_THREAD_CPUTIME_ID);
        sink += work(buffer, probe, (uint64_t)t);
        double per = (clock_ms(CLOCK_THREAD_CPUTIME_ID) - c0) / probe;
        if (per > 0 && per < best) best = per;
    }
    long iterations = (long)(work_ms / best);
    if (iterations < 1) iterations = 1;
    fprintf(stderr, "frameprobe: %ld iterations ≈ %.2f ms of CPU, every %.0f ms, for %.0f s\n", iterations,
            iterations * best, period_ms, seconds);

    struct timespec next;
    clock_gettime(CLOCK_MONOTONIC, &next);
    double end = clock_ms(CLOCK_MONOTONIC) + seconds * 1e3;
    for (uint64_t n = 0; clock_ms(CLOCK_MONOTONIC) < end; n++) {
        struct rusage r0, r1;
        getrusage(RUSAGE_THREAD, &r0);
        double w0 = clock_ms(CLOCK_MONOTONIC), c0 = clock_ms(CLOCK_THREAD_CPUTIME_ID);
        sink += work(buffer, iterations, n);
        double c1 = clock_ms(CLOCK_THREAD_CPUTIME_ID), w1 = clock_ms(CLOCK_MONOTONIC);
        getrusage(RUSAGE_THREAD, &r1);
        printf("%.3f %.3f %.3f %ld %ld %ld\n", clock_ms(CLOCK_BOOTTIME), w1 - w0, c1 - c0, r1.ru_minflt - r0.ru_minflt,
               r1.ru_nvcsw - r0.ru_nvcsw, r1.ru_nivcsw - r0.ru_nivcsw);
        long ns = next.tv_nsec + (long)(period_ms * 1e6);
        next.tv_sec += ns / 1000000000L;
        next.tv_nsec = ns % 1000000000L;
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
    }
    fprintf(stderr, "frameprobe: done (%llu)\n", (unsigned long long)(sink & 1));
    return 0;
}
