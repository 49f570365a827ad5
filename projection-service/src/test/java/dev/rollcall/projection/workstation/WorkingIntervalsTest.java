package dev.rollcall.projection.workstation;

import dev.rollcall.events.WorkstationState;
import dev.rollcall.projection.workstation.WorkingInterval.EndedBy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;
import java.util.UUID;

import static dev.rollcall.events.WorkstationState.STOPPED;
import static dev.rollcall.events.WorkstationState.WORKING;
import static org.assertj.core.api.Assertions.assertThat;

/** Every rule of issue 3, one at a time, on the pure fold. */
class WorkingIntervalsTest {

    static final ZoneId UTC = ZoneOffset.UTC;
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final Duration TIMEOUT = Duration.ofMinutes(10);

    @Test
    void theFoldOfPackedReportsIsTheFold() {
        Random random = new Random(17);
        for (int trial = 0; trial < 3_000; trial++) {
            Duration timeout = Duration.ofNanos(random.nextInt(4) == 0 ? 1 + random.nextLong(1_200_000_000_000L)
                    : Duration.ofMinutes(1 + random.nextInt(20)).toNanos());
            List<StateReport> reports = new ArrayList<>();
            long micros = 1_700_000_000_000_000L + random.nextLong(1_000_000_000_000L);
            for (int n = random.nextInt(60); n > 0; n--) {
                long whole = timeout.toNanos() / 1_000; // gaps right at the timeout, either side of it, none, any
                micros += switch (random.nextInt(6)) {
                    case 0 -> 0;
                    case 1 -> whole;
                    case 2 -> whole + 1;
                    case 3 -> Math.max(0, whole - 1);
                    default -> random.nextLong(2 * whole + 2);
                };
                reports.add(new StateReport(UUID.randomUUID(), Instant.EPOCH.plus(micros, java.time.temporal.ChronoUnit.MICROS),
                        random.nextInt(3) == 0 ? STOPPED : WORKING));
            }
            List<StateReport> ordered = new ArrayList<>(reports);
            ordered.sort(StateReport.ORDER);

            List<WorkingInterval> packed = WorkingIntervals.foldOrdered(ordered.size(),
                    k -> java.time.temporal.ChronoUnit.MICROS.between(Instant.EPOCH, ordered.get(k).at()), k -> ordered.get(k).working(), timeout);

            assertThat(packed).as("trial %d, timeout %s", trial, timeout).isEqualTo(WorkingIntervals.fold(reports, timeout));
        }
    }

    @Test
    void aRepeatedWorkingContinuesTheInterval() {
        List<StateReport> reports = new ArrayList<>(everyMinute("2026-11-20T09:00:00Z", 60, WORKING));
        reports.add(report("2026-11-20T10:00:00Z", STOPPED));

        assertThat(WorkingIntervals.fold(reports, TIMEOUT)).containsExactly(new WorkingInterval(
                at("2026-11-20T09:00:00Z"), at("2026-11-20T10:00:00Z"), EndedBy.STOPPED, at("2026-11-20T09:59:00Z"), 60));
    }

