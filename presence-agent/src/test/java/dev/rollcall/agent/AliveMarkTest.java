package dev.rollcall.agent;

import dev.rollcall.events.AgentDowntimeReported;
import dev.rollcall.events.EventEnvelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The alive mark: written at most once a period, read back whole, and what a start makes of it. */
class AliveMarkTest {

    static final Instant T = Instant.parse("2026-11-20T08:00:00Z");
    static final AgentIdentity AGENT = new AgentIdentity("ws-42", "hq", "0.1.0", "PC-0042", "Linux", T);

    @TempDir
    Path dir;

    @Test
    void aMarkIsWrittenAtMostOncePerPeriodAndAStopIsAlwaysWritten() {
        Path file = dir.resolve("agent-alive.txt");
        AliveMark mark = new AliveMark(file, Duration.ofSeconds(30));
        assertThat(mark.read()).isEmpty();
        mark.touch(T);
        mark.touch(T.plusSeconds(29));
        assertThat(new AliveMark(file, Duration.ZERO).read()).contains(new AliveMark.Last(T, false));
        mark.touch(T.plusSeconds(30));
        assertThat(mark.read()).contains(new AliveMark.Last(T.plusSeconds(30), false));
        mark.stopped(T.plusSeconds(31).plusNanos(1_234_567));
        assertThat(mark.read()).contains(new AliveMark.Last(T.plusSeconds(31).plusMillis(1), true));
        // a clock stepped back writes again rather than waiting for the old time to come round
        mark.touch(T.minusSeconds(3600));
        assertThat(mark.read()).contains(new AliveMark.Last(T.minusSeconds(3600), false));
    }

    @Test
    void anOutageIsLongerThanTheThresholdAndAfterADeliberateStopOnlyWhenAStopCounts() {
        Optional<AliveMark.Last> crashed = Optional.of(new AliveMark.Last(T, false));
        Optional<AliveMark.Last> stopped = Optional.of(new AliveMark.Last(T, true));
        Duration threshold = Duration.ofMinutes(2);
        assertThat(AliveMark.outage(crashed, T.plus(threshold), threshold, false, AGENT)).isEmpty();
        Optional<EventEnvelope> o = AliveMark.outage(crashed, T.plus(threshold).plusMillis(1), threshold, false, AGENT);
        assertThat(o).map(EventEnvelope::data).contains(new AgentDowntimeReported(T, T.plus(threshold).plusMillis(1)));
        assertThat(o.orElseThrow().subject()).isEqualTo("ws-42");
        assertThat(AliveMark.outage(stopped, T.plus(Duration.ofHours(14)), threshold, false, AGENT)).isEmpty();
        assertThat(AliveMark.outage(stopped, T.plus(Duration.ofHours(14)), threshold, true, AGENT)).isPresent();
        assertThat(AliveMark.outage(Optional.empty(), T.plus(Duration.ofHours(14)), threshold, true, AGENT)).isEmpty();
    }

    /**
     * A separate JVM rewrites the mark as fast as it can until it is killed with SIGKILL, many times: every kill
     * leaves a mark that reads whole, at least as new as the last one the worker said it wrote.
     */
    @Test
    void killingTheWriterAtRandomMomentsNeverLeavesATornMark() throws Exception {
        Path file = dir.resolve("agent-alive.txt");
        Random random = new Random();
        for (int run = 0; run < 8; run++) {
            Path transcript = dir.resolve("worker-" + run + ".out");
            Process worker = new ProcessBuilder(TestJvm.command(Writer.class, file.toString(), Long.toString(run * 1_000_000_000L)))
                    .redirectOutput(transcript.toFile()).redirectError(dir.resolve("worker-" + run + ".log").toFile()).start();
            Thread.sleep(300 + random.nextInt(900));
            worker.destroyForcibly();
            assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
            List<String> lines = List.of(Files.readString(transcript, StandardCharsets.US_ASCII).split("\n"));
            Optional<AliveMark.Last> read = new AliveMark(file, Duration.ZERO).read();
            if (lines.stream().anyMatch(l -> l.startsWith("M "))) {
                Instant lastAcknowledged = Instant.parse(lines.stream().filter(l -> l.matches("M \\S+Z")).toList().getLast().substring(2));
                assertThat(read).as("run %d", run).isPresent();
                assertThat(read.get().at()).as("run %d", run).isAfterOrEqualTo(lastAcknowledged);
            }
        }
    }

    /** The process the crash test kills: marks ever later instants, saying so on stdout after each write. */
    public static final class Writer {
        public static void main(String[] args) throws Exception {
            AliveMark mark = new AliveMark(Path.of(args[0]), Duration.ZERO);
            FileOutputStream out = new FileOutputStream(FileDescriptor.out);
            Instant t = T.plusSeconds(Long.parseLong(args[1]));
            while (true) {
                t = t.plusMillis(1);
                mark.touch(t);
                out.write(("M " + t + "\n").getBytes(StandardCharsets.US_ASCII));
            }
        }
    }
}
