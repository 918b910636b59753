/* The baseline of the first full picture: a raw cnats client doing the protocol's minimum, as
 * `wash get inventory` does (wasmCloud 1.x): one `host.ping` broadcast to
 * wasmbus.ctl.v1.{lattice}.host.ping with a reply inbox, and for each host as its ping reply
 * arrives one `host.get.{id}` request with a second inbox. It counts the successful replies and
 * decodes nothing but each ping reply's host ID.
 *
 * Prints one line when EXPECT inventories are in (or after TIMEOUT_MS):
 *   pinged=P inventories=I pings_ms=A inventories_ms=B complete_ms=C
 * A and B: ms from this process's start (from /proc/self/stat, as the dashboard's
 * LATTICETOP_STATS does) until the EXPECT-th ping reply / inventory; C = max(B, the end of a
 * WINDOW_MS ping window opened at the ping), what a client that does not know the host count
 * needs before it can call its picture complete.
 *
 *   rawsync NATS_URL LATTICE EXPECT WINDOW_MS [TIMEOUT_MS=120000]
 */
#include <nats/nats.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static atomic_llong pinged, inventories, pings_done_ns, inventories_done_ns;
static long long expect;
static natsConnection *nc;
static char get_prefix[256], inventory_inbox[128];

static long long boot_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_BOOTTIME, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Boot-clock time at which this process started (field 22 of /proc/self/stat). */
static long long process_start_ns(void) {
    char buf[4096];
    FILE *f = fopen("/proc/self/stat", "r");
    if (!f) return boot_ns();
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *p = strrchr(buf, ')');
    if (!p) return boot_ns();
    p += 2; /* field 3 */
    for (int field = 3; field < 22 && p; field++) {
        p = strchr(p, ' ');
        if (p) p++;
    }
    if (!p) return boot_ns();
    return atoll(p) * (1000000000LL / sysconf(_SC_CLK_TCK));
}

static void on_ping(natsConnection *c, natsSubscription *sub, natsMsg *msg, void *closure) {
    (void)c; (void)sub; (void)closure;
    const char *data = natsMsg_GetData(msg);
    const char *id = data ? strstr(data, "\"id\":\"") : NULL;
    if (id) {
        id += 6;
        const char *end = strchr(id, '"');
        if (end && end - id < 100) {
            char subject[512];
            snprintf(subject, sizeof subject, "%s%.*s", get_prefix, (int)(end - id), id);
            natsConnection_PublishRequest(nc, subject, inventory_inbox, NULL, 0);
            if (atomic_fetch_add(&pinged, 1) + 1 == expect) atomic_store(&pings_done_ns, boot_ns());
        }
    }
    natsMsg_Destroy(msg);
}

static void on_inventory(natsConnection *c, natsSubscription *sub, natsMsg *msg, void *closure) {
    (void)c; (void)sub; (void)closure;
    const char *data = natsMsg_GetData(msg);
    if (data && strstr(data, "\"success\":true")) {
        if (atomic_fetch_add(&inventories, 1) + 1 == expect) atomic_store(&inventories_done_ns, boot_ns());
    }
    natsMsg_Destroy(msg);
}

int main(int argc, char **argv) {
    long long started = process_start_ns();
    if (argc < 5) {
        fprintf(stderr, "usage: %s NATS_URL LATTICE EXPECT WINDOW_MS [TIMEOUT_MS]\n", argv[0]);
        return 2;
    }
    const char *url = argv[1], *lattice = argv[2];
    expect = atoll(argv[3]);
    long long window = atoll(argv[4]) * 1000000LL, timeout = (argc > 5 ? atoll(argv[5]) : 120000) * 1000000LL;
    natsSubscription *pings = NULL, *invs = NULL;
    char ping_subject[256], ping_inbox[128];
    snprintf(ping_subject, sizeof ping_subject, "wasmbus.ctl.v1.%s.host.ping", lattice);
    snprintf(get_prefix, sizeof get_prefix, "wasmbus.ctl.v1.%s.host.get.", lattice);
    natsOptions *opts = NULL;
    natsStatus s = natsOptions_Create(&opts);
    if (s == NATS_OK) s = natsOptions_SetURL(opts, url);
    if (s == NATS_OK) s = natsOptions_SetName(opts, "rawsync");
    if (s == NATS_OK) s = natsConnection_Connect(&nc, opts);
    if (s == NATS_OK) {
        natsInbox *a = NULL, *b = NULL;
        natsInbox_Create(&a);
        natsInbox_Create(&b);
        snprintf(ping_inbox, sizeof ping_inbox, "%s", a);
        snprintf(inventory_inbox, sizeof inventory_inbox, "%s", b);
        natsInbox_Destroy(a);
        natsInbox_Destroy(b);
    }
    if (s == NATS_OK) s = natsConnection_Subscribe(&pings, nc, ping_inbox, on_ping, NULL);
    if (s == NATS_OK) s = natsConnection_Subscribe(&invs, nc, inventory_inbox, on_inventory, NULL);
    /* No pending limits: this client never drops (the dashboard's subscriptions hold 100,000). */
    if (s == NATS_OK) s = natsSubscription_SetPendingLimits(pings, -1, -1);
    if (s == NATS_OK) s = natsSubscription_SetPendingLimits(invs, -1, -1);
    if (s == NATS_OK) s = natsConnection_Flush(nc);
    long long pinged_at = boot_ns();
    if (s == NATS_OK) s = natsConnection_PublishRequest(nc, ping_subject, ping_inbox, NULL, 0);
    if (s == NATS_OK) s = natsConnection_Flush(nc);
    if (s != NATS_OK) {
        fprintf(stderr, "rawsync: %s\n", natsStatus_GetText(s));
        return 1;
    }
    while (atomic_load(&inventories) < expect && boot_ns() - pinged_at < timeout) usleep(1000);
    long long done = atomic_load(&inventories_done_ns);
    long long complete = done ? (done > pinged_at + window ? done : pinged_at + window) : 0;
    long long pd = atomic_load(&pings_done_ns);
    printf("pinged=%lld inventories=%lld pings_ms=%.1f inventories_ms=%.1f complete_ms=%.1f\n", (long long)atomic_load(&pinged),
           (long long)atomic_load(&inventories), pd ? (pd - started) / 1e6 : -1.0, done ? (done - started) / 1e6 : -1.0,
           complete ? (complete - started) / 1e6 : -1.0);
    natsSubscription_Destroy(pings);
    natsSubscription_Destroy(invs);
    natsConnection_Destroy(nc);
    natsOptions_Destroy(opts);
    nats_Close();
    return done ? 0 : 1;
}