    @Test
    void aStoppedWhileStoppedChangesNothing() {
        List<StateReport> reports = List.of(
                report("2026-11-20T08:00:00Z", STOPPED),
                report("2026-11-20T09:00:00Z", WORKING),
                report("2026-11-20T09:08:00Z", STOPPED),
                report("2026-11-20T09:09:00Z", STOPPED),
                report("2026-11-20T09:12:00Z", STOPPED));

        assertThat(WorkingIntervals.fold(reports, TIMEOUT)).extracting(WorkingInterval::start, WorkingInterval::end)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(at("2026-11-20T09:00:00Z"), at("2026-11-20T09:08:00Z")));
        assertThat(WorkingIntervals.fold(List.of(report("2026-11-20T08:00:00Z", STOPPED)), TIMEOUT)).isEmpty();
    }

    @Test
    void withoutAStoppedTheIntervalEndsAtTheAutoTimeout() {
        List<StateReport> reports = everyMinute("2026-11-20T09:00:00Z", 30, WORKING); // last at 09:29

        assertThat(WorkingIntervals.fold(reports, TIMEOUT)).containsExactly(new WorkingInterval(
                at("2026-11-20T09:00:00Z"), at("2026-11-20T09:39:00Z"), EndedBy.TIMEOUT, at("2026-11-20T09:29:00Z"), 30));
    }

    @Test
    void aGapLongerThanTheTimeoutSplitsTheIntervalAndALateStoppedDoesNotReachBack() {
        List<StateReport> reports = List.of(
                report("2026-11-20T09:00:00Z", WORKING),
                report("2026-11-20T09:10:00Z", WORKING),          // exactly the timeout: continues
                report("2026-11-20T09:20:01Z", WORKING),          // a second too late: a new interval
                report("2026-11-20T09:45:00Z", STOPPED));         // 25 min after: closes nothing

        assertThat(WorkingIntervals.fold(reports, TIMEOUT)).containsExactly(
                new WorkingInterval(at("2026-11-20T09:00:00Z"), at("2026-11-20T09:20:00Z"), EndedBy.TIMEOUT, at("2026-11-20T09:10:00Z"), 2),
                new WorkingInterval(at("2026-11-20T09:20:01Z"), at("2026-11-20T09:30:01Z"), EndedBy.TIMEOUT, at("2026-11-20T09:20:01Z"), 1));
    }

    @Test
    void aStartAndAStopAtTheSameInstantMakeNoInterval() {
        assertThat(WorkingIntervals.fold(List.of(report("2026-11-20T09:00:00Z", STOPPED),
                report("2026-11-20T09:00:00Z", WORKING)), TIMEOUT)).isEmpty();
    }

    @Test
    void realWorkHoursAreWholeFortyMinuteBlocksOfOneInterval() {
        WorkRules rules = WorkRules.defaults(UTC);
        assertThat(rules.realWorkBlocks(interval("2026-11-20T09:00:00Z", "2026-11-20T09:39:59Z"))).isZero();
        assertThat(rules.realWorkBlocks(interval("2026-11-20T09:00:00Z", "2026-11-20T09:40:00Z"))).isEqualTo(1);
        assertThat(rules.realWorkBlocks(interval("2026-11-20T09:00:00Z", "2026-11-20T11:59:00Z"))).isEqualTo(4);
        // two 30-minute intervals are an hour of working but no real work hour
        SortedMap<LocalDate, WorkingDay> days = WorkingDay.of(List.of(
                interval("2026-11-20T09:00:00Z", "2026-11-20T09:30:00Z"),
                interval("2026-11-20T10:00:00Z", "2026-11-20T10:30:00Z")), rules);
        assertThat(days.get(LocalDate.parse("2026-11-20"))).isEqualTo(new WorkingDay(LocalDate.parse("2026-11-20"),
                Duration.ofHours(1), 0, at("2026-11-20T09:00:00Z"), at("2026-11-20T10:30:00Z")));
        // the block is a rule of the site
        WorkRules hourBlocks = new WorkRules(UTC, TIMEOUT, Duration.ofMinutes(60));
        assertThat(hourBlocks.realWorkBlocks(interval("2026-11-20T09:00:00Z", "2026-11-20T10:59:00Z"))).isEqualTo(1);
    }

    @Test
    void anIntervalCrossingMidnightBelongsWholeToTheDayItStarted() {
        WorkRules rules = WorkRules.defaults(BERLIN);
        // 23:30 to 01:00 Berlin time (UTC+1 in November)
        List<WorkingInterval> intervals = WorkingIntervals.fold(List.of(
                report("2026-11-20T22:30:00Z", WORKING),
                report("2026-11-20T22:39:00Z", WORKING),
                report("2026-11-20T22:48:00Z", WORKING),
                report("2026-11-20T22:57:00Z", WORKING),
                report("2026-11-20T23:06:00Z", WORKING),
                report("2026-11-20T23:15:00Z", WORKING),
                report("2026-11-20T23:24:00Z", WORKING),
                report("2026-11-20T23:33:00Z", WORKING),
                report("2026-11-20T23:42:00Z", WORKING),
                report("2026-11-20T23:51:00Z", WORKING),
                report("2026-11-21T00:00:00Z", STOPPED)), TIMEOUT);

        SortedMap<LocalDate, WorkingDay> days = WorkingDay.of(intervals, rules);
        assertThat(days).containsOnlyKeys(LocalDate.parse("2026-11-20"));
        assertThat(days.get(LocalDate.parse("2026-11-20")).working()).isEqualTo(Duration.ofMinutes(90));
        assertThat(days.get(LocalDate.parse("2026-11-20")).realWorkBlocks()).isEqualTo(2);
    }

    @Test
    void aMonthBoundaryIsJustMidnight() {
        WorkRules rules = WorkRules.defaults(UTC);
        List<WorkingInterval> intervals = WorkingIntervals.fold(List.of(
                report("2026-11-30T23:50:00Z", WORKING),
                report("2026-11-30T23:59:00Z", WORKING),
                report("2026-12-01T00:08:00Z", WORKING),
                report("2026-12-01T00:17:00Z", WORKING),
                report("2026-12-01T00:30:00Z", STOPPED),
                report("2026-12-01T08:00:00Z", WORKING),
                report("2026-12-01T08:45:00Z", STOPPED)), TIMEOUT);

        SortedMap<LocalDate, WorkingDay> days = WorkingDay.of(intervals, rules);
        assertThat(days.get(LocalDate.parse("2026-11-30")).working()).isEqualTo(Duration.ofMinutes(37)); // 23:50 .. 00:27
        assertThat(days.get(LocalDate.parse("2026-12-01")).working()).isEqualTo(Duration.ofMinutes(10)); // 08:00 .. timeout
    }

    @Test
    void berlinsShortDayCountsRealElapsedTime() {
        // 2026-03-29: clocks jump from 02:00 to 03:00. Working 01:30 to 03:30 local is one hour.
        WorkRules rules = WorkRules.defaults(BERLIN);
        List<StateReport> reports = new ArrayList<>();
        for (Instant t = berlin("2026-03-29T01:30"); t.isBefore(berlin("2026-03-29T03:30")); t = t.plus(Duration.ofMinutes(5))) {
            reports.add(new StateReport(UUID.randomUUID(), t, WORKING));
        }
        reports.add(new StateReport(UUID.randomUUID(), berlin("2026-03-29T03:30"), STOPPED));

        WorkingDay day = WorkingDay.of(WorkingIntervals.fold(reports, TIMEOUT), rules).get(LocalDate.parse("2026-03-29"));
        assertThat(day.working()).isEqualTo(Duration.ofHours(1));
        assertThat(day.realWorkBlocks()).isEqualTo(1);
    }

    @Test
    void berlinsLongDayCountsTheRepeatedHour() {
        // 2026-10-25: 02:00-03:00 happens twice. Working 01:30 to 03:30 local is three hours.
        WorkRules rules = WorkRules.defaults(BERLIN);
        Instant start = LocalDateTime.parse("2026-10-25T01:30").atZone(BERLIN).toInstant();
        Instant stop = LocalDateTime.parse("2026-10-25T03:30").atZone(BERLIN).toInstant();
        List<StateReport> reports = new ArrayList<>();
        for (Instant t = start; t.isBefore(stop); t = t.plus(Duration.ofMinutes(5))) {
            reports.add(new StateReport(UUID.randomUUID(), t, WORKING));
        }
        reports.add(new StateReport(UUID.randomUUID(), stop, STOPPED));

        WorkingDay day = WorkingDay.of(WorkingIntervals.fold(reports, TIMEOUT), rules).get(LocalDate.parse("2026-10-25"));
        assertThat(day.working()).isEqualTo(Duration.ofHours(3));
        assertThat(day.realWorkBlocks()).isEqualTo(4);
    }

    @Test
    void theDaysAroundBerlinsTransitionsStartAtLocalMidnight() {
        WorkRules rules = WorkRules.defaults(BERLIN);
        // 23:55 local on the eve of each transition belongs to the eve; 00:05 to the transition day
        for (String eve : List.of("2026-03-28", "2026-10-24")) {
            LocalDate d = LocalDate.parse(eve);
            Instant late = d.atTime(23, 55).atZone(BERLIN).toInstant();
            Instant early = d.plusDays(1).atTime(0, 5).atZone(BERLIN).toInstant();
            assertThat(WorkingDay.dayOf(new WorkingInterval(late, late.plusSeconds(60), EndedBy.STOPPED, late, 1), BERLIN)).isEqualTo(d);
            assertThat(WorkingDay.dayOf(new WorkingInterval(early, early.plusSeconds(60), EndedBy.STOPPED, early, 1), BERLIN)).isEqualTo(d.plusDays(1));
        }
        assertThat(rules.zone()).isEqualTo(BERLIN);
    }

    static Instant at(String s) {
        return Instant.parse(s);
    }

    static Instant berlin(String local) {
        return LocalDateTime.parse(local).atZone(BERLIN).toInstant();
    }

    static StateReport report(String at, WorkstationState state) {
        return new StateReport(UUID.randomUUID(), at(at), state);
    }

    static List<StateReport> everyMinute(String from, int count, WorkstationState state) {
        List<StateReport> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new StateReport(UUID.randomUUID(), at(from).plus(Duration.ofMinutes(i)), state));
        }
        return out;
    }

    static WorkingInterval interval(String from, String to) {
        return new WorkingInterval(at(from), at(to), EndedBy.STOPPED, at(from), 1);
    }
}
