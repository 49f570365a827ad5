package dev.rollcall.agent;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StopSignalTest {

    @Test
    void aStopEndsTheMainThreadsSleepWithoutInterruptingItAndWaitsForTheLastEvents() throws Exception {
        StopSignal stop = new StopSignal();
        CompletableFuture<Boolean> interruptFlag = new CompletableFuture<>();
        Thread main = Thread.ofPlatform().start(() -> {
            try {
                stop.sleeper().sleep(Duration.ofMinutes(10));
                interruptFlag.completeExceptionally(new AssertionError("slept on after the stop"));
            } catch (InterruptedException e) {
                interruptFlag.complete(Thread.currentThread().isInterrupted());
            }
        });
        Thread hook = Thread.ofPlatform().start(stop);

        assertThat(interruptFlag.get(5, TimeUnit.SECONDS)).as("the main thread's interrupt flag").isFalse();
        main.join(5_000);
        assertThat(stop.running()).isFalse();
        // the hook waits for the main thread's last events before the JVM may halt
        hook.join(200);
        assertThat(hook.isAlive()).isTrue();
        stop.done();
        hook.join(5_000);
        assertThat(hook.isAlive()).isFalse();
    }

    @Test
    void afterAStopEverySleepEndsAtOnce() {
        StopSignal stop = new StopSignal();
        Thread.ofPlatform().start(stop);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !stop.running());
        assertThatThrownBy(() -> stop.sleeper().sleep(Duration.ZERO)).isInstanceOf(InterruptedException.class);
        assertThatThrownBy(() -> stop.sleeper().sleep(Duration.ofHours(1))).isInstanceOf(InterruptedException.class);
        stop.done();
    }

    @Test
    void withoutAStopTheSleeperSleepsItsTime() throws Exception {
        StopSignal stop = new StopSignal();
        long t0 = System.nanoTime();
        stop.sleeper().sleep(Duration.ofMillis(120));
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(Duration.ofMillis(120).toNanos());
        assertThat(stop.running()).isTrue();
    }
}
