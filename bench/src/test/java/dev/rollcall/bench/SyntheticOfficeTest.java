package dev.rollcall.bench;

import dev.rollcall.events.EventCodec;
import dev.rollcall.events.WorkstationState;
import dev.rollcall.events.WorkstationStateChanged;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SyntheticOfficeTest {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    static SyntheticOffice.Settings settings(long seed, int employees, int days) {
        // 2024-03-04 is a Monday; the range crosses the switch to summer time on 2024-03-31
        return new SyntheticOffice.Settings(seed, employees, LocalDate.of(2024, 3, 4), days, Duration.ofMinutes(5), BERLIN,
                "hq", 0.02, 0.02);
    }

    static List<SyntheticOffice.Delivery> generate(SyntheticOffice.Settings s) {
        List<SyntheticOffice.Delivery> out = new ArrayList<>();
        new SyntheticOffice(s).generate(out::add);
        return out;
    }

    @Test
    void theSameSeedGivesTheSameDeliveriesIdsAndBytesIncluded() {
        List<SyntheticOffice.Delivery> a = generate(settings(7, 20, 10));
        List<SyntheticOffice.Delivery> b = generate(settings(7, 20, 10));
        assertThat(a).isNotEmpty().isEqualTo(b);
        for (int i = 0; i < a.size(); i += 97) {
            assertThat(EventCodec.encode(a.get(i).event())).isEqualTo(EventCodec.encode(b.get(i).event()));
        }
    }

    @Test
    void anotherSeedGivesAnotherOffice() {
        List<SyntheticOffice.Delivery> a = generate(settings(7, 20, 10));
        List<SyntheticOffice.Delivery> b = generate(settings(8, 20, 10));
        assertThat(a.getFirst().event().id()).isNotEqualTo(b.getFirst().event().id());
        assertThat(a.size()).isNotEqualTo(b.size());
    }

    @Test
    void aboutTwoPercentDuplicatesAndTwoPercentLate() {
        List<SyntheticOffice.Delivery> all = new ArrayList<>();
        SyntheticOffice.Totals totals = new SyntheticOffice(settings(42, 100, 28)).generate(all::add);
        long duplicates = all.stream().filter(d -> d.kind() == SyntheticOffice.Kind.DUPLICATE).count();
        long late = all.stream().filter(d -> d.kind() == SyntheticOffice.Kind.LATE).count();
        long events = all.size() - duplicates;

        assertThat(events).isGreaterThan(100_000);
        assertThat(totals.events()).isEqualTo(events);
        assertThat(totals.deliveries()).isEqualTo(all.size());
        assertThat(totals.duplicates()).isEqualTo(duplicates);
        assertThat(totals.late()).isEqualTo(late);
        assertThat((double) duplicates / events).isCloseTo(0.02, within(0.002));
        assertThat((double) late / events).isCloseTo(0.02, within(0.002));
    }

    @Test
    void aDuplicateIsTheSameEnvelopeAgainAndEveryOtherIdIsUnique() {
        List<SyntheticOffice.Delivery> all = generate(settings(42, 30, 14));
        Map<UUID, SyntheticOffice.Delivery> firsts = new HashMap<>();
        for (SyntheticOffice.Delivery d : all) {
            SyntheticOffice.Delivery first = firsts.putIfAbsent(d.event().id(), d);
            if (d.kind() == SyntheticOffice.Kind.DUPLICATE) {
                assertThat(first).as("a duplicate comes after its original").isNotNull();
                assertThat(d.event()).isEqualTo(first.event());
                assertThat(Duration.between(first.deliveredAt(), d.deliveredAt())).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(120));
            } else {
                assertThat(first).as("an id is minted once").isNull();
            }
        }
    }

    @Test
    void deliveriesComeInDeliveryOrderAndLateOnesAfterNewerReportsOfTheSamePerson() {
        List<SyntheticOffice.Delivery> all = generate(settings(42, 30, 14));
        Instant previous = Instant.MIN;
        Map<String, Instant> newestSeen = new HashMap<>();
        int overtaken = 0;
        for (SyntheticOffice.Delivery d : all) {
            assertThat(d.deliveredAt()).isAfterOrEqualTo(previous);
            previous = d.deliveredAt();
            if (d.kind() == SyntheticOffice.Kind.LATE) {
                assertThat(Duration.between(d.event().time(), d.deliveredAt())).isBetween(Duration.ofMinutes(1), Duration.ofHours(4));
            }
            if (d.kind() == SyntheticOffice.Kind.ON_TIME) {
                assertThat(d.deliveredAt()).isEqualTo(d.event().time());
            }
            Instant newest = newestSeen.merge(d.event().subject(), d.event().time(), (a, b) -> a.isAfter(b) ? a : b);
            if (d.event().time().isBefore(newest)) {
                overtaken++;
            }
        }
        assertThat(overtaken).as("late reports arrive after newer ones: out of order").isGreaterThan(50);
    }

    @Test
    void peopleWorkOnWeekdaysArrivingBetweenEightAndHalfPastNineAndReportAtTheCadence() {
        SyntheticOffice.Settings s = settings(3, 40, 28);
        Map<String, List<SyntheticOffice.Delivery>> byPersonDay = new HashMap<>();
        Set<String> users = new HashSet<>();
        for (SyntheticOffice.Delivery d : generate(s)) {
            if (d.kind() == SyntheticOffice.Kind.DUPLICATE) {
                continue;
            }
            LocalDate day = d.event().time().atZone(BERLIN).toLocalDate();
            assertThat(day.getDayOfWeek()).isNotIn(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
            assertThat(d.event().site()).isEqualTo("hq");
            assertThat(d.event().source()).isEqualTo(SyntheticOffice.SOURCE);
            WorkstationStateChanged w = (WorkstationStateChanged) d.event().data();
            assertThat(d.event().subject()).isEqualTo(w.user());
            users.add(w.user());
            byPersonDay.computeIfAbsent(w.user() + " " + day, k -> new ArrayList<>()).add(d);
        }
        assertThat(users).hasSize(40).contains("ACME\\emp0001", "ACME\\emp0040");
        // 20 working days, 4% absent
        assertThat(byPersonDay).hasSizeBetween(740, 790);
        for (List<SyntheticOffice.Delivery> day : byPersonDay.values()) {
            List<SyntheticOffice.Delivery> sorted = day.stream().sorted((a, b) -> a.event().time().compareTo(b.event().time())).toList();
            LocalTime arrival = sorted.getFirst().event().time().atZone(BERLIN).toLocalTime();
            assertThat(arrival).isBetween(LocalTime.of(8, 0), LocalTime.of(9, 30));
            WorkstationStateChanged last = (WorkstationStateChanged) sorted.getLast().event().data();
            assertThat(last.state()).as("a day ends stopped").isEqualTo(WorkstationState.STOPPED);
            Duration span = Duration.between(sorted.getFirst().event().time(), sorted.getLast().event().time());
            assertThat(span).isBetween(Duration.ofHours(6), Duration.ofHours(10));
            for (int i = 1; i < sorted.size(); i++) {
                Duration gap = Duration.between(sorted.get(i - 1).event().time(), sorted.get(i).event().time());
                assertThat(gap).as("working reports are a cadence apart, breaks at most an hour").isBetween(Duration.ZERO, Duration.ofMinutes(61));
            }
        }
    }
}
