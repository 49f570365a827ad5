package dev.rollcall.projection.workstation;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link LocalDays} against {@code atZone(zone).toLocalDate()}, across DST changes (one at midnight, one of 30 minutes). */
class LocalDaysTest {

    private static final List<String> ZONES = List.of("UTC", "Europe/Berlin", "America/Sao_Paulo", "Australia/Lord_Howe",
            "Asia/Kolkata", "+05:30", "Pacific/Apia", "America/St_Johns");

    @Test
    void givesTheDateTheZoneGivesForInstantsInTimeOrderAndOutOfIt() {
        Random random = new Random(3);
        for (String id : ZONES) {
            ZoneId zone = ZoneId.of(id);
            LocalDays days = new LocalDays(zone.getRules());
            // a walk through 2011 to 2019 (Samoa skipped a day, Brazil changed at midnight) in steps of up to 3 hours,
            // with a jump back now and then, as late reports come
            Instant t = Instant.parse("2011-01-01T00:00:00Z");
            for (int n = 0; n < 200_000; n++) {
                t = random.nextInt(50) == 0 ? t.minusSeconds(random.nextInt(200_000)) : t.plusSeconds(random.nextInt(10_800)).plusNanos(random.nextInt(1_000_000_000));
                assertThat(days.epochDay(t)).as("%s at %s", id, t).isEqualTo(t.atZone(zone).toLocalDate().toEpochDay());
            }
        }
    }

    @Test
    void theSecondsAroundAChangeOfOffset() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        LocalDays days = new LocalDays(berlin.getRules());
        Instant change = Instant.parse("2026-10-25T01:00:00Z"); // 03:00 summer time becomes 02:00 winter time
        for (long s = -7_300; s <= 7_300; s++) {
            Instant t = change.plusSeconds(s).minusNanos(1);
            assertThat(days.epochDay(t)).as("%s", t).isEqualTo(t.atZone(berlin).toLocalDate().toEpochDay());
        }
        Instant midnight = Instant.parse("2026-10-24T22:00:00Z"); // 00:00 in Berlin, summer time
        assertThat(days.epochDay(midnight.minusNanos(1))).isEqualTo(days.epochDay(midnight) - 1);
    }
}
