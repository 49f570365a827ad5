package dev.rollcall.agent.workstation;

import dev.rollcall.agent.workstation.ActivitySignal.Session;
import dev.rollcall.agent.workstation.ActivitySignal.State;
import dev.rollcall.agent.workstation.ActivitySignal.WallClockJumped;
import dev.rollcall.events.WorkstationSessionKind;
import dev.rollcall.events.WorkstationState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.rollcall.events.WorkstationSessionKind.BOOT;
import static dev.rollcall.events.WorkstationSessionKind.LOCK;
import static dev.rollcall.events.WorkstationSessionKind.LOGOFF;
import static dev.rollcall.events.WorkstationSessionKind.LOGON;
import static dev.rollcall.events.WorkstationSessionKind.RESUME;
import static dev.rollcall.events.WorkstationSessionKind.SHUTDOWN;
import static dev.rollcall.events.WorkstationSessionKind.SUSPEND;
import static dev.rollcall.events.WorkstationSessionKind.UNLOCK;
import static dev.rollcall.events.WorkstationState.STOPPED;
import static dev.rollcall.events.WorkstationState.WORKING;
import static org.assertj.core.api.Assertions.assertThat;

/** The workstation rules with fake clocks: threshold, re-send, lock, suspend, logoff, clock jumps. */
class ActivityTrackerTest {

    static final Duration MINUTE = Duration.ofMinutes(1);
    static final ActivityTracker.Settings WORK_TRACING = ActivityTracker.Settings.of(Duration.ofMinutes(10), MINUTE, MINUTE);

    final FakeMachine pc = new FakeMachine("2026-11-20T08:00:00Z");
    final ActivityTracker tracker = new ActivityTracker(WORK_TRACING);

    static Instant at(String hhmmss) {
        return Instant.parse("2026-11-20T" + hhmmss + "Z");
    }

    static State state(String hhmmss, WorkstationState s) {
        return new State(at(hhmmss), s, false);
    }

    static State again(String hhmmss, WorkstationState s) {
        return new State(at(hhmmss), s, true);
    }

    static Session session(String hhmmss, WorkstationSessionKind k) {
        return new Session(at(hhmmss), k);
    }

    /** Polls every minute for {@code minutes}, with the user working or away, collecting what the tracker says. */
    List<ActivitySignal> poll(int minutes, boolean working) {
        List<ActivitySignal> out = new ArrayList<>();
        for (int i = 0; i < minutes; i++) {
            if (working) {
                pc.work(MINUTE);
            } else {
                pc.pass(MINUTE);
            }
            out.addAll(tracker.observe(pc.observe()));
        }
        return out;
    }

    static List<ActivitySignal> changes(List<ActivitySignal> signals) {
        return signals.stream().filter(s -> !(s instanceof State st && st.repeat())).toList();
    }

    @Test
    void logonThenWorkingThenStoppedWhenIdleReachesTheThresholdAndWorkingAgainOnInput() {
        assertThat(tracker.start(pc.observe(), Duration.ofMinutes(5)))
                .containsExactly(session("08:00:00", LOGON), state("08:00:00", WORKING));
        poll(5, true);
        List<ActivitySignal> away = poll(12, false);
        // idle 9 min at 08:14, 10 min at 08:15: stopped then, not earlier
        assertThat(changes(away)).containsExactly(state("08:15:00", STOPPED));
        assertThat(away).contains(again("08:14:00", WORKING)).doesNotContain(again("08:16:00", WORKING));

        pc.pass(Duration.ofSeconds(20)).input();
        assertThat(tracker.observe(pc.observe())).containsExactly(state("08:17:20", WORKING));
        assertThat(tracker.state()).isEqualTo(WORKING);
    }

    @Test
    void theCurrentStateIsSentAgainEveryMinuteWhetherWorkingOrStopped() {
        tracker.start(pc.observe(), Duration.ZERO);
        assertThat(poll(3, true)).containsExactly(again("08:01:00", WORKING), again("08:02:00", WORKING),
                again("08:03:00", WORKING));
        pc.locked = true;
        List<ActivitySignal> locked = poll(3, false);
        assertThat(locked).containsExactly(session("08:04:00", LOCK), state("08:04:00", STOPPED),
                again("08:05:00", STOPPED), again("08:06:00", STOPPED));
    }

