#!/usr/bin/env python3
"""Prints a TCP port free on every address now, and the one after it (the fleet listens on
both), so that two checkouts, or the demo beside the tests, can run at once (the kernel
picks it; a fixed number would collide). Used by tests/integration/lib.sh and scripts/demo.sh."""
import socket

while True:
    a = socket.socket()
    a.bind(("0.0.0.0", 0))
    p = a.getsockname()[1]
    b = socket.socket()
    try:
        b.bind(("0.0.0.0", p + 1))
    except OSError:
        continue
    print(p)
    break
