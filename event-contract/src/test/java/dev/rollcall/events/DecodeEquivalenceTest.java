package dev.rollcall.events;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link EventCodec#decode(byte[])} streams, and the tree path it replaced ({@code readTree}, then {@code fromTree})
 * is the reference: for every input both must come to an equal envelope, or to the same exception with the same
 * message. Generated events of every type, written in every way JSON allows, must also be decoded by the streaming
 * reader itself, not only by the tree path it falls back to.
 */
class DecodeEquivalenceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory ASCII_ONLY = JsonFactory.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    private static final int EVENTS_PER_TYPE = 200;

    /** One generator per event type; {@link #generatedEventsOfEveryTypeDecodeAlikeHoweverTheyAreWritten} checks that none is missing. */
    private static final List<Function<Random, RollcallEvent>> EVENTS = List.of(
            r -> new WorkstationStateChanged(user(r), maybe(r, () -> text(r, 30)), oneOf(r, WorkstationState.values())),
            r -> new DeviceStateChanged(mac(r), maybe(r, () -> ip(r)), oneOf(r, DeviceState.values())),
            r -> new AgentHeartbeat(agentId(r), text(r, 20), text(r, 30), text(r, 30), r.nextLong(Long.MAX_VALUE),
                    r.nextInt(Integer.MAX_VALUE), maybe(r, () -> r.nextLong(Long.MAX_VALUE)),
                    Stream.generate(() -> mac(r)).limit(r.nextInt(6)).toList(), r.nextBoolean()),
            r -> new SiteConfigured(text(r, 40), zone(r), r.nextInt(1441), maybe(r, () -> 1 + r.nextInt(1440)),
                    maybe(r, () -> 1 + r.nextInt(1440))),
            r -> new EmployeeUpdated(employeeId(r), text(r, 40), r.nextBoolean(), maybe(r, () -> workstationUsers(r))),
            r -> new DeviceAssigned(mac(r), employeeId(r), maybe(r, () -> text(r, 40))),
            r -> new DeviceReleased(mac(r)),
            r -> {
                Instant first = instant(r);
                return new PresenceHourReported(employeeId(r), LocalDate.ofEpochDay(r.nextLong(-719_528, 2_932_896)),
                        r.nextInt(24), first, first.plusSeconds(r.nextInt(3_600)), r.nextInt(61));
            },
            r -> {
                Instant start = instant(r);
                return new AgentDowntimeReported(start, start.plusSeconds(r.nextInt(100_000)).plusNanos(1 + r.nextInt(999_999_999)));
            },
            r -> new AgentEnrolled(agentId(r), maybe(r, () -> text(r, 30))),
            r -> new AgentRevoked(agentId(r)),
            r -> new WorkstationSessionChanged(user(r), maybe(r, () -> text(r, 30)), oneOf(r, WorkstationSessionKind.values())),
            r -> new RealNamesRevealed(text(r, 40), "/" + text(r, 20), oneOf(r, "2026-11-20", "2026-11", "now")));

    /** The data fields each type reads, as EventCodec.fromTree reads them. */
    private static final Map<String, List<String>> DATA_FIELDS = Map.ofEntries(
            Map.entry(WorkstationStateChanged.TYPE, List.of("user", "host", "state")),
            Map.entry(DeviceStateChanged.TYPE, List.of("mac", "ip", "state")),
            Map.entry(AgentHeartbeat.TYPE, List.of("agentId", "version", "host", "os", "uptimeSeconds", "outboxDepth",
                    "lastScanMillis", "devicesOnline", "stopping")),
            Map.entry(SiteConfigured.TYPE, List.of("name", "zone", "presenceGraceMinutes", "autoTimeoutMinutes",
                    "realWorkBlockMinutes")),
            Map.entry(EmployeeUpdated.TYPE, List.of("employeeId", "name", "active", "workstationUsers")),
            Map.entry(DeviceAssigned.TYPE, List.of("mac", "employeeId", "label")),
            Map.entry(DeviceReleased.TYPE, List.of("mac")),
            Map.entry(PresenceHourReported.TYPE, List.of("employeeId", "date", "hour", "firstSeen", "lastSeen", "minutesOnline")),
            Map.entry(AgentDowntimeReported.TYPE, List.of("start", "end")),
            Map.entry(AgentEnrolled.TYPE, List.of("agentId", "host")),
            Map.entry(AgentRevoked.TYPE, List.of("agentId")),
            Map.entry(WorkstationSessionChanged.TYPE, List.of("user", "host", "kind")),
            Map.entry(RealNamesRevealed.TYPE, List.of("viewer", "page", "period")));

    private static final List<String> ENVELOPE_FIELDS =
            List.of("specversion", "id", "type", "source", "time", "site", "subject", "datacontenttype", "data");

    /** Values for fields nobody reads, and for the first of two duplicate keys. */
    private static final List<JsonNode> JUNK = nodes("\"junk\"", "42", "123456789012345678901234567890", "1.5e300",
            "-0.0", "true", "false", "null", "{}", "[]", "[\"a\",\"b\"]", "[1,\"a\",null]",
            "{\"a\":[1,{\"b\":null}],\"type\":\"x\",\"user\":5,\"data\":[]}",
            // Optional fields: a reader that merged a duplicate data object instead of taking the last would keep them.
            "{\"host\":\"junk\",\"ip\":\"10.0.0.1\",\"label\":\"junk\",\"lastScanMillis\":5,\"autoTimeoutMinutes\":5,"
                    + "\"workstationUsers\":[\"junk\"],\"subject\":\"junk\"}",
            "[".repeat(200) + "]".repeat(200), "\"" + "é\\n\\u0041\\\"".repeat(500) + "\"");

    /** Every field gets each of these instead of its value, and is also left out. */
    private static final List<JsonNode> WRONG_VALUES = nodes("null", "true", "false", "0", "-0", "1", "-1", "7", "60",
            "61", "1440", "1441", "2147483647", "2147483648", "-2147483649", "9223372036854775807",
            "-9223372036854775808", "9223372036854775808", "-9223372036854775809", "1.0", "1.5", "1e2", "-0.0",
            "\"\"", "\" \"", "\"x\"", "\"  x  \"", "\"\\u0001\"", "\"a,b\"", "\"1.0\"", "\"0.3\"", "\"5\"", "\"true\"",
            "\"" + "x".repeat(300) + "\"", "\"" + "x".repeat(600) + "\"",
            "\"nope\"", "\"1-2-3-4-5\"", "\"0B9C6A1E-4F2D-4C1A-9A57-3F1D2B8E7C10\"", "\"{0b9c6a1e-4f2d-4c1a-9a57-3f1d2b8e7c10}\"",
            "\"0b9c6a1e-4f2d-4c1a-9a57-3f1d2b8e7c10\"", "\"2024-05-10T10:20:30Z\"", "\"2024-05-10T10:20:30.123456789Z\"",
            "\"2024-05-10T10:20:30z\"", "\"2024-05-10T10:20:30+01:00\"", "\"2024-05-10T24:00:00Z\"",
            "\"2024-02-30T00:00:00Z\"", "\"+12024-05-10T10:20:30Z\"", "\"yesterday\"", "\"2024-02-29\"", "\"2023-02-29\"",
            "\"2024-2-3\"", "\"Europe/Berlin\"", "\"Mars/Olympus\"", "\"utc\"", "\"working\"", "\" STOPPED \"",
            "\"napping\"", "\"lock\"", "\"ONLINE\"", "\"3c:22:fb:12:34:56\"", "\"3C-22-FB-12-34-56\"", "\"192.168.10.23\"",
            "\"fe80::1%eth0\"", "\"256.1.1.1\"", "\"e-1001\"", "\"a b\"", "\"hq\"", "\"Not A Site\"",
            "\"" + WorkstationStateChanged.TYPE + "\"", "\"" + AgentHeartbeat.TYPE + "\"", "\"rollcall.future.thing.v9\"",
            "[]", "[\"\"]", "[\"a\"]", "[\"a\",\"a\"]", "[\"a\",1]", "[null]", "[[]]", "[\"a,b\"]",
            "[\"3c:22:fb:12:34:56\",\"3C-22-FB-12-34-56\"]", "[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\"]",
            "{}", "{\"user\":\"u\",\"state\":\"working\"}");

    @Test
    void generatedEventsOfEveryTypeDecodeAlikeHoweverTheyAreWritten() {
        Random random = new Random(20240510);
        Set<Class<?>> types = new HashSet<>();
        for (Function<Random, RollcallEvent> event : EVENTS) {
            for (int i = 0; i < EVENTS_PER_TYPE; i++) {
                EventEnvelope e = envelope(random, event.apply(random));
                types.add(e.data().getClass());
                assertStreamedAs(EventCodec.encode(e), e);
                assertStreamedAs(write(e, random, null), e);
                // Keys written twice: the last one counts, as in readTree; the reader may leave such input to the tree.
                EventEnvelope decoy = envelope(random, event.apply(random));
                assertThat(assertAlike(write(e, random, decoy)).envelope()).isEqualTo(e);
                assertThat(EventCodec.decode(EventCodec.encodeToString(e))).isEqualTo(e);
            }
        }
        assertThat(types).containsExactlyInAnyOrder(RollcallEvent.class.getPermittedSubclasses());
    }

    @Test
    void theScannerReadsWhatTheEncoderWritesOfEveryTypeItself() {
        Random random = new Random(5);
        int plain = 0;
        for (Function<Random, RollcallEvent> event : EVENTS) {
            for (int i = 0; i < EVENTS_PER_TYPE; i++) {
                EventEnvelope e = envelope(random, event.apply(random));
                byte[] json = EventCodec.encode(e);
                if (isAscii(json)) {
                    // Backslashes and quotes in names arrive escaped: the scanner reads them itself.
                    assertThat(EventJsonScanner.read(json)).as(() -> "left to Jackson: " + describe(json)).isEqualTo(e);
                    plain++;
                }
                // Anything not ASCII written as backslash-u escapes (surrogate pairs too), as some clients write it.
                byte[] escaped = writeAsciiOnly(EventCodec.toTree(e));
                assertThat(isAscii(escaped)).isTrue();
                assertThat(EventJsonScanner.read(escaped)).as(() -> "left to Jackson: " + describe(escaped)).isEqualTo(e);
                assertThat(assertAlike(escaped).envelope()).isEqualTo(e);
            }
        }
        assertThat(plain).as("encoder outputs that are ASCII as written").isGreaterThan(100);
    }

    @Test
    void theScannerLeavesToJacksonWhatItDoesNotReadItself() {
        String event = EventCodec.encodeToString(EventCodecTest.WORKING);
        assertThat(EventJsonScanner.read(event.getBytes(StandardCharsets.UTF_8))).isEqualTo(EventCodecTest.WORKING);
        for (String other : List.of(
                event + " garbage", // trailing content: readTree ignores it
                event.replace("\"PC-0042\"", "\"PC-é\""), // not ASCII
                event.replace("\"source\"", "\"\\u0073ource\""), // an escape in a name
                event.replace("\"datacontenttype\":\"application/json\"", "\"datacontenttype\":1.5"),
                event.replace("\"datacontenttype\":\"application/json\"", "\"datacontenttype\":{}"),
                event.replace("\"datacontenttype\":\"application/json\"", "\"datacontenttype\":9223372036854775808"), // beyond a long
                event.replace("\"datacontenttype\":\"application/json\"", "\"datacontenttype\":\"" + "x".repeat(10_001) + "\""),
                "\uFEFF" + event)) {
            byte[] json = other.getBytes(StandardCharsets.UTF_8);
            assertThat(EventJsonScanner.read(json)).as(other).isNull();
            assertThat(assertAlike(json).envelope()).as(other).isNotNull();
        }
    }

    /** The scanner takes the subject's string again for a user written with the same bytes; never for another. */
    @ParameterizedTest
    @ValueSource(strings = {
            "\"subject\":\"ACME\\\\jdoe\",\"data\":{\"user\":\"ACME\\\\jdoe\",\"state\":\"working\"}",
            "\"subject\":\"ACME\\\\jdoe\",\"data\":{\"user\":\"ACME\\u005cjdoe\",\"state\":\"working\"}",
            "\"subject\":\"ACME\\u005cjdoe\",\"data\":{\"user\":\"ACME\\\\jdoe\",\"state\":\"working\"}",
            "\"subject\":\"jdoe\",\"data\":{\"user\":\"jdoe2\",\"state\":\"working\"}",
            "\"subject\":\"jdoe2\",\"data\":{\"user\":\"jdoe\",\"state\":\"working\"}",
            "\"subject\":\"x\",\"subject\":\"jdoe\",\"data\":{\"user\":\"x\",\"state\":\"working\"}",
            "\"subject\":\"jdoe\",\"subject\":null,\"data\":{\"user\":\"jdoe\",\"state\":\"working\"}",
            "\"data\":{\"user\":\"jdoe\",\"state\":\"working\"},\"subject\":\"other\"",
            "\"subject\":\"jdoe\",\"data\":{\"user\":\"jdoe\",\"user\":\"other\",\"state\":\"working\"}"})
    void theScannerReadsTheUserAsTheSubjectOnlyWhenWrittenAlike(String members) {
        String json = "{\"specversion\":\"1.0\",\"id\":\"0b9c6a1e-4f2d-4c1a-9a57-3f1d2b8e7c10\","
                + "\"type\":\"" + WorkstationStateChanged.TYPE + "\",\"source\":\"ingest/work-tracing\","
                + "\"time\":\"2024-05-10T10:20:30Z\",\"site\":\"hq\"," + members + "}";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        EventEnvelope expected = assertAlike(bytes).envelope();
        assertThat(expected).as(json).isNotNull();
        assertThat(EventJsonScanner.read(bytes)).as(json).isEqualTo(expected);
    }

    @Test
    void everyFieldWithAWrongValueOrLeftOutIsDecodedAlike() {
        Random random = new Random(7);
        int rejected = 0;
        int decoded = 0;
        for (Function<Random, RollcallEvent> event : EVENTS) {
            for (int i = 0; i < 3; i++) {
                ObjectNode tree = EventCodec.toTree(envelope(random, event.apply(random)));
                List<String> dataFields = DATA_FIELDS.get(tree.get("type").textValue());
                for (String field : ENVELOPE_FIELDS) {
                    for (ObjectNode variant : variants(tree, field)) {
                        if (assertAlike(bytes(variant)).envelope() == null) {
                            rejected++;
                        } else {
                            decoded++;
                        }
                    }
                }
                for (String field : dataFields) {
                    for (ObjectNode data : variants((ObjectNode) tree.get("data"), field)) {
                        if (assertAlike(bytes(tree.deepCopy().set("data", data))).envelope() == null) {
                            rejected++;
                        } else {
                            decoded++;
                        }
                    }
                }
            }
        }
        assertThat(rejected).as("variants rejected").isGreaterThan(10_000);
        assertThat(decoded).as("variants still valid").isGreaterThan(1_000);
    }

    @Test
    void truncatedAndCorruptedBytesAreDecodedAlike() {
        Random random = new Random(11);
        byte[] interesting = {'"', '{', '}', '[', ']', ':', ',', '\\', ' ', 'x', '0', '-', 0, 0x1f, 0x7f,
                (byte) 0x80, (byte) 0xc3, (byte) 0xed, (byte) 0xff};
        for (Function<Random, RollcallEvent> event : EVENTS) {
            byte[] json = EventCodec.encode(envelope(random, event.apply(random)));
            for (int length = 0; length < json.length; length++) {
                assertThat(assertAlike(Arrays.copyOf(json, length)).envelope()).isNull();
            }
            for (int i = 0; i < 200; i++) {
                byte[] corrupted = json.clone();
                corrupted[random.nextInt(json.length)] = interesting[random.nextInt(interesting.length)];
                assertAlike(corrupted);
                int at = random.nextInt(json.length);
                byte[] shorter = new byte[json.length - 1];
                System.arraycopy(json, 0, shorter, 0, at);
                System.arraycopy(json, at + 1, shorter, at, json.length - at - 1);
                assertAlike(shorter);
            }
        }
    }

    static Stream<String> malformedInput() {
        String event = EventCodec.encodeToString(EventCodecTest.WORKING);
        return Stream.of("", " ", "\n", "not json", "nul", "null", "true", "false", "0", "-1", "1.5", "\"text\"",
                "[]", "[{}]", "[" + event + "]", "{", "}", "{}", "{\"a\":}", "{\"a\" 1}", "{a:1}", "{'specversion':'1.0'}",
                "{\"specversion\":\"1.0\",}", "{\"specversion\":\"1.0\"", "{\"specversion\":\"1.0", "{\"specversion\"",
                event.substring(0, event.length() - 1),
                event.replace("{\"specversion\"", "{/* comment */\"specversion\""),
                event.replace("\"datacontenttype\":\"application/json\"", "\"datacontenttype\":NaN"),
                event.replace("\"datacontenttype\":\"application/json\"", "\"datacontenttype\":01"),
                event.replace("\"datacontenttype\":\"application/json\"", "\"datacontenttype\":+1"),
                event.replace("\"datacontenttype\":\"application/json\"", "\"datacontenttype\":.5"),
                event.replace("\"datacontenttype\":\"application/json\"", "\"datacontenttype\":1."),
                event.replace("\"datacontenttype\":\"application/json\"", "\"datacontenttype\":0x10"),
                event.replace("\"datacontenttype\":\"application/json\"", "\"datacontenttype\":Infinity"),
                event.replace("\"datacontenttype\":\"application/json\"", "\"datacontenttype\":undefined"),
                event.replace("\"datacontenttype\":\"application/json\"", "\"datacontenttype\":\"a\tb\""),
                event.replace("\"datacontenttype\":\"application/json\"", "\"datacontenttype\":\"\\q\""),
                event.replace("\"datacontenttype\":\"application/json\"", "\"datacontenttype\":\"\\u12\""),
                event.replace("\"datacontenttype\":\"application/json\"", "\"datacontenttype\":[1,]"),
                event.replace("\"datacontenttype\":\"application/json\"", "\"datacontenttype\":{\"a\":1,}"),
                event.replace("\"datacontenttype\":\"application/json\"", "\"datacontenttype\":[}"),
                event.replace("\"specversion\":\"1.0\"", "\"specversion\":\"0.3\""),
                event.replace("\"specversion\":\"1.0\"", "\"specversion\":1.0"),
                event.replace("\"specversion\":\"1.0\"", "\"specversion\":null"),
                event.replace("\"specversion\":\"1.0\",", ""),
                event.replace("\"type\":\"rollcall.workstation.state-changed.v1\",", ""),
                event.replace("rollcall.workstation.state-changed.v1", "rollcall.future.thing.v9"),
                event.replace("\"data\":{", "\"data\":[{").replace("}}", "}]}"),
                event.replace("\"state\":\"working\"", "\"state\":\"napping\""),
                event.replace("\"site\":\"hq\"", "\"site\":\"Not A Site\""),
                event.replace("\"time\":\"2024-05-10T10:20:30Z\"", "\"time\":\"2024-05-10T10:20:30\""),
                event.replace("\"time\":\"2024-05-10T10:20:30Z\"", "\"time\":\"2024-02-30T10:20:30Z\""),
                event.replace("\"ACME\\\\jdoe\",\"host\"", "\"\\u0007\",\"host\""));
    }

    @ParameterizedTest
    @MethodSource("malformedInput")
    void malformedInputIsRejectedAlike(String json) {
        Outcome expected = assertAlike(json.getBytes(StandardCharsets.UTF_8));
        assertThat(expected.exception()).as(json).isAssignableTo(EventDecodingException.class);
        assertThat(expected.message()).as(json).isNotBlank();
    }

    static Stream<String> oddButReadableInput() {
        String event = EventCodec.encodeToString(EventCodecTest.WORKING);
        String data = "\"data\":{\"user\":\"ACME\\\\jdoe\",\"host\":\"PC-0042\",\"state\":\"working\"}";
        return Stream.of(
                // readTree reads one value and ignores whatever follows it.
                event + " garbage", event + "}", event + "{", event + ",", event + "\u0000", event + event,
                // Data before the type, duplicated keys (the last counts), JSON nulls for optional fields.
                "{" + data + "," + event.substring(1, event.indexOf(",\"data\"")) + "}",
                event.replace("\"state\":\"working\"", "\"state\":\"stopped\",\"state\":\"working\""),
                event.replace("\"site\":\"hq\"", "\"site\":5,\"site\":\"hq\""),
                event.replace("\"data\":{", "\"data\":\"first\",\"data\":{"),
                event.replace("\"data\":{", "\"data\":{\"user\":\"someone else\",\"state\":\"stopped\"},\"data\":{"),
                event.replace("\"subject\":\"ACME\\\\jdoe\"", "\"subject\":null"),
                event.replace("\"host\":\"PC-0042\"", "\"host\":null"),
                // Escapes, lone surrogates and whitespace the encoder never writes.
                event.replace("\"PC-0042\"", "\"PC-\\u0030042\""),
                event.replace("\"PC-0042\"", "\"PC-\\ud800\""),
                event.replace("\"PC-0042\"", "\"PC-\\udc00\\ud800\""),
                event.replace("\"source\"", "\"\\u0073ource\""),
                event.replace(",\"", " ,\n\t\"").replace("\":", "\" :\r\n "),
                event.replace("\"time\":\"2024-05-10T10:20:30Z\"", "\"time\":\"2024-05-10T12:20:30+02:00\""),
                event.replace("\"time\":\"2024-05-10T10:20:30Z\"", "\"time\":\"2024-05-09T24:00:00z\""),
                event.replace("\"datacontenttype\":\"application/json\",", ""),
                // UUID.fromString takes groups shorter than the canonical form.
                event.replace("0b9c6a1e-4f2d-4c1a-9a57-3f1d2b8e7c10", "b9c6a1e-4f2d-4c1a-9a57-3f1d2b8e7c10"),
                event.replace("0b9c6a1e-4f2d-4c1a-9a57-3f1d2b8e7c10", "0b9c6a1e-4f2d-4c1a-9a57-3f1d2b8e7c1"),
                event.replace("0b9c6a1e-4f2d-4c1a-9a57-3f1d2b8e7c10", "0B9C6A1E-4F2D-4C1A-9A57-3F1D2B8E7C10"));
    }

    @ParameterizedTest
    @MethodSource("oddButReadableInput")
    void oddButReadableInputIsDecodedAlike(String json) {
        assertThat(assertAlike(json.getBytes(StandardCharsets.UTF_8)).envelope()).as(json).isNotNull();
    }

    @Test
    void otherEncodingsAndBrokenUtf8AreDecodedAlike() {
        String event = EventCodec.encodeToString(EventCodecTest.WORKING);
        assertThat(assertAlike(event.getBytes(StandardCharsets.UTF_16BE)).envelope()).isEqualTo(EventCodecTest.WORKING);
        assertThat(assertAlike(event.getBytes(StandardCharsets.UTF_16LE)).envelope()).isEqualTo(EventCodecTest.WORKING);
        assertThat(assertAlike(concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, event.getBytes(StandardCharsets.UTF_8)))
                .envelope()).isEqualTo(EventCodecTest.WORKING);
        assertAlike(event.getBytes(Charset.forName("UTF-32BE")));
        assertAlike(new byte[] {0, 0, 0, '{', 0, 0, 0, '}'});
        assertAlike(new byte[] {(byte) 0xfe, (byte) 0xff, 0});
        byte[] utf8 = event.getBytes(StandardCharsets.UTF_8);
        for (byte[] broken : List.of(new byte[] {(byte) 0xc3, 0x28}, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                new byte[] {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, new byte[] {(byte) 0xff},
                new byte[] {(byte) 0xc0, (byte) 0xaf}, new byte[] {(byte) 0xe2, (byte) 0x82})) {
            String host = "\"PC-0042\"";
            int at = event.indexOf(host) + 1;
            assertAlike(concat(Arrays.copyOf(utf8, at), broken, Arrays.copyOfRange(utf8, at, utf8.length)));
        }
    }

    @Test
    void theParsersLimitsRejectAlikeEvenInFieldsNobodyReads() {
        String event = EventCodec.encodeToString(EventCodecTest.WORKING);
        for (String junk : List.of("\"" + "x".repeat(20_000_001) + "\"", "1".repeat(1_001), "1." + "1".repeat(1_000),
                "[".repeat(1_001) + "]".repeat(1_001))) {
            String top = event.replace("\"datacontenttype\":\"application/json\"", "\"datacontenttype\":" + junk);
            assertThat(assertAlike(top.getBytes(StandardCharsets.UTF_8)).message()).startsWith("not JSON: ");
            String inData = event.replace("\"state\":\"working\"", "\"state\":\"working\",\"extra\":" + junk);
            assertThat(assertAlike(inData.getBytes(StandardCharsets.UTF_8)).message()).startsWith("not JSON: ");
        }
        String longName = event.replace("\"datacontenttype\"", "\"" + "n".repeat(50_001) + "\"");
        assertAlike(longName.getBytes(StandardCharsets.UTF_8));
    }

    // ---- what decoding came to

    /** An envelope, or the exception: its class, its message and its cause's class. */
    private record Outcome(EventEnvelope envelope, Class<?> exception, String message, Class<?> cause) {

        static Outcome of(Supplier<EventEnvelope> decoding) {
            try {
                return new Outcome(decoding.get(), null, null, null);
            } catch (RuntimeException e) {
                return new Outcome(null, e.getClass(), e.getMessage(), e.getCause() == null ? null : e.getCause().getClass());
            }
        }
    }

    /** {@code decode} as it was before it streamed. */
    private static EventEnvelope decodeOverTheTree(byte[] json) {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (JsonProcessingException ex) {
            throw new EventDecodingException("not JSON: " + ex.getOriginalMessage(), ex);
        } catch (IOException ex) {
            throw new EventDecodingException("cannot read JSON", ex);
        }
        return EventCodec.fromTree(n);
    }

    /**
     * decode comes to what the tree path comes to, and the streaming reader, when it decides at all, decides the
     * same: it never accepts what the tree path rejects.
     */
    private static Outcome assertAlike(byte[] json) {
        Outcome expected = Outcome.of(() -> decodeOverTheTree(json));
        assertThat(Outcome.of(() -> EventCodec.decode(json))).as(() -> describe(json)).isEqualTo(expected);
        EventEnvelope streamed = EventJsonReader.read(json);
        if (streamed != null) {
            assertThat(streamed).as(() -> "streamed " + describe(json)).isEqualTo(expected.envelope());
        }
        EventEnvelope scanned = EventJsonScanner.read(json);
        if (scanned != null) {
            assertThat(scanned).as(() -> "scanned " + describe(json)).isEqualTo(expected.envelope());
        }
        return expected;
    }

    /** Decoded as {@code expected} by decode, by the tree path, and by the streaming reader itself. */
    private static void assertStreamedAs(byte[] json, EventEnvelope expected) {
        assertThat(assertAlike(json).envelope()).as(() -> describe(json)).isEqualTo(expected);
        assertThat(EventJsonReader.read(json)).as(() -> "left to the tree: " + describe(json)).isEqualTo(expected);
    }

    private static boolean isAscii(byte[] json) {
        for (byte b : json) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] writeAsciiOnly(JsonNode tree) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = ASCII_ONLY.createGenerator(out, JsonEncoding.UTF8)) {
            JSON.writeTree(g, tree);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    private static String describe(byte[] json) {
        String s = new String(json, StandardCharsets.UTF_8);
        return s.length() <= 2_000 ? s : s.substring(0, 2_000) + "… (" + json.length + " bytes)";
    }

    // ---- writing an event in the ways JSON allows

    /**
     * The event as JSON with its fields shuffled, unknown fields added (also ones named like other types' data fields),
     * absent optional fields sometimes written as null, enum values in any case with spaces around, and sometimes
     * pretty-printed, non-ASCII escaped, in UTF-16, behind a byte order mark or followed by trailing content. With a
     * {@code decoy}, some keys are written twice, the first time with junk or with the decoy's value.
     */
    private static byte[] write(EventEnvelope e, Random r, EventEnvelope decoy) {
        ObjectNode tree = EventCodec.toTree(e);
        ObjectNode data = (ObjectNode) tree.get("data");
        List<String> dataFields = DATA_FIELDS.get(e.type());
        ObjectNode writtenData = scrambled(data, r, dataFields, Set.of("state", "kind"),
                extraNames(dataFields, Set.of("comment", "type", "id", "time", "data", "specversion")));
        tree.set("data", writtenData);
        ObjectNode written = scrambled(tree, r, List.of("subject"), Set.of(),
                List.of("comment", "dataschema", "traceparent", "user", "mac", "state", "start", "devicesOnline"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean utf16 = r.nextInt(20) == 0;
        if (!utf16 && r.nextInt(20) == 0) {
            out.writeBytes(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf});
        }
        try (JsonGenerator g = (r.nextInt(4) == 0 ? ASCII_ONLY : JSON.getFactory())
                .createGenerator(out, utf16 ? JsonEncoding.UTF16_BE : JsonEncoding.UTF8)) {
            if (r.nextBoolean()) {
                g.useDefaultPrettyPrinter();
            }
            writeObject(g, written, r, decoy == null ? null : EventCodec.toTree(decoy));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        if (!utf16 && r.nextInt(20) == 0) {
            out.writeBytes(oneOf(r, " trailing", "}", "{\"more\":", "\n" + EventCodec.encodeToString(EventCodecTest.WORKING))
                    .getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /** A copy of {@code n} with its fields in random order, unknown fields and nulls for some absent optional ones. */
    private static ObjectNode scrambled(ObjectNode n, Random r, List<String> optional, Set<String> enums, List<String> extras) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        for (String name : optional) {
            if (!n.has(name) && r.nextInt(3) == 0) {
                names.add(name);
            }
        }
        for (int i = r.nextInt(4); i > 0; i--) {
            names.add(oneOf(r, extras.toArray(String[]::new)));
        }
        Collections.shuffle(names, r);
        ObjectNode out = JSON.createObjectNode();
        for (String name : new LinkedHashSet<>(names)) {
            JsonNode value = n.has(name) ? n.get(name) : optional.contains(name) ? JSON.nullNode() : oneOf(r, JUNK);
            if (enums.contains(name) && n.has(name) && r.nextBoolean()) {
                value = JSON.getNodeFactory().textNode(" ".repeat(r.nextInt(3)) + randomCase(r, value.textValue())
                        + " ".repeat(r.nextInt(3)));
            }
            out.set(name, value);
        }
        return out;
    }

    private static void writeObject(JsonGenerator g, ObjectNode n, Random r, ObjectNode decoy) throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, JsonNode> field : n.properties()) {
            if (decoy != null && r.nextInt(4) == 0) {
                g.writeFieldName(field.getKey());
                JSON.writeTree(g, decoy.has(field.getKey()) && r.nextBoolean() ? decoy.get(field.getKey()) : oneOf(r, JUNK));
            }
            g.writeFieldName(field.getKey());
            if (field.getValue() instanceof ObjectNode data && field.getKey().equals("data")) {
                writeObject(g, data, r, decoy == null ? null : (ObjectNode) decoy.get("data"));
            } else {
                JSON.writeTree(g, field.getValue());
            }
        }
        g.writeEndObject();
    }

    /** Each variant of {@code n}: without {@code field}, then with each wrong value in its place. */
    private static List<ObjectNode> variants(ObjectNode n, String field) {
        List<ObjectNode> out = new ArrayList<>();
        ObjectNode without = n.deepCopy();
        without.remove(field);
        out.add(without);
        for (JsonNode wrong : WRONG_VALUES) {
            out.add(n.deepCopy().set(field, wrong));
        }
        return out;
    }

    /** Other types' data field names and the given ones: fields this type does not read. */
    private static List<String> extraNames(List<String> own, Set<String> more) {
        Set<String> names = new HashSet<>(more);
        DATA_FIELDS.values().forEach(names::addAll);
        names.removeAll(own);
        return names.stream().sorted().toList();
    }

    private static byte[] bytes(JsonNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (JsonProcessingException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static List<JsonNode> nodes(String... json) {
        return Arrays.stream(json).map(s -> {
            try {
                return JSON.readTree(s);
            } catch (JsonProcessingException ex) {
                throw new UncheckedIOException(ex);
            }
        }).toList();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Arrays.stream(parts).forEach(out::writeBytes);
        return out.toByteArray();
    }

    // ---- random values the records accept

    private static EventEnvelope envelope(Random r, RollcallEvent data) {
        return EventEnvelope.of(new UUID(r.nextLong(), r.nextLong()), oneOf(r, "ingest/work-tracing", "agent/hq-office-1",
                        "admin/alice", " " + text(r, 30)), instant(r), oneOf(r, "hq", "lab", "b-2", "0", "site-" + r.nextInt(1_000)),
                maybe(r, () -> text(r, 40)), data);
    }

    /** Mostly this century, to any precision; one in ten anywhere from year -5000 to 15000. */
    private static Instant instant(Random r) {
        long seconds = r.nextInt(10) == 0
                ? r.nextLong(-219_900_000_000L, 411_200_000_000L)
                : r.nextLong(946_684_800L, 4_102_444_800L);
        int nanos = switch (r.nextInt(4)) {
            case 0 -> 0;
            case 1 -> r.nextInt(1_000) * 1_000_000;
            case 2 -> r.nextInt(1_000_000) * 1_000;
            default -> r.nextInt(1_000_000_000);
        };
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /** 1 to {@code max} characters, never blank: letters, digits, spaces, JSON escapes, accents, CJK, a surrogate pair. */
    private static String text(Random r, int max) {
        String[] pieces = {"a", "Z", "7", " ", "\\", "\"", "/", "é", "ß", "€", "日本", "𝄞", "-", "_", ".", "'"};
        StringBuilder s = new StringBuilder(oneOf(r, "j", "PC", "Ö", "名"));
        int length = 1 + r.nextInt(max);
        while (s.length() < length - 1) {
            s.append(oneOf(r, pieces));
        }
        return s.toString();
    }

    private static String user(Random r) {
        return oneOf(r, "ACME\\", "", "CORP\\") + text(r, 30);
    }

    private static String mac(Random r) {
        StringJoiner mac = new StringJoiner(r.nextBoolean() ? ":" : "-");
        for (int i = 0; i < 6; i++) {
            mac.add(String.format("%02x", r.nextInt(256)));
        }
        return r.nextBoolean() ? mac.toString().toUpperCase(Locale.ROOT) : mac.toString();
    }

    private static String ip(Random r) {
        return r.nextBoolean()
                ? r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256)
                : "fe80::" + Integer.toHexString(r.nextInt(0x10000)) + (r.nextBoolean() ? "%eth0" : "");
    }

    private static String employeeId(Random r) {
        return oneOf(r, "e-", "E.", "jane_doe", "7") + r.nextInt(100_000);
    }

    private static String agentId(Random r) {
        return oneOf(r, "hq-office-", "A_", "agent") + r.nextInt(1_000);
    }

    private static ZoneId zone(Random r) {
        return ZoneId.of(oneOf(r, "UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires", "Asia/Kolkata", "Z",
                "+05:30", "GMT+2", "Etc/GMT-3"));
    }

    private static List<String> workstationUsers(Random r) {
        Set<String> users = new LinkedHashSet<>();
        for (int i = r.nextInt(EmployeeUpdated.MAX_WORKSTATION_USERS + 1); i > 0; i--) {
            users.add(user(r).strip());
        }
        return List.copyOf(users);
    }

    private static String randomCase(Random r, String s) {
        StringBuilder out = new StringBuilder();
        s.chars().forEach(c -> out.append((char) (r.nextBoolean() ? Character.toUpperCase(c) : c)));
        return out.toString();
    }

    private static <T> T maybe(Random r, Supplier<T> value) {
        return r.nextBoolean() ? value.get() : null;
    }

    @SafeVarargs
    private static <T> T oneOf(Random r, T... options) {
        return options[r.nextInt(options.length)];
    }

    private static <T> T oneOf(Random r, List<T> options) {
        return options.get(r.nextInt(options.size()));
    }
}
