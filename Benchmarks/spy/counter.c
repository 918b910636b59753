/* The baseline: a raw cnats subscriber on {lattice}.*.wrpc.> that only counts. Prints "ready"
 * once subscribed, then, when EXPECT messages arrived or nothing arrived for IDLE_MS after the
 * first: "received=N dropped=D first_ns=T0 last_ns=T1" (CLOCK_REALTIME; dropped = cnats' count for
 * a consumer that fell behind, with cnats' default pending limits).
 *
 *   counter NATS_URL LATTICE EXPECT IDLE_MS
 */
#include <nats/nats.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static atomic_llong received, first_ns, last_ns;

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void on_msg(natsConnection *nc, natsSubscription *sub, natsMsg *msg, void *closure) {
    (void)nc; (void)sub; (void)closure;
    long long t = now_ns();
    if (atomic_fetch_add(&received, 1) == 0) atomic_store(&first_ns, t);
    atomic_store(&last_ns, t);
    natsMsg_Destroy(msg);
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: %s NATS_URL LATTICE EXPECT IDLE_MS\n", argv[0]);
        return 2;
    }
    const char *url = argv[1], *lattice = argv[2];
    long long expect = atoll(argv[3]), idle = atoll(argv[4]) * 1000000LL;
    natsConnection *nc = NULL;
    natsSubscription *sub = NULL;
    char subject[256];
    snprintf(subject, sizeof subject, "%s.*.wrpc.>", lattice);
    natsStatus s = natsConnection_ConnectTo(&nc, url);
    if (s == NATS_OK) s = natsConnection_Subscribe(&sub, nc, subject, on_msg, NULL);
    if (s == NATS_OK) s = natsConnection_Flush(nc);
    if (s != NATS_OK) {
        fprintf(stderr, "counter: %s\n", natsStatus_GetText(s));
        return 1;
    }
    printf("ready\n");
    fflush(stdout);
    for (;;) {
        usleep(5000);
        long long n = atomic_load(&received);
        int64_t dropped = 0;
        natsSubscription_GetDropped(sub, &dropped);
        if (n + dropped >= expect) break;
        if (n > 0 && now_ns() - atomic_load(&last_ns) > idle) break;
    }
    int64_t dropped = 0;
    natsSubscription_GetDropped(sub, &dropped);
    printf("received=%lld dropped=%lld first_ns=%lld last_ns=%lld\n", (long long)atomic_load(&received), (long long)dropped,
           (long long)atomic_load(&first_ns), (long long)atomic_load(&last_ns));
    natsSubscription_Destroy(sub);
    natsConnection_Destroy(nc);
    nats_Close();
    return 0;
}
