package dev.rollcall.report;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A running interval is counted up to now, not up to its provisional end. */
class WorkingTimeTest {

    private static final int BLOCK = 40 * 60;
    private static final Instant NINE = Instant.parse("2026-03-10T09:00:00Z");

    @Test
    void aRunningIntervalIsClampedToNow() {
        // working since 09:00, last report 10:35, so projection-service stored an end of 10:45 (auto-timeout 10 min)
        WorkingInterval i = timeout(NINE, Instant.parse("2026-03-10T10:45:00Z"));
        Instant now = Instant.parse("2026-03-10T10:38:00Z");

        assertThat(i.isRunningAt(now)).isTrue();
        assertThat(i.endAsOf(now)).isEqualTo(now);
        assertThat(i.secondsAsOf(now)).isEqualTo(98 * 60);
        assertThat(i.realWorkBlocksAsOf(now)).isEqualTo(2); // 98 min: two 40-minute blocks
        ReportedInterval shown = i.asOf(now);
        assertThat(shown.running()).isTrue();
        assertThat(shown.end()).isEqualTo(now);
    }

    @Test
    void theDaysSumsLoseTheProvisionalPartAndEndNow() {
        WorkingInterval morning = stopped(Instant.parse("2026-03-10T07:00:00Z"), Instant.parse("2026-03-10T08:20:00Z"));
        WorkingInterval running = timeout(NINE, Instant.parse("2026-03-10T10:45:00Z"));
        // as stored: 80 + 105 minutes, 2 + 2 blocks, last work at the provisional end
        WorkingTime stored = new WorkingTime((80 + 105) * 60, 4, morning.start(), running.end());
        Instant now = Instant.parse("2026-03-10T09:50:00Z");

        WorkingTime t = WorkingTime.asOf(stored, List.of(morning, running), now);

        assertThat(t.seconds()).isEqualTo((80 + 50) * 60);
        assertThat(t.minutes()).isEqualTo(130);
        assertThat(t.realWorkBlocks()).isEqualTo(2 + 1);
        assertThat(t.firstWorkAt()).isEqualTo(morning.start());
        assertThat(t.lastWorkAt()).isEqualTo(now);
    }

    @Test
    void endedIntervalsChangeNothing() {
        WorkingInterval timedOut = timeout(NINE, Instant.parse("2026-03-10T10:45:00Z"));
        WorkingInterval stopped = stopped(NINE, Instant.parse("2026-03-10T10:45:00Z"));
        WorkingTime stored = new WorkingTime(105 * 60, 2, NINE, timedOut.end());
        Instant later = Instant.parse("2026-03-10T12:00:00Z");

        assertThat(timedOut.isRunningAt(later)).isFalse();
        assertThat(WorkingTime.asOf(stored, List.of(timedOut), later)).isEqualTo(stored);
        // a stopped interval is never running, even if its end is still ahead
        assertThat(stopped.isRunningAt(NINE)).isFalse();
        assertThat(WorkingTime.asOf(stored, List.of(stopped), NINE)).isEqualTo(stored);
        assertThat(timedOut.asOf(later).running()).isFalse();
        assertThat(timedOut.asOf(later).realWorkBlocks()).isEqualTo(2);
    }

    @Test
    void aClockBehindTheIntervalCountsNothingRatherThanANegativeTime() {
        WorkingInterval i = timeout(NINE, Instant.parse("2026-03-10T09:10:00Z"));
        Instant before = NINE.minusSeconds(30);

        assertThat(i.secondsAsOf(before)).isZero();
        assertThat(i.realWorkBlocksAsOf(before)).isZero();
        WorkingTime t = WorkingTime.asOf(new WorkingTime(600, 0, NINE, i.end()), List.of(i), before);
        assertThat(t.seconds()).isZero();
        assertThat(t.lastWorkAt()).isEqualTo(NINE);
    }

    @Test
    void minutesAreCutNotRounded() {
        assertThat(new WorkingTime(119, 0, null, null).minutes()).isEqualTo(1);
        assertThat(WorkingTime.NONE.minutes()).isZero();
    }

    private static WorkingInterval timeout(Instant start, Instant end) {
        return interval(start, end, "timeout");
    }

    private static WorkingInterval stopped(Instant start, Instant end) {
        return interval(start, end, "stopped");
    }

    private static WorkingInterval interval(Instant start, Instant end, String endedBy) {
        long seconds = end.getEpochSecond() - start.getEpochSecond();
        return new WorkingInterval("u", LocalDate.of(2026, 3, 10), start, end, endedBy,
                "timeout".equals(endedBy) ? end.minusSeconds(600) : end, 3, (int) (seconds / BLOCK), BLOCK);
    }
}
