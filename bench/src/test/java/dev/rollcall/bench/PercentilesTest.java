package dev.rollcall.bench;

import org.junit.jupiter.api.Test;

import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PercentilesTest {

    @Test
    void nearestRankOfOneToHundredIsThePercentItself() {
        long[] sorted = LongStream.rangeClosed(1, 100).toArray();
        assertThat(Percentiles.nearestRank(sorted, 50)).isEqualTo(50);
        assertThat(Percentiles.nearestRank(sorted, 95)).isEqualTo(95);
        assertThat(Percentiles.nearestRank(sorted, 99)).isEqualTo(99);
        assertThat(Percentiles.nearestRank(sorted, 100)).isEqualTo(100);
        assertThat(Percentiles.nearestRank(sorted, 0)).isEqualTo(1);
    }

    @Test
    void nearestRankRoundsTheRankUpToAnObservedSample() {
        long[] sorted = {10, 20, 30, 40};
        assertThat(Percentiles.nearestRank(sorted, 50)).isEqualTo(20); // rank ceil(2.0) = 2
        assertThat(Percentiles.nearestRank(sorted, 51)).isEqualTo(30); // rank ceil(2.04) = 3
        assertThat(Percentiles.nearestRank(sorted, 99)).isEqualTo(40);
        assertThat(Percentiles.nearestRank(new long[] {7}, 99)).isEqualTo(7);
    }

    @Test
    void p99OfAThousandSamplesIgnoresOnlyTheTenSlowest() {
        long[] sorted = LongStream.rangeClosed(1, 1000).toArray();
        assertThat(Percentiles.nearestRank(sorted, 99)).isEqualTo(990);
    }

    @Test
    void latencySortsItsOwnCopy() {
        long[] nanos = {5_000_000, 1_000_000, 3_000_000, 2_000_000, 4_000_000};
        Percentiles.Latency l = Percentiles.Latency.of(nanos);
        assertThat(l.count()).isEqualTo(5);
        assertThat(l.p50Millis()).isEqualTo(3.0);
        assertThat(l.p99Millis()).isEqualTo(5.0);
        assertThat(l.maxNanos()).isEqualTo(5_000_000);
        assertThat(nanos[0]).as("the caller's array is left alone").isEqualTo(5_000_000);
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(Percentiles.median(3, 1, 2)).isEqualTo(2);
        assertThat(Percentiles.median(4, 1, 3, 2)).isEqualTo(2.5);
        assertThat(Percentiles.median(42)).isEqualTo(42);
    }

    @Test
    void refusesNothingAndImpossiblePercentiles() {
        assertThatThrownBy(() -> Percentiles.nearestRank(new long[0], 50)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Percentiles.nearestRank(new long[] {1}, 101)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Percentiles.nearestRank(new long[] {1}, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(Percentiles::median).isInstanceOf(IllegalArgumentException.class);
    }
}
