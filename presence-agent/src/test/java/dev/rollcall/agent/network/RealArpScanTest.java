package dev.rollcall.agent.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rollcall.agent.TestJvm;
import dev.rollcall.events.AgentHeartbeat;
import dev.rollcall.events.DeviceState;
import dev.rollcall.events.DeviceStateChanged;
import dev.rollcall.events.EventCodec;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.testsupport.NetnsLab;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real ARP on this machine: two "phones" in their own network namespaces, with chosen MAC addresses, on a
 * bridge in the agent's namespace; the collector scans with the real UDP sweep and the kernel's neighbour table.
 * A phone leaves (link down) and is reported offline after two missed scans, dated at its last sighting; it
 * comes back and is online again. Needs root (namespaces); elsewhere it is skipped, saying why.
 */
class RealArpScanTest {

    private static final String PHONE_A = "02:13:00:aa:00:0a";
    private static final String PHONE_B = "02:13:00:bb:00:0b";

    @TempDir
    Path dir;

    /** The scanner process in the lab, spoken to one line at a time. */
    private record Scanner(Process process, BufferedReader out, PrintStream in) {

        record Scan(List<EventEnvelope> events, Instant at, int seen, long tookMillis) {
        }

        Scan scan() throws IOException {
            in.println("scan");
            List<EventEnvelope> events = new ArrayList<>();
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("EVENT ")) {
                    events.add(EventCodec.decode(line.substring(6)));
                } else if (line.startsWith("SCANNED ")) {
                    String[] f = line.split(" ");
                    return new Scan(events, Instant.ofEpochMilli(Long.parseLong(f[1])), Integer.parseInt(f[2]),
                            Long.parseLong(f[3]));
                }
            }
            throw new IOException("the scanner died; see its log");
        }

        EventEnvelope heartbeat() throws IOException {
            in.println("heartbeat");
            String line = out.readLine();
            assertThat(line).startsWith("EVENT ");
            return EventCodec.decode(line.substring(6));
        }
    }

    private static List<DeviceStateChanged> changes(Scanner.Scan s) {
        return s.events().stream().map(e -> (DeviceStateChanged) e.data()).toList();
    }

    @Test
    void phonesAreSeenOnlineWithTheirMacsGoOfflineAfterTwoMissedScansAndComeBack() throws Exception {
        String why = NetnsLab.unavailableBecause("the real ARP test");
        assumeTrue(why == null, () -> "SKIPPED real ARP test: " + why);

        try (NetnsLab lab = NetnsLab.named("rc-arp").subnet("10.213.0.0/24").shortArpTimers().create(PHONE_A, PHONE_B)) {
            NetnsLab.Phone a = lab.phones().get(0);
            Process p = new ProcessBuilder(lab.inAgentNamespace(TestJvm.command(RealArpScanner.class,
                    dir.resolve("outbox").toString(), lab.subnet(), NetnsLab.INTERFACE, "2")))
                    .redirectError(dir.resolve("scanner.log").toFile()).start();
            Scanner scanner = new Scanner(p, new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8)), new PrintStream(p.getOutputStream(), true, StandardCharsets.UTF_8));
            try {
                String settle = scanner.out().readLine();
                // 1 s first-probe delay + 3 probes x 200 ms + 500 ms margin, read from the lab's kernel settings.
                assertThat(settle).isEqualTo("SETTLE 2100");

                Scanner.Scan first = scanner.scan();
                assertThat(changes(first)).containsExactlyInAnyOrder(
                        new DeviceStateChanged(PHONE_A, "10.213.0.10", DeviceState.ONLINE),
                        new DeviceStateChanged(PHONE_B, "10.213.0.11", DeviceState.ONLINE));
                assertThat(first.events()).allSatisfy(e -> {
                    assertThat(e.time()).isEqualTo(first.at());
                    assertThat(e.site()).isEqualTo("lab");
                    assertThat(e.source()).isEqualTo("agent/lab-agent");
                });
                Scanner.Scan second = scanner.scan();
                assertThat(second.events()).as("still there: no change, no event").isEmpty();
                assertThat(second.seen()).isEqualTo(2);

                lab.leave(a);
                Scanner.Scan miss1 = scanner.scan();
                assertThat(miss1.events()).as("one missed scan is not yet offline").isEmpty();
                assertThat(miss1.seen()).isEqualTo(1);
                Scanner.Scan miss2 = scanner.scan();
                assertThat(changes(miss2)).containsExactly(new DeviceStateChanged(PHONE_A, null, DeviceState.OFFLINE));
                assertThat(miss2.events().getFirst().time()).as("offline as of the last scan that saw it")
                        .isEqualTo(second.at());

                EventEnvelope beat = scanner.heartbeat();
                assertThat(((AgentHeartbeat) beat.data()).devicesOnline()).containsExactly(PHONE_B);

                lab.comeBack(a);
                Scanner.Scan back = scanner.scan();
                assertThat(changes(back)).containsExactly(new DeviceStateChanged(PHONE_A, "10.213.0.10", DeviceState.ONLINE));
                assertThat(back.events().getFirst().time()).isEqualTo(back.at());

                List<Scanner.Scan> all = List.of(first, second, miss1, miss2, back);
                System.out.printf("real ARP: scans of %s took %s ms (settle 2100 ms)%n", lab.subnet(),
                        all.stream().map(Scanner.Scan::tookMillis).toList());
                assertThat(all).allSatisfy(s -> assertThat(s.tookMillis()).isBetween(2100L, 10_000L));

                scanner.in().println("quit");
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).isZero();
            } finally {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
