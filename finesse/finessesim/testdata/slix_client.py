#!/usr/bin/python3
"""Interop probe for the Finesse simulator using slixmpp (an independent,
standard XMPP client). Usage:

    slix_client.py HOST PORT DOMAIN USER PASSWORD {starttls|tls} CAFILE

It connects, authenticates (SASL PLAIN), binds resource "slix", sends initial
presence, prints "READY", waits for one pub-sub event message and prints
"NODE <node>" and "UPDATE <unescaped notification text>", then disconnects.
Exits 2 on failure or after 20 s.
"""
import asyncio
import sys

import slixmpp
from slixmpp.xmlstream.handler import Callback
from slixmpp.xmlstream.matcher import MatchXPath

EVENT_NS = "http://jabber.org/protocol/pubsub#event"
PUBSUB_NS = "http://jabber.org/protocol/pubsub"


class Probe(slixmpp.ClientXMPP):
    def __init__(self, jid, password, cafile):
        super().__init__(jid, password)
        self.ssl_context.load_verify_locations(cafile)
        self.ok = False
        self.add_event_handler("session_start", self.on_start)
        self.add_event_handler("failed_auth", self.on_fail)
        self.register_handler(Callback(
            "finesse event",
            MatchXPath("{jabber:client}message/{%s}event" % EVENT_NS),
            self.on_event))

    async def on_start(self, _):
        self.send_presence(ppriority=0)
        await self.get_roster()
        print("READY", flush=True)

    def on_fail(self, _):
        print("AUTH FAILED", flush=True)
        self.disconnect()

    def on_event(self, msg):
        items = msg.xml.find("{%s}event/{%s}items" % (EVENT_NS, EVENT_NS))
        note = items.find("{%s}item/{%s}notification" % (EVENT_NS, PUBSUB_NS))
        print("NODE " + items.get("node"), flush=True)
        print("UPDATE " + (note.text or ""), flush=True)
        self.ok = True
        self.disconnect()


def main():
    host, port, domain, user, password, mode, cafile = sys.argv[1:8]
    xmpp = Probe("%s@%s/slix" % (user, domain), password, cafile)
    xmpp.connect((host, int(port)), use_ssl=(mode == "tls"),
                 force_starttls=(mode == "starttls"))
    loop = asyncio.get_event_loop()
    try:
        loop.run_until_complete(asyncio.wait_for(xmpp.disconnected, 20))
    except asyncio.TimeoutError:
        print("TIMEOUT", flush=True)
    sys.exit(0 if xmpp.ok else 2)


if __name__ == "__main__":
    main()
