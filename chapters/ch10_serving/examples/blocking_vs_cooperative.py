"""Ten greenlets wait 100 ms each: time.sleep blocks the thread, gevent.sleep yields it."""
import time

import gevent
from gevent import monkey

WAITERS, SECONDS = 10, 0.1


def run(sleep) -> float:
    start = time.perf_counter()
    gevent.joinall([gevent.spawn(sleep, SECONDS) for _ in range(WAITERS)])
    return time.perf_counter() - start


print(f"{WAITERS} greenlets x {SECONDS * 1000:.0f} ms")
print(f"  time.sleep  (blocks the whole thread):     {run(time.sleep):.2f} s")
print(f"  gevent.sleep (yields to the hub):          {run(gevent.sleep):.2f} s")
# Monkey-patching swaps time.sleep (and socket, ssl, threading...) for gevent's versions.
# Done this late it only works for modules that look the function up at call time.
monkey.patch_time()
print(f"  time.sleep after monkey.patch_time():      {run(time.sleep):.2f} s")
