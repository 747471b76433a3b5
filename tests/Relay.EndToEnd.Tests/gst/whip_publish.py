#!/usr/bin/python3
"""Publish a VP8 test pattern to a WHIP endpoint (RFC 9725) with GStreamer's webrtcbin.

Debian's GStreamer has no whipsink, so this does what it would: webrtcbin makes the offer, the
offer goes out once ICE gathering is complete (no trickle), the answer is set, and the pattern
streams for --duration seconds. Then the WHIP resource is deleted.

Exit status: 0 streamed and connected; 1 the WHIP request failed; 2 no connection; 3 a
pipeline error. --offer-out keeps the offer as sent (for the negotiation test data).
"""
import argparse
import sys
import urllib.error
import urllib.parse
import urllib.request

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstSdp", "1.0")
gi.require_version("GstWebRTC", "1.0")
gi.require_version("Nice", "0.1")
from gi.repository import GLib, Gst, GstSdp, GstWebRTC, Nice  # noqa: E402

PIPELINE = (
    "videotestsrc is-live=true pattern={pattern} "
    "! video/x-raw,width=640,height=480,framerate=30/1 ! videoconvert "
    "! vp8enc deadline=1 cpu-used=8 target-bitrate=800000 keyframe-max-dist=60 "
    "! rtpvp8pay pt=96 mtu=1200 picture-id-mode=15-bit "
    "! application/x-rtp,media=video,encoding-name=VP8,payload=96,clock-rate=90000 "
    "! webrtcbin name=webrtc bundle-policy=max-bundle"
)


def log(text):
    print("whip_publish: " + text, file=sys.stderr, flush=True)


