package dev.rollcall.report;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TimelineTest {

    private static final DayAxis JUNE_FIRST = DayAxis.of(LocalDate.of(2026, 6, 1), ZoneOffset.UTC);

    @Test
    void anIntervalSitsWhereItHappened() {
        Timeline t = Timeline.of(JUNE_FIRST, List.of(interval("2026-06-01T06:00:00Z", "2026-06-01T12:00:00Z", false)),
                Instant.parse("2026-06-05T00:00:00Z"), Timeline.Words.WORKING);

        Timeline.Bar bar = t.bars().getFirst();
        assertThat(bar.x()).isEqualTo(25);
        assertThat(bar.width()).isEqualTo(25);
        assertThat(bar.continuesNextDay()).isFalse();
        assertThat(bar.running()).isFalse();
        assertThat(t.showsNow()).isFalse();
    }

    @Test
    void anIntervalCrossingMidnightIsClippedAtTheRightEdgeAndSaysSo() {
        Timeline t = Timeline.of(JUNE_FIRST, List.of(interval("2026-06-01T22:00:00Z", "2026-06-02T01:30:00Z", false)),
                Instant.parse("2026-06-05T00:00:00Z"), Timeline.Words.WORKING);

        Timeline.Bar bar = t.bars().getFirst();
        assertThat(bar.x()).isCloseTo(2200.0 / 24, within(1e-9));
        assertThat(bar.endPercent()).isCloseTo(100, within(1e-9));
        assertThat(bar.continuesNextDay()).isTrue();
    }

    @Test
    void aRunningIntervalEndsAtNowWhichIsMarked() {
        Instant now = Instant.parse("2026-06-01T18:00:00Z");
        Timeline t = Timeline.of(JUNE_FIRST, List.of(interval("2026-06-01T12:00:00Z", "2026-06-01T18:00:00Z", true)), now, Timeline.Words.WORKING);

        Timeline.Bar bar = t.bars().getFirst();
        assertThat(bar.running()).isTrue();
        assertThat(bar.endPercent()).isCloseTo(75, within(1e-9));
        assertThat(bar.labelBeforeEnd()).isFalse();
        assertThat(t.showsNow()).isTrue();
        assertThat(t.nowPercent()).isEqualTo(75);
    }

    @Test
    void aOneMinuteIntervalIsStillVisibleAndStaysInsideTheDay() {
        Timeline t = Timeline.of(JUNE_FIRST, List.of(interval("2026-06-01T23:59:30Z", "2026-06-02T00:00:30Z", false)),
                Instant.parse("2026-06-05T00:00:00Z"), Timeline.Words.WORKING);

        Timeline.Bar bar = t.bars().getFirst();
        assertThat(bar.width()).isEqualTo(Timeline.MIN_WIDTH);
        assertThat(bar.endPercent()).isCloseTo(100, within(1e-9));
    }

    @Test
    void onTheLongAutumnDayAnIntervalIsPlacedByRealTime() {
        DayAxis axis = DayAxis.of(LocalDate.of(2026, 10, 25), ZoneId.of("Europe/Berlin"));
        // 12:00–13:00 CET is 11:00Z–12:00Z: 13 real hours after midnight (22:00Z), one hour long
        Timeline t = Timeline.of(axis, List.of(interval("2026-10-25T11:00:00Z", "2026-10-25T12:00:00Z", false)),
                Instant.parse("2026-11-01T00:00:00Z"), Timeline.Words.WORKING);

        assertThat(t.bars().getFirst().x()).isCloseTo(1300.0 / 25, within(1e-9));
        assertThat(t.bars().getFirst().width()).isCloseTo(100.0 / 25, within(1e-9));
    }

    @Test
    void barsAndTheWholeRowSayWhatTheyShowInTheSitesLocalTime() {
        DayAxis axis = DayAxis.of(LocalDate.of(2026, 6, 1), ZoneId.of("Europe/Berlin"));
        Instant now = Instant.parse("2026-06-01T15:00:00Z");
        Timeline t = Timeline.of(axis, List.of(
                interval("2026-06-01T06:00:00Z", "2026-06-01T10:30:00Z", false),
                interval("2026-06-01T11:15:00Z", "2026-06-01T15:00:00Z", true)), now, Timeline.Words.PRESENT);

        assertThat(t.bars()).extracting(Timeline.Bar::title)
                .containsExactly("08:00–12:30 · 4:30", "13:15–now, present · 3:45");
        assertThat(t.description()).isEqualTo("present 08:00–12:30, 13:15–now (present)");
        assertThat(Timeline.of(axis, List.of(), now, Timeline.Words.PRESENT).description()).isEqualTo("not present");

        Timeline night = Timeline.of(JUNE_FIRST, List.of(interval("2026-06-01T22:00:00Z", "2026-06-02T01:30:00Z", false)),
                now, Timeline.Words.WORKING, (ReportedInterval i) -> " · " + i.realWorkBlocks() + " blocks");
        assertThat(night.bars().getFirst().title()).isEqualTo("22:00–01:30 the next day · 3:30 · 5 blocks");
        assertThat(night.description()).isEqualTo("working 22:00–01:30 the next day");
    }

    @Test
    void aSessionOpenWhenThePresenceAgentFellSilentEndsThereAndTheSilenceIsDrawnAsUnknown() {
        DayAxis axis = DayAxis.of(LocalDate.of(2026, 6, 1), ZoneOffset.UTC);
        Instant now = Instant.parse("2026-06-01T12:00:00Z");
        AttendanceSession open = new AttendanceSession("E1", LocalDate.of(2026, 6, 1), Instant.parse("2026-06-01T08:00:00Z"), null);
        AgentDowntime silent = new AgentDowntime("net-1", Instant.parse("2026-06-01T10:00:00Z"), now, "silent", true);

        Timeline t = Timeline.of(axis, List.of(open.asOf(now, silent.start())), now, Timeline.Words.PRESENT)
                .withUnknown(List.of(silent), now);

        assertThat(t.bars().getFirst().running()).isFalse();
        assertThat(t.bars().getFirst().endPercent()).isCloseTo(1000.0 / 24, within(1e-9));
        assertThat(t.bars().getFirst().title()).isEqualTo("08:00–10:00 · 2:00 · then unknown: the agent fell silent");
        Timeline.Unknown u = t.unknown().getFirst();
        assertThat(u.x()).isCloseTo(1000.0 / 24, within(1e-9));
        assertThat(u.width()).isCloseTo(200.0 / 24, within(1e-9));
        assertThat(u.title()).isEqualTo("unknown 10:00–now: agent net-1 was not observing");
        assertThat(t.description()).isEqualTo("present 08:00–10:00 (then unknown); unknown 10:00–now");
        // nothing unknown: the row as before
        assertThat(Timeline.of(axis, List.of(), now, Timeline.Words.PRESENT).withUnknown(List.of(), now).unknown()).isEmpty();
    }

    private static ReportedInterval interval(String start, String end, boolean running) {
        Instant s = Instant.parse(start);
        Instant e = Instant.parse(end);
        long seconds = e.getEpochSecond() - s.getEpochSecond();
        return new ReportedInterval(s, e, running ? "timeout" : "stopped", running, seconds, (int) (seconds / 2400));
    }
}
