package dev.rollcall.events;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static dev.rollcall.events.EncodedInputs.escaped;
import static dev.rollcall.events.EncodedInputs.golden;
import static dev.rollcall.events.EncodedInputs.instant;
import static dev.rollcall.events.EncodedInputs.mutated;
import static dev.rollcall.events.EncodedInputs.oneOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * {@link SilentHeartbeats} against {@link EventCodec#decode(byte[])}, the reference: what it matches must decode to a
 * heartbeat with neither scan, devices online nor employees present, or not decode at all (a reader that drops it then
 * drops nothing it could use); every heartbeat the encoder writes without those it must match, and none with any.
 */
class SilentHeartbeatsTest {

    /** Texts of every kind: escapes, quotes, what looks like the keys that matter, not ASCII, blank, too long. */
    private static final String[] TEXTS = {"ws-0042", "PC-0042", "0.1.0", "Windows 11", "Linux 6.1", "a\"b", "back\\slash",
            "\",\"lastScanMillis\":5,\"x\":\"", "\"devicesOnline\":[\"aa:bb:cc:dd:ee:ff\"]", "}}", "é-host", "日本", "", " ",
            "tab\there", "x".repeat(300), "agent/ws-1", "hq", "HQ"};

    @Test
    void matchesTheEncodingOfEveryHeartbeatThatSaysNothingOfPresenceAndOfNoOther() {
        Random r = new Random(5);
        int silent = 0;
        int telling = 0;
        for (int n = 0; n < 20_000; n++) {
            Long lastScan = r.nextInt(3) == 0 ? (long) r.nextInt(5_000) : null;
            List<String> devices = r.nextInt(3) == 0 ? List.of("3c:22:fb:12:34:" + String.format("%02x", r.nextInt(256))) : List.of();
            List<String> employees = r.nextInt(4) == 0 ? (r.nextBoolean() ? List.of() : List.of("e-" + r.nextInt(99))) : null;
            String agent = oneOf(r, "ws-" + r.nextInt(20_000), "hq-office-1", "PC \"quoted\"", "ACME\\pc" + r.nextInt(50));
            AgentHeartbeat h = new AgentHeartbeat(agent, oneOf(r, "0.1.0", "1.2.3-rc\"1\""), oneOf(r, "PC-" + r.nextInt(9_999), "é-pc"),
                    oneOf(r, "Windows 11", "Linux 6.1"), r.nextInt(1_000_000), r.nextInt(100), lastScan, devices, employees,
                    r.nextInt(5) == 0);
            EventEnvelope e = EventEnvelope.of(new UUID(r.nextLong(), r.nextLong()), "agent/" + agent, instant(r),
                    oneOf(r, "hq", "site-" + r.nextInt(40)), r.nextInt(5) == 0 ? null : agent, h);
            byte[] json = EventCodec.encode(e);
            boolean saysNothing = lastScan == null && devices.isEmpty() && employees == null;
            assertThat(SilentHeartbeats.matches(json)).as(new String(json, StandardCharsets.UTF_8)).isEqualTo(saysNothing);
            if (saysNothing) {
                silent++;
            } else {
                telling++;
            }
        }
        assertThat(silent).isGreaterThan(5_000);
        assertThat(telling).isGreaterThan(5_000);
    }

    @Test
    void matchesWhereTheHeartbeatLiesInALargerArrayAndNotBeyondIt() {
        byte[] heartbeat = heartbeat("ws-1", "PC-1", ",\"outboxDepth\":0,\"devicesOnline\":[]}}");
        assertThat(SilentHeartbeats.matches(heartbeat)).isTrue();
        byte[] fetched = new byte[heartbeat.length + 20];
        Arrays.fill(fetched, (byte) '}');
        System.arraycopy(heartbeat, 0, fetched, 7, heartbeat.length);

        assertThat(SilentHeartbeats.matches(fetched, 7, 7 + heartbeat.length)).isTrue();
        assertThat(SilentHeartbeats.matches(fetched, 7, 7 + heartbeat.length - 1)).as("cut one byte short").isFalse();
        assertThat(SilentHeartbeats.matches(fetched, 7, 7 + heartbeat.length + 1)).as("a byte too many").isFalse();
    }

    @Test
    void leavesOtherTypesLayoutsAndHeartbeatsToTheCodec() throws IOException {
        byte[] golden = golden("agent-heartbeat.v1.json");
        assertThat(SilentHeartbeats.matches(golden)).as("pretty-printed").isFalse();
        assertThat(SilentHeartbeats.matches(EventCodec.encode(EventCodec.decode(golden)))).as("a network agent's, compact").isFalse();
        byte[] stopping = golden("agent-heartbeat.v1.stopping.json");
        assertThat(SilentHeartbeats.matches(EventCodec.encode(EventCodec.decode(stopping)))).as("a workstation agent's last, compact").isTrue();
        assertThat(SilentHeartbeats.matches(stopping)).as("the same, pretty-printed").isFalse();
        for (String other : List.of("workstation-state-changed.v1.json", "device-state-changed.v1.json", "workstation-session-changed.v1.json")) {
            assertThat(SilentHeartbeats.matches(EventCodec.encode(EventCodec.decode(golden(other))))).as(other).isFalse();
        }
        String silent = new String(heartbeat("ws-1", "PC-1", ",\"outboxDepth\":0,\"devicesOnline\":[]}}"), StandardCharsets.UTF_8);
        assertThat(SilentHeartbeats.matches(bytes(silent.replace(",\"host\"", ", \"host\"")))).as("whitespace").isFalse();
        assertThat(SilentHeartbeats.matches(bytes(silent.replace("[]", "[ ]")))).as("whitespace in the list").isFalse();
        assertThat(SilentHeartbeats.matches(bytes(silent.replace("[]}}", "[],\"lastScanMillis\":9}}")))).as("a key after the list")
                .isFalse();
        assertThat(SilentHeartbeats.matches(bytes(silent.replace("[]}}", "[],\"employeesPresent\":[]}}")))).as("employees, none present")
                .isFalse();
        assertThat(SilentHeartbeats.matches(bytes(silent.replace("[]}}", "[],\"stopping\":false}}")))).as("stopping: false, written out")
                .isFalse();
        assertThat(SilentHeartbeats.matches(bytes(silent + " "))).as("anything after the object").isFalse();
        assertThat(SilentHeartbeats.matches(new byte[0])).isFalse();
    }

    /**
     * Heartbeats in the encoder's layout spliced with texts of every kind (keys and lists among them), some telling
     * presence, and then perhaps cut, widened or flipped byte by byte: whatever matches, the codec refuses, or decodes
     * to a heartbeat that tells nothing of presence.
     */
    @Test
    void whateverItMatchesTheCodecRefusesOrDecodesToASilentHeartbeat() {
        Random r = new Random(13);
        int matched = 0;
        int refusedAfterAMatch = 0;
        int left = 0;
        for (int n = 0; n < 50_000; n++) {
            String tail = oneOf(r, ",\"outboxDepth\":0,\"devicesOnline\":[]}}", ",\"outboxDepth\":12,\"devicesOnline\":[],\"stopping\":true}}",
                    ",\"outboxDepth\":0,\"lastScanMillis\":850,\"devicesOnline\":[]}}",
                    ",\"outboxDepth\":0,\"devicesOnline\":[\"a4:83:e7:00:11:22\"]}}",
                    ",\"outboxDepth\":0,\"devicesOnline\":[],\"employeesPresent\":[\"e-1\"]}}");
            byte[] json = heartbeat(escaped(oneOf(r, TEXTS)), escaped(oneOf(r, TEXTS)), tail);
            if (r.nextInt(3) > 0) {
                json = mutated(r, json, " \"\\,x0[]");
            }
            if (!SilentHeartbeats.matches(json)) {
                left++;
                continue;
            }
            matched++;
            EventEnvelope e;
            try {
                e = EventCodec.decode(json);
            } catch (EventDecodingException refused) {
                refusedAfterAMatch++;
                continue;
            }
            if (!(e.data() instanceof AgentHeartbeat h)) {
                fail("matched, and decoded to " + e.data() + ": " + new String(json, StandardCharsets.UTF_8));
                return;
            }
            String as = new String(json, StandardCharsets.UTF_8);
            assertThat(h.lastScanMillis()).as(as).isNull();
            assertThat(h.devicesOnline()).as(as).isEmpty();
            assertThat(h.employeesPresent()).as(as).isNull();
        }
        assertThat(matched).as("matched").isGreaterThan(1_000);
        assertThat(refusedAfterAMatch).as("matched, and then refused by the codec (texts are not checked)").isPositive();
        assertThat(left).as("left to the codec").isGreaterThan(1_000);
    }

    /** A heartbeat in the encoder's layout with these texts as they stand in JSON (escaped already), and the data's tail. */
    private static byte[] heartbeat(String agent, String host, String tail) {
        return bytes("{\"specversion\":\"1.0\",\"id\":\"9a7e2b44-1c3d-4e5f-8a9b-0c1d2e3f4a5b\",\"type\":\"rollcall.agents.heartbeat.v1\","
                + "\"source\":\"agent/" + agent + "\",\"time\":\"2026-11-20T08:00:00Z\",\"site\":\"hq\",\"subject\":\"" + agent
                + "\",\"datacontenttype\":\"application/json\",\"data\":{\"agentId\":\"" + agent + "\",\"version\":\"0.1.0\",\"host\":\""
                + host + "\",\"os\":\"Windows 11\",\"uptimeSeconds\":86400" + tail);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