class Publisher:
    def __init__(self, args):
        self.args = args
        self.loop = GLib.MainLoop()
        self.status = 2
        self.connected = False
        self.resource = None
        self.pipeline = Gst.parse_launch(PIPELINE.format(pattern=args.pattern))
        self.webrtc = self.pipeline.get_by_name("webrtc")
        # Keep both wrappers for the life of the pipeline: webrtcbin 1.22 hands out the ice-agent
        # without a reference of its own, so a collected wrapper would free the agent under it.
        self.ice = self.webrtc.get_property("ice-agent")
        self.nice_agent = self.ice.get_property("agent")
        self.keep_consent()
        self.restrict_to(args.local_address)
        self.webrtc.connect("on-negotiation-needed", self.on_negotiation_needed)
        self.webrtc.connect("notify::ice-gathering-state", self.on_gathering_state)
        self.webrtc.connect("notify::connection-state", self.on_connection_state)
        bus = self.pipeline.get_bus()
        bus.add_signal_watch()
        bus.connect("message::error", self.on_error)

    def restrict_to(self, address):
        """Gather candidates on this one address only: libnice leaves loopback out by default,
        and the tests keep every packet on loopback."""
        if not address:
            return
        nice_address = Nice.Address.new()
        if not nice_address.set_from_string(address):
            raise SystemExit("--local-address %s is not an IP address" % address)
        self.nice_agent.add_local_address(nice_address)

    def keep_consent(self):
        """Refresh the relay's consent to receive (RFC 7675) for as long as we publish.

        WHIP (RFC 9725) has a full ICE client keep up RFC 7675 consent freshness, which is how a
        server tells a live publisher from a vanished one; our relay, an ICE-lite agent that sends
        no checks of its own, ends a peer 30 s after its last authenticated Binding request from the
        selected address. libnice 0.1.21 under webrtcbin 1.22 sends none once connected: its only
        traffic then is a Binding indication every 25 s (an RFC 8445 section 11 keepalive), which
        carries no USERNAME or MESSAGE-INTEGRITY, needs no answer, and so proves nothing and grants
        no consent (RFC 7675 section 5.1: consent comes from an authenticated Binding response).
        Left so, the stream stopped after 30 s.

        libnice's own RFC 7675 mode ("consent-freshness") is construct-only and webrtcbin 1.22
        builds the agent without it, so turn on "keepalive-conncheck" instead (writable at any
        time): the keepalives become authenticated Binding requests (USERNAME relay-ufrag:our-ufrag,
        PRIORITY, ICE-CONTROLLING, USE-CANDIDATE, MESSAGE-INTEGRITY, FINGERPRINT) every 4.5 to 5.7
        s, which the relay answers and counts as consent. Both captures (tshark on loopback,
        2026-12-02) are described in the commit that added this.
        """
        if self.nice_agent.find_property("keepalive-conncheck") is None:
            raise SystemExit("this libnice has no keepalive-conncheck; the relay would end the stream after 30 s")
        self.nice_agent.set_property("keepalive-conncheck", True)

    def run(self):
        transceiver = self.webrtc.emit("get-transceiver", 0)
        if transceiver is not None:
            transceiver.set_property("direction", GstWebRTC.WebRTCRTPTransceiverDirection.SENDONLY)
        self.pipeline.set_state(Gst.State.PLAYING)
        GLib.timeout_add(int(self.args.duration * 1000), self.stop)
        self.loop.run()
        self.pipeline.set_state(Gst.State.NULL)
        self.delete_resource()
        return self.status

    def stop(self):
        if self.status == 2 and self.connected:
            self.status = 0
        self.loop.quit()
        return False

    def fail(self, status, text):
        log(text)
        self.status = status
        self.loop.quit()

    def on_negotiation_needed(self, element):
        promise = Gst.Promise.new_with_change_func(self.on_offer_created, element, None)
        element.emit("create-offer", None, promise)

    def on_offer_created(self, promise, element, _):
        promise.wait()
        reply = promise.get_reply()
        offer = reply.get_value("offer") if reply is not None and reply.has_field("offer") else None
        if offer is None:
            GLib.idle_add(self.fail, 3, "webrtcbin made no offer: %s" % (reply.to_string() if reply else "no reply"))
            return
        element.emit("set-local-description", offer, Gst.Promise.new())

    def on_gathering_state(self, element, _):
        if element.get_property("ice-gathering-state") == GstWebRTC.WebRTCICEGatheringState.COMPLETE:
            # Signals arrive on webrtcbin's threads; talk to the relay from the main loop.
            GLib.idle_add(self.send_offer)

    def send_offer(self):
        offer = self.webrtc.get_property("local-description").sdp.as_text()
        if self.args.offer_out:
            with open(self.args.offer_out, "w", encoding="utf-8") as f:
                f.write(offer)
        request = urllib.request.Request(
            self.args.url,
            data=offer.encode("utf-8"),
            method="POST",
            headers={"Content-Type": "application/sdp", "Authorization": "Bearer " + self.args.token},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                answer = response.read().decode("utf-8")
                location = response.headers.get("Location")
                if response.status != 201:
                    self.fail(1, "WHIP answered %d" % response.status)
                    return False
        except urllib.error.HTTPError as error:
            self.fail(1, "WHIP answered %d: %s" % (error.code, error.read().decode("utf-8", "replace")))
            return False
        except (urllib.error.URLError, OSError) as error:
            self.fail(1, "WHIP request failed: %s" % error)
            return False
        if location:
            self.resource = urllib.parse.urljoin(self.args.url, location)
        ok, message = GstSdp.SDPMessage.new_from_text(answer)
        if ok != GstSdp.SDPResult.OK:
            self.fail(1, "the answer is not SDP")
            return False
        description = GstWebRTC.WebRTCSessionDescription.new(GstWebRTC.WebRTCSDPType.ANSWER, message)
        self.webrtc.emit("set-remote-description", description, Gst.Promise.new())
        log("answer set")
        return False

    def on_connection_state(self, element, _):
        state = element.get_property("connection-state")
        log("connection " + state.value_nick)
        if state == GstWebRTC.WebRTCPeerConnectionState.CONNECTED:
            self.connected = True
        elif state == GstWebRTC.WebRTCPeerConnectionState.FAILED:
            GLib.idle_add(self.fail, 2, "the connection failed")

    def on_error(self, _, message):
        error, debug = message.parse_error()
        self.fail(3, "pipeline error: %s (%s)" % (error.message, debug))

    def delete_resource(self):
        if not self.resource:
            return
        request = urllib.request.Request(
            self.resource, method="DELETE", headers={"Authorization": "Bearer " + self.args.token})
        try:
            urllib.request.urlopen(request, timeout=5).close()
        except (urllib.error.URLError, OSError) as error:
            log("DELETE of the WHIP resource failed: %s" % error)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="the WHIP endpoint, e.g. http://127.0.0.1:5000/whip/abc")
    parser.add_argument("--token", default="", help="sent as the Bearer token")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds to stream")
    parser.add_argument("--pattern", default="ball", help="videotestsrc pattern")
    parser.add_argument("--offer-out", help="write the offer sent to this file")
    parser.add_argument("--local-address", help="gather ICE candidates on this address only, e.g. 127.0.0.1")
    args = parser.parse_args()
    Gst.init(None)
    sys.exit(Publisher(args).run())


if __name__ == "__main__":
    main()
