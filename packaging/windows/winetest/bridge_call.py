#!/usr/bin/env python3
"""bridge_call.py PORT TOKEN CONTROL_URL: drives the bridge of the AgentLink
running under Wine the way a local program does, over a minimal standard-
library WebSocket client: Hello, Connect, SetState READY, then a call
injected at the simulator's control API is answered with Answer through the
bridge, and the simulator must report it active. Exits non-zero on any
failure; every wait has a deadline (socket timeout)."""
import base64, json, os, socket, struct, sys, time, urllib.request

port, token, control = int(sys.argv[1]), sys.argv[2], sys.argv[3]
s = socket.create_connection(("127.0.0.1", port), timeout=30)
key = base64.b64encode(os.urandom(16)).decode()
s.sendall((f"GET /v1/bridge HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
           f"Authorization: Bearer {token}\r\n\r\n").encode())
head = b""
while b"\r\n\r\n" not in head:
    head += s.recv(1)
if b" 101 " not in head.split(b"\r\n")[0]:
    sys.exit(f"bridge refused the WebSocket: {head.decode(errors='replace')}")
buf = b""

def recv_exact(n):
    global buf
    while len(buf) < n:
        chunk = s.recv(65536)
        if not chunk:
            sys.exit("bridge closed the connection")
        buf += chunk
    out, buf = buf[:n], buf[n:]
    return out

def recv():
    b0, b1 = recv_exact(2)
    n = b1 & 0x7F
    if n == 126:
        n = struct.unpack(">H", recv_exact(2))[0]
    elif n == 127:
        n = struct.unpack(">Q", recv_exact(8))[0]
    data = recv_exact(n)
    if b0 & 0x0F == 8:
        sys.exit(f"bridge closed: {data!r}")
    return json.loads(data) if b0 & 0x0F == 1 else None

def send(msg):
    data = json.dumps(msg).encode()
    mask = os.urandom(4)
    n = len(data)
    hdr = bytes([0x81]) + (bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + struct.pack(">H", n))
    s.sendall(hdr + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

def call(rid, cmd, args=None, on_event=None):
    send({"id": rid, "cmd": cmd, "args": args or {}})
    while True:
        m = recv()
        if m is None:
            continue
        if m.get("id") == rid:
            if not m.get("ok"):
                sys.exit(f"{cmd} failed: {m}")
            return m["result"]
        if on_event:
            on_event(m)

call("h", "Hello")
call("c", "Connect", {"agentId": "1001"})
call("r", "SetState", {"state": "READY"})
req = urllib.request.Request(control + "/calls", method="POST",
                             data=json.dumps({"agentId": "1001", "ani": "4085550100", "dnis": "8000"}).encode())
dialog = json.load(urllib.request.urlopen(req, timeout=30))["dialogId"]
deadline = time.time() + 30
while True:  # the ringing call reaches the bridge as a Dialog event
    m = recv()
    if m and m.get("event") == "Dialog" and dialog in json.dumps(m.get("data")):
        break
    if time.time() > deadline:
        sys.exit("no Dialog event for the injected call")
call("a", "Answer", {"dialogId": dialog})
dialogs = json.dumps(json.load(urllib.request.urlopen(control + "/dialogs", timeout=30)))
if dialog not in dialogs or "ACTIVE" not in dialogs:
    sys.exit(f"the simulator does not show call {dialog} active: {dialogs}")
print(f"call {dialog} answered through the bridge")
