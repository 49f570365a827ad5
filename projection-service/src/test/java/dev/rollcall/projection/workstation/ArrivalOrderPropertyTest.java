package dev.rollcall.projection.workstation;

import dev.rollcall.events.WorkstationState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property: whatever order a user's reports arrive in, in whatever batches, with whatever duplicates, the
 * intervals and days are those of the ordered stream. Checked for the plain fold and for the incremental
 * refold through {@link RecomputeWindow}, the way the projection applies batches to Postgres.
 * A failure names its seed; {@code -Dproperty.seed=N} replays one.
 */
public class ArrivalOrderPropertyTest {

    static final Duration TIMEOUT = Duration.ofMinutes(10);
    static final WorkRules RULES = WorkRules.defaults(ZoneId.of("Europe/Berlin"));
    static final int TRIALS = 400;

    @Test
    void anyPermutationAndDuplicationFoldsToTheOrderedResult() {
        for (long seed : seeds()) {
            Random random = new Random(seed);
            List<StateReport> day = randomDay(random);
            List<WorkingInterval> expected = WorkingIntervals.fold(day, TIMEOUT);

            List<StateReport> shuffled = duplicated(day, random);
            Collections.shuffle(shuffled, random);

            assertThat(WorkingIntervals.fold(shuffled, TIMEOUT)).as("seed %d", seed).isEqualTo(expected);
            assertThat(WorkingDay.of(WorkingIntervals.fold(shuffled, TIMEOUT), RULES)).as("seed %d", seed)
                    .isEqualTo(WorkingDay.of(expected, RULES));
        }
    }

    @Test
    void batchesInAnyOrderRefoldedThroughTheWindowGiveTheOrderedResult() {
        for (long seed : seeds()) {
            Random random = new Random(seed);
            List<StateReport> day = randomDay(random);
            List<WorkingInterval> expected = WorkingIntervals.fold(day, TIMEOUT);

            List<StateReport> arrivals = duplicated(day, random);
            // mostly in order, with some reports held back (a client that was offline) and some shuffled
            Map<StateReport, Instant> arrival = new java.util.IdentityHashMap<>();
            arrivals.forEach(r -> arrival.put(r, r.at().plus(Duration.ofMinutes(random.nextInt(3) == 0 ? 600 : 0))));
            arrivals.sort(Comparator.comparing(arrival::get));
            if (random.nextBoolean()) {
                Collections.shuffle(arrivals, random);
            }
            Timeline timeline = new Timeline();
            for (int i = 0; i < arrivals.size(); ) {
                int n = 1 + random.nextInt(40);
                timeline.apply(arrivals.subList(i, Math.min(arrivals.size(), i + n)));
                i += n;
            }
            assertThat(timeline.intervals()).as("seed %d", seed).isEqualTo(expected);
        }
    }

    /** What the projection does in Postgres, in memory: store reports, refold the window, replace intervals. */
    static final class Timeline {
        private final Map<UUID, StateReport> reports = new LinkedHashMap<>();
        private final List<WorkingInterval> intervals = new ArrayList<>();

        void apply(List<StateReport> batch) {
            batch.forEach(r -> reports.putIfAbsent(r.id(), r));
            Instant earliest = batch.stream().map(StateReport::at).min(Comparator.naturalOrder()).orElseThrow();
            Instant latest = batch.stream().map(StateReport::at).max(Comparator.naturalOrder()).orElseThrow();
            RecomputeWindow reach = RecomputeWindow.reach(earliest, latest, TIMEOUT);
            List<WorkingInterval> touching = intervals.stream().filter(i -> i.touches(reach.from(), reach.to())).toList();
            RecomputeWindow window = RecomputeWindow.around(earliest, latest, touching, TIMEOUT);
            List<StateReport> inWindow = reports.values().stream().filter(r -> window.contains(r.at())).toList();
            intervals.removeIf(i -> window.contains(i.start()));
            intervals.addAll(WorkingIntervals.fold(inWindow, TIMEOUT));
            intervals.sort(Comparator.comparing(WorkingInterval::start));
        }

        List<WorkingInterval> intervals() {
            return intervals;
        }
    }

    /** A user's day and a half: runs of per-minute reports, pauses near and far from the timeout, stops. */
    public static List<StateReport> randomDay(Random random) {
        long[] gapsSeconds = {0, 1, 59, 60, 60, 60, 300, 540, 599, 600, 601, 660, 1800, 7200};
        List<StateReport> out = new ArrayList<>();
        Instant t = Instant.parse("2026-03-28T21:00:00Z").plusSeconds(random.nextInt(3600));
        int n = 5 + random.nextInt(200);
        for (int i = 0; i < n; i++) {
            t = t.plusSeconds(gapsSeconds[random.nextInt(gapsSeconds.length)]);
            WorkstationState state = random.nextInt(6) == 0 ? WorkstationState.STOPPED : WorkstationState.WORKING;
            out.add(new StateReport(new UUID(random.nextLong(), random.nextLong()), t, state));
        }
        return out;
    }

    static List<StateReport> duplicated(List<StateReport> reports, Random random) {
        List<StateReport> out = new ArrayList<>(reports);
        for (StateReport r : reports) {
            if (random.nextInt(5) == 0) {
                out.add(r);
            }
        }
        return out;
    }

    static long[] seeds() {
        String one = System.getProperty("property.seed");
        if (one != null) {
            return new long[] {Long.parseLong(one)};
        }
        long[] seeds = new long[TRIALS];
        long base = new Random().nextLong();
        for (int i = 0; i < TRIALS; i++) {
            seeds[i] = base + i;
        }
        return seeds;
    }
}
