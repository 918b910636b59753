/* Publishes COUNT wRPC-shaped invocations as fast as one cnats connection can:
 *   {lattice}.component-{i % 8}.wrpc.0.0.1.wasi:http/incoming-handler@0.2.0.handle
 * with the headers a wRPC client sends (source-id, link-name), a unique reply inbox
 * (_INBOX.bench.{i}) and a 48-byte binary payload. Nobody answers.
 * Prints one line: "published=N start_ns=T0 end_ns=T1" (CLOCK_REALTIME, after the final flush).
 *
 *   publisher NATS_URL LATTICE COUNT
 */
#include <nats/nats.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s NATS_URL LATTICE COUNT\n", argv[0]);
        return 2;
    }
    const char *url = argv[1], *lattice = argv[2];
    long long count = atoll(argv[3]);
    natsConnection *nc = NULL;
    natsStatus s = natsConnection_ConnectTo(&nc, url);
    if (s != NATS_OK) {
        fprintf(stderr, "publisher: connect: %s\n", natsStatus_GetText(s));
        return 1;
    }
    char subjects[8][256], reply[64];
    for (int i = 0; i < 8; i++)
        snprintf(subjects[i], sizeof subjects[i], "%s.component-%d.wrpc.0.0.1.wasi:http/incoming-handler@0.2.0.handle", lattice, i);
    char payload[48];
    for (int i = 0; i < 48; i++) payload[i] = (char)(i * 7);
    long long start = now_ns();
    for (long long i = 0; i < count && s == NATS_OK; i++) {
        snprintf(reply, sizeof reply, "_INBOX.bench.%lld", i);
        natsMsg *m = NULL;
        s = natsMsg_Create(&m, subjects[i % 8], reply, payload, 48);
        if (s == NATS_OK) s = natsMsgHeader_Set(m, "source-id", "bench-caller");
        if (s == NATS_OK) s = natsMsgHeader_Set(m, "link-name", "default");
        if (s == NATS_OK) s = natsConnection_PublishMsg(nc, m);
        natsMsg_Destroy(m);
    }
    if (s == NATS_OK) s = natsConnection_FlushTimeout(nc, 60000);
    long long end = now_ns();
    if (s != NATS_OK) {
        fprintf(stderr, "publisher: %s\n", natsStatus_GetText(s));
        return 1;
    }
    printf("published=%lld start_ns=%lld end_ns=%lld\n", count, start, end);
    natsConnection_Destroy(nc);
    nats_Close();
    return 0;
}
