#!/usr/bin/env python3
"""Benchmarks/sim-stall.sh's run: simstall.py BIN RAWSYNC SECONDS WORKDIR [PERF_FILE]."""
import glob, os, signal, socket, subprocess, sys, threading, time

BIN, RAW, SECONDS, WORK = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
PERF = sys.argv[5] if len(sys.argv) > 5 and sys.argv[5] else None
HOSTS = 10000


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def task_ns(pid):
    """CPU time of every thread the process has now (a thread that ended takes its time with it)."""
    total = 0
    for f in glob.glob(f"/proc/{pid}/task/*/schedstat"):
        try: total += int(open(f).read().split()[0])
        except (OSError, ValueError): pass
    return total


port = free_port(); url = f"nats://127.0.0.1:{port}"
open(f"{WORK}/nats.conf", "w").write(f'listen: 127.0.0.1:{port}\nmax_payload: 8MB\n')
nats = subprocess.Popen(["nats-server", "-c", f"{WORK}/nats.conf"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
time.sleep(1)
started = time.monotonic()
sim = subprocess.Popen([BIN, "sim", "--nats-url", url, "--lattice", "default", "--hosts", str(HOSTS), "--processes", "2",
                        "--scale", f"{HOSTS * 5},{HOSTS * 2},{HOSTS * 2}", "--rate", "20", "--no-wadm", "--host-seed", "14"],
                       stdout=open(f"{WORK}/sim.out", "w"), stderr=open(f"{WORK}/sim.err", "w"), start_new_session=True)
try:
    while f"simulating {HOSTS} host(s)" not in open(f"{WORK}/sim.out").read():
        if sim.poll() is not None: sys.exit("the simulator ended: " + open(f"{WORK}/sim.err").read())
        time.sleep(0.1)
    children = [int(p) for p in subprocess.run(["pgrep", "-P", str(sim.pid)], capture_output=True, text=True).stdout.split()]
    print(f"simulator up after {time.monotonic() - started:.1f} s, processes {children}", flush=True)
    perf = subprocess.Popen(["perf", "record", "-F", "499", "-g", "-o", PERF, "-p", ",".join(map(str, children))],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) if PERF else None
    cpu, stop = [], threading.Event()

    def sample():
        last = [task_ns(p) for p in children]
        while not stop.wait(1):
            now = [task_ns(p) for p in children]
            cpu.append((time.monotonic() - started, [max(0, (a - b) // 1_000_000) for a, b in zip(now, last)]))
            last = now

    sampler = threading.Thread(target=sample); sampler.start()
    rounds = []
    end = time.monotonic() + SECONDS
    while time.monotonic() < end:
        at = time.monotonic() - started
        line = subprocess.run([RAW, url, "default", str(HOSTS), "2000", "60000"], capture_output=True, text=True).stdout.strip()
        fields = dict(f.split("=") for f in line.split())
        rounds.append((at, float(fields.get("pings_ms", -1)), float(fields.get("inventories_ms", -1))))
        print(f"round at {at:6.1f} s: pings {rounds[-1][1]:.1f} ms, inventories {rounds[-1][2]:.1f} ms", flush=True)
        time.sleep(3)
    stop.set(); sampler.join()
    if perf: perf.send_signal(signal.SIGINT); perf.wait()
    print("CPU of each simulator process, ms a second (s since its start: …):")
    for i in range(0, len(cpu), 6):
        print("  " + "  ".join(f"{t:5.1f}: {'/'.join(map(str, c))}" for t, c in cpu[i:i + 6]))
    later = rounds[1:]
    slow = [r for r in later if r[1] > 2000 or r[1] < 0]
    fine = [r[1] for r in later if r not in slow]
    # After the first round: the start (deploying the workload, encoding every host once) is not a stall.
    settled = rounds[1][0] if len(rounds) > 1 else 0
    busiest = max((max(c) for t, c in cpu if t > settled), default=0)
    print(f"SIM-STALL {HOSTS} hosts in 2 processes over {SECONDS} s: {len(slow)} of {len(later)} ping rounds after the first over 2 s"
          + (f" ({', '.join(f'{r[1]:.0f}' for r in slow)} ms)" if slow else "")
          + (f"; the others {min(fine):.0f}–{max(fine):.0f} ms" if fine else "")
          + f"; the first round {rounds[0][1]:.0f} ms; after it, the busiest second of a process {busiest} ms of CPU")
finally:
    os.killpg(sim.pid, signal.SIGTERM)
    nats.terminate()