    @Test
    void pollJitterDoesNotSkipAResendAndALongerResendIntervalIsKept() {
        tracker.start(pc.observe(), Duration.ZERO);
        pc.work(Duration.ofSeconds(59).plusMillis(900));
        assertThat(tracker.observe(pc.observe())).singleElement().isInstanceOf(State.class);

        ActivityTracker everyFive = new ActivityTracker(ActivityTracker.Settings.of(Duration.ofMinutes(10),
                Duration.ofMinutes(5), MINUTE));
        FakeMachine m = new FakeMachine("2026-11-20T08:00:00Z");
        everyFive.start(m.observe(), Duration.ZERO);
        List<ActivitySignal> out = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            out.addAll(everyFive.observe(m.work(MINUTE).observe()));
        }
        assertThat(out).containsExactly(again("08:05:00", WORKING), again("08:10:00", WORKING));
    }

    @Test
    void aLockStopsAtOnceAndAnUnlockWithInputWorksAgain() {
        tracker.start(pc.observe(), Duration.ZERO);
        pc.work(Duration.ofSeconds(30));
        pc.locked = true;
        assertThat(tracker.observe(pc.observe())).containsExactly(session("08:00:30", LOCK), state("08:00:30", STOPPED));
        pc.pass(Duration.ofMinutes(30));
        pc.locked = false;
        pc.input();
        assertThat(tracker.observe(pc.observe())).containsExactly(session("08:30:30", UNLOCK), state("08:30:30", WORKING));
    }

    @Test
    void anUnlockWithoutRecentInputStaysStopped() {
        tracker.start(pc.observe(), Duration.ZERO);
        pc.locked = true;
        tracker.observe(pc.pass(MINUTE).observe());
        pc.locked = false;
        assertThat(tracker.observe(pc.pass(Duration.ofMinutes(20)).observe()))
                .containsExactly(session("08:21:00", UNLOCK), again("08:21:00", STOPPED));
    }

    @Test
    void aSuspendSeenAfterResumeIsDatedJustAfterTheLastPollBeforeIt() {
        tracker.start(pc.observe(), Duration.ZERO);
        poll(2, true);                                        // 08:02 last poll
        pc.work(Duration.ofSeconds(20));                       // lid closed at 08:02:20
        pc.suspend(Duration.ofHours(2)).pass(Duration.ofSeconds(40)).input(); // opened at 10:02:20, poll at 10:03:00
        assertThat(tracker.observe(pc.observe())).containsExactly(
                session("08:02:00.001", SUSPEND), state("08:02:00.001", STOPPED),
                session("10:03:00", RESUME), state("10:03:00", WORKING));
    }

    @Test
    void aSuspendWhileStoppedSendsNoSecondStoppedAndResumeWithoutInputStaysStopped() {
        tracker.start(pc.observe(), Duration.ZERO);
        poll(11, false);
        assertThat(tracker.state()).isEqualTo(STOPPED);
        pc.suspend(Duration.ofMinutes(90));
        pc.pass(MINUTE);
        assertThat(changes(tracker.observe(pc.observe()))).containsExactly(session("08:11:00.001", SUSPEND),
                session("09:42:00", RESUME));
        assertThat(tracker.state()).isEqualTo(STOPPED);
    }

    @Test
    void aWallClockStepIsNotASuspendAndEventTimesNeverGoBack() {
        tracker.start(pc.observe(), Duration.ZERO);
        poll(2, true);
        pc.stepWall(Duration.ofHours(3)).work(MINUTE);        // NTP steps the clock 3 h ahead
        List<ActivitySignal> ahead = tracker.observe(pc.observe());
        assertThat(ahead).first().isEqualTo(new WallClockJumped(at("11:03:00"), Duration.ofHours(3)));
        assertThat(ahead).doesNotHaveAnyElementsOfTypes(Session.class).contains(again("11:03:00", WORKING));

        pc.stepWall(Duration.ofHours(-3).minusMinutes(30)).work(MINUTE);   // and back, further than it went
        List<ActivitySignal> back = tracker.observe(pc.observe());
        assertThat(back).first().isInstanceOfSatisfying(WallClockJumped.class,
                j -> assertThat(j.by()).isEqualTo(Duration.ofHours(-3).minusMinutes(30)));
        assertThat(back).doesNotHaveAnyElementsOfTypes(Session.class)
                .contains(again("11:03:00", WORKING));                     // held at the last time sent
        pc.locked = true;
        assertThat(tracker.observe(pc.work(MINUTE).observe())).containsExactly(
                session("11:03:00", LOCK), state("11:03:00", STOPPED));
    }

    @Test
    void aStalledPollIsNotASuspendAndIdleReadFailuresResendNothing() {
        tracker.start(pc.observe(), Duration.ZERO);
        pc.work(Duration.ofMinutes(7));                        // the agent was frozen (SIGSTOP, swapping): all clocks moved
        assertThat(tracker.observe(pc.observe())).containsExactly(again("08:07:00", WORKING));
        pc.unreadable = true;
        assertThat(poll(3, true)).isEmpty();
        pc.unreadable = false;
        assertThat(poll(1, true)).containsExactly(again("08:11:00", WORKING));
    }

    @Test
    void withoutABootClockAForwardWallJumpCountsAsSuspendButABackwardOneDoesNot() {
        pc.bootClock = false;
        tracker.start(pc.observe(), Duration.ofMinutes(5));
        pc.suspend(Duration.ofMinutes(30)).pass(MINUTE);
        assertThat(changes(tracker.observe(pc.observe()))).extracting(ActivitySignal::getClass)
                .containsExactly((Class) Session.class, (Class) State.class, (Class) Session.class);
        pc.stepWall(Duration.ofMinutes(-10)).work(MINUTE);
        assertThat(tracker.observe(pc.observe())).doesNotHaveAnyElementsOfTypes(Session.class)
                .hasAtLeastOneElementOfType(WallClockJumped.class);
    }

    @Test
    void bootIsReportedWhenTheMachineStartedWithinTheWindowAndDatedAtTheBoot() {
        pc.sinceBootNanos = Duration.ofSeconds(90).toNanos();
        assertThat(tracker.start(pc.observe(), Duration.ofMinutes(5)))
                .containsExactly(session("07:58:30", BOOT), session("08:00:00", LOGON), state("08:00:00", WORKING));
        ActivityTracker later = new ActivityTracker(WORK_TRACING);
        pc.sinceBootNanos = Duration.ofMinutes(6).toNanos();
        assertThat(later.start(pc.observe(), Duration.ofMinutes(5))).first().isEqualTo(session("08:00:00", LOGON));
    }

    @Test
    void logoffAndShutdownStopAtOnce() {
        tracker.start(pc.observe(), Duration.ZERO);
        pc.work(Duration.ofSeconds(10));
        assertThat(tracker.stop(pc.wall, LOGOFF)).containsExactly(session("08:00:10", LOGOFF), state("08:00:10", STOPPED));
        ActivityTracker idle = new ActivityTracker(WORK_TRACING);
        idle.start(pc.observe(), Duration.ZERO);
        idle.observe(pc.pass(Duration.ofMinutes(11)).observe());
        assertThat(idle.stop(pc.wall, SHUTDOWN)).containsExactly(session("08:11:10", SHUTDOWN));
    }

    @Test
    void startingLockedOrIdleStartsStopped() {
        pc.locked = true;
        assertThat(tracker.start(pc.observe(), Duration.ZERO))
                .containsExactly(session("08:00:00", LOGON), session("08:00:00", LOCK), state("08:00:00", STOPPED));
        FakeMachine away = new FakeMachine("2026-11-20T08:00:00Z");
        away.idle = Duration.ofMinutes(45);
        assertThat(new ActivityTracker(WORK_TRACING).start(away.observe(), Duration.ZERO))
                .containsExactly(session("08:00:00", LOGON), state("08:00:00", STOPPED));
    }
}
