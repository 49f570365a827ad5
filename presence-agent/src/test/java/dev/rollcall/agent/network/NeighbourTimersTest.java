package dev.rollcall.agent.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NeighbourTimersTest {

    @TempDir
    Path proc;

    @Test
    void withLinuxDefaultsASweepWaitsEightAndAHalfSeconds() {
        assertThat(NeighbourTimers.LINUX_DEFAULTS.settle()).isEqualTo(Duration.ofMillis(8500));
    }

    @Test
    void readsTheInterfacesTimersAndDerivesTheWait() throws IOException {
        Path wlan = Files.createDirectories(proc.resolve("wlan0"));
        Files.writeString(wlan.resolve("delay_first_probe_time"), "1\n");
        Files.writeString(wlan.resolve("retrans_time_ms"), "250\n");
        Files.writeString(wlan.resolve("ucast_solicit"), "4\n");
        Files.writeString(wlan.resolve("app_solicit"), "0\n");
        Files.writeString(wlan.resolve("mcast_resolicit"), "1\n");

        NeighbourTimers t = NeighbourTimers.read(proc, "wlan0");

        assertThat(t).isEqualTo(new NeighbourTimers(Duration.ofSeconds(1), Duration.ofMillis(250), 4, 0, 1));
        assertThat(t.settle()).isEqualTo(Duration.ofMillis(1000 + 5 * 250 + 500));
    }

    @Test
    void whatCannotBeReadKeepsTheLinuxDefault() throws IOException {
        Path eth = Files.createDirectories(proc.resolve("eth0"));
        Files.writeString(eth.resolve("retrans_time_ms"), "not a number");

        assertThat(NeighbourTimers.read(proc, "eth0")).isEqualTo(NeighbourTimers.LINUX_DEFAULTS);
        assertThat(NeighbourTimers.read(proc, "missing0")).isEqualTo(NeighbourTimers.LINUX_DEFAULTS);
    }

    @Test
    void readsTheLiveKernelsValuesWhole() throws Exception {
        Path live = Path.of("/proc/sys/net/ipv4/neigh/lo/retrans_time_ms");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(live), "not Linux");
        Process cat = new ProcessBuilder("cat", live.toString()).start();
        long expected = Long.parseLong(new String(cat.getInputStream().readAllBytes()).strip());

        // A sysctl answers only the first read; a reader that probes with one byte would see "1" of "1000".
        assertThat(NeighbourTimers.read("lo").retrans()).isEqualTo(Duration.ofMillis(expected));
    }
}
