package dev.rollcall.events;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static dev.rollcall.events.EncodedInputs.escaped;
import static dev.rollcall.events.EncodedInputs.golden;
import static dev.rollcall.events.EncodedInputs.instant;
import static dev.rollcall.events.EncodedInputs.mutated;
import static dev.rollcall.events.EncodedInputs.oneOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link WorkstationReportScanner} against {@link EventCodec#decode(byte[])}, the reference: whatever it reads must be
 * decoded to a workstation state change with the same id, time, site, user and state; what the encoder writes for a
 * report with plain texts it must read (else it would be no faster path at all).
 */
class WorkstationReportScannerTest {

    /** Texts the records take as they are, refuse, strip, or that only Jackson reads (not ASCII). */
    private static final String[] TEXTS = {"jdoe", "ACME\\jdoe", "CORP\\\\x", "a\"b", "  padded  ", " ", "", "tab\there",
            "nul\u0000", "line\nbreak", "é-user", "日本", "x".repeat(256), "x".repeat(257), "y".repeat(600), "/slash",
            "u\u007fdel", "PC-0042", "hq", "HQ", "-hq", "site-2", "working", "STOPPED"};

    private final WorkstationReportScanner scanner = new WorkstationReportScanner();

    @Test
    void readsWhatTheEncoderWritesForAReport() {
        Random r = new Random(7);
        for (int n = 0; n < 20_000; n++) {
            String user = oneOf(r, "jdoe", "ACME\\jdoe", "user" + r.nextInt(20_000), "CORP\\u" + r.nextInt(500), "o'brien \"ob\"");
            String host = r.nextInt(4) == 0 ? null : "PC-" + r.nextInt(20_000);
            EventEnvelope e = EventEnvelope.of(new UUID(r.nextLong(), r.nextLong()),
                    oneOf(r, "ingest/work-tracing", "agent/ws-" + r.nextInt(100)), instant(r), oneOf(r, "hq", "site-" + r.nextInt(40)),
                    r.nextInt(5) == 0 ? null : user, new WorkstationStateChanged(user, host, oneOf(r, WorkstationState.values())));
            byte[] json = EventCodec.encode(e);
            assertThat(scanner.read(json)).as(new String(json, StandardCharsets.UTF_8)).isTrue();
            assertReadAsDecoded(json);
        }
    }

    @Test
    void aTextMetAgainIsTheStringMadeTheFirstTime() {
        byte[] first = report(escaped("ACME\\jdoe"), "PC-1", "working");
        byte[] second = report(escaped("ACME\\jdoe"), "PC-2", "stopped");
        assertThat(scanner.read(first)).isTrue();
        String user = scanner.user();
        assertThat(scanner.read(second)).isTrue();
        assertThat(scanner.user()).isSameAs(user).isEqualTo("ACME\\jdoe");
        assertThat(scanner.working()).isFalse();
    }

    @Test
    void readsAReportWhereItLiesInALargerArrayAndNotBeyondIt() {
        byte[] report = report(escaped("ACME\\jdoe"), "PC-1", "working");
        byte[] fetched = new byte[report.length + 20];
        java.util.Arrays.fill(fetched, (byte) '}');
        System.arraycopy(report, 0, fetched, 7, report.length);

        assertThat(scanner.read(fetched, 7, 7 + report.length)).isTrue();
        assertReadAsDecoded(report);
        assertThat(scanner.read(fetched, 7, 7 + report.length - 1)).as("cut one byte short").isFalse();
        assertThat(scanner.read(fetched, 7, 7 + report.length + 1)).as("a byte too many").isFalse();
    }

    @Test
    void theGoldenSamplesReadOnceWrittenCompactly() throws IOException {
        for (String sample : List.of("workstation-state-changed.v1.json", "workstation-state-changed.v1.no-host.json")) {
            byte[] pretty = golden(sample);
            assertThat(scanner.read(pretty)).as("pretty-printed: left to the codec").isFalse();
            byte[] compact = EventCodec.encode(EventCodec.decode(pretty));
            assertThat(scanner.read(compact)).as(sample).isTrue();
            assertReadAsDecoded(compact);
        }
    }

    @Test
    void leavesOtherTypesAndLayoutsToTheCodec() {
        EventEnvelope session = EventEnvelope.of(UUID.randomUUID(), "agent/ws-1", Instant.parse("2026-11-20T08:00:00Z"), "hq", "jdoe",
                new WorkstationSessionChanged("jdoe", "PC-1", WorkstationSessionKind.LOGON));
        assertThat(scanner.read(EventCodec.encode(session))).isFalse();
        String report = new String(report("jdoe", "PC-1", "working"), StandardCharsets.US_ASCII);
        assertThat(scanner.read(report.replace(",\"time\"", ", \"time\"").getBytes(StandardCharsets.US_ASCII))).as("whitespace").isFalse();
        assertThat(scanner.read(report.replace("\"working\"", "\"Working\"").getBytes(StandardCharsets.US_ASCII)))
                .as("a state the codec reads case-insensitively").isFalse();
        assertThat(scanner.read((report + " ").getBytes(StandardCharsets.US_ASCII))).as("anything after the object").isFalse();
        assertThat(scanner.read(report.substring(0, report.length() - 1).getBytes(StandardCharsets.US_ASCII))).as("cut short").isFalse();
        assertThat(scanner.read(new byte[0])).isFalse();
    }

    @Test
    void refusesWhatTheRecordsRefuseAndThenAgainFromItsMemory() {
        for (int twice = 0; twice < 2; twice++) {
            assertThat(scanner.read(report("", "PC-1", "working"))).as("a blank user").isFalse();
            assertThat(scanner.read(report("x".repeat(257), "PC-1", "working"))).as("a user too long").isFalse();
            assertThat(scanner.read(report("jdoe", "h".repeat(256), "working"))).as("a host too long").isFalse();
            assertThat(scanner.read(withSite(report("jdoe", "PC-1", "working"), "HQ"))).as("an upper-case site").isFalse();
            assertThat(scanner.read(report("a\\u0001b", "PC-1", "working"))).as("a control character").isFalse();
            assertThat(scanner.read(report("a\\qb", "PC-1", "working"))).as("an escape JSON does not have").isFalse();
        }
        assertThat(scanner.read(report("  jdoe ", "   ", "stopped"))).as("padding stripped, a blank host").isTrue();
        assertThat(scanner.user()).isEqualTo("jdoe");
    }

    /**
     * Encodings of reports whose fields are spliced with texts of every kind, and then perhaps cut, widened or flipped
     * byte by byte: whatever the scanner reads, the codec decodes alike.
     */
    @Test
    void whateverItReadsTheCodecDecodesAlike() {
        Random r = new Random(11);
        int read = 0;
        int left = 0;
        for (int n = 0; n < 50_000; n++) {
            byte[] json = report(escaped(oneOf(r, TEXTS)), escaped(oneOf(r, TEXTS)), oneOf(r, "working", "stopped", "Working", " stopped"));
            if (r.nextBoolean()) {
                json = withSite(json, escaped(oneOf(r, TEXTS)));
            }
            if (r.nextInt(3) == 0) {
                json = mutated(r, json, " \"\\,x0");
            }
            if (scanner.read(json)) {
                read++;
                assertReadAsDecoded(json);
            } else {
                left++;
            }
        }
        assertThat(read).as("read by the scanner").isGreaterThan(1_000);
        assertThat(left).as("left to the codec").isGreaterThan(1_000);
    }

    private void assertReadAsDecoded(byte[] json) {
        String as = new String(json, StandardCharsets.UTF_8);
        EventEnvelope e = EventCodec.decode(json);
        assertThat(e.data()).as(as).isInstanceOf(WorkstationStateChanged.class);
        WorkstationStateChanged w = (WorkstationStateChanged) e.data();
        assertThat(new UUID(scanner.idHigh(), scanner.idLow())).as(as).isEqualTo(e.id());
        assertThat(scanner.time()).as(as).isEqualTo(e.time());
        assertThat(scanner.site()).as(as).isEqualTo(e.site());
        assertThat(scanner.user()).as(as).isEqualTo(w.user());
        assertThat(scanner.working()).as(as).isEqualTo(w.state() == WorkstationState.WORKING);
    }

    /** A report in the encoder's layout with these texts as they stand in JSON (escaped already). */
    private static byte[] report(String user, String host, String state) {
        return ("{\"specversion\":\"1.0\",\"id\":\"0b9c6a1e-4f2d-4c1a-9a57-3f1d2b8e7c10\",\"type\":\"rollcall.workstation.state-changed.v1\","
                + "\"source\":\"ingest/work-tracing\",\"time\":\"2024-05-10T10:20:30.250Z\",\"site\":\"hq\",\"subject\":\"" + user
                + "\",\"datacontenttype\":\"application/json\",\"data\":{\"user\":\"" + user + "\",\"host\":\"" + host
                + "\",\"state\":\"" + state + "\"}}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] withSite(byte[] json, String site) {
        return new String(json, StandardCharsets.UTF_8).replace("\"site\":\"hq\"", "\"site\":\"" + site + "\"")
                .getBytes(StandardCharsets.UTF_8);
    }
}
