package dev.rollcall.projection.agents;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static dev.rollcall.projection.agents.Downtime.Cause.GAP;
import static dev.rollcall.projection.agents.Downtime.Cause.REPORTED;
import static org.assertj.core.api.Assertions.assertThat;

class DowntimesTest {

    static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");

    @Test
    void regularBeatsAndGapsUpTo700SecondsAreNoDowntime() {
        List<Instant> beats = List.of(T0, T0.plusSeconds(300), T0.plusSeconds(600), T0.plusSeconds(1300)); // 700 s exactly
        assertThat(Downtimes.of(beats, List.of(), Downtimes.OFFLINE_AFTER)).isEmpty();
    }

    @Test
    void aGapOverTheThresholdIsADowntimeBetweenTheBeatsAroundIt() {
        List<Instant> beats = List.of(T0, T0.plusSeconds(300), T0.plusSeconds(1001), T0.plusSeconds(1301));
        assertThat(Downtimes.of(beats, List.of(), Downtimes.OFFLINE_AFTER))
                .containsExactly(new Downtime(T0.plusSeconds(300), T0.plusSeconds(1001), GAP));
    }

    @Test
    void reportedOutagesAreAddedAndOverlapsMerged() {
        List<Instant> beats = List.of(T0, T0.plusSeconds(3600), T0.plusSeconds(3900));
        List<Downtime> reported = List.of(
                new Downtime(T0.plusSeconds(3000), T0.plusSeconds(3700), REPORTED),   // overlaps the gap's end
                new Downtime(T0.plusSeconds(7200), T0.plusSeconds(7500), REPORTED));  // on its own
        assertThat(Downtimes.of(beats, reported, Downtimes.OFFLINE_AFTER)).containsExactly(
                new Downtime(T0, T0.plusSeconds(3700), GAP),
                new Downtime(T0.plusSeconds(7200), T0.plusSeconds(7500), REPORTED));
    }

    @Test
    void orderAndRepeatsDoNotMatter() {
        Random random = new Random(7);
        List<Instant> beats = new ArrayList<>();
        Instant t = T0;
        for (int i = 0; i < 300; i++) {
            t = t.plusSeconds(random.nextInt(10) == 0 ? 900 + random.nextInt(4000) : 280 + random.nextInt(40));
            beats.add(t);
        }
        List<Downtime> expected = Downtimes.of(beats, List.of(), Downtimes.OFFLINE_AFTER);
        assertThat(expected).isNotEmpty();
        List<Instant> shuffled = new ArrayList<>(beats);
        shuffled.addAll(beats.subList(0, 50));
        Collections.shuffle(shuffled, random);
        assertThat(Downtimes.of(shuffled, List.of(), Downtimes.OFFLINE_AFTER)).isEqualTo(expected);
        assertThat(expected).allSatisfy(d -> assertThat(d.length()).isGreaterThan(Duration.ofSeconds(700)));
    }

    @Test
    void theSilenceAfterASignOffIsNoDowntimeButAnyOtherGapStillIs() {
        List<Downtimes.Beat> beats = List.of(
                new Downtimes.Beat(T0, false),
                new Downtimes.Beat(T0.plusSeconds(300), true),                            // logoff at 08:05
                new Downtimes.Beat(T0.plus(Duration.ofHours(15)), false),                 // next morning
                new Downtimes.Beat(T0.plus(Duration.ofHours(15)).plusSeconds(300), false),
                new Downtimes.Beat(T0.plus(Duration.ofHours(16)), false));                // silent 55 min: a downtime
        assertThat(Downtimes.ofBeats(beats, List.of(), Downtimes.OFFLINE_AFTER)).containsExactly(
                new Downtime(T0.plus(Duration.ofHours(15)).plusSeconds(300), T0.plus(Duration.ofHours(16)), GAP));
        // an outage the agent reported is kept, signed off or not
        Downtime reported = new Downtime(T0.plusSeconds(600), T0.plusSeconds(4000), REPORTED);
        assertThat(Downtimes.ofBeats(beats.subList(0, 3), List.of(reported), Downtimes.OFFLINE_AFTER)).containsExactly(reported);
    }
}
