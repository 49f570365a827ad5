package dev.rollcall.bench;

import java.util.Arrays;

/**
 * The statistics the table prints: nearest-rank percentiles of one run's samples, and the median of the runs.
 * Nearest rank (no interpolation), so every percentile printed is a latency that was actually observed.
 */
public final class Percentiles {

    private Percentiles() {
    }

    /**
     * The smallest sample such that at least {@code p} percent of the samples are at most it:
     * {@code sorted[ceil(p / 100 * n) - 1]}, and the smallest sample for {@code p = 0}.
     *
     * @param sorted samples in ascending order, at least one
     * @param p      0 to 100
     */
    public static long nearestRank(long[] sorted, double p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        if (!(p >= 0 && p <= 100)) {
            throw new IllegalArgumentException("p must be within 0..100, got " + p);
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    /** The middle value; for an even count the mean of the two middle ones. */
    public static double median(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }

    /** One run's latencies summarised. */
    public record Latency(int count, long p50Nanos, long p95Nanos, long p99Nanos, long maxNanos) {

        public static Latency of(long[] nanos) {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            return new Latency(sorted.length, nearestRank(sorted, 50), nearestRank(sorted, 95), nearestRank(sorted, 99),
                    sorted[sorted.length - 1]);
        }

        public double p50Millis() {
            return p50Nanos / 1e6;
        }

        public double p95Millis() {
            return p95Nanos / 1e6;
        }

        public double p99Millis() {
            return p99Nanos / 1e6;
        }
    }
}
