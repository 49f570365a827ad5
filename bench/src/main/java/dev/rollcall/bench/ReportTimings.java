package dev.rollcall.bench;

import java.time.Duration;

/**
 * Server time of report-service's pages and APIs: sequential GETs on one keep-alive loopback connection, so
 * the time measured is the server's plus a loopback round trip. An endpoint that answers 404 does not exist
 * (yet) and is reported as absent, not as a failure.
 */
final class ReportTimings {

    /** A page or API to time. */
    record Endpoint(String label, String path) {
    }

    enum Outcome { MEASURED, ABSENT, FAILED }

    /** {@code requests}: all that were sent, the warm-up's included. */
    record Result(Outcome outcome, int httpStatus, Percentiles.Latency latency, long bytes, int requests) {
    }

    private static final int WARM_UP = 10;

    private ReportTimings() {
    }

    static Result measure(int port, Endpoint endpoint, int samples, Duration budget) throws Exception {
        try (LoopbackHttp http = new LoopbackHttp("localhost", port, 120_000)) {
            LoopbackHttp.Response first = http.get(endpoint.path());
            if (first.status() == 404) {
                return new Result(Outcome.ABSENT, 404, null, 0, 1);
            }
            if (first.status() != 200) {
                return new Result(Outcome.FAILED, first.status(), null, first.body().length, 1);
            }
            int requests = 1;
            long warmUntil = System.nanoTime() + budget.toNanos() / 4;
            for (int i = 1; i < WARM_UP && System.nanoTime() < warmUntil; i++) {
                http.get(endpoint.path());
                requests++;
            }
            Samples times = new Samples();
            long stopAt = System.nanoTime() + budget.toNanos();
            long bytes = first.body().length;
            while (times.size() < samples && (times.size() < 5 || System.nanoTime() < stopAt)) {
                long t0 = System.nanoTime();
                LoopbackHttp.Response r = http.get(endpoint.path());
                long t1 = System.nanoTime();
                requests++;
                if (r.status() != 200) {
                    return new Result(Outcome.FAILED, r.status(), null, r.body().length, requests);
                }
                times.add(t1 - t0);
                bytes = r.body().length;
            }
            return new Result(Outcome.MEASURED, 200, Percentiles.Latency.of(times.toArray()), bytes, requests);
        }
    }
}
