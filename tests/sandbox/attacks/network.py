"""Connect to a loopback listener the grader opened, and to the outside world."""
import socket


def attack(port, **ctx):
    reached = []
    for host, p in (("127.0.0.1", port), ("localhost", port), ("10.0.2.2", 80),
                    ("1.1.1.1", 53), ("8.8.8.8", 53)):
        try:
            with socket.create_connection((host, p), timeout=0.3):
                reached.append(f"{host}:{p}")
        except OSError:
            pass
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.sendto(b"x", ("127.0.0.1", port))
        reached.append("udp sendto")
    except OSError:
        pass
    with open("/proc/net/dev") as f:
        interfaces = [line.split(":")[0].strip() for line in f.readlines()[2:]]
    return {"reached": reached, "interfaces": interfaces}
