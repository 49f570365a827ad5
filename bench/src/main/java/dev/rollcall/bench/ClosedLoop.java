package dev.rollcall.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * A closed-loop load: {@code concurrency} workers (virtual threads), each sending its next request when the
 * previous one is answered, first for a warm-up, then for the measured window. A request counts when it
 * completes inside the window; its latency is from sending to the complete answer.
 */
final class ClosedLoop {

    /** One worker's way of making a request; true when it succeeded. */
    interface Call extends AutoCloseable {
        boolean call() throws Exception;

        @Override
        default void close() throws Exception {
        }
    }

    record Result(double perSecond, Percentiles.Latency latency, long failures) {
    }

    private ClosedLoop() {
    }

    static Result run(int concurrency, Duration warmup, Duration window, IntFunction<Call> worker) throws Exception {
        long start = System.nanoTime();
        long from = start + warmup.toNanos();
        long until = from + window.toNanos();
        List<Samples> samples = new ArrayList<>();
        long[] failures = new long[concurrency];
        AtomicReference<Exception> broken = new AtomicReference<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                Samples mine = new Samples();
                samples.add(mine);
                int id = w;
                running.add(pool.submit(() -> {
                    try (Call call = worker.apply(id)) {
                        while (true) {
                            long t0 = System.nanoTime();
                            boolean ok = call.call();
                            long t1 = System.nanoTime();
                            if (t1 >= from && t1 <= until) {
                                if (ok) {
                                    mine.add(t1 - t0);
                                } else {
                                    failures[id]++;
                                }
                            }
                            if (t1 >= until) {
                                return null;
                            }
                        }
                    } catch (Exception e) {
                        broken.compareAndSet(null, e);
                        throw e;
                    }
                }));
            }
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    // reported below, with the first failure
                }
            }
        }
        if (broken.get() != null) {
            throw new IllegalStateException("a load worker failed: " + broken.get(), broken.get());
        }
        long[] all = Samples.merge(samples);
        if (all.length == 0) {
            throw new IllegalStateException("no request succeeded within the measured window");
        }
        long failed = 0;
        for (long f : failures) {
            failed += f;
        }
        return new Result(all.length / (window.toNanos() / 1e9), Percentiles.Latency.of(all), failed);
    }
}
