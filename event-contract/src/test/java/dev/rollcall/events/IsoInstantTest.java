package dev.rollcall.events;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link IsoInstant} must read everything exactly as {@link Instant#parse} does, only faster for what Instant writes. */
class IsoInstantTest {

    /** Year 0000 to 9999 in seconds since the epoch: the years Instant.toString writes with four digits. */
    private static final long YEAR_0 = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    private static final long YEAR_10000 = Instant.parse("+10000-01-01T00:00:00Z").getEpochSecond();

    @ParameterizedTest
    @ValueSource(strings = {
            "2024-05-10T10:20:30Z",
            "2024-05-10T10:20:30.1Z", "2024-05-10T10:20:30.12Z", "2024-05-10T10:20:30.123Z",
            "2024-05-10T10:20:30.1234Z", "2024-05-10T10:20:30.12345Z", "2024-05-10T10:20:30.123456Z",
            "2024-05-10T10:20:30.1234567Z", "2024-05-10T10:20:30.12345678Z", "2024-05-10T10:20:30.123456789Z",
            "2024-05-10T10:20:30.000000001Z", "2024-05-10T10:20:30.900Z", "2024-05-10T10:20:30.0Z",
            "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z",
            "2024-02-29T12:00:00Z", "2000-02-29T12:00:00Z", "1600-02-29T00:00:00Z", "0000-02-29T00:00:00Z",
            "0000-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "0999-12-31T23:59:59Z", "9999-12-31T23:59:59.999999999Z",
            "2024-01-31T00:00:00Z", "2024-04-30T00:00:00Z", "2024-12-31T23:59:59Z",
    })
    void readsWhatInstantWritesItself(String text) {
        assertThat(IsoInstant.parseCanonical(text)).as(text).isEqualTo(Instant.parse(text));
        assertSameAsInstantParse(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // Not dates: Instant.parse refuses these, and IsoInstant leaves them to it to say so.
            "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2024-04-31T00:00:00Z", "2024-13-01T00:00:00Z",
            "2024-00-10T00:00:00Z", "2024-01-00T00:00:00Z", "2024-01-32T00:00:00Z", "2024-05-10T25:00:00Z",
            "2024-05-10T10:60:00Z", "2024-05-10T10:20:61Z", "9999-12-31T23:59:59.9999999999Z",
            // Not the form Instant writes, yet some are instants to Instant.parse: they go to it.
            "2024-05-10T10:20:30z", "2024-05-10t10:20:30Z", "2024-05-10T10:20:30+01:00", "2024-05-10T10:20:30-05:30",
            "2024-05-10T10:20:30+01", "2024-05-10T10:20:30+00:00", "2024-05-10T24:00:00Z", "2024-12-31T23:59:60Z",
            "2024-05-10T10:20:30.Z", "2024-05-10T10:20:30,5Z", "2024-05-10T10:20Z", "2024-05-10T10:20:30",
            "2024-05-10 10:20:30Z", "+2024-05-10T10:20:30Z", "-0001-12-31T00:00:00Z", "+10000-01-01T00:00:00Z",
            "+1000000000-12-31T23:59:59.999999999Z", "-1000000000-01-01T00:00:00Z", "20240510T102030Z",
            "2024-5-10T10:20:30Z", "٢٠٢٤-05-10T10:20:30Z", "2024-05-10T10:20:30Z ", " 2024-05-10T10:20:30Z",
            "2024-05-10T10:20:30.-1Z", "2024-05-10T1a:20:30Z", "2024/05/10T10:20:30Z", "", "Z", "yesterday",
    })
    void leavesEverythingElseToInstantParse(String text) {
        assertThat(IsoInstant.parseCanonical(text)).as(text).isNull();
        assertSameAsInstantParse(text);
    }

    @Test
    void agreesWithInstantParseOnRandomInstantsOfEveryPrecision() {
        Random random = new Random(20240510);
        for (int i = 0; i < 50_000; i++) {
            long second = YEAR_0 + (long) (random.nextDouble() * (YEAR_10000 - YEAR_0));
            int nanos = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(second, nanos);
            String text = instant.toString();
            assertThat(IsoInstant.parseCanonical(text)).as(text).isEqualTo(instant);
            // Fractions of any length from 1 to 9 digits, not only the 3, 6 or 9 that toString writes.
            String fraction = String.format("%09d", nanos).substring(0, 1 + random.nextInt(9));
            assertSameAsInstantParse(text.substring(0, 19) + "." + fraction + "Z");
        }
    }

    @Test
    void agreesWithInstantParseWhenOneCharacterIsWrong() {
        Random random = new Random(8);
        String alphabet = "0123456789-:.TtZz+ x/";
        for (int i = 0; i < 50_000; i++) {
            long second = YEAR_0 + (long) (random.nextDouble() * (YEAR_10000 - YEAR_0));
            char[] text = Instant.ofEpochSecond(second, random.nextInt(1_000_000_000)).toString().toCharArray();
            text[random.nextInt(text.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
            assertSameAsInstantParse(new String(text));
        }
    }

    /** The same instant, or the same exception with the same message. */
    private static void assertSameAsInstantParse(String text) {
        Object expected;
        try {
            expected = Instant.parse(text);
        } catch (RuntimeException e) {
            expected = e.getClass().getName() + ": " + e.getMessage();
        }
        Object actual;
        try {
            actual = IsoInstant.parse(text);
        } catch (RuntimeException e) {
            actual = e.getClass().getName() + ": " + e.getMessage();
        }
        assertThat(actual).as(text).isEqualTo(expected);
    }
}
